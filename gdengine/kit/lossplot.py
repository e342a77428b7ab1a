"""Loss-versus-step plot synchronised with the balls, and a step counter.

The plot maps (step, loss) through a ``CoordinateBox`` and replays each run's curve with the
same ``Trace`` machinery as the paths on the map (static history + live stretch, honest
clipping), so a five-run race costs the same per frame at step 500 as at step 10.

Log scale plots the *gap to the minimum*, ``f − f*`` (the landscape's ``min_value``), which
is what "converging" means on a log axis; where the minimum is unknown or the loss can fall
without bound (saddles), the plot is linear. ``loss_axis`` works the ranges out from the
engine's values.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from manim import VGroup

from gdengine.errors import GdengineError
from gdengine.kit.plane import CoordinateBox
from gdengine.kit.playback import StepClock
from gdengine.kit.text import READOUT_SIZE, Readout
from gdengine.kit.traces import Trace

LOSS_SCALES = ("auto", "linear", "log")


def loss_axis(values: np.ndarray, min_value: float | None = None, scale: str = "auto",
              decades: float = 8.0, floor: float | None = None):
    """(y values to plot (T+1, B), y_range, scale) for loss ``values`` (T+1, B).

    Log: ``f − f*`` with ``f*`` the known minimum (else the smallest value seen), range from
    the largest starting gap down at most ``decades`` decades, values below it pinned to the
    floor. Linear: from the smallest value (but not below ``floor``, e.g. the lowest value
    on the map, so a run escaping down a saddle does not squash the others) to the largest
    starting value, with a margin.
    """
    if scale not in LOSS_SCALES:
        raise GdengineError(f"unknown loss scale {scale!r}; valid choices: {', '.join(LOSS_SCALES)}")
    v = np.asarray(values, dtype=float)
    if v.ndim == 1:
        v = v[:, None]
    if scale == "auto":
        scale = "log" if min_value is not None else "linear"
    if scale == "log":
        floor_value = float(np.min(v)) if min_value is None else float(min_value)
        gap = v - floor_value
        top = float(np.max(gap[0])) if np.max(gap[0]) > 0 else float(np.max(gap))
        if not top > 0:
            raise GdengineError("every loss equals the minimum; nothing to plot on a log axis")
        hi = 10 ** math.ceil(math.log10(top) + 0.05)
        smallest = gap[gap > 0].min() if (gap > 0).any() else hi * 10**-decades
        lo = 10 ** max(math.floor(math.log10(smallest)), math.log10(hi) - decades)
        return np.maximum(gap, lo), (lo, hi), scale
    lo, hi = float(np.min(v)), float(np.max(v[0]))
    if floor is not None:
        lo = max(lo, float(floor))
    if not hi > lo:
        hi = float(np.max(v))
    if not hi > lo:
        hi = lo + 1.0
    pad = 0.06 * (hi - lo)
    return v, (lo - pad, hi + pad), scale


def per_run(clock, n: int) -> list:
    """One clock per run: ``clock`` itself for all ``n``, or a sequence of ``n`` clocks (runs
    replayed one after the other)."""
    if isinstance(clock, Sequence):
        if len(clock) != n:
            raise GdengineError(f"give one clock per run: {len(clock)} clocks for {n} runs")
        return list(clock)
    return [clock] * n


class LossPlot(VGroup):
    """Loss against step for several runs (``values`` (T+1, B)), replayed by ``clock`` (or a
    sequence of clocks, one per run, to replay runs one after the other).

    ``curves`` holds one ``Trace`` per run (a small head dot instead of a ball, stop markers as
    on the map). Add ``static`` before ``live`` (or use the plot's ``box`` as a plain child).
    """

    def __init__(
        self,
        values: np.ndarray,
        clock: StepClock | Sequence[StepClock],
        colors: Sequence,
        *,
        min_value: float | None = None,
        scale: str = "auto",
        steps: int | None = None,
        width: float = 5.0,
        height: float = 2.2,
        stop_steps: Sequence[int] | None = None,
        statuses: Sequence[str] | None = None,
        y_label: str | None = None,
        x_label: str | None = "step",
        floor: float | None = None,
        dashes: Sequence | None = None,
        loss_word: str = "loss",
    ):
        super().__init__()
        values = np.asarray(values, dtype=float)
        if values.ndim == 1:
            values = values[:, None]
        self.values = values
        y, y_range, self.y_scale = loss_axis(values, min_value, scale, floor=floor)
        T = values.shape[0] - 1 if steps is None else int(steps)
        if y_label is None:
            y_label = "f − f*" if self.y_scale == "log" and min_value is not None else loss_word
        self.box = CoordinateBox((0, max(T, 1)), y_range, width=width, height=height,
                                 y_scale=self.y_scale, x_label=x_label, y_label=y_label,
                                 y_label_on_top=True)
        self.add(self.box)
        steps_axis = np.arange(values.shape[0], dtype=float)
        clocks = per_run(clock, values.shape[1])
        self.curves = []
        for b in range(values.shape[1]):
            pts = self.box.c2p(np.column_stack([steps_axis, y[:, b]]))
            self.curves.append(Trace(
                pts, clocks[b], self.box.scene_box(), colors[b], width=2.5, tail=0,
                base_opacity=1.0, ball_radius=0.045, show_start=False,
                stop_step=None if stop_steps is None else int(stop_steps[b]),
                status="max_steps" if statuses is None else str(statuses[b]),
                anchor=self.box.frame, dash=None if dashes is None else dashes[b],
            ))
        self.static = VGroup(self.box, *[c.static for c in self.curves])
        self.live = VGroup(*[c.live for c in self.curves])

    def freeze(self, step: int) -> None:
        for c in self.curves:
            c.freeze(step)


def loss_plot_for(runs, clock: StepClock, colors: Sequence, min_value=None, **kwargs) -> LossPlot:
    """A ``LossPlot`` of engine trajectories (one particle each, or the first of each)."""
    T = max(r.T for r in runs)
    values = np.stack([_padded(r.values[:, 0], T) for r in runs], axis=1)
    return LossPlot(values, clock, colors, min_value=min_value,
                    stop_steps=[int(r.stopped_at[0]) for r in runs],
                    statuses=[str(r.status[0]) for r in runs], **kwargs)


def _padded(v: np.ndarray, T: int) -> np.ndarray:
    """A run that stopped early repeats its last value up to step T (as the engine freezes)."""
    if len(v) > T:
        return v[: T + 1]
    return np.concatenate([v, np.full(T + 1 - len(v), v[-1])])


def padded_positions(traj, T: int) -> np.ndarray:
    """positions (T'+1, B, D) extended to (T+1, B, D) by repeating the final rows."""
    p = traj.positions
    if len(p) > T:
        return p[: T + 1]
    return np.concatenate([p, np.repeat(p[-1:], T + 1 - len(p), axis=0)])


def step_counter(clock: StepClock, label_src: str = "step", size: float = READOUT_SIZE,
                 last: int | None = None) -> Readout:
    """A read-out of the whole step number (capped at ``last``, the engine's update count)."""

    def value() -> str:
        s = int(math.floor(clock.s + 1e-9))
        return str(s if last is None else min(s, int(last)))

    return Readout(label_src, value, label_is_math=False, size=size)


__all__ = ["LossPlot", "loss_axis", "loss_plot_for", "padded_positions", "per_run", "step_counter"]
