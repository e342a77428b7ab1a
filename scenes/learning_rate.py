"""Learning rate: too small, just right, too large — on f(x) = x·cos(πx) from x = −1.

Storyboard 4. One engine sweep over η (``gd.sweep``, every rate in one batched run, each
classified by ``gd.classify_1d``) picks the four rates shown, supplies every boundary quoted
and draws the closing bifurcation diagram. Nothing is hand-tuned: change ``sweep_range`` or
``start`` and the scene picks new rates. Render alone with
``.venv/bin/manim -r 854,480 --fps 15 scenes/learning_rate.py LearningRate``.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN, DR, LEFT, RIGHT, UP, Create, DashedLine, FadeIn, FadeOut, Rectangle, Square, VGroup,
    VMobject,
)

import gdengine as gd
from gdengine.errors import GdengineError
from gdengine.kit import palette
from gdengine.kit.ball import IterateTrail, ReplayBall
from gdengine.kit.curve import CurvePlot, PlotWindow, axis_at_bottom, f1, hide_y_axis, nice_step, number_zero
from gdengine.kit.hud import DivergedBadge
from gdengine.kit.params import integer, landscape, learning_rate, number, numbers
from gdengine.kit.replay import Replay
from gdengine.kit.scene import GdScene
from gdengine.kit.text import SMALL_SIZE, Readout, format_sig, label, math
from gdengine.lint.roles import DATA, mark

PICKS = ("crawl", "converge", "oscillate", "diverge")
# Outcome colours are shared by the panels' titles and the bifurcation diagram's clouds.
OUTCOME_COLORS = {"converged": palette.GREEN, "oscillating": palette.SKY, "chaotic": palette.YELLOW,
                  "escaped": palette.PURPLE}
PICK_COLORS = {"crawl": palette.FOREGROUND, "converge": OUTCOME_COLORS["converged"],
               "oscillate": OUTCOME_COLORS["oscillating"], "diverge": palette.DIVERGED}
PANEL_SIZE = (5.4, 1.85)  # axes width, height of each of the four panels (scene units)
HEAD_SIZE = 28  # panel titles and read-outs: ≥ 14 px cap height at 480p
X_READOUT_WIDTH = 1.95  # room kept for "x = −1.00" (or a diverged "x = 94.82")
TOP = 3.55  # highest text baseline region (title-safe edge is 3.6)
FLOOR = -2.72  # lowest point of the picture (the caption strip starts below)


# --- engine: the sweep and what the scene reads from it ------------------------------------
def lr_sweep(land: str, start: float, sweep_range, steps: int):
    lo, hi, step = sweep_range
    values = np.arange(lo, hi + step / 2, step)
    return gd.sweep(land, "sgd", start, "lr", values, steps=steps, cache=True)


def settle_steps(sw, tol: float) -> np.ndarray:
    """Per rate: the first step after which x stays within ``tol`` of its final value."""
    P = sw.trajectory.positions[:, :, 0]
    inside = np.abs(P - sw.final[:, 0]) < tol
    trailing = np.cumprod(inside[::-1], axis=0).sum(axis=0)  # steps at the end, all inside
    return len(P) - trailing


def pick_rates(sw, crawl_factor: float, tol: float) -> dict[str, float]:
    """The four rates of the clip, all read off the sweep:
    converge = the converged rate that settles in the fewest steps; crawl = the converged rate
    nearest ``crawl_factor`` × that; oscillate = the middle of the longest oscillating
    stretch; diverge = the diverged rate that the engine throws out soonest."""
    converged = np.flatnonzero(sw.outcome == "converged")
    diverged = np.flatnonzero(sw.outcome == "diverged")
    if not len(converged) or not len(diverged):
        raise GdengineError("learning_rate: the sweep needs converging and diverging rates; widen sweep_range")
    best = converged[np.argmin(settle_steps(sw, tol)[converged])]
    crawl = converged[np.argmin(np.abs(sw.values[converged] - crawl_factor * sw.values[best]))]
    soonest = diverged[np.argmin(sw.trajectory.stopped_at[diverged])]
    return {
        "crawl": float(sw.values[crawl]),
        "converge": float(sw.values[best]),
        "oscillate": sw.representative("oscillating"),
        "diverge": float(sw.values[soonest]),
    }


def settle_count(sw, land, x_min: float) -> int:
    """How many rates end settled (not diverged, period one) at the minimum ``x_min``."""
    near = np.abs(sw.final[:, 0] - x_min) < land.basin_radius
    return int(np.sum(near & (sw.outcome != "diverged") & (sw.period == 1)))


def global_count(sw, land) -> int:
    """How many rates end (converged) at the landscape's global minimum."""
    return settle_count(sw, land, float(land.minima[0, 0]))


