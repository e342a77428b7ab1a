"""Panel layout: side-by-side and 2×2 slots in the area above the caption strip.

``content_region()`` is the part of the frame a scene may fill: the title-safe area (the layout
linter's 5 % margin on each side) above the caption strip; ``grid(rows, cols)`` cuts it into ``Slot``s; ``Slot.fit(mob)`` scales a mobject to
fit inside (never up beyond ``max_scale``) and centres it there. Positions are in scene
units, so they hold at every resolution the pipeline picks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import Mobject, config

from gdengine.errors import GdengineError
from gdengine.kit.captions import CAPTION_HEIGHT, CAPTION_MARGIN
from gdengine.lint.rules import SAFE_MARGIN

EDGE = 0.25  # how far a curtain reaches past the content region
CAPTION_GAP = 0.18  # between the content region and the caption strip


@dataclass(frozen=True)
class Slot:
    """A rectangle in scene units: centre (x, y), width, height."""

    x: float
    y: float
    width: float
    height: float

    @property
    def center(self) -> np.ndarray:
        return np.array([self.x, self.y, 0.0])

    @property
    def left(self) -> float:
        return self.x - self.width / 2

    @property
    def right(self) -> float:
        return self.x + self.width / 2

    @property
    def top(self) -> float:
        return self.y + self.height / 2

    @property
    def bottom(self) -> float:
        return self.y - self.height / 2

    def fit(self, mob: Mobject, max_scale: float = 1.0, align: str = "center") -> Mobject:
        """Scale ``mob`` down to fit this slot (up to ``max_scale``) and place it.

        ``align``: "center", "top", "bottom", "left" or "right" edge of the slot."""
        scale = min(self.width / max(mob.width, 1e-9), self.height / max(mob.height, 1e-9), max_scale)
        mob.scale(scale)
        mob.move_to(self.center)
        if align == "top":
            mob.shift((self.top - mob.get_top()[1]) * np.array([0, 1, 0]))
        elif align == "bottom":
            mob.shift((self.bottom - mob.get_bottom()[1]) * np.array([0, 1, 0]))
        elif align == "left":
            mob.shift((self.left - mob.get_left()[0]) * np.array([1, 0, 0]))
        elif align == "right":
            mob.shift((self.right - mob.get_right()[0]) * np.array([1, 0, 0]))
        elif align != "center":
            raise GdengineError(f"unknown align {align!r}; valid choices: center, top, bottom, left, right")
        return mob

    def split(self, rows: int = 1, cols: int = 1, gap: float = 0.3,
              weights_x: tuple[float, ...] | None = None,
              weights_y: tuple[float, ...] | None = None) -> list[Slot]:
        """Cut this slot into a rows × cols grid (row-major, top row first)."""
        return _cut(self, rows, cols, gap, weights_x, weights_y)

    def shrink(self, top: float = 0.0, bottom: float = 0.0, left: float = 0.0, right: float = 0.0) -> Slot:
        """This slot minus margins on the given sides."""
        w = self.width - left - right
        h = self.height - top - bottom
        if w <= 0 or h <= 0:
            raise GdengineError("margins larger than the slot")
        return Slot(self.x + (left - right) / 2, self.y + (bottom - top) / 2, w, h)


def fit_plot(build, slot: Slot, align=None, passes: int = 3) -> Mobject:
    """A plot that fills ``slot`` numbers and labels included, its text at the size it was made.

    ``build(width, height)`` makes the plot with a plotting area (``.box.frame``) of that size
    (a ``LossPlot``, a ``RegressionPanel``, a ``CoordinateBox``…); what sticks out around the
    area (tick numbers, axis labels) is measured and the plot rebuilt with the area that
    leaves, so its labels keep their size instead of being scaled down. ``align``: a
    direction (e.g. ``RIGHT + DOWN``) to push the plot to that side or corner of the slot,
    default centred."""
    w, h = slot.width * 0.8, slot.height * 0.8
    mob = build(w, h)
    for _ in range(passes):
        frame = _frame_of(mob)
        w_new = slot.width - (mob.width - frame.width)
        h_new = slot.height - (mob.height - frame.height)
        if w_new <= 0 or h_new <= 0:
            raise GdengineError("slot too small for the plot's tick numbers and labels")
        if abs(w_new - w) < 1e-3 and abs(h_new - h) < 1e-3:
            break
        w, h = w_new, h_new
        mob = build(w, h)
    return place(mob, slot, align)


def place(mob: Mobject, slot: Slot, align=None) -> Mobject:
    """Centre ``mob`` in ``slot``, then push it to the side(s) of direction ``align``."""
    mob.move_to(slot.center)
    if align is not None:
        d = np.asarray(align, dtype=float)
        dx = (slot.right - mob.get_right()[0]) if d[0] > 0 else (slot.left - mob.get_left()[0]) if d[0] < 0 else 0.0
        dy = (slot.top - mob.get_top()[1]) if d[1] > 0 else (slot.bottom - mob.get_bottom()[1]) if d[1] < 0 else 0.0
        mob.shift(np.array([dx, dy, 0.0]))
    return mob


def _frame_of(mob: Mobject) -> Mobject:
    box = getattr(mob, "box", mob)
    return getattr(box, "frame", box)


def content_region(title_space: float = 0.0, caption: bool = True) -> Slot:
    """The title-safe area (``SAFE_MARGIN`` of the frame on each side, where every label
    must stay) minus the caption strip (if ``caption``) and ``title_space`` on top."""
    fw, fh = config.frame_width, config.frame_height
    safe_x, safe_y = SAFE_MARGIN * fw, SAFE_MARGIN * fh
    bottom = -fh / 2 + (CAPTION_MARGIN + CAPTION_HEIGHT + CAPTION_GAP if caption else safe_y)
    top = fh / 2 - safe_y - title_space
    return Slot(0.0, (top + bottom) / 2, fw - 2 * safe_x, top - bottom)


def grid(rows: int, cols: int, gap: float = 0.35, region: Slot | None = None, **weights) -> list[Slot]:
    """rows × cols slots in ``region`` (default ``content_region()``), row-major."""
    return _cut(region or content_region(), rows, cols, gap, weights.get("weights_x"), weights.get("weights_y"))


def side_by_side(n: int = 2, gap: float = 0.4, region: Slot | None = None,
                 weights: tuple[float, ...] | None = None) -> list[Slot]:
    """``n`` slots in a row (optionally of relative widths ``weights``)."""
    return grid(1, n, gap, region, weights_x=weights)


def two_by_two(gap: float = 0.35, region: Slot | None = None) -> list[Slot]:
    """Four slots: top-left, top-right, bottom-left, bottom-right."""
    return grid(2, 2, gap, region)


def _cut(region: Slot, rows: int, cols: int, gap: float, wx, wy) -> list[Slot]:
    if rows < 1 or cols < 1:
        raise GdengineError(f"a grid needs at least 1 row and 1 column, got {rows}×{cols}")
    wx = np.ones(cols) if wx is None else np.asarray(wx, dtype=float)
    wy = np.ones(rows) if wy is None else np.asarray(wy, dtype=float)
    if len(wx) != cols or len(wy) != rows or (wx <= 0).any() or (wy <= 0).any():
        raise GdengineError("grid weights must be positive, one per column/row")
    widths = (region.width - gap * (cols - 1)) * wx / wx.sum()
    heights = (region.height - gap * (rows - 1)) * wy / wy.sum()
    if (widths <= 0).any() or (heights <= 0).any():
        raise GdengineError("grid gap too large for the region")
    slots = []
    y = region.top
    for r in range(rows):
        x = region.left
        for c in range(cols):
            slots.append(Slot(x + widths[c] / 2, y - heights[r] / 2, widths[c], heights[r]))
            x += widths[c] + gap
        y -= heights[r] + gap
    return slots


def curtain(region: Slot | None = None, opacity: float = 1.0):
    """A background-coloured rectangle over ``region`` (default: the content region)."""
    from manim import Rectangle

    from gdengine.kit import palette

    region = region or content_region()
    return Rectangle(width=region.width + 2 * EDGE, height=region.height + 2 * EDGE,
                     fill_color=palette.BACKGROUND, fill_opacity=opacity, stroke_width=0
                     ).move_to(region.center)


def reveal(scene, *mobjects: Mobject, run_time: float = 0.8, region: Slot | None = None) -> None:
    """Show large static mobjects (contour maps, many traces) by fading a curtain away.

    ``FadeIn`` copies every point of its mobject twice per animation; lifting a curtain keeps
    what is under it in Manim's cached background, so it costs one rectangle per frame."""
    cover = curtain(region)
    scene.add(*mobjects, cover)
    scene.play(cover.animate.set_fill(opacity=0.0), run_time=run_time)
    scene.remove(cover)


def conceal(scene, *mobjects: Mobject, run_time: float = 0.6, region: Slot | None = None) -> None:
    """The reverse of ``reveal``: lower a curtain, then remove ``mobjects``."""
    cover = curtain(region, opacity=0.0)
    scene.add(cover)
    scene.play(cover.animate.set_fill(opacity=1.0), run_time=run_time)
    scene.remove(*mobjects, cover)
