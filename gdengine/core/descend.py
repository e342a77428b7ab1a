"""Batched descent: B particles, one Python loop over steps, preallocated (T+1, B, D) arrays."""

from __future__ import annotations

import math
import numbers

import numpy as np

from gdengine.core import cache as _cache
from gdengine.core.landscapes import Landscape
from gdengine.core.lookup import landscape as _landscape
from gdengine.core.optimizers import Optimizer, optimizer as _optimizer
from gdengine.core.trajectory import BUFFERS, FIELDS, Trajectory
from gdengine.errors import GdengineError

ORDERS = ("shuffle", "cycle")
BACKENDS = ("auto", "numpy", "numba")


def as_starts(starts, dim: int) -> np.ndarray:
    """Starts as a finite (B, D) float array (a scalar or (B,) is accepted when D = 1)."""
    try:
        X = np.array(starts, dtype=float)
    except (TypeError, ValueError):
        raise GdengineError(f"starts must be numbers, got {starts!r}") from None
    if dim == 1 and X.ndim <= 1:
        X = X.reshape(-1, 1)
    elif X.ndim == 1 and X.shape[0] == dim:
        X = X.reshape(1, dim)
    if X.ndim != 2 or X.shape[1] != dim or X.shape[0] == 0:
        raise GdengineError(
            f"starts must have shape (B, {dim}) for a {dim}-D landscape, got {np.shape(starts)}"
        )
    if not np.all(np.isfinite(X)):
        raise GdengineError("starts must be finite (got NaN or inf)")
    return X


def _normalize_record(record):
    if record == "all" or record is None:
        return "all"
    if isinstance(record, str):
        record = (record,)
    out = []
    for r in record:
        if r not in FIELDS and r not in BUFFERS:
            raise GdengineError(
                f"unknown record field {r!r}; valid: 'all' or any of {', '.join(FIELDS + BUFFERS)}"
            )
        if r not in out:
            out.append(r)
    return tuple(out)


def _check_number(name, v, *, positive=False, allow_none=True):
    if v is None and allow_none:
        return None
    if isinstance(v, bool) or not isinstance(v, numbers.Real) or not math.isfinite(v):
        raise GdengineError(f"{name} must be a finite number or None, got {v!r}")
    if positive and v <= 0:
        raise GdengineError(f"{name} must be > 0, got {v!r}")
    return float(v)


