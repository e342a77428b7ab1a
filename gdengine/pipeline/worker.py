"""Render one clip in its own process: ``python -m gdengine.pipeline.worker [--lint] JOB_JSON``
(``--lint``: run it for the layout linter only, nothing encoded or written).

A fresh process per clip gives each clip a fresh manim ``config`` and module state, and
confines a crash, a hang or a broken parameter to that clip's row. The worker

1. imports the scene file and builds the entry with the catalog ``params``
   (Manim: a subclass with the params as class attributes, so the class-definition-time
   checks run on them; PyVista: keyword arguments, checked against the signature);
2. streams frames into a ``FrameSink`` (MP4 + lossless GIF master; a 3-D clip in 10 s parts,
   joined without re-encoding), then makes the GIF and the poster, all inside a private work
   folder next to the outputs (with ``frame_range``, a cluster task: only that range's parts,
   which the client joins and finishes with ``finish``);
3. renames the finished files over ``<name>.mp4/.gif/.png`` (atomic on one filesystem), so
   an interrupted render never leaves a truncated file under a published name.

It talks to the parent through JSON lines on its original stdout (``{"event": ...}``); all
other output of the scene (prints, manim logs) is sent to stderr, which the parent logs.
"""

from __future__ import annotations

import importlib.util
import inspect
import json
import os
import resource
import shutil
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from gdengine.errors import GdengineError
from gdengine.jsonable import jsonable
from gdengine.lint.rules import Finding, Linter
from gdengine.pipeline import encode
from gdengine.pipeline.manifest import file_sha256
from gdengine.pipeline.procs import interrupt_on_sigterm
from gdengine.pipeline.sink import FrameSink

OUTPUT_SUFFIXES = (".mp4", ".gif", ".png")
WORK_PREFIX = ".work-"
_PROGRESS_INTERVAL = 0.25  # seconds between progress events

# Missing system libraries, recognised in an import/load error → the Debian package to install.
_MISSING_LIBS = {
    "libEGL": "libegl1", "libGL.so": "libgl1", "libOSMesa": "libosmesa6",
    "libcairo": "libcairo2", "libpango": "libpango-1.0-0", "libXrender": "libxrender1",
}  # fmt: skip


class Events:
    """JSON-lines channel to the parent, throttled for progress."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self._last = 0.0

    def send(self, event: str, **fields: Any) -> None:
        self._stream.write(json.dumps({"event": event, **fields}) + "\n")
        self._stream.flush()

    def progress(self, frames: int, total: int | None) -> None:
        now = time.monotonic()
        if now - self._last >= _PROGRESS_INTERVAL:
            self._last = now
            self.send("progress", frames=frames, total=total)


def load_module(path: Path):
    """Import a scene file as a module named after its stem (siblings importable); a file
    already imported under that name is not imported again."""
    path = Path(path).resolve()
    loaded = sys.modules.get(path.stem)
    if loaded is not None and getattr(loaded, "__file__", None) == str(path):
        return loaded
    if str(path.parent) not in sys.path:
        sys.path.insert(0, str(path.parent))
    spec = importlib.util.spec_from_file_location(path.stem, path)
    if spec is None or spec.loader is None:
        raise GdengineError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


def manim_scene_class(base: type, params: dict[str, Any]) -> type:
    """``base`` with catalog ``params`` as class attributes (validated by the subclass hook)."""
    from manim import Scene

    if not (isinstance(base, type) and issubclass(base, Scene)):
        raise GdengineError(f"entry {base!r} is not a manim Scene subclass")
    known_by_kit = hasattr(base, "_param_spec")
    unknown = [k for k in params if not known_by_kit and not hasattr(base, k)]
    if unknown:
        public = sorted(k for k in vars(base) if not k.startswith("_") and not callable(getattr(base, k)))
        raise GdengineError(
            f"{base.__name__}: unknown parameter(s) {', '.join(unknown)}; "
            f"valid parameters: {', '.join(public) or '(none)'}"
        )
    return type(base.__name__, (base,), {**params, "__module__": base.__module__})


def check_kwargs(fn: Any, params: dict[str, Any]) -> None:
    """A PyVista entry's catalog params must be keyword arguments it accepts."""
    if not callable(fn):
        raise GdengineError(f"entry {fn!r} is not a function")
    sig = inspect.signature(fn)
    if any(p.kind is p.VAR_KEYWORD for p in sig.parameters.values()):
        return
    valid = [n for n in sig.parameters if n not in ("sink", "width", "height", "fps")]
    unknown = [k for k in params if k not in valid]
    if unknown:
        raise GdengineError(
            f"{fn.__name__}: unknown parameter(s) {', '.join(unknown)}; "
            f"valid parameters: {', '.join(valid) or '(none)'}"
        )


