"""Map boards: a contour map with replayed runs, its colour bar and the text that explains it,
laid out to fill a region of the frame (by default the title-safe ``content_region()``).

Two layouts:

* ``"wide"`` — a header row across the top (``title``, the legend with each run's outcome, an
  ``extra`` such as the update rule, the step counter at the right) and the map below it at the
  full width, its colour bar at its right. For maps much wider than tall (a ravine, sin x + y²).
* ``"side"`` — the map at the left at full height with its colour bar; a column at the right
  holds the header stacked (title and counter, ``extra``, legend with the hyper-parameters under
  each name) and below it either a loss plot (``loss=True``) or free room the scene fills
  itself (``free``, a ``Slot``).

Each run is drawn in its optimizer's identity (``gdengine.look``): colour, the path's line
style and the ball's marker shape, in the map, the legend's swatch and the loss plot alike.
The legend (``legend=False``: none) shows each run's hyper-parameters and, beside them, its
outcome as the replay reaches it (``outcomes=False``: none); ``legend_columns`` splits it into
legends side by side. Every label keeps the size it was built at (nothing is shrunk to fit; a
text too wide for its room raises), so the layout linter's 12 px minimum holds at 480p.
Every word comes from the caller (the scene's strings table); every number from the engine.

``static`` and ``live`` list the layers to add (static first, see ``gdengine.kit.playback``);
``labels`` are the map's own texts (tick numbers, axis names, colour-bar values), which a
scene hides before zooming the camera in on the map (a label left outside the zoomed frame
would be off frame).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, VGroup, VMobject

from gdengine import look
from gdengine.kit.contour import ContourMap
from gdengine.kit.layout import Slot, content_region
from gdengine.kit.legend import Legend, OutcomeColumn
from gdengine.kit.lossplot import LossPlot, padded_positions, step_counter
from gdengine.kit.playback import StepClock
from gdengine.kit.race import DEFAULT_OUTCOME_TEXTS, Runner, padded_values
from gdengine.kit.text import SMALL_SIZE, label
from gdengine.kit.traces import Trace, TraceSet

LAYOUTS = ("wide", "side")
HEADER_GAP = 0.28  # header row → map (wide), column items (side)
BAR_BUFF = 0.25  # map frame → colour bar
OUTCOME_GAP = 0.35  # legend rows → outcome column


def run_look(runner: Runner) -> look.OptimizerLook:
    """The identity (colour, line style, marker) of a runner's optimizer."""
    return look.optimizer_look(getattr(runner.opt, "name", runner.name))


