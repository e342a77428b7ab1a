"""A race view: several one-particle runs on one contour map, with legend, loss plot, counter.

``RaceView`` builds, for runs of the same landscape (one ``Trajectory`` each, one particle):

* a header row across both slots — the landscape's title (left), its formula (broken onto
  up to two lines so it keeps a legible size) and the step counter (right);
* map slot — the contour map at the window's true aspect with one ``Trace`` per run, and
  the map's colour bar;
* side slot, top — an optional ``extra`` mobject (e.g. an update rule), the legend (name +
  hyper-parameters) and, beside it, each run's outcome (stop step, divergence, exit)
  revealed when the replay gets there;
* side slot, bottom — the loss against step, filling the height that is left.

Every label is built at a fixed legible size (the layout linter's 12 px cap height at 480p,
with a margin) and the pictures take the room the labels leave; nothing is shrunk to fit.
``side_width`` tells a scene how wide the side slot must be for a given set of runners.

``layers`` lists everything in the order to add it: static layers first (map, finished
paths, legend, loss frame), then the live ones (outcomes, curves, traces, counter), so
Manim keeps the static part in its cached background (see ``gdengine.kit.playback``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, VGroup, VMobject

from gdengine import look
from gdengine.kit import palette
from gdengine.kit.contour import ContourMap
from gdengine.kit.layout import Slot, fit_plot
from gdengine.kit.legend import OUTCOMES, Legend, OutcomeColumn, hyper_text
from gdengine.kit.lossplot import LossPlot, padded_positions, per_run
from gdengine.kit.plane import CoordinateBox
from gdengine.kit.playback import StepClock
from gdengine.formula_lines import break_lines
from gdengine.kit.text import SMALL_SIZE, label, math as typst
from gdengine.kit.traces import Trace, TraceSet

DEFAULT_OUTCOME_TEXTS = {"converged": "◯ {step}", "stalled": "□ {step}", "diverged": "× {step}",
                         "left": "△ {step}", "max_steps": "…"}
# Sizes (``label`` font sizes): the smallest text drawn, the hyper-parameters at 0.85 × the
# legend size, stays above the linter's 12 px cap height at 480p.
TITLE_SIZE = SMALL_SIZE * 1.15
LEGEND_SIZE = 24.0  # hyper-parameters at 0.85 × this: cap height ≈ 12.5 px at 480p
OUTCOME_SIZE = 21.0
FORMULA_SIZE = 21.0
COLORBAR_BUFF = 0.25
OUTCOME_GAP = 0.3
LEGEND_PAD = (0.15, 0.12)  # the legend panel's padding around rows and outcomes
HEADER_GAP = 0.5  # between title, formula and counter in the header row
HEADER_BELOW = 0.25  # between the header row and the map


@dataclass
class Runner:
    """One entry of a race: a legend name, the engine optimizer, its run and its look.

    ``key`` is the optimizer's engine name (default: ``opt.name``). When the colour is left to
    the runner, the identity table (``gdengine.look``) gives all of it: colour, line style
    (``dash``) and ball ``marker``, the second cue that survives colour blindness; a runner
    given its own colour (e.g. batch sizes of one optimizer) keeps a solid line and a round
    ball unless told otherwise."""

    name: str
    opt: object
    traj: object
    color: object = None
    params: str | None = None  # legend text instead of the optimizer's hyper-parameters
    dash: object = None
    marker: str | None = None
    key: str | None = None

    def __post_init__(self):
        if self.key is None:
            self.key = getattr(self.opt, "name", None)
        known = self.key is not None and look.canonical(self.key) in look.OPTIMIZERS
        if self.color is None:
            self.color = palette.optimizer_color(self.key or self.name)
            if known:
                style = look.optimizer_look(self.key)
                self.dash = style.dashes if self.dash is None else self.dash
                self.marker = style.marker if self.marker is None else self.marker
        if self.marker is None:
            self.marker = "circle"
        if self.params is None:
            self.params = hyper_text(self.opt)

    @property
    def legend_entry(self) -> tuple:
        """(name, params, colour[, engine name]): the engine name makes the legend swatch
        show the line style and marker, only for runners drawn in the identity's look."""
        if self.key is not None and self.marker == look.optimizer_look(self.key).marker:
            return (self.name, self.params, self.color, self.key)
        return (self.name, self.params, self.color)


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