def descend(
    landscape,
    optimizer,
    starts,
    steps: int = 1000,
    tol: float | None = None,
    stop_loss: float | None = None,
    record="all",
    cache=False,
    *,
    batch_size: int | None = None,
    seed: int = 0,
    order: str = "shuffle",
    backend: str = "auto",
) -> Trajectory:
    """Run ``optimizer`` on ``landscape`` from every row of ``starts`` for at most ``steps``.

    A particle stops when the (full) gradient norm at its point is below ``tol``, or when its
    (full-data) loss is below ``stop_loss``: "converged" at a known minimum (anywhere on a
    landscape whose minima are not known, such as a network's loss; or on reaching
    ``stop_loss``), "stalled" elsewhere. Non-finite values or leaving ``landscape.limits``
    freeze it at its last finite state, "diverged". Otherwise "max_steps". Data landscapes
    draw mini-batches of ``batch_size`` samples (``order`` "shuffle" or "cycle", ``seed``).
    ``cache=True`` (or a directory) reuses a stored result for identical inputs.
    """
    land = _landscape(landscape) if isinstance(landscape, str) else landscape
    if not isinstance(land, Landscape):
        raise GdengineError(f"landscape must be a name or a Landscape, got {landscape!r}")
    opt = _optimizer(optimizer) if isinstance(optimizer, str) else optimizer
    if not isinstance(opt, Optimizer):
        raise GdengineError(f"optimizer must be a name or an Optimizer, got {optimizer!r}")
    X0 = as_starts(starts, land.dim)
    B = X0.shape[0]
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 0:
        raise GdengineError(f"steps must be an integer >= 0, got {steps!r}")
    steps = int(steps)
    tol = _check_number("tol", tol, positive=True)
    stop_loss = _check_number("stop_loss", stop_loss)
    record = _normalize_record(record)
    pb = opt.per_particle()
    if pb is not None and pb != B:
        raise GdengineError(
            f"per-particle hyper-parameters have length {pb} but there are {B} starts"
        )
    if order not in ORDERS:
        raise GdengineError(f"unknown order {order!r}; valid choices: {', '.join(ORDERS)}")
    if backend not in BACKENDS:
        raise GdengineError(f"unknown backend {backend!r}; valid choices: {', '.join(BACKENDS)}")
    if batch_size is not None:
        if not land.is_data:
            raise GdengineError(
                f"batch_size applies to data landscapes only; {land.name!r} is not one")
        if (isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral)
                or not 1 <= batch_size <= land.n_samples):
            raise GdengineError(
                f"batch_size must be an integer in [1, {land.n_samples}] or None, got {batch_size!r}")
        batch_size = int(batch_size)
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise GdengineError(f"seed must be an integer, got {seed!r}")

    inputs = {
        "landscape": land.spec, "optimizer": opt.spec, "starts": X0.tolist(), "steps": steps,
        "tol": tol, "stop_loss": stop_loss, "record": record if record == "all" else list(record),
        "batch_size": batch_size, "seed": int(seed), "order": order,
    }
    key = directory = None
    if cache:
        directory = _cache.cache_dir() if cache is True else cache
        key = _cache.cache_key({**inputs, "landscape_key": land.cache_token(),
                                "optimizer_key": opt.spec})
        hit = _cache.lookup(key, directory)
        if hit is not None:
            return hit

    use_numba = False
    if backend != "numpy":
        from gdengine.core import kernels

        why = kernels.unsupported(land, opt, batch_size)
        if backend == "numba" and why:
            raise GdengineError(f"backend 'numba' cannot run this: {why}")
        use_numba = not why and (backend == "numba" or B * steps >= kernels.AUTO_THRESHOLD)
    if use_numba:
        arrays, out = kernels.run(land, opt, X0, steps, tol, stop_loss, record)
    else:
        arrays, out = _run_numpy(land, opt, X0, steps, tol, stop_loss, record,
                                 batch_size, int(seed), order)
    status, stopped_at, final, final_value, T = out
    basin = basins(land, final)
    basin[status == "diverged"] = -1
    stalled = (status == "stalled") & ((basin >= 0) | (not land.minima_known))
    status[stalled] = "converged"
    meta = {**inputs, "T": int(T), "engine": {"version": _cache.ENGINE_VERSION,
                                              "source": _cache.engine_hash()[:16]},
            "backend": "numba" if use_numba else "numpy"}
    traj = Trajectory(arrays, status, stopped_at, basin, final, final_value, meta)
    if cache:
        _cache.store(key, directory, traj)
    return traj


def basins(land: Landscape, X) -> np.ndarray:
    """Index into ``land.known_minima`` (global, then local) of the minimum within
    ``land.basin_radius`` of each point, or -1."""
    X = np.asarray(X, dtype=float).reshape(-1, land.dim)
    known = land.known_minima
    if len(known) == 0:
        return np.full(len(X), -1, dtype=np.int64)
    with np.errstate(all="ignore"):
        d = np.linalg.norm(X[:, None, :] - known[None, :, :], axis=2)
    i = np.argmin(np.where(np.isfinite(d), d, np.inf), axis=1)
    near = d[np.arange(len(X)), i] <= land.basin_radius
    return np.where(near, i, -1).astype(np.int64)


def _sampler(land, batch_size, seed, order):
    """Yields the sample indices (k,) of each draw; shared by all particles."""
    n = land.n_samples
    if order == "cycle":
        pos = 0
        while True:
            yield (pos + np.arange(batch_size)) % n
            pos = (pos + batch_size) % n
    rng = np.random.default_rng(seed)
    stream = np.empty(0, dtype=np.int64)
    while True:
        while len(stream) < batch_size:
            stream = np.concatenate([stream, rng.permutation(n)])
        yield stream[:batch_size]
        stream = stream[batch_size:]


