"""The 2-D kit without rendering video: mappings, levels, clipping, replay layers, glyph numbers."""

from __future__ import annotations


import numpy as np
import pytest
from manim import Scene, VGroup

import gdengine as gd
from gdengine.errors import GdengineError
from gdengine.kit.contour import ContourMap, contour_levels, sample_grid, simplify_polyline
from gdengine.kit.glyphs import ParticleState, StateGlyphs
from gdengine.kit.layout import content_region, side_by_side, two_by_two
from gdengine.kit.legend import Legend, OutcomeColumn, hyper_text
from gdengine.kit.lossplot import LossPlot, loss_axis, step_counter
from gdengine.kit.plane import CoordinateBox, format_tick, linear_ticks
from gdengine.kit.playback import StepClock, chunk_bounds, interpolate_rows
from gdengine.kit.race import RaceView, Runner
from gdengine.kit.regression import RegressionPanel
from gdengine.kit.traces import Trace, clip_segments


# --- coordinate box ---------------------------------------------------------------------
def test_box_maps_data_corners_to_frame_corners_and_back():
    box = CoordinateBox((-2, 2), (-1, 3), width=4.0, height=2.0).shift([1.0, 0.5, 0.0])
    corners = box.c2p(np.array([[-2.0, -1.0], [2.0, 3.0]]))
    assert np.allclose(corners[0], box.frame.get_corner([-1, -1, 0]))
    assert np.allclose(corners[1], box.frame.get_corner([1, 1, 0]))
    xy = np.array([[0.3, 2.2], [-1.7, 0.0]])
    assert np.allclose(box.p2c(box.c2p(xy)), xy)
    assert list(box.inside(np.array([[0, 0], [2.5, 0]]))) == [True, False]


def test_log_axis_puts_decades_at_equal_spacing():
    box = CoordinateBox((0, 10), (1e-4, 1e2), y_scale="log", width=3, height=3)
    ys = box.c2p(np.array([[0, 1e-4], [0, 1e-1], [0, 1e2]]))[:, 1]
    assert ys[1] - ys[0] == pytest.approx(ys[2] - ys[1])
    assert [n.text for n in box.axis_numbers[1]][0].startswith("10")


def test_ticks_are_round_and_inside_the_range():
    ticks = linear_ticks(0.2, 3.68, 3)
    assert list(ticks) == [1.0, 2.0, 3.0]
    assert format_tick(-1.5, 0.5) == "\u22121.5"
    assert format_tick(1e-3, log=True) == "10\u207b\u00b3"


def test_box_rejects_bad_ranges_with_the_fix():
    with pytest.raises(GdengineError, match="lo > 0"):
        CoordinateBox((0, 1), (0, 1), y_scale="log")
    with pytest.raises(GdengineError, match="valid choices: linear, log"):
        CoordinateBox((0, 1), (0, 1), y_scale="logarithmic")


# --- contour map --------------------------------------------------------------------------
@pytest.mark.parametrize("name, scale", [("rosenbrock", "log"), ("beale", "log"),
                                         ("himmelblau", "linear"), ("elliptic_bowl", "linear")])
def test_level_spacing_follows_the_value_range(name, scale):
    land = gd.landscape(name)
    _, _, Z = sample_grid(land.f, land.view, 81)
    levels, chosen = contour_levels(Z, 12, "auto", land.min_value)
    assert chosen == scale
    assert np.all(np.diff(levels) > 0)
    if scale == "log":  # ratios between successive gaps above the minimum are constant
        gaps = levels - land.min_value
        assert np.allclose(gaps[1:] / gaps[:-1], gaps[1] / gaps[0])