# --- formulas -------------------------------------------------------------------------------
def formula_mobject(src: str, max_width: float, size: float = FORMULA_SIZE, color=None,
                    max_lines: int = 3) -> VMobject:
    """Typst maths ``src`` at ``size``, broken after the "=" into up to ``max_lines`` lines
    (at + and − outside brackets, continuation lines aligned under the "=") so it fits
    ``max_width`` without shrinking; shrunk only if even ``max_lines`` lines are too wide."""
    color = palette.MUTED if color is None else color
    mob = typst(src, size, color)
    if mob.width <= max_width or " = " not in src:
        return mob if mob.width <= max_width else mob.scale_to_fit_width(max_width)
    lhs, rhs = src.split(" = ", 1)

    def body(lines: list[str]) -> str:
        return f"{lhs} &= {lines[0]}" + "".join(f" \\ & {line}" for line in lines[1:])

    lines = break_lines(rhs, lambda ls: len(ls) > 1 and typst(body(ls), size, color).width <= max_width,
                        max_lines)
    mob = typst(body(lines), size, color)
    if mob.width <= max_width:
        return mob
    return mob.scale_to_fit_width(max_width)


# --- the view -------------------------------------------------------------------------------
def legend_entries(runners: Sequence[Runner]) -> list[tuple]:
    return [r.legend_entry for r in runners]


def side_width(runners: Sequence[Runner], outcome_texts: Mapping[str, str] | None = None,
               steps: int = 9999, legend_size: float = LEGEND_SIZE) -> float:
    """Width a ``RaceView`` side slot needs for these runners' legend and outcome column
    (the widest outcome text at ``steps``), so a scene can split its region before building."""
    texts = dict(DEFAULT_OUTCOME_TEXTS, **(outcome_texts or {}))
    legend = Legend(legend_entries(runners), size=legend_size, panel=False)
    widest = max(label(t.format(step=steps), OUTCOME_SIZE).width for t in texts.values())
    return legend.width + OUTCOME_GAP + widest + 2 * LEGEND_PAD[0] + 0.02


def race_slots(runners: Sequence[Runner], outcome_texts: Mapping[str, str] | None = None,
               region: Slot | None = None, gap: float = 0.45) -> tuple[Slot, Slot]:
    """(map slot, side slot) of ``region``: the side as wide as the legend with its outcome
    column needs, the map the rest."""
    from gdengine.kit.layout import content_region

    region = region or content_region()
    side = side_width(runners, outcome_texts, steps=max(r.traj.T for r in runners))
    return region.split(1, 2, gap=gap, weights_x=(region.width - side - gap, side))


