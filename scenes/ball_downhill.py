"""Rolling downhill: gradient descent on f(x) = x², then the same start with too large a step.

Storyboard 1. Every number on screen comes from ``gd.descend(..., cache=True)`` at render
time. Change a parameter by subclassing (``class Faster(BallDownhill): lr = 0.3``) or with a
catalog ``params`` table; render alone with
``.venv/bin/manim -r 854,480 --fps 15 scenes/ball_downhill.py BallDownhill``.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    ORIGIN,
    UP,
    Create,
    FadeIn,
    FadeOut,
    GrowFromCenter,
    Indicate,
    SurroundingRectangle,
    VGroup,
    config,
)

import gdengine as gd
from gdengine.kit import palette
from gdengine.kit.ball import IterateTrail, ReplayBall
from gdengine.kit.curve import CurvePlot, outside_view
from gdengine.kit.hud import UpdateRule, pin_to_frame, replay_hud
from gdengine.kit.params import integer, landscape, learning_rate, number
from gdengine.kit.replay import Replay, shrinking_steps
from gdengine.kit.scene import GdScene
from gdengine.kit.slope import StepArrow, TangentLine
from gdengine.kit.text import format_sig, label, math

PLOT_SIZE = (7.4, 4.75)
PLOT_LEFT, PLOT_BOTTOM = -6.1, -2.62  # lower-left of axes and tick numbers (above the caption strip)
COLUMN_LEFT = 1.85  # x of the right column (rule, numbers, HUD)
COLUMN_TOP = 3.55
ZOOM = 0.5  # camera frame width while the steps shrink (2× magnification)
ZOOM_SCREEN_AT = np.array([-5.0, -1.6, 0.0])  # where the minimum sits on screen when zoomed


def in_column(mob, top: float):
    """Place ``mob`` in the right-hand column with its top edge at ``top``."""
    return mob.move_to([COLUMN_LEFT + mob.width / 2, top - mob.height / 2, 0])


def rule_block(replay: Replay, stop_words: str = "") -> UpdateRule:
    """The update rule, the engine's η and (if the run has one) its stop rule, top right.
    ``rule.stop`` is the stop-rule lines (muted until they fire) or None."""
    rule = UpdateRule()
    lines = [math(f"eta = {format_sig(engine_lr(replay))}", color=palette.RATE)]
    tol = replay.traj.meta.get("tol")
    rule.stop = None
    if tol is not None:
        words = label(stop_words, color=palette.MUTED)
        condition = math(f"|f'(x_t)| < {format_sig(tol)}", color=palette.MUTED)
        rule.stop = VGroup(words, condition).arrange(DOWN, buff=0.12, aligned_edge=LEFT)
        lines.append(rule.stop)
    settings = VGroup(*lines).arrange(DOWN, buff=0.2, aligned_edge=LEFT)
    settings.next_to(rule, DOWN, buff=0.22, aligned_edge=LEFT)
    rule.add(settings)
    return in_column(rule, COLUMN_TOP)


def hud_block(replay: Replay):
    return in_column(replay_hud(replay, rows=("t", "x", "grad")), -0.55)


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
        "slow_steps": integer(1, lo=0, doc="first steps explained one by one"),
        "zoom_after": integer(3, lo=0, doc="updates before the camera zooms in on the bottom"),
        "contrast_lr": learning_rate(1.0, doc="learning rate of the contrast run"),
        "contrast_steps": integer(4, lo=1, doc="updates shown of the contrast run"),
        "contrast_max_steps": integer(200, lo=1, doc="updates the engine runs for the contrast"),
    }
    strings_file = "strings/ball_downhill.toml"

    def construct(self):
        main = run(self.landscape_of(self.landscape), self.lr, self.start, self.max_steps, self.tol)
        plot = self.show_landscape(main)
        rule = self.show_rule(main)
        tangent, arrow = self.explain_first_steps(plot, main, rule)
        self.descend(plot, main, tangent, arrow)
        self.announce_stop(main, rule)
        contrast = run(self.landscape_of(self.landscape), self.contrast_lr, self.start, self.contrast_max_steps, None)
        self.bounce(plot, contrast)
        self.beat("recap")
        self.caption("recap")
        self.read(1.0)

    # --- beats -------------------------------------------------------------------------
    def show_landscape(self, replay: Replay) -> CurvePlot:
        self.beat("landscape")
        land = self.landscape_of(self.landscape)
        plot = CurvePlot(land, width=PLOT_SIZE[0], height=PLOT_SIZE[1])
        plot.shift([PLOT_LEFT, PLOT_BOTTOM, 0] - plot.axes.get_corner(DOWN + LEFT))
        self.facts["plot"] = plot
        formula = math(land.formula, color=palette.CURVE)
        formula.next_to(plot.axes, UP, buff=0.15).align_to(plot.axes, LEFT)
        plot.labels = [*plot.tick_labels(), formula]  # faded out where the camera zooms past them
        self.play(Create(plot.axes), FadeIn(formula), run_time=self.rt(0.8))
        self.caption("intro", start=format_sig(replay.x_k(0)))
        self.play(Create(plot.graph), run_time=self.rt(1.0))
        self.beat("ball", start=format_sig(replay.x_k(0)))
        ball = ReplayBall(plot, replay)
        hud = hud_block(replay)
        pin_to_frame(hud, self.camera.frame, anchor=hud.panel)  # stays put when the camera zooms
        self.play(GrowFromCenter(ball.ball), FadeIn(hud), run_time=self.rt(0.8))
        self.add(ball)
        self.facts.update(main=replay, hud=hud)
        self.main_parts = [ball, hud]
        self.read(0.3)
        return plot

    def show_rule(self, replay: Replay) -> UpdateRule:
        self.beat("rule")
        rule = rule_block(replay, self.t("stop_when"))
        pin_to_frame(rule, self.camera.frame, anchor=rule.formula)
        self.caption("loop")
        self.play(FadeIn(rule), run_time=self.rt(0.8))
        self.main_parts.append(rule)
        self.read(0.3)
        return rule

    def explain_first_steps(self, plot: CurvePlot, replay: Replay, rule: UpdateRule):
        """Slow motion: tangent (measure), arrow (step), substituted rule, then the move."""
        self.beat("first_steps", slope=format_sig(replay.g_k(0)))
        tangent = TangentLine(plot, replay.x, slope_fn=replay.g_k, length=2.6, readout=False)
        arrow = StepArrow.for_replay(plot, replay)
        shown = False
        for k in range(min(self.slow_steps, replay.n_updates)):
            self.caption("measure", x=format_sig(replay.x_k(k)), slope=format_sig(replay.g_k(k)))
            self.play(*([] if shown else [Create(tangent.line)]), *rule.light("grad"), run_time=self.rt(1.0))
            self.add(tangent)
            self.read(0.3)
            self.caption("step", step=format_sig(replay.step_k(k)))
            numbers = rule.substituted(
                {"x": replay.x_k(k), "lr": engine_lr(replay), "grad": replay.g_k(k), "new": replay.x_k(k + 1)}
            )
            in_column(numbers, rule.get_bottom()[1] - 0.3)
            self.play(*([] if shown else [FadeIn(arrow)]), FadeIn(numbers), *rule.light("lr"), run_time=self.rt(1.0))
            self.add(arrow)
            shown = True
            self.play(replay.steps(k + 1, step_time=1.2, pace=self.pace))
            self.read(0.5)
            self.play(FadeOut(numbers), run_time=self.rt(0.3))
        self.main_parts += [tangent, arrow]
        return tangent, arrow

    def descend(self, plot: CurvePlot, replay: Replay, tangent, arrow) -> None:
        """The remaining steps, quicker and quicker; the camera closes in on the bottom while
        the steps are still long enough to see shrink."""
        self.beat("descend")
        trail = IterateTrail(plot, replay)
        self.add(trail)
        self.main_parts.append(trail)
        self.bring_to_front(*self.main_parts, self.caption_strip)
        self.caption("descend")
        done = int(round(replay.t))
        timing = shrinking_steps(0.4, 0.06, max(replay.n_updates - done, 1))
        at = min(max(self.zoom_after, done), replay.n_updates)
        if at > done:
            self.play(replay.steps(at, step_time=lambda k: timing(k - done), pace=self.pace))
        frame = self.camera.frame
        bottom = plot.point(float(self.landscape_of(self.landscape).minima[0, 0]))
        centre = bottom - ZOOM_SCREEN_AT * ZOOM
        column = (COLUMN_LEFT - 0.2) / config.frame_width  # the pinned rule and HUD
        self.hidden = outside_view(plot.labels, centre, frame.width * ZOOM, right=column)
        if self.hidden:
            self.play(*hide_labels(self.hidden), run_time=self.rt(0.3))
        zoom = frame.animate.scale(ZOOM).move_to(centre)
        if replay.n_updates > at:
            self.play(replay.steps(step_time=lambda k: timing(k - done), pace=self.pace),
                      zoom.set_run_time(self.rt(1.2)))  # fmt: skip
        else:
            self.play(zoom, run_time=self.rt(1.2))
        self.facts["zoom_view"] = (frame.get_center().copy(), float(frame.width))
        self.read()

    def announce_stop(self, replay: Replay, rule: UpdateRule) -> None:
        self.beat("stop", count=replay.n_updates, x=format_sig(replay.x_k(replay.last), 2))
        hud = self.facts["hud"]
        self.facts.update(counter=hud.row(0).value_text, x_readout=hud.row(1).value_text)
        zoom = self.camera.frame.width / config.frame_width  # strokes are drawn in scene units
        box = SurroundingRectangle(rule.stop, color=palette.MINIMUM, buff=0.1 * zoom, corner_radius=0.08 * zoom,
                                   stroke_width=4 * zoom)  # fmt: skip
        rule.add(box)
        self.play(rule.stop.animate.set_color(palette.MINIMUM), Create(box), run_time=self.rt(0.6))
        self.caption(
            "stop",
            slope=format_sig(abs(replay.g_k(replay.last))),
            tol=format_sig(self.tol),
            count=replay.n_updates,
            x=format_sig(replay.x_k(replay.last)),
        )
        self.mark_poster()
        self.read(1.0)

    def bounce(self, plot: CurvePlot, replay: Replay) -> None:
        self.beat("bounce", lr=format_sig(engine_lr(replay)))
        frame, old = self.camera.frame, self.main_parts
        home = frame.animate.scale(config.frame_width / frame.width).move_to(ORIGIN)
        self.play(*[FadeOut(m) for m in old], run_time=self.rt(0.5))  # pinned parts leave before the zoom
        self.remove(*old)
        self.play(home, run_time=self.rt(0.8))
        ball = ReplayBall(plot, replay, path="hop", hop_height=0.9)
        hud = hud_block(replay)
        rule = rule_block(replay)
        arrow = StepArrow.for_replay(plot, replay)
        x0, x1, jump = replay.x_k(0), replay.x_k(1), replay.step_k(0)
        minimum = float(self.landscape_of(self.landscape).minima[0, 0])
        self.caption(
            "bounce",
            lr=format_sig(engine_lr(replay)),
            jump=format_sig(jump),
            ratio=format_sig(abs(jump) / max(abs(x0 - minimum), 1e-12)),
        )
        self.play(FadeIn(ball.ball), FadeIn(hud), FadeIn(rule), FadeIn(arrow), *show_labels(self.hidden),
                  run_time=self.rt(0.8))  # fmt: skip
        self.add(ball, arrow)
        self.play(replay.steps(1, step_time=1.2, pace=self.pace))
        self.read(0.3)
        self.beat("bounced")
        self.caption("bounce_why", x_next=format_sig(x1), steps=replay.n_updates,
                     x_last=format_sig(replay.x_k(replay.last)))  # fmt: skip
        shown = min(self.contrast_steps, replay.n_updates)
        if shown > 1:
            self.play(replay.steps(shown, step_time=0.8, pace=self.pace))
        self.facts["contrast"] = replay
        self.facts["contrast_shown"] = shown
        if replay.n_updates > shown:  # the engine ran on: cut to its last update
            self.facts["contrast_before_cut"] = self.time
            replay.tracker.set_value(replay.last)
            hud.update(0)  # new digits before Indicate copies the row
            self.play(Indicate(hud.row(0), scale_factor=1.15, color=palette.HIGHLIGHT), run_time=self.rt(0.8))
        self.read(0.3)


def hide_labels(mobjects) -> list:
    """Fade labels that belong to a larger group (tick numbers of an axis) without removing
    them from it (a remover animation on a submobject breaks its parent apart)."""
    return [m.animate.set_opacity(0.0) for m in mobjects]


def show_labels(mobjects) -> list:
    return [m.animate.set_opacity(1.0) for m in mobjects]