def test_contour_map_axes_show_the_landscape_view():
    land = gd.landscape("rosenbrock")
    cmap = ContourMap(land, width=4.0, height=4.0)
    assert cmap.box.ranges == land.view
    x_numbers = [n.text for n in cmap.box.axis_numbers[0]]
    assert x_numbers[0] == "\u22122" and x_numbers[-1] == "2"
    assert len(cmap.bands) == len(cmap.levels) + 1  # the top colour plus one band per level
    # the minimum's star sits where the box maps the engine's minimiser
    assert np.allclose(cmap.marks[0].get_center(), cmap.c2p(land.minima[0]), atol=1e-6)


def test_simplified_contours_stay_within_tolerance():
    t = np.linspace(0, 2 * np.pi, 400)
    ring = np.column_stack([np.cos(t), np.sin(t), np.zeros_like(t)])
    simple = simplify_polyline(ring, 0.004)
    assert len(simple) < len(ring) / 2
    # every original vertex is within tol (plus chord sag) of the simplified ring
    assert np.abs(np.linalg.norm(simple[:, :2], axis=1) - 1).max() < 1e-9
    assert np.allclose(simple[0], ring[0]) and np.allclose(simple[-1], ring[-1])


# --- traces ------------------------------------------------------------------------------
def test_segments_are_clipped_at_the_box():
    lo, hi = np.array([0.0, 0.0]), np.array([1.0, 1.0])
    pts = np.array([[0.5, 0.5, 0], [1.5, 0.5, 0], [2.0, 2.0, 0], [0.5, 0.2, 0]])
    a, b, ok = clip_segments(pts, lo, hi)
    assert ok.tolist() == [True, False, True]
    assert np.allclose(b[0], [1.0, 0.5])
    assert np.all((a[2] >= lo - 1e-12) & (a[2] <= hi + 1e-12))


def _engine_trace(land_name, opt, start, steps, tol=1e-3, **kw):
    land = gd.landscape(land_name)
    traj = gd.descend(land, opt, [start], steps, tol=tol)
    cmap = ContourMap(land, width=4, height=4)
    clock = StepClock()
    trace = Trace(cmap.c2p(traj.positions[:, 0]), clock, cmap.box.scene_box(), "#ffffff",
                  anchor=cmap.box.frame, stop_step=int(traj.stopped_at[0]), status=str(traj.status[0]), **kw)
    return land, traj, cmap, clock, trace


def test_ball_sits_on_the_engine_iterates_and_interpolates_between():
    land, traj, cmap, clock, trace = _engine_trace("himmelblau", gd.optimizer("sgd", lr=0.005), (-0.4, -0.65), 60)
    for k in (0, 7, 30):
        clock.tracker.set_value(k)
        trace.update()
        assert np.allclose(trace.ball.get_center(), cmap.c2p(traj.positions[k, 0]))
    clock.tracker.set_value(7.5)
    trace.update()
    mid = cmap.c2p((traj.positions[7, 0] + traj.positions[8, 0]) / 2)
    assert np.allclose(trace.ball.get_center(), mid)


def test_moving_the_map_moves_the_trace():
    land, traj, cmap, clock, trace = _engine_trace("himmelblau", gd.optimizer("sgd", lr=0.005), (-0.4, -0.65), 20)
    VGroup(cmap).shift([1.0, -0.5, 0.0])
    clock.tracker.set_value(10)
    trace.update()
    assert np.allclose(trace.ball.get_center(), cmap.c2p(traj.positions[10, 0]))


def test_freeze_keeps_the_live_path_short():
    """The live layer holds only the steps since the last freeze, so frames cost the same late."""
    *_, clock, trace = _engine_trace("rosenbrock", gd.optimizer("sgd", lr=0.002), (-1.2, 1.0), 600, tol=None)
    clock.follow(trace)
    clock.set(480)
    clock.tracker.set_value(500)
    trace.update()
    assert len(trace.recent.points) == 4 * 20  # 20 whole segments, 4 Bézier points each
    assert len(trace.history.points) == 4 * 480


