"""Momentum versus vanilla descent: the zig-zag, β = 0 and β → 1, a shallow trap, the memory.

Storyboard 6. Beats: a narrow valley (``ravine``) where gradient descent zig-zags and momentum
runs along the floor, with torch's rule v ← βv + g, x ← x − ηv; β = 0 reproducing gradient
descent (the engine's two runs compared, iterate by iterate); β close to 1 swinging without
settling; momentum rolling through a shallow local minimum that traps gradient descent; the
exponential memory of v, with the weights measured from the engine's momentum buffer under a
constant gradient; a one-line recap.

Catalog clip ``momentum_vs_vanilla``; render alone:
``.venv/bin/manim -r 854,480 --fps 15 scenes/momentum_vs_vanilla.py MomentumVsVanilla``.
"""

from __future__ import annotations

import math

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Circle, Create, DashedLine, FadeIn, GrowFromEdge, Rectangle, VGroup

import gdengine as gd
from gdengine import look
from gdengine.kit import palette
from gdengine.kit.layout import conceal, content_region, reveal
from gdengine.kit.mapboard import MapBoard
from gdengine.kit.params import integer, landscape, number, numbers
from gdengine.kit.plane import CoordinateBox
from gdengine.kit.playback import StepClock, play_steps
from gdengine.kit.race import Runner
from gdengine.kit.scene import GdScene
from gdengine.kit.text import SMALL_SIZE, format_sig, label, math as typst
from gdengine.lint.roles import DATA, mark

RULE = ("v_(t+1) = beta v_t + nabla f(x_t)", "x_(t+1) = x_t - eta v_(t+1)")
RING_SPACING = 0.16  # scene units between drawn β = 0 rings (closer iterates share a ring)


def descend(land, name: str, starts, steps: int, tol: float | None, **hyper):
    return gd.descend(land, gd.optimizer(name, **hyper), starts, steps, tol=tol, cache=True)


def constant_slope():
    """f(x) = x on a huge interval: the gradient is exactly 1 at every step."""
    return gd.Landscape("constant_slope", f=lambda X: X[:, 0].copy(),
                        grad=lambda X: np.ones_like(X), bounds=((-1e9, 1e9),),
                        formula="f(x) = x", formula_text="f(x) = x")


def memory_weights(beta: float, count: int) -> np.ndarray:
    """Weight of the gradient k steps back in torch's buffer (k = 0..count-1), read off the
    engine: with every gradient equal to 1, buffer_(k+1) − buffer_k = β^k."""
    traj = descend(constant_slope(), "sgd", [[0.0]], count, None, lr=1e-6, momentum=beta)
    buf = traj.state["momentum_buffer"][:, 0, 0]
    return np.diff(buf)[:count]


def rule_panel() -> VGroup:
    return VGroup(*[typst(src, SMALL_SIZE * 0.9) for src in RULE]).arrange(DOWN, buff=0.15, aligned_edge=LEFT)


def spaced(points: np.ndarray, spacing: float) -> list[int]:
    """Indices of ``points`` kept so that no two kept points are closer than ``spacing``."""
    kept: list[int] = []
    for i, p in enumerate(points):
        if all(np.linalg.norm(p - points[j]) >= spacing for j in kept):
            kept.append(i)
    return kept


