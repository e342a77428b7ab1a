"""Rolling downhill: gradient descent on f(x) = x², then the same start with too large a step.

Storyboard 1. Every number on screen comes from ``gd.descend(..., cache=True)`` at render
time. Change a parameter by subclassing (``class Faster(BallDownhill): lr = 0.3``) or with a
catalog ``params`` table; render alone with
``.venv/bin/manim -r 854,480 --fps 15 scenes/ball_downhill.py BallDownhill``.
"""

from __future__ import annotations

from manim import DOWN, LEFT, RIGHT, UP, Create, FadeIn, FadeOut, GrowFromCenter, Indicate, VGroup

import gdengine as gd
from gdengine.kit import palette
from gdengine.kit.ball import IterateTrail, ReplayBall
from gdengine.kit.curve import CurvePlot
from gdengine.kit.hud import UpdateRule, replay_hud
from gdengine.kit.params import integer, landscape, learning_rate, number
from gdengine.kit.replay import Replay, shrinking_steps
from gdengine.kit.scene import GdScene
from gdengine.kit.slope import StepArrow, TangentLine
from gdengine.kit.text import format_sig, label, math

PLOT_SIZE = (7.0, 4.6)
COLUMN_LEFT = 1.0  # x of the right column (rule, numbers, HUD)


def in_column(mob, top: float):
    """Place ``mob`` in the right-hand column with its top edge at ``top``."""
    return mob.move_to([COLUMN_LEFT + mob.width / 2, top - mob.height / 2, 0])


def rule_block(replay: Replay, eta_color, stop_words: str = "") -> UpdateRule:
    """The update rule, the engine's η and (if the run has one) its stop rule, top right.
    ``rule.stop`` is the stop-rule line (muted until it fires) or None."""
    rule = UpdateRule()
    lines = [math(f"eta = {format_sig(engine_lr(replay))}", color=eta_color)]
    tol = replay.traj.meta.get("tol")
    rule.stop = None
    if tol is not None:
        words = label(stop_words, color=palette.MUTED)
        condition = math(f"|f'(x_t)| < {format_sig(tol)}", color=palette.MUTED)
        rule.stop = VGroup(words, condition).arrange(RIGHT, buff=0.2)
        lines.append(rule.stop)
    settings = VGroup(*lines).arrange(DOWN, buff=0.18, aligned_edge=LEFT)
    settings.next_to(rule, DOWN, buff=0.22, aligned_edge=LEFT)
    rule.add(settings)
    return in_column(rule, 3.65)


def hud_block(replay: Replay):
    return in_column(replay_hud(replay), 0.75)


def run(land: str, lr: float, start: float, steps: int, tol: float | None):
    """One engine run from ``start`` (cached on disk), replayable."""
    opt = gd.optimizer("sgd", lr=lr)
    return Replay(gd.descend(gd.landscape(land), opt, [[start]], steps, tol=tol, cache=True))


def engine_lr(replay: Replay) -> float:
    """The learning rate the engine actually used (from the trajectory's metadata)."""
    return float(replay.traj.meta["optimizer"]["hyper"]["lr"])