def test_diverged_run_gets_a_cross_where_it_leaves_the_map():
    land, traj, cmap, clock, trace = _engine_trace("saddle", gd.optimizer("sgd", lr=0.05), (1.8, 0.001), 300)
    assert traj.status[0] == "diverged"
    assert trace.outcome == "diverged" and trace.marker_step == traj.stopped_at[0]
    lo, hi = cmap.box.scene_box()
    exit_point = trace.exit_point()
    assert np.isclose(exit_point[1], hi[1])  # leaves through the top edge (y grows)
    clock.tracker.set_value(trace.exit_step + 1)
    trace.update()
    assert trace.ball.get_fill_opacity() == 0  # hidden off the map, not drawn over other panels


def _pieces(points: np.ndarray) -> np.ndarray:
    """Bézier points of straight pieces → (start, end) pairs, shape (N, 2, 2)."""
    return points.reshape(-1, 4, 3)[:, [0, 3], :2]


def test_dashes_lie_on_the_engine_path_and_history_continues_the_live_pattern():
    *_, traj, cmap, clock, trace = _engine_trace("himmelblau", gd.optimizer("sgd", lr=0.005), (-0.4, -0.65), 60,
                                                  dash=(4.0, 2.5), width=3.0)
    assert trace.dash == pytest.approx((0.12, 0.075))  # multiples of the stroke width, in scene units
    pts = cmap.c2p(traj.positions[:, 0])[:, :2]
    whole = _pieces(trace.path_points(0, 40.0))
    # every dash end lies on the engine's polyline
    seg_a, seg_b = pts[:-1], pts[1:]
    for p in whole.reshape(-1, 2)[::7]:
        d = seg_b - seg_a
        t = np.clip(np.einsum("ij,ij->i", p - seg_a, d) / np.einsum("ij,ij->i", d, d), 0, 1)
        assert np.min(np.linalg.norm(seg_a + t[:, None] * d - p, axis=1)) < 1e-9
    # drawn length is the on-fraction of the path length (whole periods dominate)
    drawn = np.linalg.norm(whole[:, 1] - whole[:, 0], axis=1).sum()
    path = np.linalg.norm(np.diff(pts[:41], axis=0), axis=1).sum()
    assert drawn == pytest.approx(path * 4.0 / 6.5, rel=0.03)
    # history up to a freeze + the live stretch after it draw the very same dashes (no crawl):
    # pieces are cut per segment, so a dash across iterate 17 is two pieces either way
    split = np.concatenate([_pieces(trace.path_points(0, 17)), _pieces(trace.path_points(17, 40.0))])
    assert split.shape == whole.shape and np.allclose(split, whole)


@pytest.mark.parametrize("marker", ["circle", "square", "diamond", "triangle", "triangle_down", "star", "plus"])
def test_ball_takes_the_marker_shape_and_stays_on_the_iterates(marker):
    *_, traj, cmap, clock, trace = _engine_trace("himmelblau", gd.optimizer("sgd", lr=0.005), (-0.4, -0.65), 20,
                                                  marker=marker)
    clock.tracker.set_value(9)
    trace.update()
    assert np.allclose(trace.ball.get_center(), cmap.c2p(traj.positions[9, 0]), atol=1e-9)
    assert 0.1 < trace.ball.width < 0.35 and trace.ball.get_fill_opacity() == 1.0


def test_stopped_run_shows_its_ring_from_the_engine_stop_step():
    *_, traj, cmap, clock, trace = _engine_trace("himmelblau", gd.optimizer("sgd", lr=0.005), (-0.4, -0.65), 300)
    stop = int(traj.stopped_at[0])
    for s, shown in ((stop - 1, False), (stop, True)):
        clock.tracker.set_value(s)
        trace.update()
        assert (trace.end_marker.get_stroke_opacity() > 0) == shown


