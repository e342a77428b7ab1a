"""Fused numba kernel: the whole descent of B particles in one compiled loop.

Same landscapes (the column functions of ``landscapes.py``, compiled for scalars) and the
same optimizer arithmetic as the numpy reference path in ``descend.py``, operation by
operation; ``tests/core/test_kernels.py`` holds it to the reference. Used for built-in
landscapes and optimizers with scalar hyper-parameters when the batch is large (the 3-D
montage: 10,000 starts × 1,000 steps), where one Python-level step per iteration costs more
than the arithmetic. Compiled code is cached on disk, keyed by the engine's source hash.
"""

from __future__ import annotations

import importlib
import math
import os
from pathlib import Path

import numpy as np

L = importlib.import_module("gdengine.core.landscapes")  # (the package attribute is the function)

AUTO_THRESHOLD = 2_000_000  # particle-steps from which "auto" prefers the kernel

# landscape column function -> kernel id (order = the if-chain in _kernel_numba.run)
_FUNCS = (L._parabola, L._cubic, L._xcos, L._sphere, L._himmelblau, L._rosenbrock, L._beale,
          L._booth, L._matyas, L._rastrigin, L._ackley, L._griewank, L._six_hump_camel,
          L._three_hump_camel, L._easom, L._goldstein_price, L._styblinski_tang, L._levi13,
          L._saddle, L._monkey_saddle, L._ravine, L._shallow_local, L._sin_saddle, L._plateau,
          L._elliptic_bowl)
_IDS = {fn: i for i, fn in enumerate(_FUNCS)}
_KINDS = {"sgd": 0, "adagrad": 1, "rmsprop": 2, "adam": 3, "adamw": 3}
_SLOTS = {  # torch buffer name -> kernel state slot, per rule
    0: {"momentum_buffer": 0},
    1: {"sum": 0},
    2: {"square_avg": 0, "grad_avg": 1, "momentum_buffer": 2},
    3: {"exp_avg": 0, "exp_avg_sq": 1, "max_exp_avg_sq": 2},
}

_kernel = None


def unsupported(land, opt, batch_size) -> str:
    """Why the kernel cannot run this case ('' if it can)."""
    if land.is_data or batch_size is not None:
        return "data landscapes use the numpy path"
    if land._fg not in _IDS:
        return f"landscape {land.name!r} has no compiled form"
    if land.dim > 2:
        return "more than two dimensions"
    if opt.kind not in _KINDS or getattr(opt.update, "__module__", "") != "gdengine.core.optimizers":
        return f"optimizer {opt.name!r} is not a built-in rule"
    for k, v in opt.hyper.items():
        for x in (v if k == "betas" else (v,)):
            if np.ndim(x) != 0:
                return "per-particle hyper-parameters use the numpy path"
    if len(land.params) > 2:
        return "too many landscape parameters"
    return ""


def _hyper_vector(opt) -> np.ndarray:
    h = opt.hyper
    kind = _KINDS[opt.kind]
    if kind == 0:
        v = [h["lr"], h["momentum"], h["dampening"], h["weight_decay"], h["nesterov"]]
    elif kind == 1:
        v = [h["lr"], h["lr_decay"], h["weight_decay"], h["initial_accumulator_value"], h["eps"]]
    elif kind == 2:
        v = [h["lr"], h["alpha"], h["eps"], h["weight_decay"], h["momentum"], h["centered"]]
    else:
        b1, b2 = h["betas"]
        v = [h["lr"], b1, b2, h["eps"], h["weight_decay"], h["amsgrad"],
             h.get("bias_correction", True),
             h.get("decoupled_weight_decay", False) or opt.kind == "adamw"]
    return np.array([float(x) for x in v])


def _invalidate_stale_cache() -> None:
    """numba keys its disk cache on this file only; drop it when any engine file changed."""
    from gdengine.core.cache import engine_hash

    pyc = Path(__file__).resolve().parent / "__pycache__"
    marker = pyc / "gdengine-kernels.hash"
    try:
        if marker.is_file() and marker.read_text() == engine_hash():
            return
        pyc.mkdir(exist_ok=True)
        for p in pyc.glob("_kernel_numba.*.nb[ic]"):
            p.unlink()
        marker.write_text(engine_hash())
    except OSError:
        pass


def _build():
    global _kernel
    if _kernel is None:
        _invalidate_stale_cache()
        _kernel = importlib.import_module("gdengine.core._kernel_numba").run
    return _kernel


def _entry(lid, kind, args):
    """The compiled specialisation for (lid, kind): loaded from numba's disk cache or compiled
    for literal (lid, kind) directly, so numba never re-types the generic signature."""
    key = (lid, kind)
    if key not in _entries:
        from numba import typeof, types

        kernel = _build()
        sig = (types.literal(lid), types.literal(kind)) + tuple(typeof(a) for a in args)
        _entries[key] = kernel.compile(sig)
    return _entries[key](lid, kind, *args)


_entries: dict = {}


_STATUS = np.array(["max_steps", "converged", "stalled", "diverged"], dtype="<U9")


def run(land, opt, X0, steps, tol, stop_loss, record):
    """Same contract as ``descend._run_numpy``: (arrays, (status, stopped_at, X, F, T))."""
    B, D = X0.shape
    kind = _KINDS[opt.kind]
    want = (lambda f: True) if record == "all" else (lambda f: f in record)
    none3 = np.empty((0, 0, 0))
    arrays = {}

    def alloc(name, shape, on):
        if on:
            arrays[name] = np.empty(shape)
            return arrays[name]
        return none3 if len(shape) == 3 else np.empty((0, 0))

    pos = alloc("positions", (steps + 1, B, D), want("positions"))
    val = alloc("values", (steps + 1, B), want("values"))
    grd = alloc("grads", (steps + 1, B, D), want("grads"))
    upd = alloc("updates", (steps, B, D), want("updates"))
    slots = [none3, none3, none3]
    for name in opt.buffers:
        if want("state") or want(name):
            slots[_SLOTS[kind][name]] = alloc("state." + name, (steps + 1, B, D), True)
    lo, hi = (np.ascontiguousarray(a, dtype=float) for a in np.asarray(land.limits).T)
    pv = list(land.params.values()) + [0.0, 0.0]
    status = np.empty(B, dtype=np.int8)
    stopped = np.empty(B, dtype=np.int64)
    Xf, Ff = np.empty((B, D)), np.empty(B)
    T = _entry(_IDS[land._fg], kind, (float(pv[0]), float(pv[1]), _hyper_vector(opt),
               np.ascontiguousarray(X0, dtype=float), int(steps),
               -1.0 if tol is None else float(tol),
               math.nan if stop_loss is None else float(stop_loss), lo, hi,
               pos, val, grd, upd, slots[0], slots[1], slots[2], status, stopped, Xf, Ff))
    if T < steps:
        arrays = {k: v[: T + (0 if k == "updates" else 1)].copy() for k, v in arrays.items()}
    return arrays, (_STATUS[status], stopped, Xf, Ff, int(T))


if os.environ.get("GDENGINE_NO_NUMBA"):  # escape hatch: always use the numpy path
    def unsupported(land, opt, batch_size) -> str:  # noqa: F811
        return "GDENGINE_NO_NUMBA is set"