class MapBoard:
    """A contour map of ``land`` with one ``Trace`` per runner, laid out in ``region``."""

    def __init__(
        self,
        land,
        runners: Sequence[Runner],
        clock: StepClock,
        *,
        layout: str = "wide",
        region: Slot | None = None,
        window=None,
        title: VMobject | None = None,
        extra: VMobject | None = None,
        legend: bool = True,
        legend_columns: int = 1,
        outcomes: bool = True,
        params_below: bool | None = None,
        outcome_texts: dict[str, str] | None = None,
        counter_label: str | None = "step",
        colorbar_title: str | None = None,
        axis_labels: tuple[str, str] = ("x", "y"),
        column_width: float = 4.6,
        loss: bool = False,
        loss_labels: tuple[str | None, str | None] = ("step", None),
        tail: int = 24,
        text_size: float = SMALL_SIZE * 0.9,
    ):
        if layout not in LAYOUTS:
            raise ValueError(f"unknown layout {layout!r}; valid choices: {', '.join(LAYOUTS)}")
        self.land, self.runners, self.clock, self.layout = land, list(runners), clock, layout
        self.region = region or content_region()
        self.window = tuple(window or land.view)
        self.T = max(r.traj.T for r in self.runners)
        self.title, self.extra = title, extra
        self.counter = (step_counter(clock, counter_label, size=SMALL_SIZE * 1.1, last=self.T)
                        if counter_label else None)
        below = layout == "side" if params_below is None else params_below  # a narrow column
        # legends side by side (``legend_columns``), each with its runners' outcomes
        per = -(-len(self.runners) // max(1, legend_columns))
        self._groups = [list(range(i, min(i + per, len(self.runners)))) for i in range(0, len(self.runners), per)]
        self.legends = [Legend([(self.runners[i].name, self.runners[i].params, self.runners[i].color,
                                 getattr(self.runners[i].opt, "name", None)) for i in group],
                               size=text_size, params_below=below) for group in self._groups] if legend else []
        self.loss = None
        self.free: Slot | None = None
        self._axis_labels, self._bar_title = axis_labels, colorbar_title
        self._outcome_texts = dict(DEFAULT_OUTCOME_TEXTS, **(outcome_texts or {}))
        self._outcome_size = text_size * 0.95
        # room the outcome column will take right of the legend (its widest possible cell)
        self._outcome_room = 0.0
        self._with_outcomes = outcomes
        if self.legends and outcomes:
            widest = max(label(self._outcome_texts[k].format(step=self.T), self._outcome_size).width
                         for k in ("converged", "stalled", "diverged", "left"))
            self._outcome_room = OUTCOME_GAP + widest + 0.05

        if layout == "wide":
            self._build_wide(tail)
        else:
            self._build_side(tail, column_width, loss, loss_labels)

        outcomes = [(t.marker_step if t.outcome != "max_steps" else self.T, t.outcome) for t in self.traces]
        self.columns = [OutcomeColumn(lg, clock, [outcomes[i] for i in group], self._outcome_texts,
                                      size=self._outcome_size, gap=OUTCOME_GAP)
                        for lg, group in zip(self.legends, self._groups)] if self._with_outcomes else []
        followers = [self.traces] + ([self.loss] if self.loss is not None else [])
        clock.follow(*followers)
        header = [m for m in (self.title, self.extra, *self.legends) if m is not None]
        self.static: list[VMobject] = [self.cmap, self.bar, self.traces.static, *header]
        self.live: list[VMobject] = [self.traces.live]
        if self.loss is not None:
            self.static.append(self.loss.static)
            self.live.append(self.loss.live)
        self.live[:0] = self.columns
        if self.counter is not None:
            self.live.append(self.counter)

    # --- building ----------------------------------------------------------------------------
    def _map(self, width: float, height: float) -> ContourMap:
        return ContourMap(self.land, width=width, height=height, window=self.window,
                          x_label=self._axis_labels[0], y_label=self._axis_labels[1])

    def _fit_map(self, area: Slot) -> None:
        """The largest true-aspect map (with its tick labels and colour bar) inside ``area``,
        centred there; builds ``cmap``, ``bar`` and ``traces``' geometry."""
        (x0, x1), (y0, y1) = self.window
        aspect = (y1 - y0) / (x1 - x0)
        probe = self._map(4.0, 4.0 * aspect)  # measure the room labels and bar take
        frame = probe.box.frame
        left = frame.get_left()[0] - probe.get_left()[0]
        below = frame.get_bottom()[1] - probe.get_bottom()[1]
        bar = probe.colorbar(buff=BAR_BUFF, title=self._bar_title)
        right = bar.get_right()[0] - frame.get_right()[0]
        above = max(0.0, bar.get_top()[1] - frame.get_top()[1])
        width = min(area.width - left - right, (area.height - below - above) / aspect)
        self.cmap = self._map(width, width * aspect)
        total = VGroup(self.cmap, self.cmap.colorbar(buff=BAR_BUFF, title=self._bar_title))
        self.cmap.shift(area.center - total.get_center())
        self.bar = self.cmap.colorbar(buff=BAR_BUFF, title=self._bar_title)

    def _traces(self, tail: int) -> TraceSet:
        box = self.cmap.box.scene_box()
        traces = []
        for r in self.runners:
            ident = run_look(r)
            traces.append(Trace(self.cmap.c2p(padded_positions(r.traj, self.T)[:, 0]), self.clock, box, r.color,
                                anchor=self.cmap.box.frame, stop_step=int(r.traj.stopped_at[0]),
                                status=str(r.traj.status[0]), tail=tail, dash=ident.dashes, marker=ident.marker))
        return TraceSet(traces)

    def _build_wide(self, tail: int) -> None:
        reg = self.region
        items = [m for m in (self.title, *self.legends, self.extra) if m is not None]
        row = VGroup(*items)
        if items:
            row.arrange(RIGHT, buff=0.6, aligned_edge=UP)
        for lg in self.legends:  # what follows a legend makes room for its outcomes
            for m in items[items.index(lg) + 1:]:
                m.shift(self._outcome_room * RIGHT)
        right_room = self.counter.width + 0.6 if self.counter is not None else 0.0
        end = row.get_right()[0] - row.get_left()[0] + (self._outcome_room if items and items[-1] in self.legends else 0.0)
        if end > reg.width - right_room:
            raise ValueError("MapBoard: the header row is wider than the region; shorten its texts")
        head_h = max([m.height for m in items] + ([self.counter.height] if self.counter is not None else [0.0]))
        if items:
            row.shift((reg.left - row.get_left()[0]) * RIGHT + (reg.top - row.get_top()[1]) * UP)
        if self.counter is not None:
            self.counter.shift((reg.right - self.counter.get_right()[0]) * RIGHT
                               + (reg.top - self.counter.get_top()[1]) * UP)
        top = reg.top - head_h - HEADER_GAP
        self._fit_map(Slot(reg.x, (top + reg.bottom) / 2, reg.width, top - reg.bottom))
        self.traces = self._traces(tail)

    def _build_side(self, tail: int, column_width: float, loss: bool, loss_labels) -> None:
        reg = self.region
        gap = 0.45
        for lg in self.legends:
            column_width = max(column_width, lg.width + self._outcome_room)
        self._fit_map(Slot(reg.left + (reg.width - column_width - gap) / 2, reg.y,
                           reg.width - column_width - gap, reg.height))
        self.traces = self._traces(tail)
        col_left = max(VGroup(self.cmap, self.bar).get_right()[0] + gap, reg.right - column_width)
        col = Slot((col_left + reg.right) / 2, reg.y, reg.right - col_left, reg.height)
        head = VGroup(*[m for m in (self.title, self.counter) if m is not None])
        if len(head):
            head.arrange(RIGHT, buff=0.5, aligned_edge=DOWN)
        stack = VGroup(*[m for m in (head if len(head) else None, self.extra, *self.legends) if m is not None])
        stack.arrange(DOWN, buff=0.2, aligned_edge=LEFT)
        widths = [m.width + (self._outcome_room if m in self.legends else 0.0) for m in stack]
        if max(widths) > col.width + 1e-6:
            raise ValueError("MapBoard: the column's texts are wider than the column; widen it")
        stack.shift((col.left - stack.get_left()[0]) * RIGHT + (col.top - stack.get_top()[1]) * UP)
        below = stack.get_bottom()[1] - HEADER_GAP
        self.free = Slot(col.x, (below + col.bottom) / 2, col.width, below - col.bottom)
        if loss:
            values = np.stack([padded_values(r.traj, self.T) for r in self.runners], axis=1)
            plot = LossPlot(values, self.clock, [r.color for r in self.runners], min_value=self.land.min_value,
                            width=col.width - 1.2, height=self.free.height - 1.0,
                            stop_steps=[int(r.traj.stopped_at[0]) for r in self.runners],
                            statuses=[str(r.traj.status[0]) for r in self.runners],
                            floor=float(np.nanmin(self.cmap.grid[2])),
                            x_label=loss_labels[0], y_label=loss_labels[1])
            for curve, r in zip(plot.curves, self.runners):
                curve.set_dash(run_look(r).dashes)
            plot.shift((col.right - plot.get_right()[0]) * RIGHT + (col.bottom - plot.get_bottom()[1]) * UP)
            self.loss = plot

    # --- use -----------------------------------------------------------------------------------
    @property
    def layers(self) -> list[VMobject]:
        """Everything, static layers first (add in this order)."""
        return [*self.static, *self.live]

    @property
    def labels(self) -> VGroup:
        """The map's own texts: tick numbers, axis names, colour-bar values and title."""
        return VGroup(self.cmap.box.numbers, self.cmap.box.labels, self.bar.labels, self.bar.title)

    def texts(self) -> list[VMobject]:
        """Everything but the map, its colour bar and the runs (the texts to hide before a zoom)."""
        parts = [self.title, self.extra, *self.legends, *self.columns, self.counter]
        if self.loss is not None:
            parts += [self.loss.static, self.loss.live]
        return [m for m in parts if m is not None]


__all__ = ["MapBoard", "LAYOUTS", "run_look"]
