"""Storyboard 7 (adaptive_methods): the state glyphs, bias correction and saddle against the engine."""

from __future__ import annotations

import numpy as np
import pytest
from pixels_2d import ball_found_at, frame_after
from scene_harness import assert_not_blank, load_scene_module

from gdengine.errors import GdengineError

module = load_scene_module("adaptive_methods")


class Quick(module.AdaptiveMethods):
    replay_seconds = 1.5
    pace = 0.3


def test_renders_frames_that_are_not_blank(render):
    rendered = render(Quick)
    assert_not_blank(rendered)
    beats = [b for b, _ in rendered.scene.beats]
    assert beats == ["adagrad", "rmsprop", "adam", "bias", "saddle"]
    assert rendered.poster is not None


def test_step_by_step_captions_carry_the_engine_numbers(render):
    scene = render(Quick).scene
    traj = scene.facts["adagrad"]["traj"]
    glyphs = scene.facts["adagrad"]["board"].glyphs
    values = glyphs.values(0)
    assert values["sx"] == module.format_sig(traj.state["sum"][1, 0, 0])
    assert any(f"s = ({values['sx']}, {values['sy']})" in c for c in scene.captions_shown)
    assert any(f"Δ = ({values['dx']}, {values['dy']})" in c for c in scene.captions_shown)


def test_adam_is_taken_apart_at_update_3_with_matching_panel(render):
    scene = render(Quick).scene
    glyphs = scene.facts["adam"]["board"].glyphs
    traj = scene.facts["adam"]["traj"]
    values = glyphs.values(3)
    assert values["mx"] == module.format_sig(traj.state["exp_avg"][4, 0, 0])
    assert any(f"m = ({values['mx']}, {values['my']})" in c for c in scene.captions_shown)
    assert any(f"({values['rx']}, {values['ry']}), the bars" in c for c in scene.captions_shown)


def test_adagrad_squares_only_grow_rmsprop_squares_shrink_again(render):
    scene = render(Quick).scene
    s_ada = scene.facts["adagrad"]["traj"].state["sum"][:, 0, 1]
    s_rms = scene.facts["rmsprop"]["traj"].state["square_avg"][:, 0, 1]
    assert np.all(np.diff(s_ada) >= 0)
    assert s_rms[-1] < 0.01 * s_rms.max()
    assert any(f"falls to {module.format_sig(s_rms[-1])}" in c for c in scene.captions_shown)
    # at the end of the replay the panel shows the last update's squares, area ∝ s
    glyphs = scene.facts["rmsprop"]["board"].glyphs
    k = glyphs.k
    s = glyphs.state.squares(k)
    areas = [sq.width * sq.height for sq in glyphs.squares]
    assert min(areas) > 1e-4  # above the drawing floor, so the ratio is exact
    assert areas[0] / areas[1] == pytest.approx(s[0] / s[1], rel=1e-6)


def test_bias_correction_numbers_are_two_engine_runs(render):
    scene = render(Quick).scene
    first, size = scene.facts["bias"]["first"], scene.facts["bias"]["size"]
    assert np.allclose(np.abs(first[True]), Quick.adam_lr)  # corrected first step: η per coordinate
    assert size[False] / size[True] == pytest.approx(np.sqrt(1000) / 10, rel=1e-6)  # 0.1/√0.001
    assert any(f"{module.format_sig(size[False])} without" in c for c in scene.captions_shown)


def test_saddle_balls_and_escape_counts(render):
    rendered = render(Quick)
    facts = rendered.scene.facts["saddle"]
    leave = facts["leave"]
    assert leave[0] > max(leave[1:])  # vanilla lingers longest
    assert any(f"lingers {leave[0]} updates" in c for c in rendered.scene.captions_shown)
    view = facts["view"]
    for runner, trace in zip(view.runners, view.traces):  # every run ends in a minimum, ringed
        assert runner.traj.status[0] == "converged" and trace._marker_on
        assert np.allclose(trace.ball.get_center(), view.cmap.c2p(runner.traj.final[0]))
    # they all share the minimum at (−π/2, 0): the last-drawn (Adam's) ball is on top there
    frame = frame_after(rendered, facts["end"])
    point = view.cmap.c2p(view.runners[-1].traj.final[0])
    found = ball_found_at(rendered, frame, point, view.runners[-1].color, radius_px=3)
    assert found is not None and np.linalg.norm(found - rendered.to_pixel(point)) < 2.0


def test_misspelt_attribute_raises():
    with pytest.raises(GdengineError, match="did you mean 'rmsprop_rho'"):
        type("Bad", (module.AdaptiveMethods,), {"rmsprop_roh": 0.9})
    with pytest.raises(GdengineError, match="must hold 4"):
        type("Bad", (module.AdaptiveMethods,), {"saddle_lrs": (0.1, 0.2)})
