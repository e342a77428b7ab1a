"""A 1-D landscape drawn on axes, and the screen geometry that rests things on it.

``CurvePlot`` bundles ``Axes`` (TeX-free tick numbers), the curve of a 1-D engine
``Landscape`` sampled with the engine's own ``f`` (vectorised, not point by point), and
helpers mapping engine numbers to screen points:

* ``point(x)`` — the curve point (x, f(x)) on screen;
* ``normal(x)`` — the unit normal of the *drawn* curve at x (screen space, pointing up-ish),
  so a ball of radius r rests on the curve at ``point(x) + r * normal(x)``;
* ``inside(x)`` — whether (x, f(x)) lies in the plotted window (for honest clipping).
"""

from __future__ import annotations

import math

import numpy as np
from manim import UP, Axes, VGroup, VMobject

from gdengine.errors import GdengineError
from gdengine.kit import palette
from gdengine.kit.text import axis_config
from gdengine.lint.roles import DATA, mark


def f1(land, x):
    """f at scalar or array ``x`` for a 1-D landscape (engine call, batched)."""
    xs = np.atleast_1d(np.asarray(x, dtype=float))
    values = land.f(xs.reshape(-1, 1))
    return float(values[0]) if np.ndim(x) == 0 else values


def df1(land, x):
    """f′ at scalar or array ``x`` for a 1-D landscape (engine call, batched)."""
    xs = np.atleast_1d(np.asarray(x, dtype=float))
    grads = land.grad(xs.reshape(-1, 1))[:, 0]
    return float(grads[0]) if np.ndim(x) == 0 else grads


def nice_step(span: float, target_ticks: int = 5) -> float:
    """A 1/2/5 × 10^k tick step giving roughly ``target_ticks`` ticks over ``span``."""
    raw = span / max(target_ticks, 1)
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return factor * power
    return 10 * power


def decimals_for(step: float) -> int:
    """Decimals needed to print multiples of ``step`` exactly (0.5 → 1, 2 → 0, 0.25 → 2)."""
    for decimals in range(0, 7):
        if abs(round(step, decimals) - step) < 1e-9 * max(1.0, abs(step)):
            return decimals
    return 6


def padded_range(lo: float, hi: float, pad: float = 0.08) -> tuple[float, float]:
    """[lo, hi] widened by ``pad`` of the span (not below a minimum of exactly 0), with
    ends snapped to the tick grid when the window does not contain 0 (manim counts ticks
    from the window's start in that case)."""
    span = hi - lo or 1.0
    lo2 = lo - pad * span if abs(lo) > 1e-3 * span else 0.0  # a minimum of 0 stays the floor
    hi2 = hi + pad * span
    if lo2 > 0 or hi2 < 0:
        lo2, hi2, _ = nice_range(lo2, hi2)
    return lo2, hi2


def nice_range(lo: float, hi: float, target_ticks: int = 5) -> tuple[float, float, float]:
    """(lo', hi', step) with lo' ≤ lo, hi' ≥ hi on the tick grid."""
    if hi <= lo:
        hi = lo + 1.0
    step = nice_step(hi - lo, target_ticks)
    return math.floor(lo / step + 1e-9) * step, math.ceil(hi / step - 1e-9) * step, step


def make_axes(x_range, y_range, width: float, height: float, x_step=None, y_step=None,
              numbers: tuple[bool, bool] = (True, True)) -> Axes:
    """TeX-free ``Axes`` over the given windows, ticks at 1/2/5 × 10^k, numbers printed with
    the decimals their step needs."""
    (x_lo, x_hi), (y_lo, y_hi) = x_range, y_range
    x_step = x_step or nice_step(x_hi - x_lo, 7)
    y_step = y_step or nice_step(y_hi - y_lo, 6)
    axes = Axes(
        x_range=(x_lo, x_hi, x_step),
        y_range=(y_lo, y_hi, y_step),
        x_length=width,
        y_length=height,
        axis_config=axis_config(),
        x_axis_config={"decimal_number_config": {"num_decimal_places": decimals_for(x_step)}},
        y_axis_config={"decimal_number_config": {"num_decimal_places": decimals_for(y_step)}},
        tips=False,
    )
    if numbers[0]:
        axes.x_axis.add_numbers()
    if numbers[1]:
        axes.y_axis.add_numbers()
    return axes