class RaceView:
    """Header, map, colour bar and traces (``map_slot``); formula, legend with outcomes and
    loss plot (``side_slot``)."""

    def __init__(
        self,
        land,
        runners: Sequence[Runner],
        clock: StepClock | Sequence[StepClock],
        map_slot: Slot,
        side_slot: Slot | None = None,
        *,
        window=None,
        title: str | None = None,
        extra: VMobject | None = None,
        outcome_texts: Mapping[str, str] | None = None,
        counter_label: str = "step",  # the counter's word (and the loss plot's x label by default)
        loss: bool = True,
        tail: int = 24,
        map_size: tuple[float, float] | None = None,
        axis_labels: tuple[str, str] = ("x", "y"),
        colorbar: bool = True,
        header: bool | None = None,
        counter: bool = True,
        legend_size: float = LEGEND_SIZE,
        colorbar_title: str | None = None,
        loss_labels: tuple[str, str] = ("step", "loss"),
    ):
        from gdengine.kit.lossplot import step_counter

        self.land, self.runners = land, list(runners)
        self.clocks = per_run(clock, len(self.runners))  # one per runner: replayed in turn
        self.clock = clock = self.clocks[0]
        self.T = max(r.traj.T for r in self.runners)
        self.window = tuple(tuple(map(float, w)) for w in (window or land.view))
        header = side_slot is not None if header is None else header
        self.title = self.counter = self.formula = None
        self.header = VGroup()
        if header:
            map_slot, side_slot = self._build_header(map_slot, side_slot, title, counter, counter_label,
                                                     formula=extra is None and side_slot is not None)
        self.cmap, self.colorbar = self._build_map(map_slot, map_size, axis_labels, colorbar, colorbar_title)
        box = self.cmap.box.scene_box()
        traces = []
        for r, k in zip(self.runners, self.clocks):
            traces.append(Trace(self.cmap.c2p(padded_positions(r.traj, self.T)[:, 0]), k, box, r.color,
                                anchor=self.cmap.box.frame, stop_step=int(r.traj.stopped_at[0]),
                                status=str(r.traj.status[0]), tail=tail, dash=r.dash, marker=r.marker))
        self.traces = TraceSet(traces)
        self.static: list[VMobject] = [self.cmap, self.traces.static]
        if self.colorbar is not None:
            self.static.append(self.colorbar)
        if len(self.header):
            self.static.append(self.header)
        self.live: list[VMobject] = [self.traces.live]
        self.panel = self.column = self.loss = self.legend = None
        if side_slot is not None:
            texts = dict(DEFAULT_OUTCOME_TEXTS, **(outcome_texts or {}))
            self._build_side(side_slot, extra, texts, loss, legend_size, loss_labels)
        if self.counter is not None:
            self.live.append(self.counter)
        for i, k in enumerate(self.clocks):
            k.follow(self.traces[i], *([self.loss.curves[i]] if self.loss is not None else []))

    # --- header ---------------------------------------------------------------------------
    def _build_header(self, map_slot: Slot, side_slot: Slot | None, title, counter: bool,
                      counter_label: str, formula: bool):
        """One row across the top of both slots: the title (left), the landscape's formula
        (when ``formula``: after the title, on up to two lines) and the step counter (right,
        placed for its widest value so it never grows past the edge). Returns both slots
        minus the row."""
        from gdengine.kit.lossplot import step_counter

        right = (side_slot or map_slot).right
        left, top = map_slot.left, map_slot.top
        self.title = label(title or landscape_title(self.land), TITLE_SIZE)
        counter_width = 0.0
        if counter:
            self.counter = step_counter(self.clock, counter_label, size=TITLE_SIZE, last=self.T)
            counter_width = step_counter(StepClock(self.T), counter_label, size=TITLE_SIZE, last=self.T).width
        parts = [self.title]
        if formula:
            free = right - left - self.title.width - counter_width - 2 * HEADER_GAP
            self.formula = formula_mobject(self.land.formula, free, max_lines=2)
            parts.append(self.formula)
        height = max(p.height for p in [*parts, *([self.counter] if self.counter else [])])
        mid = top - height / 2
        self.title.move_to([left + self.title.width / 2, mid, 0.0])
        if self.formula is not None:
            self.formula.move_to([self.title.get_right()[0] + HEADER_GAP + self.formula.width / 2, mid, 0.0])
        if self.counter is not None:
            self.counter.shift([right - counter_width - self.counter.get_left()[0],
                                mid - self.counter.get_center()[1], 0.0])
        self.header = VGroup(*parts)
        cut = height + HEADER_BELOW
        return map_slot.shrink(top=cut), (side_slot.shrink(top=cut) if side_slot is not None else None)

    # --- map ------------------------------------------------------------------------------
    def _build_map(self, slot: Slot, map_size, axis_labels, colorbar: bool, colorbar_title=None):
        """The contour map at the window's aspect, as large as ``slot`` allows once its tick
        numbers, axis labels and colour bar have their room; map and bar centred in ``slot``."""
        window = self.window
        xl, yl = axis_labels

        def box_at(w: float, h: float) -> CoordinateBox:
            return CoordinateBox(window[0], window[1], width=w, height=h, x_label=xl, y_label=yl,
                                 n_ticks=int(np.clip(min(w, h) / 1.1, 2, 4)))

        if map_size is None:
            bar_w, bar_top = self._colorbar_room(window, colorbar_title) if colorbar else (0.0, 0.0)

            def margins(box: CoordinateBox) -> tuple[float, float]:
                return (box.width - box.frame.width + bar_w, box.height - box.frame.height + bar_top)

            box = box_at(*equal_aspect_size(window, slot))
            for _ in range(3):  # tick numbers change with the size: settle in a few passes
                box = box_at(*equal_aspect_size(window, slot, margins(box)))
                mx, my = margins(box)
                if box.frame.width + mx <= slot.width + 1e-6 and box.frame.height + my <= slot.height + 1e-6:
                    break
        else:
            box = box_at(*map_size)
        cmap = ContourMap(self.land, window=window, box=box)
        bar = cmap.colorbar(title=colorbar_title, buff=COLORBAR_BUFF) if colorbar else None
        group = VGroup(cmap, *([bar] if bar is not None else []))
        group.move_to(slot.center)
        return cmap, bar

    # --- side -----------------------------------------------------------------------------
    def _build_side(self, slot: Slot, extra, texts, loss: bool, legend_size: float, loss_labels):
        if extra is not None and extra.width > slot.width:
            extra.scale_to_fit_width(slot.width)
        self.legend = Legend(legend_entries(self.runners), size=legend_size)
        self.column = OutcomeColumn(self.legend, self.clock, self.outcomes, texts, size=OUTCOME_SIZE,
                                    gap=OUTCOME_GAP)
        top = VGroup(*([extra] if extra is not None else []), self.legend).arrange(DOWN, buff=0.25, aligned_edge=LEFT)
        top.shift((slot.left - top.get_left()[0]) * RIGHT + (slot.top - top.get_top()[1]) * UP)
        self._place_column()
        self.extra = extra if extra is not None else self.formula
        self.panel = top
        self.static.append(top)
        self.live[:0] = [self.column]
        if loss:
            values = np.stack([padded_values(r.traj, self.T) for r in self.runners], axis=1)
            top_y = top.get_bottom()[1] - 0.3
            region = Slot(slot.x, (top_y + slot.bottom) / 2, slot.width, top_y - slot.bottom)
            stops = [int(r.traj.stopped_at[0]) for r in self.runners]
            statuses = [str(r.traj.status[0]) for r in self.runners]
            floor = float(np.nanmin(self.cmap.grid[2]))
            colors = [r.color for r in self.runners]
            self.loss = fit_plot(
                lambda w, h: LossPlot(values, self.clocks, colors, min_value=self.land.min_value,
                                      width=w, height=h, stop_steps=stops, statuses=statuses,
                                      floor=floor, dashes=[r.dash for r in self.runners],
                                      x_label=loss_labels[0], loss_word=loss_labels[1]),
                region, align=RIGHT + DOWN)
            self.static.append(self.loss.static)
            self.live.insert(1, self.loss.live)

    def _place_column(self) -> None:
        """Each outcome cell on its legend row (the legend has moved since the column was made)."""
        x = self.legend.rows.get_right()[0] + OUTCOME_GAP
        for row, cell in zip(self.legend.rows, self.column):
            cell.match_y(row.name)
            cell.set_x(x + cell.width / 2)
        self.legend.fit_panel(extra=self.column, pad=LEGEND_PAD)

    @property
    def layers(self) -> list[VMobject]:
        """Everything, static layers first (add in this order)."""
        return [*self.static, *self.live]

    @property
    def outcomes(self) -> list[tuple[int, str]]:
        """(step, outcome) per runner, as the outcome column shows them."""
        return [(t.marker_step if t.outcome != "max_steps" else self.T, t.outcome) for t in self.traces]

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


    def _colorbar_room(self, window, title: str | None) -> tuple[float, float]:
        """(width beside the map, height above it) that this map's colour bar takes: a bar
        of the levels the map will draw (``ContourMap``'s defaults on the same grid)."""
        from gdengine.kit.contour import ColorBar, contour_levels, sample_grid

        _, _, Z = sample_grid(self.land.f, window)
        levels, _ = contour_levels(Z, floor=getattr(self.land, "min_value", None))
        bar = ColorBar(levels, ["#000000"] * (len(levels) + 1), height=4.0, title=title)
        return COLORBAR_BUFF + bar.width, max(0.0, bar.get_top()[1] - bar.frame.get_top()[1])


