"""The offscreen 3-D stage: a surface, groups of replayed particles, text, a camera.

``SurfaceStage`` owns one offscreen PyVista plotter. Particle groups are added with their
whole history (positions at every frame, trails, colours) computed up front from engine
trajectories; ``frame(k)`` then only moves arrays and the camera and renders — no actor is
created after setup. ``grab()`` returns the pixels.

Anti-aliasing is FXAA on the grabbed frame (``fxaa.py``, on the CPU, text boxes left as their
font renderer drew them) instead of multisampling — on Mesa's software rasteriser 4–8× MSAA
costs several times the whole frame — and instead of VTK's own FXAA pass, which there costs
more than drawing the frame.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyvista as pv

from gdengine.errors import GdengineError
from gdengine.lint.rules import DataShape
from gdengine.render3d import colors, lint
from gdengine.render3d.backend import select_backend
from gdengine.render3d.camera import CameraTrack, Stage
from gdengine.render3d.capture import Grabber
from gdengine.render3d.fxaa import Fxaa
from gdengine.render3d.heights import HeightMap
from gdengine.render3d.hud import Hud
from gdengine.render3d.layers import BallLayer, LandmarkLayer, SurfaceLayer, TrailLayer
from gdengine.render3d.lint import TrailPoints
from gdengine.render3d.mesh import adaptive_surface
from gdengine.render3d.timeline import interpolate

MIN_SIZE = 16
MAX_SIZE = 8192


def check_size(width, height) -> tuple[int, int]:
    try:
        w, h = int(width), int(height)
    except (TypeError, ValueError):
        raise GdengineError(f"width and height must be integers, got {width!r}x{height!r}") from None
    if w != width or h != height or not (MIN_SIZE <= w <= MAX_SIZE and MIN_SIZE <= h <= MAX_SIZE):
        raise GdengineError(f"frame size must be whole pixels in [{MIN_SIZE}, {MAX_SIZE}], got {width}x{height}")
    return w, h


@dataclass
class ParticleGroup:
    """Replay data of B particles: ball centres per frame and trail paths (precomputed)."""

    centres: np.ndarray  # (N, B, 3) ball centre at every frame
    visible: np.ndarray  # (N, B) bool: ball inside the window
    trail_counts: np.ndarray | None  # (N, B) points of each trail drawn at every frame
    balls: BallLayer
    trails: TrailLayer | None
    radius: float
    trail_points: TrailPoints | None = None  # the trails' points, for the layout linter
    names: list[str] | None = None  # per particle: each ball and trail is its own data shape
    idents: tuple[int, int] = (0, 0)  # linter ids of the group's balls and trails

    def show_frame(self, k: int) -> None:
        self.balls.update(self.centres[k], np.where(self.visible[k], self.radius, 0.0))
        if self.trails is not None:
            self.trails.show(self.trail_counts[k])

    def shapes(self, k: int, camera, matrix, width: int, height: int, shift) -> list[DataShape]:
        """The balls and drawn trails at frame ``k`` as pixel point sets (lint)."""
        out = []
        which = [np.ones(len(self.visible[k]), bool)] if self.names is None else \
            [np.arange(len(self.visible[k])) == b for b in range(len(self.names))]
        for i, sel in enumerate(which):
            label = "" if self.names is None else f"{self.names[i]} "
            on = sel & self.visible[k]
            pts = lint.ball_outline(self.centres[k][on], self.radius, camera, matrix, width, height)
            out.append(DataShape(self.idents[0] + 2 * i, f"{label}ball" if self.names else "balls",
                                 pts + shift))
            if self.trail_points is not None:
                world = self.trail_points.drawn(self.trail_counts[k], sel)
                xy, front = lint.to_pixels(world, matrix, width, height)
                out.append(DataShape(self.idents[0] + 2 * i + 1,
                                     f"{label}trail" if self.names else "trails", xy[front] + shift))
        return out


class SurfaceStage:
    """One landscape surface on an offscreen plotter of ``width``×``height`` pixels."""

    def __init__(self, heights: HeightMap, *, width: int, height: int, max_triangles: int = 24000,
                 contours: int = 12, antialias: bool = True, background: str = colors.BACKGROUND,
                 lighting: str = "studio", type_scale: float | None = None) -> None:
        self.width, self.height = check_size(width, height)
        select_backend()
        self.heights = heights
        self.plotter = pv.Plotter(off_screen=True, window_size=(self.width, self.height),
                                  lighting="none" if lighting == "studio" else lighting)
        if lighting == "studio":
            add_studio_lights(self.plotter)
        self.plotter.render_window.SetMultiSamples(0)
        self.plotter.set_background(background)
        self._antialias = Fxaa() if antialias else None
        self.mesh = adaptive_surface(heights, max_triangles)
        self.surface = SurfaceLayer(self.plotter, heights, self.mesh, contours=contours)
        self.hud = Hud(self.plotter, self.width, self.height, scale=type_scale)  # a tile: its frame's scale
        self.groups: list[ParticleGroup] = []
        self.landmarks: list[LandmarkLayer] = []
        self._grabber: Grabber | None = None

    # --- geometry helpers ---------------------------------------------------------------
    @property
    def aspect(self) -> float:
        return self.width / self.height

    def stage(self) -> Stage:
        """Bounding box and landmark points of the surface (for the camera's checks)."""
        (x0, x1), (y0, y1) = self.heights.window
        gx, gy = np.meshgrid(np.linspace(x0, x1, 13), np.linspace(y0, y1, 13))
        pts, _ = self.heights.lift(np.column_stack([gx.ravel(), gy.ravel()]))
        return Stage(self.heights.bounds(), pts)

    def rest(self, XY: np.ndarray, lift: float) -> np.ndarray:
        """Points ``lift`` above the surface along its normal, over XY (..., 2) → (..., 3)."""
        shape = XY.shape[:-1]
        p, n = self.heights.lift(XY.reshape(-1, 2))
        return (p + lift * n).reshape(*shape, 3)

    def inside(self, XY: np.ndarray, margin: float = 0.01) -> np.ndarray:
        (x0, x1), (y0, y1) = self.heights.window
        mx, my = margin * (x1 - x0), margin * (y1 - y0)
        return ((XY[..., 0] >= x0 - mx) & (XY[..., 0] <= x1 + mx)
                & (XY[..., 1] >= y0 - my) & (XY[..., 1] <= y1 + my))

    # --- content ------------------------------------------------------------------------
    def add_particles(self, positions: np.ndarray, steps_at_frames: np.ndarray, rgb: np.ndarray, *,
                      radius: float, trail: bool = True, trail_width: float = 0.22,
                      resolution: int | None = None, tubes: bool | None = None,
                      names: list[str] | None = None) -> ParticleGroup:
        """Replay ``positions`` (T+1, B, 2) at the fractional steps of every frame.

        ``radius``: ball radius in world units; ``trail_width``: trail thickness relative to the
        ball's diameter on screen; ``resolution``: sphere facets and ``tubes``: shaded tube
        trails (None: chosen from the ball count — swarms get fewer facets and hairlines);
        ``names``: one per particle, to lint each ball and trail on its own (else as a swarm).
        """
        positions = np.asarray(positions, dtype=float)
        if positions.ndim != 3 or positions.shape[2] != 2:
            raise GdengineError(f"positions must be (T+1, B, 2), got {positions.shape}")
        s = np.asarray(steps_at_frames, dtype=float)
        XY = interpolate(positions, s)  # (N, B, 2)
        centres = self.rest(XY, radius)
        visible = self.inside(XY)
        B = positions.shape[1]
        if resolution is None:
            resolution = 20 if B <= 200 else 12 if B <= 1000 else 8
        balls = BallLayer(self.plotter, centres[0], rgb, radius, resolution=resolution)
        trails = counts = paths = None
        if trail:
            px = self.ball_pixels(radius)
            # one trail point per ~3 pixels of path at most: smooth, and no wasted segments
            spacing = max(0.35 * radius, 3.0 * 2 * radius / max(px, 1e-9))
            paths, counts = trail_paths(self, positions, s, lift=0.35 * radius, spacing=spacing)
            tubes = B <= 400 if tubes is None else tubes
            trails = TrailLayer(self.plotter, paths, rgb, width_px=max(1.0, trail_width * px),
                                tubes=tubes)
        points = TrailPoints(paths) if trail else None
        base = 1_000_000 * (len(self.groups) + 1)
        group = ParticleGroup(centres, visible, counts, balls, trails, radius, points,
                              None if names is None else list(names), (base, base + 1))
        self.groups.append(group)
        group.show_frame(0)
        return group

    def add_landmarks(self, XY: np.ndarray, *, radius: float, color: str = colors.FOREGROUND) -> LandmarkLayer:
        """Rings of world ``radius`` lying on the surface at XY (K, 2), marking fixed points
        (minima, saddles); their labels are HUD callouts (``callouts.place``)."""
        XY = np.asarray(XY, dtype=float).reshape(-1, 2)
        points, normals = self.heights.lift(XY)
        layer = LandmarkLayer(self.plotter, points, normals, radius=radius, color=color)
        self.landmarks.append(layer)
        return layer

    def add_axes(self, *, n_labels: int = 5, size: float = 0.022) -> None:
        """Axes along the surface's box, labelled in real coordinates: x, y, and f on the z
        axis (its true range for a linear map; titled only, without ticks, for a log map)."""
        h = self.heights
        (x0, x1), (y0, y1) = h.window
        ranges = [x0, x1, y0, y1, h.f_min, h.f_cap]
        self.plotter.show_bounds(
            bounds=h.bounds(), axes_ranges=ranges, xtitle="x", ytitle="y",
            ztitle="f (log scale)" if h.log else "f(x, y)",
            n_xlabels=n_labels, n_ylabels=n_labels, n_zlabels=0 if h.log else 3,
            font_size=max(6, round(size * self.hud.scale)), color=colors.MUTED, location="outer",
            fmt="%.3g", use_3d_text=False, render=False,
        )  # fmt: skip

    def data_shapes(self, k: int, dx: float = 0.0, dy: float = 0.0) -> list[DataShape]:
        """Balls, trails and landmark rings at frame ``k`` (camera already set) in output
        pixels, shifted by (dx, dy) (a tile's origin in a montage)."""
        camera = self.plotter.camera
        matrix = lint.camera_matrix(camera, self.width, self.height)
        shift = np.array([dx, dy])
        shapes = []
        for g in self.groups:
            shapes += g.shapes(k, camera, matrix, self.width, self.height, shift)
        for i, layer in enumerate(self.landmarks):
            xy, front = lint.to_pixels(layer.outline, matrix, self.width, self.height)
            shapes.append(DataShape(900_000 + i, "marker", xy[front] + shift))
        return shapes

    def pixels(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Output pixels (y down) of world points with the current camera, and in-front flags."""
        matrix = lint.camera_matrix(self.plotter.camera, self.width, self.height)
        return lint.to_pixels(points, matrix, self.width, self.height)

    def ball_pixels(self, radius: float) -> float:
        """Rough on-screen diameter of a ball (at the stage's distance when fitted, 30° view)."""
        b = self.heights.bounds()
        diag = float(np.linalg.norm([b[1] - b[0], b[3] - b[2], b[5] - b[4]]))
        return 2 * radius / diag * min(self.height, self.width) * 0.8

    # --- frames -------------------------------------------------------------------------
    def set_camera(self, track: CameraTrack, k: int) -> None:
        cam = self.plotter.camera
        cam.SetFocalPoint(*track.focals[k])
        cam.SetPosition(*track.positions[k])
        cam.SetViewUp(0.0, 0.0, 1.0)
        cam.SetViewAngle(float(track.view_angles[k]))
        cam.SetWindowCenter(*track.window_centre)
        self.plotter.renderer.ResetCameraClippingRange()

    def frame(self, k: int, track: CameraTrack) -> None:
        for g in self.groups:
            g.show_frame(k)
        self.set_camera(track, k)

    def grab(self) -> np.ndarray:
        """Render and return the frame (H, W, 3) uint8."""
        if self._grabber is None:
            self.plotter.show(auto_close=False)  # first render initialises the window
            self._grabber = Grabber(self.plotter.render_window)
        else:
            self.plotter.render()
        frame = self._grabber.grab()
        if self._antialias is None:
            return frame
        return self._antialias(frame, keep=[t.box for t in self.hud.boxes()])

    def close(self) -> None:
        self.plotter.close()


def add_studio_lights(plotter: pv.Plotter) -> None:
    """A key light above-left of the camera and a soft headlight fill (two lights: each light
    is paid per pixel on a software rasteriser; PyVista's default kit has five)."""
    plotter.add_light(pv.Light(position=(-1.0, 1.0, 1.6), light_type="camera light", intensity=0.8))
    plotter.add_light(pv.Light(light_type="headlight", intensity=0.4))


def trail_paths(stage: SurfaceStage, positions: np.ndarray, s_frames: np.ndarray, *, lift: float,
                spacing: float, chunk: int = 256):
    """Trail polylines on the surface and how many of their points each frame shows.

    Samples: every frame's step, every iterate, and extra points inside long steps so a trail
    follows the surface instead of cutting through it. Per particle only points at least
    ``spacing`` apart along the path are kept (a converged particle adds no points).
    Returns (paths: list of (n_b, 3), counts: (N, B)).
    """
    T, B = positions.shape[0] - 1, positions.shape[1]
    span = stage.heights.span
    jumps = np.linalg.norm(np.diff(positions, axis=0), axis=2).max(axis=1) if T > 0 else np.zeros(0)
    extra = [i + np.arange(1, m) / m for i, m in
             enumerate(np.clip(np.ceil(jumps / (span / 160)), 1, 24).astype(int)) if m > 1]
    U = np.unique(np.concatenate([s_frames, np.arange(T + 1, dtype=float), *extra]))
    frame_index = np.searchsorted(U, s_frames, side="right")  # samples with U <= s
    paths, counts = [], np.zeros((len(s_frames), B), dtype=np.int64)
    for b0 in range(0, B, chunk):
        XY = interpolate(positions[:, b0 : b0 + chunk], U)  # (|U|, b, 2)
        P = stage.rest(XY, lift)
        step = np.linalg.norm(np.diff(P, axis=0), axis=2)
        arclen = np.concatenate([np.zeros((1, P.shape[1])), np.cumsum(step, axis=0)])
        bucket = np.floor(arclen / spacing)
        keep = np.concatenate([np.ones((1, P.shape[1]), bool), np.diff(bucket, axis=0) > 0])
        keep &= stage.inside(XY, margin=0.02)
        kept_before = np.concatenate([np.zeros((1, P.shape[1]), np.int64), np.cumsum(keep, axis=0)])
        counts[:, b0 : b0 + chunk] = kept_before[frame_index]
        for j in range(P.shape[1]):
            paths.append(P[keep[:, j], j])
    return paths, counts
