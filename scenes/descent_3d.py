"""Descent montage in 3-D (storyboard 10): grids of starts pour into the valleys of six surfaces.

One clip per surface (``render_descent_3d``, catalog param ``surface``) and the tiled montage
of all six in one video (``render_descent_montage_3d``). Balls rest on the surface, trails grow
behind them, each ball takes the colour of the minimum it reaches (grey: stalled on a flat
region), the camera orbits slowly at an elevation that keeps the relief readable.

Beats: ``intro`` (the starts at rest), ``descend`` (the steps play), ``basins`` (where the
balls ended, counted in the legend), Easom's ``plain`` (what the stalled balls did), ``recap``.
Every word comes from ``strings/descent_3d.toml`` in the clip's ``language``; the learning
rates and start grids below are inputs, every number on screen is read from the engine
(``gd.descend(..., cache=True)``).

Render: ``make render SCENES=descent_3d QUALITY=preview`` (all seven clips of this file).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

import gdengine as gd
from gdengine.errors import GdengineError
from gdengine.look import optimizer_name
from gdengine.numformat import format_sig
from gdengine.render3d import (
    CameraPose, DescentSpec, DescentView, Timeline, orbit, path_from_params, play, tile_sizes,
)  # fmt: skip
from gdengine.render3d import colors
from gdengine.render3d.descent import DescentWords, point
from gdengine.render3d.hud import type_scale
from gdengine.render3d.montage import Montage, banner_height
from gdengine.render3d.script import Beat, Script
from gdengine.strings import StringsTable

STRINGS = StringsTable.load(Path(__file__).resolve().parent / "strings/descent_3d.toml")

# Orbits stay between these elevations: lower hides the valleys behind the ridges, higher
# flattens the relief into a map.
ELEVATIONS = (24.0, 45.0)


@dataclass(frozen=True)
class Surface:
    """One surface of the montage: landscape, starts, optimizer, look."""

    landscape: str
    lr: float
    window: tuple | None = None  # a formula's window (None: its default, or a named landscape's own)
    grid: int = 10  # grid × grid starts over the view (inset), unless ``starts``
    starts: tuple[tuple[float, float], ...] | None = None
    start_box: tuple[tuple[float, float], tuple[float, float]] | None = None  # grid over this box
    tol: float = 1e-3
    steps: int = 3000
    clip: float | None = None
    log_ref: float | None = None  # log scale log(1 + (f − f_min)/log_ref); None: linear
    relief: float = 0.35
    ball_radius: float = 0.018
    warp: str = "log"
    azimuth: float = -60.0
    elevation: float = 34.0
    rise: float = -4.0  # elevation change over the orbit (a slow dip shows the relief)
    motion: float = 6.0  # seconds for the steps to play


# Griewank near the origin, Easom around (π, π): the engine's ``view`` of each landscape.
SURFACES = {
    "sphere": Surface("sphere", lr=0.1, grid=8, motion=5.0),
    "griewank": Surface("griewank", lr=0.5, relief=0.22, elevation=45.0, rise=0.0),  # high enough to see into the dips
    "six_hump_camel": Surface("six_hump_camel", lr=0.02, relief=0.3, clip=0.97),
    "himmelblau_single": Surface("himmelblau", lr=0.01, starts=((-0.4, -0.65),), tol=0.01,
                                 log_ref=20.0, ball_radius=0.024, warp="linear", motion=5.0),
    "himmelblau": Surface("himmelblau", lr=0.01, start_box=((-5.0, 5.0), (-4.5, 3.5)), tol=0.01,
                          log_ref=20.0, warp="linear"),
    "easom": Surface("easom", lr=0.2, motion=7.0),
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
    land = gd.landscape(surface.landscape, **({"window": surface.window} if surface.window else {}))
    if surface.starts is not None:
        starts = np.array(surface.starts, dtype=float)
    elif surface.start_box is not None:
        starts = start_grid(surface.start_box, surface.grid, inset=0.0)
    else:
        starts = start_grid(land.view, surface.grid)
    traj = gd.descend(land, gd.optimizer("sgd", lr=surface.lr), starts, surface.steps,
                      tol=surface.tol, cache=True)
    return land, traj


# --- words -------------------------------------------------------------------------------------
def line(language: str, key: str, **values) -> str:
    return STRINGS.line(language, key, **values)


def starts_text(language: str, n: int) -> str:
    return line(language, "starts_one" if n == 1 else "starts_many", count=n)


def words_for(name: str, land, traj, language: str, *, tile: bool = False) -> DescentWords:
    """Title, lines and legend words of surface ``name``, numbers from the engine."""
    spec = traj.meta["optimizer"]
    run_line = line(language, "run", optimizer=optimizer_name(spec["name"], language),
                    lr=format_sig(spec["hyper"]["lr"]), starts=starts_text(language, traj.B))
    return DescentWords(
        title=line(language, f"title_{name}"),
        lines=() if tile else (land.formula_text, run_line),
        counter="" if tile else line(language, "counter", step="{step}", total="{total}"),
        global_minimum=line(language, "global_minimum", point="{point}"),
        local_minimum=line(language, "local_minimum", point="{point}"),
        other_minima=line(language, "other_minima", minima="{minima}"),
        stalled=line(language, "stalled"),
        diverged=line(language, "diverged"),
        row=line(language, "row", what="{what}", count="{count}"),
        starts=(line(language, "starts_one", count="{count}"), line(language, "starts_many", count="{count}")),
    )


def outcome_counts(land, traj, outcomes) -> dict:
    """What the engine's runs did: how many balls reached a global minimum, stopped in a local
    one, never moved or crept and stalled; the valleys reached, the steps, the first end point."""
    g = np.asarray(outcomes.group)
    is_global = np.array([bool(outcomes.is_global[i]) if i >= 0 else False for i in g])
    stalled = g == -1
    never = int((stalled & (np.asarray(traj.stopped_at) == 0)).sum())
    end = outcomes.points[0] if len(outcomes.points) else np.asarray(land.minima).reshape(-1, 2)[0]
    return {
        "n": int(traj.B), "reached": int(is_global.sum()), "local": int(((g >= 0) & ~is_global).sum()),
        "never": never, "crept": int(stalled.sum()) - never, "valleys": len(outcomes.points),
        "steps": int(np.max(traj.stopped_at)), "end": end,
    }


def outcome_values(land, traj, outcomes, language: str) -> dict[str, str]:
    """Numbers the captions cite, read from the engine's trajectory and the outcomes."""
    c = outcome_counts(land, traj, outcomes)
    s = lambda n: starts_text(language, int(n))  # noqa: E731
    return {
        "count": s(c["n"]), "point": point(c["end"]), "global": s(c["reached"]), "local": s(c["local"]),
        "reached": s(c["reached"]), "never": s(c["never"]), "crept": s(c["crept"]),
        "valleys": str(c["valleys"]), "steps": str(c["steps"]),
    }


