"""Optimizer race: five optimizers from one start on Himmelblau, Rosenbrock, Beale and a saddle.

Storyboard 8. For each landscape: a header (title, formula, step counter), the contour map
with its colour bar (left), the legend with every optimizer's hyper-parameters and, as each
run stops, its update count (right, top) and the loss against step (right, bottom), all
replayed from ``gd.descend(..., cache=True)``; then the result, held for reading. The clip
ends on a table of every run's outcome in every race, the first to stop in each framed,
under a one-line recap.

Render alone: ``.venv/bin/manim -r 854,480 --fps 15 scenes/optimizer_race.py OptimizerRace``.
Variants subclass and override ``races`` / ``optimizers`` / ``tol`` (see ``catalog.toml``).
"""

from __future__ import annotations

from collections.abc import Mapping

from manim import DOWN, RIGHT, Create, VGroup

import gdengine as gd
from gdengine.errors import GdengineError
from gdengine.kit import palette
from gdengine.kit.layout import Slot, conceal, content_region, place, reveal
from gdengine.kit.legend import OUTCOMES, display_name, hyper_items
from gdengine.kit.params import Param, boolean, integer, learning_rates, number
from gdengine.kit.playback import StepClock, play_steps
from gdengine.kit.race import OutcomeTable, RaceView, Runner, landscape_title, race_slots
from gdengine.kit.scene import GdScene
from gdengine.kit.text import SMALL_SIZE, format_sig, label

# Hyper-parameters chosen so each race finishes (or visibly fails) within its step budget;
# the learning rates are inputs, every count and value on screen comes from the engine.
RACES = {
    "himmelblau": {"start": (-0.4, -0.65), "steps": 300, "lr": (0.005, 0.002, 0.5, 0.03, 0.1)},
    "rosenbrock": {"start": (-1.2, 1.0), "steps": 1500, "lr": (0.002, 0.002, 0.5, 0.01, 0.1)},
    "beale": {"start": (1.0, 1.4), "steps": 1000, "lr": (0.01, 0.002, 1.0, 0.03, 0.1),
              "window": ((-0.25, 3.5), (-1.5, 2.0))},
    "saddle": {"start": (1.8, 0.001), "steps": 200, "lr": (0.05, 0.05, 0.3, 0.05, 0.05)},
}
OPTIMIZERS = ("sgd", "momentum", "adagrad", "rmsprop", "adam")


def _races(value, where: str) -> dict:
    """Validate the ``races`` table: {landscape: {start, steps, lr: one per optimizer}}."""
    if not isinstance(value, Mapping) or not value:
        raise GdengineError(f"{where} must be a table {{landscape: {{start, steps, lr}}}}, got {value!r}")
    out = {}
    for name, race in value.items():
        if not isinstance(race, Mapping):
            raise GdengineError(f"{where}.{name} must be a table {{start, steps, lr, window}}, got {race!r}")
        unknown = set(race) - {"start", "steps", "lr", "window"}
        if unknown:
            raise GdengineError(
                f"{where}.{name}: unknown keys {sorted(unknown)}; valid: start, steps, lr, window")
        steps = race.get("steps", 500)
        if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
            raise GdengineError(f"{where}.{name}.steps must be a whole number >= 1, got {steps!r}")
        lr = learning_rates(()).validate(race["lr"], f"{where}.{name}.lr") if race.get("lr") else ()
        window = race.get("window")
        if window is not None:
            try:
                (x0, x1), (y0, y1) = ((float(a), float(b)) for a, b in window)
            except (TypeError, ValueError):
                raise GdengineError(f"{where}.{name}.window must be ((x0, x1), (y0, y1))") from None
            if not (x0 < x1 and y0 < y1):
                raise GdengineError(f"{where}.{name}.window needs x0 < x1 and y0 < y1")
            window = ((x0, x1), (y0, y1))
        land = race_landscape(name, window, f"{where}.{name}")
        start = race.get("start")
        start = tuple(float(v) for v in start) if start is not None else tuple(land.start)
        if len(start) != 2:
            raise GdengineError(f"{where}.{name}.start must be (x, y), got {start!r}")
        out[name] = {"start": start, "steps": steps, "lr": lr, "window": window}
    return out


def race_landscape(name: str, window, where: str = "races"):
    """The landscape of a race: a registered name, or a 2-D formula whose ``window`` is both
    its domain and the map's."""
    try:
        land = gd.landscape(name) if name in gd.landscapes() or window is None else gd.landscape(name, window=window)
    except GdengineError as err:
        raise GdengineError(f"{where}: {err}") from None
    if land.dim != 2:
        raise GdengineError(f"{where}: {name!r} is not 2-D; the race needs a contour map")
    return land


