"""Slope tells you which way is down: a tangent sweeping along f(x) = x², then the step
−η·f′(x) on either side of the minimum.

Storyboard 2. Slopes and values come from the engine landscape (``grad``/``f``) and the
steps from ``gd.descend`` at render time. Render alone with
``.venv/bin/manim -r 854,480 --fps 15 scenes/tangent_slope.py TangentSlope``.
"""

from __future__ import annotations

from manim import DOWN, LEFT, UP, Create, DashedLine, Dot, FadeIn, FadeOut, GrowArrow, ValueTracker, VGroup

import gdengine as gd
from gdengine.kit import palette
from gdengine.kit.ball import CurveBall, ReplayBall
from gdengine.kit.curve import CurvePlot, df1, f1
from gdengine.kit.hud import Hud
from gdengine.kit.params import landscape, learning_rate, number, numbers
from gdengine.kit.replay import Replay
from gdengine.kit.scene import GdScene
from gdengine.kit.slope import StepArrow, TangentLine
from gdengine.kit.text import Readout, format_number, format_sig, label, math

PLOT_SIZE = (7.6, 4.85)
PLOT_LEFT, PLOT_BOTTOM = -6.2, -2.62  # lower-left of axes and tick numbers (above the caption strip)
COLUMN_LEFT = 1.95
HUD_SIZE = 40  # the read-outs are the subject here: larger than the default


def signed(value: float) -> str:
    return ("+" if value > 0 else "") + format_sig(value)


def slope_sign(g: float) -> str:
    return "> 0" if g > 0 else "< 0" if g < 0 else "= 0"


