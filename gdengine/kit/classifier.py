"""Classifier panel: a 2-D two-class data set and, for each network, its decision boundary at the
clock's step.

``ClassifierPanel`` draws a network landscape's samples (``land.data.x``, labels ``land.data.y``)
in a ``CoordinateBox`` — class 1 as filled dots, class 0 as rings, so the classes differ by
shape as well as shade — and one ``BoundaryCurve`` per run: the line where the network's
predicted probability is ½, traced with contourpy on a grid from ``land.predict`` at the run's
weights (interpolated between iterates like every replayed quantity). The engine computes the
network; the panel only draws where its output crosses ½.
"""

from __future__ import annotations

from collections.abc import Sequence

import contourpy
import numpy as np
from manim import Circle, Dot, VGroup, VMobject

from gdengine.kit import palette
from gdengine.kit.lossplot import per_run
from gdengine.kit.plane import CoordinateBox
from gdengine.kit.playback import StepClock, interpolate_rows
from gdengine.lint.roles import DATA, mark


def data_window(x: np.ndarray, margin: float = 0.12) -> tuple[tuple[float, float], tuple[float, float]]:
    """A window around the points with ``margin`` of the larger side on every side."""
    lo, hi = x.min(axis=0), x.max(axis=0)
    pad = margin * float(np.max(hi - lo))
    return (float(lo[0] - pad), float(hi[0] + pad)), (float(lo[1] - pad), float(hi[1] + pad))


class BoundaryCurve(VMobject):
    """Where one network's P(class 1) = ½ at the clock's step, inside the box."""

    def __init__(self, land, weights: np.ndarray, clock: StepClock, box: CoordinateBox, color,
                 n: int = 56, width: float = 4.0):
        super().__init__(stroke_color=color, stroke_width=width)
        self.land, self.weights, self.clock, self.box = land, np.asarray(weights, float), clock, box
        (x0, x1), (y0, y1) = box.ranges
        self.xs, self.ys = np.linspace(x0, x1, n), np.linspace(y0, y1, n)
        X, Y = np.meshgrid(self.xs, self.ys)
        self.grid = np.column_stack([X.ravel(), Y.ravel()])
        self._at = None
        self.add_updater(lambda m: m.refresh())
        self.refresh()

    def probabilities(self, s: float | None = None) -> np.ndarray:
        """P(class 1) on the grid (n, n) for the weights at step ``s`` (default: the clock's)."""
        w = interpolate_rows(self.weights, self.clock.s if s is None else s)
        return self.land.predict(w[None, :], self.grid)[0].reshape(len(self.ys), len(self.xs))

    def refresh(self) -> None:
        s = self.clock.s
        at = (s, *self.box.c2p(np.zeros(2)).tolist())  # the step and where the box is
        if self._at == at:
            return
        self._at = at
        P = self.probabilities(s)
        lines = contourpy.contour_generator(self.xs, self.ys, P, name="serial").lines(0.5)
        self.clear_points()
        for line in lines:
            if len(line) < 2:
                continue
            pts = self.box.c2p(line)
            a, b = pts[:-1], pts[1:]
            self.append_points(np.stack([a, a + (b - a) / 3, a + 2 * (b - a) / 3, b], axis=1).reshape(-1, 3))


class ClassifierPanel(VGroup):
    """Data (static) and one ``BoundaryCurve`` per run (live): ``static``/``live`` layers."""

    def __init__(self, land, weights: Sequence[np.ndarray], colors: Sequence, clock: StepClock | Sequence[StepClock],
                 *, width: float = 4.0, height: float = 4.0, window=None, dot_radius: float = 0.045,
                 line_width: float = 4.0, n_ticks: int = 3, labels: tuple = ("x₁", "x₂")):
        super().__init__()
        x, y = np.asarray(land.data.x, float), np.asarray(land.data.y, float)
        xr, yr = window or data_window(x)
        self.box = CoordinateBox(xr, yr, width=width, height=height, x_label=labels[0], y_label=labels[1],
                                 n_ticks=n_ticks)
        pts = self.box.c2p(x)
        ones = [Dot(p, radius=dot_radius, color=palette.FOREGROUND, fill_opacity=0.85) for p, c in zip(pts, y) if c > 0.5]
        zeros = [Circle(radius=dot_radius, color=palette.MUTED, stroke_width=1.6).move_to(p)
                 for p, c in zip(pts, y) if c <= 0.5]
        self.dots = VGroup(*ones, *zeros)
        clocks = per_run(clock, len(weights))
        self.curves = VGroup(*[BoundaryCurve(land, w, k, self.box, c, width=line_width)
                               for w, c, k in zip(weights, colors, clocks)])
        for part, name in ((self.dots, "data points"), *((c, "decision boundary") for c in self.curves)):
            part.lint_label = name
            mark(part, DATA)
        self.static = VGroup(self.box, self.dots)
        self.live = self.curves
        self.add(self.box, self.dots)
