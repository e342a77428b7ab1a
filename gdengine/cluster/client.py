"""The client side of a cluster render: connect (or start a local cluster), check that every
worker runs this checkout's code, ship each unit's inputs, write the returned files."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from gdengine.cluster import tasks
from gdengine.cluster.identity import identity, refuse_if_different
from gdengine.errors import GdengineError
from gdengine.pipeline import encode
from gdengine.pipeline.inputs import InputHasher
from gdengine.pipeline.manifest import file_sha256
from gdengine.pipeline.run import Job, Put, Request, recordings_dir, run_worker_process
from gdengine.pipeline.worker import WORK_PREFIX, Rendered, finish, part_frames

CONNECT_SECONDS = 10
WORKER_WAIT_SECONDS = 60


@contextlib.contextmanager
def connect(scheduler: str | None = None, workers: int | None = None) -> Iterator[Any]:
    """A ``distributed.Client`` on the scheduler at ``scheduler``, or on a local cluster of
    ``workers`` processes (one thread each: a unit is one process's work); every worker's
    code is checked against this checkout before anything is rendered."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise GdengineError("rendering on a cluster needs dask.distributed: run make setup "
                            "(or pip install -e '.[cluster]')") from None
    with contextlib.ExitStack() as stack:
        if scheduler is None:
            cluster = stack.enter_context(LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, scheduler_kwargs={"dashboard": False},
                silence_logs=logging.ERROR,
            ))  # fmt: skip
            client = stack.enter_context(Client(cluster))
        else:
            try:
                client = stack.enter_context(Client(scheduler, timeout=CONNECT_SECONDS))
            except (OSError, TimeoutError, ValueError) as err:
                raise GdengineError(
                    f"cannot reach the Dask scheduler at {scheduler} ({type(err).__name__}); "
                    "start one there with `make scheduler`, or check the address and port"
                ) from None
            try:
                client.wait_for_workers(1, timeout=WORKER_WAIT_SECONDS)
            except TimeoutError:
                raise GdengineError(f"no worker joined the scheduler at {scheduler} within "
                                    f"{WORKER_WAIT_SECONDS} s; start one: make worker SCHEDULER={scheduler}") from None
        check_workers(client)
        yield client


def check_workers(client: Any) -> None:
    """Refuse (one line) when a worker's code, names table or library versions differ."""
    mine = identity()
    for address, theirs in sorted(client.run(tasks.worker_identity).items()):
        refuse_if_different(mine, theirs, address, "this checkout")


class ClusterRunner:
    """Renders units as Dask tasks. Per unit, the client first runs the clip for the linter
    alone (no pixels), which synthesises its narration here once; the task gets the scene's
    files, the author's recordings and those voice lines, and returns the encoded files,
    which are written through a work folder and renamed into place, as a local render does."""

    def __init__(self, client: Any, req: Request, lint_slots: int | None = None) -> None:
        self.client, self.req = client, req
        self.slots = 1 << 16  # every unit is submitted at once; the scheduler spreads them
        self._lint_gate = threading.Semaphore(lint_slots or max(1, len(os.sched_getaffinity(0))))
        self._futures: list[Any] = []
        self._lock = threading.Lock()
        self._identity = identity()

    def __call__(self, job: Job, spec: dict[str, Any], log_path: Path, put: Put) -> dict[str, Any]:
        put({"event": "stage", "stage": "voice + lint here"})
        with self._lint_gate:
            checked = run_worker_process(spec, log_path, put=lambda event: None, lint=True)
        if checked["event"] != "done":
            return checked
        payload = self.payload(job, spec, checked.get("lines", []))
        size = part_frames(spec)
        ranges = [None] if size is None else [(a, min(a + size, checked["frames"])) for a in range(0, checked["frames"], size)]
        put({"event": "stage", "stage": f"on the cluster ({len(ranges)} task{'s' * (len(ranges) > 1)})"})
        t0 = time.monotonic()
        futures = []
        for rng in ranges:
            task = payload if rng is None else {**payload, "spec": {**payload["spec"], "frame_range": list(rng)}}
            # a task whose worker dies is rerun on another (the scheduler's allowed-failures)
            key = f"render-{job.name}-{'all' if rng is None else rng[0]}-{uuid.uuid4().hex[:8]}"
            futures.append(self.client.submit(tasks.render_unit, task, key=key, pure=False))
        with self._lock:
            self._futures.extend(futures)
        try:
            results = [future.result() for future in futures]
        except GdengineError as err:
            return {"event": "failed", "reason": str(err)}
        except Exception as err:  # noqa: BLE001 — a lost task fails its unit, not the run
            return {"event": "failed", "reason": f"the cluster lost a task of {job.name} ({type(err).__name__}: {err})"}
        if size is None:
            return publish_files(Path(spec["out_dir"]), job.name, results[0])
        return join_ranges(spec, results, checked, t0)

    def payload(self, job: Job, spec: dict[str, Any], lines: list[list[Any]]) -> dict[str, Any]:
        scene_file = (self.req.scenes_dir / job.clip.file).resolve()
        scenes_dir = scene_file.parent
        files, _ = InputHasher().scene_closure(scene_file)
        recordings = recordings_dir(self.req.scenes_dir, job.clip.name, job.language)
        voice_cache = (self.req.cache_dir / "voice").resolve()
        audio = {Path(line[2]).resolve() for line in lines}
        return {
            "spec": {**spec, "file": job.clip.file},
            "scene_files": {str(p.relative_to(scenes_dir)): p.read_bytes() for p in files if p.is_relative_to(scenes_dir)},
            "recordings": {p.name: p.read_bytes() for p in sorted(recordings.glob("*")) if p.is_file()}
            if recordings.is_dir() else {},
            "voice_lines": {p.name: p.read_bytes() for p in sorted(audio) if p.parent == voice_cache},
            "identity": self._identity,
        }  # fmt: skip

    def stop(self) -> None:
        with self._lock:
            futures = list(self._futures)
        for future in futures:
            future.cancel()


