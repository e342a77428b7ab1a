"""Storyboard 7 (adaptive_methods): the state glyphs, bias correction, zoom and saddle against the engine."""

from __future__ import annotations

import re

import numpy as np
import pytest
from manim import config
from pixels_2d import ball_found_at, frame_after
from scene_harness import assert_not_blank, load_scene_module

from gdengine import look
from gdengine.errors import GdengineError
from gdengine.kit.traces import dash_pattern

module = load_scene_module("adaptive_methods")


class Quick(module.AdaptiveMethods):
    replay_seconds = 1.5
    pace = 0.3


def test_renders_frames_that_are_not_blank(render):
    rendered = render(Quick)
    assert_not_blank(rendered)
    beats = [b for b, _ in rendered.scene.beats]
    assert beats == ["adagrad", "adagrad_run", "rmsprop", "rmsprop_run", "adam", "adam_run", "bias", "saddle",
                     "saddle_done", "recap"]
    assert rendered.poster is not None
    assert rendered.scene.captions_shown[-1] == rendered.scene.t("recap")


def test_step_by_step_captions_carry_the_engine_numbers(render):
    scene = render(Quick).scene
    traj = scene.facts["adagrad"]["traj"]
    glyphs = scene.facts["adagrad"]["board"].glyphs
    values = glyphs.values(0)
    assert values["sx"] == module.format_sig(traj.state["sum"][1, 0, 0])
    assert any(f"s = ({values['sx']}, {values['sy']}), the squares' areas" in c for c in scene.captions_shown)
    assert any(f"Δ = ({values['dx']}, {values['dy']})" in c for c in scene.captions_shown)


def test_adam_is_taken_apart_at_update_3_with_matching_panel(render):
    scene = render(Quick).scene
    glyphs = scene.facts["adam"]["board"].glyphs
    traj = scene.facts["adam"]["traj"]
    values = glyphs.values(3)
    assert values["mx"] == module.format_sig(traj.state["exp_avg"][4, 0, 0])
    assert f"Update 3: m = ({values['mx']}, {values['my']}), an average of gradients." in scene.captions_shown
    assert (f"s = ({values['sx']}, {values['sy']}) scales each axis: Δ = ({values['dx']}, {values['dy']})."
            in scene.captions_shown)


def test_adagrad_squares_only_grow_rmsprop_squares_shrink_again(render):
    scene = render(Quick).scene
    s_ada = scene.facts["adagrad"]["traj"].state["sum"][:, 0, 1]
    rms = scene.facts["rmsprop"]["traj"]
    s_rms = rms.state["square_avg"][:, 0, 1]
    assert np.all(np.diff(s_ada) >= 0)
    assert s_rms[-1] < 0.01 * s_rms.max()
    n_ada = int(scene.facts["adagrad"]["traj"].stopped_at[0])
    assert f"Squares shrink again: {int(rms.stopped_at[0])} updates; AdaGrad took {n_ada}." in scene.captions_shown
    assert int(rms.stopped_at[0]) < n_ada
    # at the end of the replay the panel shows the last update's squares, area ∝ s
    glyphs = scene.facts["rmsprop"]["board"].glyphs
    k = glyphs.k
    s = glyphs.state.squares(k)
    areas = [sq.width * sq.height for sq in glyphs.squares]
    assert min(areas) > 1e-4  # above the drawing floor, so the ratio is exact
    assert areas[0] / areas[1] == pytest.approx(s[0] / s[1], rel=1e-6)
    # bars (horizontal) are the engine's per-coordinate step size, to one scale
    r = glyphs.state.rates(k)
    assert glyphs.bars[0].width / glyphs.bars[1].width == pytest.approx(r[0] / r[1], rel=1e-6)


