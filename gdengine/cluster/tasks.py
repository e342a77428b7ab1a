"""The functions a Dask worker runs: render one unit from the files the client shipped and
return its encoded files as bytes (workers share no disk with the client)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from gdengine.cluster.identity import identity, refuse_if_different
from gdengine.errors import GdengineError
from gdengine.pipeline.run import run_worker_process

Payload = dict[str, Any]


def worker_identity() -> dict[str, str]:
    """Run on every worker when the client connects (``Client.run``)."""
    return identity()


def render_unit(payload: Payload) -> dict[str, Any]:
    """Render one (clip, language) unit in a fresh worker process, in a private folder made
    from ``payload``: ``spec`` (the pipeline's job, scene paths relative to the scenes
    folder), ``scene_files`` / ``recordings`` / ``voice_lines`` (name → bytes) and the
    client's ``identity``. Returns the worker's ``done`` event and ``files`` (name → bytes);
    a refused or failed render raises ``GdengineError`` with the one-line reason."""
    where = _worker_address()
    refuse_if_different(payload["identity"], identity(), where, "the client")
    root = Path(tempfile.mkdtemp(prefix="gdengine-task-", dir=_scratch()))
    try:
        spec = _unpack(payload, root)
        log = root / "worker.log"
        final = run_worker_process(spec, log, put=lambda event: None)
        if final["event"] != "done":
            raise GdengineError(f"{final['reason'].split(' (log: ')[0]} (on worker {where})")
        out = Path(spec["out_dir"])
        files = {record["file"]: (out / record["file"]).read_bytes() for record in final["files"].values()}
        return {"done": {**final, "worker": where}, "files": files}
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _unpack(payload: Payload, root: Path) -> dict[str, Any]:
    spec = dict(payload["spec"])
    scenes = root / "scenes"
    for name, data in payload["scene_files"].items():
        _write(scenes, name, data)
    recordings = root / "voice" / spec["clip"] / spec["language"]
    for name, data in payload["recordings"].items():
        _write(recordings, name, data)
    voice_cache = root / "cache" / "voice"
    for name, data in payload["voice_lines"].items():
        _write(voice_cache, name, data)
    (root / "out").mkdir()
    return {
        **spec, "file": str(scenes / spec["file"]), "recordings": str(recordings),
        "out_dir": str(root / "out"), "cache_dir": str(root / "cache" / "manim"),
    }  # fmt: skip


def _write(folder: Path, name: str, data: bytes) -> None:
    path = (folder / name).resolve()
    if not path.is_relative_to(folder.resolve()):
        raise GdengineError(f"refused a shipped file outside its folder: {name}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _worker_address() -> str:
    try:
        from distributed import get_worker

        return get_worker().address
    except (ImportError, ValueError):
        return "(not on a worker)"


def _scratch() -> str | None:
    """The Dask worker's own scratch folder (removed with the worker), else the system's."""
    try:
        from distributed import get_worker

        return get_worker().local_directory
    except (ImportError, ValueError):
        return None
