"""Storyboard 3 (why_it_works): the Taylor guess holds for small η and breaks for large η."""

from __future__ import annotations

import pytest
from scene_harness import assert_not_blank, load_scene_module

from gdengine.errors import GdengineError
from gdengine.kit.text import format_sig

module = load_scene_module("why_it_works")


class Quick(module.WhyItWorks):
    pace = 0.5


def test_prediction_is_the_first_order_taylor_value():
    step = module.one_step("parabola", 1.8, 0.1)
    g, f0 = step.g_k(0), step.f_k(0)
    assert module.prediction(step) == pytest.approx(f0 - 0.1 * g * g, rel=1e-12)
    assert step.f_k(1) < f0  # a small step lowers f


def test_verdicts_go_from_holds_to_worse_as_eta_grows(render):
    rendered = render(Quick)
    assert_not_blank(rendered)
    verdicts = rendered.scene.facts["verdicts"]
    assert [lr for lr, _, _ in verdicts] == list(Quick.rates)
    assert [kind for _, kind, _ in verdicts] == ["holds", "worse"]
    ratios = [ratio for _, _, ratio in verdicts]
    assert ratios == sorted(ratios, reverse=True) and ratios[-1] < 0
    assert rendered.poster is not None  # marked when the guess breaks


def test_beats_in_storyboard_order_ending_on_the_recap(render):
    scene = render(Quick).scene
    assert [name for name, _ in scene.beats] == ["curve", "taylor", "choose", "drop", "rate_1", "rate_2", "recap"]
    assert scene.captions_shown[-1] == scene.t("recap")


def test_panel_shows_the_numbers_its_caption_quotes(render):
    """Each verdict caption is shown with the panel filled in for that same η."""
    scene = render(Quick).scene
    for lr, (caption, (eta, f0, pred, true)) in zip(Quick.rates, scene.facts["panel_values"]):
        step = module.one_step("parabola", Quick.start, lr)
        assert (eta, f0) == (format_sig(lr), format_sig(step.f_k(0)))
        assert (pred, true) == (format_sig(module.prediction(step)), format_sig(step.f_k(1)))
        assert f"{pred}, true {true}" in caption


def test_camera_zooms_until_the_small_step_gap_is_visible(render):
    scene = render(Quick).scene
    plot = scene.facts["plot"]
    small, large = (module.one_step("parabola", Quick.start, lr) for lr in Quick.rates)
    gap_px = [scene.gap_px(plot, step) for step in (small, large)]
    assert gap_px[0] < 20  # the tangent's guess and the truth would be one blob unzoomed
    zoom_small, zoom_large = scene.facts["zooms"]
    assert gap_px[0] * zoom_small >= 20 and zoom_large == 1.0  # the large step's gap is plain to see
    (_, width), = scene.facts["zoom_views"]
    assert width == pytest.approx(14.222222 / zoom_small, rel=1e-3)


def test_rates_follow_the_engine_lr_rule():
    with pytest.raises(GdengineError, match=r"rates\[1\] must be >= 0"):
        type("Variant", (module.WhyItWorks,), {"rates": (0.1, -0.5)})


def test_the_voice_says_the_verdict_the_engine_found(media_dir):
    """The rate beats are narrated by verdict (``beat(..., say="try_<kind>")``), with the
    engine's prediction and true value rounded to two digits, as a teacher says them."""
    from scene_harness import render_frames

    scene = render_frames(Quick, 320, 180, 5, media_dir=media_dir, voice="auto").scene
    said: dict[str, list[str]] = {}
    for beat, text, start, end in scene.narrated:
        said.setdefault(beat, []).append(text)
        assert end > start
    table = scene.strings()
    for index, lr in enumerate(Quick.rates, start=1):
        step = module.one_step("parabola", Quick.start, lr)
        kind, _ = module.verdict(step)
        values = dict(lr=format_sig(lr), pred=format_sig(module.prediction(step), 2), true=format_sig(step.f_k(1), 2))
        assert said[f"rate_{index}"] == table.narration("en", f"try_{kind}", **values)
    assert "-11" in " ".join(said["rate_2"]).replace("−", "-") and "4.7" in " ".join(said["rate_2"])
    assert said["rate_1"] != said["rate_2"]  # holds, then worse: different words
    beat_starts = dict(scene.beats)
    assert all(start >= beat_starts[beat] for beat, _, start, _ in scene.narrated)
