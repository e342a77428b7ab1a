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


def test_nudge_must_be_positive_and_names_are_checked():
    with pytest.raises(GdengineError, match="nudge must be > 0"):
        type("Variant", (module.LocalMinimaSaddle,), {"nudge": 0.0})
    with pytest.raises(GdengineError, match="unknown landscape 'cubik'"):
        type("Variant", (module.LocalMinimaSaddle,), {"flat": "cubik"})
