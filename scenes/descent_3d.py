"""Descent montage in 3-D (storyboard 10): grids of starts pour into the valleys of six surfaces.

One clip per surface (``render_descent_3d``, catalog param ``surface``) and the tiled montage
of all six in one video (``render_descent_montage_3d``). Balls rest on the surface, trails grow
behind them, each ball takes the colour of the minimum it reaches (grey: stalled on a flat
region), the camera orbits slowly. Trajectories come from ``gd.descend(..., cache=True)``;
the learning rates and start grids below are inputs, every number on screen is read from the
engine.

Render: ``make render SCENES=descent_3d QUALITY=preview`` (all seven clips of this file).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

import gdengine as gd
from gdengine.errors import GdengineError
from gdengine.render3d import (
    CameraPose, DescentSpec, DescentView, Timeline, orbit, path_from_params, play, tile, tile_sizes,
)  # fmt: skip


@dataclass(frozen=True)
class Surface:
    """One surface of the montage: landscape, starts, optimizer, look."""

    landscape: str
    title: str
    caption: str
    lr: float
    grid: int = 10  # grid × grid starts over the view (inset), unless ``starts``
    starts: tuple[tuple[float, float], ...] | None = None
    start_box: tuple[tuple[float, float], tuple[float, float]] | None = None  # grid over this box
    tol: float = 1e-3
    steps: int = 3000
    clip: float | None = None
    log_ref: float | None = None  # log scale log(1 + (f − f_min)/log_ref); None: linear
    relief: float = 0.3
    ball_radius: float = 0.018
    warp: str = "log"
    azimuth: float = -60.0
    elevation: float = 42.0


# Griewank near the origin, Easom around (π, π): the engine's ``view`` of each landscape.
SURFACES = {
    "sphere": Surface("sphere", "Sphere", "one bowl: every start slides to the same minimum", lr=0.1,
                      grid=8),
    "griewank": Surface("griewank", "Griewank (near the origin)",
                        "ripples everywhere: most starts stop in the nearest dip", lr=0.5, relief=0.2,
                        elevation=58.0),  # steep enough to see into the dips
    "six_hump_camel": Surface("six_hump_camel", "Six-hump camel",
                              "two global and four local minima share the starts", lr=0.02,
                              relief=0.25, clip=0.97),
    "himmelblau_single": Surface("himmelblau", "Himmelblau, one start",
                                 "a single start follows the slope into one valley", lr=0.01,
                                 starts=((-0.4, -0.65),), tol=0.01, log_ref=20.0, ball_radius=0.024,
                                 warp="linear"),
    "himmelblau": Surface("himmelblau", "Himmelblau", "four valleys: the start decides which one",
                          lr=0.01, start_box=((-5.0, 5.0), (-4.5, 3.5)), tol=0.01, log_ref=20.0,
                          warp="linear"),
    "easom": Surface("easom", "Easom (around (π, π))",
                     "a flat plain: where the gradient is ~0 nothing moves", lr=0.2),
}
MONTAGE = ("sphere", "griewank", "six_hump_camel", "himmelblau_single", "himmelblau", "easom")


def start_grid(box, n: int, inset: float = 0.06) -> np.ndarray:
    """n×n starts over ``box`` shrunk by ``inset`` of each side (x fastest)."""
    (x0, x1), (y0, y1) = box
    dx, dy = inset * (x1 - x0), inset * (y1 - y0)
    X, Y = np.meshgrid(np.linspace(x0 + dx, x1 - dx, n), np.linspace(y0 + dy, y1 - dy, n))
    return np.column_stack([X.ravel(), Y.ravel()])


def run(surface: Surface):
    """(landscape, trajectory) of ``surface``, from the engine's cache when possible."""
    land = gd.landscape(surface.landscape)
    if surface.starts is not None:
        starts = np.array(surface.starts, dtype=float)
    elif surface.start_box is not None:
        starts = start_grid(surface.start_box, surface.grid, inset=0.0)
    else:
        starts = start_grid(land.view, surface.grid)
    traj = gd.descend(land, gd.optimizer("sgd", lr=surface.lr), starts, surface.steps,
                      tol=surface.tol, cache=True)
    return land, traj


def spec_for(surface: Surface, sweep: float, camera=None) -> DescentSpec:
    """The clip's look; ``camera``: keyframe tables (see ``path_from_params``) replacing the
    default slow orbit of ``sweep`` degrees."""
    pose = CameraPose(surface.azimuth, surface.elevation)
    path = orbit(pose, sweep) if camera is None else path_from_params(camera)
    return DescentSpec(title=surface.title, caption=surface.caption, clip=surface.clip,
                       log=surface.log_ref is not None, log_ref=surface.log_ref or 1.0,
                       relief=surface.relief, ball_radius=surface.ball_radius,
                       camera=path)


def check_surface(name: str) -> Surface:
    if name not in SURFACES:
        raise GdengineError(f"unknown surface {name!r}; valid choices: {', '.join(SURFACES)}")
    return SURFACES[name]


def check_duration(duration: float) -> float:
    if not isinstance(duration, (int, float)) or isinstance(duration, bool) or not duration > 0:
        raise GdengineError(f"duration must be a number of seconds > 0, got {duration!r}")
    return float(duration)


def render_descent_3d(sink, *, width: int, height: int, fps: float, surface: str = "himmelblau",
                      duration: float = 10.0, orbit_degrees: float = 60.0,
                      camera: list[dict] | None = None) -> None:
    """One surface: its grid of starts descending, coloured by the minimum reached.

    ``camera``: optional keyframes, e.g. ``[{time = 0, preset = "top"}, {time = 1,
    azimuth = 30, elevation = 35}]``, instead of the slow orbit."""
    chosen = check_surface(surface)
    duration = check_duration(duration)
    spec = spec_for(chosen, orbit_degrees, camera)
    land, traj = run(chosen)
    timeline = Timeline.for_clip(fps=fps, duration=duration, steps=traj.T, intro=1.0, outro=2.0,
                                 warp=chosen.warp)
    view = DescentView(land, traj, spec, timeline, width=width, height=height)
    try:
        play(sink, view.n_frames, view.draw)
    finally:
        view.close()


def render_descent_montage_3d(sink, *, width: int, height: int, fps: float, duration: float = 16.0,
                              orbit_degrees: float = 45.0, columns: int = 3) -> None:
    """All six surfaces at once, tiled, each with its name; same clock for every tile."""
    duration = check_duration(duration)
    if columns not in (2, 3, 6):
        raise GdengineError(f"columns must be 2, 3 or 6, got {columns!r}")
    rows = -(-len(MONTAGE) // columns)
    gap = max(2, round(height / 180)) // 2 * 2
    ws, hs = tile_sizes(width, columns, gap), tile_sizes(height, rows, gap)
    views = []
    try:
        for i, name in enumerate(MONTAGE):
            surface = SURFACES[name]
            land, traj = run(surface)
            timeline = Timeline.for_clip(fps=fps, duration=duration, steps=traj.T, intro=1.0,
                                         outro=2.0, warp=surface.warp)
            spec = replace(spec_for(surface, orbit_degrees), contours=8)
            r, c = divmod(i, columns)
            views.append(DescentView(land, traj, spec, timeline, width=ws[c], height=hs[r],
                                     hud="tile", max_triangles=12000))
        n = views[0].n_frames
        play(sink, n, lambda k: tile([v.draw(k) for v in views], rows, columns, width, height, gap=gap))
    finally:
        for v in views:
            v.close()