def surface_voices(name: str, land, traj, outcomes, language: str, voice: str) -> dict[str, list]:
    """Each beat's narration audio (strings ``[lang.narration]``), keyed by beat id; {} when
    silent. The words depend on the surface and on a single start or a grid."""
    from gdengine.voice import lines as voice_lines
    from gdengine.voice.voices import voice_for

    chosen_voice = voice_for(language, voice)
    if chosen_voice is None:
        return {}
    c = outcome_counts(land, traj, outcomes)
    values = {k: v for k, v in c.items() if k != "end"}
    values.update(x=format_sig(float(c["end"][0]), 2), y=format_sig(float(c["end"][1]), 2))
    single = traj.B == 1
    keys = {"intro": "intro_single" if single else "intro_grid", "descend": "descend_single" if single else "descend",
            "basins": f"basins_{name}", "plain": f"plain_{name}", "recap": f"recap_{name}"}  # fmt: skip
    return {beat: voice_lines.for_beat(STRINGS, language, chosen_voice, beat, key, **values)
            for beat, key in keys.items()}  # fmt: skip


def surface_beats(name: str, chosen: Surface, land, traj, outcomes, language: str) -> list[Beat]:
    values = outcome_values(land, traj, outcomes, language)
    intro = (line(language, "intro_single", point=point(traj.positions[0, 0])) if traj.B == 1
             else line(language, "intro_grid", starts=starts_text(language, traj.B)))
    beats = [Beat("intro", 1.0, intro),
             Beat("descend", chosen.motion, line(language, "descend_single" if traj.B == 1 else "descend")),
             Beat("basins", 2.0, line(language, f"basins_{name}", **values))]
    if f"plain_{name}" in STRINGS.keys:
        beats.append(Beat("plain", 2.0, line(language, f"plain_{name}", **values)))
    beats.append(Beat("recap", 2.0, line(language, f"recap_{name}")))
    return beats