class TangentSlope(GdScene):
    """Tangent sweep on x²; at x = 2 the slope is positive (go left), at x = −1 negative (go
    right); the step arrows on both sides point downhill."""

    params = {
        "landscape": landscape("parabola", dim=1, doc="1-D landscape"),
        "x_range": numbers((-3.2, 3.2), length=2, doc="plotted x window"),
        "sweep": numbers((-2.6, 2.6), length=2, doc="the tangent sweeps over this interval"),
        "right_probe": number(2.0, doc="point right of the minimum (positive slope)"),
        "far_probe": number(3.0, doc="a point further right, to show f rising"),
        "left_probe": number(-1.0, doc="point left of the minimum (negative slope)"),
        "lr": learning_rate(0.4, doc="η of the step arrows"),
    }
    strings_file = "strings/tangent_slope.toml"

    def construct(self):
        land = self.landscape_of(self.landscape)
        steps = gd.descend(land, gd.optimizer("sgd", lr=self.lr), [[self.right_probe], [self.left_probe]], 1)
        plot = self.show_curve(land)
        x = ValueTracker(self.sweep[0])
        tangent, ball, hud = self.sweep_tangent(plot, x)
        arrow = self.probe_right(plot, x, Replay(steps, 0))
        self.probe_left(x, Replay(steps, 1))
        self.play(FadeOut(tangent), FadeOut(ball), FadeOut(arrow), FadeOut(hud), run_time=self.rt(0.6))
        self.both_sides(plot, steps)
        self.beat("recap")
        self.caption("recap")
        self.read(1.0)

    # --- beats -------------------------------------------------------------------------
    def show_curve(self, land) -> CurvePlot:
        self.beat("curve")
        plot = CurvePlot(land, x_range=tuple(self.x_range), width=PLOT_SIZE[0], height=PLOT_SIZE[1])
        plot.shift([PLOT_LEFT, PLOT_BOTTOM, 0] - plot.axes.get_corner(DOWN + LEFT))
        formula = math(land.formula, color=palette.CURVE)
        formula.next_to(plot.axes, UP, buff=0.12).align_to(plot.axes, LEFT)
        self.facts["plot"] = plot
        self.play(Create(plot), FadeIn(formula), run_time=self.rt(1.0))
        return plot

    def sweep_tangent(self, plot: CurvePlot, x: ValueTracker):
        self.beat("sweep")
        land = plot.land
        tangent = TangentLine(plot, x.get_value, length=3.2, readout=False)
        ball = CurveBall(plot, x.get_value)
        slope = lambda: df1(land, x.get_value())  # noqa: E731
        hud = Hud(
            [
                Readout("x =", x.get_value, digits=2, size=HUD_SIZE, value_color=palette.BALL),
                Readout("f(x) =", lambda: f1(land, x.get_value()), digits=2, size=HUD_SIZE),
                Readout("f'(x) =", lambda: f"{format_number(slope(), 2)}  {slope_sign(slope())}",
                        size=HUD_SIZE, value_color=palette.GRADIENT),  # fmt: skip
            ]
        )
        hud.move_to([COLUMN_LEFT + hud.width / 2, 3.5 - hud.height / 2, 0])
        self.facts["hud"] = hud
        self.caption("tangent")
        self.play(FadeIn(ball), Create(tangent.line), FadeIn(hud), run_time=self.rt(1.0))
        self.add(tangent, ball)
        self.read(0.3)
        self.caption("sweep")
        self.play(x.animate.set_value(self.sweep[1]), run_time=self.rt(3.5))
        self.read(0.3)
        return tangent, ball, hud

    def probe_right(self, plot: CurvePlot, x: ValueTracker, step: Replay) -> StepArrow:
        land, x0, far = plot.land, self.right_probe, self.far_probe
        self.beat("right", x=format_sig(x0), slope=format_sig(df1(land, x0)))
        self.caption("right_slope", x=format_sig(x0), slope=format_sig(df1(land, x0)))
        self.play(x.animate.set_value(x0), run_time=self.rt(1.2))
        self.facts["right_readout"] = self.facts["hud"].row(2).value_text
        self.read(0.3)
        rise = VGroup(
            DashedLine(plot.point(x0), plot.to_screen(far, f1(land, x0)), color=palette.MUTED),
            DashedLine(plot.to_screen(far, f1(land, x0)), plot.point(far), color=palette.VERMILLION),
            Dot(plot.point(far), color=palette.VERMILLION),
            math(f"f({format_sig(far)}) = {format_sig(f1(land, far))}", color=palette.VERMILLION),
        )
        rise[3].next_to(rise[1], LEFT, buff=0.25).align_to(rise[2], UP)
        self.caption("right_up", far=format_sig(far), f_far=format_sig(f1(land, far)), x=format_sig(x0),
                     f_x=format_sig(f1(land, x0)))  # fmt: skip
        self.play(Create(rise[0]), Create(rise[1]), FadeIn(rise[2:]), run_time=self.rt(1.2))
        self.read(0.5)
        arrow = StepArrow(plot, x.get_value, lambda: -self.lr * df1(land, x.get_value()))
        self.caption("go_left", lr=format_sig(self.lr), slope=format_sig(step.g_k(0)), step=format_sig(step.step_k(0)))
        self.play(FadeOut(rise), GrowArrow(arrow.arrow), FadeIn(arrow.drop), run_time=self.rt(0.8))
        self.add(arrow)
        self.read(0.5)
        return arrow

    def probe_left(self, x: ValueTracker, step: Replay) -> None:
        self.beat("left", x=format_sig(self.left_probe))
        land, x0 = self.facts["plot"].land, self.left_probe
        self.caption("left_slope", x=format_sig(x0), slope=format_sig(step.g_k(0)), step=signed(step.step_k(0)))
        self.play(x.animate.set_value(x0), run_time=self.rt(1.6))
        self.facts["left_readout"] = self.facts["hud"].row(2).value_text
        self.read(0.8)

    def both_sides(self, plot: CurvePlot, steps) -> None:
        """Both probes at once, each with its engine step, then each takes it."""
        self.beat("both")
        replays = [Replay(steps, b) for b in range(steps.B)]
        balls = [ReplayBall(plot, r) for r in replays]
        arrows = [StepArrow.for_replay(plot, r) for r in replays]
        self.caption("both")
        self.play(*[FadeIn(b) for b in balls], *[FadeIn(a) for a in arrows], run_time=self.rt(0.8))
        self.add(*balls, *arrows)
        self.pause(0.6)
        self.play(*[r.steps(1, step_time=1.4, pace=self.pace) for r in replays])
        self.read(0.3)
        self.beat("stepped")
        self.facts["replays"] = replays
        words = VGroup(
            label(self.t("w_gradient"), size=40, color=palette.GRADIENT),
            label("= " + self.t("w_rate"), size=40),
            label("= " + self.t("w_derivative"), size=40),
        ).arrange(DOWN, buff=0.3, aligned_edge=LEFT)
        words.move_to([COLUMN_LEFT + words.width / 2, 3.4 - words.height / 2, 0])
        self.caption("words")
        self.play(FadeIn(words, shift=0.2 * UP), run_time=self.rt(0.8))
        self.mark_poster()
        self.read(0.5)
