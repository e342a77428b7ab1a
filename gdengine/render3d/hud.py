"""Flat overlays over the 3-D view: text placed in pixels, measured, and known to the linter.

Every text is one ``vtkTextActor`` per slot (created once; setting a slot again only changes
its string, place or opacity — the PyVista gallery's "named actor" pattern). A slot is placed
by one of its corners or edges (``anchor``) at a point in output pixels, y down, and its box
is measured with VTK's own text renderer (FreeType, no OpenGL), so ``boxes()`` gives the
layout linter the exact box of every visible text, and layouts can be computed from sizes
before anything is drawn. Discs (legend swatches), panels and leader lines are 2-D actors in
the same pixel coordinates.

Sizes are pixels at a 480-px type scale (the frame height, or 9/16 of the width in frames
narrower than 16:9), scaled to the frame: ``LABEL`` (cap height 13 px at 480p, above the
linter's 12), ``CAPTION`` (cap 17.6 px, above 16) and ``TITLE``. The font is the house font
(``fonts``): Noto Sans CJK SC for Latin and Chinese alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import count

import numpy as np
import pyvista as pv
import vtkmodules.vtkRenderingFreeType  # noqa: F401 — the FreeType text renderer behind vtkTextRenderer
from vtkmodules.vtkCommonCore import vtkPoints
from vtkmodules.vtkCommonDataModel import vtkCellArray, vtkPolyData
from vtkmodules.vtkRenderingCore import (
    vtkActor2D, vtkPolyDataMapper2D, vtkTextActor, vtkTextProperty, vtkTextRenderer,
)  # fmt: skip

from gdengine.lint.rules import TextBox, is_cjk
from gdengine.render3d import colors
from gdengine.render3d.fonts import Font, drawable, font_for

REFERENCE = 480.0  # sizes below are pixels at this type scale
TITLE = 28.0
CAPTION = 24.0
MIN_CAPTION = 22.0  # a caption shrunk to fit stays above the linter's 16 px cap height
LABEL = 18.0
MIN_LABEL = 17.0  # a label shrunk to fit (a tile's title) keeps a cap height above 12 px
LINE_GAP = 1.3  # line pitch per font size
VISIBLE = 0.05  # below this opacity a fading text is gone (as the Manim probe counts)
SAFE = 0.05  # title-safe margin on each side (the linter's)

ANCHORS = ("top_left", "top_right", "top_center", "bottom_left", "bottom_right", "bottom_center",
           "center_left", "center_right", "center")  # fmt: skip
_TEXT_RENDERER = vtkTextRenderer()
_idents = count(1)


def type_scale(width: int, height: int) -> float:
    return min(height, width * 9 / 16)


@dataclass
class Slot:
    actor: vtkTextActor
    ident: int
    text: str
    size: int  # font size in pixels
    font: Font
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 in pixels, y down
    caption: bool
    group: int | None
    bold: bool = False
    opacity: float = 1.0
    shown: bool = True

    @property
    def cap_px(self) -> float:
        return self.font.cjk_px(self.size) if is_cjk(self.text) else self.font.cap_px(self.size)

    @property
    def visible(self) -> bool:
        return self.shown and self.opacity > VISIBLE and bool(self.text.strip())

    def text_box(self, dx: float = 0.0, dy: float = 0.0) -> TextBox:
        x0, y0, x1, y1 = self.box
        return TextBox(self.ident, self.text, (x0 + dx, y0 + dy, x1 + dx, y1 + dy), self.cap_px,
                       caption=self.caption, group=self.group)


class Hud:
    """Text, discs, panels and lines over ``plotter`` (frames of ``width``×``height``)."""

    def __init__(self, plotter: pv.Plotter, width: int, height: int, *, scale: float | None = None) -> None:
        self.plotter, self.width, self.height = plotter, width, height
        self.scale = type_scale(width, height) if scale is None else float(scale)  # a strip of a
        # larger frame (a montage's banner) takes the frame's type scale
        self.slots: dict[str, Slot] = {}
        self.shapes: dict[str, vtkActor2D] = {}
        self.margin = (SAFE * width, SAFE * height)  # the title-safe margins, in pixels

    # --- sizes and measures ---------------------------------------------------------------
    def px(self, size: float) -> int:
        """Font size in pixels for ``size`` pixels at the 480-px type scale."""
        return max(6, round(size * self.scale / REFERENCE))

    def measure(self, text: str, size: float, bold: bool = False) -> tuple[float, float]:
        """(width, height) in pixels of ``text`` at ``size`` (480-px units)."""
        font = font_for(text, bold)
        bb = self._bbox(drawable(text, font), self.px(size), font)
        return float(bb[1] - bb[0]), float(bb[3] - bb[2])

    def line(self, size: float) -> float:
        """Line pitch in pixels for text of ``size``."""
        return LINE_GAP * self.px(size)

    @staticmethod
    def _prop(font: Font, size: int, bold: bool) -> vtkTextProperty:
        prop = vtkTextProperty()
        if font.path is not None:
            prop.SetFontFamily(4)  # VTK_FONT_FILE
            prop.SetFontFile(font.path)
        else:
            prop.SetBold(bold)
        prop.SetFontSize(size)
        prop.SetJustificationToLeft()
        prop.SetVerticalJustificationToBottom()
        return prop

    def _bbox(self, text: str, size: int, font: Font) -> list[int]:
        bb = [0, 0, 0, 0]
        if text:
            _TEXT_RENDERER.GetBoundingBox(self._prop(font, size, False), text, bb, 72)
        return bb

    # --- text -------------------------------------------------------------------------------
    def text(self, key: str, text: str, *, at: tuple[float, float], anchor: str = "top_left",
             size: float = LABEL, color: str = colors.FOREGROUND, bold: bool = False,
             caption: bool = False, group: int | None = None, opacity: float = 1.0) -> Slot:
        """Show ``text`` in slot ``key`` with its ``anchor`` corner at ``at`` (pixels, y down).

        The slot's colour and weight are fixed when it is created; later calls change its
        string, size, place and opacity.
        """
        if anchor not in ANCHORS:
            raise ValueError(f"unknown anchor {anchor!r}; valid anchors: {', '.join(ANCHORS)}")
        slot = self.slots.get(key)
        if slot is None:
            font = font_for(text, bold)
            px = self.px(size)
            actor = vtkTextActor()
            prop = actor.GetTextProperty()
            prop.ShallowCopy(self._prop(font, px, bold))
            prop.SetColor(*colors.rgb(color))
            self.plotter.renderer.AddViewProp(actor)
            slot = Slot(actor, next(_idents), "", px, font, (0, 0, 0, 0), caption, group, bold)
            self.slots[key] = slot
        elif is_cjk(text) and not slot.font.has_cjk:
            font_for(text, slot.bold)  # raises: no font with Chinese glyphs
        text = drawable(text, slot.font)
        if self.px(size) != slot.size:  # a line shrunk to fit (captions)
            slot.size = self.px(size)
            slot.actor.GetTextProperty().SetFontSize(slot.size)
        if text != slot.text:
            slot.actor.SetInput(text)
            slot.text = text
        bb = self._bbox(text, slot.size, slot.font)
        w, h = bb[1] - bb[0], bb[3] - bb[2]
        x0, y0 = _corner(at, anchor, w, h)
        slot.box = (x0, y0, x0 + w, y0 + h)
        # VTK places the text by its own box origin, y up
        slot.actor.SetPosition(x0 - bb[0], self.height - (y0 + h) - bb[2])
        self.set_opacity(key, opacity)
        self.show(key, True)
        return slot

    def set_opacity(self, key: str, opacity: float) -> None:
        slot = self.slots[key]
        if opacity != slot.opacity:
            slot.opacity = float(opacity)
            slot.actor.GetTextProperty().SetOpacity(float(opacity))

    def show(self, key: str, shown: bool) -> None:
        for actor in self._actors(key):
            actor.SetVisibility(bool(shown))
        if key in self.slots:
            self.slots[key].shown = bool(shown)

    def _actors(self, key: str):
        if key in self.slots:
            yield self.slots[key].actor
        if key in self.shapes:
            yield self.shapes[key]

    def boxes(self, dx: float = 0.0, dy: float = 0.0) -> list[TextBox]:
        """The visible texts as the linter's boxes (shifted by dx, dy: a tile's origin)."""
        return [s.text_box(dx, dy) for s in self.slots.values() if s.visible]

    # --- shapes -----------------------------------------------------------------------------
    def polygon(self, key: str, points, *, color: str, opacity: float = 1.0) -> vtkActor2D:
        """A filled polygon (pixels, y down) in slot ``key``; moved in place on later calls."""
        return self._poly(key, np.asarray(points, dtype=float), closed=True, color=color,
                          opacity=opacity, width=1.0)

    def polyline(self, key: str, points, *, color: str, width: float = 1.0,
                 opacity: float = 1.0) -> vtkActor2D:
        """An open polyline (pixels, y down), e.g. a leader line."""
        return self._poly(key, np.asarray(points, dtype=float), closed=False, color=color,
                          opacity=opacity, width=width)

    def disc(self, key: str, centre, radius: float, *, color: str) -> vtkActor2D:
        a = np.linspace(0, 2 * np.pi, 25)[:-1]
        pts = np.column_stack([centre[0] + radius * np.cos(a), centre[1] + radius * np.sin(a)])
        return self.polygon(key, pts, color=color)

    def panel(self, key: str, box, *, color: str = colors.PANEL, opacity: float = 0.92,
              radius: float = 6.0) -> vtkActor2D:
        """A rounded rectangle behind text, ``box`` = (x0, y0, x1, y1) pixels, y down."""
        x0, y0, x1, y1 = box
        r = min(radius, (x1 - x0) / 2, (y1 - y0) / 2)
        pts = []
        for cx, cy, a0 in ((x1 - r, y0 + r, -90), (x1 - r, y1 - r, 0), (x0 + r, y1 - r, 90),
                           (x0 + r, y0 + r, 180)):
            for a in np.radians(np.linspace(a0, a0 + 90, 6)):
                pts.append((cx + r * np.cos(a), cy + r * np.sin(a)))
        return self.polygon(key, pts, color=color, opacity=opacity)

    def _poly(self, key, pts, *, closed, color, opacity, width) -> vtkActor2D:
        actor = self.shapes.get(key)
        if actor is None:
            poly = vtkPolyData()
            poly.SetPoints(vtkPoints())
            mapper = vtkPolyDataMapper2D()
            mapper.SetInputData(poly)
            actor = vtkActor2D()
            actor.SetMapper(mapper)
            prop = actor.GetProperty()
            prop.SetColor(*colors.rgb(color))
            prop.SetLineWidth(width)
            # polygons before text: a panel is drawn behind the text over it
            self.plotter.renderer.AddViewProp(actor)
            self.shapes[key] = actor
        actor.GetProperty().SetOpacity(float(opacity))
        poly = actor.GetMapper().GetInput()
        points = vtkPoints()
        for x, y in pts:
            points.InsertNextPoint(float(x), float(self.height - y), 0.0)
        poly.SetPoints(points)
        cells = vtkCellArray()
        n = len(pts)
        cells.InsertNextCell(n)
        for i in range(n):
            cells.InsertCellPoint(i)
        if closed:
            poly.SetPolys(cells)
            poly.SetLines(vtkCellArray())
        else:
            poly.SetLines(cells)
            poly.SetPolys(vtkCellArray())
        poly.Modified()
        return actor

    # --- composites ---------------------------------------------------------------------------
    def legend(self, key: str, rows: list[tuple[str | tuple[str, ...], str]], *, at: tuple[float, float],
               anchor: str = "top_left", size: float = LABEL, columns: int = 1,
               gap: float | None = None) -> tuple[float, float, float, float]:
        """Rows of (colour, label): a coloured disc (one per colour when a row has several)
        then the label. ``columns`` > 1 lays the rows out side by side (left to right, then
        down). Placed by the block's ``anchor`` corner at ``at``; returns the block's box.
        Unused old rows are hidden."""
        px = self.px(size)
        pitch, r = self.line(size), 0.32 * px
        gap = 1.4 * px if gap is None else gap
        cells = []
        for color, label in rows:
            swatches = (color,) if isinstance(color, str) else tuple(color)
            lead = len(swatches) * 2 * r + (len(swatches) - 1) * 0.5 * r + 0.45 * px
            cells.append((lead + self.measure(label, size)[0], lead, swatches, label))
        n_rows = -(-len(rows) // columns) if rows else 0
        col_w = [max((cells[i][0] for i in range(c, len(cells), columns)), default=0.0)
                 for c in range(columns)]
        block_w = sum(col_w) + gap * (columns - 1)
        text_h = self.measure("Hg", size)[1]
        block_h = (n_rows - 1) * pitch + text_h if n_rows else 0.0
        bx0, by0 = _corner(at, anchor, block_w, block_h)
        for i, (_, lead, swatches, label) in enumerate(cells):
            row, col = divmod(i, columns)
            x = bx0 + sum(col_w[:col]) + gap * col
            y = by0 + row * pitch
            slot = self.text(f"{key}.{i}.label", label, at=(x + lead, y), size=size, group=group_id(key, i))
            cy = slot.box[1] + 0.47 * (slot.box[3] - slot.box[1])
            for j, color in enumerate(swatches):
                self.disc(f"{key}.{i}.dot{j}", (x + r + j * 2.5 * r, cy), r, color=color)
                self.show(f"{key}.{i}.dot{j}", True)
        i = len(cells)
        while f"{key}.{i}.label" in self.slots:
            self.show(f"{key}.{i}.label", False)
            j = 0
            while f"{key}.{i}.dot{j}" in self.shapes:
                self.show(f"{key}.{i}.dot{j}", False)
                j += 1
            i += 1
        return (bx0, by0, bx0 + block_w, by0 + block_h)


_groups: dict[tuple[str, int], int] = {}


def group_id(key: str, i: int = 0) -> int:
    """One group id per legend row or callout (its parts never overlap-flag each other)."""
    return _groups.setdefault((key, i), 10_000_000 + len(_groups))


def _corner(at, anchor: str, w: float, h: float) -> tuple[float, float]:
    """Top-left corner (pixels, y down) of a w×h box whose ``anchor`` point is ``at``."""
    x, y = at
    vertical, _, horizontal = anchor.partition("_")
    if anchor == "center":
        vertical, horizontal = "center", "center"
    x0 = {"left": x, "right": x - w, "center": x - w / 2}[horizontal]
    y0 = {"top": y, "bottom": y - h, "center": y - h / 2}[vertical]
    return x0, y0
