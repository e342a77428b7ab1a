"""Why a small step always helps: the first-order Taylor prediction f(x) − η·f′(x)² against
the true value after the step, for a small, a medium and a too-large learning rate.

Storyboard 3. Each step is one ``gd.descend`` update; the prediction is computed from the
engine's f(x), f′(x) and η. Render alone with
``.venv/bin/manim -r 854,480 --fps 15 scenes/why_it_works.py WhyItWorks``.
"""

from __future__ import annotations

from manim import DOWN, LEFT, RIGHT, UP, Create, DashedLine, Dot, FadeIn, FadeOut, VGroup, Write

import gdengine as gd
from gdengine.kit import palette
from gdengine.kit.ball import OffPlotMarker, ReplayBall, make_ball
from gdengine.kit.curve import CurvePlot
from gdengine.kit.params import landscape, learning_rates, number, numbers
from gdengine.kit.replay import Replay
from gdengine.kit.scene import GdScene
from gdengine.kit.slope import StepArrow, TangentLine
from gdengine.kit.text import Readout, format_sig, math

COLUMN_LEFT = 0.7
HOLDS = 0.8  # real drop ≥ 80 % of the predicted drop: "the straight-line guess holds"

DERIVATION = (
    "f(x + epsilon) approx f(x) + epsilon f'(x)",
    "epsilon = -eta f'(x)",
    "f(x - eta f'(x)) approx f(x) - eta f'(x)^2",
    "eta f'(x)^2 > 0 quad (f'(x) != 0)",
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


class WhyItWorks(GdScene):
    """Taylor: f(x − η·f′) ≈ f(x) − η·f′²; the guess holds for small η and breaks for large."""

    params = {
        "landscape": landscape("parabola", dim=1, doc="1-D landscape"),
        "start": number(1.8, doc="the x where the tangent is taken"),
        "rates": learning_rates((0.1, 0.45, 1.1), doc="learning rates shown in turn"),
        "x_range": numbers((-2.5, 2.5), length=2, doc="plotted x window"),
        "y_range": numbers((-3.2, 7.0), length=2, doc="plotted f window"),
    }
    strings_file = "strings/why_it_works.toml"

    def construct(self):
        plot = self.show_curve()
        self.derive()
        readouts = self.make_readouts()
        for lr in self.rates:
            self.try_rate(plot, one_step(self.landscape, self.start, lr), readouts)
        self.caption("moral")
        self.pause(2.0)

    # --- beats -------------------------------------------------------------------------
    def show_curve(self) -> CurvePlot:
        self.beat("curve")
        land = gd.landscape(self.landscape)
        plot = CurvePlot(land, x_range=tuple(self.x_range), y_range=tuple(self.y_range), width=6.5, height=5.6)
        plot.to_edge(LEFT, buff=0.35).shift(0.4 * UP)
        tangent = TangentLine(plot, lambda: self.start, length=40.0, readout=False)
        tangent.line.set_stroke(width=3)
        self.start_ball = make_ball().move_to(plot.resting_point(self.start, 0.15))
        self.facts["plot"] = plot
        self.caption("intro")
        self.play(Create(plot), run_time=self.rt(1.0))
        self.play(FadeIn(self.start_ball), Create(tangent), run_time=self.rt(1.0))
        return plot

    def derive(self) -> None:
        self.beat("taylor")
        lines = VGroup(*(math(src, size=28) for src in DERIVATION)).arrange(DOWN, buff=0.28, aligned_edge=LEFT)
        lines.move_to([COLUMN_LEFT + lines.width / 2, 3.6 - lines.height / 2, 0])
        lines[3].set_color(palette.GREEN)
        for key, line in zip(("taylor", "choose", "drop"), (lines[0], lines[1], lines[2:])):
            self.caption(key)
            self.play(Write(line), run_time=self.rt(1.0))
            self.pause(1.6)
        self.derivation = lines

    def make_readouts(self) -> dict:
        state = {"f0": 0.0, "pred": 0.0, "true": 0.0}
        rows = VGroup(
            Readout("f(x) =", lambda: state["f0"], digits=2),
            Readout(f'{self.t("predicted")} =', lambda: state["pred"], digits=2, label_is_math=False,
                    color=palette.PREDICTION, value_color=palette.PREDICTION),
            Readout(f'{self.t("true_value")} =', lambda: state["true"], digits=2, label_is_math=False,
                    value_color=palette.BALL),
        ).arrange(DOWN, buff=0.16, aligned_edge=LEFT)
        rows.move_to([COLUMN_LEFT + rows.width / 2, self.derivation.get_bottom()[1] - 0.35 - rows.height / 2, 0])
        return {"state": state, "rows": rows}

    def try_rate(self, plot: CurvePlot, step: Replay, readouts: dict) -> None:
        self.beat(f"rate_{format_sig(step.traj.meta['optimizer']['hyper']['lr'])}")
        lr = step.traj.meta["optimizer"]["hyper"]["lr"]
        ball = ReplayBall(plot, step, path="hop", hop_height=0.8)
        arrow = StepArrow(plot, lambda: step.x_k(0), lambda: step.step_k(0))
        self.caption("try", lr=format_sig(lr), step=format_sig(step.step_k(0)))
        self.play(FadeIn(arrow), run_time=self.rt(0.6))
        self.add(ball)
        self.play(step.steps(1, step_time=1.4, pace=self.pace))
        marks = self.mark_prediction(plot, step)
        state = readouts["state"]
        state.update(f0=step.f_k(0), pred=prediction(step), true=step.f_k(1))
        for row in readouts["rows"]:
            row.refresh(force=True)
        kind, ratio = verdict(step)
        self.facts.setdefault("verdicts", []).append((lr, kind, ratio))
        self.play(FadeIn(marks), FadeIn(readouts["rows"]), run_time=self.rt(0.8))
        self.caption(kind, pred=format_sig(prediction(step)), true=format_sig(step.f_k(1)),
                     pct=format_sig(100 * ratio, 2), f0=format_sig(step.f_k(0)))
        if kind == "worse":
            self.mark_poster()
        self.pause(2.4)
        self.play(FadeOut(marks), FadeOut(arrow), FadeOut(ball), run_time=self.rt(0.5))
        self.remove(ball)

    def mark_prediction(self, plot: CurvePlot, step: Replay) -> VGroup:
        """Purple dot where the tangent line predicts f at the new x (a border marker if that
        is outside the window), a dashed gap down/up to the true point."""
        x1, pred, true = step.x_k(1), prediction(step), step.f_k(1)
        true_point = plot.to_screen(x1, true)
        if plot.inside(x1, pred):
            guess = Dot(plot.to_screen(x1, pred), radius=0.09, color=palette.PREDICTION)
            end = guess.get_center()
        else:
            end = plot.clip_point(x1, pred)
            guess = OffPlotMarker(color=palette.PREDICTION).point_at(end, plot.to_screen(x1, pred))
        gap = DashedLine(true_point, end, color=palette.PREDICTION, stroke_width=3, dash_length=0.1)
        tag = math(format_sig(pred), size=26, color=palette.PREDICTION)
        tag.next_to(guess, RIGHT if x1 < 0 else LEFT, buff=0.15)
        return VGroup(gap, guess, tag)