class MomentumVsVanilla(GdScene):
    """Vanilla against heavy-ball momentum (torch.optim.SGD) in a valley, a bowl and a trap."""

    params = {
        "valley": landscape("ravine", dim=2, doc="the narrow valley"),
        "kappa": number(20.0, lo=2.0, doc="valley condition number (ravine only)"),
        "lr": number(0.095, positive=True, doc="η of both runs in the valley"),
        "beta": number(0.6, lo=0.0, hi=0.999, doc="β of momentum in the valley"),
        "tol": number(1e-3, positive=True, doc="stop rule: gradient norm below tol"),
        "valley_steps": integer(300, lo=10, doc="step budget in the valley"),
        "swing_beta": number(0.99, lo=0.9, hi=0.9999, doc="β close to 1"),
        "swing_lr": number(0.02, positive=True, doc="η of the swinging run"),
        "swing_steps": integer(400, lo=10, doc="updates of the swinging run"),
        "trap": landscape("shallow_local", dim=2, doc="landscape with a shallow local minimum"),
        "trap_start": numbers((1.9, 1.2), length=2, doc="start on the trap landscape"),
        "trap_lr": number(0.05, positive=True, doc="η of both runs on the trap"),
        "trap_beta": number(0.9, lo=0.0, hi=0.999, doc="β of momentum on the trap"),
        "memory_beta": number(0.9, lo=0.5, hi=0.99, doc="β of the memory chart"),
        "replay_seconds": number(5.0, positive=True, doc="length of each replay"),
    }
    strings_file = "strings/momentum_vs_vanilla.toml"

    def construct(self):
        valley = self.landscape_of(self.valley, kappa=self.kappa) if self.valley == "ravine" else self.landscape_of(self.valley)
        board = self.valley_race(valley)
        self.beta_zero(valley, board)
        self.swing(valley)
        self.escape_trap()
        self.memory()
        self.recap()

    # --- helpers -----------------------------------------------------------------------------
    def runner(self, name: str, traj, **hyper) -> Runner:
        opt = gd.optimizer(name, **hyper)
        return Runner(look.optimizer_name(opt.name, self.language), opt, traj)

    def board(self, land, runners, clock, **kwargs) -> MapBoard:
        return MapBoard(land, runners, clock, counter_label=self.t("counter"),
                        colorbar_title=self.t("bar"), **kwargs)

    # --- beats ---------------------------------------------------------------------------
    def valley_race(self, land) -> MapBoard:
        start = [land.start]
        vanilla = descend(land, "sgd", start, self.valley_steps, self.tol, lr=self.lr)
        heavy = descend(land, "momentum", start, self.valley_steps, self.tol, lr=self.lr, momentum=self.beta)
        self.beat("valley", kappa=format_sig(land.params.get("kappa", self.kappa), 2))
        clock = StepClock()
        board = self.board(land, [self.runner("sgd", vanilla, lr=self.lr),
                                  self.runner("momentum", heavy, lr=self.lr, momentum=self.beta)],
                           clock, layout="wide", extra=rule_panel())
        clock.freeze()
        reveal(self, *board.layers, run_time=self.rt(0.6))
        self.caption("valley", kappa=format_sig(land.params.get("kappa", self.kappa)))
        self.read()
        self.caption("rule")  # the balls set off while the rule is on screen
        split = min(int(heavy.stopped_at[0]) // 2, board.T)
        play_steps(self, clock, split, self.rt(self.replay_seconds * 0.45), chunk_seconds=0.8)
        self.read()
        self.beat("race")
        self.caption("race")
        play_steps(self, clock, board.T, self.rt(self.replay_seconds * 0.7), chunk_seconds=0.8)
        self.read()
        self.facts["valley"] = {"board": board, "runs": (vanilla, heavy), "end": self.time}
        counts = {"n_vanilla": int(vanilla.stopped_at[0]), "n_momentum": int(heavy.stopped_at[0])}
        self.beat("counts", **counts)
        self.caption("counts", **counts)
        self.mark_poster()
        self.read(extra=0.6)
        return board

    def beta_zero(self, land, board: MapBoard) -> None:
        """Momentum with β = 0, run by the engine, drawn as rings on gradient descent's path."""
        vanilla = self.facts["valley"]["runs"][0]
        zero = descend(land, "momentum", [land.start], self.valley_steps, self.tol, lr=self.lr, momentum=0.0)
        n = min(len(zero.positions), len(vanilla.positions))
        diff = float(np.max(np.abs(zero.positions[:n] - vanilla.positions[:n])))
        same_length = len(zero.positions) == len(vanilla.positions)
        self.beat("beta_zero", say="beta_zero_same" if diff == 0.0 and same_length else "beta_zero_diff",
                  diff=format_sig(diff, 2))  # fmt: skip
        self.facts["beta_zero"] = {"run": zero, "diff": diff, "same_length": same_length}
        pts = board.cmap.c2p(zero.positions[:, 0])
        rings = VGroup(*[_ring(pts[i], palette.FOREGROUND) for i in spaced(pts, RING_SPACING)])
        if diff == 0.0 and same_length:
            self.caption("beta_zero_same")
        else:
            self.caption("beta_zero_diff", diff=format_sig(diff))
        self.play(FadeIn(rings, lag_ratio=0.05), run_time=self.rt(1.5))
        self.read(extra=0.5)
        self.clear_caption()
        conceal(self, *board.layers, rings, run_time=self.rt(0.5))

    def swing(self, land) -> None:
        self.beat("beta_one", beta=format_sig(self.swing_beta))
        run = descend(land, "momentum", [land.start], self.swing_steps, None, lr=self.swing_lr, momentum=self.swing_beta)
        clock = StepClock()
        board = self.board(land, [self.runner("momentum", run, lr=self.swing_lr, momentum=self.swing_beta)],
                           clock, layout="wide", extra=rule_panel(), tail=60)
        clock.freeze()
        reveal(self, *board.layers, run_time=self.rt(0.6))
        self.caption("beta_one", beta=format_sig(self.swing_beta))
        play_steps(self, clock, board.T, self.rt(self.replay_seconds), chunk_seconds=0.8)
        self.read()
        dist = float(np.linalg.norm(run.final[0] - land.minima[0]))
        self.facts["swing"] = {"board": board, "run": run, "dist": dist, "end": self.time}
        self.beat("swing_after", steps=run.T, dist=format_sig(dist, 2))
        self.caption("beta_one_after", steps=run.T, dist=format_sig(dist))
        self.read(extra=0.6)
        self.clear_caption()
        conceal(self, *board.layers, run_time=self.rt(0.5))

    def escape_trap(self) -> None:
        self.beat("local")
        land = self.landscape_of(self.trap)
        start = [self.trap_start]
        vanilla = descend(land, "sgd", start, 1000, self.tol, lr=self.trap_lr)
        heavy = descend(land, "momentum", start, 1000, self.tol, lr=self.trap_lr, momentum=self.trap_beta)
        clock = StepClock()
        board = self.board(land, [self.runner("sgd", vanilla, lr=self.trap_lr),
                                  self.runner("momentum", heavy, lr=self.trap_lr, momentum=self.trap_beta)],
                           clock, layout="side", extra=typst(land.formula, SMALL_SIZE * 0.8, palette.MUTED),
                           loss=True, loss_labels=(self.t("counter"), self.t("loss_gap")))
        clock.freeze()
        reveal(self, *board.layers, run_time=self.rt(0.6))
        self.caption("local", x=format_sig(self.trap_start[0]), y=format_sig(self.trap_start[1]))
        play_steps(self, clock, board.T, self.rt(self.replay_seconds), chunk_seconds=0.8)
        self.read()
        self.facts["trap"] = {"board": board, "runs": (vanilla, heavy), "end": self.time}
        escaped = float(land.f(heavy.final)[0]) < float(land.f(vanilla.final)[0]) - 1e-6
        self.beat("local_result", say="local_escaped" if escaped else "local_same")
        self.caption("local_result", x_vanilla=format_sig(vanilla.final[0, 0]),
                     x_momentum=format_sig(heavy.final[0, 0]))
        self.read(extra=0.6)
        self.clear_caption()
        conceal(self, *board.layers, run_time=self.rt(0.5))

    def memory(self) -> None:
        self.beat("ema")
        beta = self.memory_beta
        memory = round(1 / (1 - beta))
        count = 3 * memory + 1
        weights = memory_weights(beta, count)
        self.facts["memory"] = {"weights": weights, "memory": memory}
        region = content_region()
        chart = CoordinateBox((-0.5, count - 0.5), (0, 1.05), width=region.width - 1.2, height=region.height - 1.5,
                              x_ticks=range(0, count, max(1, memory // 2)), y_ticks=(0, 0.5, 1),
                              x_label=self.t("steps_back"), y_label=self.t("weight"), y_label_on_top=True)
        chart.shift(region.center - chart.get_center())
        bars = VGroup()
        for k, w in enumerate(weights):
            lo, hi = chart.c2p(np.array([k - 0.35, 0.0])), chart.c2p(np.array([k + 0.35, w]))
            bar = Rectangle(width=hi[0] - lo[0], height=max(hi[1] - lo[1], 1e-3), stroke_width=0,
                            fill_color=palette.HIGHLIGHT if k == memory else palette.optimizer_color("momentum"),
                            fill_opacity=0.9)
            bar.lint_label = "bar"
            bars.add(mark(bar.move_to((lo + hi) / 2), DATA))
        inv_e = math.exp(-1)
        guide = DashedLine(chart.c2p(np.array([-0.5, inv_e])), chart.c2p(np.array([count - 0.5, inv_e])),
                           color=palette.MUTED, stroke_width=2)
        power = str(memory).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
        tag = label(f"β{power} = {format_sig(beta)}{power} = {format_sig(weights[memory])}", SMALL_SIZE,
                    palette.HIGHLIGHT)
        tag.next_to(chart.c2p(np.array([memory, inv_e])), UP, buff=0.25).align_to(bars[memory], LEFT)
        e_tag = label(f"1/e = {format_sig(inv_e)}", SMALL_SIZE * 0.9, palette.MUTED)
        e_tag.next_to(guide, UP, buff=0.1).align_to(guide, RIGHT)
        self.play(Create(chart), run_time=self.rt(0.6))
        self.caption("ema")
        self.play(*[GrowFromEdge(b, DOWN) for b in bars], run_time=self.rt(1.2))
        self.read()
        self.beat("ema_result", memory=memory)
        self.caption("ema_result", w10=format_sig(weights[memory]), inv_e=format_sig(inv_e), memory=memory)
        self.play(Create(guide), FadeIn(e_tag), FadeIn(tag), run_time=self.rt(0.8))
        self.read(extra=0.6)
        self.memory_chart = [chart, *bars, guide, tag, e_tag]  # what the scene holds (each bar grew alone)

    def recap(self) -> None:
        """The valley race again, finished, under the one-line recap."""
        self.beat("recap")
        self.clear_caption()
        conceal(self, *self.memory_chart, run_time=self.rt(0.5))
        reveal(self, *self.facts["valley"]["board"].layers, run_time=self.rt(0.6))
        self.caption("recap")
        self.read(extra=1.0)


def _ring(point, color):
    ring = Circle(radius=0.07, stroke_color=color, stroke_width=2.5).move_to(point)
    ring.lint_label = "β = 0 iterate"
    return mark(ring, DATA)


__all__ = ["MomentumVsVanilla", "memory_weights", "spaced"]
