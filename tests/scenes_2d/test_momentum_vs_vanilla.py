"""Storyboard 6 (momentum_vs_vanilla): engine facts on screen, balls where the engine puts them."""

from __future__ import annotations

import numpy as np
import pytest
from pixels_2d import ball_found_at, frame_after
from scene_harness import assert_not_blank, load_scene_module

from gdengine.errors import GdengineError

module = load_scene_module("momentum_vs_vanilla")


class Quick(module.MomentumVsVanilla):
    replay_seconds = 2.0
    swing_steps = 120
    pace = 0.4


def test_renders_frames_that_are_not_blank(render):
    rendered = render(Quick)
    assert_not_blank(rendered)
    assert [b for b, _ in rendered.scene.beats] == ["valley", "beta_zero", "beta_one", "local", "ema"]


def test_counts_and_beta_zero_come_from_the_engine(render):
    scene = render(Quick).scene
    vanilla, heavy = scene.facts["valley"]["runs"]
    line = f"vanilla {int(vanilla.stopped_at[0])} updates, momentum {int(heavy.stopped_at[0])}"
    assert any(line in c for c in scene.captions_shown)
    assert heavy.stopped_at[0] < vanilla.stopped_at[0]  # the storyboard's point
    assert scene.facts["beta_zero"]["diff"] == 0.0  # β = 0 is vanilla, iterate for iterate
    assert any("at most 0." in c for c in scene.captions_shown)
    swing = scene.facts["swing"]
    assert swing["run"].status[0] == "max_steps" and swing["dist"] > 0.5  # still swinging


def test_momentum_escapes_the_shallow_minimum_and_balls_show_it(render):
    rendered = render(Quick)
    facts = rendered.scene.facts["trap"]
    vanilla, heavy = facts["runs"]
    land = facts["view"].land
    assert vanilla.basin[0] == 1 and heavy.basin[0] == 0  # local vs global minimum (engine basins)
    frame = frame_after(rendered, facts["end"])
    for runner in facts["view"].runners:
        point = facts["view"].cmap.c2p(runner.traj.final[0])
        found = ball_found_at(rendered, frame, point, runner.color, radius_px=3)
        assert found is not None and np.linalg.norm(found - rendered.to_pixel(point)) < 2.0, runner.name
    assert land.local_minima[0, 0] == pytest.approx(vanilla.final[0, 0], abs=1e-2)


def test_memory_weights_are_read_off_the_engine_buffer(render):
    facts = render(Quick).scene.facts["memory"]
    w, m = facts["weights"], facts["memory"]
    assert m == 10
    assert w[0] == 1.0 and w[m] == pytest.approx(0.9**10, rel=1e-12)
    assert np.allclose(w[1:] / w[:-1], 0.9)


def test_misspelt_attribute_raises():
    with pytest.raises(GdengineError, match="did you mean 'swing_beta'"):
        type("Bad", (module.MomentumVsVanilla,), {"swing_bta": 0.99})
    with pytest.raises(GdengineError, match="unknown landscape"):
        type("Bad", (module.MomentumVsVanilla,), {"trap": "shallow"})
    with pytest.raises(GdengineError, match="<= 0.999"):
        type("Bad", (module.MomentumVsVanilla,), {"beta": 1.0})