class PlotWindow(VGroup):
    """Axes over a fixed (x, y) window with the mappings scenes need (see ``CurvePlot``).

    Children: ``axes``. ``to_screen``/``to_screen_many`` map data to scene points,
    ``inside``/``clip_point`` tell and clamp what lies outside the window."""

    def __init__(self, x_range, y_range, width: float = 7.5, height: float = 4.5,
                 x_step=None, y_step=None, numbers: tuple[bool, bool] = (True, True)):
        self.x_bounds = (float(x_range[0]), float(x_range[1]))
        self.y_bounds = (float(y_range[0]), float(y_range[1]))
        self.axes = make_axes(self.x_bounds, self.y_bounds, width, height, x_step, y_step, numbers)
        super().__init__(self.axes)

    # --- data → screen ---------------------------------------------------------
    def units(self) -> tuple[float, float]:
        """Scene units per unit of x and of y."""
        (x_lo, x_hi), (y_lo, y_hi) = self.x_bounds, self.y_bounds
        origin = self.axes.c2p(x_lo, y_lo)
        return (
            (self.axes.c2p(x_hi, y_lo)[0] - origin[0]) / (x_hi - x_lo),
            (self.axes.c2p(x_lo, y_hi)[1] - origin[1]) / (y_hi - y_lo),
        )

    def to_screen(self, x: float, y: float) -> np.ndarray:
        return np.asarray(self.axes.c2p(x, y), dtype=float)

    def to_screen_many(self, xs, ys) -> np.ndarray:
        """(N, 3) screen points of the coordinate arrays ``xs``, ``ys``."""
        ux, uy = self.units()
        origin = self.to_screen(self.x_bounds[0], self.y_bounds[0])
        xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
        pts = np.zeros((len(xs), 3))
        pts[:, 0] = origin[0] + ux * (xs - self.x_bounds[0])
        pts[:, 1] = origin[1] + uy * (ys - self.y_bounds[0])
        return pts

    def tick_labels(self) -> list:
        """The tick numbers of both axes (each a mobject of its own)."""
        return [n for axis in (self.axes.x_axis, self.axes.y_axis) for n in getattr(axis, "numbers", [])]

    def contains(self, x: float, y: float) -> bool:
        (x_lo, x_hi), (y_lo, y_hi) = self.x_bounds, self.y_bounds
        return bool(x_lo <= x <= x_hi and y_lo <= y <= y_hi)

    def clip_point(self, x: float, y: float) -> np.ndarray:
        """The screen point of (x, y) clamped to the plotted window's border."""
        (x_lo, x_hi), (y_lo, y_hi) = self.x_bounds, self.y_bounds
        return self.to_screen(min(max(x, x_lo), x_hi), min(max(y, y_lo), y_hi))


def outside_view(mobjects, center, width: float, margin: float = 0.05, floor: float = -0.3525,
                 right: float | None = None) -> list:  # fmt: skip
    """Those of ``mobjects`` not wholly inside the title-safe part of a camera view centred
    at ``center`` and ``width`` wide (16:9 frame), above ``floor`` (a fraction of the view's
    height below its centre: by default the top of the caption strip) and left of ``right``
    (a fraction of its width right of its centre, e.g. where a pinned HUD column starts).
    Labels to fade out before the camera zooms there, so none is cut by the frame, hidden
    by the strip or run under a pinned panel."""
    from manim import config

    height = width * config.frame_height / config.frame_width
    x0, x1 = center[0] - (0.5 - margin) * width, center[0] + (0.5 - margin) * width
    if right is not None:
        x1 = min(x1, center[0] + right * width)
    y0, y1 = center[1] + floor * height, center[1] + (0.5 - margin) * height
    out = []
    for mob in mobjects:
        (a, b, _), (c, d, _) = mob.get_corner([-1, -1, 0]), mob.get_corner([1, 1, 0])
        if a < x0 or c > x1 or b < y0 or d > y1:
            out.append(mob)
    return out


