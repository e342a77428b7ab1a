"""Optimizer race: five optimizers from one start on Himmelblau, Rosenbrock, Beale and a saddle.

Storyboard 8. For each landscape: the contour map (left), the legend with every optimizer's
hyper-parameters and, as each run stops, its update count (right, top), the loss against step
(right, bottom) and a step counter, all replayed from ``gd.descend(..., cache=True)``. The
clip ends on a 2×2 montage of the four finished races (the poster).

Render alone: ``.venv/bin/manim -r 854,480 --fps 15 scenes/optimizer_race.py OptimizerRace``.
Variants subclass and override ``races`` / ``optimizers`` / ``tol`` (see ``catalog.toml``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, VGroup

import gdengine as gd
from gdengine.errors import GdengineError
from gdengine.kit import palette
from gdengine.kit.contour import ContourMap
from gdengine.kit.layout import conceal, reveal, side_by_side, two_by_two
from gdengine.kit.legend import OutcomeColumn, display_name, legend_for
from gdengine.kit.lossplot import LossPlot, padded_positions, step_counter
from gdengine.kit.params import Param, boolean, number
from gdengine.kit.playback import StepClock, play_steps
from gdengine.kit.scene import GdScene
from gdengine.kit.text import SMALL_SIZE, format_sig, label, math as typst
from gdengine.kit.traces import Trace, TraceSet

# Hyper-parameters chosen so each race finishes (or visibly fails) within its step budget;
# the learning rates are inputs, every count and value on screen comes from the engine.
RACES = {
    "himmelblau": {"start": (-0.4, -0.65), "steps": 300, "lr": (0.005, 0.002, 0.5, 0.03, 0.1)},
    "rosenbrock": {"start": (-1.2, 1.0), "steps": 1500, "lr": (0.002, 0.002, 0.5, 0.01, 0.1)},
    "beale": {"start": (1.0, 1.4), "steps": 1000, "lr": (0.01, 0.002, 1.0, 0.03, 0.1),
              "window": ((-0.5, 4.0), (-1.5, 2.0))},
    "saddle": {"start": (1.8, 0.001), "steps": 200, "lr": (0.05, 0.05, 0.3, 0.05, 0.05)},
}
OPTIMIZERS = ("sgd", "momentum", "adagrad", "rmsprop", "adam")
MAP_SLOT_WEIGHTS = (1.0, 1.12)


def _races(value, where: str) -> dict:
    """Validate the ``races`` table: {landscape: {start, steps, lr: one per optimizer}}."""
    if not isinstance(value, Mapping) or not value:
        raise GdengineError(f"{where} must be a table {{landscape: {{start, steps, lr}}}}, got {value!r}")
    valid = gd.landscapes()
    out = {}
    for name, race in value.items():
        if name not in valid:
            raise GdengineError(f"{where}: unknown landscape {name!r}; valid choices: {', '.join(valid)}")
        if gd.landscape(name).dim != 2:
            raise GdengineError(f"{where}: {name!r} is not 2-D; the race needs a contour map")
        unknown = set(race) - {"start", "steps", "lr", "window"}
        if unknown:
            raise GdengineError(
                f"{where}.{name}: unknown keys {sorted(unknown)}; valid: start, steps, lr, window")
        steps = race.get("steps", 500)
        if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
            raise GdengineError(f"{where}.{name}.steps must be a whole number >= 1, got {steps!r}")
        lr = tuple(float(v) for v in race.get("lr", ()))
        if not lr or any(not math.isfinite(v) or v <= 0 for v in lr):
            raise GdengineError(f"{where}.{name}.lr must be positive numbers, one per optimizer")
        start = race.get("start")
        start = tuple(float(v) for v in start) if start is not None else tuple(gd.landscape(name).start)
        if len(start) != 2:
            raise GdengineError(f"{where}.{name}.start must be (x, y), got {start!r}")
        window = race.get("window")
        if window is not None:
            try:
                (x0, x1), (y0, y1) = ((float(a), float(b)) for a, b in window)
            except (TypeError, ValueError):
                raise GdengineError(f"{where}.{name}.window must be ((x0, x1), (y0, y1))") from None
            if not (x0 < x1 and y0 < y1):
                raise GdengineError(f"{where}.{name}.window needs x0 < x1 and y0 < y1")
            window = ((x0, x1), (y0, y1))
        out[name] = {"start": start, "steps": steps, "lr": lr, "window": window}
    return out


def _optimizer_names(value, where: str) -> tuple[str, ...]:
    valid = gd.optimizers()
    names = tuple(value)
    for n in names:
        if n not in valid:
            raise GdengineError(f"{where}: unknown optimizer {n!r}; valid choices: {', '.join(valid)}")
    if not 1 <= len(names) <= 7:
        raise GdengineError(f"{where}: race 1 to 7 optimizers, got {len(names)}")
    return names


def make_optimizer(name: str, lr: float, beta: float):
    hyper = {"lr": lr}
    if name in ("momentum", "nesterov"):
        hyper["momentum"] = beta
    return gd.optimizer(name, **hyper)


def run_race(surface: str, race: dict, names, beta: float, tol: float):
    """One engine run per optimizer from the race's start (cached on disk)."""
    land = gd.landscape(surface)
    opts = [make_optimizer(n, lr, beta) for n, lr in zip(names, race["lr"])]
    runs = [gd.descend(land, opt, [race["start"]], race["steps"], tol=tol, cache=True) for opt in opts]
    return land, opts, runs


