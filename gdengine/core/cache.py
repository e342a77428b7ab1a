"""On-disk trajectory cache: key = hash of every input + hash of the engine's own source."""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path

import numpy as np

ENGINE_VERSION = "1"


@lru_cache(maxsize=1)
def engine_hash() -> str:
    """sha256 over the source of every module in ``gdengine/core`` (an edit invalidates)."""
    h = hashlib.sha256(ENGINE_VERSION.encode())
    root = Path(__file__).resolve().parent
    for p in sorted(root.rglob("*.py")):
        h.update(p.relative_to(root).as_posix().encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def cache_dir() -> Path:
    """``$GDENGINE_CACHE_DIR``, else ``.cache/trajectories`` in the nearest parent of the
    working directory that holds a ``pyproject.toml`` (else in the working directory)."""
    env = os.environ.get("GDENGINE_CACHE_DIR")
    if env:
        return Path(env)
    cwd = Path.cwd().resolve()
    for d in (cwd, *cwd.parents):
        if (d / "pyproject.toml").is_file():
            return d / ".cache" / "trajectories"
    return cwd / ".cache" / "trajectories"


def _canon(v):
    if isinstance(v, dict):
        return {str(k): _canon(x) for k, x in sorted(v.items(), key=lambda kv: str(kv[0]))}
    if isinstance(v, (list, tuple)):
        return [_canon(x) for x in v]
    if isinstance(v, np.ndarray):
        return {"__array__": v.dtype.str, "shape": list(v.shape),
                "sha256": hashlib.sha256(np.ascontiguousarray(v).tobytes()).hexdigest()}
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, float):
        return float.hex(v)  # exact, and distinguishes -0.0
    return v


def cache_key(inputs: dict) -> str:
    blob = json.dumps(_canon(inputs), sort_keys=True, default=repr)
    return hashlib.sha256((blob + engine_hash()).encode()).hexdigest()[:40]


def lookup(key: str, directory: Path):
    """The cached Trajectory, or None if absent or unreadable (a bad file is deleted)."""
    from gdengine.core.trajectory import Trajectory

    path = Path(directory) / f"{key}.npz"
    if not path.is_file():
        return None
    try:
        return Trajectory.load(path)
    except Exception:
        try:
            path.unlink()
        except OSError:
            pass
        return None


def store(key: str, directory: Path, traj) -> None:
    try:
        traj.save(Path(directory) / f"{key}.npz")
    except OSError:
        pass  # a read-only tree must not break a render
