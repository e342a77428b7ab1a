"""Storyboard 2 (tangent_slope): slope read-outs and both-sided steps agree with the engine."""

from __future__ import annotations

import numpy as np
import pytest
from pixels_1d import ball_pixel, blob_center
from scene_harness import assert_not_blank, color_rgb, load_scene_module

from gdengine.errors import GdengineError
from gdengine.kit.ball import BALL_RADIUS
from gdengine.kit import palette
from gdengine.kit.text import format_sig

module = load_scene_module("tangent_slope")
MINUS = "\u2212"


class Quick(module.TangentSlope):
    pace = 0.5


def test_renders_frames_that_are_not_blank(render):
    assert_not_blank(render(Quick))


def test_slope_readouts_show_the_engine_slope_and_its_sign(render):
    facts = render(Quick).scene.facts
    assert facts["right_readout"] == "4.00  > 0"
    assert facts["left_readout"] == f"{MINUS}2.00  < 0"


def test_beats_in_storyboard_order_and_captions_quote_the_engine_steps(render):
    scene = render(Quick).scene
    assert [name for name, _ in scene.beats] == ["curve", "sweep", "right", "left", "both", "stepped", "recap"]
    steps = [r.step_k(0) for r in scene.facts["replays"]]
    assert steps == pytest.approx([-Quick.lr * 4.0, -Quick.lr * -2.0])  # −η·f′ at x = 2 and x = −1
    right, left = (format_sig(v) for v in steps)
    assert any(line.startswith("So step left") and line.endswith(f"= {right}.") for line in scene.captions_shown)
    assert any(f"step right, −η·f′(x) = +{left}." in line for line in scene.captions_shown)
    assert scene.captions_shown[-1] == scene.t("recap")


def test_both_steps_point_downhill_and_balls_land_on_the_iterates(render):
    rendered = render(Quick)
    scene = rendered.scene
    plot, replays = scene.facts["plot"], scene.facts["replays"]
    # engine: −η·f′ is negative right of the minimum, positive left of it
    assert replays[0].step_k(0) < 0 < replays[1].step_k(0)
    frame_time = scene.beat_time("stepped") + 0.2
    found = []
    for replay in replays:
        expected = rendered.to_pixel(plot.resting_point(replay.x_k(1), BALL_RADIUS))
        box = (*(expected - 6), *(expected + 6))
        centre = blob_center(rendered.frame_at(frame_time), color_rgb(palette.BALL), tol=30, box=box)
        assert centre is not None and np.linalg.norm(centre - expected) < 2.5
        found.append(centre)
    assert ball_pixel(rendered, frame_time, plot) is not None


def test_misspelt_parameter_raises():
    with pytest.raises(GdengineError, match="did you mean 'left_probe'"):
        type("Variant", (module.TangentSlope,), {"left_prob": -2.0})
