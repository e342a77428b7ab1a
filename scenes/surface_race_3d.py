"""Optimizer race in 3-D (storyboard 11): five optimizers roll over a surface with a trap.

The default surface f(x, y) = x⁴ − 2x² + x + y² (the engine's ``shallow_local``) has a shallow
local minimum on the right, the deeper global minimum on the left and a saddle on the ridge
between them (param ``landscape``: any 2-D landscape; its critical points are marked with
rings and labelled by callouts placed where they cover no ball or trail). Vanilla gradient
descent, momentum, AdaGrad, RMSProp and Adam start from the same point as coloured balls
resting on the surface, with trails; the camera follows the pack. Each legend row reads its
optimizer's loss live from the engine's trajectory and says where the run stopped once it
does.

Beats: ``intro`` (the start), ``race`` (the steps play), ``trap`` (who stopped in the local
minimum), ``escape`` (who reached the global one), ``recap``. Every word comes from
``strings/surface_race_3d.toml`` (names: ``strings/optimizers.toml``) in the clip's
``language``; the start and learning rates are inputs, every number on screen comes from
``gd.descend(..., cache=True)``.

Render: ``make render SCENES=surface_race_3d QUALITY=preview``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

import gdengine as gd
from gdengine.errors import GdengineError
from gdengine.look import optimizer_color, optimizer_name
from gdengine.numformat import format_sig
from gdengine.render3d import (
    CameraPose, HeightMap, SurfaceStage, Timeline, camera_track, colors, orbit, path_from_params, play,
)  # fmt: skip
from gdengine.render3d import callouts as labels
from gdengine.render3d import hud as sizes
from gdengine.render3d.clip import StageClip
from gdengine.render3d.descent import point, show_caption
from gdengine.render3d.script import Beat, Script
from gdengine.strings import StringsTable

STRINGS = StringsTable.load(Path(__file__).resolve().parent / "strings/surface_race_3d.toml")
LANDSCAPE = "shallow_local"
MOTION = 12.0  # seconds for the steps to play


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


def tuned_hyper(land, racer: Racer, start, steps: int) -> dict:
    """The racer's hyper-parameters with its learning rate replaced by its best of 64
    (``gd.tune_lr`` over the start and four nearby starts)."""
    fixed = {k: v for k, v in racer.hyper.items() if k != "lr"}
    return {**racer.hyper, "lr": gd.tune_lr(land, racer.optimizer, start, steps, hyper=fixed).lr}


def race(land, start, steps: int, tol: float, tune: bool = False):
    """One engine run per racer from ``start``; positions padded to a common length."""
    hypers = [tuned_hyper(land, r, start, steps) if tune else r.hyper for r in RACERS]
    runs = [gd.descend(land, gd.optimizer(r.optimizer, **h), [start], steps, tol=tol, cache=True)
            for r, h in zip(RACERS, hypers)]
    T = max(run.T for run in runs)
    positions = np.stack([np.concatenate([run.positions[:, 0], np.repeat(run.positions[-1:, 0], T - run.T, 0)])
                          for run in runs], axis=1)  # (T+1, 5, 2), a stopped ball stays put
    values = np.stack([np.concatenate([run.values[:, 0], np.repeat(run.values[-1:, 0], T - run.T)])
                       for run in runs], axis=1)  # (T+1, 5)
    return runs, positions, values


def where_stopped(land, run) -> str:
    """'global', 'local', 'saddle', 'stalled', 'diverged' or 'moving', from the engine's outcome."""
    status, basin = str(run.status[0]), int(run.basin[0])
    n_global = len(np.asarray(land.minima).reshape(-1, 2))
    if status == "converged":
        return "global" if 0 <= basin < n_global else "local"
    if status == "stalled":
        saddles = np.asarray(land.saddles).reshape(-1, 2)
        near = len(saddles) and np.min(np.linalg.norm(saddles - run.final[0], axis=1)) < 0.05
        return "saddle" if near else "stalled"
    return "diverged" if status == "diverged" else "moving"


# --- words -------------------------------------------------------------------------------------
def line(language: str, key: str, **values) -> str:
    return STRINGS.line(language, key, **values)


