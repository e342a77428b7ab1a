"""A real network's training, seen three ways (storyboard 12, the 2-D clip).

The task: 200 points of two interleaved half-moons and a 2 → 16 → 16 → 1 tanh network (337
weights), whose shared random start draws one decision boundary. Plain gradient descent,
momentum and Adam train it from that start for the same number of steps, each at the rate the
engine's sweep picked: three boundaries changing side by side over the loss curves. Then one
plane through weight space with the three paths projected on its loss contours — and how far
each path leaves the plane, because a projection is not the path. Then "flat or sharp": the
loss along one filter-normalised random direction around each end point, on one scale.

Every number comes from ``scenes/network_study.py`` (the engine, cached).
Render alone: ``.venv/bin/manim -r 854,480 --fps 15 scenes/training_view.py TrainingView``.
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, VGroup, VMobject

import network_study
from gdengine.kit import palette
from gdengine.kit.classifier import ClassifierPanel
from gdengine.kit.layout import Slot, conceal, content_region, fit_plot, place, reveal
from gdengine.kit.legend import display_name
from gdengine.kit.lossplot import LossPlot, step_counter
from gdengine.kit.params import Param, choice, integer, number
from gdengine.kit.plane import CoordinateBox
from gdengine.kit.playback import StepClock, play_steps
from gdengine.kit.race import RaceView, Runner, padded_values
from gdengine.kit.scene import GdScene
from gdengine.kit.text import SMALL_SIZE, TEXT_SIZE, format_sig, label
from gdengine.lint.roles import DATA, mark
from network_study import DATA_SETS, PLANES


def _hidden(value, where: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(v) for v in value)
    except (TypeError, ValueError):
        sizes = ()
    if not 1 <= len(sizes) <= 4 or any(not 1 <= s <= 64 for s in sizes) or list(sizes) != list(value):
        from gdengine.errors import GdengineError

        raise GdengineError(f"{where} must be 1 to 4 layer widths of 1..64, e.g. [16, 16]; got {value!r}")
    return sizes


class TrainingView(GdScene):
    """Three optimizers training one small network: boundaries, losses, a plane, flat or sharp."""

    params = {
        "data": choice("moons", DATA_SETS, doc="the classification set: moons, spirals or xor"),
        "hidden": Param((16, 16), _hidden, "hidden layer widths"),
        "seed": integer(0, lo=0, doc="seed of the data and the shared initial weights"),
        "steps": integer(300, lo=10, hi=5000, doc="training steps of every optimizer"),
        "plane": choice("pca", PLANES, doc="pca: top-2 directions of all runs; ends: through the start and two ends"),
        "train_seconds": number(9.0, positive=True, doc="length of the training replay"),
        "plane_seconds": number(7.0, positive=True, doc="length of the replay on the plane"),
    }
    strings_file = "strings/training_view.toml"

    def construct(self):
        s = network_study.study(self.data, tuple(self.hidden), "tanh", self.seed, self.steps, self.plane)
        self.names = [display_name(n, self.language) for n in s.names]
        self.colors = [palette.optimizer_color(n) for n in s.names]
        shown = self.task(s)
        shown = self.train(s, shown)
        shown = self.on_plane(s, shown)
        self.flat_or_sharp(s, shown)

    # --- beats ---------------------------------------------------------------------------
    def task(self, s) -> list:
        """The data and the boundary of the shared random start; the network in words."""
        left, right = content_region().split(1, 2, gap=0.5, weights_x=(1.0, 1.05))
        panel = fit_plot(lambda w, h: ClassifierPanel(s.land, [s.w0[None, :]], [palette.MUTED], StepClock(),
                                                      width=min(w, h), height=min(w, h)), left)
        widths = " → ".join(str(n) for n in s.land.sizes)
        facts = VGroup(*[label(t, TEXT_SIZE * 0.75, palette.FOREGROUND) for t in (
            self.t("net", widths=widths), self.t("weights", d=s.land.dim), self.t("points", n=s.land.n_samples))])
        facts.arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        key = VGroup(label(self.t("key_ones"), SMALL_SIZE, palette.FOREGROUND),
                     label(self.t("key_zeros"), SMALL_SIZE, palette.MUTED),
                     label(self.t("key_boundary"), SMALL_SIZE, palette.MUTED)).arrange(DOWN, aligned_edge=LEFT, buff=0.18)
        column = VGroup(facts, key).arrange(DOWN, aligned_edge=LEFT, buff=0.6)
        place(column, right, LEFT)
        layers = [panel.static, panel.live, column]
        self.beat("task", n=s.land.n_samples, d=s.land.dim, data=self.t(f"data_{self.data}"))
        reveal(self, *layers, run_time=self.rt(0.8))
        self.caption("task", n=s.land.n_samples, d=s.land.dim)
        self.read(0.8)
        self.beat("start", acc=format_sig(100 * float(s.land.accuracy(s.w0[None])[0]), 2))
        self.caption("start", acc=format_sig(100 * float(s.land.accuracy(s.w0[None])[0]), 2))
        self.read(0.8)
        self.facts["task"] = {"panel": panel}
        return layers

    def train(self, s, shown) -> list:
        """One panel per optimizer (its boundary over the steps) above the three loss curves."""
        clock = StepClock()
        region = content_region()
        counter = step_counter(clock, self.t("counter"), size=SMALL_SIZE * 1.1, last=s.steps)
        place(counter, Slot(region.x, region.top - counter.height / 2, region.width, counter.height), RIGHT)
        region = region.shrink(top=counter.height + 0.1)
        top, bottom = region.split(2, 1, gap=0.3, weights_y=(1.45, 1.0))
        panels, titles = [], []
        for slot, run, name, color, lr in zip(top.split(1, 3, gap=0.35), s.runs, self.names, self.colors, s.lrs):
            title = VGroup(label(name, SMALL_SIZE, color), label(self.t("panel", lr=format_sig(lr, 2)), SMALL_SIZE * 0.9,
                                                              palette.MUTED)).arrange(DOWN, buff=0.06)
            place(title, Slot(slot.x, slot.top - title.height / 2, slot.width, title.height), UP)
            body = slot.shrink(top=title.height + 0.12)
            panels.append(fit_plot(lambda w, h, r=run, c=color: ClassifierPanel(
                s.land, [r.positions[:, 0]], [c], clock, width=min(w, h), height=min(w, h), n_ticks=2,
                dot_radius=0.03, labels=(None, None)), body))
            titles.append(title)
        values = np.stack([padded_values(r, s.steps) for r in s.runs], axis=1)
        loss = fit_plot(lambda w, h: LossPlot(values, clock, self.colors, min_value=0.0, width=w, height=h,
                                              x_label=self.t("counter"), y_label=self.t("loss")), bottom)
        clock.follow(loss)  # the boundaries follow the clock through their updaters
        clock.freeze()
        layers = [*[p.static for p in panels], loss.static, *titles, *[p.live for p in panels], loss.live, counter]
        self.beat("train", steps=s.steps)
        conceal(self, *shown, run_time=self.rt(0.6))
        reveal(self, *layers, run_time=self.rt(0.8))
        self.caption("train", steps=s.steps)
        play_steps(self, clock, s.steps, self.rt(self.train_seconds), chunk_seconds=0.8)
        self.read(0.4)
        finals = [float(r.values[-1, 0]) for r in s.runs]
        best = int(np.argmin(finals))
        accs = [float(a) for a in s.land.accuracy(np.stack([r.positions[-1, 0] for r in s.runs]))]
        key = "trained_all" if min(accs) == 1.0 else "trained"
        words = {"name": self.names[best], "loss": format_sig(finals[best], 2), "acc": format_sig(100 * min(accs), 2)}
        self.beat("trained", say=key, **words)
        self.caption(key, **words)
        self.mark_poster()
        self.read(1.0)
        self.facts["train"] = {"panels": panels, "loss": loss, "finals": finals, "accs": accs}
        return layers

    def on_plane(self, s, shown) -> list:
        """The plane's loss contours, the projected paths and how far each leaves the plane."""
        clock = StepClock()
        far = [s.max_distance(i) for i in range(len(s.runs))]
        runners = [Runner(name, None, seen, color=color, key=key, params=self.t("off_plane", d=format_sig(d, 2)))
                   for name, seen, color, key, d in zip(self.names, s.seen, self.colors, s.names, far)]
        heading = label(self.t("off_plane_head"), SMALL_SIZE, palette.MUTED)
        # the map gets the larger share: its colour bar's labels (10⁻⁵ …) take room from it
        map_slot, side_slot = content_region().split(1, 2, gap=0.45, weights_x=(1.35, 1.0))
        view = RaceView(s.plane_land, runners, clock, map_slot, side_slot, window=s.window, extra=heading,
                        title=self.t("plane_title"), counter_label=self.t("counter"), loss_labels=(self.t("counter"), self.t("loss")),
                        axis_labels=("α", "β"))
        clock.freeze()
        self.beat("plane", kind=self.plane)
        conceal(self, *shown, run_time=self.rt(0.6))
        reveal(self, *view.layers, run_time=self.rt(0.8))
        self.caption(f"plane_{self.plane}")
        play_steps(self, clock, view.T, self.rt(self.plane_seconds), chunk_seconds=0.8)
        self.read(0.4)
        worst = int(np.argmax(far))
        self.beat("distance", name=self.names[worst], d=format_sig(far[worst], 2),
                  gone=format_sig(float(np.linalg.norm(s.runs[worst].positions[-1, 0] - s.w0)), 2))
        self.caption("distance", name=self.names[worst], d=format_sig(far[worst], 2),
                     gone=format_sig(float(np.linalg.norm(s.runs[worst].positions[-1, 0] - s.w0)), 2))
        self.read(1.0)
        self.facts["plane"] = {"view": view, "far": far}
        return view.layers

    def flat_or_sharp(self, s, shown) -> None:
        """The loss along one filter-normalised direction around each end point, one scale."""
        region = content_region()
        t = s.slices[0][0]
        losses = np.stack([loss for _, loss in s.slices])
        lo, hi = float(max(losses.min(), 1e-12)), float(losses.max())
        box = fit_plot(lambda w, h: CoordinateBox((float(t[0]), float(t[-1])), (lo, hi * 1.5), width=w, height=h,
                                                  x_label=self.t("along"), y_label=self.t("loss"), y_scale="log",
                                                  y_label_on_top=True),
                       region.shrink(right=region.width * 0.42))
        curves = VGroup()
        for (tt, loss), color in zip(s.slices, self.colors):
            pts = box.c2p(np.column_stack([tt, np.clip(loss, lo, hi * 1.5)]))
            curve = VMobject(stroke_color=color, stroke_width=4).set_points_smoothly(pts)
            curve.lint_label = "loss slice"
            mark(curve, DATA)
            curves.add(curve)
        centre, edge = [float(loss[len(loss) // 2]) for _, loss in s.slices], [float(loss[[0, -1]].mean()) for _, loss in s.slices]
        sharp = [float(np.log10(e / max(c, 1e-300))) for c, e in zip(centre, edge)]  # decades the loss rises
        rows = VGroup(*[VGroup(label(n, SMALL_SIZE, col), label(self.t("rise", lo=format_sig(c, 2), hi=format_sig(e, 2)),
                                                                SMALL_SIZE * 0.9, palette.MUTED)).arrange(DOWN, aligned_edge=LEFT, buff=0.08)
                        for n, c, e, col in zip(self.names, centre, edge, self.colors)]).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        side = Slot(box.get_right()[0] + 0.4 + (region.right - box.get_right()[0] - 0.4) / 2, region.y,
                    region.right - box.get_right()[0] - 0.4, region.height)
        place(rows, side, LEFT)
        layers = [box, curves, rows]
        self.beat("sharp")
        conceal(self, *shown, run_time=self.rt(0.6))
        reveal(self, *layers, run_time=self.rt(0.8))
        self.caption("sharp")
        self.read(0.8)
        flattest = int(np.argmin(sharp))
        self.beat("flattest", name=self.names[flattest])
        self.caption("flattest", name=self.names[flattest])
        self.read(0.8)
        self.beat("recap", d=s.land.dim)
        self.caption("recap", d=s.land.dim)
        self.read(1.5)
        self.facts["sharp"] = {"box": box, "curves": curves, "rise": sharp}