def build_race(land, runs, names, clock: StepClock, width: float, height: float, window=None):
    """Contour map (over ``window``, default the landscape's view) + one trace per run."""
    cmap = ContourMap(land, width=width, height=height, window=window)
    box = cmap.box.scene_box()
    T = max(r.T for r in runs)
    traces = []
    for name, r in zip(names, runs):
        pts = cmap.c2p(padded_positions(r, T)[:, 0])
        traces.append(Trace(pts, clock, box, palette.optimizer_color(name), anchor=cmap.box.frame,
                            stop_step=int(r.stopped_at[0]), status=str(r.status[0])))
    return cmap, TraceSet(traces)


class OptimizerRace(GdScene):
    """Vanilla, momentum, AdaGrad, RMSProp and Adam raced on four landscapes."""

    params = {
        "races": Param(RACES, _races, "per landscape: start (x, y), steps, lr per optimizer"),
        "optimizers": Param(OPTIMIZERS, _optimizer_names, "optimizer names, in legend order"),
        "momentum_beta": number(0.9, lo=0.0, hi=0.999, doc="β of the momentum optimizer"),
        "tol": number(1e-3, positive=True, doc="stop rule: gradient norm below tol"),
        "race_seconds": number(7.0, positive=True, doc="length of each race replay"),
        "montage": boolean(True, doc="end on a 2×2 montage of the finished races"),
    }
    strings_file = "strings/optimizer_race.toml"

    @classmethod
    def check_params(cls) -> None:
        for name, race in cls.races.items():
            if len(race["lr"]) != len(cls.optimizers):
                raise GdengineError(
                    f"{cls.__name__}.races.{name}.lr has {len(race['lr'])} rates for "
                    f"{len(cls.optimizers)} optimizers; give one per optimizer")

    def construct(self):
        self.finished = []
        self.caption("intro", tol=format_sig(self.tol))
        for surface, race in self.races.items():
            self.race(surface, race)
        if self.montage and len(self.finished) > 1:
            self.show_montage()
        else:
            self.mark_poster()
        self.pause(1.5)

    # --- beats ---------------------------------------------------------------------------
    def race(self, surface: str, race: dict) -> None:
        self.beat(surface)
        land, opts, runs = run_race(surface, race, self.optimizers, self.momentum_beta, self.tol)
        clock = StepClock()
        left, right = side_by_side(2, weights=MAP_SLOT_WEIGHTS)
        side = min(left.width - 1.3, left.height - 0.8)
        cmap, traces = build_race(land, runs, self.optimizers, clock, side, side, race["window"])
        cmap.move_to(left.center)
        cmap.shift((left.top - cmap.get_top()[1]) * UP + (left.right - cmap.get_right()[0]) * RIGHT)
        panel, column, loss, counter = self.side_panel(cmap, traces, land, opts, runs, clock, right)
        clock.follow(traces, loss)
        clock.freeze()
        # static layers first: Manim redraws everything after the first mobject with an updater
        layers = (cmap, traces.static, panel, loss.static, column, loss.live, traces.live, counter)
        reveal(self, *layers, run_time=self.rt(0.8))
        self.caption_for(surface, land, cmap, race)
        T = max(r.T for r in runs)
        play_steps(self, clock, T, self.rt(self.race_seconds), chunk_seconds=0.8)
        self.announce_winner(runs, traces)
        self.pause(1.2)
        self.finished.append((land, runs, race["window"]))
        conceal(self, *layers, run_time=self.rt(0.6))
        self.clear_caption()

    def side_panel(self, cmap: ContourMap, traces: TraceSet, land, opts, runs, clock: StepClock, slot):
        """Title, step counter, formula, legend with outcomes (top) and loss plot (bottom).

        Returns (static panel, outcome column, loss plot, counter): the last three change."""
        T = max(r.T for r in runs)
        title = label(display_name(land.name).capitalize(), SMALL_SIZE * 1.15)
        counter = step_counter(clock, self.t("counter"), size=SMALL_SIZE * 1.15, last=T)
        head = VGroup(title, counter).arrange(RIGHT, buff=0.6)
        formula = typst(land.formula, SMALL_SIZE * 0.85, palette.MUTED)
        if formula.width > slot.width:
            formula.scale_to_fit_width(slot.width)
        legend = legend_for(list(zip(self.optimizers, opts)), size=SMALL_SIZE * 0.9)
        top = VGroup(head, formula, legend).arrange(DOWN, buff=0.18, aligned_edge=LEFT)
        top.align_to(slot.center + slot.width / 2 * LEFT, LEFT)
        top.shift((slot.top - top.get_top()[1]) * UP)
        outcomes = [(t.marker_step, t.outcome) for t in traces]
        texts = {k: self.t(k, step="{step}") for k in ("converged", "stalled", "diverged", "left", "max_steps")}
        column = OutcomeColumn(legend, clock, [(s if o != "max_steps" else T, o) for s, o in outcomes], texts)
        values = np.stack([_pad(r.values[:, 0], T) for r in runs], axis=1)
        loss = LossPlot(values, clock, [palette.optimizer_color(n) for n in self.optimizers],
                        min_value=land.min_value, width=slot.width - 1.3,
                        height=max(1.2, top.get_bottom()[1] - slot.bottom - 1.2),
                        stop_steps=[int(r.stopped_at[0]) for r in runs],
                        statuses=[str(r.status[0]) for r in runs],
                        floor=float(np.nanmin(cmap.grid[2])))
        loss.align_to(slot.center + slot.width / 2 * RIGHT, RIGHT)
        loss.shift((slot.bottom - loss.get_bottom()[1]) * UP)
        top.remove(head)
        head.remove(counter)
        top.add(head)
        return top, column, loss, counter

    def caption_for(self, surface: str, land, cmap: ContourMap, race: dict) -> None:
        x, y = (format_sig(v) for v in race["start"])
        if surface == "himmelblau":
            self.caption(surface, x=x, y=y)
        elif surface == "beale":
            self.caption(surface, fmax=format_sig(float(np.nanmax(cmap.grid[2])), 2))
        elif surface in ("rosenbrock", "saddle"):
            self.caption(surface)
        else:
            self.caption("generic", surface=display_name(land.name).capitalize(), x=x, y=y)

    def announce_winner(self, runs, traces: TraceSet) -> None:
        stops = [(int(r.stopped_at[0]), i) for i, r in enumerate(runs) if r.status[0] == "converged"]
        if stops:
            steps, i = min(stops)
            self.caption("first", name=display_name(self.optimizers[i]), steps=steps)
            return
        exits = [(t.marker_step, i) for i, t in enumerate(traces) if t.outcome in ("left", "diverged")]
        if exits:
            steps, i = min(exits)
            self.caption("escape", name=display_name(self.optimizers[i]), steps=steps)
        else:
            self.caption("none_stopped", steps=max(r.T for r in runs))

    def show_montage(self) -> None:
        self.beat("montage")
        slots = two_by_two(gap=0.3)
        tiles = VGroup()
        for slot, (land, runs, window) in zip(slots, self.finished):
            side = min(slot.width - 0.8, slot.height - 0.65)
            clock = StepClock(max(r.T for r in runs))
            cmap, traces = build_race(land, runs, self.optimizers, clock, side * 1.25, side, window)
            name = label(display_name(land.name).capitalize(), SMALL_SIZE * 0.9)
            name.next_to(cmap.box.frame, UP, buff=0.22).align_to(cmap.box.frame, LEFT)
            VGroup(cmap, name).move_to(slot.center)
            for t in traces:  # finished races: everything static
                t.live.clear_updaters()
                t.freeze(t.T)
                t.update()
            tiles.add(VGroup(cmap, name, traces.static, traces.live))
        self.caption("montage")
        reveal(self, tiles, run_time=self.rt(1.0))
        self.mark_poster()
        self.pause(2.5)


def _pad(v: np.ndarray, T: int) -> np.ndarray:
    """A run that stopped early holds its last value up to step T (the engine freezes it)."""
    return np.concatenate([v, np.full(T + 1 - len(v), v[-1])]) if len(v) <= T else v[: T + 1]
