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

COLUMN_LEFT = 2.05


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
        "lr": learning_rate(0.25, doc="η of the step arrows"),
    }
    strings_file = "strings/tangent_slope.toml"

    def construct(self):
        land = gd.landscape(self.landscape)
        steps = gd.descend(land, gd.optimizer("sgd", lr=self.lr), [[self.right_probe], [self.left_probe]], 1)
        plot = self.show_curve(land)
        x = ValueTracker(self.sweep[0])
        tangent, ball, hud = self.sweep_tangent(plot, x)
        self.probe_right(plot, x, Replay(steps, 0))
        self.probe_left(x, Replay(steps, 1))
        self.play(FadeOut(tangent), FadeOut(ball), FadeOut(self.arrow), FadeOut(hud), run_time=self.rt(0.6))
        self.both_sides(plot, steps)
        self.pause(2.0)

    # --- beats -------------------------------------------------------------------------
    def show_curve(self, land) -> CurvePlot:
        self.beat("curve")
        plot = CurvePlot(land, x_range=tuple(self.x_range), width=8.0, height=5.2)
        plot.to_edge(LEFT, buff=0.4).shift(0.4 * UP)
        formula = math(land.formula, color=palette.CURVE)
        formula.next_to(plot.axes, UP, buff=0.1).align_to(plot.axes, LEFT)
        self.facts["plot"] = plot
        self.play(Create(plot), FadeIn(formula), run_time=self.rt(1.2))
        return plot

    def sweep_tangent(self, plot: CurvePlot, x: ValueTracker):
        self.beat("sweep")
        land = plot.land
        tangent = TangentLine(plot, x.get_value, length=3.2, readout=False)
        ball = CurveBall(plot, x.get_value)
        hud = Hud(
            [
                Readout("x =", x.get_value, digits=2, value_color=palette.BALL),
                Readout("f(x) =", lambda: f1(land, x.get_value()), digits=2),
                Readout(
                    "f'(x) =",
                    lambda: f"{format_number(df1(land, x.get_value()), 2)}  {slope_sign(df1(land, x.get_value()))}",
                    value_color=palette.TANGENT,
                ),
            ]
        )
        hud.move_to([COLUMN_LEFT + hud.width / 2, 1.6, 0])
        self.facts["hud"] = hud
        self.caption("tangent")
        self.play(FadeIn(ball), Create(tangent.line), FadeIn(hud), run_time=self.rt(1.0))
        self.add(tangent, ball)
        self.caption("sweep")
        self.play(x.animate.set_value(self.sweep[1]), run_time=self.rt(4.0))
        return tangent, ball, hud

    def probe_right(self, plot: CurvePlot, x: ValueTracker, step: Replay) -> None:
        self.beat("right")
        land, x0, far = plot.land, self.right_probe, self.far_probe
        self.play(x.animate.set_value(x0), run_time=self.rt(1.2))
        self.caption("right_slope", x=format_sig(x0), slope=format_sig(df1(land, x0)))
        self.facts["right_readout"] = self.facts["hud"].row(2).value_text
        self.pause(1.2)
        rise = VGroup(
            DashedLine(plot.point(x0), plot.to_screen(far, f1(land, x0)), color=palette.MUTED),
            DashedLine(plot.to_screen(far, f1(land, x0)), plot.point(far), color=palette.VERMILLION),
            Dot(plot.point(far), color=palette.VERMILLION),
            math(f"f({format_sig(far)}) = {format_sig(f1(land, far))}", color=palette.VERMILLION),
        )
        rise[3].next_to(rise[2], LEFT, buff=0.2)
        self.caption("right_up", far=format_sig(far), f_far=format_sig(f1(land, far)), x=format_sig(x0),
                     f_x=format_sig(f1(land, x0)))
        self.play(Create(rise[0]), Create(rise[1]), FadeIn(rise[2:]), run_time=self.rt(1.2))
        self.pause(1.5)
        self.arrow = StepArrow(plot, x.get_value, lambda: -self.lr * df1(land, x.get_value()))
        self.caption("go_left", step=format_sig(step.step_k(0)))
        self.play(FadeOut(rise), GrowArrow(self.arrow.arrow), FadeIn(self.arrow.drop), run_time=self.rt(0.8))
        self.add(self.arrow)
        self.pause(1.8)

    def probe_left(self, x: ValueTracker, step: Replay) -> None:
        self.beat("left")
        land, x0 = self.facts["plot"].land, self.left_probe
        self.play(x.animate.set_value(x0), run_time=self.rt(1.6))
        self.caption("left_slope", x=format_sig(x0), slope=format_sig(df1(land, x0)))
        self.facts["left_readout"] = self.facts["hud"].row(2).value_text
        self.pause(1.2)
        self.caption("go_right", step=signed(step.step_k(0)))
        self.pause(1.5)

    def both_sides(self, plot: CurvePlot, steps) -> None:
        """Both probes at once, each with its engine step, then each takes it."""
        self.beat("both")
        replays = [Replay(steps, b) for b in range(steps.B)]
        balls = [ReplayBall(plot, r) for r in replays]
        arrows = [StepArrow(plot, lambda r=r: r.x_k(0), lambda r=r: r.step_k(0)) for r in replays]
        self.caption("both")
        self.play(*[FadeIn(b) for b in balls], *[FadeIn(a) for a in arrows], run_time=self.rt(0.8))
        self.pause(1.0)
        self.play(*[r.steps(1, step_time=1.4, pace=self.pace) for r in replays])
        self.beat("stepped")
        self.facts["replays"] = replays
        self.pause(0.8)
        words = VGroup(
            label(self.t("w_gradient"), size=40, color=palette.TANGENT),
            label("= " + self.t("w_rate"), size=40),
            label("= " + self.t("w_derivative"), size=40),
        ).arrange(DOWN, buff=0.3, aligned_edge=LEFT)
        words.move_to([COLUMN_LEFT + words.width / 2, 1.2, 0])
        self.play(FadeOut(VGroup(*arrows)), FadeIn(words, shift=0.2 * UP), run_time=self.rt(0.8))
        self.caption("words")
        self.mark_poster()
        self.pause(2.5)
