"""``gdengine render``: bring an output folder up to date with the catalog.

Steps: check the request (quality, scene names) before touching any file; lock the output
folder; clear work folders left by a killed run; decide per clip from its input key whether
it is up to date; render the others in worker processes, ``jobs`` at a time; after each
finished clip rewrite ``manifest.json`` and ``index.html``; print the summary. Exit status 0
when nothing failed, 1 otherwise (bad input raises ``GdengineError`` → exit 2).
"""

from __future__ import annotations

import fcntl
import json
import os
import queue
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import gdengine
from gdengine.errors import GdengineError
from gdengine.pipeline import catalog, gallery, manifest
from gdengine.pipeline.inputs import InputHasher, InputKey
from gdengine.pipeline.procs import die_with_parent
from gdengine.pipeline.progress import LiveReporter, LogReporter, Outcome, fmt_seconds, summary, wants_live
from gdengine.pipeline.quality import Quality, quality
from gdengine.pipeline.worker import WORK_PREFIX

# One clip per core: the scene draws on one core and its encoder (x264 veryfast + the RLE GIF
# master) needs about half as much CPU again (optimizer_race hd: scene 84 s, encode 40 s), so
# one clip leaves a core half idle; two share both — see renders/README.md ("Jobs").
CORES_PER_CLIP = 1


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) // CORES_PER_CLIP)
LOG_DIR = ".logs"


@dataclass(frozen=True)
class Request:
    scenes_dir: Path
    renders_dir: Path
    cache_dir: Path
    quality: Quality
    names: tuple[str, ...] = ()
    jobs: int = 1
    force: bool = False
    voice: str | None = None  # overrides every clip's ``voice`` (e.g. "none": silent)


@dataclass(frozen=True)
class Job:
    clip: catalog.Clip
    inputs: InputKey
    why: str
    total_hint: int | None
    language: str = "en"
    unit: str = ""  # output stem: the clip name, plus ".<lang>" past the first language

    @property
    def name(self) -> str:
        return self.unit or self.clip.name


def make_request(
    *, scenes: str | list[str] | None, quality_name: str, jobs: int | None,
    scenes_dir: str = "scenes", renders_dir: str = "renders", cache_dir: str = ".cache",
    force: bool = False, voice: str | None = None,
) -> Request:  # fmt: skip
    """Validate the user's request at the edge (every error is one ``GdengineError`` line)."""
    q = quality(quality_name)
    if jobs is not None and jobs < 1:
        raise GdengineError(f"--jobs must be 1 or more, got {jobs}")
    if isinstance(scenes, str):
        scenes = [scenes]
    names = tuple(n for s in scenes or [] for n in s.replace(",", " ").split())
    return Request(
        scenes_dir=Path(scenes_dir), renders_dir=Path(renders_dir), cache_dir=Path(cache_dir),
        quality=q, names=names, jobs=jobs or default_jobs(), force=force, voice=voice or None,
    )  # fmt: skip


