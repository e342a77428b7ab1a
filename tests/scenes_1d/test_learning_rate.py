"""Storyboard 4 (learning_rate): rates and boundaries come from the engine sweep."""

from __future__ import annotations

import numpy as np
import pytest
from scene_harness import assert_not_blank, load_scene_module

import gdengine as gd
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


BEATS = ["setup", "race", "crawl", "converge", "oscillate", "diverge", "global", "other_start", "momentum",
         "bifurcation", "bif_settle", "bif_escape", "recap"]


def test_render_quotes_engine_boundaries_and_throws_the_ball_out(render):
    rendered = render(Quick)
    assert_not_blank(rendered)
    scene = rendered.scene
    sw, panels = scene.facts["sweep"], scene.facts["panels"]
    ranges = sw.ranges()
    bounds = scene.facts["boundaries"]
    assert bounds["settle"] == ranges["converged"][1] and bounds["diverge"] == ranges["diverged"][0]
    assert bounds["escape"] == ranges["escaped"][0]
    assert any(f"{len(sw.values)} rates" in line for line in scene.captions_shown)
    diverging = panels["diverge"]
    assert diverging["replay"].status == "diverged"
    assert not diverging["ball"].is_on_plot()  # clipped honestly: hidden, marker on the border
    assert diverging["ball"].marker.get_fill_opacity() == 1.0
    assert scene.facts["other"].traj.basin[0] == 0  # another start reaches the global minimum
    assert scene.facts["momentum"].traj.basin[0] == 0  # and so does momentum from the same start


def test_beats_in_storyboard_order_and_the_clip_ends_on_the_recap(render):
    scene = render(Quick).scene
    assert [name for name, _ in scene.beats] == BEATS
    times = [t for _, t in scene.beats]
    assert times == sorted(times)
    assert scene.captions_shown[-1] == scene.t("recap")


def test_panel_captions_carry_the_engines_numbers(render):
    scene = render(Quick).scene
    land = gd.landscape("xcos")
    rates, shown, lines = scene.facts["rates"], scene.facts["shown"], scene.facts["explained"]
    crawl = gd.descend(land, gd.optimizer("sgd", lr=rates["crawl"]), [[-1.0]], shown["crawl"])
    gap = abs(crawl.positions[-1, 0, 0] - land.local_minima[0, 0])
    assert lines["crawl"]["gap"] == module.format_sig(gap, 2) and lines["crawl"]["steps"] == shown["crawl"] == 40
    osc = gd.descend(land, gd.optimizer("sgd", lr=rates["oscillate"]), [[-1.0]], shown["oscillate"])
    last_two = osc.positions[-2:, 0, 0]
    assert (lines["oscillate"]["a"], lines["oscillate"]["b"]) == (module.format_sig(last_two.min()),
                                                                  module.format_sig(last_two.max()))
    div = gd.descend(land, gd.optimizer("sgd", lr=rates["diverge"]), [[-1.0]], 500)
    assert div.status[0] == "diverged" and lines["diverge"]["k"] == int(div.stopped_at[0])


def test_none_of_the_rates_settles_in_the_global_minimum(render):
    scene = render(Quick).scene
    sw, land = scene.facts["sweep"], gd.landscape("xcos")
    counts = scene.facts["settle_counts"]
    assert counts["global_min"] == 0 == module.global_count(sw, land)
    near_local = np.abs(sw.final[:, 0] - land.local_minima[0, 0]) < land.basin_radius
    assert counts["local_min"] == int(np.sum(near_local & (sw.outcome == "converged"))) > 0
    assert scene.t("none", n=len(sw.values), count=0) in scene.captions_shown


def test_tick_numbers_sit_under_every_panel_not_on_its_curve(render):
    scene = render(Quick).scene
    for panel in scene.facts["panels"].values():
        plot = panel["plot"]
        bottom = plot.to_screen(plot.x_bounds[0], plot.y_bounds[0])[1]
        numbers = plot.axes.x_axis.numbers
        assert len(numbers) == 7  # −1.0 … 2.0 in steps of 0.5, 0 included
        assert all(n.get_top()[1] < bottom for n in numbers)
        curve = np.vstack([piece.points for piece in plot.graph])
        assert curve[:, 1].min() > bottom  # and the curve stays above the window's floor


def test_bad_sweep_range_fails_at_class_definition():
    with pytest.raises(GdengineError, match="sweep_range"):
        type("Variant", (module.LearningRate,), {"sweep_range": (0.5, 0.1, 0.01)})
