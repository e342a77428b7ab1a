"""Strings tables: languages, fallback, placeholders checked at load time."""

from __future__ import annotations

import numpy as np
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


def _strip_then_static_then_dot(base):
    """A scene whose caption strip comes first, 12 static squares after it, then a dot that
    moves (and a zoom of the camera frame at the end)."""
    from manim import BLUE, LEFT, RIGHT, Dot, Square, VGroup

    class StripFirst(base):
        def construct(self):
            self.caption_strip.set_now("Static picture, one moving dot.")
            squares = VGroup(*[Square(0.5, color=BLUE, fill_opacity=0.6).shift(LEFT * 5 + RIGHT * 0.8 * i)
                               for i in range(12)])
            dot = Dot(LEFT * 3, color="#FFCC00", radius=0.2)
            self.add(squares, dot)
            self.play(dot.animate.shift(RIGHT * 6), run_time=1)
            moving = {id(f) for m in self.moving_mobjects for f in m.get_family()}
            self.facts["squares moving"] = sum(id(s) in moving for s in squares)
            self.facts["dot moving"] = id(dot) in moving
            self.play(self.camera.frame.animate.scale(0.7), run_time=0.6)
            moving = {id(f) for m in self.moving_mobjects for f in m.get_family()}
            self.facts["squares moving while zooming"] = sum(id(s) in moving for s in squares)

    return StripFirst


def test_caption_strip_does_not_make_the_picture_redraw_every_frame():
    """The strip's updaters only keep it on the camera frame: with the frame still, content
    after it is drawn once per play, and the frames are the same as when everything is redrawn."""
    from manim import MovingCameraScene
    from scene_harness import render_frames

    from gdengine.kit.scene import GdScene

    class RedrawAll(GdScene):  # manim's own rule: everything after the strip moves
        def get_moving_mobjects(self, *animations):
            return MovingCameraScene.get_moving_mobjects(self, *animations)

    drawn_once = render_frames(_strip_then_static_then_dot(GdScene), fps=10)
    redrawn = render_frames(_strip_then_static_then_dot(RedrawAll), fps=10)
    assert drawn_once.scene.facts["squares moving"] == 0 and drawn_once.scene.facts["dot moving"]
    assert redrawn.scene.facts["squares moving"] == 12
    assert drawn_once.scene.facts["squares moving while zooming"] == 12  # the frame moves: all do
    assert len(drawn_once.frames) == 16
    assert np.array_equal(drawn_once.frames, redrawn.frames)
    yellow = (drawn_once.frames[..., 0] > 200) & (drawn_once.frames[..., 1] > 150) & (drawn_once.frames[..., 2] < 80)
    xs = [np.flatnonzero(f.any(axis=0)).mean() for f in yellow[:10]]
    assert xs[-1] - xs[0] > 100  # the dot really moves across the frame