def racer_label(racer: Racer, run, language: str, tuned: bool = False) -> str:
    """'momentum, η = 0.02, β = 0.9' (or 'η tuned: 0.027'): the display name and the run's own
    hyper-parameters."""
    hyper = run.meta["optimizer"]["hyper"]
    name = optimizer_name(racer.optimizer, language)
    rate = line(language, "rate_tuned" if tuned else "rate", lr=format_sig(hyper["lr"], 2 if tuned else 3))
    if "momentum" in hyper and racer.optimizer in ("momentum", "nesterov"):
        return line(language, "label_momentum", name=name, rate=rate, beta=format_sig(hyper["momentum"]))
    return line(language, "label", name=name, rate=rate)


def legend_rows(land, runs, values, step: int, labels_: list[str], language: str) -> list[tuple[str, str]]:
    rows = []
    for racer, run, v, label in zip(RACERS, runs, values.T, labels_):
        stop = int(run.stopped_at[0])
        if step >= stop and run.status[0] != "max_steps":
            text = line(language, "row_stopped", name=optimizer_name(racer.optimizer, language), step=stop,
                        where=line(language, f"where_{where_stopped(land, run)}"))
        else:
            text = line(language, "row_live", label=label, f=format_sig(v[min(step, len(v) - 1)]))
        rows.append((optimizer_color(racer.optimizer), text))
    return rows


def name_list(names: list[str], language: str) -> str:
    if len(names) <= 1:
        return "".join(names)
    return line(language, "list").join(names[:-1]) + line(language, "and") + names[-1]


def escape_key(escaped: list[str]) -> str:
    """The escape line for these names: none, one, all of the racers (no list), or some."""
    if not escaped:
        return "escape_none"
    return "escape_one" if len(escaped) == 1 else "escape_all" if len(escaped) == len(RACERS) else "escape_many"


def race_voices(land, runs, language: str, voice: str) -> dict[str, list]:
    """Each beat's narration audio ({} when silent): who is trapped, who escapes, from the runs."""
    from gdengine.voice import lines as voice_lines
    from gdengine.voice.voices import voice_for

    chosen_voice = voice_for(language, voice)
    if chosen_voice is None:
        return {}
    where = [where_stopped(land, run) for run in runs]
    escaped = [optimizer_name(r.optimizer, language) for r, w in zip(RACERS, where) if w == "global"]
    values = {"count": len(RACERS), "trapped": where.count("local"), "names": name_list(escaped, language)}
    keys = {"intro": "intro", "race": "race", "trap": "trap", "recap": "recap", "escape": escape_key(escaped)}
    return {beat: voice_lines.for_beat(STRINGS, language, chosen_voice, beat, key, **values)
            for beat, key in keys.items()}  # fmt: skip


def beats(land, runs, start, language: str) -> list[Beat]:
    """The clip's beats; the trap and escape captions say what the engine's runs did."""
    where = [where_stopped(land, run) for run in runs]
    f_local = land.f(np.asarray(land.local_minima, dtype=float).reshape(-1, 2)[:1])
    f_global = land.f(np.asarray(land.minima, dtype=float).reshape(-1, 2)[:1])
    escaped = [optimizer_name(r.optimizer, language) for r, w in zip(RACERS, where) if w == "global"]
    out = [Beat("intro", 1.5, line(language, "intro", count=len(RACERS), point=point(start))),
           Beat("race", MOTION, line(language, "race"))]
    if len(f_local):
        out.append(Beat("trap", 2.0, line(language, "trap", trapped=where.count("local"), count=len(RACERS),
                                          f=format_sig(f_local[0]))))
    out.append(Beat("escape", 2.0, line(language, escape_key(escaped), count=len(RACERS), names=name_list(escaped, language),
                                        f=format_sig(f_global[0]))))
    out.append(Beat("recap", 2.5, line(language, "recap")))
    return out