def _run_numpy(land, opt, X0, steps, tol, stop_loss, record, batch_size, seed, order):
    """The reference implementation (every other backend is tested against it)."""
    B, D = X0.shape
    want = (lambda f: True) if record == "all" else (lambda f: f in record)
    buffers = [b for b in opt.buffers if want("state") or want(b)]
    arrays = {}
    if want("positions"):
        arrays["positions"] = np.empty((steps + 1, B, D))
    if want("values"):
        arrays["values"] = np.empty((steps + 1, B))
    if want("grads"):
        arrays["grads"] = np.empty((steps + 1, B, D))
    if want("updates"):
        arrays["updates"] = np.empty((steps, B, D))
    for b in buffers:
        arrays["state." + b] = np.empty((steps + 1, B, D))

    lo, hi = np.asarray(land.limits).T
    stochastic = batch_size is not None
    draws = _sampler(land, batch_size, seed, order) if stochastic else None

    def evaluate(X):
        F, G = land.value_and_grad(X)
        if stochastic:
            Gfull = G
            G = land.grad(X, next(draws))
            return F, G, Gfull
        return F, G, G

    def finite_ok(X, F, G, Gfull):
        return (np.isfinite(X).all(1) & np.isfinite(F) & np.isfinite(G).all(1)
                & np.isfinite(Gfull).all(1) & ((X >= lo) & (X <= hi)).all(1))

    status = np.full(B, "max_steps", dtype="<U9")
    stopped_at = np.full(B, steps, dtype=np.int64)
    active = np.ones(B, dtype=bool)

    with np.errstate(all="ignore"):
        X = X0.copy()
        state = opt.init(X)
        F, G, Gfull = evaluate(X)
        bad = ~finite_ok(X, F, G, Gfull)
        if bad.any():  # a start where the function itself is not finite
            status[bad], stopped_at[bad], active[bad] = "diverged", 0, False
            # recorded as the nearest finite numbers (±max float, NaN → 0)
            F, G, Gfull = np.nan_to_num(F), np.nan_to_num(G), np.nan_to_num(Gfull)

        def write(t):
            if "positions" in arrays:
                arrays["positions"][t] = X
            if "values" in arrays:
                arrays["values"][t] = F
            if "grads" in arrays:
                arrays["grads"][t] = G
            for b in buffers:
                arrays["state." + b][t] = _buffer(state, b, X)

        def check_stop(t):
            hit = np.zeros(B, dtype=bool)
            if tol is not None:
                hit |= active & (np.sqrt((Gfull * Gfull).sum(1)) < tol)
                status[hit] = "stalled"  # becomes "converged" near a known minimum
            if stop_loss is not None:
                by_loss = active & (F < stop_loss)
                status[by_loss] = "converged"
                hit |= by_loss
            stopped_at[hit] = t
            active[hit] = False

        write(0)
        T = steps
        for t in range(steps):
            check_stop(t)
            if not active.any():
                T = t
                break
            U, new_state = opt.update(G, state, X)
            Xn = X + U
            Fn, Gn, Gfn = evaluate(Xn)
            ok = finite_ok(Xn, Fn, Gn, Gfn) & _state_finite(new_state, B)
            died = active & ~ok
            status[died], stopped_at[died] = "diverged", t
            active &= ok
            if active.all():
                X, F, G, Gfull, state = Xn, Fn, Gn, Gfn, new_state
            else:
                m = active[:, None]
                X = np.where(m, Xn, X)
                F = np.where(active, Fn, F)
                G = np.where(m, Gn, G)
                Gfull = np.where(m, Gfn, Gfull)
                U = np.where(m, U, 0.0)
                state = _where_state(active, new_state, state)
            if "updates" in arrays:
                arrays["updates"][t] = U
            write(t + 1)
        else:
            check_stop(steps)

    if T < steps:
        arrays = {k: v[: T + (0 if k == "updates" else 1)].copy() for k, v in arrays.items()}
    return arrays, (status, stopped_at, X.copy(), F.copy(), T)


def _buffer(state, name, X):
    v = getattr(state, name, None)
    return np.zeros_like(X) if v is None else v


def _state_finite(state, B):
    ok = np.ones(B, dtype=bool)
    for v in state:
        if isinstance(v, np.ndarray) and v.ndim == 2 and v.shape[0] == B:
            ok &= np.isfinite(v).all(1)
    return ok


def _where_state(active, new, old):
    m = active[:, None]
    return type(new)(*(
        np.where(m, a, b) if isinstance(a, np.ndarray) and a.ndim == 2 and b is not None else a
        for a, b in zip(new, old)
    ))