def render(req: Request, stream: TextIO = sys.stdout, runner: Any = None) -> int:
    """Bring the output folder up to date; ``runner`` renders the units (default: worker
    processes on this machine; ``gdengine.cluster`` passes one that uses a Dask cluster)."""
    clips = catalog.load(req.scenes_dir)
    languages = catalog.languages(req.scenes_dir)
    selected = catalog.select(clips, list(req.names))  # unknown names: error, nothing touched
    if req.voice is not None:
        from gdengine.voice.voices import voice_for

        for language in languages:
            voice_for(language, req.voice)  # an unknown voice: one line, nothing touched
    out_dir = req.quality.out_dir(req.renders_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with _locked(out_dir):
        _remove_leftovers(out_dir)
        entries = manifest.load(out_dir)
        units = {catalog.unit_name(c.name, lang, languages) for c in clips for lang in languages}
        _remove_dropped_clips(out_dir, entries, units, stream)
        outcomes, jobs = _plan(selected, languages, entries, req, out_dir)
        publish = _Publisher(out_dir, clips, entries, req.quality, languages)
        publish.write()  # a damaged manifest is rebuilt from the records before any render
        if jobs:
            reporter = LiveReporter(stream) if wants_live(stream) else LogReporter(stream)
            with reporter:
                for outcome in _run_jobs(jobs, req, out_dir, reporter, publish, runner):
                    outcomes[outcome.name] = outcome
        publish.write()
    ordered = [outcomes[catalog.unit_name(c.name, lang, languages)] for c in selected for lang in languages]
    print(summary(ordered), file=stream, flush=True)
    return 1 if any(o.status == "failed" for o in ordered) else 0


def _plan(
    selected: list[catalog.Clip], languages: list[str], entries: dict[str, dict[str, Any]],
    req: Request, out_dir: Path,
) -> tuple[dict[str, Outcome], list[Job]]:  # fmt: skip
    """Outcomes known without rendering (bad rows, up-to-date units) and the jobs to run: one
    unit per (clip, language), each with its own inputs key, record and files."""
    outcomes: dict[str, Outcome] = {}
    jobs: list[Job] = []
    hasher = InputHasher()
    for clip in selected:
        for language in languages:
            unit = catalog.unit_name(clip.name, language, languages)
            if clip.problem:
                outcomes[unit] = Outcome(unit, "failed", clip.problem)
                continue
            key = hasher.clip_inputs(
                req.scenes_dir / clip.file, clip.entry, job_params(clip, req), req.quality.as_dict(),
                language=language, recordings=recordings_dir(req.scenes_dir, clip.name, language),
            )  # fmt: skip
            old = entries.get(unit)
            if not req.force and manifest.is_current(old, key.key, out_dir):
                outcomes[unit] = Outcome(unit, "up to date")
                continue
            why = "forced" if req.force else _why(key, old)
            hint = round(old["duration"] * req.quality.fps) if old and old.get("duration") else None
            jobs.append(Job(clip, key, why, hint, language, unit))
    return outcomes, jobs


def job_params(clip: catalog.Clip, req: Request) -> dict[str, Any]:
    """The row's params, with the request's voice override (``make render VOICE=none``)."""
    return {**clip.params, "voice": req.voice} if req.voice is not None else dict(clip.params)


def recordings_dir(scenes_dir: Path, clip: str, language: str) -> Path:
    """Where the author's recordings of (clip, language) live: voice/<clip>/<lang>/."""
    return scenes_dir.resolve().parent / "voice" / clip / language


def _why(key: InputKey, old: dict[str, Any] | None) -> str:
    if old and old.get("inputs", {}).get("key") == key.key:
        return "output files missing or changed"
    changed = key.changed((old or {}).get("inputs"))
    return "new clip" if changed == ["new"] else f"{', '.join(changed)} changed"


# --- running workers ---------------------------------------------------------------------
Event = dict[str, Any]
Put = Callable[[Event], None]


def job_spec(job: Job, req: Request, out_dir: Path) -> dict[str, Any]:
    """What a worker process needs to render one unit (``gdengine.pipeline.worker``)."""
    return {
        "name": job.name, "clip": job.clip.name, "language": job.language,
        "file": str((req.scenes_dir / job.clip.file).resolve()),
        "entry": job.clip.entry, "kind": job.clip.kind, "params": job_params(job.clip, req),
        "recordings": str(recordings_dir(req.scenes_dir, job.clip.name, job.language)),
        "lint": job.clip.lint,
        "quality": req.quality.as_dict(), "out_dir": str(out_dir.resolve()),
        "cache_dir": str((req.cache_dir / "manim").resolve()), "total_hint": job.total_hint,
    }  # fmt: skip


class LocalRunner:
    """Renders each unit in a worker process on this machine, ``slots`` at a time; the worker
    writes the unit's files into the output folder itself (atomic renames)."""

    def __init__(self, slots: int) -> None:
        self.slots = slots
        self._procs: list[subprocess.Popen[bytes]] = []
        self._lock = threading.Lock()

    def __call__(self, job: Job, spec: dict[str, Any], log_path: Path, put: Put) -> Event:
        """Render one unit, forwarding its progress events to ``put``; returns the final
        event (``done`` with the unit's stats, or ``failed`` with a one-line reason)."""
        return run_worker_process(spec, log_path, put, self._track)

    def _track(self, proc: subprocess.Popen[bytes]) -> None:
        with self._lock:
            self._procs.append(proc)

    def stop(self) -> None:
        with self._lock:
            procs = list(self._procs)
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
        for proc in procs:
            proc.wait()


def run_worker_process(
    spec: dict[str, Any], log_path: Path, put: Put,
    track: Callable[[subprocess.Popen[bytes]], None] = lambda proc: None, lint: bool = False,
    cite_log: bool = True,
) -> Event:  # fmt: skip
    """``python -m gdengine.pipeline.worker [--lint] SPEC`` with stderr to ``log_path``;
    progress events go to ``put``, the final event is returned (a failure's reason names the
    log unless ``cite_log`` is off: a temporary log)."""
    final: Event | None = None
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gdengine.pipeline.worker", *(["--lint"] if lint else []), json.dumps(spec)],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log,
            preexec_fn=die_with_parent, env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )  # fmt: skip
        track(proc)
        assert proc.stdout is not None
        for raw in proc.stdout:
            try:
                event = json.loads(raw)
            except ValueError:
                continue
            if event.get("event") in ("done", "failed"):
                final = event
            else:
                put(event)
        code = proc.wait()
    if final is None:
        final = {"event": "failed", "reason": _crash_reason(code, log_path)}
    if final["event"] == "failed" and cite_log:
        final["reason"] += f" (log: {log_path})"
    return final


