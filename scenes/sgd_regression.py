"""Batch, stochastic and mini-batch descent on a line fit, then the tutorial's parabola coda.

Storyboard 9. Top left: the data and each run's current line; top right: the (w, b) paths
on the loss contour; bottom: the full-data loss per step and a legend with each method's
gradients per step (read from the engine's runs: the data size and batch sizes). Coda: three
weights fitted to y = 2x² + 3x + 4, η = 0.1, one sample at a time in order, until the
full-data mean squared error falls below 1e-4 — the engine's ``stop_loss`` reports the count.

Render alone: ``.venv/bin/manim -r 854,480 --fps 15 scenes/sgd_regression.py SgdRegression``.
"""

from __future__ import annotations

import math

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, DashedLine, VGroup

import gdengine as gd
from gdengine.kit import palette
from gdengine.kit.layout import Slot, conceal, content_region, grid, reveal
from gdengine.kit.legend import Legend
from gdengine.kit.lossplot import LossPlot, step_counter
from gdengine.kit.params import integer, learning_rate, number, numbers
from gdengine.kit.playback import StepClock, play_steps
from gdengine.kit.race import RaceView, Runner, padded_values
from gdengine.kit.regression import RegressionPanel
from gdengine.kit.scene import GdScene
from gdengine.kit.text import SMALL_SIZE, Readout, format_sig

METHOD_COLORS = (palette.SKY, palette.VERMILLION, palette.YELLOW)  # batch, SGD, mini-batch


def fit_runs(land, lr: float, steps: int, batches, seed: int):
    """One engine run per batch size (None = all samples) from the landscape's start."""
    opt = gd.optimizer("sgd", lr=lr)
    return opt, [gd.descend(land, opt, [land.start], steps, batch_size=b, seed=seed, cache=True)
                 for b in batches]


