"""Storyboard 3 (why_it_works): the Taylor guess holds for small η and breaks for large η."""

from __future__ import annotations

import pytest
from scene_harness import assert_not_blank, load_scene_module

from gdengine.errors import GdengineError

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
    assert [kind for _, kind, _ in verdicts] == ["holds", "off", "worse"]
    ratios = [ratio for _, _, ratio in verdicts]
    assert ratios == sorted(ratios, reverse=True) and ratios[-1] < 0
    assert rendered.poster is not None  # marked when the guess breaks


def test_rates_follow_the_engine_lr_rule():
    with pytest.raises(GdengineError, match=r"rates\[1\] must be >= 0"):
        type("Variant", (module.WhyItWorks,), {"rates": (0.1, -0.5)})
