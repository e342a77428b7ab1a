"""Storyboard 1 (ball_downhill): engine facts, a tiny render, and where the ball is drawn."""

from __future__ import annotations

import numpy as np
import pytest
from pixels_1d import ball_pixel, to_pixel_in
from scene_harness import assert_not_blank, blob_center, color_rgb, load_scene_module

import gdengine as gd
from gdengine.errors import GdengineError
from gdengine.kit import palette
from gdengine.kit.ball import BALL_RADIUS
from gdengine.kit.text import format_sig

module = load_scene_module("ball_downhill")
BEATS = ["landscape", "ball", "rule", "first_steps", "descend", "stop", "bounce", "bounced", "recap"]


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


def test_beats_follow_the_storyboard_and_end_on_the_recap(render):
    scene = render(Quick).scene
    assert [name for name, _ in scene.beats] == BEATS
    times = [t for _, t in scene.beats]
    assert times == sorted(times)
    assert scene.captions_shown[-1] == scene.t("recap")


def test_counter_readouts_and_caption_match_the_engine(render):
    scene = render(Quick).scene
    traj = engine_run(0.1, 500, 0.01)
    expected, x_last = int(traj.stopped_at[0]), float(traj.positions[traj.stopped_at[0], 0, 0])
    assert scene.facts["counter"] == str(expected)
    assert scene.facts["x_readout"] == format_sig(x_last)  # the HUD shows what the caption says
    stop_line = next(line for line in scene.captions_shown if f"after {expected} updates" in line)
    assert f"x ≈ {format_sig(x_last)}" in stop_line
    assert scene.facts["main"].n_updates == expected


def test_zoom_makes_short_steps_readable(render):
    """The camera closes in by the first step under 20 px at 480p, and that step reads again."""
    scene = render(Quick).scene
    plot, main = scene.facts["plot"], scene.facts["main"]
    _, width = scene.facts["zoom_view"]
    px_per_unit = 854 / 14.222222  # the default frame, at 854×480
    lengths = [abs(main.step_k(k)) * plot.units()[0] * px_per_unit for k in range(main.n_updates)]
    short = next(k for k, px in enumerate(lengths) if px < 20)
    assert Quick.zoom_after <= short
    assert lengths[short] * 14.222222 / width >= 20


def test_ball_is_drawn_at_the_engine_iterate(render):
    rendered = render(Quick)
    scene, plot = rendered.scene, rendered.scene.facts["plot"]
    main, contrast = scene.facts["main"], scene.facts["contrast"]
    zoomed = scene.facts["zoom_view"]
    checks = [
        (scene.beat_time("first_steps"), main.positions[0, 0], None),
        (scene.beat_time("stop") + 0.2, main.positions[main.last, 0], zoomed),
        (scene.beat_time("bounced"), contrast.positions[1, 0], None),
        (scene.beat_time("recap"), contrast.positions[contrast.last, 0], None),
    ]
    for seconds, x, view in checks:
        expected = to_pixel_in(rendered, plot.resting_point(float(x), BALL_RADIUS), view)
        if view is None:
            found = ball_pixel(rendered, seconds, plot)
        else:  # zoomed in: look near the expected spot (the HUD's x read-out is ball-coloured)
            box = (*(expected - 12), *(expected + 12))
            found = blob_center(rendered.frame_at(seconds), color_rgb(palette.BALL), tol=30, box=box)
        assert found is not None, f"no ball at t={seconds:.2f}s"
        assert np.linalg.norm(found - expected) < 2.5, (seconds, x, found, expected)


def test_contrast_run_bounces_between_plus_and_minus_start(render):
    scene = render(Quick).scene
    contrast = scene.facts["contrast"]
    xs = contrast.positions[: contrast.last + 1, 0]
    assert contrast.status == "max_steps"
    np.testing.assert_allclose(np.abs(xs), 1.8, rtol=1e-12)
    assert np.all(np.sign(xs[1:]) == -np.sign(xs[:-1]))
    assert contrast.index() == contrast.last  # the clip cuts to the engine's last update


def test_poster_is_marked_at_the_stop(render):
    rendered = render(Quick)
    stop = rendered.scene.beat_time("stop")
    assert rendered.poster is not None
    assert stop <= rendered.poster / rendered.fps < rendered.scene.beat_time("bounce")


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