def local_floor(land) -> float:
    """The valley floor the start at −1 runs into: the local minimum (the global one if none)."""
    return float(land.local_minima[0, 0]) if len(land.local_minima) else float(land.minima[0, 0])


def scatter(points: np.ndarray, size: float, color) -> VMobject:
    """Many small squares as one VMobject (one draw call), duplicates at ``size`` removed."""
    keys = np.unique(np.round(points[:, :2] / (size * 0.8)).astype(np.int64), axis=0)
    mob = VMobject(fill_color=color, fill_opacity=0.9, stroke_width=0)
    h = size / 2
    corners = np.array([[-h, -h, 0], [h, -h, 0], [h, h, 0], [-h, h, 0], [-h, -h, 0]])
    for key in keys:
        centre = np.array([key[0], key[1], 0.0]) * size * 0.8
        mob.start_new_path(centre + corners[0])
        mob.add_points_as_corners(centre + corners[1:])
    mob.lint_label = "bifurcation points"
    return mark(mob, DATA)


# --- layout helpers -------------------------------------------------------------------------
def minimum_mark(plot: CurvePlot, x: float, color=palette.MINIMUM, size: float = 0.16) -> Square:
    """A diamond on the curve at ``x`` (a known minimum)."""
    dot = Square(size, color=color, fill_opacity=1, stroke_width=0).rotate(np.pi / 4).move_to(plot.point(x))
    dot.lint_label = "minimum"
    return mark(dot, DATA)