def render_frames(job: dict[str, Any], sink: Any, draw: bool = True) -> tuple[dict[str, Any], list[Finding]]:
    """Run the clip's entry with every frame going to ``sink`` while the layout linter samples
    it; returns its parameters and the lint findings (``draw=False``: lint only, no pixels
    where the renderer can skip them)."""
    q = job["quality"]
    module = load_module(Path(job["file"]))
    entry = getattr(module, job["entry"])
    from gdengine.voice import lines as voice_lines

    voice_lines.configure(
        cache_dir=Path(job["cache_dir"]).parent / "voice",
        recordings_dir=Path(job["recordings"]) if job.get("recordings") else None,
    )
    job = {**job, "params": with_language(entry, job)}
    if job["kind"] == "manim":
        from gdengine.lint.manim_probe import LintProbe
        from gdengine.pipeline import capture

        capture.configure(
            width=q["width"], height=q["height"], fps=q["fps"], cache_dir=Path(job["cache_dir"])
        )
        scene_class = manim_scene_class(entry, job["params"])
        linter = _linter(job, getattr(scene_class, "language", "en"), getattr(scene_class, "pace", 1.0))
        scene = capture.render_scene(scene_class, sink, LintProbe(linter), draw=draw)
        linter.allow.extend(getattr(scene, "lint_allowances", []))
        findings = linter.finish(float(scene.renderer.time))
        values = getattr(scene_class, "param_values", None)
        return (values() if callable(values) else dict(job["params"])), findings
    check_kwargs(entry, job["params"])
    linter = _linter(job, job["params"].get("language", "en"), job["params"].get("pace", 1.0))
    sink.linter = linter
    entry(sink, width=q["width"], height=q["height"], fps=q["fps"], **job["params"])
    findings = linter.finish(frames_written(sink) / q["fps"])
    defaults = {
        n: p.default for n, p in inspect.signature(entry).parameters.items()
        if p.kind is p.KEYWORD_ONLY and p.default is not p.empty
    }  # fmt: skip
    return {**defaults, **job["params"]}, findings


def with_language(entry: Any, job: dict[str, Any]) -> dict[str, Any]:
    """The entry's parameters with the pipeline's language (a PyVista entry without a
    ``language`` or ``voice`` parameter renders its one language, silently)."""
    params = dict(job["params"])
    language = job.get("language")
    if language is None:
        return params
    if job["kind"] == "manim":
        accepted = {n for n in ("language", "voice") if hasattr(entry, n)}
    else:
        accepted = set(inspect.signature(entry).parameters)
    if "voice" in params and "voice" not in accepted:
        params.pop("voice")
    if "language" in accepted:
        return {**params, "language": language}
    if language != "en":
        raise GdengineError(f"{job['entry']} takes no language parameter, so it cannot render [{language}]")
    return params


def _linter(job: dict[str, Any], language: str, pace: float) -> Linter:
    q = job["quality"]
    return Linter(job.get("clip", job["name"]), str(language), q["width"], q["height"], float(pace))


def frames_written(sink: Any) -> int:
    return sink.frames if isinstance(sink.frames, int) else sink.count


def lint_verdict(job: dict[str, Any], findings: list[Finding]) -> list[str]:
    """Finding lines (printed to the log); raises when they fail the clip (``lint = "fail"``)."""
    lines = [f.line() for f in findings]
    for line in lines:
        print(line, file=sys.stderr)
    if lines and job.get("lint", "fail") == "fail":
        more = f" (+{len(lines) - 1} more)" if len(lines) > 1 else ""
        raise GdengineError(
            f"layout lint: {lines[0].strip()}{more}; see `gdengine lint --scenes {job.get('clip', job['name'])}`, "
            'or set lint = "warn" in its catalog row to publish anyway'
        )
    return lines


# A 3-D clip is encoded in parts of this many seconds (closed GOPs joined without
# re-encoding), so a cluster can render its frame ranges on several machines and the joined
# file is the same as one made here; 10 s is five key-frame intervals at every quality.
PART_SECONDS = 10


