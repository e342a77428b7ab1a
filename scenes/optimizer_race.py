"""Optimizer race: five optimizers from one start on Himmelblau, Rosenbrock, Beale and a saddle.

Storyboard 8. For each landscape: the contour map (left), the legend with every optimizer's
hyper-parameters and, as each run stops, its update count (right, top), the loss against step
(right, bottom) and a step counter, all replayed from ``gd.descend(..., cache=True)``. The
clip ends on a 2×2 montage of the four finished races (the poster).

Render alone: ``.venv/bin/manim -r 854,480 --fps 15 scenes/optimizer_race.py OptimizerRace``.
Variants subclass and override ``races`` / ``optimizers`` / ``tol`` (see ``catalog.toml``).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from manim import LEFT, UP, VGroup

import gdengine as gd
from gdengine.errors import GdengineError
from gdengine.kit import palette
from gdengine.kit.contour import ContourMap
from gdengine.kit.layout import conceal, reveal, side_by_side, two_by_two
from gdengine.kit.legend import OUTCOMES, display_name
from gdengine.kit.params import Param, boolean, learning_rates, number
from gdengine.kit.playback import StepClock, play_steps
from gdengine.kit.race import RaceView, Runner
from gdengine.kit.scene import GdScene
from gdengine.kit.text import SMALL_SIZE, format_sig, label

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
        lr = learning_rates(()).validate(race.get("lr", ()), f"{where}.{name}.lr")
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
        view = RaceView(land, [Runner(display_name(n), o, r) for n, o, r in zip(self.optimizers, opts, runs)],
                        clock, *side_by_side(2, weights=MAP_SLOT_WEIGHTS), window=race["window"],
                        outcome_texts={k: self.t(k, step="{step}") for k in OUTCOMES},
                        counter_label=self.t("counter"))
        clock.freeze()
        reveal(self, *view.layers, run_time=self.rt(0.8))
        self.caption_for(surface, land, view.cmap, race)
        play_steps(self, clock, view.T, self.rt(self.race_seconds), chunk_seconds=0.8)
        self.facts[surface] = {"view": view, "runs": runs, "end": self.time}
        self.announce_winner(view)
        self.pause(1.2)
        self.finished.append((land, runs, race["window"]))
        conceal(self, *view.layers, run_time=self.rt(0.6))
        self.clear_caption()

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

    def announce_winner(self, view: RaceView) -> None:
        first, escape = view.first_stop(), view.first_exit()
        if first:
            self.caption("first", name=view.runners[first[1]].name, steps=first[0])
        elif escape:
            self.caption("escape", name=view.runners[escape[1]].name, steps=escape[0])
        else:
            self.caption("none_stopped", steps=view.T)

    def show_montage(self) -> None:
        self.beat("montage")
        slots = two_by_two(gap=0.3)
        tiles = VGroup()
        for slot, (land, runs, window) in zip(slots, self.finished):
            clock = StepClock(max(r.T for r in runs))
            runners = [Runner(n, None, r, palette.optimizer_color(n), "") for n, r in zip(self.optimizers, runs)]
            h = slot.height - 1.1
            view = RaceView(land, runners, clock, slot, window=window, tail=0,
                            map_size=(min(slot.width - 1.3, 1.5 * h), h))
            name = label(display_name(land.name).capitalize(), SMALL_SIZE * 0.9)
            name.next_to(view.cmap.box.frame, UP, buff=0.22).align_to(view.cmap.box.frame, LEFT)
            VGroup(view.cmap, name).move_to(slot.center)
            for t in view.traces:  # finished races: everything static
                t.live.clear_updaters()
                t.freeze(t.T)
                t.update()
            tiles.add(VGroup(*view.layers, name))
        self.caption("montage")
        reveal(self, tiles, run_time=self.rt(1.0))
        self.mark_poster()
        self.pause(2.5)