# --- camera ------------------------------------------------------------------------------------
def camera_path(surface: Surface, sweep: float, camera=None):
    """The slow orbit (elevation kept in ``ELEVATIONS``), or the given keyframe tables."""
    if camera is not None:
        return path_from_params(camera)
    return orbit(CameraPose(surface.azimuth, surface.elevation), sweep, rise=surface.rise)


def spec_for(surface: Surface, sweep: float, camera=None, **changes) -> DescentSpec:
    return DescentSpec(clip=surface.clip, log=surface.log_ref is not None,
                       log_ref=surface.log_ref or 1.0, relief=surface.relief,
                       ball_radius=surface.ball_radius, camera=camera_path(surface, sweep, camera),
                       **changes)


# --- checks ------------------------------------------------------------------------------------
def check_surface(name: str, window=None, lr: float | None = None) -> Surface:
    """A preset of ``SURFACES``, or a surface typed as a formula in x and y: a 10×10 grid of
    starts over its ``window``, plain descent at ``lr`` (default: the best of 64 rates for a
    start at the window's centre and four around it, ``gd.tune_lr``)."""
    if name in SURFACES:
        if window is not None or lr is not None:
            raise GdengineError(f"window and lr apply to formula surfaces; {name!r} is a preset")
        return SURFACES[name]
    if not isinstance(name, str) or name in gd.landscapes() or name.isidentifier():
        raise GdengineError(f"unknown surface {name!r}; valid choices: {', '.join(SURFACES)}, "
                            "or a formula in x and y such as 'x^2 + 10*y^2'")
    land = gd.landscape(name, window=window)
    if land.dim != 2:
        raise GdengineError(f"surface {name!r} is 1-D; a surface needs x and y")
    if lr is None:
        centre = [(lo + hi) / 2 for lo, hi in land.view]
        lr = gd.tune_lr(land, "sgd", centre, 300, spread=0.2).lr
    elif isinstance(lr, bool) or not isinstance(lr, (int, float)) or not lr > 0:
        raise GdengineError(f"lr must be a positive number, got {lr!r}")
    return Surface(name, lr=float(lr), window=land.bounds)


def words_key(surface: str) -> str:
    """The strings' key part for a surface: its preset name, or "formula"."""
    return surface if surface in SURFACES else "formula"


def check_duration(duration) -> float | None:
    if duration is None:
        return None
    if not isinstance(duration, (int, float)) or isinstance(duration, bool) or not duration > 0:
        raise GdengineError(f"duration must be a number of seconds > 0, got {duration!r}")
    return float(duration)


def check_language(language) -> str:
    if not isinstance(language, str):
        raise GdengineError(f"language must be a string, got {language!r}")
    return STRINGS.check_language(language)


def step_clock(script: Script, motion: str, steps: int, warp: str) -> np.ndarray:
    """Fractional step per frame: 0 before beat ``motion``, all ``steps`` after it."""
    first, last = script.frames(motion)
    timeline = Timeline(script.n_frames, steps, intro=first, outro=script.n_frames - last, warp=warp)
    return timeline.step_at()


# --- entries -----------------------------------------------------------------------------------
def surface_outcomes(spec: DescentSpec, land, traj):
    """Where each ball ended (minimum reached or stalled), judged on the drawn surface's scale."""
    from gdengine.render3d.heights import HeightMap
    from gdengine.render3d.outcomes import classify

    heights = HeightMap.build(land, clip=spec.clip, log=spec.log, log_ref=spec.log_ref, relief=spec.relief)
    return classify(land, traj, span=heights.span, f_range=heights.f_cap - heights.f_min)


def montage_voices(runs, specs, language: str, voice: str) -> dict[str, list]:
    """The montage's narration per beat ({} when silent): how many balls in all, and how many
    ended stalled, from the engine's runs."""
    from gdengine.voice import lines as voice_lines
    from gdengine.voice.voices import voice_for

    chosen_voice = voice_for(language, voice)
    if chosen_voice is None:
        return {}
    balls = stalled = 0
    for (land, traj), spec in zip(runs, specs):
        balls += traj.B
        stalled += int((np.asarray(surface_outcomes(spec, land, traj).group) == -1).sum())
    values = {"surfaces": len(runs), "balls": balls, "stalled": stalled}
    return {beat: voice_lines.for_beat(STRINGS, language, chosen_voice, beat, f"montage_{beat}", **values)
            for beat in ("intro", "descend", "basins", "recap")}  # fmt: skip