def part_frames(job: dict[str, Any]) -> int | None:
    """Frames per encoded part of this clip (None: one part; Manim clips are not split)."""
    if job["kind"] == "manim":
        return None
    return max(1, round(PART_SECONDS * job["quality"]["fps"]))


@dataclass
class Rendered:
    """A clip's frames are encoded (``mp4`` and the GIF ``master`` in the work folder); the
    rest of what its files and record are made from."""

    frames: int
    beats: list[tuple[str, float]]
    lines: list[tuple[str, str, str, float, float]]  # beat, text, audio file, start, end
    poster: Any  # (H, W, 3) uint8
    params: dict[str, Any]
    lint: list[str]
    cpu: dict[str, float] | None  # None: this process's (measured when the files are done)


def build(job: dict[str, Any], events: Events) -> dict[str, Any]:
    """Render, encode and publish one clip (or, with ``frame_range``, encode that range's
    parts into the output folder); returns what the manifest records about it."""
    q = job["quality"]
    out_dir = Path(job["out_dir"])
    name = job["name"]
    work = out_dir / f"{WORK_PREFIX}{name}-{os.getpid()}"
    work.mkdir(parents=True)
    try:
        sink = FrameSink(
            width=q["width"], height=q["height"], fps=q["fps"],
            mp4=work / f"{name}.mp4", gif_master=work / "gif_master.mov", on_progress=events.progress,
            segment_frames=part_frames(job), frame_range=job.get("frame_range"),
        )  # fmt: skip
        if job.get("total_hint"):
            sink.total = int(job["total_hint"])
        t0 = time.monotonic()
        try:
            params, findings = render_frames(job, sink)
            lint_lines = lint_verdict(job, findings)
            sink.close()
        finally:
            sink.abort()
        events.send("progress", frames=sink.frames, total=sink.frames)
        if sink.frame_range is not None:
            return _publish_parts(sink, out_dir, params, lint_lines)
        events.send("stage", stage="gif")
        rendered = Rendered(sink.frames, sink.beats, sink.lines, sink.poster_frame, params, lint_lines, None)
        return finish(job, rendered, work, t0)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def finish(job: dict[str, Any], r: Rendered, work: Path, t0: float) -> dict[str, Any]:
    """From the encoded MP4 and GIF master in ``work``: the GIF, the poster, the voice track,
    subtitles and chapters; then every file renamed into the output folder. Returns the
    unit's record (without its inputs); ``t0``: when rendering began (``time.monotonic``)."""
    from PIL import Image

    q, name, out_dir = job["quality"], job["name"], Path(job["out_dir"])
    files = {s: work / f"{name}{s}" for s in OUTPUT_SUFFIXES}
    encode.encode_gif(work / "gif_master.mov", files[".gif"], work / "palette.png")
    Image.fromarray(r.poster).save(files[".png"], optimize=True)
    duration = r.frames / q["fps"]
    extra = narration_files(job, r.beats, r.lines, files[".mp4"], duration, work)
    gw, gh = encode.GIF.size(q["width"], q["height"])
    stats = {
        "params": jsonable(r.params),
        "beats": [[beat, t] for beat, t in r.beats],
        "lines": [[beat, text, round(start, 4), round(end, 4)] for beat, text, _, start, end in r.lines],
        "lint": r.lint,
        "frames": r.frames,
        "duration": round(duration, 6),
        "render_seconds": round(time.monotonic() - t0, 3),
        "cpu_seconds": _cpu() if r.cpu is None else r.cpu,
        "gif": {"width": gw, "height": gh, "fps": encode.GIF.fps(q["fps"])},
        "files": {
            **{s.lstrip("."): _file_record(f"{name}{s}", p) for s, p in files.items()},
            **{key: _file_record(p.name, p) for key, p in extra.items()},
        },
    }
    for s, p in files.items():
        os.replace(p, out_dir / f"{name}{s}")
    for p in extra.values():
        os.replace(p, out_dir / p.name)
    return stats