def landmarks(land, language: str) -> list[tuple[np.ndarray, tuple[str, ...]]]:
    """The surface's critical points from the engine, each with its callout's lines."""
    out = []
    for P, key in ((land.minima, "callout_global"), (land.local_minima, "callout_local"),
                   (land.saddles, "callout_saddle")):
        for p in np.asarray(P, dtype=float).reshape(-1, 2):
            out.append((p, (line(language, key), line(language, "callout_value", f=format_sig(land.f(p[None])[0])))))
    return out


# --- checks ------------------------------------------------------------------------------------
def check_landscape(name: str, window=None):
    """A registered 2-D landscape, or a 2-D formula on ``window``."""
    valid = [n for n in gd.landscapes() if gd.landscape(n).dim == 2]
    if name in gd.landscapes() or (isinstance(name, str) and name.isidentifier()):
        if name not in valid:
            raise GdengineError(f"unknown 2-D landscape {name!r}; valid choices: {', '.join(valid)}, or a formula in x and y")
        if window is not None:
            raise GdengineError(f"window applies to formula landscapes; {name!r} has its own")
        return gd.landscape(name)
    if not isinstance(name, str):
        raise GdengineError(f"landscape must be a name or a formula, got {name!r}")
    land = gd.landscape(name, window=window)
    if land.dim != 2:
        raise GdengineError(f"landscape {name!r} is 1-D; the race needs a surface in x and y")
    return land


def check_params(start, duration, steps, tol, language):
    try:
        start = tuple(float(v) for v in start)
    except (TypeError, ValueError):
        raise GdengineError(f"start must be two numbers (x, y), got {start!r}") from None
    if len(start) != 2 or not np.isfinite(start).all():
        raise GdengineError(f"start must be two finite numbers (x, y), got {start!r}")
    if duration is not None and (not isinstance(duration, (int, float)) or isinstance(duration, bool)
                                 or not duration > 0):
        raise GdengineError(f"duration must be a number of seconds > 0, got {duration!r}")
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise GdengineError(f"steps must be an integer >= 1, got {steps!r}")
    if not isinstance(tol, (int, float)) or not tol > 0:
        raise GdengineError(f"tol must be a number > 0, got {tol!r}")
    if not isinstance(language, str):
        raise GdengineError(f"language must be a string, got {language!r}")
    STRINGS.check_language(language)
    return start, (None if duration is None else float(duration))