def render_descent_3d(sink, *, width: int, height: int, fps: float, surface: str = "himmelblau",
                      language: str = "en", voice: str = "auto", duration: float | None = None,
                      orbit_degrees: float = 60.0, camera: list[dict] | None = None,
                      window=None, lr: float | None = None) -> None:
    """One surface: its grid of starts descending, coloured by the minimum reached, narrated
    in ``language`` (``voice``: auto, none or a voice name; each beat waits for its voice).

    ``duration``: None lets every beat last its caption's reading time; a number of seconds
    scales the beats to fit. ``camera``: optional keyframes, e.g. ``[{time = 0, preset =
    "top"}, {time = 1, azimuth = 30, elevation = 35}]``, instead of the slow orbit.
    ``surface`` may be a formula in x and y, with its ``window`` and optional ``lr``."""
    chosen = check_surface(surface, window, lr)
    surface = words_key(surface)
    language = check_language(language)
    duration = check_duration(duration)
    spec = spec_for(chosen, orbit_degrees, camera)
    land, traj = run(chosen)
    outcomes = surface_outcomes(spec, land, traj)
    script = Script(surface_beats(surface, chosen, land, traj, outcomes, language), fps, duration=duration,
                    voices=surface_voices(surface, land, traj, outcomes, language, voice))
    clock = step_clock(script, "descend", traj.T, chosen.warp)
    view = DescentView(land, traj, spec, words_for(surface, land, traj, language), clock,
                       width=width, height=height, fps=fps, script=script, counts_from="basins")
    try:
        play(sink, view)
    finally:
        view.close()


def render_descent_montage_3d(sink, *, width: int, height: int, fps: float, language: str = "en",
                              voice: str = "auto", duration: float | None = None, orbit_degrees: float = 45.0,
                              columns: int = 3) -> None:
    """All six surfaces at once, tiled, each with its name, under one legend, one clock (the
    same step in every tile) and one caption strip; narrated in ``language`` by ``voice``."""
    language = check_language(language)
    duration = check_duration(duration)
    if columns not in (2, 3, 6):
        raise GdengineError(f"columns must be 2, 3 or 6, got {columns!r}")
    rows = -(-len(MONTAGE) // columns)
    gap = max(2, round(height / 180)) // 2 * 2
    banner = banner_height(width, height)
    runs = [run(SURFACES[name]) for name in MONTAGE]
    specs = [spec_for(SURFACES[name], orbit_degrees, contours=8) for name in MONTAGE]
    total = max(traj.T for _, traj in runs)
    script = Script([
        Beat("intro", 1.0, line(language, "montage_intro", surfaces=len(MONTAGE))),
        Beat("descend", 8.0, line(language, "montage_descend")),
        Beat("basins", 2.0, line(language, "montage_basins")),
        Beat("recap", 2.0, line(language, "montage_recap")),
    ], fps, duration=duration, voices=montage_voices(runs, specs, language, voice))
    clock = step_clock(script, "descend", total, "log")  # one clock: step k in every tile
    ws, hs = tile_sizes(width, columns, gap), tile_sizes(height - banner, rows, gap)
    views = []
    montage = None
    try:
        for i, (name, (land, traj)) in enumerate(zip(MONTAGE, runs)):
            r, c = divmod(i, columns)
            x0, y0 = sum(ws[:c]) + gap * c, sum(hs[:r]) + gap * r
            inset = (max(0.05 * width - x0, 0.02 * height), max(0.05 * height - y0, 0.02 * height))
            views.append(DescentView(land, traj, specs[i], words_for(name, land, traj, language, tile=True),
                                     np.minimum(clock, traj.T), width=ws[c], height=hs[r], fps=fps,
                                     hud="tile", inset=inset, max_triangles=12000,
                                     type_scale=type_scale(width, height)))
        legend = [(colors.BASIN_COLORS, line(language, "legend_minima")),
                  (colors.STALLED, line(language, "stalled"))]
        montage = Montage(views, rows=rows, columns=columns, width=width, height=height, gap=gap,
                          banner=banner, script=script, fps=fps, legend=legend, clock=clock,
                          clock_text=lambda step: line(language, "clock", step=step, total=total))
        play(sink, montage)
    finally:
        if montage is not None:
            montage.close()
        else:
            for v in views:
                v.close()