def _optimizer_names(value, where: str) -> tuple[str, ...]:
    valid = gd.optimizers()
    names = tuple(value)
    for n in names:
        if n not in valid:
            raise GdengineError(f"{where}: unknown optimizer {n!r}; valid choices: {', '.join(valid)}")
    if not 1 <= len(names) <= 7:
        raise GdengineError(f"{where}: race 1 to 7 optimizers, got {len(names)}")
    return names


def is_formula(surface: str) -> bool:
    return surface not in gd.landscapes()


def make_optimizer(name: str, lr: float, beta: float):
    hyper = {"lr": lr}
    if name in ("momentum", "nesterov"):
        hyper["momentum"] = beta
    return gd.optimizer(name, **hyper)


def race_rates(land, race: dict, names, beta: float, tune: bool) -> tuple[float, ...]:
    """The race's learning rates: as given, or with ``tune`` each optimizer's best from one
    batched sweep of 64 rates over the start and four nearby starts (``gd.tune_lr``)."""
    if not tune:
        return race["lr"]
    return tuple(gd.tune_lr(land, n, race["start"], race["steps"],
                            hyper={"momentum": beta} if n in ("momentum", "nesterov") else None).lr
                 for n in names)


def run_race(surface: str, race: dict, names, beta: float, tol: float, tune: bool = False):
    """One engine run per optimizer from the race's start (cached on disk)."""
    land = race_landscape(surface, race["window"])
    opts = [make_optimizer(n, lr, beta) for n, lr in zip(names, race_rates(land, race, names, beta, tune))]
    runs = [gd.descend(land, opt, [race["start"]], race["steps"], tol=tol, cache=True) for opt in opts]
    return land, opts, runs


