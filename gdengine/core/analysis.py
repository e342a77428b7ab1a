"""Reading trajectories: basin labels, 1-D outcome classes, one-batch hyper-parameter sweeps."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from gdengine.core.descend import basins, descend
from gdengine.core.landscapes import Landscape
from gdengine.core.lookup import landscape as _landscape
from gdengine.core.optimizers import hyper_defaults, optimizer as _optimizer
from gdengine.core.trajectory import Trajectory
from gdengine.errors import GdengineError

OUTCOMES = ("converged", "oscillating", "chaotic", "escaped", "diverged")

__all__ = ["OUTCOMES", "TUNE_RATES", "Sweep", "Tuning", "basin_interval", "basins", "classify_1d",
           "nearby_starts", "sweep", "tune_lr"]


def basin_interval(land: Landscape, x0: float) -> tuple[float, float]:
    """The interval of gradient flow around ``x0`` on a 1-D landscape: bounded by the nearest
    local maxima of f on either side (±inf when there is none inside ``land.limits``)."""
    if land.dim != 1:
        raise GdengineError(f"basin_interval needs a 1-D landscape; {land.name!r} is {land.dim}-D")
    lo, hi = land.limits[0]
    width = land.bounds[0][1] - land.bounds[0][0]
    h = width / 4000.0

    def g(x):
        return float(land.grad(np.array([[x]]))[0, 0])

    def edge(direction):
        # walking away from x0, f rises (g has the sign of the direction) until a maximum
        x, gx = float(x0), g(float(x0))
        inside = gx * direction >= 0
        while lo <= x <= hi:
            xn = x + direction * h
            gn = g(xn)
            if inside and gn * direction < 0:  # passed a local maximum between x and xn
                a, b = x, xn
                for _ in range(80):
                    m = 0.5 * (a + b)
                    if g(m) * direction >= 0:
                        a = m
                    else:
                        b = m
                return 0.5 * (a + b)
            inside = inside or gn * direction >= 0
            x, gx = xn, gn
        return direction * np.inf

    return edge(-1.0), edge(+1.0)


def _period(tail: np.ndarray, atol: float, max_period: int) -> int:
    """Smallest p ≤ max_period with |x[t+p] − x[t]| ≤ atol over the tail, else 0."""
    for p in range(1, min(max_period, len(tail) // 2) + 1):
        if np.max(np.abs(tail[p:] - tail[:-p])) <= atol:
            return p
    return 0


def classify_1d(traj: Trajectory, land: Landscape | None = None, *, tail: int | None = None,
                atol: float = 1e-7, max_period: int = 64, details: bool = False):
    """Outcome of each particle of a 1-D run (positions must be recorded):

    - ``diverged``: the engine froze it (non-finite, or far outside the landscape);
    - ``escaped``: its tail leaves the basin it started in (``basin_interval`` of the start);
    - ``converged``: the tail settles on a point (or still contracts monotonically towards it);
    - ``oscillating``: the tail repeats with a period 2..``max_period`` (within ``atol``);
    - ``chaotic``: bounded, inside its basin, and aperiodic.

    The tail is the last ``tail`` positions (default: the last third, at least 16).
    With ``details=True`` also returns ``{"period", "basin_interval", "escaped_at"}``.
    """
    if land is None:
        land = _landscape(traj.meta["landscape"]["name"], **traj.meta["landscape"]["params"])
    if land.dim != 1:
        raise GdengineError(f"classify_1d needs a 1-D run; {land.name!r} is {land.dim}-D")
    P = traj.positions[:, :, 0]
    starts = P[0]
    out = np.empty(traj.B, dtype="<U11")
    period = np.zeros(traj.B, dtype=np.int64)
    escaped_at = np.full(traj.B, -1, dtype=np.int64)
    intervals = {}
    for b in range(traj.B):
        if traj.status[b] == "diverged":
            out[b] = "diverged"
            continue
        x0 = float(starts[b])
        if x0 not in intervals:
            intervals[x0] = basin_interval(land, x0)
        lo, hi = intervals[x0]
        x = P[: int(traj.stopped_at[b]) + 1, b]
        outside = np.flatnonzero((x < lo) | (x > hi))
        if len(outside):
            escaped_at[b] = outside[0]
        n = len(x) if len(x) < 48 else max(16, (len(x) // 3) if tail is None else int(tail))
        t = x[-n:]
        scale = 1.0 + np.max(np.abs(t))
        p = _period(t, atol * scale, max_period) if len(t) >= 2 else 1
        period[b] = p
        if np.any((t < lo) | (t > hi)):
            out[b] = "escaped"
        elif p == 1:
            out[b] = "converged"
        elif p > 1:
            out[b] = "oscillating"
        else:
            d = np.abs(np.diff(t))
            contracting = np.all(d[1:] <= d[:-1] * (1 + 1e-9) + atol * scale)
            out[b] = "converged" if contracting else "chaotic"
            period[b] = 1 if contracting else 0
    if details:
        return out, {"period": period, "escaped_at": escaped_at,
                     "basin_interval": {k: tuple(v) for k, v in intervals.items()}}
    return out


@dataclass
class Sweep:
    """One hyper-parameter swept over ``values`` in a single batched run.

    ``outcome`` (B,) from ``classify_1d`` (1-D) or the run's ``status`` (any D); ``period``;
    ``final`` (B, D); ``basin`` (B,); ``trajectory`` (positions recorded).
    """

    param: str
    values: np.ndarray
    outcome: np.ndarray
    period: np.ndarray
    final: np.ndarray
    basin: np.ndarray
    trajectory: Trajectory = field(repr=False)

    def runs(self) -> list[tuple[str, float, float]]:
        """Contiguous stretches of one outcome: [(outcome, first value, last value), ...]."""
        out, start = [], 0
        for i in range(1, len(self.values) + 1):
            if i == len(self.values) or self.outcome[i] != self.outcome[start]:
                out.append((str(self.outcome[start]), float(self.values[start]),
                            float(self.values[i - 1])))
                start = i
        return out

    def ranges(self) -> dict[str, tuple[float, float]]:
        """Smallest and largest value of each outcome that occurs."""
        return {o: (float(self.values[self.outcome == o].min()),
                    float(self.values[self.outcome == o].max()))
                for o in OUTCOMES + ("max_steps", "stalled") if np.any(self.outcome == o)}

    def representative(self, outcome: str) -> float:
        """The middle value of the longest stretch with this outcome (for a scene to show)."""
        best = max((r for r in self.runs() if r[0] == outcome), default=None,
                   key=lambda r: np.sum((self.values >= r[1]) & (self.values <= r[2])))
        if best is None:
            raise GdengineError(f"no value in this sweep gives {outcome!r}; "
                                f"outcomes present: {', '.join(sorted(set(self.outcome)))}")
        inside = self.values[(self.values >= best[1]) & (self.values <= best[2])]
        return float(inside[len(inside) // 2])

    def bifurcation(self, last: int = 100) -> tuple[np.ndarray, np.ndarray]:
        """(value, position) pairs of the last ``last`` positions of every non-diverged run,
        flattened for a scatter plot (1-D landscapes)."""
        P = self.trajectory.positions[-last:, :, 0]
        keep = self.outcome != "diverged"
        v = np.broadcast_to(self.values[None, :], P.shape)[:, keep]
        return v.ravel(), P[:, keep].ravel()


def sweep(landscape, optimizer, start, param: str = "lr", values=None, steps: int = 3000,
          hyper: dict | None = None, *, tail: int | None = None, atol: float = 1e-7,
          max_period: int = 64, **descend_kw) -> Sweep:
    """Run ``optimizer`` from ``start`` once per value of ``param`` — all in one batch
    (each particle carries its own hyper-parameter) — and classify the outcomes.

    ``param`` is a hyper-parameter name, or ``beta1``/``beta2`` for Adam's betas.
    ``sweep("xcos", "sgd", -1.0, "lr", np.arange(0.01, 0.6, 0.0025))``.
    """
    land = _landscape(landscape) if isinstance(landscape, str) else landscape
    if not isinstance(optimizer, str):
        raise GdengineError("sweep: optimizer must be a name; fixed hyper-parameters go in hyper=")
    values = np.asarray(values, dtype=float).ravel()
    if values.size == 0 or not np.all(np.isfinite(values)):
        raise GdengineError("sweep: values must be a non-empty array of finite numbers")
    B = len(values)
    h = dict(hyper or {})
    valid = hyper_defaults(optimizer)
    if param in ("beta1", "beta2") and "betas" in valid:
        betas = list(h.get("betas", valid["betas"]))
        betas[0 if param == "beta1" else 1] = values
        h["betas"] = tuple(betas)
    elif param in valid and not isinstance(valid[param], bool):
        h[param] = values
    else:
        choices = [k for k, v in valid.items() if not isinstance(v, (bool, tuple))]
        if "betas" in valid:
            choices += ["beta1", "beta2"]
        raise GdengineError(f"sweep: {optimizer!r} has no numeric hyper-parameter {param!r}; "
                            f"valid: {', '.join(choices)}")
    opt = _optimizer(optimizer, **h)
    x0 = np.asarray(start, dtype=float).reshape(1, -1)
    starts = np.repeat(x0, B, axis=0)
    record = descend_kw.pop("record", ("positions",))
    traj = descend(land, opt, starts, steps, record=record, **descend_kw)
    if land.dim == 1:
        outcome, info = classify_1d(traj, land, tail=tail, atol=atol, max_period=max_period,
                                    details=True)
        period = info["period"]
    else:
        outcome, period = traj.status.copy(), np.zeros(B, dtype=np.int64)
    return Sweep(param, values, outcome, period, traj.final, traj.basin, traj)


# --- a fair learning rate per optimizer -------------------------------------------------------
# 64 log-spaced learning rates from 1e-5 to 10 (×1.245 apart), rounded to 2 significant digits
# so a legend's "η tuned: 0.0043" is exactly the rate that ran
TUNE_RATES = np.array([float(f"{v:.1e}") for v in np.logspace(-5, 1, 64)])


@dataclass
class Tuning:
    """The learning rate that gives ``optimizer`` the lowest mean final loss over ``starts``.

    ``rates`` (R,) tried, ``losses`` (R,) the mean final loss of each (inf where any start
    diverged), ``lr`` the winner (ties, within a relative 1e-12 of the best loss, go to the
    smaller rate)."""

    optimizer: str
    lr: float
    rates: np.ndarray
    losses: np.ndarray
    starts: np.ndarray

    @property
    def loss(self) -> float:
        return float(self.losses[np.flatnonzero(self.rates == self.lr)[0]])


def nearby_starts(land: Landscape, start, count: int = 4, spread: float = 0.02) -> np.ndarray:
    """``start`` and ``count`` points around it (± each axis in turn), ``spread`` of the
    view's diagonal away, clipped to the view: the tuning target is the race's start and its
    neighbourhood, so a rate that only works from one exact point does not win."""
    x0 = np.asarray(start, dtype=float).reshape(land.dim)
    lo, hi = np.array(land.view).T
    r = spread * float(np.linalg.norm(hi - lo))
    offsets = [sign * r * np.eye(land.dim)[d] for d in range(land.dim) for sign in (1.0, -1.0)]
    points = [x0] + [np.clip(x0 + o, lo, hi) for o in (offsets * count)[:count]]
    return np.array(points)


def tune_lr(landscape, optimizer: str, start, steps: int, *, hyper: dict | None = None,
            rates=None, nearby: int = 4, spread: float = 0.02, cache=False) -> Tuning:
    """Pick ``optimizer``'s learning rate for a race from ``start`` lasting ``steps`` updates:
    every rate of ``rates`` (default ``TUNE_RATES``) from every one of ``nearby_starts`` in one
    batched run (each particle carries its own rate), scored by the mean final loss. Runs go
    the whole ``steps`` (no stop rule), so the rate that gets lowest fastest wins; a rate
    whose run diverges from any start scores inf. ``cache`` as for ``descend``."""
    land = _landscape(landscape) if isinstance(landscape, str) else landscape
    if not isinstance(optimizer, str):
        raise GdengineError("tune_lr: optimizer must be a name; fixed hyper-parameters go in hyper=")
    rates = TUNE_RATES if rates is None else np.asarray(rates, dtype=float).ravel()
    if rates.size == 0 or not np.all(np.isfinite(rates)) or np.any(rates <= 0):
        raise GdengineError("tune_lr: rates must be positive finite numbers")
    rates = np.sort(rates)
    starts = nearby_starts(land, start, nearby, spread)
    S, R = len(starts), len(rates)
    h = {k: v for k, v in (hyper or {}).items() if k != "lr"}
    opt = _optimizer(optimizer, lr=np.tile(rates, S), **h)
    traj = descend(land, opt, np.repeat(starts, R, axis=0), steps, record=("values",), cache=cache)
    final = np.where(traj.status == "diverged", np.inf, traj.final_value).reshape(S, R)
    losses = final.mean(axis=0)
    best = float(np.min(losses))
    if not np.isfinite(best):
        raise GdengineError(f"tune_lr: {optimizer} diverges at every rate from {starts[0].tolist()} "
                            f"on {land.name!r}; give its learning rate by hand")
    winner = int(np.flatnonzero(losses <= best + 1e-12 * abs(best))[0])
    return Tuning(optimizer, float(rates[winner]), rates, losses, starts)
