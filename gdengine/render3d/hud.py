"""Flat text over the 3-D view: named text slots and a colour legend, updated in place.

Each slot is one ``vtkTextActor`` created once; setting a slot again only replaces its string
(the PyVista gallery's "named actor" pattern), so nothing piles up frame after frame. Sizes
are fractions of the type scale — the frame height, or 9/16 of the width in frames narrower
than 16:9 — so a clip reads the same at 320×180 and at 4K, and text still fits a square frame. Text uses
DejaVu Sans when it is installed (Debian fonts-dejavu-core), VTK's built-in face otherwise.
"""

from __future__ import annotations

from pathlib import Path

import pyvista as pv
from vtkmodules.vtkRenderingCore import vtkTextActor

from gdengine.render3d import colors

FONT_FILES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/TTF/DejaVuSans.ttf"),
)
BOLD_FONT_FILES = tuple(p.with_name("DejaVuSans-Bold.ttf") for p in FONT_FILES)

# anchor name → (x, y) in [0, 1] of the frame and the text's justification
ANCHORS = {
    "upper_left": ((0.025, 0.965), "left", "top"),
    "upper_right": ((0.975, 0.965), "right", "top"),
    "lower_left": ((0.025, 0.035), "left", "bottom"),
    "lower_right": ((0.975, 0.035), "right", "bottom"),
    "upper_center": ((0.5, 0.965), "center", "top"),
    "lower_center": ((0.5, 0.035), "center", "bottom"),
}


def font_file(bold: bool) -> str | None:
    """Path of DejaVu Sans (bold), or None when it is not installed."""
    for path in BOLD_FONT_FILES if bold else FONT_FILES:
        if path.exists():
            return str(path)
    return None


class Hud:
    """Text slots over ``plotter``; ``height`` (pixels) sets the type scale."""

    def __init__(self, plotter: pv.Plotter, width: int, height: int) -> None:
        self.plotter, self.width, self.height = plotter, width, height
        self.scale = min(height, width * 9 / 16)
        self.slots: dict[str, vtkTextActor] = {}

    def text(self, key: str, text: str, *, anchor: str = "upper_left", size: float = 0.03,
             color: str = colors.FOREGROUND, bold: bool = False, offset: tuple[float, float] = (0, 0),
             line_spacing: float = 1.15) -> vtkTextActor:
        """Show ``text`` in slot ``key`` (created on first use, then only its string changes).

        ``size``: font height and ``offset`` (shift from the anchor, x right, y up) in units
        of the type scale.
        """
        actor = self.slots.get(key)
        if actor is None:
            actor = self._make(anchor, size, color, bold, offset, line_spacing)
            self.slots[key] = actor
        if actor.GetInput() != text:
            actor.SetInput(text)
        return actor

    def _make(self, anchor, size, color, bold, offset, line_spacing) -> vtkTextActor:
        (x, y), justify, vertical = ANCHORS[anchor]
        actor = vtkTextActor()
        prop = actor.GetTextProperty()
        font = font_file(bold)
        if font is not None:
            prop.SetFontFamily(4)  # VTK_FONT_FILE
            prop.SetFontFile(font)
        else:
            prop.SetBold(bold)
        prop.SetFontSize(max(6, round(size * self.scale)))
        prop.SetColor(*colors.rgb(color))
        prop.SetLineSpacing(line_spacing)
        {"left": prop.SetJustificationToLeft, "right": prop.SetJustificationToRight,
         "center": prop.SetJustificationToCentered}[justify]()
        {"top": prop.SetVerticalJustificationToTop,
         "bottom": prop.SetVerticalJustificationToBottom}[vertical]()
        actor.SetPosition(x * self.width + offset[0] * self.scale, y * self.height + offset[1] * self.scale)
        self.plotter.renderer.AddViewProp(actor)
        return actor

    def legend(self, key: str, rows: list[tuple[str, str]], *, anchor: str = "upper_right",
               size: float = 0.028, offset: tuple[float, float] = (0, 0)) -> None:
        """Rows of (colour, label), top to bottom: a coloured disc then the label, placed at
        ``anchor`` (right anchors measure each label to put its disc in front of it)."""
        step = size * 1.45
        right = anchor.endswith("right")
        upper = anchor.startswith("upper")
        for i, (color, label) in enumerate(rows):
            dy = offset[1] - (i if upper else i - (len(rows) - 1)) * step
            if right:
                self.text(f"{key}.{i}.label", label, anchor=anchor, size=size, offset=(offset[0], dy))
                self.text(f"{key}.{i}.dot", "●", anchor=anchor, size=size, color=color,
                          offset=(offset[0] - self._label_width(label, size), dy))
            else:
                self.text(f"{key}.{i}.dot", "●", anchor=anchor, size=size, color=color,
                          offset=(offset[0], dy))
                self.text(f"{key}.{i}.label", label, anchor=anchor, size=size,
                          offset=(offset[0] + 1.25 * size, dy))

    def _label_width(self, label: str, size: float) -> float:
        """Width of ``label`` plus a gap, in type-scale units (measured by VTK)."""
        probe = vtkTextActor()
        probe.SetInput(label)
        prop = probe.GetTextProperty()
        font = font_file(False)
        if font is not None:
            prop.SetFontFamily(4)
            prop.SetFontFile(font)
        prop.SetFontSize(max(6, round(size * self.scale)))
        box = [0.0, 0.0]
        probe.GetSize(self.plotter.renderer, box)
        return box[0] / self.scale + 0.45 * size
