"""Storyboard 1 (ball_downhill): engine facts, a tiny render, and where the ball is drawn."""

from __future__ import annotations

import numpy as np
import pytest
from pixels_1d import ball_pixel
from scene_harness import assert_not_blank, load_scene_module

import gdengine as gd
from gdengine.errors import GdengineError
from gdengine.kit.ball import BALL_RADIUS

module = load_scene_module("ball_downhill")


class Quick(module.BallDownhill):
    pace = 0.5  # same beats, half the frames


def engine_run(lr, steps, tol):
    return gd.descend(gd.landscape("parabola"), gd.optimizer("sgd", lr=lr), [[1.8]], steps, tol=tol)


def test_engine_gives_the_storyboard_numbers():
    traj = engine_run(0.1, 500, 0.01)
    assert traj.status[0] == "converged"
    assert traj.stopped_at[0] == 27
    assert traj.positions[27, 0, 0] == pytest.approx(0.00435, abs=5e-6)


def test_renders_frames_that_are_not_blank(render):
    assert_not_blank(render(Quick))


def test_counter_and_caption_match_the_engine(render):
    scene = render(Quick).scene
    expected = int(engine_run(0.1, 500, 0.01).stopped_at[0])
    assert scene.facts["counter"] == str(expected)
    assert any(f"after {expected} updates" in line for line in scene.captions_shown)
    assert scene.facts["main"].n_updates == expected


def test_ball_is_drawn_at_the_engine_iterate(render):
    rendered = render(Quick)
    scene, plot = rendered.scene, rendered.scene.facts["plot"]
    main, contrast = scene.facts["main"], scene.facts["contrast"]
    checks = [
        (scene.beat_time("first_steps"), main.positions[0, 0]),
        (scene.beat_time("stop") + 0.2, main.positions[main.last, 0]),
        (scene.beat_time("bounced"), contrast.positions[min(Quick.contrast_steps, contrast.last), 0]),
    ]
    for seconds, x in checks:
        expected = rendered.to_pixel(plot.resting_point(float(x), BALL_RADIUS))
        found = ball_pixel(rendered, seconds, plot)
        assert found is not None, f"no ball at t={seconds:.2f}s"
        assert np.linalg.norm(found - expected) < 2.5, (seconds, x, found, expected)


def test_contrast_run_bounces_between_plus_and_minus_start(render):
    contrast = render(Quick).scene.facts["contrast"]
    xs = contrast.positions[: contrast.last + 1, 0]
    assert contrast.status == "max_steps"
    np.testing.assert_allclose(np.abs(xs), 1.8, rtol=1e-12)
    assert np.all(np.sign(xs[1:]) == -np.sign(xs[:-1]))


def test_poster_is_marked_at_the_stop(render):
    rendered = render(Quick)
    stop = rendered.scene.beat_time("stop")
    assert rendered.poster is not None
    assert rendered.poster / rendered.fps >= stop


@pytest.mark.parametrize(
    "attrs, message",
    [
        ({"lrr": 0.5}, "did you mean 'lr'"),
        ({"lr": -0.1}, r"lr must be >= 0"),
        ({"landscape": "parabol"}, "valid choices"),
        ({"language": "fr"}, "valid choices: en"),
    ],
)
def test_bad_parameters_fail_at_class_definition(attrs, message):
    with pytest.raises(GdengineError, match=message):
        type("Variant", (module.BallDownhill,), attrs)


def test_variant_subclass_overrides_parameters():
    variant = type("Faster", (module.BallDownhill,), {"lr": 0.3, "start": -1.5})
    assert variant.lr == 0.3 and variant.start == -1.5
    assert variant.param_values()["contrast_lr"] == 1.0
