"""Learning rate: too small, just right, too large — on f(x) = x·cos(πx) from x = −1.

Storyboard 4. One engine sweep over η (``gd.sweep``, every rate in one batched run, each
classified by ``gd.classify_1d``) picks the four rates shown, supplies every boundary quoted
and draws the closing bifurcation diagram. Nothing is hand-tuned: change ``sweep_range`` or
``start`` and the scene picks new rates. Render alone with
``.venv/bin/manim -r 854,480 --fps 15 scenes/learning_rate.py LearningRate``.
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Create, DashedLine, FadeIn, FadeOut, Square, VGroup, VMobject

import gdengine as gd
from gdengine.errors import GdengineError
from gdengine.kit import palette
from gdengine.kit.ball import ReplayBall
from gdengine.kit.curve import CurvePlot, PlotWindow, nice_step
from gdengine.kit.hud import DivergedBadge
from gdengine.kit.params import integer, landscape, learning_rate, number, numbers
from gdengine.kit.replay import Replay
from gdengine.kit.scene import GdScene
from gdengine.kit.text import Readout, SMALL_SIZE, format_sig, label, math

PICKS = ("crawl", "converge", "oscillate", "diverge")
PICK_COLORS = {"crawl": palette.SKY, "converge": palette.GREEN, "oscillate": palette.YELLOW,
               "diverge": palette.VERMILLION}
OUTCOME_COLORS = {"converged": palette.GREEN, "oscillating": palette.SKY, "chaotic": palette.YELLOW,
                  "escaped": palette.PURPLE}


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


def global_count(sw, land) -> int:
    """How many rates end (converged) at the landscape's global minimum."""
    near = np.abs(sw.final[:, 0] - land.minima[0, 0]) < land.basin_radius
    return int(np.sum(near & (sw.outcome != "diverged") & (sw.period == 1)))


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
    return mob


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
        land = gd.landscape(self.landscape)
        sw = lr_sweep(self.landscape, self.start, self.sweep_range, self.sweep_steps)
        rates = pick_rates(sw, self.crawl_factor, self.settle_tol)
        self.facts.update(sweep=sw, rates=rates)
        panels = self.race(land, rates)
        self.explain(land, panels, rates)
        self.play(FadeOut(VGroup(*[p["group"] for p in panels.values()])), run_time=self.rt(0.6))
        self.global_minimum(land, sw, rates)
        self.bifurcation(land, sw)
        self.pause(2.0)

    # --- beats -------------------------------------------------------------------------
    def race(self, land, rates: dict[str, float]) -> dict:
        """Four panels, one batched engine run (one η per particle), replayed in lockstep."""
        self.beat("race")
        lrs = np.array([rates[p] for p in PICKS])
        traj = gd.descend(land, gd.optimizer("sgd", lr=lrs), np.full((4, 1), self.start),
                          max(self.show_steps, int(self.facts["sweep"].trajectory.stopped_at.max())), cache=True)
        replays = {p: Replay(traj, i) for i, p in enumerate(PICKS)}
        panels = {p: self.make_panel(land, replays[p], rates[p], PICK_COLORS[p]) for p in PICKS}
        grid = VGroup(*[panels[p]["group"] for p in PICKS]).arrange_in_grid(2, 2, buff=(0.7, 0.3))
        grid.move_to([0, 3.35 - grid.height / 2, 0])
        counter = Readout("t =", lambda: str(replays["crawl"].index()))
        counter.move_to([0, 3.72, 0])
        self.facts["panels"], self.facts["counter"] = panels, counter
        self.caption("setup", x0=format_sig(self.start))
        self.play(FadeIn(grid), FadeIn(counter), run_time=self.rt(1.0))
        for panel in panels.values():
            self.add(panel["ball"])
        self.caption("run")
        shown = {p: min(self.show_steps, r.last) for p, r in replays.items()}
        shown["diverge"] = replays["diverge"].last  # always until the engine throws it out
        step_time = 8.0 / max(shown.values())
        self.play(*[replays[p].steps(shown[p], step_time=step_time, pace=self.pace) for p in PICKS])
        self.beat("raced")
        self.facts["shown"] = shown
        panels["crawl"]["group"].add(counter)  # leaves with the panels
        return panels

    def make_panel(self, land, replay: Replay, lr: float, color) -> dict:
        plot = CurvePlot(land, width=5.4, height=1.95, numbers=(True, False), stroke_width=4)
        title = math(f"eta = {format_sig(lr)}", color=color)
        title.next_to(plot.axes, UP, buff=0.08).align_to(plot.axes, LEFT)
        ball = ReplayBall(plot, replay, radius=0.12, path="hop", hop_height=0.4)
        x_now = Readout("x =", replay.x_k, digits=3, size=30, value_color=palette.BALL)
        x_now.next_to(plot.axes, UP, buff=0.08).align_to(plot.axes, RIGHT)
        group = VGroup(plot, title, x_now, ball)
        return {"plot": plot, "title": title, "ball": ball, "replay": replay, "group": group, "lr": lr}

    def explain(self, land, panels: dict, rates: dict) -> None:
        """One caption per panel with the engine's numbers; tag or badge on the panel."""
        self.beat("explain")
        floor = float(land.local_minima[0, 0]) if len(land.local_minima) else float(land.minima[0, 0])
        crawl, best, osc, div = (panels[p]["replay"] for p in PICKS)
        k_best = int(settle_steps_replay(best, self.settle_tol))
        tail = osc.positions[: osc.last + 1, 0][-2:]
        lines = {
            "crawl": dict(lr=format_sig(rates["crawl"]), steps=self.facts["shown"]["crawl"],
                          gap=format_sig(abs(crawl.x_k(self.facts["shown"]["crawl"]) - floor), 2)),
            "converge": dict(lr=format_sig(rates["converge"]), xmin=format_sig(best.x_k(best.last)), k=k_best),
            "oscillate": dict(lr=format_sig(rates["oscillate"]), a=format_sig(min(tail)), b=format_sig(max(tail))),
            "diverge": dict(lr=format_sig(rates["diverge"]), k=div.last),
        }
        for pick in PICKS:
            panel = panels[pick]
            if pick == "diverge":
                tag = DivergedBadge(self.t("diverged"), size=28)
                tag.move_to(panel["plot"].axes.get_center())
            else:
                tag = label(self.t(f"tag_{pick}"), size=30, color=PICK_COLORS[pick])
                plot = panel["plot"]
                x_tag = 0.25 * plot.x_bounds[0] + 0.75 * plot.x_bounds[1]  # right of the y axis
                tag.move_to(plot.to_screen(x_tag, plot.y_bounds[1])).shift(0.2 * DOWN)
            panel["group"].add(tag)
            self.caption(pick, **lines[pick])
            self.play(FadeIn(tag, scale=1.2), run_time=self.rt(0.5))
            if pick == "diverge":
                self.mark_poster()
            self.pause(1.3)

    def global_minimum(self, land, sw, rates: dict) -> None:
        """No fixed rate from this start ends at the global minimum; another start, or
        momentum, does."""
        self.beat("global")
        plot = CurvePlot(land, width=9.0, height=4.6, numbers=(False, True))
        plot.to_edge(UP, buff=0.45)
        marks = VGroup()
        for point, key in ((land.minima[0, 0], "global_min"), (land.local_minima[0, 0], "local_min")):
            dot = Square(0.16, color=palette.GREEN, fill_opacity=1).rotate(np.pi / 4).move_to(plot.point(point))
            tag = label(f"{self.t(key)}  x ≈ {format_sig(point)}", size=SMALL_SIZE, color=palette.GREEN)
            tag.next_to(dot, DOWN, buff=0.2)
            marks.add(dot, tag)
        count = global_count(sw, land)
        self.facts["global_count"] = count
        key = "none" if count == 0 else "some"
        self.caption(key, n=len(sw.values), count=count)
        self.play(FadeIn(plot), FadeIn(marks), run_time=self.rt(0.8))
        self.pause(1.5)
        lr = rates["converge"]
        other = Replay(gd.descend(land, gd.optimizer("sgd", lr=lr), [[self.other_start]], 500,
                                  tol=1e-6, cache=True))
        ball = ReplayBall(plot, other)
        self.caption("other_start", x0=format_sig(self.other_start), lr=format_sig(lr), x=format_sig(other.x_k(other.last)))
        self.play(FadeIn(ball), run_time=self.rt(0.4))
        self.play(other.steps(step_time=2.5 / max(other.last, 1), pace=self.pace))
        self.facts["other"] = other
        self.pause(1.0)
        rolling = Replay(gd.descend(land, gd.optimizer("momentum", lr=self.momentum_lr), [[self.start]], 2000,
                                    tol=1e-6, cache=True))
        heavy = ReplayBall(plot, rolling, color=palette.optimizer_color("momentum"))
        self.caption("momentum", x0=format_sig(self.start))
        self.play(FadeIn(heavy), run_time=self.rt(0.4))
        self.play(rolling.steps(step_time=3.5 / max(rolling.last, 1), pace=self.pace))
        self.facts["momentum"] = rolling
        self.pause(1.2)
        self.play(FadeOut(VGroup(plot, marks, ball, heavy)), run_time=self.rt(0.6))

    def bifurcation(self, land, sw) -> None:
        """Final x against η for every swept rate, coloured by the engine's outcome class."""
        self.beat("bifurcation")
        lo, hi, _ = self.sweep_range
        (x_lo, x_hi), = land.view
        chart = PlotWindow((0.0, hi), (x_lo, x_hi), width=11.0, height=4.7, numbers=(False, True))
        step = nice_step(hi, 7)
        ticks = VGroup(*[  # η numbers along the bottom edge, clear of the settled branch at y < 0
            label(format_sig(v), size=SMALL_SIZE, color=palette.MUTED).next_to(chart.to_screen(v, x_lo), DOWN, buff=0.12)
            for v in np.arange(step, hi + step / 2, step)
        ])
        chart.add(ticks)
        chart.to_edge(UP, buff=0.75).shift(0.4 * RIGHT)
        eta, x = label("η", size=30, color=palette.MUTED), label("x", size=30, color=palette.MUTED)
        eta.next_to(ticks, RIGHT, buff=0.25)
        x.next_to(chart.axes.y_axis, UP, buff=0.1)
        values, positions = sw.bifurcation(last=self.tail)
        outcome = np.repeat(sw.outcome[sw.outcome != "diverged"][None, :], self.tail, axis=0).ravel()
        inside = (positions >= x_lo) & (positions <= x_hi)
        clouds = VGroup()
        for name, color in OUTCOME_COLORS.items():
            keep = inside & (outcome == name)
            if keep.any():
                clouds.add(scatter(chart.to_screen_many(values[keep], positions[keep]), 0.04, color))
        legend = VGroup(*[
            VGroup(Square(0.18, color=c, fill_opacity=1, stroke_width=0),
                   label(self.t(f"legend_{name}"), size=SMALL_SIZE)).arrange(RIGHT, buff=0.12)
            for name, c in OUTCOME_COLORS.items() if np.any(sw.outcome == name)
        ]).arrange(RIGHT, buff=0.45).next_to(ticks, DOWN, buff=0.25)
        ranges = sw.ranges()
        div_lo = ranges["diverged"][0]
        wall = DashedLine(chart.to_screen(div_lo, x_lo), chart.to_screen(div_lo, x_hi), color=palette.VERMILLION)
        wall_tag = label(self.t("diverged"), size=SMALL_SIZE, color=palette.VERMILLION)
        wall_tag.next_to(wall, RIGHT, buff=0.08).shift(1.2 * UP)
        self.caption("bif_intro", n=len(sw.values), steps=sw.trajectory.T)
        self.play(Create(chart.axes), FadeIn(ticks), FadeIn(eta), FadeIn(x), run_time=self.rt(0.8))
        self.play(FadeIn(clouds, lag_ratio=0.3), FadeIn(legend), Create(wall), FadeIn(wall_tag), run_time=self.rt(1.6))
        self.pause(1.2)
        settle = ranges.get("converged", (lo, lo))[1]
        osc = ranges.get("oscillating", ranges.get("chaotic", (np.nan,)))[0]
        self.caption("bif_settle", settle=format_sig(settle), osc=format_sig(osc))
        self.pause(2.2)
        esc = ranges.get("escaped", (div_lo,))[0]
        self.caption("bif_escape", esc=format_sig(esc), div=format_sig(div_lo))
        self.facts["boundaries"] = {"settle": settle, "oscillate": osc, "escape": esc, "diverge": div_lo}
        self.pause(2.4)


def settle_steps_replay(replay: Replay, tol: float) -> int:
    """First step after which the replayed particle stays within ``tol`` of its final x."""
    xs = replay.positions[: replay.last + 1, 0]
    inside = np.abs(xs - xs[-1]) < tol
    return int(len(xs) - np.cumprod(inside[::-1]).sum())

