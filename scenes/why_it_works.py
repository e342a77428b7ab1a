"""Why a small step always helps: the first-order Taylor prediction f(x) − η·f′(x)² against
the true value after the step, for a small and a too-large learning rate.

Storyboard 3. Each step is one ``gd.descend`` update; the prediction is computed from the
engine's f(x), f′(x) and η. Where the gap between prediction and truth is too small to see,
the camera zooms in on it. Render alone with
``.venv/bin/manim -r 854,480 --fps 15 scenes/why_it_works.py WhyItWorks``.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    ORIGIN,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    SurroundingRectangle,
    VGroup,
    Write,
    config,
)

import gdengine as gd
from gdengine.kit import palette
from gdengine.kit.ball import OffPlotMarker, ReplayBall, make_ball
from gdengine.kit.curve import CurvePlot, outside_view
from gdengine.kit.hud import Hud, pin_to_frame
from gdengine.kit.params import landscape, learning_rates, number, numbers
from gdengine.kit.replay import Replay
from gdengine.kit.scene import GdScene
from gdengine.kit.slope import StepArrow, TangentLine
from gdengine.kit.text import Readout, format_sig, math

PLOT_SIZE = (6.6, 5.55)
PLOT_LEFT, PLOT_BOTTOM = -6.3, -2.62  # lower-left of axes and tick numbers (above the caption strip)
COLUMN_LEFT = 0.8
HOLDS = 0.8  # real drop ≥ 80 % of the predicted drop: "the straight-line guess holds"
MIN_GAP_PX = 24.0  # zoom in until prediction and truth are this far apart at 480p
MAX_ZOOM = 6.0
ZOOM_SCREEN_AT = np.array([-3.0, 0.4, 0.0])  # where the zoomed-in gap sits on screen
CURVE_WIDTH, TANGENT_WIDTH = 5.0, 3.0

DERIVATION = (
    "f(x + epsilon) approx f(x) + epsilon f'(x)",
    "epsilon = -eta f'(x)",
    "f(x - eta f'(x))",
    "quad approx f(x) - eta f'(x)^2 < f(x)",
)


def one_step(land: str, x0: float, lr: float) -> Replay:
    return Replay(gd.descend(gd.landscape(land), gd.optimizer("sgd", lr=lr), [[x0]], 1, cache=True))


def prediction(step: Replay) -> float:
    """Tangent-line value at the new x: f(x) + Δx·f′(x) = f(x) − η·f′(x)² (engine numbers)."""
    return step.f_k(0) + step.step_k(0) * step.g_k(0)


def verdict(step: Replay) -> tuple[str, float]:
    """("holds" | "off" | "worse", real drop as a fraction of the predicted drop)."""
    ratio = (step.f_k(0) - step.f_k(1)) / (step.f_k(0) - prediction(step))
    return ("holds" if ratio >= HOLDS else "off" if ratio > 0 else "worse"), ratio


def engine_lr(step: Replay) -> float:
    return float(step.traj.meta["optimizer"]["hyper"]["lr"])


class WhyItWorks(GdScene):
    """Taylor: f(x − η·f′) ≈ f(x) − η·f′²; the guess holds for small η and breaks for large."""

    params = {
        "landscape": landscape("parabola", dim=1, doc="1-D landscape"),
        "start": number(1.8, doc="the x where the tangent is taken"),
        "rates": learning_rates((0.1, 1.1), doc="learning rates shown in turn"),
        "x_range": numbers((-2.5, 2.5), length=2, doc="plotted x window"),
        "y_range": numbers((-3.2, 7.0), length=2, doc="plotted f window"),
    }
    strings_file = "strings/why_it_works.toml"

    def construct(self):
        plot, tangent = self.show_curve()
        derivation = self.derive()
        panel, state = self.make_panel(derivation)
        for index, lr in enumerate(self.rates):
            step = one_step(self.landscape_of(self.landscape), self.start, lr)
            self.try_rate(f"rate_{index + 1}", plot, tangent, step, panel, state)
        self.beat("recap")
        self.caption("recap")
        self.play(FadeOut(panel), run_time=self.rt(0.5))  # the last rate's numbers are not the moral
        self.read(1.0)

    # --- beats -------------------------------------------------------------------------
    def show_curve(self):
        self.beat("curve", x=format_sig(self.start))
        land = self.landscape_of(self.landscape)
        plot = CurvePlot(land, x_range=tuple(self.x_range), y_range=tuple(self.y_range),
                         width=PLOT_SIZE[0], height=PLOT_SIZE[1], stroke_width=CURVE_WIDTH)  # fmt: skip
        plot.shift([PLOT_LEFT, PLOT_BOTTOM, 0] - plot.axes.get_corner(DOWN + LEFT))
        tangent = TangentLine(plot, lambda: self.start, length=40.0, readout=False)
        tangent.line.set_stroke(width=TANGENT_WIDTH)
        self.start_ball = make_ball().move_to(plot.resting_point(self.start, 0.15))
        self.facts["plot"] = plot
        self.play(Create(plot), run_time=self.rt(1.0))
        self.caption("intro")
        self.play(FadeIn(self.start_ball), Create(tangent), run_time=self.rt(1.0))
        self.read(0.3)
        return plot, tangent

    def derive(self) -> VGroup:
        self.beat("taylor")
        lines = VGroup(*(math(src, size=32) for src in DERIVATION)).arrange(DOWN, buff=0.26, aligned_edge=LEFT)
        lines.move_to([COLUMN_LEFT + lines.width / 2, 3.55 - lines.height / 2, 0])
        for key, line in zip(("taylor", "choose", "drop"), (lines[0], lines[1], lines[2:])):
            if key != "taylor":
                self.beat(key)  # each line of the derivation waits for the voice to reach it
            self.caption(key)
            self.play(Write(line), run_time=self.rt(1.0))
            if key != "drop":
                self.read(0.4)
        box = SurroundingRectangle(lines[2:], color=palette.HIGHLIGHT, buff=0.1, corner_radius=0.08)
        self.play(Create(box), run_time=self.rt(0.5))  # the result: a step against the slope lowers f
        self.read(0.4)
        self.remove(*lines, box)  # written piece by piece; one group from here on, pinned to the screen
        derivation = VGroup(*lines, box)
        self.add(pin_to_frame(derivation, self.camera.frame))
        return derivation

    def make_panel(self, derivation: VGroup):
        """η, f(x), the tangent's prediction and the true value after the step; the last two
        read "?" until the step has been taken, so the panel never shows another rate's."""
        state: dict = {"lr": 0.0, "f0": 0.0, "pred": None, "true": None}

        def shown(key):
            return lambda: "?" if state[key] is None else format_sig(state[key])

        panel = Hud(
            [
                Readout("eta =", shown("lr"), color=palette.RATE, value_color=palette.RATE),
                Readout("f(x) =", shown("f0")),
                Readout(f'{self.t("predicted")} =', shown("pred"), label_is_math=False,
                        color=palette.PREDICTION, value_color=palette.PREDICTION),  # fmt: skip
                Readout(f'{self.t("true_value")} =', shown("true"), label_is_math=False, value_color=palette.BALL),
            ]
        )
        top = derivation.get_bottom()[1] - 0.35
        panel.move_to([COLUMN_LEFT + panel.width / 2, top - panel.height / 2, 0])
        pin_to_frame(panel, self.camera.frame, anchor=panel.panel)
        return panel, state

    def try_rate(self, beat: str, plot: CurvePlot, tangent, step: Replay, panel: Hud, state: dict) -> None:
        lr = engine_lr(step)
        kind, ratio = verdict(step)  # the voice says what the engine found: holds, off or worse
        self.beat(beat, say=f"try_{kind}", lr=format_sig(lr), pred=format_sig(prediction(step), 2),
                  true=format_sig(step.f_k(1), 2))  # fmt: skip
        state.update(lr=lr, f0=step.f_k(0), pred=None, true=None)
        panel.update(0)  # the new rate's digits before any animation copies the panel
        ball = ReplayBall(plot, step, path="hop", hop_height=0.8)
        arrow = StepArrow.for_replay(plot, step)
        self.caption("try", lr=format_sig(lr), step=format_sig(step.step_k(0)))
        intro = [FadeIn(panel)] if panel not in self.mobjects else []
        self.play(FadeIn(arrow), *intro, run_time=self.rt(0.6))
        self.remove(self.start_ball)
        self.add(ball, arrow)
        self.play(step.steps(1, step_time=1.4, pace=self.pace))
        self.read(0.2)
        zoom = self.zoom_for(plot, step)
        view = self.zoom_in(plot, tangent, step, VGroup(ball, arrow), zoom) if zoom > 1 else None
        marks = self.mark_prediction(plot, step, zoom)
        crossed = [] if view is not None else crossed_labels(plot, marks[0])
        state.update(pred=prediction(step), true=step.f_k(1))
        self.facts.setdefault("verdicts", []).append((lr, kind, ratio))
        self.facts.setdefault("zooms", []).append(zoom)
        self.play(FadeIn(marks), *[m.animate.set_opacity(0.0) for m in crossed], run_time=self.rt(0.6))
        self.caption(kind, pred=format_sig(prediction(step)), true=format_sig(step.f_k(1)),
                     pct=format_sig(100 * ratio, 2), f0=format_sig(step.f_k(0)))  # fmt: skip
        self.facts.setdefault("panel_values", []).append(
            (self.captions_shown[-1], [row.value_text for row in panel.rows])
        )
        if kind == "worse":
            self.mark_poster()
        self.read(1.0)
        if view is not None:
            self.zoom_out(plot, tangent, marks, VGroup(ball, arrow), view)
        self.play(FadeOut(marks), FadeOut(arrow), FadeOut(ball), FadeIn(self.start_ball),
                  *[m.animate.set_opacity(1.0) for m in crossed], run_time=self.rt(0.5))  # fmt: skip
        self.remove(ball, arrow)

    # --- zoom on a gap too small to see ---------------------------------------------------
    def gap_px(self, plot: CurvePlot, step: Replay) -> float:
        """Prediction-to-truth distance at 480p, unzoomed."""
        return abs(step.f_k(1) - prediction(step)) * plot.units()[1] * 480 / config.frame_height

    def zoom_for(self, plot: CurvePlot, step: Replay) -> float:
        if not plot.inside(step.x_k(1), prediction(step)):
            return 1.0
        return float(np.clip(MIN_GAP_PX / max(self.gap_px(plot, step), 1e-9), 1.0, MAX_ZOOM))

    def zoom_in(self, plot, tangent, step, movers, zoom: float):
        frame = self.camera.frame
        middle = (plot.to_screen(step.x_k(1), prediction(step)) + plot.to_screen(step.x_k(1), step.f_k(1))) / 2
        centre = middle - ZOOM_SCREEN_AT / zoom
        column = (COLUMN_LEFT - 0.2) / config.frame_width
        hidden = outside_view(plot.tick_labels(), centre, frame.width / zoom, right=column)
        self.bring_to_front(self.caption_strip, self.caption_strip.line)  # zoomed lines pass under it
        # the ball would cover the gap, the arrow would pass under the caption
        self.play(*[m.animate.set_opacity(0.0) for m in hidden], FadeOut(movers), run_time=self.rt(0.4))
        self.play(
            frame.animate.scale(1 / zoom).move_to(centre),
            plot.graph.animate.set_stroke(width=CURVE_WIDTH / zoom),
            tangent.line.animate.set_stroke(width=TANGENT_WIDTH / zoom),
            run_time=self.rt(1.2),
        )
        self.facts.setdefault("zoom_views", []).append((frame.get_center().copy(), float(frame.width)))
        return hidden

    def zoom_out(self, plot, tangent, marks, movers, hidden) -> None:
        frame = self.camera.frame
        self.play(FadeOut(marks), run_time=self.rt(0.4))
        self.play(
            frame.animate.scale(config.frame_width / frame.width).move_to(ORIGIN),
            plot.graph.animate.set_stroke(width=CURVE_WIDTH),
            tangent.line.animate.set_stroke(width=TANGENT_WIDTH),
            run_time=self.rt(1.0),
        )
        self.play(*[m.animate.set_opacity(1.0) for m in hidden], FadeIn(movers), run_time=self.rt(0.3))

    def mark_prediction(self, plot: CurvePlot, step: Replay, zoom: float = 1.0) -> VGroup:
        """Purple dot where the tangent line predicts f at the new x (a border marker if that
        is outside the window), an orange dot at the true value, a dashed gap between; sized
        for the camera's ``zoom`` so they look the same on screen."""
        x0, f0, x1, pred, true = step.x_k(0), step.f_k(0), step.x_k(1), prediction(step), step.f_k(1)
        true_point = plot.to_screen(x1, true)
        if plot.inside(x1, pred):
            guess = Dot(plot.to_screen(x1, pred), radius=0.08 / zoom, color=palette.PREDICTION)
            end = guess.get_center()
        else:
            end = plot.clip_point(x1, pred)
            guess = OffPlotMarker(color=palette.PREDICTION).point_at(end, plot.to_screen(x1, pred))
        gap = DashedLine(true_point, end, color=palette.PREDICTION, stroke_width=3 / zoom, dash_length=0.1 / zoom)
        truth = Dot(true_point, radius=0.08 / zoom, color=palette.BALL)
        marks = VGroup(gap, guess, truth)
        if zoom == 1.0:  # the level of f(x) before the step: is the new value below it?
            marks.add(DashedLine(plot.to_screen(x0, f0), plot.to_screen(x1, f0), color=palette.MUTED,
                                 stroke_width=2, dash_length=0.12))  # fmt: skip
        return marks


def crossed_labels(plot: CurvePlot, line) -> list:
    """Tick numbers that ``line`` runs through (faded while it is shown)."""
    (x_a, y_a, _), (x_b, y_b, _) = line.get_start(), line.get_end()
    x0, x1, y0, y1 = min(x_a, x_b), max(x_a, x_b), min(y_a, y_b), max(y_a, y_b)
    out = []
    for label in plot.tick_labels():
        (l, b, _), (r, t, _) = label.get_corner([-1, -1, 0]), label.get_corner([1, 1, 0])
        if l - 0.05 <= x1 and x0 <= r + 0.05 and b <= y1 and y0 <= t:
            out.append(label)
    return out
