"""Storyboard 5 (local_minima_saddle): basins, the flat point of x³ and saddles, per the engine."""

from __future__ import annotations

import numpy as np
import pytest
from scene_harness import assert_not_blank, load_scene_module

import gdengine as gd
from gdengine.errors import GdengineError

module = load_scene_module("local_minima_saddle")


class Quick(module.LocalMinimaSaddle):
    pace = 0.5


def test_scene_runs_and_reports_engine_outcomes(render):
    rendered = render(Quick)
    assert_not_blank(rendered)
    facts = rendered.scene.facts
    # the start decides: each ball ends at the minimum whose basin interval holds its start
    traj, land = facts["valley_run"], gd.landscape("xcos")
    known = np.concatenate([land.minima, land.local_minima])[:, 0]
    for b, start in enumerate(traj.positions[0, :, 0]):
        lo, hi = gd.basin_interval(land, known[traj.basin[b]])
        assert lo < start < hi
    assert set(traj.basin) == {0, 1} and all(traj.status == "converged")
    # x³: the engine calls it stalled (not converged); the counter shows its stop step
    flat = facts["flat_run"]
    assert flat.status == "stalled" and facts["flat_counter"] == str(flat.last)
    # saddles: on the ridge the runs stall at the saddle; nudged ones escape (diverge)
    assert [t.status[0] for t in facts["ridge_runs"]] == ["stalled", "stalled"]
    assert [t.status[0] for t in facts["nudged_runs"]] == ["diverged", "diverged"]
    for traj in facts["ridge_runs"]:
        assert np.linalg.norm(traj.final[0]) < 0.05
    assert rendered.poster is not None


BEATS = ["valleys", "decides", "flat", "flat_point", "stalls", "stalled", "lower", "saddles", "ridge",
         "stalled_2d", "nudge", "recap"]


def test_the_picture_says_what_the_captions_say(render):
    scene = render(Quick).scene
    facts = scene.facts
    assert [name for name, _ in scene.beats] == BEATS
    assert scene.captions_shown[-1] == scene.t("recap")
    traj = facts["valley_run"]
    # the basin colours shown before the run are the basins the engine's runs end in
    assert facts["predicted_basins"] == [int(k) for k in traj.basin]
    # the f′ labels at the two bottoms are the engine's gradients, the same the caption quotes
    for index, text in facts["bottom_slopes"].items():
        first = int(np.flatnonzero(traj.basin == index)[0])
        assert text == module.format_sig(traj.grads[traj.stopped_at[first], first, 0], 2)
    flat = scene.t("flat", g_local=facts["bottom_slopes"][1], g_global=facts["bottom_slopes"][0])
    assert flat in scene.captions_shown
    # x³ keeps falling to the left: the value quoted is the engine's f at the window's edge
    left, f_left = facts["lower"]
    assert left == -1.5 and f_left == gd.landscape("cubic").f(np.array([[left]]))[0] == -3.375


def test_saddle_titles_clear_the_exit_markers(render):
    facts = render(Quick).scene.facts
    for title, m in zip(facts["saddle_titles"], facts["saddle_maps"]):
        assert title.get_bottom()[1] > m.box.frame.get_top()[1] + 0.3  # exit crosses sit on the top edge


def test_nudge_must_be_positive_and_names_are_checked():
    with pytest.raises(GdengineError, match="nudge must be > 0"):
        type("Variant", (module.LocalMinimaSaddle,), {"nudge": 0.0})
    with pytest.raises(GdengineError, match="unknown landscape 'cubik'"):
        type("Variant", (module.LocalMinimaSaddle,), {"flat": "cubik"})