class OutcomeTable(VGroup):
    """Every runner's outcome in every race: one row per runner (swatch and name, as in the
    legend), one column per race (its title on top), each cell the outcome text of the
    outcome column ("◯ 42", "× 128", …) in the runner's colour.

    ``entries``: legend entries (``Runner.legend_entry``; params are not shown);
    ``outcomes[j]``: (step, outcome) per runner in race j (``RaceView.outcomes``);
    ``texts``: outcome → template with ``{step}``. ``cells[j][i]`` is runner i in race j;
    ``highlight(j, i)`` makes a frame around one cell (e.g. the first to stop)."""

    def __init__(self, entries, titles: Sequence[str], outcomes, texts: Mapping[str, str], *,
                 size: float = SMALL_SIZE, col_gap: float = 0.45, row_gap: float = 0.4):
        super().__init__()
        self.legend = Legend([(e[0], "", *e[2:]) for e in entries], size=size, panel=False)
        self.legend.rows.arrange(DOWN, buff=row_gap, aligned_edge=LEFT)
        self.titles = VGroup(*[label(t, size, palette.FOREGROUND) for t in titles])
        self.cells = []
        x = self.legend.get_right()[0] + col_gap
        head_y = self.legend.rows[0].get_top()[1] + row_gap + self.titles.height / 2
        for title, column in zip(self.titles, outcomes):
            cells = VGroup(*[label(texts[kind].format(step=step), size, entry[2])
                             for entry, (step, kind) in zip(entries, column)])
            width = max(title.width, cells.width if len(cells) else 0.0)
            for cell, row in zip(cells, self.legend.rows):
                cell.move_to([x + width / 2, row.name.get_center()[1], 0.0])
            title.move_to([x + width / 2, head_y, 0.0])
            self.cells.append(cells)
            x += width + col_gap
        self.add(self.legend, self.titles, *self.cells)

    def highlight(self, j: int, i: int, color=None) -> VMobject:
        from manim import SurroundingRectangle

        from gdengine.lint.roles import IGNORE, mark

        frame = SurroundingRectangle(self.cells[j][i], buff=0.1, corner_radius=0.08,
                                     color=palette.FOREGROUND if color is None else color, stroke_width=3)
        return mark(frame, IGNORE)


__all__ = ["RaceView", "Runner", "OutcomeTable", "padded_values", "side_width", "formula_mobject",
           "DEFAULT_OUTCOME_TEXTS", "OUTCOMES"]
