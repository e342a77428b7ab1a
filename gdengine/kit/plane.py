"""A framed 2-D coordinate box: real data coordinates on its edges, vectorized mapping.

Manim's ``Axes`` draws its axes through the origin; a contour map or a loss plot reads better
with a frame whose ticks and numbers sit on the bottom and left edges, wherever zero is.
``CoordinateBox`` is that frame. Its mapping is affine per axis (``"linear"``) or logarithmic
(``"log"``, for loss curves spanning decades), and works on whole arrays at once, so a
(T+1, B, 2) trajectory maps to scene points in one call.

Tick numbers are ``Text`` (through ``gdengine.kit.text``), never TeX.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from manim import DOWN, LEFT, UP, Line, Rectangle, VGroup, VMobject

from gdengine.errors import GdengineError
from gdengine.kit import palette
from gdengine.kit.text import SMALL_SIZE, label
from gdengine.numformat import format_tick

SCALES = ("linear", "log")


def nice_step(span: float, target: int = 5) -> float:
    """A 1/2/2.5/5 × 10^k step giving about ``target`` intervals over ``span``."""
    if not span > 0:
        raise GdengineError(f"axis span must be positive, got {span!r}")
    raw = span / max(target, 1)
    mag = 10.0 ** math.floor(math.log10(raw))
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        if m * mag >= raw * 0.999:
            return m * mag
    return 10.0 * mag


def linear_ticks(lo: float, hi: float, target: int = 5) -> np.ndarray:
    """Round tick values inside [lo, hi]: the 1/2/2.5/5 × 10^k step whose tick count is
    closest to ``target`` (at least two ticks whenever the range allows)."""
    span = hi - lo
    if not span > 0:
        raise GdengineError(f"axis span must be positive, got {span!r}")
    base = 10.0 ** math.floor(math.log10(span))
    best = None
    for k in (-2, -1, 0):
        for m in (1.0, 2.0, 2.5, 5.0):
            step = m * base * 10.0**k
            first = math.ceil(lo / step - 1e-9)
            count = math.floor(hi / step + 1e-9) - first + 1
            score = abs(count - target) + (10 if count < 2 else 0)
            if best is None or score < best[0]:
                best = (score, step, first, count)
    _, step, first, count = best
    return np.round((first + np.arange(count)) * step / step) * step


def log_ticks(lo: float, hi: float, target: int = 5) -> np.ndarray:
    """Powers of ten inside [lo, hi] (every k-th decade so there are at most ``target``+1)."""
    a, b = math.ceil(math.log10(lo) - 1e-9), math.floor(math.log10(hi) + 1e-9)
    every = max(1, math.ceil((b - a + 1) / (target + 1)))
    return 10.0 ** np.arange(a, b + 1, every, dtype=float)


class CoordinateBox(VGroup):
    """A rectangle mapping ``x_range × y_range`` (data) onto ``width × height`` (scene units).

    ``c2p(xy)`` maps (..., 2) data coordinates to (..., 3) scene points; ``p2c`` inverts it;
    ``inside(xy)`` tells which data points fall inside the box. Children: ``frame`` (the
    rectangle), ``ticks``, ``numbers`` and the optional axis ``labels``.
    """

    def __init__(
        self,
        x_range: Sequence[float],
        y_range: Sequence[float],
        *,
        width: float = 6.0,
        height: float = 4.0,
        x_scale: str = "linear",
        y_scale: str = "linear",
        x_ticks: Sequence[float] | None = None,
        y_ticks: Sequence[float] | None = None,
        x_label: str | VMobject | None = None,
        y_label: str | VMobject | None = None,
        tick_size: float = SMALL_SIZE * 0.8,
        n_ticks: int = 4,
        color=None,
        y_label_on_top: bool = False,
    ):
        super().__init__()
        self.scales = (_check_scale(x_scale, "x_scale"), _check_scale(y_scale, "y_scale"))
        self.ranges = (_check_range(x_range, "x_range", x_scale), _check_range(y_range, "y_range", y_scale))
        self.size = (float(width), float(height))
        color = palette.MUTED if color is None else color
        self.frame = Rectangle(width=width, height=height, stroke_color=color, stroke_width=2)
        self._origin = np.array([-width / 2, -height / 2, 0.0])  # box corner before any move
        self.ticks = VGroup()
        self.axis_numbers = (VGroup(), VGroup())
        self.numbers = VGroup(*self.axis_numbers)
        self.labels = VGroup()
        self.add(self.frame, self.ticks, self.numbers, self.labels)
        tick_len = 0.08
        for axis, given in ((0, x_ticks), (1, y_ticks)):
            lo, hi = self.ranges[axis]
            log = self.scales[axis] == "log"
            values = np.asarray(given, dtype=float) if given is not None else (
                log_ticks(lo, hi, n_ticks) if log else linear_ticks(lo, hi, n_ticks))
            step = None if log or len(values) < 2 else float(np.min(np.diff(values)))
            for v in values:
                if not (lo - 1e-12 <= v <= hi + 1e-12):
                    continue
                xy = (v, self._lo_edge(1)) if axis == 0 else (self._lo_edge(0), v)
                p = self.c2p(np.array(xy))
                inward = np.array([0.0, 1.0, 0.0]) if axis == 0 else np.array([1.0, 0.0, 0.0])
                self.ticks.add(Line(p, p + tick_len * inward, stroke_color=color, stroke_width=2))
                num = label(format_tick(v, step, log), tick_size, color)
                num.next_to(p, DOWN if axis == 0 else LEFT, buff=0.1)
                self.axis_numbers[axis].add(num)
        for axis in (0, 1):  # a short axis keeps every k-th number, so none touch
            _thin(self.axis_numbers[axis], axis)
        _drop_colliding(self.axis_numbers[1], self.axis_numbers[0])
        for axis, text in ((0, x_label), (1, y_label)):
            if text is None:
                continue
            mob = label(text, tick_size * 1.1, color) if isinstance(text, str) else text
            anchor = self.axis_numbers[axis] if len(self.axis_numbers[axis]) else self.frame
            if axis == 0:
                mob.next_to(anchor, DOWN, buff=0.08).set_x(self.frame.get_center()[0])
            elif y_label_on_top:
                mob.next_to(self.frame, UP, buff=0.1).align_to(self.frame, LEFT)
            else:
                mob.next_to(anchor, LEFT, buff=0.12).set_y(self.frame.get_center()[1])
            self.labels.add(mob)

    # --- mapping ---------------------------------------------------------------------
    def _lo_edge(self, axis: int) -> float:
        return self.ranges[axis][0]

    def _unit(self, values: np.ndarray, axis: int) -> np.ndarray:
        """Data → [0, 1] along ``axis`` (log axes: log10 first; non-positive → −inf)."""
        lo, hi = self.ranges[axis]
        if self.scales[axis] == "log":
            with np.errstate(divide="ignore", invalid="ignore"):
                v = np.log10(np.where(values > 0, values, 0.0))
            return (v - math.log10(lo)) / (math.log10(hi) - math.log10(lo))
        return (values - lo) / (hi - lo)

    @property
    def corner(self) -> np.ndarray:
        """Scene position of the box's lower-left corner (follows moves of the group)."""
        return self.frame.get_corner(DOWN + LEFT)

    def c2p(self, xy) -> np.ndarray:
        """Data (..., 2) → scene points (..., 3)."""
        xy = np.asarray(xy, dtype=float)
        out = np.zeros(xy.shape[:-1] + (3,))
        corner = self.corner
        w, h = self.frame.width, self.frame.height
        out[..., 0] = corner[0] + self._unit(xy[..., 0], 0) * w
        out[..., 1] = corner[1] + self._unit(xy[..., 1], 1) * h
        return out

    def p2c(self, points) -> np.ndarray:
        """Scene points (..., 3) → data (..., 2)."""
        p = np.asarray(points, dtype=float)
        corner = self.corner
        u = (p[..., 0] - corner[0]) / self.frame.width
        v = (p[..., 1] - corner[1]) / self.frame.height
        out = np.empty(p.shape[:-1] + (2,))
        for axis, t in ((0, u), (1, v)):
            lo, hi = self.ranges[axis]
            if self.scales[axis] == "log":
                out[..., axis] = 10.0 ** (math.log10(lo) + t * (math.log10(hi) - math.log10(lo)))
            else:
                out[..., axis] = lo + t * (hi - lo)
        return out

    def scene_box(self) -> tuple[np.ndarray, np.ndarray]:
        """(lower-left, upper-right) scene corners of the plotting area, (2,) each."""
        lo = self.corner[:2]
        return lo, lo + np.array([self.frame.width, self.frame.height])

    def inside(self, xy) -> np.ndarray:
        """Which data points lie inside the box (boolean, shape (...))."""
        xy = np.asarray(xy, dtype=float)
        ok = np.ones(xy.shape[:-1], dtype=bool)
        for axis in (0, 1):
            u = self._unit(xy[..., axis], axis)
            ok &= (u >= -1e-9) & (u <= 1 + 1e-9)
        return ok