def test_rmsprop_step_is_zoomed_in_because_it_is_too_short_to_read(render):
    scene = render(Quick).scene
    zooms = {(z["kind"], z["parts"]): z for z in scene.facts["zoom"]}
    step = zooms[("rmsprop", ("step",))]
    assert step["shortest_px"] < module.MIN_STEP_PX and step["zoom"] > 1.0
    assert step["shortest_px"] * step["zoom"] >= module.MIN_STEP_PX  # readable once zoomed
    # RMSProp's first step moves both coordinates by the same amount, η/√(1 − ρ): what the caption says
    d = scene.facts["rmsprop"]["traj"].updates[0, 0]
    assert abs(d[0]) == pytest.approx(abs(d[1]), rel=1e-6)
    assert abs(d[0]) == pytest.approx(Quick.rmsprop_lr / np.sqrt(1 - Quick.rmsprop_rho), rel=1e-6)
    # arrows long enough at the map's scale are not zoomed
    assert all(z["zoom"] == 1.0 for z in scene.facts["zoom"] if z["shortest_px"] >= module.MIN_STEP_PX)
    # the camera is back where it started, and the card with it
    assert scene.camera.frame.width == pytest.approx(config.frame_width)
    assert np.allclose(scene.camera.frame.get_center(), 0.0, atol=1e-9)


def test_bias_correction_numbers_are_two_engine_runs(render):
    scene = render(Quick).scene
    first, size = scene.facts["bias"]["first"], scene.facts["bias"]["size"]
    assert np.allclose(np.abs(first[True]), Quick.adam_lr)  # corrected first step: η per coordinate
    assert size[False] / size[True] == pytest.approx(np.sqrt(1000) / 10, rel=1e-6)  # 0.1/√0.001
    assert any(f"{module.format_sig(size[False])} without" in c for c in scene.captions_shown)


def test_saddle_balls_escape_counts_and_chart(render):
    rendered = render(Quick)
    facts = rendered.scene.facts["saddle"]
    leave = facts["leave"]
    assert leave[0] > max(leave[1:])  # gradient descent lingers longest
    assert f"Steps to leave the saddle: descent {leave[0]}, others ≤ {max(leave[1:])}." \
        in rendered.scene.captions_shown
    chart = facts["chart"]
    widths = [b.width for b in chart.bars]
    assert widths[0] == max(widths) and widths[1] / widths[0] == pytest.approx(max(leave[1], 1) / leave[0], abs=0.02)
    assert [v.text for v in chart.values] == [str(n) for n in leave]
    board = facts["board"]
    for runner, trace in zip(board.runners, board.traces):  # every run ends in a minimum, ringed
        assert runner.traj.status[0] == "converged" and trace._marker_on
        assert np.allclose(trace.ball.get_center(), board.cmap.c2p(runner.traj.final[0]))
        ident = look.optimizer_look(runner.opt.name)
        assert trace.dash == dash_pattern(ident.dashes, trace.width)
    # the map shows the part of the view the runs use, from the engine's paths
    xs = np.concatenate([r.traj.positions[:, 0, 0] for r in board.runners])
    (x0, x1), _ = board.window
    assert x0 <= xs.min() and xs.max() <= x1 and x1 - x0 < np.subtract(*board.land.view[0][::-1])
    # they all share the minimum at (−π/2, 0): the last-drawn (Adam's) ball is on top there
    frame = frame_after(rendered, facts["end"])
    point = board.cmap.c2p(board.runners[-1].traj.final[0])
    found = ball_found_at(rendered, frame, point, board.runners[-1].color, radius_px=3)
    assert found is not None and np.linalg.norm(found - rendered.to_pixel(point)) < 2.0


def test_misspelt_attribute_raises():
    with pytest.raises(GdengineError, match="did you mean 'rmsprop_rho'"):
        type("Bad", (module.AdaptiveMethods,), {"rmsprop_roh": 0.9})
    with pytest.raises(GdengineError, match="must hold 4"):
        type("Bad", (module.AdaptiveMethods,), {"saddle_lrs": (0.1, 0.2)})


def test_chinese_captions_use_chinese_punctuation():
    table = Quick.strings()
    cjk = "[\u4e00-\u9fff]"
    for key, line in table.tables["zh"].items():
        assert not re.search(f"{cjk}[,;:!?]|[,;:!?]{cjk}", line), f"[zh] {key}: {line}"
        if re.search(cjk, line) and len(line) > 8:
            assert line.endswith(("。", "？", "！")), f"[zh] {key} ends without a full stop: {line}"
