"""Regression panel: the data points and, for each run, the model its current weights define.

``RegressionPanel`` draws a data landscape's samples (``land.data.x``, ``land.data.y``) in a
``CoordinateBox`` and one fitted line or curve per run, recomputed from the run's weights at
the clock's step through ``land.predict`` (the engine's own model, so a line for
``linear_regression`` and a parabola for ``quadratic_fit`` come out of the same code). Between
iterates the weights are interpolated, like every other replayed quantity. Beside it the same
runs are usually shown as paths on the loss contour (``RaceView``) and as loss curves.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import Dot, VGroup, VMobject

from gdengine.kit import palette
from gdengine.kit.lossplot import per_run
from gdengine.kit.plane import CoordinateBox
from gdengine.kit.playback import StepClock, interpolate_rows
from gdengine.lint.roles import DATA, mark


def data_ranges(land, margin: float = 0.08):
    """x and y ranges that hold every sample with a margin."""
    x, y = np.asarray(land.data.x, dtype=float), np.asarray(land.data.y, dtype=float)
    (x0, x1), (y0, y1) = (x.min(), x.max()), (y.min(), y.max())
    dx, dy = max(x1 - x0, 1e-9) * margin, max(y1 - y0, 1e-9) * margin
    return (x0 - dx, x1 + dx), (y0 - dy, y1 + dy)


class FitCurve(VMobject):
    """The model of one run at the clock's step, clipped to the box (a polyline of ``n`` points)."""

    def __init__(self, land, weights: np.ndarray, clock: StepClock, box: CoordinateBox, color,
                 n: int = 48, width: float = 4.0):
        super().__init__(stroke_color=color, stroke_width=width)
        self.land, self.weights, self.clock, self.box = land, np.asarray(weights, dtype=float), clock, box
        self.xs = np.linspace(*box.ranges[0], n)
        self.add_updater(lambda m: m.refresh())
        self.refresh()

    def weights_at(self, s: float) -> np.ndarray:
        return interpolate_rows(self.weights, s)

    def predictions(self, s: float | None = None) -> np.ndarray:
        """Model outputs at ``xs`` for the weights at step ``s`` (default: the clock's)."""
        w = self.weights_at(self.clock.s if s is None else s)
        return np.asarray(self.land.predict(w[None, :], self.xs))[0]

    def refresh(self) -> None:
        y = self.predictions()
        lo, hi = self.box.ranges[1]
        pts = self.box.c2p(np.column_stack([self.xs, np.clip(y, lo, hi)]))
        inside = (y >= lo) & (y <= hi)
        pts = pts[inside] if inside.sum() >= 2 else pts[:0]
        if len(pts) < 2:
            self.clear_points()
            return
        a, b = pts[:-1], pts[1:]
        self.set_points(np.stack([a, a + (b - a) / 3, a + 2 * (b - a) / 3, b], axis=1).reshape(-1, 3))


class RegressionPanel(VGroup):
    """Data (static) and one ``FitCurve`` per run (live): ``static``/``live`` layers."""

    def __init__(
        self,
        land,
        weights: Sequence[np.ndarray],
        colors: Sequence,
        clock: StepClock | Sequence[StepClock],
        *,
        width: float = 5.0,
        height: float = 3.5,
        x_range=None,
        y_range=None,
        x_label: str = "x",
        y_label: str = "y",
        dot_radius: float = 0.035,
        line_width: float = 4.0,
        dots_on_top: bool = False,
        n_ticks: int = 3,
    ):
        super().__init__()
        xr, yr = data_ranges(land)
        self.box = CoordinateBox(x_range or xr, y_range or yr, width=width, height=height,
                                 x_label=x_label, y_label=y_label, n_ticks=n_ticks)
        pts = self.box.c2p(np.column_stack([land.data.x, land.data.y]))
        self.dots = VGroup(*[Dot(p, radius=dot_radius, color=palette.FOREGROUND, fill_opacity=0.7)
                             for p in pts])
        clocks = per_run(clock, len(weights))
        self.curves = VGroup(*[FitCurve(land, w, k, self.box, c, width=line_width)
                               for w, c, k in zip(weights, colors, clocks)])
        for part, name in ((self.dots, "data points"), *((c, "fitted line") for c in self.curves)):
            part.lint_label = name
            mark(part, DATA)
        # Dots on top: a curve that fits the data exactly would otherwise hide them.
        self.static = VGroup(self.box) if dots_on_top else VGroup(self.box, self.dots)
        self.live = VGroup(self.curves, self.dots) if dots_on_top else self.curves
        self.add(self.box, self.dots)

    def place(self, shift) -> RegressionPanel:
        """Move the panel and its curves together (curves recompute from the box)."""
        self.shift(shift)
        for c in self.curves:
            c.refresh()
        return self
