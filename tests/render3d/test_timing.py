"""Frame timing decoupled from the step count, and the camera."""

from __future__ import annotations

import numpy as np
import pytest

from gdengine.errors import GdengineError
from gdengine.render3d.camera import (
    CameraPath, CameraPose, Framing, Keyframe, Stage, camera_track, fit_distance, direction,
    orbit, preset, project,
)  # fmt: skip
from gdengine.render3d.timeline import Timeline, interpolate


def test_step_clock_holds_then_plays_then_holds():
    t = Timeline(60, 40, intro=10, outro=15, warp="linear")
    s = t.step_at()
    assert s.shape == (60,)
    assert (s[:10] == 0).all() and (s[45:] == 40).all()
    assert (np.diff(s) >= 0).all()
    assert s[10] > 0  # the first moving frame already moves


def test_log_warp_lingers_on_early_steps():
    lin = Timeline(100, 1000, warp="linear").step_at()
    log = Timeline(100, 1000, warp="log").step_at()
    assert log[24] < 0.1 * lin[24]
    assert log[-1] == lin[-1] == 1000


def test_for_clip_counts_frames_and_refuses_zero():
    t = Timeline.for_clip(fps=30, duration=2.0, steps=5, intro=1.0, outro=1.5)
    assert t.n_frames == 60 and t.moving >= 1
    with pytest.raises(GdengineError, match="zero frames"):
        Timeline.for_clip(fps=30, duration=0.01, steps=5)
    with pytest.raises(GdengineError, match="at least one frame"):
        Timeline(0, 5)


def test_interpolation_is_exact_at_iterates_and_linear_between():
    P = np.array([[[0.0, 0.0]], [[1.0, 2.0]], [[3.0, 2.0]]])
    assert np.allclose(interpolate(P, 1.0), [[1.0, 2.0]])
    assert np.allclose(interpolate(P, 1.5), [[2.0, 2.0]])
    assert np.allclose(interpolate(P, np.array([0.25, 9.0])), [[[0.25, 0.5]], [[3.0, 2.0]]])


STAGE = Stage((-1, 1, -1, 1, 0, 0.5), np.array([[x, y, 0.2] for x in (-1, 0, 1) for y in (-1, 0, 1)]))


def test_orbit_travels_on_a_circle_with_easing():
    track = camera_track(orbit(preset("iso"), 90.0), 41, STAGE, 16 / 9)
    r = np.linalg.norm(track.positions - track.focals, axis=1)
    assert np.allclose(r, r[0])  # never a chord: constant distance to the focal point
    az = np.degrees(np.arctan2(*(track.positions - track.focals)[:, 1::-1].T))
    assert az[20] == pytest.approx(-60 + 45, abs=1e-6)  # halfway in angle at half time
    assert abs(az[1] - az[0]) < 0.2 * abs(az[21] - az[20])  # eased: slow start


def test_fitted_camera_keeps_the_surface_inside_the_framing_band():
    framing = Framing(x=(-0.8, 0.8), y=(-0.9, 0.4))
    track = camera_track(orbit(preset("iso"), 120.0), 9, STAGE, 4 / 3, framing=framing)
    for k in range(9):
        xy, depth = project(STAGE.landmarks, track.positions[k], track.focals[k], 30.0, 4 / 3)
        shifted = xy - np.array(track.window_centre)
        assert (depth > 0).all()
        assert (shifted[:, 0] >= -0.8 - 1e-9).all() and (shifted[:, 0] <= 0.8 + 1e-9).all()
        assert (shifted[:, 1] >= -0.9 - 1e-9).all() and (shifted[:, 1] <= 0.4 + 1e-9).all()


def test_fit_distance_is_tight():
    w = direction(-60.0, 30.0)
    d = fit_distance(STAGE.landmarks, np.zeros(3), w, 30.0, 1.0)
    xy, _ = project(STAGE.landmarks, d * w, np.zeros(3), 30.0, 1.0)
    assert np.abs(xy).max() == pytest.approx(0.92, abs=1e-6)


def test_keyframe_looking_away_from_the_surface_is_refused_in_one_line():
    path = CameraPath((Keyframe(0.0, preset("iso")),
                       Keyframe(1.0, CameraPose(-60, 30, distance=2.0, focal=(50.0, 50.0, 0.0)))))
    with pytest.raises(GdengineError) as err:
        camera_track(path, 10, STAGE, 16 / 9)
    assert "keyframe 1" in str(err.value) and "out of view" in str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("make", [
    lambda: preset("fisheye"),
    lambda: CameraPath((Keyframe(0.5, preset("iso")), Keyframe(0.2, preset("top")))),
    lambda: CameraPath((Keyframe(0.0, CameraPose(elevation=95.0)),)),
    lambda: CameraPath((Keyframe(0.0, preset("iso")),), ease="bounce"),
])
def test_bad_camera_settings_are_refused(make):
    with pytest.raises(GdengineError):
        make()


def test_follow_mode_steers_the_focal_point_to_the_target():
    target = np.column_stack([np.linspace(-1, 1, 12), np.zeros(12), np.full(12, 0.1)])
    track = camera_track(orbit(preset("iso"), 30.0), 12, STAGE, 16 / 9, follow=target, follow_weight=1.0)
    assert np.allclose(track.focals, target)
    half = camera_track(orbit(preset("iso"), 30.0), 12, STAGE, 16 / 9, follow=target, follow_weight=0.5)
    assert np.allclose(half.focals[:, 0], 0.5 * target[:, 0])
