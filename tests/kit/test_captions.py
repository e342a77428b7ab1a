"""Strings tables: languages, fallback, placeholders checked at load time."""

from __future__ import annotations

import pytest

from gdengine.errors import GdengineError
from gdengine.kit.captions import CaptionStrip, StringsTable

TABLE = {
    "en": {"intro": "Hello.", "stop": "Stopped after {count} updates."},
    "zh": {"stop": "更新 {count} 次后停下。"},
}


def test_line_in_language_with_fallback_to_english():
    table = StringsTable(TABLE)
    assert table.line("zh", "stop", count=27) == "更新 27 次后停下。"
    assert table.line("zh", "intro") == "Hello."  # untranslated → English
    assert table.languages == ["en", "zh"]


def test_unknown_language_and_key_name_the_choices():
    table = StringsTable(TABLE)
    with pytest.raises(GdengineError, match="valid choices: en, zh"):
        table.line("fr", "intro")
    with pytest.raises(GdengineError, match="valid keys: intro, stop"):
        table.line("en", "outro")
    with pytest.raises(GdengineError, match="needs values for count"):
        table.line("en", "stop")


def test_translation_must_keep_the_placeholders():
    with pytest.raises(GdengineError, match="placeholders"):
        StringsTable({"en": {"stop": "after {count}"}, "de": {"stop": "nach {anzahl}"}})
    with pytest.raises(GdengineError, match="lacks"):
        StringsTable({"en": {"a": "x"}, "de": {"b": "y"}})
    with pytest.raises(GdengineError, match=r"no \[en\]"):
        StringsTable({"de": {"a": "x"}})


def test_load_from_toml(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text('[en]\nintro = "Hi {name}."\n[zh]\nintro = "你好 {name}。"\n', encoding="utf-8")
    assert StringsTable.load(path).line("zh", "intro", name="η") == "你好 η。"
    with pytest.raises(GdengineError, match="not found"):
        StringsTable.load(tmp_path / "missing.toml")


def test_caption_strip_shrinks_long_lines_to_fit():
    strip = CaptionStrip()
    strip.set_now("a very long caption " * 12)
    assert strip.line.width <= strip.panel.width
    strip.set_now("Short.")
    assert strip.line.height >= 20 / 480 * 8  # legible at 480p
    assert strip.panel.get_bottom()[1] >= -4.0  # inside the frame


def test_shown_line_follows_the_camera_frame():
    """The line a caption plays in is its own mobject: it must still track a zooming camera."""
    from manim import Rectangle, config

    frame = Rectangle(width=config.frame_width, height=config.frame_height)
    strip = CaptionStrip().follow(frame)
    steps = strip.show("Zoomed in.")
    line = steps[-1].mobject
    width = line.width
    frame.scale(0.5).move_to([2.0, -1.0, 0.0])
    strip.update(0)
    line.update(0)
    assert line.get_center()[:2] == pytest.approx(strip.panel.get_center()[:2])
    assert line.width == pytest.approx(width * 0.5)
