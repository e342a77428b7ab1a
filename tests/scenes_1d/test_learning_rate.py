"""Storyboard 4 (learning_rate): rates and boundaries come from the engine sweep."""

from __future__ import annotations

import numpy as np
import pytest
from scene_harness import assert_not_blank, load_scene_module

from gdengine.errors import GdengineError

module = load_scene_module("learning_rate")


class Quick(module.LearningRate):
    pace = 0.5
    sweep_range = (0.005, 0.6, 0.005)  # coarser sweep: same stretches, half the rates
    tail = 20


@pytest.fixture(scope="module")
def sweep():
    return module.lr_sweep("xcos", -1.0, (0.0025, 0.6, 0.0025), 3000)


def test_the_sweep_matches_the_storyboard_windows(sweep):
    ranges = sweep.ranges()
    assert 0.29 <= ranges["converged"][1] <= 0.32
    assert 0.30 <= ranges["oscillating"][0] <= 0.32
    assert 0.47 <= ranges["escaped"][0] <= 0.49
    assert 0.52 <= ranges["diverged"][0] <= 0.54
    assert module.global_count(sweep, __import__("gdengine").landscape("xcos")) == 0


def test_picked_rates_have_the_outcomes_they_illustrate(sweep):
    rates = module.pick_rates(sweep, 0.05, 1e-3)
    outcome = dict(zip(np.round(sweep.values, 10), sweep.outcome))
    kinds = {name: outcome[round(lr, 10)] for name, lr in rates.items()}
    assert kinds == {"crawl": "converged", "converge": "converged", "oscillate": "oscillating", "diverge": "diverged"}
    assert rates["crawl"] < rates["converge"] < rates["oscillate"] < rates["diverge"]
    settle = module.settle_steps(sweep, 1e-3)
    converged = sweep.outcome == "converged"
    assert settle[np.isclose(sweep.values, rates["converge"])][0] == settle[converged].min()


def test_render_quotes_engine_boundaries_and_throws_the_ball_out(render):
    rendered = render(Quick)
    assert_not_blank(rendered)
    scene = rendered.scene
    sw, panels = scene.facts["sweep"], scene.facts["panels"]
    ranges = sw.ranges()
    bounds = scene.facts["boundaries"]
    assert bounds["settle"] == ranges["converged"][1] and bounds["diverge"] == ranges["diverged"][0]
    assert any(f"{len(sw.values)} rates" in line for line in scene.captions_shown)
    diverging = panels["diverge"]
    assert diverging["replay"].status == "diverged"
    assert not diverging["ball"].is_on_plot()  # clipped honestly: hidden, marker on the border
    assert diverging["ball"].marker.get_fill_opacity() == 1.0
    assert scene.facts["other"].traj.basin[0] == 0  # another start reaches the global minimum
    assert scene.facts["momentum"].traj.basin[0] == 0  # and so does momentum from the same start


def test_bad_sweep_range_fails_at_class_definition():
    with pytest.raises(GdengineError, match="sweep_range"):
        type("Variant", (module.LearningRate,), {"sweep_range": (0.5, 0.1, 0.01)})
