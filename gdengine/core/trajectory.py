"""The result of a descent: recorded arrays, per-particle outcome, metadata; save/load."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import numpy as np

from gdengine.errors import GdengineError

STATUSES = ("converged", "stalled", "diverged", "max_steps")
FIELDS = ("positions", "values", "grads", "updates", "state")
BUFFERS = ("momentum_buffer", "sum", "square_avg", "grad_avg", "exp_avg", "exp_avg_sq",
           "max_exp_avg_sq")


class Trajectory:
    """Arrays of a batched descent (T = steps actually run, B particles, D dimensions).

    positions (T+1, B, D), values (T+1, B), grads (T+1, B, D), updates (T, B, D),
    state {buffer: (T+1, B, D)}; status (B,), stopped_at (B,), basin (B,), final (B, D),
    final_value (B,), meta (dict). Fields left out by ``record`` are absent: reading one
    raises AttributeError naming what was recorded.
    """

    def __init__(self, arrays: dict, status, stopped_at, basin, final, final_value, meta):
        self._arrays = dict(arrays)
        self.status = np.asarray(status, dtype="<U9")
        self.stopped_at = np.asarray(stopped_at, dtype=np.int64)
        self.basin = np.asarray(basin, dtype=np.int64)
        self.final = np.asarray(final, dtype=float)
        self.final_value = np.asarray(final_value, dtype=float)
        self.meta = meta

    def __getattr__(self, name):
        arrays = self.__dict__.get("_arrays", {})
        if name in arrays:
            return arrays[name]
        if name == "state":
            buf = {k[6:]: v for k, v in arrays.items() if k.startswith("state.")}
            if buf or "state" in self.recorded:
                return buf
        if name in FIELDS:
            raise AttributeError(
                f"Trajectory.{name} was not recorded (recorded: {', '.join(self.recorded)}); "
                f"pass record='all' or include {name!r}"
            )
        raise AttributeError(name)

    @property
    def recorded(self) -> tuple[str, ...]:
        rec = self.__dict__.get("meta", {}).get("record", "all")
        return tuple(FIELDS) if rec == "all" else tuple(rec)

    @property
    def T(self) -> int:
        """Number of steps run (the longest particle's update count)."""
        return int(self.meta["T"])

    @property
    def B(self) -> int:
        return len(self.status)

    @property
    def D(self) -> int:
        return self.final.shape[1]

    def __len__(self) -> int:
        return self.B

    def __repr__(self) -> str:
        counts = {s: int((self.status == s).sum()) for s in STATUSES if (self.status == s).any()}
        return (f"Trajectory({self.meta.get('landscape', {}).get('name')}, "
                f"{self.meta.get('optimizer', {}).get('name')}, T={self.T}, B={self.B}, "
                f"D={self.D}, {counts})")

    # -- persistence ------------------------------------------------------------------
    def _payload(self) -> dict:
        out = {f"a.{k}": v for k, v in self._arrays.items()}
        out.update(status=self.status, stopped_at=self.stopped_at, basin=self.basin,
                   final=self.final, final_value=self.final_value,
                   meta=np.array(json.dumps(self.meta, sort_keys=True, allow_nan=False)))
        return out

    def save(self, path) -> Path:
        """Write one ``.npz`` (arrays plus the JSON metadata as ``meta``); atomic."""
        path = Path(path)
        if path.suffix != ".npz":
            path = path.with_name(path.name + ".npz")
        path.parent.mkdir(parents=True, exist_ok=True)
        buf = io.BytesIO()
        np.savez(buf, **self._payload())
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(buf.getvalue())
        os.replace(tmp, path)
        return path

    @classmethod
    def load(cls, path) -> "Trajectory":
        """Read a file written by ``save``; exact round trip."""
        try:
            with np.load(Path(path), allow_pickle=False) as z:
                data = {k: z[k] for k in z.files}
            meta = json.loads(str(data.pop("meta")))
            arrays = {k[2:]: v for k, v in data.items() if k.startswith("a.")}
            return cls(arrays, data["status"], data["stopped_at"], data["basin"],
                       data["final"], data["final_value"], meta)
        except FileNotFoundError:
            raise
        except Exception as err:  # truncated or foreign file
            raise GdengineError(f"cannot read trajectory {path}: {err}") from None

    def __eq__(self, other):
        if not isinstance(other, Trajectory):
            return NotImplemented
        a, b = self._payload(), other._payload()
        return a.keys() == b.keys() and all(
            a[k].dtype == b[k].dtype and np.array_equal(a[k], b[k]) for k in a)

    __hash__ = None