def _cpu() -> dict[str, float]:
    """CPU of this process (scene + capture) and of its ffmpeg children (encoding): how much a
    second job could gain on a second core (renders/README.md, "Jobs")."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"scene": round(own.ru_utime + own.ru_stime, 3), "encode": round(kids.ru_utime + kids.ru_stime, 3)}


def _publish_parts(sink: FrameSink, out_dir: Path, params: dict[str, Any], lint_lines: list[str]) -> dict[str, Any]:
    """A frame range's encoded parts (and the poster, when it falls in the range) moved to the
    output folder; the record says what the client needs to join them."""
    from PIL import Image

    files = {}
    for index, mp4, master in sink.parts:
        for kind, path in (("mp4", mp4), ("master", master)):
            files[f"{kind}{index:04d}"] = _file_record(path.name, path)
            os.replace(path, out_dir / path.name)
    poster_at = sink.frames - 1 if sink.poster_index is None else sink.poster_index
    start, stop = sink.frame_range  # type: ignore[misc]
    if start <= poster_at < stop:
        png = out_dir / "poster.png"
        Image.fromarray(sink.poster_frame).save(png)
        files["poster"] = _file_record(png.name, png)
    return {
        "frames": sink.frames, "frame_range": [start, stop], "params": jsonable(params), "lint": lint_lines,
        "beats": [[n, t] for n, t in sink.beats], "cpu_seconds": _cpu(), "files": files,
    }  # fmt: skip


def _file_record(file: str, path: Path) -> dict[str, Any]:
    return {"file": file, "bytes": path.stat().st_size, "sha256": file_sha256(path)}


def narration_files(job: dict[str, Any], beats: list[tuple[str, float]], lines: list[tuple[str, str, str, float, float]],
                    mp4: Path, duration: float, work: Path) -> dict[str, Path]:  # fmt: skip
    """With narration: the voice track laid into ``mp4`` (AAC 48 kHz, −16 LUFS), and the
    subtitles (VTT, SRT) and chapters files, named with the language code, in ``work``."""
    from gdengine import subtitles
    from gdengine.voice import track

    clip, language = job.get("clip", job["name"]), job.get("language", "en")
    files: dict[str, Path] = {}
    if lines:
        track.mux(mp4, [(start, Path(audio)) for _, _, audio, start, _ in lines], duration, mp4, work)
        cues = subtitles.cues_for([(start, end, text) for _, text, _, start, end in lines], language)
        for key, suffix, text in (("vtt", "vtt", subtitles.vtt(cues)), ("srt", "srt", subtitles.srt(cues))):
            files[key] = work / f"{clip}.{language}.{suffix}"
            files[key].write_text(text, encoding="utf-8")
    if beats:
        files["chapters"] = work / f"{clip}.{language}.chapters.vtt"
        files["chapters"].write_text(subtitles.chapters(list(beats), duration), encoding="utf-8")
    return files


def one_line_reason(err: BaseException) -> str:
    """A failure as one line: the message of a bad input, the type and message otherwise."""
    text = str(err).strip().splitlines()
    message = text[0] if text else ""
    for lib, package in _MISSING_LIBS.items():
        if isinstance(err, (OSError, ImportError)) and lib in str(err):
            return f"missing system library {lib} (Debian package {package}): {message}"
    if isinstance(err, GdengineError):
        return message
    return f"{type(err).__name__}: {message}" if message else type(err).__name__


def lint_only(job: dict[str, Any]) -> dict[str, Any]:
    """Run the clip for the layout linter alone: no encoder, no pixels where avoidable. Its
    narration lines are synthesised on the way (``lines`` names their audio files)."""
    from gdengine.pipeline.memory import MemorySink

    sink = MemorySink(fps=job["quality"]["fps"], keep=False)
    _, findings = render_frames(job, sink, draw=False)
    return {
        "findings": [f.line() for f in findings], "beats": [[n, t] for n, t in sink.beats],
        "lines": [[beat, text, audio, start, end] for beat, text, audio, start, end in sink.lines],
        "frames": sink.count,
    }  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    interrupt_on_sigterm()
    lint = argv[0] == "--lint"
    job = json.loads(argv[-1])
    events = Events(os.fdopen(os.dup(1), "w", buffering=1))
    os.dup2(2, 1)  # anything the scene prints goes to the log, not to the event channel
    sys.stdout = sys.stderr
    try:
        stats = lint_only(job) if lint else build(job, events)
    except KeyboardInterrupt:
        return 130
    except BaseException as err:  # noqa: BLE001 — every failure becomes the row's reason
        traceback.print_exc()
        events.send("failed", reason=one_line_reason(err))
        return 1
    events.send("done", **stats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