def _thin(numbers: VGroup, axis: int, pad: float = 0.08) -> None:
    """Keep every k-th tick number along ``axis`` (the first always), with the smallest k for
    which neighbours stay ``pad`` apart."""
    nums = list(numbers)
    if len(nums) < 3:
        return

    def apart(kept) -> bool:
        return all(abs(a.get_center()[axis] - b.get_center()[axis]) * 2
                   >= (a.width + b.width if axis == 0 else a.height + b.height) + 2 * pad
                   for a, b in zip(kept, kept[1:]))

    for k in range(1, len(nums)):
        kept = nums[::k]
        if apart(kept):
            break
    for num in nums:
        if num not in kept:
            numbers.remove(num)


def _drop_colliding(numbers: VGroup, keep: VGroup, pad: float = 0.02) -> None:
    """Remove members of ``numbers`` whose boxes touch any member of ``keep`` (corner ticks)."""
    for num in list(numbers):
        for other in keep:
            if (abs(num.get_x() - other.get_x()) * 2 < num.width + other.width + pad
                    and abs(num.get_y() - other.get_y()) * 2 < num.height + other.height + pad):
                numbers.remove(num)
                break


def _check_scale(scale: str, where: str) -> str:
    if scale not in SCALES:
        raise GdengineError(f"{where}: unknown scale {scale!r}; valid choices: {', '.join(SCALES)}")
    return scale


def _check_range(rng: Sequence[float], where: str, scale: str) -> tuple[float, float]:
    try:
        lo, hi = (float(v) for v in rng)
    except (TypeError, ValueError):
        raise GdengineError(f"{where} must be two numbers (lo, hi), got {rng!r}") from None
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise GdengineError(f"{where} must be finite with lo < hi, got {rng!r}")
    if scale == "log" and lo <= 0:
        raise GdengineError(f"{where}: a log axis needs lo > 0, got {lo!r}")
    return lo, hi