# --- playback, layout ------------------------------------------------------------------------
def test_chunks_cover_every_frame_once():
    chunks = chunk_bounds(7.0, 15, 0.8)
    assert chunks[0][0] == 0 and chunks[-1][1] == 105
    assert all(a1 == b0 for (_, a1), (b0, _) in zip(chunks, chunks[1:]))
    rows = np.arange(5.0)[:, None] * [1.0, 2.0]
    assert np.allclose(interpolate_rows(rows, 2.25), [2.25, 4.5])
    assert np.allclose(interpolate_rows(rows, 99), rows[-1])


def test_panels_tile_the_content_region():
    region = content_region()
    left, right = side_by_side(2, gap=0.4)
    assert left.left == pytest.approx(region.left) and right.right == pytest.approx(region.right)
    assert right.left - left.right == pytest.approx(0.4)
    tl, tr, bl, br = two_by_two()
    assert tl.top == pytest.approx(region.top) and bl.bottom == pytest.approx(region.bottom)
    assert tl.x == pytest.approx(bl.x) and tr.y == pytest.approx(tl.y)


# --- legend, loss plot --------------------------------------------------------------------
def test_legend_names_the_hyper_parameters_the_engine_used():
    assert hyper_text(gd.optimizer("momentum", lr=0.002)) == "η = 0.002, β = 0.9"
    assert hyper_text(gd.optimizer("sgd", lr=0.1)) == "η = 0.1"
    assert hyper_text(gd.optimizer("rmsprop", lr=0.05, alpha=0.9)) == "η = 0.05, ρ = 0.9"
    assert "no bias correction" in hyper_text(gd.optimizer("adam", lr=0.1, bias_correction=False))
    assert "λ = 0.01" in hyper_text(gd.optimizer("sgd", lr=0.1, weight_decay=0.01))


def test_outcome_column_reveals_each_stop_at_its_step():
    clock = StepClock()
    legend = Legend([("a", "η = 1", "#ffffff"), ("b", "η = 2", "#ff0000")])
    column = OutcomeColumn(legend, clock, [(5, "converged"), (9, "diverged")],
                           {"converged": "◯ {step}", "diverged": "× {step}"})
    assert column.texts == ["◯5", "×9"]  # Text drops spaces from .text
    clock.tracker.set_value(6)
    column.refresh()
    assert column.shown == [True, False]


def test_loss_axis_plots_the_gap_to_the_minimum_on_log_scale():
    values = np.array([[10.0, 5.0], [1.0, 0.5], [1e-3, 0.5 + 1e-12]])
    y, (lo, hi), scale = loss_axis(values, min_value=0.5)
    assert scale == "log" and hi >= 9.5 and lo <= 1e-3
    assert np.all(y >= lo)
    assert loss_axis(values)[2] == "linear"


def test_loss_curve_heads_sit_on_the_engine_values():
    land = gd.landscape("himmelblau")
    traj = gd.descend(land, gd.optimizer("adam", lr=0.1), [[-0.4, -0.65]], 50)
    clock = StepClock()
    plot = LossPlot(traj.values, clock, ["#ffffff"], min_value=land.min_value)
    clock.tracker.set_value(20)
    plot.curves[0].update()
    expected = plot.box.c2p(np.array([20.0, traj.values[20, 0] - land.min_value]))
    assert np.allclose(plot.curves[0].ball.get_center(), expected)
    counter = step_counter(clock, last=traj.T)
    clock.tracker.set_value(traj.T + 5)
    counter.refresh()
    assert counter.value_text == str(traj.T)


# --- glyphs -------------------------------------------------------------------------------------
def test_glyph_numbers_are_the_engine_state():
    land = gd.landscape("elliptic_bowl", b=10.0)
    opt = gd.optimizer("adagrad", lr=0.3)
    traj = gd.descend(land, opt, [land.start], 40)
    state = ParticleState(traj, opt)
    k = 5
    s = traj.state["sum"][k + 1, 0]
    assert np.allclose(state.squares(k), s)
    # the bars are |Δ|/|g| from the engine's own step: for AdaGrad that is η/(√s + ε)
    assert np.allclose(state.rates(k), 0.3 / (np.sqrt(s) + 1e-10), rtol=1e-12)
    assert state.parts == ("gradient", "squares", "rates", "step")


