"""Replaying an engine trajectory: a ``ValueTracker`` over the step index, nothing else.

``Replay(traj, particle)`` holds one particle's recorded arrays and a tracker ``t`` (a float
step index). Everything on screen is a pure function of ``t``: at integer ``t = k`` the
position is exactly the engine's iterate ``k``; between iterates it is interpolated for
display only. No dynamics are computed in updaters, so frames never depend on the frame rate.

Animation time is decoupled from the step count by ``Replay.steps(...)``: one animation that
walks ``t`` from its current value to ``k`` with per-step durations (a number, a sequence or a
function of the step), slow motion on chosen steps, an easing inside each step and a hold at
the end.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
from manim import Animation, UpdateFromAlphaFunc, ValueTracker, linear, smooth

StepTime = float | Sequence[float] | Callable[[int], float]


def shrinking_steps(first: float, last: float, n: int) -> Callable[[int], float]:
    """Per-step duration falling geometrically from ``first`` (step 0) to ``last`` (step n−1):
    slow enough to read the first steps, brisk through the tail."""
    ratio = (last / first) ** (1 / max(n - 1, 1))
    return lambda k: max(last, first * ratio**k)


class Replay:
    """One particle of a ``Trajectory`` and the tracker that replays it."""

    def __init__(self, traj, particle: int = 0):
        self.traj = traj
        self.particle = particle
        self.positions = np.asarray(traj.positions[:, particle, :])  # (T+1, D)
        self.values = np.asarray(traj.values[:, particle])  # (T+1,)
        self.grads = np.asarray(traj.grads[:, particle, :])  # (T+1, D)
        self.updates = np.asarray(traj.updates[:, particle, :])  # (T, D)
        self.status = str(traj.status[particle])
        self.last = int(traj.stopped_at[particle])  # index of the final recorded iterate
        self.tracker = ValueTracker(0.0)

    # --- reading the tracker -------------------------------------------------------------
    @property
    def t(self) -> float:
        return float(self.tracker.get_value())

    @property
    def n_updates(self) -> int:
        """Updates the engine applied before its stop rule fired (or it diverged/ran out)."""
        return self.last

    def index(self) -> int:
        """The iterate shown by read-outs: nearest to ``t`` (exact at integers)."""
        return int(np.clip(np.floor(self.t + 0.5), 0, self.last))

    def completed(self) -> int:
        """Updates fully applied so far (``floor(t)``), for the iteration counter."""
        return int(np.clip(np.floor(self.t + 1e-9), 0, self.last))

    def segment(self) -> tuple[int, float]:
        """(k, s): ``t`` lies between iterates k and k+1 at fraction s in [0, 1]."""
        t = float(np.clip(self.t, 0, self.last))
        k = min(int(np.floor(t)), max(self.last - 1, 0))
        return k, t - k

    def position(self) -> np.ndarray:
        """Display position at ``t`` (D,): engine iterates, linear in between."""
        if self.last == 0:
            return self.positions[0]
        k, s = self.segment()
        return (1 - s) * self.positions[k] + s * self.positions[k + 1]

    def x(self) -> float:
        """1-D shorthand for ``position()[0]``."""
        return float(self.position()[0])

    # engine numbers at the shown iterate (what read-outs display)
    def x_k(self, k: int | None = None) -> float:
        return float(self.positions[self.index() if k is None else k, 0])

    def f_k(self, k: int | None = None) -> float:
        return float(self.values[self.index() if k is None else k])

    def g_k(self, k: int | None = None) -> float:
        return float(self.grads[self.index() if k is None else k, 0])

    def step_k(self, k: int | None = None) -> float:
        """The update the engine applied at iterate k (0 at the last iterate)."""
        k = self.index() if k is None else k
        return float(self.updates[k, 0]) if k < self.last else 0.0

    # --- timing --------------------------------------------------------------------------
    def durations(
        self, k_from: int, k_to: int, step_time: StepTime, slow: Mapping[int, float] | None = None
    ) -> np.ndarray:
        """Seconds for each step k_from → k_to (step k takes ``step_time(k) × slow[k]``)."""
        steps = range(k_from, k_to)
        if callable(step_time):
            base = [float(step_time(k)) for k in steps]
        elif isinstance(step_time, Sequence):
            base = [float(step_time[min(k - k_from, len(step_time) - 1)]) for k in steps]
        else:
            base = [float(step_time)] * len(steps)
        slow = slow or {}
        return np.array([b * float(slow.get(k, 1.0)) for k, b in zip(steps, base)])

    def steps(
        self,
        k_to: int | None = None,
        step_time: StepTime = 0.5,
        slow: Mapping[int, float] | None = None,
        ease: Callable[[float], float] = smooth,
        pace: float = 1.0,
        hold: float = 0.0,
    ) -> Animation:
        """Animation moving ``t`` from its current (integer) value to ``k_to`` (default: the
        last iterate), each step eased and timed by ``step_time``/``slow``, then resting on
        ``k_to`` for ``hold`` seconds; every duration is scaled by ``pace``.
        """
        k_from = int(round(self.t))
        k_to = self.last if k_to is None else int(np.clip(k_to, 0, self.last))
        if k_to <= k_from:
            raise ValueError(f"replay is already at step {k_from}; cannot move to {k_to}")
        seconds = self.durations(k_from, k_to, step_time, slow) * pace
        edges = np.concatenate([[0.0], np.cumsum(seconds)])
        total = float(edges[-1]) + max(hold, 0.0) * pace

        def set_step(tracker: ValueTracker, alpha: float) -> None:
            clock = alpha * total
            if clock >= edges[-1]:
                tracker.set_value(k_to)
                return
            k = int(np.clip(np.searchsorted(edges, clock, side="right") - 1, 0, len(seconds) - 1))
            s = min(max((clock - edges[k]) / seconds[k], 0.0), 1.0)
            tracker.set_value(k_from + k + ease(s))

        return UpdateFromAlphaFunc(self.tracker, set_step, run_time=total, rate_func=linear)

    def total_time(self, k_from: int, k_to: int, step_time: StepTime, slow=None) -> float:
        return float(self.durations(k_from, k_to, step_time, slow).sum())
