"""Where descent gets stuck: two valleys of x·cos(πx), the flat point of x³, and 2-D saddles
(x² − y² and the monkey saddle x³ − 3xy²) started on the ridge.

Storyboard 5. Every run is one batched ``gd.descend``; the basin each ball ends in, the
stop step and the status (``stalled`` at a saddle, ``converged`` at a minimum) are the
engine's. Render alone with
``.venv/bin/manim -r 854,480 --fps 15 scenes/local_minima_saddle.py LocalMinimaSaddle``.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN, LEFT, ORIGIN, RIGHT, UP, Create, FadeIn, FadeOut, Line, UpdateFromAlphaFunc, VGroup, interpolate_color,
)

import gdengine as gd
from gdengine.kit import palette
from gdengine.kit.ball import ReplayBall
from gdengine.kit.contour import ContourMap
from gdengine.kit.curve import CurvePlot, PlotWindow, axis_at_bottom, df1, f1, hide_y_axis
from gdengine.kit.hud import Hud
from gdengine.kit.params import landscape, learning_rate, number, numbers
from gdengine.kit.playback import StepClock, play_steps
from gdengine.kit.replay import Replay, shrinking_steps
from gdengine.kit.scene import GdScene
from gdengine.kit.slope import TangentLine
from gdengine.kit.text import SMALL_SIZE, Readout, format_sig, label, math
from gdengine.kit.traces import traces_from_run
from gdengine.lint.roles import DATA, mark

BASIN_COLORS = (palette.GREEN, palette.SKY)  # index into the landscape's known minima
RIDGE, NUDGED = palette.ORANGE, palette.PURPLE
TOP = 3.55  # highest text (title-safe edge is 3.6)
FLOOR = -2.72  # lowest point of the picture (the caption strip starts below)
NOTE_SIZE = 28  # labels on the plots: ≥ 14 px cap height at 480p


def run(land, lr: float, starts, steps: int, tol: float):
    return gd.descend(land, gd.optimizer("sgd", lr=lr), np.asarray(starts, dtype=float), steps, tol=tol, cache=True)


def basin_color(index: int):
    return BASIN_COLORS[index] if 0 <= index < len(BASIN_COLORS) else palette.GREY


def known_minima(land) -> np.ndarray:
    """x of the landscape's global then local minima (the order of ``traj.basin``)."""
    return np.concatenate([land.minima, land.local_minima])[:, 0]


def start_basin(land, x0: float) -> int:
    """Index of the known minimum whose basin (engine ``basin_interval``) holds ``x0``, or −1."""
    for index, x_min in enumerate(known_minima(land)):
        lo, hi = gd.basin_interval(land, float(x_min))
        if lo < x0 < hi:
            return index
    return -1


def draw_plot(plot: PlotWindow) -> list:
    """Axes fade in, the curve is drawn (``Create`` on the axes would collapse the mapping that
    balls and tangents read every frame)."""
    curve = [Create(plot.graph)] if hasattr(plot, "graph") else []
    return [FadeIn(plot.axes), *curve]


def recolor(mob, color) -> UpdateFromAlphaFunc:
    """Fade ``mob``'s fill to ``color`` (no Transform: the ball's updater owns its points)."""
    start = mob.get_fill_color()
    return UpdateFromAlphaFunc(mob, lambda m, a: m.set_fill(interpolate_color(start, color, a)))