# --- the clip ----------------------------------------------------------------------------------
class RaceClip(StageClip):
    """The race on one stage: balls, trails, rings with callouts, legend, counter, caption."""

    def __init__(self, land, runs, positions, values, start, script: Script, *, width: int,
                 height: int, fps: float, language: str, path, tuned: bool = False) -> None:
        self.land, self.runs, self.values, self.script = land, runs, values, script
        self.width, self.height, self.fps, self.language = width, height, float(fps), language
        self.n_frames = script.n_frames
        first, last = script.frames("race")
        self.T = positions.shape[0] - 1
        # log warp: the first dozen steps, where the runs part ways, get half the motion
        self.steps = Timeline(self.n_frames, self.T, intro=first, outro=self.n_frames - last,
                              warp="log").step_at()
        heights = HeightMap.build(land, log=True, relief=0.3)  # log: colour range for the valleys
        self.stage = stage = SurfaceStage(heights, width=width, height=height, contours=10)
        radius = 0.025 * heights.span
        rgb = np.array([colors.rgb8(optimizer_color(r.optimizer)) for r in RACERS])
        self.labels = [racer_label(r, run, language, tuned) for r, run in zip(RACERS, runs)]
        names = [optimizer_name(r.optimizer, language) for r in RACERS]
        group = stage.add_particles(positions, self.steps, rgb, radius=radius, trail_width=0.3, names=names)
        marks = landmarks(land, language)
        if marks:
            stage.add_landmarks(np.array([p for p, _ in marks]), radius=0.9 * radius, color=colors.MUTED)
        band = self._layout(start)
        pack = group.centres.mean(axis=1)  # (N, 3): the camera follows the pack's centre
        self.track = camera_track(path, self.n_frames, stage.stage(), stage.aspect, follow=pack,
                                  follow_weight=0.55, follow_smoothing=max(1, round(fps)), framing=band,
                                  zoom=1.1)
        anchors = stage.rest(np.array([p for p, _ in marks]), 0.0) if marks else np.zeros((0, 3))
        self.callouts = [labels.Callout(f"callout.{i}", a, lines) for i, (a, (_, lines)) in
                         enumerate(zip(anchors, marks))]
        fixed = [s.box for s in stage.hud.slots.values()] + [self.panel]
        labels.place(stage, self.track, self.callouts, fixed_texts=fixed, frames=range(self.n_frames))

    def _layout(self, start):
        """Title, start line and counter top left, legend top right, caption strip at the
        bottom; returns the band left to the surface."""
        h, lang = self.stage.hud, self.language
        mx, my = h.margin
        title = h.text("title", line(lang, "title"), at=(mx, my), size=sizes.TITLE, bold=True)
        y = title.box[3] + 0.25 * h.line(sizes.LABEL)
        h.text("formula", self.land.formula_text, at=(mx, y), color=colors.MUTED)
        y += h.line(sizes.LABEL)
        h.text("start", line(lang, "start", point=point(start)), at=(mx, y), color=colors.MUTED)
        y += h.line(sizes.LABEL)
        self.counter_at = (mx, y)
        self._counter(self.T)
        y += h.line(sizes.LABEL)
        left = max(s.box[2] for s in h.slots.values())
        # the legend's left edge stays put: placed for its widest rows over the whole clip
        rows = [legend_rows(self.land, self.runs, self.values, step, self.labels, lang)
                for step in np.unique(np.floor(self.steps + 1e-9).astype(int))]
        widths = [max(h.measure(label, sizes.LABEL)[0] for _, label in r) for r in rows]
        widest = rows[int(np.argmax(widths))]
        return self.place_legend(widest, left, y)

    def _counter(self, step: int) -> None:
        self.stage.hud.text("counter", line(self.language, "counter", step=step, total=self.T),
                            at=self.counter_at)

    # --- the Clip protocol (the rest: StageClip) -------------------------------------------
    def update(self, k: int) -> None:
        self.stage.frame(k, self.track)
        step = int(np.floor(self.steps[k] + 1e-9))
        self._counter(step)
        self.stage.hud.legend("legend", legend_rows(self.land, self.runs, self.values, step, self.labels,
                                                    self.language), at=self.legend_at)
        labels.draw(self.stage, self.callouts, color=colors.FOREGROUND)
        show_caption(self.stage.hud, self.script, k, self.panel)


def render_surface_race_3d(sink, *, width: int, height: int, fps: float,
                           landscape: str = LANDSCAPE, start: tuple[float, float] = (1.8, 1.2),
                           language: str = "en", voice: str = "auto", duration: float | None = None,
                           steps: int = 1000, tol: float = 1e-3, camera: list[dict] | None = None,
                           window=None, tune: bool = False) -> None:
    """Five optimizers as balls with trails on ``landscape`` (a name, or a formula in x and y
    on ``window``; ``tune``: each at its best learning rate), camera following the pack
    (``camera``: keyframe tables replacing the default slow orbit; the pack is still followed),
    narrated in ``language`` by ``voice`` (auto, none or a voice name).
    ``duration``: None lets every beat last its caption's reading time; seconds scale it."""
    land = check_landscape(landscape, window)
    if not isinstance(tune, bool):
        raise GdengineError(f"tune must be true or false, got {tune!r}")
    start, duration = check_params(start, duration, steps, tol, language)
    path = orbit(CameraPose(-75.0, 36.0), 50.0, rise=-4.0) if camera is None else path_from_params(camera)
    (x0, x1), (y0, y1) = land.view
    if not (x0 <= start[0] <= x1 and y0 <= start[1] <= y1):
        raise GdengineError(f"start {start} is outside the surface's window {land.view}")
    runs, positions, values = race(land, start, steps, tol, tune)
    script = Script(beats(land, runs, start, language), fps, duration=duration,
                    voices=race_voices(land, runs, language, voice))
    clip = RaceClip(land, runs, positions, values, start, script, width=width, height=height, fps=fps,
                    language=language, path=path, tuned=tune)
    try:
        play(sink, clip)
    finally:
        clip.close()
