"""A race view: several one-particle runs on one contour map, with legend, loss plot, counter.

``RaceView`` builds, for runs of the same landscape (one ``Trajectory`` each, one particle):

* left slot — the contour map with one ``Trace`` per run (colour from the palette);
* right slot, top — title and step counter, an optional ``extra`` mobject (the landscape's
  formula by default, or an update rule), the legend (name + hyper-parameters) and, beside
  it, each run's outcome (stop step, divergence, exit) revealed when the replay gets there;
* right slot, bottom — the loss against step.

``layers`` lists everything in the order to add it: static layers first (map, finished
paths, legend, loss frame), then the live ones (outcomes, curves, traces, counter), so
Manim keeps the static part in its cached background (see ``gdengine.kit.playback``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, VGroup, VMobject

from gdengine.kit import palette
from gdengine.kit.contour import ContourMap
from gdengine.kit.layout import Slot
from gdengine.kit.legend import OUTCOMES, Legend, OutcomeColumn, hyper_text
from gdengine.kit.lossplot import LossPlot, padded_positions
from gdengine.kit.playback import StepClock
from gdengine.kit.text import SMALL_SIZE, label, math as typst
from gdengine.kit.traces import Trace, TraceSet

DEFAULT_OUTCOME_TEXTS = {"converged": "◯ {step}", "stalled": "□ {step}", "diverged": "× {step}",
                         "left": "△ {step}", "max_steps": "…"}


@dataclass
class Runner:
    """One entry of a race: a legend name, the engine optimizer, its run and a colour."""

    name: str
    opt: object
    traj: object
    color: object = None
    params: str | None = None  # legend text instead of the optimizer's hyper-parameters

    def __post_init__(self):
        if self.color is None:
            self.color = palette.optimizer_color(getattr(self.opt, "name", self.name))
        if self.params is None:
            self.params = hyper_text(self.opt)


def equal_aspect_size(window, slot: Slot, margins=(1.3, 0.8)) -> tuple[float, float]:
    """The largest box of the window's true aspect ratio (one unit in x = one in y, so
    gradient arrows meet the contours at right angles) that fits ``slot`` with room for
    tick numbers and axis labels."""
    (x0, x1), (y0, y1) = window
    aspect = (y1 - y0) / (x1 - x0)
    w_max, h_max = slot.width - margins[0], slot.height - margins[1]
    width = min(w_max, h_max / aspect)
    return width, width * aspect


def landscape_title(land) -> str:
    """"Shallow local" for ``shallow_local``: the registered name, readable."""
    return land.name.replace("_", " ").capitalize()


def padded_values(traj, T: int) -> np.ndarray:
    """values[:, 0] held at its last value up to step T (the engine freezes stopped runs)."""
    v = traj.values[:, 0]
    return np.concatenate([v, np.full(T + 1 - len(v), v[-1])]) if len(v) <= T else v[: T + 1]


class RaceView:
    """Map + traces (``map_slot``) and title/legend/outcomes/loss plot/counter (``side_slot``)."""

    def __init__(
        self,
        land,
        runners: Sequence[Runner],
        clock: StepClock,
        map_slot: Slot,
        side_slot: Slot | None = None,
        *,
        window=None,
        title: str | None = None,
        extra: VMobject | None = None,
        outcome_texts: Mapping[str, str] | None = None,
        counter_label: str = "step",
        loss: bool = True,
        tail: int = 24,
        map_size: tuple[float, float] | None = None,
        axis_labels: tuple[str, str] = ("x", "y"),
    ):
        from gdengine.kit.lossplot import step_counter

        self.land, self.runners, self.clock = land, list(runners), clock
        self.T = max(r.traj.T for r in self.runners)
        width, height = map_size or equal_aspect_size(window or land.view, map_slot)
        self.cmap = ContourMap(land, width=width, height=height, window=window,
                               x_label=axis_labels[0], y_label=axis_labels[1])
        self.cmap.shift((map_slot.right - self.cmap.get_right()[0]) * RIGHT
                        + (map_slot.y - self.cmap.box.frame.get_center()[1] + 0.2) * UP)
        box = self.cmap.box.scene_box()
        self.traces = TraceSet([
            Trace(self.cmap.c2p(padded_positions(r.traj, self.T)[:, 0]), clock, box, r.color,
                  anchor=self.cmap.box.frame, stop_step=int(r.traj.stopped_at[0]),
                  status=str(r.traj.status[0]), tail=tail)
            for r in self.runners])
        self.static: list[VMobject] = [self.cmap, self.traces.static]
        self.live: list[VMobject] = [self.traces.live]
        self.panel = self.column = self.loss = self.counter = None
        followers = [self.traces]
        if side_slot is not None:
            texts = dict(DEFAULT_OUTCOME_TEXTS, **(outcome_texts or {}))
            self._build_side(side_slot, title, extra, texts, counter_label, loss, step_counter)
            if self.loss is not None:
                followers.append(self.loss)
        clock.follow(*followers)

    def _build_side(self, slot: Slot, title, extra, texts, counter_label, loss, step_counter):
        title = label(title or landscape_title(self.land), SMALL_SIZE * 1.15)
        self.counter = step_counter(self.clock, counter_label, size=SMALL_SIZE * 1.15, last=self.T)
        head = VGroup(title, self.counter).arrange(RIGHT, buff=0.6)
        if extra is None:
            extra = typst(self.land.formula, SMALL_SIZE * 0.85, palette.MUTED)
        if extra.width > slot.width:
            extra.scale_to_fit_width(slot.width)
        self.legend = Legend([(r.name, r.params, r.color) for r in self.runners],
                             size=SMALL_SIZE * 0.9)
        top = VGroup(head, extra, self.legend).arrange(DOWN, buff=0.18, aligned_edge=LEFT)
        top.shift((slot.left - top.get_left()[0]) * RIGHT + (slot.top - top.get_top()[1]) * UP)
        outcomes = [(t.marker_step if t.outcome != "max_steps" else self.T, t.outcome)
                    for t in self.traces]
        self.column = OutcomeColumn(self.legend, self.clock, outcomes, texts)
        both = VGroup(self.legend, self.column)
        if both.width > slot.width:  # narrow column: shrink legend and outcomes together
            both.scale(slot.width / both.width, about_edge=LEFT + UP)
        head.remove(self.counter)  # the counter changes every frame: live layer
        self.panel = top
        self.static.append(top)
        self.live[:0] = [self.column]
        if loss:
            values = np.stack([padded_values(r.traj, self.T) for r in self.runners], axis=1)
            self.loss = LossPlot(
                values, self.clock, [r.color for r in self.runners],
                min_value=self.land.min_value, width=slot.width - 1.3,
                height=max(1.2, top.get_bottom()[1] - slot.bottom - 1.2),
                stop_steps=[int(r.traj.stopped_at[0]) for r in self.runners],
                statuses=[str(r.traj.status[0]) for r in self.runners],
                floor=float(np.nanmin(self.cmap.grid[2])))
            self.loss.shift((slot.right - self.loss.get_right()[0]) * RIGHT
                            + (slot.bottom - self.loss.get_bottom()[1]) * UP)
            self.static.append(self.loss.static)
            self.live.insert(1, self.loss.live)
        self.live.append(self.counter)

    @property
    def layers(self) -> list[VMobject]:
        """Everything, static layers first (add in this order)."""
        return [*self.static, *self.live]

    def first_stop(self) -> tuple[int, int] | None:
        """(stop step, runner index) of the earliest run the engine reports converged."""
        stops = [(int(r.traj.stopped_at[0]), i) for i, r in enumerate(self.runners)
                 if r.traj.status[0] == "converged"]
        return min(stops) if stops else None

    def first_exit(self) -> tuple[int, int] | None:
        """(step, runner index) of the earliest run to diverge or leave the map."""
        exits = [(t.marker_step, i) for i, t in enumerate(self.traces)
                 if t.outcome in ("left", "diverged")]
        return min(exits) if exits else None


__all__ = ["RaceView", "Runner", "padded_values", "DEFAULT_OUTCOME_TEXTS", "OUTCOMES"]
