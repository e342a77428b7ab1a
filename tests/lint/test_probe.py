"""The Manim probe: its cap-height constants hold for freshly built glyphs, and boxes are
measured through the camera (zoom included)."""

from __future__ import annotations

import numpy as np
import pytest
from manim import RIGHT, UP, MathTypst, MovingCameraScene, Square, Text, tempconfig

from gdengine.kit.text import FONT
from gdengine.lint import manim_probe

from . import planted
from .helpers import lint_scene


@pytest.mark.parametrize("size", [20, 48, 100])
def test_cap_height_constants_match_fresh_glyphs(size, media_dir):
    with tempconfig({"media_dir": str(media_dir), "verbosity": "WARNING"}):
        cap = Text("H", font=FONT, font_size=size).height / size
        cjk = Text("中", font=FONT, font_size=size).height / size
        typst = MathTypst("H", font_size=size).height / size
    assert cap == pytest.approx(manim_probe.TEXT_CAP_PER_SIZE, rel=0.03)
    assert cjk == pytest.approx(manim_probe.CJK_BOX_PER_SIZE, rel=0.03)
    assert typst == pytest.approx(manim_probe.TYPST_CAP_PER_SIZE, rel=0.03)


def test_cap_height_follows_scaling(media_dir):
    """A label shrunk to fit (Text.font_size follows the scale) is judged at its shown size."""
    with tempconfig({"media_dir": str(media_dir), "verbosity": "WARNING"}):
        t = Text("step", font=FONT, font_size=40)
        assert manim_probe._cap_units(t) == pytest.approx(40 * manim_probe.TEXT_CAP_PER_SIZE)
        t.scale(0.5)
        assert manim_probe._cap_units(t) == pytest.approx(20 * manim_probe.TEXT_CAP_PER_SIZE)


class ZoomedTiny(MovingCameraScene):
    """A 14-size label (8.6 px at 480p: tiny) seen through a camera zoomed in 2.5× (21 px)."""

    zoom = 2.5

    def construct(self):
        t = planted.label("step 3", 14).move_to(2 * RIGHT + UP)
        self.add(Square(side_length=0.5).move_to(2 * RIGHT), t)
        self.wait(0.5)
        self.play(self.camera.frame.animate.scale(1 / self.zoom).move_to(2 * RIGHT + 0.5 * UP), run_time=1)
        self.wait(1)


def test_boxes_are_measured_through_the_moving_camera(media_dir):
    linted = lint_scene(ZoomedTiny, media_dir)
    assert [(f.rule, f.t) for f in linted.findings] == [("tiny", 0.0)]  # tiny until zoomed in; not after
    # the box of the label at the end: 2.5× its unzoomed size, centred where the camera looks
    with tempconfig({"media_dir": str(media_dir), "verbosity": "WARNING"}):
        scene = linted.scene
        frame = manim_probe.Frame(scene, 320, 180)
        label = next(m for m in scene.mobjects if isinstance(m, Text))
        x0, y0, x1, y1 = frame.box(label)
        assert (x1 - x0) == pytest.approx(label.width * 2.5 * 320 / 14.222, rel=0.01)
        assert frame.units_to_px(1.0) == pytest.approx(180 / 8 * 2.5)


def test_text_of_names_what_a_reader_sees(media_dir):
    with tempconfig({"media_dir": str(media_dir), "verbosity": "WARNING"}):
        assert manim_probe.text_of(Text("alpha", font=FONT)) == "alpha"
        assert manim_probe.text_of(MathTypst("x^2")) == "$ x^2 $"
        named = Square()
        named.lint_label = "loss = 0.25"
        assert manim_probe.text_of(named) == "loss = 0.25"


def test_the_probes_shortcuts_give_manims_numbers(media_dir):
    """font_size from the family's points, _center from the anchors: exactly manim's values."""
    from manim import Arrow, Circle, FunctionGraph, VGroup

    with tempconfig({"media_dir": str(media_dir), "verbosity": "WARNING"}):
        for mob in (Text("Gradient 中", font=FONT, font_size=31).scale(0.7), MathTypst("x_(t+1)", font_size=40).scale(1.3)):
            assert manim_probe.font_size(mob) == mob.font_size
        for mob in (Circle().shift(RIGHT), Arrow(UP, RIGHT), FunctionGraph(lambda x: x**2, x_range=[-1, 2])):
            for m in mob.family_members_with_points():
                assert (manim_probe._center(m) == m.get_center()).all()
        group = VGroup(Circle(), Square().shift(3 * RIGHT))
        assert (manim_probe._center(group) == group.get_center()).all()


def test_unchanged_data_shapes_are_reused_and_changed_ones_resampled():
    from manim import Circle, config

    class FakeScene:
        class camera:  # noqa: N801 — stands in for manim's camera
            frame_center = (0.0, 0.0, 0.0)
            frame_width, frame_height = config.frame_width, config.frame_height

    frame = manim_probe.Frame(FakeScene, 320, 180)
    cache = manim_probe.CurveCache()
    circle = Circle()
    first = cache.points(circle, frame)
    assert cache.points(circle, frame) is first  # the same points, not recomputed
    assert (first == manim_probe._member_curve_points(circle, frame)).all()
    circle.shift(RIGHT)  # manim moves points in place
    moved = cache.points(circle, frame)
    assert moved is not first and (moved[:, 0] - first[:, 0]).min() > 22.4  # 1 unit = 22.5 px
    FakeScene.camera.frame_center = (1.0, 0.0, 0.0)
    panned = cache.points(circle, manim_probe.Frame(FakeScene, 320, 180))
    assert panned is not moved and np.allclose(panned, first)  # moved with the camera: as before
    cache.sweep()
    cache.sweep()  # not used since the last sweep: dropped
    assert cache.points(circle, frame) is not panned


def test_family_with_points_is_manims_family_members_with_points():
    from manim import Circle, Dot, VGroup, VMobject

    dots = VGroup(*[Dot(RIGHT * i) for i in range(5)], VGroup(Circle(), VMobject()))
    nested = VGroup(Square(), dots, VMobject())
    assert manim_probe.family_with_points(nested) == nested.family_members_with_points()
    twice = VGroup(dots, dots[0])  # an object twice: manim keeps the last occurrence
    assert manim_probe.family_with_points(twice) == twice.family_members_with_points()
    assert manim_probe.family_with_points(VMobject()) == []


def test_non_finite_points_are_skipped_not_fatal():
    """A shape normalised from a zero vector (NaN points) must not crash the clip's lint."""
    from manim import VMobject, config

    class FakeScene:
        class camera:  # noqa: N801 — stands in for manim's camera
            frame_center = (0.0, 0.0, 0.0)
            frame_width, frame_height = config.frame_width, config.frame_height

    frame = manim_probe.Frame(FakeScene, 320, 180)
    shape = VMobject().set_points_as_corners([[0, 0, 0], [1, 0, 0], [np.nan, np.nan, 0], [2, 1, 0]])
    points = manim_probe._member_curve_points(shape, frame)
    assert len(points) > 0 and np.isfinite(points).all()
    assert points[:, 0].max() <= 160 + 22.5 + 1e-9  # only the finite first segment (x ≤ 1 unit)
