"""Optimizer race in 3-D (storyboard 11): five optimizers roll over a surface with a trap.

The default surface f(x, y) = x⁴ − 2x² + x + y² (the engine's ``shallow_local``) has a shallow
local minimum on the right, the deeper global minimum on the left and a saddle on the ridge
between them (param ``landscape``: any 2-D landscape; its critical points are marked). Vanilla gradient descent, momentum, AdaGrad, RMSProp and Adam start from the same point
as coloured balls resting on the surface, with trails; the camera follows the pack. Each
legend row reads its optimizer's step and loss live from the engine's trajectory and says
where the run stopped once it does. The start and learning rates are inputs; every number
on screen comes from ``gd.descend(..., cache=True)``.

Render: ``make render SCENES=surface_race_3d QUALITY=preview``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import gdengine as gd
from gdengine.errors import GdengineError
from gdengine.numformat import format_sig
from gdengine.render3d import (
    CameraPose, HeightMap, SurfaceStage, Timeline, camera_track, optimizer_label, orbit,
    path_from_params, play,
)  # fmt: skip
from gdengine.render3d import colors
from gdengine.render3d.camera import Framing
from gdengine.render3d.descent import point

LANDSCAPE = "shallow_local"
TITLE = "Optimizer race on a surface with a trap"


@dataclass(frozen=True)
class Racer:
    optimizer: str
    hyper: dict


# Learning rates chosen so every run settles within the step budget; the outcome (which
# minimum, how many steps) is whatever the engine computes.
RACERS = (
    Racer("sgd", {"lr": 0.02}),
    Racer("momentum", {"lr": 0.02, "momentum": 0.9}),
    Racer("adagrad", {"lr": 0.3}),
    Racer("rmsprop", {"lr": 0.03}),
    Racer("adam", {"lr": 0.1}),
)
FRAMING = Framing(x=(-0.92, 0.92), y=(-0.5, 0.62))


def race(land, start, steps: int, tol: float):
    """One engine run per racer from ``start``; positions padded to a common length."""
    runs = [gd.descend(land, gd.optimizer(r.optimizer, **r.hyper), [start], steps, tol=tol, cache=True)
            for r in RACERS]
    T = max(run.T for run in runs)
    positions = np.stack([np.concatenate([run.positions[:, 0], np.repeat(run.positions[-1:, 0], T - run.T, 0)])
                          for run in runs], axis=1)  # (T+1, 5, 2), a stopped ball stays put
    values = np.stack([np.concatenate([run.values[:, 0], np.repeat(run.values[-1:, 0], T - run.T)])
                       for run in runs], axis=1)  # (T+1, 5)
    return runs, positions, values


def where_stopped(land, run) -> str:
    """'global minimum', 'local minimum', 'stalled at a saddle' … from the engine's outcome."""
    status, basin = str(run.status[0]), int(run.basin[0])
    n_global = len(np.asarray(land.minima).reshape(-1, 2))
    if status == "converged":
        return "global minimum" if 0 <= basin < n_global else "local minimum"
    if status == "stalled":
        saddles = np.asarray(land.saddles).reshape(-1, 2)
        near = len(saddles) and np.min(np.linalg.norm(saddles - run.final[0], axis=1)) < 0.05
        return "stalled at the saddle" if near else "stalled"
    return "diverged" if status == "diverged" else "still moving"


def landmarks(land) -> tuple[np.ndarray, list[str], np.ndarray]:
    """The surface's critical points from the engine, named with their values, and where to
    put each label: minima labels behind their point (+y), saddle labels in front (−y), a
    quarter of the window away, so labels never sit on each other or on a resting ball."""
    (_, _), (y0, y1) = land.view
    away = 0.28 * (y1 - y0)
    groups = [(land.minima, "global minimum", away), (land.local_minima, "local minimum", away),
              (land.saddles, "saddle", -away)]
    pts, names, offsets = [], [], []
    for P, name, dy in groups:
        for p in np.asarray(P, dtype=float).reshape(-1, 2):
            pts.append(p)
            names.append(f"{name}\nf = {format_sig(land.f(p[None])[0])}")
            offsets.append((0.0, dy))
    return np.array(pts), names, np.array(offsets)


