"""Caption strip: one short line per beat, from a per-scene strings table keyed by language.

The strings table itself (``StringsTable``, TOML with one table per language, placeholders
checked against English) lives in ``gdengine.strings``, free of Manim so the 3-D renderer
reads the same tables; it is re-exported here.
"""

from __future__ import annotations

from manim import DOWN, UP, FadeIn, FadeOut, RoundedRectangle, Text, VGroup, config

from gdengine.kit import palette
from gdengine.kit.text import TEXT_SIZE, label
from gdengine.lint import roles
from gdengine.strings import BASE_LANGUAGE, StringsTable  # noqa: F401 (re-exported)

CAPTION_HEIGHT = 0.78  # strip height in scene units (frame is 8 high)
CAPTION_MARGIN = 0.4  # strip to frame bottom: keeps the line inside the 5 % title-safe area
CAPTION_MAX_WIDTH = 0.88  # of the frame width: the line stays inside the title-safe area


class CaptionStrip(VGroup):
    """A dark rounded strip along the bottom of the frame holding one caption line.

    ``strip.show(text)`` returns the animation that swaps the line: the old line fades out
    completely before the new one fades in, so two captions are never on screen at once. A
    line too wide for the frame is shrunk to fit, never cut off. Strip and lines are tagged
    ``roles.CAPTION`` for the layout linter.
    """

    def __init__(self, size: float = TEXT_SIZE, margin: float = CAPTION_MARGIN):
        width = config.frame_width - 2 * 0.18
        self.panel = RoundedRectangle(
            width=width,
            height=CAPTION_HEIGHT,
            corner_radius=0.14,
            fill_color=palette.PANEL,
            fill_opacity=0.92,
            stroke_width=0,
        ).to_edge(DOWN, buff=margin)
        self.size = size
        self.zoom = 1.0  # the camera frame's width / the default frame width (see ``follow``)
        self.line = VGroup()
        self.text = ""
        super().__init__(self.panel, self.line)
        roles.mark(self, roles.CAPTION)

    def make_line(self, text: str) -> Text:
        line = label(text, self.size).scale(self.zoom)
        max_width = CAPTION_MAX_WIDTH * config.frame_width * self.zoom
        if line.width > max_width:
            line.scale_to_fit_width(max_width)
        # The line is played in and out as a mobject of its own (not a child of the strip),
        # so it follows the panel itself when the camera moves or zooms.
        line.strip_zoom = self.zoom
        line.add_updater(self._stay_on_panel)
        return roles.mark(line.move_to(self.panel), roles.CAPTION)

    def _stay_on_panel(self, line: Text) -> None:
        if abs(line.strip_zoom - self.zoom) > 1e-12:
            line.scale(self.zoom / line.strip_zoom)
            line.strip_zoom = self.zoom
        line.move_to(self.panel)

    def show(self, text: str) -> list:
        """Animations replacing the current line with ``text``, to be played one after the
        other: the old line's fade-out (if any), then the new line's fade-in."""
        steps = self.clear()
        new = self.make_line(text)
        self.line = new
        self.text = text
        return [*steps, FadeIn(new, shift=0.05 * UP)]

    def clear(self) -> list:
        """The animation removing the current line (empty list if there is none)."""
        old = self.line
        if not old.submobjects:
            return []
        self.remove(old)
        self.line = VGroup()
        self.text = ""
        self.add(self.line)
        return [FadeOut(old)]

    def follow(self, frame) -> CaptionStrip:
        """Keep the strip at the bottom of the camera ``frame`` at its zoom (an updater)."""
        home_center = self.panel.get_center().copy()

        def stay(strip: CaptionStrip) -> None:
            zoom = frame.width / config.frame_width
            if abs(strip.zoom - zoom) > 1e-12:
                strip.scale(zoom / strip.zoom, about_point=strip.panel.get_center())
                strip.zoom = zoom
            strip.shift(frame.get_center() + home_center * zoom - strip.panel.get_center())

        self.add_updater(stay)
        return self

    def set_now(self, text: str) -> CaptionStrip:
        """Replace the line without animation."""
        self.remove(self.line)
        self.line = self.make_line(text)
        self.text = text
        self.add(self.line)
        return self
