"""Replay timing and curve geometry: pure functions of the step index and the engine."""

from __future__ import annotations

import numpy as np
import pytest

import gdengine as gd
from gdengine.kit.curve import CurvePlot, nice_range
from gdengine.kit.replay import Replay, shrinking_steps
from gdengine.kit.slope import clip_segment


@pytest.fixture(scope="module")
def replay():
    traj = gd.descend(gd.landscape("parabola"), gd.optimizer("sgd", lr=0.1), [[1.8]], 500, tol=0.01)
    return Replay(traj)


def test_integer_steps_are_exact_engine_iterates(replay):
    for k in (0, 1, 5, replay.last):
        replay.tracker.set_value(k)
        assert replay.x() == replay.positions[k, 0]
        assert replay.index() == k and replay.x_k() == replay.positions[k, 0]
        assert replay.g_k() == replay.grads[k, 0]
    replay.tracker.set_value(2.5)
    assert replay.x() == pytest.approx(0.5 * (replay.positions[2, 0] + replay.positions[3, 0]))
    replay.tracker.set_value(0)


def test_steps_animation_timing_and_end_value(replay):
    slow = {0: 3.0}
    anim = replay.steps(4, step_time=0.5, slow=slow)
    assert anim.run_time == pytest.approx(0.5 * 3 + 0.5 * 3)
    anim.begin()
    for alpha, expected in ((0.0, 0.0), (0.5, 1.0), (1.0, 4.0)):  # step 0 takes half the time
        anim.interpolate(alpha)
        assert replay.t == pytest.approx(expected)
    anim.finish()
    assert replay.t == 4
    replay.tracker.set_value(0)


def test_hold_rests_on_the_last_step(replay):
    anim = replay.steps(2, step_time=0.5, hold=1.0)
    assert anim.run_time == pytest.approx(2.0)
    anim.begin()
    anim.interpolate(0.5)  # 1.0 s in: both steps done, holding
    assert replay.t == 2
    anim.interpolate(0.25)  # 0.5 s in: end of step 0
    assert replay.t == pytest.approx(1.0)
    anim.finish()
    replay.tracker.set_value(0)


def test_shrinking_steps_run_from_first_to_last():
    timing = shrinking_steps(0.6, 0.2, 11)
    assert timing(0) == pytest.approx(0.6) and timing(10) == pytest.approx(0.2)
    assert timing(50) == pytest.approx(0.2)


def test_nice_range_covers_the_data():
    lo, hi, step = nice_range(-1.05, 4.3)
    assert lo <= -1.05 and hi >= 4.3 and step in (1, 2)


def test_curve_points_and_normals_match_the_axes():
    plot = CurvePlot(gd.landscape("xcos"))
    for x in (-0.9, 0.3, 1.09):
        y = float(gd.landscape("xcos").f(np.array([[x]]))[0])
        np.testing.assert_allclose(plot.point(x), plot.axes.c2p(x, y), atol=1e-9)
        normal = plot.normal(x)
        assert np.linalg.norm(normal) == pytest.approx(1.0)
        assert abs(np.dot(normal, plot.tangent_direction(x))) < 1e-12
        assert normal[1] > 0
    assert plot.inside(1.0) and not plot.inside(5.0)


def test_clip_segment_to_box():
    lo, hi = np.array([0.0, 0.0, 0]), np.array([1.0, 1.0, 0])
    a, b = clip_segment(np.array([-1.0, 0.5, 0]), np.array([2.0, 0.5, 0]), lo, hi)
    np.testing.assert_allclose([a[0], b[0]], [0.0, 1.0])
    assert clip_segment(np.array([2.0, 2.0, 0]), np.array([3.0, 3.0, 0]), lo, hi) is None