class SgdRegression(GdScene):
    """Line fit by batch, stochastic and mini-batch descent; parabola fit by per-sample SGD."""

    params = {
        "points": integer(100, lo=10, hi=2000, doc="number of data points"),
        "true_w": number(2.0, doc="slope of the line the data come from"),
        "true_b": number(1.0, doc="intercept of that line"),
        "noise": number(0.3, lo=0.0, doc="standard deviation of the noise"),
        "seed": integer(0, lo=0, doc="seed of the data and of the sample order"),
        "lr": learning_rate(0.3, doc="η of the line fits"),
        "steps": integer(150, lo=10, doc="updates of the line fits"),
        "mini_batch": integer(10, lo=2, doc="samples per mini-batch"),
        "coda_lr": learning_rate(0.1, doc="η of the parabola fit"),
        "coda_start": numbers((1.0, 0.0, -1.0), length=3, doc="starting (w1, w2, w3)"),
        "coda_stop_loss": number(1e-4, positive=True, doc="stop when the full-data MSE is below this"),
        "coda_max_steps": integer(100000, lo=100, doc="cap on the parabola fit's updates"),
        "replay_seconds": number(12.0, positive=True, doc="length of the line-fit replay"),
        "coda_seconds": number(8.0, positive=True, doc="length of the parabola-fit replay"),
    }
    strings_file = "strings/sgd_regression.toml"

    @classmethod
    def check_params(cls) -> None:
        if cls.mini_batch >= cls.points:
            from gdengine.errors import GdengineError

            raise GdengineError(f"{cls.__name__}.mini_batch must be < points ({cls.points}), got {cls.mini_batch}")

    def construct(self):
        land = gd.landscape("linear_regression", n=self.points, w=self.true_w, b=self.true_b,
                            noise=self.noise, seed=self.seed)
        batches = (None, 1, self.mini_batch)
        opt, runs = fit_runs(land, self.lr, self.steps, batches, self.seed)
        layers, clock = self.line_fits(land, opt, runs)
        self.replay_with_captions(land, clock, runs)
        self.facts["line"] = {"runs": runs, "land": land, "end": self.time}
        self.caption("cost", n=land.n_samples, k=self.mini_batch)
        self.mark_poster()
        self.pause(2.5)
        conceal(self, *layers, run_time=self.rt(0.6))
        self.coda()
        self.pause(2.0)

    # --- beats ---------------------------------------------------------------------------
    def line_fits(self, land, opt, runs):
        self.beat("data")
        left, right = content_region().split(1, 2, gap=0.45, weights_x=(1.15, 1.0))
        data_slot, loss_slot = left.split(2, 1, gap=0.3, weights_y=(1.45, 1.0))
        map_slot, legend_slot = right.split(2, 1, gap=0.2, weights_y=(3.2, 1.0))
        clock = StepClock()
        names = [self.t(k) for k in ("batch_name", "sgd_name", "mini_name")]
        panel = RegressionPanel(land, [r.positions[:, 0] for r in runs], METHOD_COLORS, clock,
                                width=data_slot.width - 1.0, height=data_slot.height - 0.8)
        panel.place(data_slot.center - panel.box.frame.get_center() + 0.35 * RIGHT + 0.2 * UP)
        view = RaceView(land, [Runner(n, opt, r, c, "") for n, r, c in zip(names, runs, METHOD_COLORS)],
                        clock, map_slot, window=land.view, tail=16, axis_labels=land.feature_names)
        view.cmap.shift((map_slot.center[0] - view.cmap.box.frame.get_center()[0] + 0.3) * RIGHT)
        loss = self.loss_plot(land, runs, clock, loss_slot)
        legend = self.method_legend(land, names, runs, legend_slot)
        counter = step_counter(clock, self.t("counter"), size=SMALL_SIZE, last=self.steps)
        counter.next_to(loss.box.frame, UP, buff=0.1).align_to(loss.box.frame, RIGHT)
        clock.follow(loss)
        clock.freeze()
        self.facts["layout"] = {"panel": panel, "view": view, "loss": loss, "counter": counter}
        self.caption("intro", n=land.n_samples, w=format_sig(land.data.info["w"]),
                     b=format_sig(land.data.info["b"]), seed=land.data.info["seed"])
        reveal(self, panel.static, run_time=self.rt(0.8))
        self.pause(1.2)
        self.caption("loss")
        layers = [*view.static, loss.static, legend, panel.live, *view.live, loss.live, counter]
        reveal(self, *layers, run_time=self.rt(0.8))
        return [panel.static, *layers], clock

    def loss_plot(self, land, runs, clock: StepClock, slot: Slot) -> LossPlot:
        values = np.stack([padded_values(r, self.steps) for r in runs], axis=1)
        loss = LossPlot(values, clock, METHOD_COLORS, min_value=land.min_value,
                        width=slot.width - 1.3, height=slot.height - 0.95)
        loss.shift((slot.right - loss.get_right()[0]) * RIGHT + (slot.bottom - loss.get_bottom()[1]) * UP)
        return loss

    def method_legend(self, land, names, runs, slot: Slot) -> Legend:
        """Names with gradients per step, read from the runs (batch_size None = every sample)."""
        per_step = [r.meta["batch_size"] or land.n_samples for r in runs]
        legend = Legend([(n, self.t("per_step", k=k), c) for n, k, c in zip(names, per_step, METHOD_COLORS)],
                        size=SMALL_SIZE * 0.95)
        return legend.move_to(slot.center)

    def replay_with_captions(self, land, clock: StepClock, runs) -> None:
        self.beat("replay")
        T = max(r.T for r in runs)
        third = self.rt(self.replay_seconds) / 3
        for key, values, to in (("batch", {"n": land.n_samples}, T / 3),
                                ("sgd", {"n": land.n_samples}, 2 * T / 3),
                                ("mini", {"k": self.mini_batch}, T)):
            self.caption(key, **values)
            play_steps(self, clock, to, third, chunk_seconds=0.8)

    def coda(self) -> None:
        self.beat("coda")
        land = gd.landscape("quadratic_fit")
        opt = gd.optimizer("sgd", lr=self.coda_lr)
        run = gd.descend(land, opt, [self.coda_start], self.coda_max_steps, stop_loss=self.coda_stop_loss,
                         batch_size=1, order="cycle", record=("positions", "values"), cache=True)
        count = int(run.stopped_at[0])
        clock = StepClock()
        left, right = grid(1, 2, gap=0.5, weights_x=(1.2, 1.0))
        panel = RegressionPanel(land, [run.positions[:, 0]], [palette.ORANGE], clock,
                                width=left.width - 1.0, height=left.height - 0.9)
        panel.place(left.center - panel.box.frame.get_center() + 0.25 * RIGHT + 0.2 * UP)
        counter = step_counter(clock, self.t("counter"), size=SMALL_SIZE * 1.05, last=count)
        weights = VGroup(*[Readout(f"w_{i + 1} =", _weight_fn(run, clock, i), digits=3, size=SMALL_SIZE * 1.05)
                           for i in range(3)])
        readouts = VGroup(counter, *weights).arrange(DOWN, buff=0.16, aligned_edge=LEFT)
        readouts.shift((right.left - readouts.get_left()[0]) * RIGHT + (right.top - readouts.get_top()[1]) * UP)
        loss = LossPlot(run.values, clock, [palette.ORANGE], min_value=0.0, width=right.width - 1.3,
                        height=readouts.get_bottom()[1] - right.bottom - 1.45, stop_steps=[count],
                        statuses=[str(run.status[0])], x_label=self.t("updates"), y_label="MSE")
        loss.shift((right.right - loss.get_right()[0]) * RIGHT + (right.bottom - loss.get_bottom()[1]) * UP)
        threshold = DashedLine(loss.box.c2p(np.array([0.0, self.coda_stop_loss])),
                               loss.box.c2p(np.array([count, self.coda_stop_loss])),
                               color=palette.MUTED, stroke_width=2)
        loss.static.add(threshold)
        clock.follow(loss)
        clock.freeze()
        w1, w2, w3 = (format_sig(v) for v in self.coda_start)
        self.caption("coda", w1=w1, w2=w2, w3=w3)
        reveal(self, panel.static, loss.static, panel.live, loss.live, readouts, run_time=self.rt(0.8))
        self.pause(1.0)
        self.caption("coda_how", lr=format_sig(self.coda_lr), tol=format_sig(self.coda_stop_loss))
        self.pause(1.0)
        play_steps(self, clock, count, self.rt(self.coda_seconds), rate_func=_slow_start, chunk_seconds=0.8)
        self.facts["coda"] = {"run": run, "count": count, "counter": counter, "weights": weights,
                              "panel": panel, "end": self.time}
        self.caption("coda_done", tol=format_sig(self.coda_stop_loss), count=count,
                     epochs=format_sig(count / land.n_samples, 3))


def _weight_fn(run, clock: StepClock, i: int):
    last = len(run.positions) - 1
    return lambda: float(run.positions[min(int(math.floor(clock.s + 1e-9)), last), 0, i])


def _slow_start(t: float) -> float:
    """Early steps slowly (the curve moves most there), the long tail briskly."""
    return t ** 2.2


__all__ = ["SgdRegression", "fit_runs"]
