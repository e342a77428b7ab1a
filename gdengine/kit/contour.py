"""Contour map of any 2-D landscape: filled level bands plus level lines, on real coordinates.

The landscape is sampled once on a grid over its ``view`` (or a window you pass); contourpy
traces the bands and lines, and each band becomes one ``VMobject`` whose holes are
sub-paths of opposite orientation (cairo's non-zero winding rule leaves them empty).

Levels are linear where the values spread evenly and log-spaced above the minimum where the
range is wide (Rosenbrock, Beale: a linear ramp would paint everything but one corner the
same colour). ``contour_levels`` decides; pass ``scale="linear"|"log"`` or ``levels=`` to
override.

The map is static: it has no updaters, so Manim bakes it into the cached background of every
``play`` once and never redraws it per frame.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import contourpy
import numpy as np
from manim import LEFT, RIGHT, UP, Line, ManimColor, Rectangle, Star, VGroup, VMobject

from gdengine.errors import GdengineError
from gdengine import look
from gdengine.kit import palette
from gdengine.kit.plane import CoordinateBox
from gdengine.kit.text import SMALL_SIZE, format_sig, label
from gdengine.lint.roles import IGNORE, mark

LEVEL_SCALES = ("auto", "linear", "log")
# Low loss is dark (a valley reads as depth), high loss light; desaturated, so the optimizer
# colours of balls and paths stay the only saturated things on the map. The ramp is
# ``gdengine.look.CONTOUR_RAMP``: as light at the top as the optimizer colours allow (each
# stays ≥ 15 CIEDE2000 from every band for every viewer; tests/kit/test_palette.py).
LOW_COLOR, HIGH_COLOR = (ManimColor(c) for c in look.CONTOUR_RAMP)
LINE_COLOR = palette.FOREGROUND
LINE_OPACITY = look.CONTOUR_LINE_OPACITY
# "auto" switches to log levels when half of the map lies in the bottom 15 % of the range
# (Rosenbrock: 9 %, Beale: < 1 %; Himmelblau 24 % and quadratic bowls ≈ 40 % stay linear).
LOG_SWITCH = 0.15


def sample_grid(f: Callable, window, resolution: int = 161):
    """Values of ``f`` on a ``resolution × resolution`` grid: (xs, ys, Z) with Z[j, i] = f(xs[i], ys[j])."""
    (x0, x1), (y0, y1) = window
    xs = np.linspace(x0, x1, resolution)
    ys = np.linspace(y0, y1, resolution)
    X, Y = np.meshgrid(xs, ys)
    Z = np.asarray(f(np.column_stack([X.ravel(), Y.ravel()])), dtype=float).reshape(X.shape)
    if not np.isfinite(Z).any():
        raise GdengineError("the landscape is not finite anywhere in the window; pick another window")
    return xs, ys, Z


def contour_levels(Z: np.ndarray, n: int = 14, scale: str = "auto", floor: float | None = None):
    """``n`` increasing level values covering the finite values of ``Z``, and the scale used.

    ``floor`` is the lowest value to anchor log spacing at (the landscape's ``min_value``
    when known; else the grid minimum). Log levels sit at ``floor + geomspace(d, span)``, with
    ``d`` the 0.5 % quantile of ``Z − floor`` so the innermost ring still encloses some grid
    cells. The top level is the 98 % quantile: the last few percent (far corners) share the
    top colour instead of squeezing every other band.
    """
    if scale not in LEVEL_SCALES:
        raise GdengineError(f"unknown level scale {scale!r}; valid choices: {', '.join(LEVEL_SCALES)}")
    if n < 2:
        raise GdengineError(f"need at least 2 contour levels, got {n}")
    z = Z[np.isfinite(Z)]
    lo = float(z.min()) if floor is None else min(float(floor), float(z.min()))
    hi = float(np.quantile(z, 0.98))
    if not hi > lo:
        hi = float(z.max())
    if not hi > lo:
        raise GdengineError("the landscape is flat over the window; nothing to contour")
    if scale == "auto":
        scale = "log" if np.median(z - lo) < LOG_SWITCH * (hi - lo) else "linear"
    if scale == "linear":
        return np.linspace(lo, hi, n + 1)[1:], scale
    d = max(float(np.quantile(z - lo, 0.005)), (hi - lo) * 1e-7)
    return lo + np.geomspace(d, hi - lo, n), scale


def level_colors(n: int, low=LOW_COLOR, high=HIGH_COLOR, positions=None) -> list[ManimColor]:
    """``n`` colours from ``low`` to ``high`` (band i below level i), evenly spaced or at
    ``positions`` (n increasing values in [0, 1])."""
    t = np.linspace(0.0, 1.0, n) if positions is None else np.asarray(positions, dtype=float)
    return [low.interpolate(high, float(v)) for v in t]


def band_positions(Z: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """Where each band's colour sits on the ramp: half its rank, half the share of the map
    lying below it. A map whose area is mostly low (Himmelblau's wide basin) then spreads its
    large bands over the ramp instead of painting most of the frame in the darkest shades; the
    order (and so the colour bar) is unchanged."""
    z = Z[np.isfinite(Z)]
    below = np.array([np.mean(z <= v) for v in levels])
    share = (np.concatenate([[0.0], below]) + np.concatenate([below, [1.0]])) / 2
    rank = np.linspace(0.0, 1.0, len(levels) + 1)
    t = 0.5 * rank + 0.5 * share
    return (t - t[0]) / (t[-1] - t[0])


def polyline_points(rings: Sequence[np.ndarray]) -> np.ndarray:
    """Polylines (each (k, 3), closed or open) → one cubic-Bézier point array (Manim layout, 4 per segment)."""
    parts = []
    for ring in rings:
        if len(ring) < 2:
            continue
        a, b = ring[:-1], ring[1:]
        quad = np.stack([a, a + (b - a) / 3, a + 2 * (b - a) / 3, b], axis=1)
        parts.append(quad.reshape(-1, 3))
    return np.concatenate(parts) if parts else np.zeros((0, 3))


def simplify_polyline(points: np.ndarray, tol: float, passes: int = 4) -> np.ndarray:
    """Drop vertices lying within ``tol`` of the chord between their neighbours.

    Each pass removes at most every other vertex (so errors cannot pile up along a run);
    end points always stay. Contour lines from a fine grid are mostly straight runs, so this
    cuts the curves cairo strokes for every cached background by about two thirds.
    """
    p = np.asarray(points, dtype=float)
    for _ in range(passes):
        if len(p) < 4:
            break
        a, m, b = p[:-2, :2], p[1:-1, :2], p[2:, :2]
        chord = b - a
        length = np.hypot(chord[:, 0], chord[:, 1])
        cross = np.abs(chord[:, 0] * (m[:, 1] - a[:, 1]) - chord[:, 1] * (m[:, 0] - a[:, 0]))
        dist = np.where(length > 0, cross / np.where(length > 0, length, 1.0),
                        np.hypot(*(m - a).T))
        drop = dist < tol
        drop[1::2] = False  # never two neighbours in one pass
        if not drop.any():
            break
        keep = np.ones(len(p), dtype=bool)
        keep[1:-1] = ~drop
        p = p[keep]
    return p


SIMPLIFY_TOL = 0.004  # scene units: a quarter pixel at 480p


class ContourMap(VGroup):
    """Filled contour bands + level lines of ``landscape`` inside a ``CoordinateBox``.

    ``landscape``: an engine ``Landscape`` (or anything with ``f`` and ``view``), or a bare
    callable ``f(X) -> (B,)`` with ``window`` given. Children: ``box`` (frame, ticks and real
    coordinates), ``bands``, ``lines``, ``marks`` (global minima as stars). ``c2p``/``inside``
    delegate to the box. ``levels``/``level_scale`` record what was drawn (tests read them).
    """

    def __init__(
        self,
        landscape,
        *,
        window: Sequence[Sequence[float]] | None = None,
        width: float = 6.0,
        height: float | None = None,
        n_levels: int = 14,
        scale: str = "auto",
        levels: Sequence[float] | None = None,
        resolution: int = 161,
        show_lines: bool = True,
        show_minima: bool = True,
        x_label: str | None = "x",
        y_label: str | None = "y",
        box: CoordinateBox | None = None,
    ):
        super().__init__()
        f = landscape if callable(landscape) and not hasattr(landscape, "f") else landscape.f
        if window is None:
            if not hasattr(landscape, "view"):
                raise GdengineError("ContourMap needs window= for a bare function")
            window = landscape.view
        window = tuple(tuple(float(v) for v in pair) for pair in window)
        if len(window) != 2:
            raise GdengineError(f"ContourMap needs a 2-D window ((x0, x1), (y0, y1)), got {window!r}")
        if height is None:  # keep data aspect unless it is extreme
            aspect = (window[1][1] - window[1][0]) / (window[0][1] - window[0][0])
            height = width * float(np.clip(aspect, 0.5, 1.6))
        self.window = window
        self.box = box or CoordinateBox(window[0], window[1], width=width, height=height,
                                        x_label=x_label, y_label=y_label,
                                        n_ticks=int(np.clip(min(width, height) / 1.1, 2, 4)))
        xs, ys, Z = sample_grid(f, window, resolution)
        self.grid = (xs, ys, Z)
        floor = getattr(landscape, "min_value", None)
        if levels is not None:
            self.levels = np.sort(np.asarray(levels, dtype=float))
            self.level_scale = "given"
        else:
            self.levels, self.level_scale = contour_levels(Z, n_levels, scale, floor)
        self.bands = self._make_bands(xs, ys, Z)
        self.lines = self._make_lines(xs, ys, Z) if show_lines else VGroup()
        self.marks = VGroup()
        if show_minima and hasattr(landscape, "minima"):
            for m in np.asarray(landscape.minima).reshape(-1, 2):
                if self.box.inside(m):
                    self.marks.add(Star(n=5, outer_radius=0.09, color=palette.MINIMUM,
                                        fill_opacity=1, stroke_width=1).move_to(self.box.c2p(m)))
        self.add(self.bands, self.lines, self.box, self.marks)

    def _make_bands(self, xs, ys, Z) -> VGroup:
        generator = contourpy.contour_generator(xs, ys, np.ma.masked_invalid(Z),
                                                fill_type="OuterOffset")
        colors = self.colors = level_colors(len(self.levels) + 1, positions=band_positions(Z, self.levels))
        top = VMobject(fill_color=colors[-1], fill_opacity=1, stroke_width=0)
        top.set_points(polyline_points([self.box.c2p(_window_ring(self.window))]))
        bands = VGroup(top)
        bounds = [-np.inf, *self.levels]
        for i in range(len(self.levels)):
            lo = float(np.nanmin(Z)) - 1.0 if i == 0 else bounds[i]
            polys, offsets = generator.filled(lo, bounds[i + 1])
            rings = [simplify_polyline(self.box.c2p(p[o[k]:o[k + 1]]), SIMPLIFY_TOL)
                     for p, o in zip(polys, offsets) for k in range(len(o) - 1)]
            band = VMobject(fill_color=colors[i], fill_opacity=1, stroke_width=0)
            band.set_points(polyline_points(rings))
            bands.add(band)
        return bands

    def _make_lines(self, xs, ys, Z) -> VGroup:
        generator = contourpy.contour_generator(xs, ys, np.ma.masked_invalid(Z), line_type="Separate")
        lines = VGroup()
        for level in self.levels:
            segs = [simplify_polyline(self.box.c2p(seg), SIMPLIFY_TOL)
                    for seg in generator.lines(level) if len(seg) > 1]
            line = VMobject(stroke_color=LINE_COLOR, stroke_width=1, stroke_opacity=LINE_OPACITY)
            line.set_points(polyline_points(segs))
            lines.add(line)
        return lines

    def colorbar(self, height: float | None = None, side=RIGHT, *, buff: float = 0.3,
                 title: str | None = None, **kwargs) -> ColorBar:
        """A ``ColorBar`` for this map's levels and colours, placed beside the box on ``side``
        (``RIGHT`` or ``LEFT``), as tall as the box unless ``height`` is given. The scene adds
        it (it is not a child of the map); build it after the map has been moved into place.
        ``title``: an optional word above the bar, from the scene's strings table."""
        side = np.asarray(side, dtype=float)
        if not (np.allclose(side, RIGHT) or np.allclose(side, LEFT)):
            raise GdengineError("ContourMap.colorbar: side must be RIGHT or LEFT")
        frame = self.box.frame
        bar = ColorBar(self.levels, self.colors, height=frame.height if height is None else height,
                       labels_on=side, title=title, **kwargs)
        bar.place_beside(frame, side, buff=buff if np.allclose(side, RIGHT) else buff + self._left_room())
        return bar

    def _left_room(self) -> float:
        """Width taken left of the frame by y tick numbers and the y label."""
        return max(0.0, self.box.frame.get_left()[0] - self.box.get_left()[0])

    def c2p(self, xy) -> np.ndarray:
        return self.box.c2p(xy)

    def inside(self, xy) -> np.ndarray:
        return self.box.inside(xy)


class ColorBar(VGroup):
    """A vertical key of a contour map's bands: one swatch per band, loss values at the levels.

    ``levels`` (n increasing values) and ``colors`` (n + 1: band i lies below level i, the last
    band above the top level) are a ``ContourMap``'s ``levels`` and ``colors``. Swatches have
    equal heights whatever the level spacing (log levels read as evenly as linear ones), so a
    label sits exactly where the map changes colour. Labels go through ``format_sig`` (the
    kit's number formatter) on ``labels_on`` (RIGHT or LEFT); every ``k``-th level is labelled,
    with the smallest ``k`` that keeps the labels apart, and the top level always.

    Children: ``swatches``, ``frame``, ``ticks``, ``labels`` (``Text``, linted as text),
    ``title``. Static (no updaters), so Manim keeps it in the cached background.
    """

    def __init__(self, levels: Sequence[float], colors: Sequence, *, height: float = 3.0,
                 width: float = 0.22, size: float = SMALL_SIZE * 0.8, labels_on=RIGHT,
                 title: str | None = None, digits: int = 2, gap: float = 0.45):
        super().__init__()
        levels = np.asarray(levels, dtype=float)
        if len(colors) != len(levels) + 1:
            raise GdengineError(f"ColorBar needs len(levels) + 1 colours, got {len(colors)} for "
                                f"{len(levels)} levels")
        if height <= 0 or width <= 0:
            raise GdengineError("ColorBar height and width must be positive")
        self.levels = levels
        n = len(colors)
        cell = height / n
        self.swatches = VGroup(*[
            Rectangle(width=width, height=cell, fill_color=c, fill_opacity=1, stroke_width=0)
            .move_to([0.0, -height / 2 + (i + 0.5) * cell, 0.0])
            for i, c in enumerate(colors)
        ])
        self.frame = Rectangle(width=width, height=height, stroke_color=palette.MUTED, stroke_width=1.5)
        mark(self.frame, IGNORE)
        out = 1.0 if np.allclose(np.asarray(labels_on, dtype=float), RIGHT) else -1.0
        edge = out * width / 2
        texts = _distinct_labels(levels, digits)
        probe = label("0", size)
        step = max(1, int(np.ceil(probe.height * (1.0 + gap) / cell)))
        shown = list(range(len(levels) - 1, -1, -step))[::-1]  # the top level always labelled
        self.ticks, self.labels = VGroup(), VGroup()
        self.label_levels = []
        for i in shown:
            y = -height / 2 + (i + 1) * cell
            self.ticks.add(Line([edge, y, 0], [edge + out * 0.08, y, 0], stroke_color=palette.MUTED,
                                stroke_width=1.5))
            text = label(texts[i], size, palette.MUTED)
            text.next_to([edge + out * 0.08, y, 0], RIGHT if out > 0 else LEFT, buff=0.08)
            self.labels.add(text)
            self.label_levels.append(float(levels[i]))
        self.title = VGroup()
        if title:
            self.title = label(title, size, palette.MUTED).next_to(self.frame, UP, buff=0.2)
        self.add(self.swatches, self.frame, self.ticks, self.labels, self.title)

    def place_beside(self, mob, side=RIGHT, buff: float = 0.3) -> ColorBar:
        """Put the bar (not its labels) ``buff`` beside ``mob`` on ``side``, centred vertically."""
        side = np.asarray(side, dtype=float)
        target = mob.get_right() + RIGHT * (buff + self.frame.width / 2) if side[0] > 0 else \
            mob.get_left() + LEFT * (buff + self.frame.width / 2)
        self.shift(np.array([target[0], mob.get_center()[1], 0.0]) - self.frame.get_center())
        return self


def _distinct_labels(levels: np.ndarray, digits: int) -> list[str]:
    """``format_sig`` texts of the levels with the fewest significant digits (≥ ``digits``)
    that keep neighbouring labels different."""
    for sig in range(max(digits, 1), 7):
        texts = [format_sig(float(f"{v:.{sig}g}"), sig) for v in levels]  # 12581 → 13000
        if len(set(texts)) == len(texts):
            return texts
    return texts


def _window_ring(window) -> np.ndarray:
    (x0, x1), (y0, y1) = window
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]], dtype=float)