def _run_jobs(jobs: list[Job], req: Request, out_dir: Path, reporter: LogReporter, publish: _Publisher,
              runner: Any = None):  # fmt: skip
    """Run the jobs through ``runner`` (default: worker processes here, ``req.jobs`` at a
    time); yield each unit's outcome as it finishes."""
    runner = runner or LocalRunner(req.jobs)
    events: queue.Queue[tuple[str, Event]] = queue.Queue()

    def work(job: Job) -> None:
        log_path = out_dir / LOG_DIR / f"{job.name}.log"
        log_path.parent.mkdir(exist_ok=True)
        events.put((job.name, {"event": "start"}))
        try:
            final = runner(job, job_spec(job, req, out_dir), log_path, lambda e: events.put((job.name, e)))
        except BaseException as err:  # noqa: BLE001 — a runner's own failure fails the unit only
            final = {"event": "failed", "reason": f"{type(err).__name__}: {err}"}
        events.put((job.name, final))

    by_name = {j.name: j for j in jobs}
    pool = ThreadPoolExecutor(max_workers=max(1, min(runner.slots, len(jobs))))
    try:
        for job in longest_first(jobs):
            pool.submit(work, job)
        remaining = len(jobs)
        while remaining:
            name, event = events.get()
            kind = event["event"]
            job = by_name[name]
            if kind == "start":
                reporter.start(name, job.total_hint, job.why)
            elif kind == "progress":
                reporter.progress(name, event["frames"], event.get("total"))
            elif kind == "stage":
                reporter.stage(name, event["stage"])
            else:
                remaining -= 1
                if kind == "done":
                    publish.add(job, event)
                    publish.write()
                    seconds = event["render_seconds"]
                    detail = f"{event['frames']} frames in {fmt_seconds(seconds)}"
                    if event.get("parts"):
                        detail += f" ({event['parts']} parts rendered apart, joined)"
                    if event.get("lint"):
                        detail += f"; {len(event['lint'])} layout findings (lint = \"warn\"): " + "; ".join(event["lint"])
                    outcome = Outcome(name, "rendered", detail)
                else:
                    outcome = Outcome(name, "failed", event["reason"])
                reporter.finish(outcome)
                yield outcome
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        runner.stop()
        _remove_leftovers(out_dir)
        raise
    pool.shutdown(wait=True)


def longest_first(jobs: list[Job]) -> list[Job]:
    """Jobs in decreasing expected length (frames of the last render; unknown ones first), so
    the longest clip does not start last and leave one core idle at the end of the run."""
    return sorted(jobs, key=lambda j: -(j.total_hint if j.total_hint is not None else float("inf")))


