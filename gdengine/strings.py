"""Strings tables: every on-screen word of a scene, one TOML table per language.

A strings table is a TOML file with one table per language and one key per line::

    # scenes/strings/ball_downhill.toml
    [en]
    loop = "Measure the slope, then step against it."
    stops = "|f′(x)| < {tol} after {count} updates."

    [zh]
    loop = "先量斜率，再逆着斜率走一步。"

Lines may hold ``{name}`` placeholders that the scene fills with engine numbers at render time
(so no number is ever typed into a translation). A translation is added by adding a table;
keys it lacks fall back to English. ``StringsTable`` checks at load time that every language's
placeholders match English, so a translation cannot silently drop a number.

Narration (what the voice says) sits in a ``narration`` sub-table per language, keyed by the
stable beat ids the scene marks, a line or a list of lines per beat::

    [en.narration]
    descend = ["Each step is shorter than the last.", "The slope flattens near the bottom."]
    stop = "After {count} updates the slope is almost flat, so we stop."

The same placeholder check holds per beat (the placeholders of all its lines together).

Kept free of Manim and VTK: the Manim kit (captions) and the 3-D renderer both read it.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from pathlib import Path

from gdengine.errors import GdengineError

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
        self.narrations = {
            lang: _narration_table(lines.pop("narration", {}), source, lang)
            for lang, lines in self.tables.items()
        }
        _check_narration(self.narrations, source)
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

    def narration(self, language: str, beat: str, /, **values: object) -> list[str]:
        """The narration lines of ``beat`` in ``language`` (English if untranslated), filled
        with ``values``; an empty list when the beat has none."""
        self.check_language(language)
        lines = self.narrations[language].get(beat, self.narrations[BASE_LANGUAGE].get(beat, []))
        needed = set().union(*(_placeholders(x) for x in lines)) if lines else set()
        missing = needed - set(values)
        if missing:
            raise GdengineError(
                f"narration of beat {beat!r} needs values for {', '.join(sorted(missing))}; "
                f"pass them to beat({beat!r}, ...)"
            )
        return [x.format(**values) for x in lines]

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


def _narration_table(table: object, source: str, lang: str) -> dict[str, list[str]]:
    if not isinstance(table, Mapping):
        raise GdengineError(f"{source}: [{lang}.narration] must be a table of beat = line(s)")
    out: dict[str, list[str]] = {}
    for beat, lines in table.items():
        lines = [lines] if isinstance(lines, str) else lines
        if not isinstance(lines, list) or not lines or not all(isinstance(x, str) and x.strip() for x in lines):
            raise GdengineError(
                f"{source}: [{lang}.narration] {beat} must be a line or a list of lines"
            )
        out[beat] = list(lines)
    return out


def _check_narration(narrations: dict[str, dict[str, list[str]]], source: str) -> None:
    base = narrations.get(BASE_LANGUAGE, {})
    for lang, beats in narrations.items():
        for beat, lines in beats.items():
            if beat not in base:
                raise GdengineError(
                    f"{source}: [{lang}.narration] has beat {beat!r} that "
                    f"[{BASE_LANGUAGE}.narration] lacks; valid beats: {', '.join(sorted(base))}"
                )
            mine = set().union(*(_placeholders(x) for x in lines))
            theirs = set().union(*(_placeholders(x) for x in base[beat]))
            if mine != theirs:
                raise GdengineError(
                    f"{source}: [{lang}.narration] {beat} uses placeholders {sorted(mine)}, but "
                    f"[{BASE_LANGUAGE}.narration] uses {sorted(theirs)}; keep the same {{names}}"
                )