def test_square_area_is_proportional_to_the_accumulated_squared_gradient():
    land = gd.landscape("elliptic_bowl", b=10.0)
    opt = gd.optimizer("rmsprop", lr=0.05, alpha=0.9)
    traj = gd.descend(land, opt, [land.start], 30)
    cmap = ContourMap(land, width=4, height=3)
    clock = StepClock()
    glyphs = StateGlyphs(ParticleState(traj, opt), cmap, clock)
    for k in (0, 10):
        clock.tracker.set_value(k)
        glyphs.refresh(force=True)
        s = traj.state["square_avg"][k + 1, 0]
        areas = [sq.width * sq.height for sq in glyphs.squares]
        assert areas[1] / areas[0] == pytest.approx(s[1] / s[0], rel=1e-6)
        # the step arrow is the engine's update (times the stated magnification)
        start, end = glyphs.step_arrow.get_start(), glyphs.step_arrow.get_end()
        expected = cmap.c2p(traj.positions[k, 0] + glyphs.step_magnify * traj.updates[k, 0]) - cmap.c2p(traj.positions[k, 0])
        assert np.allclose(end - start, expected, atol=0.02)


def test_true_scale_step_arrow_ends_on_the_next_iterate_with_a_proportionate_tip():
    land = gd.landscape("elliptic_bowl", b=10.0)
    opt = gd.optimizer("rmsprop", lr=0.05, alpha=0.9)
    traj = gd.descend(land, opt, [land.start], 30, record="all")
    cmap = ContourMap(land, width=6, height=4)
    clock = StepClock()
    glyphs = StateGlyphs(ParticleState(traj, opt), cmap, clock, magnify=False)
    arrow = glyphs.step_arrow
    assert glyphs.step_magnify == 1.0
    assert np.allclose(arrow.get_end(), cmap.c2p(traj.positions[1, 0]))  # the tip is the next iterate
    assert arrow.tip.length <= 0.3 * arrow.get_length() + 1e-9  # a short arrow is not all tip
    px = glyphs.step_pixels(0, 60.0)
    assert px == pytest.approx(np.linalg.norm(arrow.get_end() - arrow.get_start()) * 60.0)
    assert glyphs.arrow_pixels("gradient", 0, 60.0) == pytest.approx(1.3 * 60.0)  # the longest gradient


# --- race view, regression panel ------------------------------------------------------------
def test_race_view_keeps_static_layers_out_of_the_redraw():
    land = gd.landscape("himmelblau")
    runs = [gd.descend(land, gd.optimizer(n, lr=lr), [[-0.4, -0.65]], 80) for n, lr in (("sgd", 0.005), ("adam", 0.1))]
    clock = StepClock()
    view = RaceView(land, [Runner(n, gd.optimizer(n, lr=lr), r) for (n, lr), r in zip((("sgd", 0.005), ("adam", 0.1)), runs)],
                    clock, *side_by_side(2))
    scene = Scene()
    scene.add(*view.layers)
    moving = scene.get_moving_mobjects()
    static_family = {id(m) for layer in view.static for m in layer.get_family()}
    assert not any(id(m) in static_family for m in moving)
    assert view.counter in moving


def test_regression_line_is_the_engine_model_at_the_step():
    land = gd.landscape("linear_regression")
    traj = gd.descend(land, gd.optimizer("sgd", lr=0.3), [land.start], 30)
    clock = StepClock()
    panel = RegressionPanel(land, [traj.positions[:, 0]], ["#ffffff"], clock)
    clock.tracker.set_value(12)
    curve = panel.curves[0]
    curve.refresh()
    w, b = traj.positions[12, 0]
    assert np.allclose(curve.predictions(), w * curve.xs + b)
    assert len(panel.dots) == land.n_samples