class OptimizerRace(GdScene):
    """Vanilla, momentum, AdaGrad, RMSProp and Adam raced on four landscapes."""

    params = {
        "races": Param(RACES, _races, "per landscape: start (x, y), steps, lr per optimizer"),
        "optimizers": Param(OPTIMIZERS, _optimizer_names, "optimizer names, in legend order"),
        "momentum_beta": number(0.9, lo=0.0, hi=0.999, doc="β of the momentum optimizer"),
        "tol": number(1e-3, positive=True, doc="stop rule: gradient norm below tol"),
        "tune": boolean(False, doc="each optimizer races at its own best learning rate (64 tried; lr ignored)"),
        "race_seconds": number(7.0, positive=True, doc="length of each race replay"),
        "poster_race": integer(2, lo=1, doc="the race whose result frame is the poster (1 = first)"),
    }
    strings_file = "strings/optimizer_race.toml"

    @classmethod
    def check_params(cls) -> None:
        for name, race in cls.races.items():
            if not cls.tune and len(race["lr"]) != len(cls.optimizers):
                raise GdengineError(
                    f"{cls.__name__}.races.{name}.lr has {len(race['lr'])} rates for "
                    f"{len(cls.optimizers)} optimizers; give one per optimizer or set tune = true")

    def construct(self):
        self.finished, self.winners = [], []
        shown = None
        for index, (surface, race) in enumerate(self.races.items(), start=1):
            shown = self.race(index, surface, race, shown)
        if len(self.races) > 1:  # one race needs no table of races
            self.summary(shown)

    # --- beats ---------------------------------------------------------------------------
    def race(self, index: int, surface: str, race: dict, shown) -> list:
        """Race ``index``: the map and its runners (after the intro line on the first), the
        replay under the landscape's caption, then the result, held for reading."""
        land, opts, runs = run_race(surface, race, self.optimizers, self.momentum_beta, self.tol, self.tune)
        clock = StepClock()
        runners = [Runner(display_name(n, self.language), o, r, params=self.legend_params(o))
                   for n, o, r in zip(self.optimizers, opts, runs)]
        map_slot, side_slot = race_slots(runners, {k: self.t(k, step="{step}") for k in OUTCOMES})
        view = RaceView(land, runners, clock, map_slot, side_slot, window=race["window"],
                        title=self.title_of(surface, land),
                        outcome_texts={k: self.t(k, step="{step}") for k in OUTCOMES},
                        counter_label=self.t("counter"), loss_labels=(self.t("counter"), self.t("loss")))
        clock.freeze()
        if index == 1:
            intro = "intro_tuned" if self.tune else "intro"
            self.beat("intro", say=intro, count=len(self.optimizers), tol=format_sig(self.tol))
            reveal(self, *view.layers, run_time=self.rt(0.8))
            self.caption(intro, tol=format_sig(self.tol))
            self.read(0.5)
            self.beat(f"race{index}", **self.race_words(surface, land, race))
        else:
            self.beat(f"race{index}", **self.race_words(surface, land, race))
            conceal(self, *shown, run_time=self.rt(0.6))
            reveal(self, *view.layers, run_time=self.rt(0.8))
        self.caption_for(surface, land, race)
        play_steps(self, clock, view.T, self.rt(self.race_seconds), chunk_seconds=0.8)
        self.read()
        self.beat(f"race{index}_result", **self.result_words(view))
        self.facts[surface] = {"view": view, "runs": runs, "end": self.time}
        self.winners.append(self.announce_winner(view))
        if index == min(self.poster_race, len(self.races)):
            self.mark_poster()
        self.read(1.0)
        self.finished.append((self.title_of(surface, land), view, view.first_stop()))
        return view.layers

    def legend_params(self, opt) -> str:
        """The legend's hyper-parameters; a tuned learning rate says so ("η tuned: 0.043")."""
        items = [i for i in hyper_items(opt) if i]
        if self.tune:
            items[0] = self.t("tuned", lr=format_sig(opt.hyper["lr"], 2))
        return ", ".join(items)

    def title_of(self, surface: str, land) -> str:
        """The landscape's name in the clip's language (the registered name for others)."""
        if is_formula(surface):
            return self.t("title_formula")
        key = f"title_{surface}"
        return self.t(key) if key in self.strings().keys else landscape_title(land)

    def race_words(self, surface: str, land, race: dict) -> dict:
        """What the voice says as race ``surface`` starts (its own line, or the generic one)."""
        known = f"race_{surface}" in self.strings().narrations["en"]
        say = "race_formula" if is_formula(surface) else f"race_{surface}" if known else "race_generic"
        return {"say": say, "n": len(land.minima),
                "surface": self.title_of(surface, land)}

    def result_words(self, view: RaceView) -> dict:
        """What the voice says of a race's result: who stopped first, else who left the map."""
        first, escape = view.first_stop(), view.first_exit()
        if first:
            return {"say": "result_first", "name": view.runners[first[1]].name, "steps": first[0]}
        if escape:
            return {"say": "result_escape", "name": view.runners[escape[1]].name, "steps": escape[0]}
        return {"say": "result_none", "steps": view.T}

    def caption_for(self, surface: str, land, race: dict) -> None:
        x, y = (format_sig(v) for v in race["start"])
        if surface == "himmelblau":
            self.caption(surface, n=len(land.minima), x=x, y=y)
        elif surface in ("rosenbrock", "beale", "saddle"):
            self.caption(surface)
        elif is_formula(surface):
            self.caption("formula", x=x, y=y)
        else:
            self.caption("generic", surface=self.title_of(surface, land), x=x, y=y)

    def announce_winner(self, view: RaceView) -> str | None:
        """The result line; returns the name of the first run to stop (None if none did)."""
        first, escape = view.first_stop(), view.first_exit()
        if first:
            name = view.runners[first[1]].name
            self.caption("first", name=name, steps=first[0])
            return name
        if escape:
            self.caption("escape", name=view.runners[escape[1]].name, steps=escape[0])
        else:
            self.caption("none_stopped", steps=view.T)
        return None

    def summary(self, shown) -> None:
        """Every run's outcome in every race in one table, then the first to stop in each
        race framed under the recap line."""
        titles = [title for title, _, _ in self.finished]
        table = OutcomeTable([r.legend_entry for r in self.finished[0][1].runners], titles,
                             [view.outcomes for _, view, _ in self.finished],
                             {k: self.t(k, step="{step}") for k in OUTCOMES})
        kinds = [k for k in OUTCOMES if any(kind == k for _, view, _ in self.finished for _, kind in view.outcomes)]
        key = VGroup(*[label(self.t(f"key_{k}"), SMALL_SIZE * 0.9, palette.MUTED) for k in kinds])
        key.arrange(RIGHT, buff=0.6)
        place(VGroup(table, key).arrange(DOWN, buff=0.55), content_region())
        frames = [table.highlight(j, first[1]) for j, (_, _, first) in enumerate(self.finished) if first]
        self.beat("summary", n=len(titles))
        conceal(self, *shown, run_time=self.rt(0.6))
        reveal(self, table, key, run_time=self.rt(0.8))
        self.facts["summary"] = {"table": table, "frames": frames, "key": key}
        self.caption("summary", n=len(titles))
        self.read(0.5)
        winners = {w for w in self.winners if w is not None}
        one = bool(winners) and len(winners) == 1 and all(w is not None for w in self.winners)
        self.beat("recap", say="recap" if len(winners) > 1 else "recap_one" if one else "recap_some",
                  name=next(iter(winners), ""))  # fmt: skip
        if len(winners) > 1:
            self.caption("recap")
        elif winners and len(self.winners) == sum(1 for w in self.winners if w is not None):
            self.caption("recap_one", name=next(iter(winners)))
        else:
            self.caption("recap_some")
        if frames:
            self.play(*[Create(f) for f in frames], run_time=self.rt(0.8))
        self.read(1.5)