class CurvePlot(PlotWindow):
    """Axes plus the curve of a 1-D landscape over ``x_range`` (default: ``land.view``).

    ``y_range`` defaults to the sampled values, padded; ``numbers`` switches the tick
    numbers of the (x, y) axes; tick steps default to 1/2/5 × 10^k."""

    def __init__(
        self,
        land,
        x_range: tuple[float, float] | None = None,
        y_range: tuple[float, float] | None = None,
        width: float = 7.5,
        height: float = 4.5,
        x_step: float | None = None,
        y_step: float | None = None,
        samples: int = 600,
        color=palette.CURVE,
        stroke_width: float = 5,
        numbers: tuple[bool, bool] = (True, True),
    ):
        self.land = land
        x_lo, x_hi = x_range if x_range is not None else land.view[0]
        xs = np.linspace(x_lo, x_hi, samples)
        ys = f1(land, xs)
        if y_range is None:
            y_range = padded_range(float(ys.min()), float(ys.max()))
        super().__init__((x_lo, x_hi), y_range, width, height, x_step, y_step, numbers)
        self.graph = mark(self.sampled_curve(xs, ys, color, stroke_width), DATA)
        self.graph.lint_label = "curve"
        self.add(self.graph)

    # --- drawing -----------------------------------------------------------------------
    def sampled_curve(self, xs, ys, color, stroke_width) -> VGroup:
        """The curve as polylines, broken wherever it leaves the y window (never drawn
        outside the axes)."""
        y_lo, y_hi = self.y_bounds
        visible = (ys >= y_lo) & (ys <= y_hi)
        pieces = VGroup()
        start = None
        for i, ok in enumerate(np.append(visible, False)):
            if ok and start is None:
                start = i
            elif not ok and start is not None:
                if i - start >= 2:
                    piece = VMobject(stroke_color=color, stroke_width=stroke_width)
                    piece.set_points_as_corners(self.to_screen_many(xs[start:i], ys[start:i]))
                    pieces.add(piece)
                start = None
        return pieces

    def point(self, x: float) -> np.ndarray:
        return self.to_screen(x, f1(self.land, x))

    def normal(self, x: float) -> np.ndarray:
        """Unit normal of the drawn curve at x (screen space, upward side)."""
        ux, uy = self.units()
        tangent = np.array([ux, uy * df1(self.land, x), 0.0])
        tangent /= np.linalg.norm(tangent)
        return np.array([-tangent[1], tangent[0], 0.0])

    def tangent_direction(self, x: float) -> np.ndarray:
        ux, uy = self.units()
        direction = np.array([ux, uy * df1(self.land, x), 0.0])
        return direction / np.linalg.norm(direction)

    def resting_point(self, x: float, radius: float) -> np.ndarray:
        """Centre of a ball of ``radius`` resting on the curve at x."""
        return self.point(x) + radius * self.normal(x)

    def inside(self, x: float, y: float | None = None) -> bool:
        return self.contains(x, f1(self.land, x) if y is None else y)


# --- layout helpers for 1-D plots ----------------------------------------------------------
def axis_at_bottom(plot: PlotWindow) -> PlotWindow:
    """Move the x axis (line, ticks, numbers) to the bottom edge of the window, so tick numbers
    sit under the plot instead of on a curve that crosses y = 0 (and 0 has its number). Manim's
    ``c2p`` measures y from the x axis's own origin, so the mapping is unchanged (checked)."""
    probe = plot.to_screen(plot.x_bounds[1], plot.y_bounds[1])
    axis = plot.axes.x_axis
    number_zero(axis)  # off the y axis, 0 gets its number too
    axis.shift((plot.to_screen(plot.x_bounds[0], plot.y_bounds[0])[1] - axis.get_start()[1]) * UP)
    if not np.allclose(plot.to_screen(plot.x_bounds[1], plot.y_bounds[1]), probe):
        raise GdengineError("axis_at_bottom: moving the x axis changed the plot's mapping")
    return plot


def number_zero(axis) -> None:
    """Give 0 its tick and number too (manim's ``Axes`` leave both out where the axes cross)."""
    numbers = getattr(axis, "numbers", None)
    if numbers is None or not len(numbers) or not axis.x_min < 0 < axis.x_max:
        return
    axis.ticks.add(axis.get_tick(0.0))
    axis.remove(numbers)
    axis.add_numbers(x_values=np.union1d(axis.get_tick_range(), [0.0]), excluding=[])


def hide_y_axis(plot: PlotWindow) -> PlotWindow:
    """Hide the y axis of a 1-D plot (its line at x = 0 would cut through labels; f's values
    are not read off it). Hidden, not removed: manim's mapping uses it."""
    plot.axes.y_axis.set_stroke(opacity=0).set_fill(opacity=0)
    return plot
