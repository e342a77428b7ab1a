"""A real offscreen render (CI-sized): frames, sizes, not black, each ball where projected."""

from __future__ import annotations

from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest

import gdengine as gd
from gdengine.render3d import HeightMap, SurfaceStage, Timeline, camera_track, colors, orbit, play
from gdengine.render3d.camera import project

from .conftest import CollectingSink, load_scene

W, H, N = 320, 240, 20
BALL = colors.rgb8(colors.ORANGE)
BG = colors.rgb8(colors.BACKGROUND)


def build_clip():
    """One orange ball descending a sphere from (3.5, 2.0), camera orbiting."""
    land = gd.landscape("sphere")
    traj = gd.descend(land, gd.optimizer("sgd", lr=0.1), [(3.5, 2.0)], 200, tol=1e-3, cache=True)
    stage = SurfaceStage(HeightMap.build(land, relief=0.3), width=W, height=H, max_triangles=4000,
                         contours=6)
    timeline = Timeline(N, traj.T, intro=2, outro=3, warp="linear")
    group = stage.add_particles(traj.positions, timeline.step_at(), BALL[None], radius=0.06 * 10.24)
    track = camera_track(orbit("iso", 60.0), N, stage.stage(), stage.aspect)

    def draw(k):
        stage.frame(k, track)
        return stage.grab()

    return stage, group, track, draw


@pytest.fixture(scope="module")
def rendered():
    stage, group, track, draw = build_clip()
    sink = CollectingSink()
    try:
        play(sink, N, draw)
    finally:
        stage.close()
    return sink, group, track


def pixel_of(point, track, k):
    xy, depth = project(point[None], track.positions[k], track.focals[k], track.view_angles[k], W / H)
    x, y = xy[0] - np.array(track.window_centre)
    assert depth[0] > 0
    return int(round((x + 1) / 2 * W - 0.5)), int(round((1 - y) / 2 * H - 0.5))


def is_ball(patch: np.ndarray) -> bool:
    """Orange-ish: red well above blue (the surface ramp is slate to sand, r − b < 40)."""
    r, g, b = np.median(patch.reshape(-1, 3).astype(int), axis=0)
    return r - b > 100 and r > g


def test_frame_count_size_and_poster(rendered):
    sink, _, _ = rendered
    assert sink.total == N and len(sink.frames) == N and sink.poster == N - 1
    for f in sink.frames:
        assert f.shape == (H, W, 3) and f.dtype == np.uint8


def test_frames_are_not_black_and_show_a_surface(rendered):
    sink, _, _ = rendered
    for f in sink.frames:
        not_background = np.abs(f.astype(int) - BG).sum(axis=2) > 30
        assert 0.15 < not_background.mean() < 0.95
        assert f.mean() > 25


def test_the_ball_is_drawn_where_its_centre_projects(rendered):
    sink, group, track = rendered
    seen = []
    for k in (0, 8, N - 1):
        px, py = pixel_of(group.centres[k, 0], track, k)
        assert 1 <= px < W - 1 and 1 <= py < H - 1
        assert is_ball(sink.frames[k][py - 1 : py + 2, px - 1 : px + 2]), f"no ball at frame {k}"
        seen.append((px, py))
    # it moved, and where it started there is no ball any more
    px, py = seen[0]
    assert np.hypot(px - seen[-1][0], py - seen[-1][1]) > 10
    assert not is_ball(sink.frames[N - 1][py - 1 : py + 2, px - 1 : px + 2])


def test_frames_go_through_the_pipeline_encoder(tmp_path: Path):
    from gdengine.pipeline.sink import FrameSink

    stage, _, _, draw = build_clip()
    sink = FrameSink(width=W, height=H, fps=10, mp4=tmp_path / "clip.mp4", gif_master=tmp_path / "m.mkv")
    try:
        play(sink, N, draw, poster=5)
        sink.close()
    finally:
        sink.abort()
        stage.close()
    frames, _ = imageio_ffmpeg.count_frames_and_secs(str(tmp_path / "clip.mp4"))
    assert frames == N
    assert sink.poster_frame.shape == (H, W, 3)


def test_descent_entry_renders_a_tiny_clip(sink):
    scene = load_scene("descent_3d")
    scene.render_descent_3d(sink, width=W, height=H, fps=5, surface="easom", duration=4.0, voice="none")
    assert len(sink.frames) == 20 == sink.total
    assert sink.poster == 19
    grey = colors.rgb8(colors.STALLED).astype(int)
    last = sink.frames[-1].astype(int)
    assert (np.abs(last - grey).sum(axis=2) < 40).sum() > 50  # the stalled balls are there