def join_ranges(spec: dict[str, Any], results: list[dict[str, Any]], checked: dict[str, Any], t0: float) -> dict[str, Any]:
    """A 3-D clip rendered in frame ranges: its parts joined without re-encoding (the same
    bytes as a render on one machine), then finished here like a local clip: GIF, poster,
    the voice track from the lines synthesised here, subtitles and chapters."""
    from PIL import Image

    out_dir, name = Path(spec["out_dir"]), spec["name"]
    dones = [r["done"] for r in results]
    if any(d["beats"] != dones[0]["beats"] or d["frames"] != dones[0]["frames"] for d in dones):
        return {"event": "failed", "reason": f"the parts of {name} disagree on its beats or length (is the clip deterministic?)"}
    with _work_folder(out_dir, name) as work:
        for result in results:
            damaged = _write_checked(work, result)
            if damaged:
                return {"event": "failed", "reason": damaged}
        records = {k: v for d in dones for k, v in d["files"].items()}
        parts = sorted(k for k in records if k.startswith("mp4"))
        encode.join_parts([work / records[k]["file"] for k in parts], work / f"{name}.mp4")
        encode.join_parts([work / records["master" + k[3:]]["file"] for k in parts], work / "gif_master.mov")
        poster = np.asarray(Image.open(work / records["poster"]["file"]).convert("RGB"))
        cpu = {kind: round(sum(d["cpu_seconds"][kind] for d in dones), 3) for kind in ("scene", "encode")}
        lines = [tuple(line) for line in checked.get("lines", [])]
        beats = [tuple(beat) for beat in dones[0]["beats"]]
        rendered = Rendered(dones[0]["frames"], beats, lines, poster, dones[0]["params"], dones[0]["lint"], cpu)
        return {"event": "done", **finish(spec, rendered, work, t0), "parts": len(parts)}


def _write_checked(folder: Path, result: dict[str, Any]) -> str | None:
    """Write a task's files into ``folder``; the reason when one differs from its record."""
    done = result["done"]
    for record in done["files"].values():
        path = folder / record["file"]
        path.write_bytes(result["files"][record["file"]])
        if path.stat().st_size != record["bytes"] or file_sha256(path) != record["sha256"]:
            return f"{record['file']} arrived damaged from {done.get('worker')}"
    return None


def publish_files(out_dir: Path, name: str, result: dict[str, Any]) -> dict[str, Any]:
    """Write a task's files through a work folder, check them against the worker's record,
    and rename them into ``out_dir``; returns the worker's ``done`` event."""
    done = result["done"]
    with _work_folder(out_dir, name) as work:
        damaged = _write_checked(work, result)
        if damaged:
            return {"event": "failed", "reason": damaged}
        for record in done["files"].values():
            os.replace(work / record["file"], out_dir / record["file"])
    return done


@contextlib.contextmanager
def _work_folder(out_dir: Path, name: str) -> Iterator[Path]:
    """A private folder beside the outputs (a ``WORK_PREFIX`` name, which an interrupted run's
    clean-up removes), deleted on the way out."""
    work = out_dir / f"{WORK_PREFIX}{name}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    work.mkdir()
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)
