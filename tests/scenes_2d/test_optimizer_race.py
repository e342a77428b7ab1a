"""Storyboard 8 (optimizer_race): tiny render; balls, counter and outcomes against the engine."""

from __future__ import annotations

import numpy as np
import pytest
from pixels_2d import ball_found_at, frame_after
from scene_harness import assert_not_blank, load_scene_module

import gdengine as gd
from gdengine.errors import GdengineError

module = load_scene_module("optimizer_race")


class Quick(module.OptimizerRace):
    """Two short races (15 Himmelblau steps: the balls are still apart; the saddle, where runs
    diverge or leave) and the montage, fast."""

    races = {"himmelblau": {"start": (-0.4, -0.65), "steps": 15, "lr": (0.005, 0.002, 0.5, 0.03, 0.1)},
             "saddle": {"start": (1.8, 0.001), "steps": 200, "lr": (0.05, 0.05, 0.3, 0.05, 0.05)}}
    race_seconds = 2.0
    pace = 0.5


def test_renders_and_marks_the_montage_as_poster(render):
    rendered = render(Quick)
    assert_not_blank(rendered)
    assert rendered.poster is not None and rendered.poster > len(rendered.frames) // 2
    assert [name for name, _ in rendered.scene.beats][-1] == "montage"


def test_counter_and_outcomes_match_the_engine(render):
    scene = render(Quick).scene
    view, runs = scene.facts["himmelblau"]["view"], scene.facts["himmelblau"]["runs"]
    assert view.counter.value_text == str(max(r.T for r in runs)) == "15"
    assert [cell.text for cell in view.column] == ["…"] * 5  # nobody stops within 15 steps
    saddle = scene.facts["saddle"]
    for run, trace, cell in zip(saddle["runs"], saddle["view"].traces, saddle["view"].column):
        if run.status[0] == "diverged":  # the engine's divergence step, marked ×
            assert cell.text == f"×{int(run.stopped_at[0])}"
        else:  # still running but off the map: the step it left
            assert cell.text == f"△{trace.exit_step}"


def test_balls_are_drawn_at_the_engine_positions(render):
    rendered = render(Quick)
    facts = rendered.scene.facts["himmelblau"]
    frame = frame_after(rendered, facts["end"])
    view = facts["view"]
    checked = 0
    for runner, trace in zip(view.runners, view.traces):
        expected = view.cmap.c2p(runner.traj.positions[-1, 0])
        assert np.allclose(trace.ball.get_center(), expected)
        others = [view.cmap.c2p(r.traj.positions[-1, 0]) for r in view.runners if r is not runner]
        if min(np.linalg.norm(np.asarray(others) - expected, axis=1)) < 0.4:
            continue  # overlapping balls: colours mix, skip the pixel check for this one
        found = ball_found_at(rendered, frame, expected, runner.color, radius_px=3)
        assert found is not None, runner.name
        assert np.linalg.norm(found - rendered.to_pixel(expected)) < 2.0, runner.name
        checked += 1
    assert checked >= 2


def test_saddle_runs_leave_the_map_and_are_marked(render):
    facts = render(Quick).scene.facts["saddle"]
    outcomes = {t.outcome for t in facts["view"].traces}
    assert outcomes <= {"diverged", "left"} and "diverged" in outcomes
    for trace in facts["view"].traces:  # every marker shown by the end, every ball hidden
        assert trace._marker_on
        assert trace.ball.get_fill_opacity() == 0


def test_misspelt_or_inconsistent_parameters_raise():
    with pytest.raises(GdengineError, match="did you mean 'race_seconds'"):
        type("Bad", (module.OptimizerRace,), {"race_second": 3.0})
    with pytest.raises(GdengineError, match="valid choices"):
        type("Bad", (module.OptimizerRace,), {"races": {"rosenbrok": {"lr": (0.1,) * 5}}})
    with pytest.raises(GdengineError, match="one per optimizer"):
        type("Bad", (module.OptimizerRace,), {"races": {"beale": {"lr": (0.1, 0.2)}}})
    with pytest.raises(GdengineError, match="unknown optimizer"):
        type("Bad", (module.OptimizerRace,), {"optimizers": ("sgd", "adamm")})


def test_default_races_use_the_storyboard_start_on_himmelblau():
    race = module.OptimizerRace.races["himmelblau"]
    assert race["start"] == (-0.4, -0.65)
    assert set(module.OptimizerRace.races) == {"himmelblau", "rosenbrock", "beale", "saddle"}
    assert module.OptimizerRace.optimizers == ("sgd", "momentum", "adagrad", "rmsprop", "adam")
    assert gd.landscape("himmelblau").dim == 2
