"""Where descent gets stuck: two valleys of x·cos(πx), the flat point of x³, and 2-D saddles
(x² − y² and the monkey saddle x³ − 3xy²) started on the ridge.

Storyboard 5. Every run is one batched ``gd.descend``; the basin each ball ends in, the
stop step and the status (``stalled`` at a saddle, ``converged`` at a minimum) are the
engine's. Render alone with
``.venv/bin/manim -r 854,480 --fps 15 scenes/local_minima_saddle.py LocalMinimaSaddle``.
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Create, FadeIn, FadeOut, Line, VGroup

import gdengine as gd
from gdengine.kit import palette
from gdengine.kit.ball import ReplayBall
from gdengine.kit.contour import ContourMap
from gdengine.kit.curve import CurvePlot
from gdengine.kit.hud import Hud
from gdengine.kit.params import landscape, learning_rate, number, numbers
from gdengine.kit.playback import StepClock, play_steps
from gdengine.kit.replay import Replay, shrinking_steps
from gdengine.kit.scene import GdScene
from gdengine.kit.slope import TangentLine
from gdengine.kit.text import Readout, format_sig, label, math
from gdengine.kit.traces import traces_from_run

BASIN_COLORS = (palette.GREEN, palette.SKY)  # index into the landscape's known minima
RIDGE, NUDGED = palette.ORANGE, palette.PURPLE


def run(land, lr: float, starts, steps: int, tol: float):
    return gd.descend(land, gd.optimizer("sgd", lr=lr), np.asarray(starts, dtype=float), steps, tol=tol, cache=True)


def basin_color(index: int):
    return BASIN_COLORS[index] if 0 <= index < len(BASIN_COLORS) else palette.GREY


class LocalMinimaSaddle(GdScene):
    """Two valleys (the start decides), x³'s flat inflection, saddles stalled on the ridge."""

    params = {
        "valleys": landscape("xcos", dim=1, doc="1-D landscape with two valleys"),
        "starts": numbers((-0.9, -0.6, 0.1, 0.4, 0.8, 1.5, 1.95), doc="starts in the valleys scene"),
        "lr": learning_rate(0.1, doc="η of every run"),
        "tol": number(1e-3, positive=True, doc="stop when |gradient| < tol"),
        "flat": landscape("cubic", dim=1, doc="1-D landscape with a flat non-minimum"),
        "flat_start": number(1.0, doc="start on the flat landscape"),
        "flat_tol": number(0.01, positive=True, doc="stop rule on the flat landscape"),
        "ridge_start": numbers((1.5, 0.0), length=2, doc="2-D start exactly on the ridge"),
        "nudge": number(1e-3, positive=True, doc="y offset of the nudged 2-D start"),
    }
    strings_file = "strings/local_minima_saddle.toml"

    def construct(self):
        self.two_valleys()
        self.flat_point()
        self.saddle_maps(("saddle", "monkey_saddle"))
        self.pause(2.0)

    # --- beats -------------------------------------------------------------------------
    def two_valleys(self) -> None:
        self.beat("valleys")
        land = gd.landscape(self.valleys)
        traj = run(land, self.lr, np.array(self.starts)[:, None], 500, self.tol)
        plot = CurvePlot(land, width=10.5, height=4.6).to_edge(UP, buff=0.5)
        replays = [Replay(traj, b) for b in range(traj.B)]
        balls = [ReplayBall(plot, r, radius=0.13) for r in replays]
        self.facts.update(valley_run=traj, valley_plot=plot)
        self.caption("valleys", n=traj.B, lr=format_sig(self.lr))
        self.play(Create(plot), run_time=self.rt(1.0))
        self.play(*[FadeIn(b) for b in balls], run_time=self.rt(0.6))
        self.play(*[r.steps(step_time=3.0 / max(traj.stopped_at), pace=self.pace) for r in replays])
        self.beat("valleys_done")
        bars = self.basin_bars(plot, traj)
        self.caption("decides")
        self.play(*[b.ball.animate.set_fill(basin_color(int(k))) for b, k in zip(balls, traj.basin)],
                  FadeIn(bars), run_time=self.rt(0.8))
        self.pause(1.4)
        ends = {int(k): float(traj.grads[traj.stopped_at[b], b, 0]) for b, k in enumerate(traj.basin)}
        self.caption("flat", g_local=format_sig(ends.get(1, np.nan), 2), g_global=format_sig(ends.get(0, np.nan), 2))
        self.pause(2.2)
        self.play(FadeOut(VGroup(plot, bars, *balls)), run_time=self.rt(0.6))

    def basin_bars(self, plot: CurvePlot, traj) -> VGroup:
        """Each known minimum's basin (engine ``basin_interval``) as a coloured bar on the x axis."""
        bars = VGroup()
        known = np.concatenate([plot.land.minima, plot.land.local_minima])[:, 0]
        y = plot.y_bounds[0]
        for index, x_min in enumerate(known):
            lo, hi = gd.basin_interval(plot.land, float(x_min))
            lo, hi = max(lo, plot.x_bounds[0]), min(hi, plot.x_bounds[1])
            bar = Line(plot.to_screen(lo, y), plot.to_screen(hi, y), stroke_width=12, color=basin_color(index))
            bars.add(bar)
        return bars

    def flat_point(self) -> None:
        self.beat("flat")
        land = gd.landscape(self.flat)
        replay = Replay(run(land, self.lr, [[self.flat_start]], 2000, self.flat_tol))
        plot = CurvePlot(land, width=7.6, height=4.9).to_edge(LEFT, buff=0.5).shift(0.45 * UP)
        formula = math(land.formula, color=palette.CURVE).next_to(plot.axes, UP, buff=0.05).align_to(plot.axes, LEFT)
        ball = ReplayBall(plot, replay)
        tangent = TangentLine(plot, replay.x, slope_fn=replay.g_k, length=2.4, readout=False)
        hud = Hud([
            Readout("t =", lambda: str(replay.index())),
            Readout("x_t =", replay.x_k, digits=3, value_color=palette.BALL),
            Readout("f'(x_t) =", replay.g_k, digits=4, value_color=palette.TANGENT),
        ])
        hud.move_to([2.0 + hud.width / 2, 1.2, 0])
        self.facts.update(flat_run=replay, flat_plot=plot, flat_hud=hud)
        self.caption("cubic")
        self.play(Create(plot), FadeIn(formula), run_time=self.rt(1.0))
        self.play(FadeIn(ball), FadeIn(tangent), FadeIn(hud), run_time=self.rt(0.6))
        self.play(replay.steps(step_time=shrinking_steps(0.35, 0.05, replay.last), pace=self.pace))
        self.beat("stalled")
        self.facts["flat_counter"] = hud.row(0).value_text
        self.caption("cubic_stall", k=replay.last, x=format_sig(replay.x_k(replay.last)), tol=format_sig(self.flat_tol))
        self.pause(1.8)
        left = plot.x_bounds[0]
        self.caption("cubic_lower", l=format_sig(left), fl=format_sig(plot.land.f(np.array([[left]]))[0]))
        self.pause(2.0)
        self.play(FadeOut(VGroup(plot, formula, ball, tangent, hud)), run_time=self.rt(0.6))

    def saddle_maps(self, names: tuple[str, str]) -> None:
        """Two contour maps, each with a run on the ridge (stalls) and a nudged run (escapes)."""
        self.beat("saddles")
        lands = [gd.landscape(n) for n in names]
        x0, y0 = self.ridge_start
        ridge = [run(land, self.lr, [[x0, y0]], 1000, self.tol) for land in lands]
        nudged = [run(land, self.lr, [[x0, y0 + self.nudge]], 1000, self.tol) for land in lands]
        maps = VGroup(*[ContourMap(land, width=4.7, height=4.7, n_levels=12) for land in lands])
        maps.arrange(RIGHT, buff=1.3).to_edge(UP, buff=0.75)
        titles = VGroup(*[math(land.formula, size=30).next_to(m.box.frame, UP, buff=0.12) for land, m in zip(lands, maps)])
        clocks = StepClock(), StepClock()  # the ridge runs first, then the nudged ones
        layers = [traces_from_run(traj, m, clocks[0], [RIDGE]) for traj, m in zip(ridge, maps)]
        layers += [traces_from_run(traj, m, clocks[1], [NUDGED]) for traj, m in zip(nudged, maps)]
        clocks[0].follow(*layers[:2])
        clocks[1].follow(*layers[2:])
        legend = VGroup(
            label(self.t("ridge_label"), size=30, color=RIDGE),
            label(self.t("nudged_label"), size=30, color=NUDGED),
        ).arrange(RIGHT, buff=0.6).next_to(maps, DOWN, buff=0.22)
        self.facts.update(ridge_runs=ridge, nudged_runs=nudged, saddle_maps=maps)
        self.caption("saddles", first=lands[0].formula_text, second=lands[1].formula_text)
        self.play(FadeIn(maps), FadeIn(titles), FadeIn(legend), run_time=self.rt(1.0))
        self.add(*[layer.static for layer in layers], *[layer.live for layer in layers])
        self.caption("ridge")
        play_steps(self, clocks[0], max(int(t.stopped_at[0]) for t in ridge), run_time=self.rt(5.0))
        self.beat("ridge_done")
        self.caption("stalled", k1=int(ridge[0].stopped_at[0]), k2=int(ridge[1].stopped_at[0]))
        self.mark_poster()
        self.pause(1.8)
        self.caption("nudge", nudge=format_sig(self.nudge))
        play_steps(self, clocks[1], max(int(t.stopped_at[0]) for t in nudged), run_time=self.rt(4.0))
        self.pause(1.5)