class LearningRate(GdScene):
    """Four engine-picked rates side by side, the global minimum nobody reaches from −1,
    and the final-x-against-η bifurcation diagram."""

    params = {
        "landscape": landscape("xcos", dim=1, doc="1-D landscape"),
        "start": number(-1.0, doc="starting x of every run"),
        "sweep_range": numbers((0.0025, 0.6, 0.0025), length=3, positive=True, doc="η from, to, step"),
        "sweep_steps": integer(3000, lo=50, doc="updates per rate in the sweep"),
        "show_steps": integer(40, lo=5, doc="updates replayed in the four panels"),
        "crawl_factor": number(0.05, positive=True, hi=1.0, doc="crawl rate ≈ this × the best rate"),
        "settle_tol": number(1e-3, positive=True, doc="'settled' means within this of the end"),
        "other_start": number(0.5, doc="a start from which plain descent reaches the global minimum"),
        "momentum_lr": learning_rate(0.05, doc="η of the momentum teaser from the same start"),
        "tail": integer(60, lo=2, doc="last positions per rate in the bifurcation diagram"),
    }
    strings_file = "strings/learning_rate.toml"

    @classmethod
    def check_params(cls) -> None:
        lo, hi, step = cls.sweep_range
        if not lo < hi or step > hi - lo:
            raise GdengineError(f"{cls.__name__}.sweep_range: need from < to and step ≤ to − from, got {cls.sweep_range}")

    def construct(self):
        land = self.landscape_of(self.landscape)
        sw = lr_sweep(self.landscape, self.start, self.sweep_range, self.sweep_steps)
        rates = pick_rates(sw, self.crawl_factor, self.settle_tol)
        self.facts.update(sweep=sw, rates=rates)
        panels = self.race(land, rates)
        self.explain(land, panels, rates)
        plot = self.global_minimum(land, sw)
        self.other_routes(land, plot, rates)
        chart = self.bifurcation(land, sw, plot)
        self.recap()
        self.facts["chart"] = chart

    # --- captions that change with the picture ----------------------------------------------
    def caption_with(self, key: str, leaving=(), arriving=(), run_time: float = 0.5, **values) -> str:
        """Caption ``key``: the old line fades out together with ``leaving`` animations, then
        the new one fades in together with ``arriving`` (so the words and the picture change
        at once and the frame is never empty between sections)."""
        line = self.t(key, **values)
        steps = self.caption_strip.show(line)
        if len(steps) == 2:
            self.play(steps[0], *leaving, run_time=self.rt(run_time))
        elif leaving:
            self.play(*leaving, run_time=self.rt(run_time))
        self._caption_since = (line, self.time)  # what GdScene.read() holds for
        self.play(steps[-1], *arriving, run_time=self.rt(run_time))
        self.captions_shown.append(line)
        return line

    def clear_stage(self) -> list:
        """Fade-outs of everything shown but the caption strip (one per top-level mobject: a
        fading group of them would leave its members on screen when it is removed)."""
        return [FadeOut(m) for m in self.mobjects if m is not self.caption_strip and m is not self.camera.frame]

    # --- beats -------------------------------------------------------------------------
    def race(self, land, rates: dict[str, float]) -> dict:
        """Four panels, one batched engine run (one η per particle), replayed in lockstep."""
        self.beat("setup", x0=format_sig(self.start))
        lrs = np.array([rates[p] for p in PICKS])
        steps = max(self.show_steps, int(self.facts["sweep"].trajectory.stopped_at.max()))
        traj = gd.descend(land, gd.optimizer("sgd", lr=lrs), np.full((4, 1), self.start), steps, cache=True)
        replays = {p: Replay(traj, i) for i, p in enumerate(PICKS)}
        panels = {p: self.make_panel(land, replays[p], rates[p], PICK_COLORS[p]) for p in PICKS}
        grid = VGroup(*[panels[p]["group"] for p in PICKS]).arrange_in_grid(2, 2, buff=(0.5, 0.3))
        grid.move_to([0, (TOP + FLOOR) / 2, 0])
        self.facts["panels"] = panels
        self.caption_with("setup", arriving=[FadeIn(grid)], run_time=1.0, x0=format_sig(self.start))
        for panel in panels.values():
            self.add(panel["ball"].update_position())
        self.pause(0.6)
        self.beat("race")
        shown = {p: min(self.show_steps, r.last) for p, r in replays.items()}
        shown["diverge"] = replays["diverge"].last  # always until the engine throws it out
        step_time = 8.0 / max(shown.values())
        self.play(*[replays[p].steps(shown[p], step_time=step_time, pace=self.pace) for p in PICKS])
        self.facts["shown"] = shown
        self.pause(0.5)
        return panels

    def make_panel(self, land, replay: Replay, lr: float, color) -> dict:
        width, height = PANEL_SIZE
        plot = hide_y_axis(axis_at_bottom(CurvePlot(land, width=width, height=height, numbers=(True, False),
                                                    stroke_width=4)))
        title = math(f"eta = {format_sig(lr)}", size=HEAD_SIZE, color=color)
        title.next_to(plot.axes, UP, buff=0.22).align_to(plot.axes, LEFT)
        step = Readout("t =", lambda: str(replay.index()), size=HEAD_SIZE)
        x_now = Readout("x =", replay.x_k, digits=2, size=HEAD_SIZE, value_color=palette.BALL)
        step.move_to(title, coor_mask=[0, 1, 0]).next_to(title, RIGHT, buff=0.35, coor_mask=[1, 0, 0])
        x_now.move_to(title, coor_mask=[0, 1, 0]).align_to(plot.axes, RIGHT).shift(
            (x_now.width - X_READOUT_WIDTH) * RIGHT)
        ball = ReplayBall(plot, replay, radius=0.12, path="hop", hop_height=0.4)
        trail = IterateTrail(plot, replay, radius=0.045)
        group = VGroup(plot, trail, title, step, x_now)  # the trail's dots move with their plot
        return {"plot": plot, "title": title, "ball": ball, "trail": trail, "replay": replay,
                "group": group, "lr": lr, "readouts": (step, x_now)}

    def explain(self, land, panels: dict, rates: dict) -> None:
        """One caption per panel with the engine's numbers; the other panels are veiled and
        the panel in focus gets the picture of its caption (gap, floor, tag or badge)."""
        floor = local_floor(land)
        crawl, best, osc, div = (panels[p]["replay"] for p in PICKS)
        shown = self.facts["shown"]
        k_best = int(settle_steps_replay(best, self.settle_tol))
        tail = osc.positions[: shown["oscillate"] + 1, 0][-2:]
        gap = abs(crawl.x_k(shown["crawl"]) - floor)
        lines = {
            "crawl": dict(lr=format_sig(rates["crawl"]), steps=shown["crawl"], gap=format_sig(gap, 2)),
            "converge": dict(lr=format_sig(rates["converge"]), xmin=format_sig(best.x_k(best.last)), k=k_best),
            "oscillate": dict(lr=format_sig(rates["oscillate"]), a=format_sig(min(tail)), b=format_sig(max(tail))),
            "diverge": dict(lr=format_sig(rates["diverge"]), k=div.last),
        }
        self.facts["explained"] = lines
        veils = {p: self.veil(panels[p]) for p in PICKS}
        focus = None
        for pick in PICKS:
            self.beat(pick, **lines[pick])
            if focus is None:
                change = [FadeIn(veils[p]) for p in PICKS if p != pick]
            else:
                change = [FadeIn(veils[focus]), FadeOut(veils[pick])]
            notes = self.notes(land, pick, panels[pick], floor)
            panels[pick]["group"].add(notes)
            self.caption_with(pick, leaving=change, arriving=[FadeIn(notes)], **lines[pick])
            self.read(1.0)
            focus = pick
        self.play(*[FadeOut(veils[p]) for p in PICKS if p != focus], run_time=self.rt(0.5))
        self.mark_poster()  # all four outcomes side by side
        self.pause(1.2)

    def veil(self, panel: dict) -> Rectangle:
        """A translucent sheet of background colour over a panel (puts it out of focus)."""
        group = panel["group"]  # not the ball: a diverged one sits far off the plot, hidden
        sheet = Rectangle(width=group.width + 0.2, height=group.height + 0.04, stroke_width=0,
                          fill_color=palette.BACKGROUND, fill_opacity=0.72).move_to(group)
        return sheet

    def notes(self, land, pick: str, panel: dict, floor: float) -> VGroup:
        """What the caption of ``pick`` points at, drawn on its panel."""
        plot, replay = panel["plot"], panel["replay"]
        mid = 0.5 * (plot.x_bounds[0] + plot.x_bounds[1])
        high = plot.y_bounds[0] + 0.78 * (plot.y_bounds[1] - plot.y_bounds[0])  # above the humps
        if pick == "diverge":
            tag = DivergedBadge(self.t("diverged"), size=HEAD_SIZE)
        else:
            tag = label(self.t(f"tag_{pick}"), size=HEAD_SIZE, color=PICK_COLORS[pick])
        tag.move_to(plot.to_screen(mid, high))
        notes = VGroup(tag)
        if pick in ("crawl", "converge"):
            notes.add(minimum_mark(plot, floor, size=0.14))
        if pick == "crawl":  # the floor it has not reached (the gap itself is ~20 px: no arrow)
            name = label(self.t("floor"), size=HEAD_SIZE - 4, color=palette.MINIMUM)
            notes.add(name.next_to(notes[-1], DOWN, buff=0.08))
        return notes

    def global_minimum(self, land, sw) -> CurvePlot:
        """Every rate of the sweep, counted by where it settles: none in the global minimum."""
        self.beat("global", n=len(sw.values), count=global_count(sw, land))
        (x_lo, x_hi), = land.view
        f_lo, f_hi = float(land.min_value), float(max(f1(land, x_lo), f1(land, x_hi)))
        room = 0.38 * (f_hi - f_lo)  # under the global minimum: its name and count
        plot = hide_y_axis(axis_at_bottom(CurvePlot(land, y_range=(f_lo - room, f_hi + 0.05 * (f_hi - f_lo)),
                                                    width=11.4, height=5.3, numbers=(True, False))))
        plot.move_to([0, (TOP + FLOOR) / 2 + 0.2, 0])
        marks = VGroup()
        counts = {}
        for point, key in ((float(land.local_minima[0, 0]), "local_min"), (float(land.minima[0, 0]), "global_min")):
            counts[key] = settle_count(sw, land, point)
            dot = minimum_mark(plot, point)
            name = label(f"{self.t(key)}  x ≈ {format_sig(point)}", size=SMALL_SIZE, color=palette.MINIMUM)
            count = label(self.t("settle_count", n=counts[key]), size=SMALL_SIZE, color=palette.FOREGROUND)
            tag = VGroup(name, count).arrange(DOWN, buff=0.1)
            tag.next_to(dot, DOWN, buff=0.25)
            marks.add(dot, tag)
        self.facts["global_count"] = counts["global_min"]
        self.facts["settle_counts"] = counts
        start = label(self.t("start", x0=format_sig(self.start)), size=SMALL_SIZE, color=palette.BALL)
        start.next_to(plot.point(self.start), UP, buff=0.5).align_to(plot.point(self.start), LEFT)
        start_dot = mark(Square(0.14, color=palette.BALL, fill_opacity=1, stroke_width=0).move_to(plot.point(self.start)), DATA)
        marks.add(start_dot, start)
        key = "none" if counts["global_min"] == 0 else "some"
        self.caption_with(key, leaving=self.clear_stage(),
                          arriving=[FadeIn(plot), FadeIn(marks)], run_time=0.8,
                          n=len(sw.values), count=counts["global_min"])
        self.facts["global_marks"] = marks
        self.read(1.0)
        return plot

    def other_routes(self, land, plot: CurvePlot, rates: dict) -> None:
        """Another start with the same rate gets there; so does momentum from the same start."""
        self.beat("other_start", x0=format_sig(self.other_start))
        lr = rates["converge"]
        other = Replay(gd.descend(land, gd.optimizer("sgd", lr=lr), [[self.other_start]], 500,
                                  tol=1e-6, cache=True))
        ball = ReplayBall(plot, other)
        self.caption_with("other_start", arriving=[FadeIn(ball)],
                          x0=format_sig(self.other_start), lr=format_sig(lr), x=format_sig(other.x_k(other.last)))
        self.play(other.steps(step_time=2.5 / max(other.last, 1), pace=self.pace))
        self.facts["other"] = other
        self.read(0.8)
        self.beat("momentum", x0=format_sig(self.start))
        rolling = Replay(gd.descend(land, gd.optimizer("momentum", lr=self.momentum_lr), [[self.start]], 2000,
                                    tol=1e-6, cache=True))
        heavy = ReplayBall(plot, rolling, color=palette.optimizer_color("momentum"))
        self.caption_with("momentum", arriving=[FadeIn(heavy)], x0=format_sig(self.start))
        self.play(rolling.steps(step_time=3.5 / max(rolling.last, 1), pace=self.pace))
        self.facts["momentum"] = rolling
        self.read(1.0)

    def bifurcation(self, land, sw, plot: CurvePlot) -> VGroup:
        """Final x against η for every swept rate, coloured by the engine's outcome class;
        the boundaries the captions quote are drawn as they are read."""
        self.beat("bifurcation", steps=sw.trajectory.T)
        lo, hi, _ = self.sweep_range
        (x_lo, x_hi), = land.view
        chart = PlotWindow((0.0, hi), (x_lo, x_hi), width=10.4, height=5.0, numbers=(False, True))
        axis_at_bottom(chart)
        number_zero(chart.axes.y_axis)
        step = nice_step(hi, 7)
        ticks = VGroup(*[
            label(format_sig(v), size=SMALL_SIZE, color=palette.MUTED).next_to(chart.to_screen(v, x_lo), DOWN, buff=0.12)
            for v in np.arange(step, hi + step / 2, step)
        ])
        chart.add(ticks)
        chart.move_to([0.15, (TOP + FLOOR) / 2 - 0.05, 0])
        eta, x = label("η", size=HEAD_SIZE, color=palette.MUTED), label("x", size=HEAD_SIZE, color=palette.MUTED)
        eta.next_to(ticks, RIGHT, buff=0.25)
        x.next_to(chart.axes.y_axis, LEFT, buff=0.45).align_to(chart.axes.y_axis, UP)
        values, positions = sw.bifurcation(last=self.tail)
        outcome = np.repeat(sw.outcome[sw.outcome != "diverged"][None, :], self.tail, axis=0).ravel()
        inside = (positions >= x_lo) & (positions <= x_hi)
        clouds = VGroup()
        for name, color in OUTCOME_COLORS.items():
            keep = inside & (outcome == name)
            if keep.any():
                clouds.add(scatter(chart.to_screen_many(values[keep], positions[keep]), 0.045, color))
        legend = VGroup(*[
            VGroup(Square(0.2, color=c, fill_opacity=1, stroke_width=0),
                   label(self.t(f"legend_{name}"), size=SMALL_SIZE)).arrange(RIGHT, buff=0.14)
            for name, c in OUTCOME_COLORS.items() if np.any(sw.outcome == name)
        ]).arrange(DOWN, buff=0.16, aligned_edge=LEFT)
        legend.next_to(chart.to_screen(0.0, x_hi), DR, buff=0.3)  # the empty top-left corner
        ranges = sw.ranges()
        div_lo = ranges["diverged"][0]
        settle = ranges.get("converged", (lo, lo))[1]
        osc = ranges.get("oscillating", ranges.get("chaotic", (np.nan,)))[0]
        esc = ranges.get("escaped", (div_lo,))[0]
        self.facts["boundaries"] = {"settle": settle, "oscillate": osc, "escape": esc, "diverge": div_lo}
        walls = {name: self.wall(chart, v, color, side)
                 for name, v, color, side in (("settle", settle, OUTCOME_COLORS["converged"], RIGHT),
                                              ("escape", esc, OUTCOME_COLORS["escaped"], LEFT),
                                              ("diverge", div_lo, palette.DIVERGED, RIGHT))}
        self.caption_with("bif_intro", leaving=self.clear_stage(),
                          arriving=[Create(chart.axes), FadeIn(ticks), FadeIn(eta), FadeIn(x)], run_time=0.8,
                          n=len(sw.values), steps=sw.trajectory.T)
        self.play(FadeIn(clouds, lag_ratio=0.3), FadeIn(legend), run_time=self.rt(1.6))
        self.read(0.8)
        self.beat("bif_settle", settle=format_sig(settle, 2))
        self.caption_with("bif_settle", arriving=[Create(walls["settle"][0]), FadeIn(walls["settle"][1])],
                          settle=format_sig(settle), osc=format_sig(osc))
        self.read(1.0)
        self.beat("bif_escape", esc=format_sig(esc, 2), div=format_sig(div_lo, 2))
        self.caption_with("bif_escape", arriving=[*[Create(walls[k][0]) for k in ("escape", "diverge")],
                                                  *[FadeIn(walls[k][1]) for k in ("escape", "diverge")]],
                          esc=format_sig(esc), div=format_sig(div_lo))
        self.read(1.0)
        return VGroup(chart, eta, x, clouds, legend, *[VGroup(*w) for w in walls.values()])

    def wall(self, chart: PlotWindow, value: float, color, side) -> tuple:
        """A dashed vertical line at η = ``value`` with the value printed above the chart."""
        (x_lo, x_hi) = chart.y_bounds
        line = DashedLine(chart.to_screen(value, x_lo), chart.to_screen(value, x_hi), color=color, stroke_width=3)
        text = label(format_sig(value), size=SMALL_SIZE, color=color)
        text.next_to(chart.to_screen(value, x_hi), UP, buff=0.1)
        text.align_to(line, LEFT if np.allclose(side, RIGHT) else RIGHT)
        return line, text

    def recap(self) -> None:
        self.beat("recap")
        self.caption_with("recap")
        self.read(2.0)  # the clip ends on it


def settle_steps_replay(replay: Replay, tol: float) -> int:
    """First step after which the replayed particle stays within ``tol`` of its final x."""
    xs = replay.positions[: replay.last + 1, 0]
    inside = np.abs(xs - xs[-1]) < tol
    return int(len(xs) - np.cumprod(inside[::-1]).sum())
