"""Batch, stochastic and mini-batch descent on a line fit, then the tutorial's parabola coda.

Storyboard 9. Left: the data with each run's current line (top) and the full-data loss per
step (bottom); right: the (w, b) paths on the loss contour with its colour bar; bottom row: a
legend with each method's gradients per step (read from the engine's runs: the data size and
batch sizes) and the step counter. Batch, SGD and mini-batch are replayed in turn, each under
its own caption, then compared (per-step cost). Coda: three weights fitted to y = 2x² + 3x + 4,
η = 0.1, one sample at a time in order, until the full-data mean squared error falls below
1e-4 — the engine's ``stop_loss`` reports the count. The clip ends back on the three line
fits with a one-line recap.

Render alone: ``.venv/bin/manim -r 854,480 --fps 15 scenes/sgd_regression.py SgdRegression``.
"""

from __future__ import annotations

import math

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, DashedLine, VGroup

import gdengine as gd
from gdengine.kit import palette
from gdengine.kit.layout import Slot, conceal, content_region, fit_plot, place, reveal
from gdengine.kit.legend import Legend
from gdengine.kit.lossplot import LossPlot, step_counter
from gdengine.kit.params import integer, learning_rate, number, numbers
from gdengine.kit.playback import StepClock, play_steps
from gdengine.kit.race import LEGEND_SIZE, RaceView, Runner, padded_values
from gdengine.kit.regression import RegressionPanel
from gdengine.kit.scene import GdScene
from gdengine.kit.text import READOUT_SIZE, Readout, format_sig

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
        "replay_seconds": number(13.5, positive=True, doc="length of the three line-fit replays together"),
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
        layers, clocks = self.line_fits(land, opt, runs)
        self.replay_each(land, clocks, runs)
        self.facts["line"] = {"runs": runs, "land": land, "end": self.time}
        self.beat("cost", n=land.n_samples)
        self.caption("cost", n=land.n_samples, k=self.mini_batch)
        self.mark_poster()
        self.read(1.0)
        coda = self.coda(layers)
        self.recap(coda, layers)

    # --- beats ---------------------------------------------------------------------------
    def line_fits(self, land, opt, runs):
        """Data and lines (left, top), loss per step (left, bottom), (w, b) paths on the loss
        contour (right), legend with gradients per step and the step counter (bottom row)."""
        names = [self.t(k) for k in ("batch_name", "sgd_name", "mini_name")]
        clocks = [StepClock() for _ in runs]  # each method is replayed in turn
        active = ActiveClock(clocks[0])
        legend = self.method_legend(land, names, runs)
        counter = step_counter(active, self.t("counter"), size=LEGEND_SIZE * 1.1, last=self.steps)
        region = content_region()
        bottom_h = max(legend.height, counter.height)
        top = region.shrink(bottom=bottom_h + 0.25)
        row = Slot(region.x, region.bottom + bottom_h / 2, region.width, bottom_h)
        place(legend, row, LEFT)
        place(counter, row, RIGHT)
        left, right = top.split(1, 2, gap=0.5, weights_x=(1.0, 1.12))
        data_slot, loss_slot = left.split(2, 1, gap=0.3, weights_y=(1.2, 1.0))
        panel = fit_plot(lambda w, h: RegressionPanel(land, [r.positions[:, 0] for r in runs], METHOD_COLORS,
                                                      clocks, width=w, height=h), data_slot)
        for c in panel.curves:
            c.refresh()
        view = RaceView(land, [Runner(n, opt, r, c, "") for n, r, c in zip(names, runs, METHOD_COLORS)],
                        clocks, right, window=land.view, tail=16, axis_labels=land.feature_names,
                        colorbar_title=self.t("mse"))
        loss = self.loss_plot(land, runs, clocks, loss_slot)
        for k, curve in zip(clocks, loss.curves):
            k.follow(curve)
        for k in clocks:
            k.freeze()
        self.facts["layout"] = {"panel": panel, "view": view, "loss": loss, "counter": counter,
                                "legend": legend, "active": active}
        layers = [panel.static, *view.static, loss.static, legend, panel.live, *view.live, loss.live, counter]
        self.beat("data", n=land.n_samples)
        reveal(self, *layers, run_time=self.rt(0.8))
        self.caption("intro", n=land.n_samples, w=format_sig(land.data.info["w"]),
                     b=format_sig(land.data.info["b"]), seed=land.data.info["seed"])
        self.read(0.5)
        self.beat("loss")
        self.caption("loss")
        self.read(0.5)
        return layers, (clocks, active)

    def loss_plot(self, land, runs, clocks, slot: Slot) -> LossPlot:
        values = np.stack([padded_values(r, self.steps) for r in runs], axis=1)
        return fit_plot(lambda w, h: LossPlot(values, clocks, METHOD_COLORS, min_value=land.min_value,
                                              width=w, height=h, y_label=self.t("loss_gap"),
                                              x_label=self.t("counter")),
                        slot)

    def method_legend(self, land, names, runs) -> Legend:
        """Names with gradients per step, read from the runs (batch_size None = every sample),
        in one row."""
        per_step = [r.meta["batch_size"] or land.n_samples for r in runs]
        legend = Legend([(n, self.t("per_step", k=k), c) for n, k, c in zip(names, per_step, METHOD_COLORS)],
                        size=LEGEND_SIZE)
        legend.rows.arrange(RIGHT, buff=0.6)
        return legend.fit_panel()

    def replay_each(self, land, clocks_active, runs) -> None:
        """Batch, then SGD, then mini-batch: each run replayed under its own caption."""
        clocks, active = clocks_active
        for key, values, clock in (("batch", {"n": land.n_samples}, clocks[0]),
                                   ("sgd", {"n": land.n_samples}, clocks[1]),
                                   ("mini", {"k": self.mini_batch}, clocks[2])):
            self.beat(key, **values)
            active.clock = clock
            self.caption(key, **values)
            play_steps(self, clock, max(r.T for r in runs), self.rt(self.replay_seconds / 3),
                       chunk_seconds=0.8)
            self.read(0.6)

    def coda(self, previous) -> dict:
        """y = 2x² + 3x + 4 fitted one sample at a time until the full-data MSE < stop_loss."""
        land = gd.landscape("quadratic_fit")
        opt = gd.optimizer("sgd", lr=self.coda_lr)
        run = gd.descend(land, opt, [self.coda_start], self.coda_max_steps, stop_loss=self.coda_stop_loss,
                         batch_size=1, order="cycle", record=("positions", "values"), cache=True)
        count = int(run.stopped_at[0])
        clock = StepClock()
        left, right = content_region().split(1, 2, gap=0.5, weights_x=(1.15, 1.0))
        # the y range holds the data and the starting model, so the curve is seen rising to the data
        x = np.asarray(land.data.x, dtype=float)
        start_y = np.asarray(land.predict(np.asarray(self.coda_start, dtype=float)[None, :], x))[0]
        ys = np.concatenate([np.asarray(land.data.y, dtype=float), start_y])
        pad = 0.06 * (ys.max() - ys.min())
        panel = fit_plot(lambda w, h: RegressionPanel(land, [run.positions[:, 0]], [palette.ORANGE], clock,
                                                      width=w, height=h, y_range=(ys.min() - pad, ys.max() + pad),
                                                      dots_on_top=True, n_ticks=4), left)
        for c in panel.curves:
            c.refresh()
        counter = step_counter(clock, self.t("update"), size=READOUT_SIZE * 0.9, last=count)
        weights = VGroup(*[Readout(f"w_{i + 1} =", _weight_fn(run, clock, i), digits=3, size=READOUT_SIZE * 0.9)
                           for i in range(3)])
        readouts = VGroup(counter, *weights).arrange(DOWN, buff=0.16, aligned_edge=LEFT)
        place(readouts, right, LEFT + UP)
        loss_slot = right.shrink(top=right.top - readouts.get_bottom()[1] + 0.3)
        loss = fit_plot(lambda w, h: LossPlot(run.values, clock, [palette.ORANGE], min_value=0.0, width=w, height=h,
                                              stop_steps=[count], statuses=[str(run.status[0])],
                                              x_label=self.t("updates"), y_label=self.t("mse")),
                        loss_slot)
        threshold = DashedLine(loss.box.c2p(np.array([0.0, self.coda_stop_loss])),
                               loss.box.c2p(np.array([count, self.coda_stop_loss])),
                               color=palette.MUTED, stroke_width=2)
        loss.static.add(threshold)
        clock.follow(loss)
        clock.freeze()
        layers = [panel.static, loss.static, panel.live, loss.live, readouts]
        self.beat("coda")
        conceal(self, *previous, run_time=self.rt(0.6))
        reveal(self, *layers, run_time=self.rt(0.8))
        w1, w2, w3 = (format_sig(v) for v in self.coda_start)
        self.caption("coda", w1=w1, w2=w2, w3=w3)
        self.read(0.5)
        self.beat("coda_run", tol=format_sig(self.coda_stop_loss))
        self.caption("coda_how", lr=format_sig(self.coda_lr), tol=format_sig(self.coda_stop_loss))
        play_steps(self, clock, count, self.rt(self.coda_seconds), rate_func=_slow_start, chunk_seconds=0.8)
        self.read()
        self.beat("coda_done", count=count, epochs=format_sig(count / land.n_samples, 2))
        self.facts["coda"] = {"run": run, "count": count, "counter": counter, "weights": weights,
                              "panel": panel, "end": self.time}
        self.caption("coda_done", tol=format_sig(self.coda_stop_loss), count=count,
                     epochs=format_sig(count / land.n_samples, 3))
        self.read(1.0)
        return {"layers": layers}

    def recap(self, coda: dict, line_layers) -> None:
        """Back to the three finished line fits for the one-line recap."""
        self.beat("recap")
        conceal(self, *coda["layers"], run_time=self.rt(0.6))
        reveal(self, *line_layers, run_time=self.rt(0.6))
        self.caption("recap")
        self.read(1.5)


class ActiveClock:
    """The clock of the run being replayed, for a step counter shared by runs replayed in turn."""

    def __init__(self, clock: StepClock):
        self.clock = clock

    @property
    def s(self) -> float:
        return self.clock.s


def _weight_fn(run, clock: StepClock, i: int):
    last = len(run.positions) - 1
    return lambda: float(run.positions[min(int(math.floor(clock.s + 1e-9)), last), 0, i])


def _slow_start(t: float) -> float:
    """Early steps slowly (the curve moves most there), the long tail briskly."""
    return t ** 2.2


__all__ = ["SgdRegression", "fit_runs"]