def flat_mark(plot: CurvePlot, x: float, color=palette.TANGENT, length: float = 1.1) -> Line:
    """A short tangent segment at ``x`` with the engine's slope there (flat at a bottom)."""
    direction = plot.tangent_direction(x)
    line = Line(plot.point(x) - direction * length / 2, plot.point(x) + direction * length / 2,
                color=color, stroke_width=5)
    line.lint_label = "tangent"
    return mark(line, DATA)


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
        self.recap()

    # --- captions that change with the picture ----------------------------------------------
    def caption_with(self, key: str, leaving=(), arriving=(), run_time: float = 0.5, **values) -> str:
        """Caption ``key``: the old line fades out together with ``leaving`` animations, then
        the new one fades in together with ``arriving`` (words and picture change at once)."""
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
    def two_valleys(self) -> None:
        self.beat("valleys", n=len(self.starts))
        land = self.landscape_of(self.valleys)
        traj = run(land, self.lr, np.array(self.starts)[:, None], 500, self.tol)
        (x_lo, x_hi), = land.view
        f_lo, f_hi = float(land.min_value), float(max(f1(land, x_lo), f1(land, x_hi)))
        span = f_hi - f_lo
        plot = hide_y_axis(axis_at_bottom(CurvePlot(land, y_range=(f_lo - 0.3 * span, f_hi + 0.05 * span),
                                                    width=11.6, height=5.4, numbers=(True, False))))
        plot.move_to([0, (TOP + FLOOR) / 2, 0])
        replays = [Replay(traj, b) for b in range(traj.B)]
        balls = [ReplayBall(plot, r, radius=0.14) for r in replays]
        self.facts.update(valley_run=traj, valley_plot=plot)
        self.caption_with("valleys", arriving=[*draw_plot(plot), *[FadeIn(b) for b in balls]], run_time=1.0,
                          n=traj.B, lr=format_sig(self.lr))
        self.read(0.3)
        self.beat("decides")
        bars = self.basin_bars(plot)
        predicted = [start_basin(land, float(x0)) for x0 in traj.positions[0, :, 0]]
        self.facts["predicted_basins"] = predicted
        self.caption_with("decides", arriving=[FadeIn(bars), *[recolor(b.ball, basin_color(k))
                                                              for b, k in zip(balls, predicted)]])
        self.play(*[r.steps(step_time=3.0 / max(traj.stopped_at), pace=self.pace) for r in replays])
        self.read(0.8)
        self.beat("flat")
        notes, slopes = VGroup(), {}
        for index, x_min in enumerate(known_minima(land)):  # the first ball that ended there
            ends = [b for b in range(traj.B) if traj.basin[b] == index]
            g = float(traj.grads[traj.stopped_at[ends[0]], ends[0], 0]) if ends else df1(land, x_min)
            x_end = float(traj.positions[traj.stopped_at[ends[0]], ends[0], 0]) if ends else float(x_min)
            slopes[index] = format_sig(g, 2)
            value = label(f"f′ = {slopes[index]}", size=NOTE_SIZE, color=palette.TANGENT)
            value.next_to(plot.point(x_end), DOWN, buff=0.3)
            notes.add(flat_mark(plot, x_end), value)
        self.facts["bottom_slopes"] = slopes
        self.caption_with("flat", arriving=[FadeIn(notes)], g_local=slopes.get(1, "?"), g_global=slopes.get(0, "?"))
        self.read(1.0)

    def basin_bars(self, plot: CurvePlot) -> VGroup:
        """Each known minimum's basin (engine ``basin_interval``) as a coloured bar on the x axis."""
        bars = VGroup()
        y = plot.y_bounds[0]
        for index, x_min in enumerate(known_minima(plot.land)):
            lo, hi = gd.basin_interval(plot.land, float(x_min))
            lo, hi = max(lo, plot.x_bounds[0]), min(hi, plot.x_bounds[1])
            bar = Line(plot.to_screen(lo, y), plot.to_screen(hi, y), stroke_width=12, color=basin_color(index))
            bars.add(bar)
        return bars

    def flat_point(self) -> None:
        self.beat("flat_point")
        land = self.landscape_of(self.flat)
        replay = Replay(run(land, self.lr, [[self.flat_start]], 2000, self.flat_tol))
        plot = axis_at_bottom(CurvePlot(land, width=7.2, height=5.0, numbers=(True, False)))
        plot.move_to([-2.4, (TOP + FLOOR) / 2 - 0.25, 0])
        formula = math(land.formula, color=palette.CURVE)
        ball = ReplayBall(plot, replay)
        tangent = TangentLine(plot, replay.x, slope_fn=replay.g_k, length=2.4, readout=False)
        hud = Hud([
            Readout("t =", lambda: str(replay.index())),
            Readout("x_t =", replay.x_k, digits=3, value_color=palette.BALL),
            Readout("f'(x_t) =", replay.g_k, digits=4, value_color=palette.TANGENT),
        ])
        hud.next_to(plot.axes, RIGHT, buff=0.6).set_y(0.9)
        formula.next_to(hud, UP, buff=0.45).align_to(hud, LEFT)
        self.facts.update(flat_run=replay, flat_plot=plot, flat_hud=hud)
        self.caption_with("cubic", leaving=self.clear_stage(),
                          arriving=[*draw_plot(plot), FadeIn(formula), FadeIn(ball), FadeIn(tangent), FadeIn(hud)],
                          run_time=0.8)
        self.read(0.2)
        self.beat("stalls", x0=format_sig(self.flat_start))
        self.caption_with("cubic_run", x0=format_sig(self.flat_start))
        self.play(replay.steps(step_time=shrinking_steps(0.35, 0.05, replay.last), pace=self.pace))
        self.facts["flat_counter"] = hud.row(0).value_text
        self.read(0.5)
        self.beat("stalled", k=replay.last, x=format_sig(replay.x_k(replay.last), 1))
        x_end = replay.x_k(replay.last)
        stop = label(self.t("stuck"), size=NOTE_SIZE, color=palette.BALL)
        stop.next_to(plot.point(x_end), UP, buff=0.6)
        self.caption_with("cubic_stall", arriving=[FadeIn(stop)],
                          k=replay.last, x=format_sig(x_end), tol=format_sig(self.flat_tol))
        self.read(0.8)
        self.beat("lower")
        left = plot.x_bounds[0]
        f_left = float(plot.land.f(np.array([[left]]))[0])
        lower = plot.sampled_curve(np.linspace(left, x_end, 200), f1(land, np.linspace(left, x_end, 200)),
                                   palette.GRADIENT, 7)
        lower.lint_label = "curve"
        mark(lower, DATA)
        where = label(f"f({format_sig(left)}) = {format_sig(f_left)}", size=NOTE_SIZE, color=palette.GRADIENT)
        where.next_to(plot.point(left), RIGHT, buff=0.35).shift(0.15 * UP)
        self.caption_with("cubic_lower", arriving=[Create(lower), FadeIn(where)],
                          l=format_sig(left), fl=format_sig(f_left))
        self.facts["lower"] = (left, f_left)
        self.read(1.0)

    def saddle_maps(self, names: tuple[str, str]) -> None:
        """Two contour maps, each with a run on the ridge (stalls) and a nudged run (escapes)."""
        self.beat("saddles")
        lands = [gd.landscape(n) for n in names]
        x0, y0 = self.ridge_start
        ridge = [run(land, self.lr, [[x0, y0]], 1000, self.tol) for land in lands]
        nudged = [run(land, self.lr, [[x0, y0 + self.nudge]], 1000, self.tol) for land in lands]
        size = 3.9
        maps = VGroup(*[ContourMap(land, width=size, height=size, n_levels=12) for land in lands])
        maps.arrange(RIGHT, buff=2.2).move_to([-0.45, 0.25, 0])
        bars = VGroup(*[m.colorbar(side=RIGHT, buff=0.25, title=self.t("loss")) for m in maps])
        titles = VGroup(*[math(land.formula, size=NOTE_SIZE).next_to(m.box.frame, UP, buff=0.38)
                          for land, m in zip(lands, maps)])
        clocks = StepClock(), StepClock()  # the ridge runs first, then the nudged ones
        layers = [traces_from_run(traj, m, clocks[0], [RIDGE]) for traj, m in zip(ridge, maps)]
        layers += [traces_from_run(traj, m, clocks[1], [NUDGED]) for traj, m in zip(nudged, maps)]
        clocks[0].follow(*layers[:2])
        clocks[1].follow(*layers[2:])
        legend = VGroup(*[
            VGroup(Line(ORIGIN, 0.45 * RIGHT, color=c, stroke_width=4),
                   label(self.t(key), size=NOTE_SIZE, color=c)).arrange(RIGHT, buff=0.14)
            for key, c in (("ridge_label", RIDGE), ("nudged_label", NUDGED))
        ]).arrange(RIGHT, buff=0.7)
        legend.next_to(maps, DOWN, buff=0.18).set_x(0)
        self.facts.update(ridge_runs=ridge, nudged_runs=nudged, saddle_maps=maps, saddle_titles=titles)
        self.caption_with("saddles", leaving=self.clear_stage(),
                          arriving=[FadeIn(maps), FadeIn(bars), FadeIn(titles)], run_time=0.8,
                          first=lands[0].formula_text, second=lands[1].formula_text)
        self.read(0.3)
        self.beat("ridge")
        self.add(*[layer.static for layer in layers[:2]], *[layer.live for layer in layers[:2]])
        self.caption_with("ridge", arriving=[FadeIn(legend[0])])
        play_steps(self, clocks[0], max(int(t.stopped_at[0]) for t in ridge), run_time=self.rt(4.0))
        self.read(0.3)
        self.beat("stalled_2d", k1=int(ridge[0].stopped_at[0]), k2=int(ridge[1].stopped_at[0]))
        self.caption_with("stalled", k1=int(ridge[0].stopped_at[0]), k2=int(ridge[1].stopped_at[0]))
        self.mark_poster()
        self.read(0.8)
        self.beat("nudge", nudge=format_sig(self.nudge))
        self.add(*[layer.static for layer in layers[2:]], *[layer.live for layer in layers[2:]])
        self.caption_with("nudge", arriving=[FadeIn(legend[1])], nudge=format_sig(self.nudge))
        play_steps(self, clocks[1], max(int(t.stopped_at[0]) for t in nudged), run_time=self.rt(4.0))
        self.read(1.0)

    def recap(self) -> None:
        self.beat("recap")
        self.caption_with("recap")
        self.read(2.0)  # the clip ends on it