def _crash_reason(code: int, log_path: Path) -> str:
    how = f"killed by signal {-code}" if code < 0 else f"exit code {code}"
    try:
        lines = [ln for ln in log_path.read_text(errors="replace").splitlines() if ln.strip()]
    except OSError:
        lines = []
    last = f": {lines[-1].strip()}" if lines else ""
    return f"worker crashed ({how}){last}"


# --- publishing --------------------------------------------------------------------------
class _Publisher:
    """Keeps the manifest entries and writes manifest.json + index.html (catalog order)."""

    def __init__(self, out_dir: Path, clips: list[catalog.Clip], entries: dict[str, dict[str, Any]],
                 q: Quality, languages: list[str]):  # fmt: skip
        self.out_dir, self.clips, self.entries, self.quality = out_dir, clips, entries, q
        self.languages = languages

    def add(self, job: Job, done: dict[str, Any]) -> None:
        clip, q, first = job.clip, self.quality, self.languages[0]
        self.entries[job.name] = {
            "name": clip.name, "language": job.language, "unit": job.name,
            "title": catalog.in_language(clip.title, job.language, first),
            "description": catalog.in_language(clip.description, job.language, first),
            "source": f"scenes/{clip.file}", "entry": clip.entry, "kind": clip.kind,
            "quality": q.name, "width": q.width, "height": q.height, "fps": q.fps,
            "duration": done["duration"], "frames": done["frames"], "params": done["params"],
            "beats": done.get("beats", []), "lines": done.get("lines", []), "lint": done.get("lint", []),
            "engine_version": gdengine.__version__, "render_seconds": done["render_seconds"],
            "cpu_seconds": done["cpu_seconds"],
            "files": done["files"], "gif": done["gif"],
            "inputs": {"key": job.inputs.key, **job.inputs.parts},
        }  # fmt: skip
        manifest.write_record(self.out_dir, self.entries[job.name])

    def write(self) -> None:
        names = [catalog.unit_name(c.name, lang, self.languages) for c in self.clips for lang in self.languages]
        listed = [self.entries[n] for n in names if n in self.entries]
        manifest.write_atomic(
            self.out_dir / manifest.MANIFEST_NAME,
            manifest.render(listed, engine_version=gdengine.__version__, quality=self.quality.as_dict(),
                            languages=self.languages),
        )  # fmt: skip
        manifest.write_atomic(
            self.out_dir / gallery.INDEX_NAME,
            gallery.render(listed, self.quality, languages=self.languages, out_dir=self.out_dir),
        )


# --- the output folder -------------------------------------------------------------------
class _locked:
    """One render per output folder at a time (a second one fails fast with one line)."""

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / ".lock"

    def __enter__(self) -> None:
        self.fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self.fd)
            raise GdengineError(f"another render is running in {self.path.parent}; wait for it") from None

    def __exit__(self, *exc: object) -> None:
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)


def _remove_dropped_clips(
    out_dir: Path, entries: dict[str, dict[str, Any]], catalog_names: set[str], stream: TextIO
) -> None:
    """Outputs of clips no longer in the catalog (only the files their manifest entry lists)."""
    for name in sorted(set(entries) - catalog_names):
        manifest.drop_record(out_dir, name)
        for record in entries.pop(name).get("files", {}).values():
            path = out_dir / record["file"]
            if path.parent == out_dir:
                path.unlink(missing_ok=True)
        print(f"{name}: removed (no longer in the catalog)", file=stream, flush=True)


def _remove_leftovers(out_dir: Path) -> None:
    """Work folders and temporary files of an interrupted run (never published names)."""
    for path in out_dir.iterdir():
        if path.name.startswith(WORK_PREFIX) and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        elif path.name == manifest.RECORDS_DIR and path.is_dir():
            for tmp in path.glob(".*.tmp-*"):
                tmp.unlink(missing_ok=True)
        elif path.name.startswith(".") and ".tmp-" in path.name:
            path.unlink(missing_ok=True)
