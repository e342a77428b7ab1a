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


def test_renders_beats_in_storyboard_order_and_marks_a_race_result_as_poster(render):
    rendered = render(Quick)
    assert_not_blank(rendered)
    scene = rendered.scene
    assert [name for name, _ in scene.beats] == [
        "intro", "race1", "race1_result", "race2", "race2_result", "summary", "recap"]
    result = scene.beat_time("race2_result")  # poster_race = 2: the second race's result
    assert rendered.poster is not None
    assert result * rendered.fps - 1 <= rendered.poster <= scene.beat_time("summary") * rendered.fps


def test_summary_table_holds_every_outcome_and_frames_the_first_to_stop(render):
    scene = render(Quick).scene
    table = scene.facts["summary"]["table"]
    texts = {k: scene.t(k, step="{step}") for k in module.OUTCOMES}
    for j, surface in enumerate(("himmelblau", "saddle")):
        view = scene.facts[surface]["view"]
        expected = [texts[kind].format(step=step).replace(" ", "") for step, kind in view.outcomes]
        assert [cell.text for cell in table.cells[j]] == expected
    assert [t.text for t in table.titles] == ["Himmelblau", "Saddle"]
    assert scene.facts["summary"]["frames"] == []  # nobody met the stop rule in either race


def test_results_and_recap_name_what_the_engine_reports(render):
    scene = render(Quick).scene
    # 15 Himmelblau steps: nobody meets the stop rule; on the saddle the first exit is named
    himmelblau, saddle = scene.facts["himmelblau"], scene.facts["saddle"]
    assert all(r.status[0] == "max_steps" for r in himmelblau["runs"])
    assert "No method meets the stop rule within 15 updates." in scene.captions_shown
    step, index = min((t.marker_step, i) for i, t in enumerate(saddle["view"].traces)
                      if t.outcome in ("left", "diverged"))
    name = saddle["view"].runners[index].name
    assert f"First off the map: {name}, at update {step}." in scene.captions_shown
    assert scene.winners == [None, None]
    assert scene.captions_shown[-1] == scene.t("recap_some")


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


class TunedFormula(module.OptimizerRace):
    """One race on a typed formula with tuned learning rates (no lr given)."""

    races = {"x^4 - 2*x^2 + x*y + y^2": {"start": (0.6, 1.9), "steps": 40,
                                         "window": ((-2.0, 2.0), (-2.0, 2.0))}}
    tune = True
    race_seconds = 1.5
    pace = 0.5


def test_a_tuned_race_on_a_formula_shows_the_tuned_rates_and_the_formula(render):
    scene = render(TunedFormula).scene
    assert [name for name, _ in scene.beats] == ["intro", "race1", "race1_result"]  # no table for one race
    view = scene.facts["x^4 - 2*x^2 + x*y + y^2"]["view"]
    land = view.land
    assert land.name == "x^4 - 2*x^2 + x*y + y^2" and land.view == ((-2.0, 2.0), (-2.0, 2.0))
    assert view.title.text == "Yourformula"  # manim keeps the glyphs, not the spaces
    for runner in view.runners:
        tuned = gd.tune_lr(land, runner.key, (0.6, 1.9), 40,
                           hyper={"momentum": 0.9} if runner.key == "momentum" else None).lr
        assert runner.opt.hyper["lr"] == tuned and tuned in gd.TUNE_RATES
        assert runner.params.startswith(f"η tuned: {module.format_sig(tuned, 2)}")


def test_formula_races_are_checked_with_their_window():
    with pytest.raises(GdengineError, match="not 2-D"):
        type("Bad", (module.OptimizerRace,), {"races": {"x^2": {"lr": (0.1,) * 5}}})
    with pytest.raises(GdengineError, match="column 6"):
        type("Bad", (module.OptimizerRace,), {"races": {"x^2 +* y": {"lr": (0.1,) * 5}}})
    with pytest.raises(GdengineError, match="or set tune = true"):
        type("Bad", (module.OptimizerRace,), {"races": {"x^2 + y^2": {}}})
    ok = type("Ok", (module.OptimizerRace,), {"races": {"x^2 + y^2": {"window": ((-1, 1), (-1, 1))}},
                                              "tune": True})
    assert ok.races["x^2 + y^2"]["start"] == (0.8, 0.8)  # the window's upper-right, inset
