"""Storyboard 6 (momentum_vs_vanilla): engine facts on screen, balls where the engine puts them."""

from __future__ import annotations

import re

import numpy as np
import pytest
from pixels_2d import ball_found_at, frame_after
from scene_harness import assert_not_blank, load_scene_module

from gdengine import look
from gdengine.errors import GdengineError
from gdengine.kit.traces import dash_pattern

module = load_scene_module("momentum_vs_vanilla")


class Quick(module.MomentumVsVanilla):
    replay_seconds = 2.0
    swing_steps = 120
    pace = 0.4


def test_renders_frames_that_are_not_blank(render):
    rendered = render(Quick)
    assert_not_blank(rendered)
    assert [b for b, _ in rendered.scene.beats] == ["valley", "race", "counts", "beta_zero", "beta_one", "swing_after",
                                                    "local", "local_result", "ema", "ema_result", "recap"]


def test_counts_and_beta_zero_come_from_the_engine(render):
    scene = render(Quick).scene
    vanilla, heavy = scene.facts["valley"]["runs"]
    line = f"Gradient descent needs {int(vanilla.stopped_at[0])} updates; momentum {int(heavy.stopped_at[0])}."
    assert line in scene.captions_shown
    assert heavy.stopped_at[0] < vanilla.stopped_at[0]  # the storyboard's point
    beta_zero = scene.facts["beta_zero"]
    assert beta_zero["diff"] == 0.0 and beta_zero["same_length"]  # β = 0 is vanilla, iterate for iterate
    assert np.array_equal(beta_zero["run"].positions, vanilla.positions)
    assert any("bit for bit" in c for c in scene.captions_shown)
    assert not any("at most" in c or "more than" in c for c in scene.captions_shown)  # no number formatted to nothing
    swing = scene.facts["swing"]
    assert swing["run"].status[0] == "max_steps" and swing["dist"] > 0.5  # still swinging
    assert f"After {swing['run'].T} updates it is still {module.format_sig(swing['dist'])} from the bottom." \
        in scene.captions_shown


def test_beta_zero_caption_says_the_engine_difference_when_there_is_one():
    """The caption for a non-zero difference carries it in scientific notation, never "0"."""
    table = Quick.strings()
    line = table.line("en", "beta_zero_diff", diff=module.format_sig(3.1e-16))
    assert "3.1×10⁻¹⁶" in line
    assert table.line("zh", "beta_zero_diff", diff=module.format_sig(3.1e-16)).endswith("3.1×10⁻¹⁶。")


def test_each_run_is_drawn_in_its_identity(render):
    board = render(Quick).scene.facts["valley"]["board"]
    for runner, trace in zip(board.runners, board.traces):
        ident = look.optimizer_look(runner.opt.name)
        assert trace.color.to_hex().lower() == ident.color.lower()
        assert trace.dash == dash_pattern(ident.dashes, trace.width)
    assert board.traces[0].dash is None and board.traces[1].dash is not None  # descent solid, momentum dashed


def test_momentum_escapes_the_shallow_minimum_and_balls_show_it(render):
    rendered = render(Quick)
    facts = rendered.scene.facts["trap"]
    vanilla, heavy = facts["runs"]
    board = facts["board"]
    land = board.land
    assert vanilla.basin[0] == 1 and heavy.basin[0] == 0  # local vs global minimum (engine basins)
    frame = frame_after(rendered, facts["end"])
    for runner in board.runners:
        point = board.cmap.c2p(runner.traj.final[0])
        found = ball_found_at(rendered, frame, point, runner.color, radius_px=3)
        assert found is not None and np.linalg.norm(found - rendered.to_pixel(point)) < 2.0, runner.name
    assert land.local_minima[0, 0] == pytest.approx(vanilla.final[0, 0], abs=1e-2)
    line = (f"Descent stays at x = {module.format_sig(vanilla.final[0, 0])}; momentum rolls on to "
            f"{module.format_sig(heavy.final[0, 0])}.")
    assert line in rendered.scene.captions_shown


def test_memory_weights_are_read_off_the_engine_buffer(render):
    scene = render(Quick).scene
    facts = scene.facts["memory"]
    w, m = facts["weights"], facts["memory"]
    assert m == 10
    assert w[0] == 1.0 and w[m] == pytest.approx(0.9**10, rel=1e-12)
    assert np.allclose(w[1:] / w[:-1], 0.9)
    assert f"{module.format_sig(w[m])} ≈ 1/e: v remembers about 1/(1 − β) = {m} steps." in scene.captions_shown


def test_clip_ends_on_the_recap_over_the_finished_valley_race(render):
    scene = render(Quick).scene
    assert scene.captions_shown[-1] == scene.t("recap")
    board = scene.facts["valley"]["board"]
    assert all(layer in scene.mobjects for layer in board.static)  # the race is back on screen
    assert board.clock.s == board.T


def test_ring_spacing_keeps_every_ring_apart():
    pts = np.array([[0, 0, 0], [0.05, 0, 0], [0.3, 0, 0], [0.31, 0.01, 0], [1.0, 0, 0]], dtype=float)
    kept = module.spaced(pts, 0.16)
    assert kept == [0, 2, 4]


def test_misspelt_attribute_raises():
    with pytest.raises(GdengineError, match="did you mean 'swing_beta'"):
        type("Bad", (module.MomentumVsVanilla,), {"swing_bta": 0.99})
    with pytest.raises(GdengineError, match="unknown landscape"):
        type("Bad", (module.MomentumVsVanilla,), {"trap": "shallow"})
    with pytest.raises(GdengineError, match="<= 0.999"):
        type("Bad", (module.MomentumVsVanilla,), {"beta": 1.0})


def test_chinese_captions_use_chinese_punctuation():
    table = Quick.strings()
    cjk = "[\u4e00-\u9fff]"
    for key, line in table.tables["zh"].items():
        assert not re.search(f"{cjk}[,;:!?]|[,;:!?]{cjk}", line), f"[zh] {key}: {line}"
        if re.search(cjk, line) and len(line) > 8:
            assert line.endswith(("。", "？", "！")), f"[zh] {key} ends without a full stop: {line}"