class BallDownhill(GdScene):
    """f(x) = x², ball at 1.8, η = 0.1 until |f′| < tol; then η = 1 bounces forever."""

    params = {
        "landscape": landscape("parabola", dim=1, doc="1-D landscape to descend"),
        "start": number(1.8, doc="starting x"),
        "lr": learning_rate(0.1, doc="learning rate η of the main run"),
        "tol": number(0.01, positive=True, doc="stop when |f'(x)| < tol"),
        "max_steps": integer(500, lo=1, doc="cap on updates of the main run"),
        "slow_steps": integer(2, lo=0, doc="first steps explained one by one"),
        "contrast_lr": learning_rate(1.0, doc="learning rate of the contrast run"),
        "contrast_steps": integer(4, lo=1, doc="updates shown of the contrast run"),
        "contrast_max_steps": integer(200, lo=1, doc="updates the engine runs for the contrast"),
    }
    strings_file = "strings/ball_downhill.toml"

    def construct(self):
        main = run(self.landscape, self.lr, self.start, self.max_steps, self.tol)
        plot = self.show_landscape()
        ball, hud = self.place_ball(plot, main)
        rule = self.show_rule(main)
        self.explain_first_steps(plot, main, rule)
        trail = self.descend(plot, main)
        self.announce_stop(main, rule, hud)
        contrast = run(self.landscape, self.contrast_lr, self.start, self.contrast_max_steps, None)
        self.bounce(plot, contrast, old=VGroup(ball, hud, trail, rule))
        self.pause(2.0)

    # --- beats -------------------------------------------------------------------------
    def show_landscape(self) -> CurvePlot:
        self.beat("landscape")
        land = gd.landscape(self.landscape)
        plot = CurvePlot(land, width=PLOT_SIZE[0], height=PLOT_SIZE[1])
        plot.to_edge(LEFT, buff=0.45).shift(0.35 * UP)
        self.facts["plot"] = plot
        formula = math(land.formula, color=palette.CURVE)
        formula.next_to(plot.axes, UP, buff=0.15).align_to(plot.axes, LEFT)
        self.caption("intro")
        self.play(Create(plot.axes), run_time=self.rt(0.8))
        self.play(Create(plot.graph), FadeIn(formula), run_time=self.rt(1.0))
        self.pause(0.5)
        return plot

    def place_ball(self, plot: CurvePlot, replay: Replay):
        self.beat("ball")
        ball = ReplayBall(plot, replay)
        hud = hud_block(replay)
        self.caption("start", start=format_sig(replay.x_k(0)))
        self.play(GrowFromCenter(ball.ball), FadeIn(hud), run_time=self.rt(0.8))
        self.add(ball)
        self.pause(0.8)
        return ball, hud

    def show_rule(self, replay: Replay) -> UpdateRule:
        self.beat("rule")
        rule = rule_block(replay, palette.STEP, self.t("stop_when"))
        self.caption("loop")
        self.play(FadeIn(rule), run_time=self.rt(0.8))
        self.pause(1.2)
        return rule

    def explain_first_steps(self, plot: CurvePlot, replay: Replay, rule: UpdateRule) -> None:
        """Slow motion: tangent (measure), arrow (step), substituted rule, then the move."""
        self.beat("first_steps")
        tangent = TangentLine(plot, replay.x, slope_fn=replay.g_k, length=2.6, readout=False)
        arrow = StepArrow(plot, replay.x, replay.step_k)
        shown = False
        for k in range(min(self.slow_steps, replay.n_updates)):
            self.caption("measure", x=format_sig(replay.x_k(k)), slope=format_sig(replay.g_k(k)))
            self.play(*([] if shown else [FadeIn(tangent)]), *rule.light("grad"), run_time=self.rt(0.9))
            self.caption("step", step=format_sig(replay.step_k(k)))
            numbers = rule.substituted(
                {"x": replay.x_k(k), "lr": engine_lr(replay), "grad": replay.g_k(k), "new": replay.x_k(k + 1)}
            )
            in_column(numbers, rule.get_bottom()[1] - 0.3)
            self.play(*([] if shown else [FadeIn(arrow)]), FadeIn(numbers), *rule.light("lr"), run_time=self.rt(0.9))
            shown = True
            self.play(replay.steps(k + 1, step_time=1.2, pace=self.pace))
            self.play(FadeOut(numbers), run_time=self.rt(0.3))
        self.add(tangent, arrow)
        self.tangent, self.arrow = tangent, arrow

    def descend(self, plot: CurvePlot, replay: Replay) -> IterateTrail:
        self.beat("descend")
        trail = IterateTrail(plot, replay)
        self.add(trail)
        self.bring_to_front(self.tangent, self.arrow)
        self.caption("descend")
        remaining = replay.n_updates - int(round(replay.t))
        if remaining > 0:
            self.play(replay.steps(step_time=shrinking_steps(0.5, 0.15, remaining), pace=self.pace))
        return trail

    def announce_stop(self, replay: Replay, rule: UpdateRule, hud) -> None:
        self.beat("stop")
        self.facts.update(main=replay, counter=hud.row(0).value_text, x_readout=hud.row(1).value_text)
        self.play(Indicate(rule.stop, color=palette.GREEN), run_time=self.rt(0.8))
        rule.stop.set_color(palette.GREEN)
        self.caption(
            "stop",
            slope=format_sig(abs(replay.g_k(replay.last))),
            tol=format_sig(self.tol),
            count=replay.n_updates,
            x=format_sig(replay.x_k(replay.last)),
        )
        self.mark_poster()
        self.pause(2.0)

    def bounce(self, plot: CurvePlot, replay: Replay, old: VGroup) -> None:
        self.beat("bounce")
        self.play(FadeOut(old), FadeOut(self.tangent), FadeOut(self.arrow), run_time=self.rt(0.6))
        ball = ReplayBall(plot, replay, path="hop", hop_height=0.9)
        hud = hud_block(replay)
        rule = rule_block(replay, palette.VERMILLION)
        arrow = StepArrow(plot, replay.x, replay.step_k)
        self.caption("bounce_setup", lr=format_sig(engine_lr(replay)))
        self.play(FadeIn(ball.ball), FadeIn(hud), FadeIn(rule), FadeIn(arrow), run_time=self.rt(0.8))
        self.add(ball)
        jump, x0, x1 = replay.step_k(0), replay.x_k(0), replay.x_k(1)
        minimum = float(gd.landscape(self.landscape).minima[0, 0])
        self.caption(
            "bounce",
            jump=format_sig(jump),
            ratio=format_sig(abs(jump) / max(abs(x0 - minimum), 1e-12)),
            x_next=format_sig(x1),
        )
        steps = min(self.contrast_steps, replay.n_updates)
        self.play(replay.steps(steps, step_time=0.8, pace=self.pace))
        self.beat("bounced")
        self.facts["contrast"] = replay
        self.caption(
            "bounce_why", steps=replay.n_updates, x_last=format_sig(replay.x_k(replay.last))
        )