def legend_rows(land, runs, values, step: int) -> list[tuple[str, str]]:
    rows = []
    for racer, run, v in zip(RACERS, runs, values.T):
        label = optimizer_label(run.meta)
        stop = int(run.stopped_at[0])
        if step >= stop and run.status[0] != "max_steps":
            state = f"{where_stopped(land, run)} after {stop} steps, f = {format_sig(v[stop])}"
        else:
            state = f"f = {format_sig(v[min(step, len(v) - 1)])}"
        rows.append((colors.OPTIMIZER_COLORS.get(racer.optimizer, colors.GREY), f"{label}: {state}"))
    return rows


def check_landscape(name: str):
    valid = [n for n in gd.landscapes() if gd.landscape(n).dim == 2]
    if name not in valid:
        raise GdengineError(f"unknown 2-D landscape {name!r}; valid choices: {', '.join(valid)}")
    return gd.landscape(name)


def check_params(start, duration, steps, tol):
    try:
        start = tuple(float(v) for v in start)
    except (TypeError, ValueError):
        raise GdengineError(f"start must be two numbers (x, y), got {start!r}") from None
    if len(start) != 2 or not np.isfinite(start).all():
        raise GdengineError(f"start must be two finite numbers (x, y), got {start!r}")
    if not isinstance(duration, (int, float)) or isinstance(duration, bool) or not duration > 0:
        raise GdengineError(f"duration must be a number of seconds > 0, got {duration!r}")
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise GdengineError(f"steps must be an integer >= 1, got {steps!r}")
    if not isinstance(tol, (int, float)) or not tol > 0:
        raise GdengineError(f"tol must be a number > 0, got {tol!r}")
    return start, float(duration)


def render_surface_race_3d(sink, *, width: int, height: int, fps: float,
                           landscape: str = LANDSCAPE, start: tuple[float, float] = (1.8, 1.2),
                           duration: float = 30.0, steps: int = 1000, tol: float = 1e-3,
                           camera: list[dict] | None = None) -> None:
    """Five optimizers as balls with trails on ``landscape``, camera following the pack
    (``camera``: keyframe tables replacing the default slow orbit; the pack is still followed)."""
    land = check_landscape(landscape)
    start, duration = check_params(start, duration, steps, tol)
    path = orbit(CameraPose(-75.0, 38.0), 50.0) if camera is None else path_from_params(camera)
    (x0, x1), (y0, y1) = land.view
    if not (x0 <= start[0] <= x1 and y0 <= start[1] <= y1):
        raise GdengineError(f"start {start} is outside the surface's window {land.view}")
    runs, positions, values = race(land, start, steps, tol)
    T = positions.shape[0] - 1
    # log warp: the first dozen steps, where the runs part ways, get half the clip
    timeline = Timeline.for_clip(fps=fps, duration=duration, steps=T, intro=1.5, outro=3.0,
                                 warp="log")
    s = timeline.step_at()
    heights = HeightMap.build(land, log=True, relief=0.3)  # log: colour range for the valleys
    stage = SurfaceStage(heights, width=width, height=height, contours=10)
    try:
        radius = 0.025 * stage.heights.span
        rgb = np.array([colors.rgb8(colors.OPTIMIZER_COLORS[r.optimizer]) for r in RACERS])
        group = stage.add_particles(positions, s, rgb, radius=radius, trail_width=0.3)
        pts, names, offsets = landmarks(land)
        stage.add_landmarks(pts, names, radius=0.9 * radius, offsets=offsets, color=colors.MUTED)
        pack = group.centres.mean(axis=1)  # (N, 3): the camera follows the pack's centre
        track = camera_track(path, timeline.n_frames,
                             stage.stage(), stage.aspect, follow=pack, follow_weight=0.55,
                             follow_smoothing=max(1, round(fps)), framing=FRAMING, zoom=1.1)
        hud = stage.hud
        hud.text("title", TITLE, size=0.05, bold=True)
        hud.text("subtitle", f"{land.formula_text}\nsame start {point(start)}, five optimizers",
                 size=0.03, color=colors.MUTED, offset=(0, -0.07))

        def draw(k: int) -> np.ndarray:
            step = int(np.floor(s[k] + 1e-9))
            hud.legend("legend", legend_rows(land, runs, values, step), anchor="lower_left", size=0.028,
                       offset=(0, 0.0))
            hud.text("counter", f"step {step} / {T}", anchor="lower_right", size=0.032)
            stage.frame(k, track)
            return stage.grab()

        play(sink, timeline.n_frames, draw)
    finally:
        stage.close()
