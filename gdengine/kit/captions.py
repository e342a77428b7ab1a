"""Caption strip: one short line per beat, from a per-scene strings table keyed by language.

A strings table is a TOML file with one table per language and one key per caption line::

    # scenes/strings/ball_downhill.toml
    [en]
    loop = "Measure the slope, then step against it."
    stops = "|f′(x)| < {tol} after {count} updates."

    [zh]
    loop = "先量斜率,再逆着斜率走一步。"

Lines may hold ``{name}`` placeholders that the scene fills with engine numbers at render time
(so no number is ever typed into a translation). A translation is added by adding a table;
keys it lacks fall back to English. ``StringsTable`` checks at load time that every language's
placeholders match English, so a translation cannot silently drop a number.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from pathlib import Path

from manim import DOWN, UP, FadeIn, FadeOut, RoundedRectangle, Text, VGroup, config

from gdengine.errors import GdengineError
from gdengine.kit import palette
from gdengine.kit.text import TEXT_SIZE, label
from gdengine.lint import roles

BASE_LANGUAGE = "en"


def _placeholders(line: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(line) if field}


class StringsTable:
    """Caption lines per language: ``table.line("en", "loop", count=27)``."""

    def __init__(self, tables: Mapping[str, Mapping[str, str]], source: str = "<dict>"):
        if BASE_LANGUAGE not in tables:
            raise GdengineError(
                f"strings table {source} has no [{BASE_LANGUAGE}] table; add one (it is the "
                "fallback for every other language)"
            )
        self.source = source
        self.tables = {lang: dict(lines) for lang, lines in tables.items()}
        base = self.tables[BASE_LANGUAGE]
        for lang, lines in self.tables.items():
            for key, line in lines.items():
                if not isinstance(line, str):
                    raise GdengineError(f"{source}: [{lang}] {key} must be a string")
                if key not in base:
                    raise GdengineError(
                        f"{source}: [{lang}] has key {key!r} that [{BASE_LANGUAGE}] lacks; "
                        f"valid keys: {', '.join(sorted(base))}"
                    )
                if _placeholders(line) != _placeholders(base[key]):
                    raise GdengineError(
                        f"{source}: [{lang}] {key} uses placeholders "
                        f"{sorted(_placeholders(line))}, but [{BASE_LANGUAGE}] uses "
                        f"{sorted(_placeholders(base[key]))}; keep the same {{names}}"
                    )

    @classmethod
    def load(cls, path: str | Path) -> StringsTable:
        path = Path(path)
        if not path.is_file():
            raise GdengineError(f"strings file {path} not found; create it with an [en] table")
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as err:
            raise GdengineError(f"strings file {path} is not valid TOML: {err}") from None
        return cls(data, source=str(path))

    @property
    def languages(self) -> list[str]:
        return sorted(self.tables)

    @property
    def keys(self) -> list[str]:
        return list(self.tables[BASE_LANGUAGE])

    def check_language(self, language: str) -> str:
        if language not in self.tables:
            raise GdengineError(
                f"language {language!r} not in {self.source}; valid choices: "
                f"{', '.join(self.languages)} (add a [{language}] table to translate)"
            )
        return language

    def line(self, language: str, key: str, **values: object) -> str:
        """The caption ``key`` in ``language`` (English if untranslated), filled with values."""
        self.check_language(language)
        base = self.tables[BASE_LANGUAGE]
        if key not in base:
            raise GdengineError(
                f"caption key {key!r} not in {self.source}; valid keys: {', '.join(base)}"
            )
        template = self.tables[language].get(key, base[key])
        missing = _placeholders(template) - set(values)
        if missing:
            raise GdengineError(
                f"caption {key!r} needs values for {', '.join(sorted(missing))}"
            )
        return template.format(**values)


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
        return roles.mark(line.move_to(self.panel), roles.CAPTION)

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
