"""Momentum versus vanilla descent: the zig-zag, β = 0 and β → 1, a shallow trap, the memory.

Storyboard 6. Beats: a narrow valley (``ravine``) where vanilla descent zig-zags and momentum
runs along the floor, with torch's rule v ← βv + g, x ← x − ηv; β = 0 reproducing vanilla
(the engine's two runs compared); β close to 1 swinging without settling; momentum rolling
through a shallow local minimum that traps vanilla; and the exponential memory of v, with
the weights measured from the engine's momentum buffer under a constant gradient.

Catalog clip ``momentum_vs_vanilla``; render alone:
``.venv/bin/manim -r 854,480 --fps 15 scenes/momentum_vs_vanilla.py MomentumVsVanilla``.
"""

from __future__ import annotations

import math

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, UR, Circle, Create, DashedLine, FadeIn, GrowFromEdge, Rectangle, VGroup

import gdengine as gd
from gdengine.kit import palette
from gdengine.kit.layout import conceal, content_region, reveal, side_by_side
from gdengine.kit.params import integer, landscape, learning_rate, number, numbers
from gdengine.kit.plane import CoordinateBox
from gdengine.kit.playback import StepClock, play_steps
from gdengine.kit.race import RaceView, Runner
from gdengine.kit.scene import GdScene
from gdengine.kit.text import SMALL_SIZE, format_sig, label, math as typst

RULE = ("v_(t+1) = beta v_t + nabla f(x_t)", "x_(t+1) = x_t - eta v_(t+1)")
MAP_WEIGHTS = (1.0, 1.05)
WIDE_MAP_WEIGHTS = (1.35, 1.0)  # the ravine is 2.5× wider than tall: give its map the width
VANILLA_COLOR = palette.OPTIMIZER_COLORS["sgd"]
MOMENTUM_COLOR = palette.OPTIMIZER_COLORS["momentum"]


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
    lines = VGroup(*[typst(src, SMALL_SIZE) for src in RULE]).arrange(DOWN, buff=0.15, aligned_edge=LEFT)
    return lines


class MomentumVsVanilla(GdScene):
    """Vanilla against heavy-ball momentum (torch.optim.SGD) in a valley, a bowl and a trap."""

    params = {
        "valley": landscape("ravine", dim=2, doc="the narrow valley"),
        "kappa": number(20.0, lo=2.0, doc="valley condition number (ravine only)"),
        "lr": learning_rate(0.095, doc="η of both runs in the valley"),
        "beta": number(0.6, lo=0.0, hi=0.999, doc="β of momentum in the valley"),
        "tol": number(1e-3, positive=True, doc="stop rule: gradient norm below tol"),
        "valley_steps": integer(300, lo=10, doc="step budget in the valley"),
        "swing_beta": number(0.99, lo=0.9, hi=0.9999, doc="β close to 1"),
        "swing_lr": learning_rate(0.02, doc="η of the swinging run"),
        "swing_steps": integer(400, lo=10, doc="updates of the swinging run"),
        "trap": landscape("shallow_local", dim=2, doc="landscape with a shallow local minimum"),
        "trap_start": numbers((1.9, 1.2), length=2, doc="start on the trap landscape"),
        "trap_lr": learning_rate(0.05, doc="η of both runs on the trap"),
        "trap_beta": number(0.9, lo=0.0, hi=0.999, doc="β of momentum on the trap"),
        "memory_beta": number(0.9, lo=0.5, hi=0.99, doc="β of the memory chart"),
        "replay_seconds": number(6.0, positive=True, doc="length of each replay"),
    }
    strings_file = "strings/momentum_vs_vanilla.toml"

    def construct(self):
        valley = gd.landscape(self.valley, kappa=self.kappa) if self.valley == "ravine" else gd.landscape(self.valley)
        vanilla, view = self.valley_race(valley)
        self.beta_zero(valley, vanilla, view)
        conceal(self, *view.layers, run_time=self.rt(0.6))
        self.swing(valley)
        self.escape_trap()
        self.memory()
        self.pause(1.5)

    # --- beats ---------------------------------------------------------------------------
    def valley_race(self, land):
        self.beat("valley")
        start = [land.start]
        vanilla = descend(land, "sgd", start, self.valley_steps, self.tol, lr=self.lr)
        heavy = descend(land, "momentum", start, self.valley_steps, self.tol, lr=self.lr, momentum=self.beta)
        clock = StepClock()
        view = RaceView(land, [Runner("vanilla GD", gd.optimizer("sgd", lr=self.lr), vanilla),
                               Runner("momentum", gd.optimizer("momentum", lr=self.lr, momentum=self.beta), heavy)],
                        clock, *side_by_side(2, weights=WIDE_MAP_WEIGHTS), extra=rule_panel(),
                        counter_label=self.t("counter"))
        clock.freeze()
        self.caption("valley", kappa=format_sig(land.params.get("kappa", self.kappa)))
        reveal(self, *view.layers, run_time=self.rt(0.8))
        self.caption("rule")
        self.pause(1.5)
        self.caption("race")
        play_steps(self, clock, view.T, self.rt(self.replay_seconds), chunk_seconds=0.8)
        self.facts["valley"] = {"view": view, "runs": (vanilla, heavy), "end": self.time}
        self.caption("counts", n_vanilla=int(vanilla.stopped_at[0]), n_momentum=int(heavy.stopped_at[0]))
        self.mark_poster()
        self.pause(1.5)
        return vanilla, view

    def beta_zero(self, land, vanilla, view: RaceView) -> None:
        """Momentum with β = 0, run by the engine, drawn over vanilla's path."""
        self.beat("beta_zero")
        zero = descend(land, "momentum", [land.start], self.valley_steps, self.tol, lr=self.lr, momentum=0.0)
        n = min(len(zero.positions), len(vanilla.positions))
        diff = float(np.max(np.abs(zero.positions[:n] - vanilla.positions[:n])))
        self.facts["beta_zero"] = {"run": zero, "diff": diff}
        pts = view.cmap.c2p(zero.positions[:, 0])
        dots = VGroup(*[_ring(p, palette.FOREGROUND) for p in pts[: min(len(pts), 40)]])
        self.caption("beta_zero", diff=format_sig(diff))
        self.play(FadeIn(dots, lag_ratio=0.05), run_time=self.rt(1.5))
        self.pause(2.0)
        self.remove(dots)

    def swing(self, land) -> None:
        self.beat("beta_one")
        run = descend(land, "momentum", [land.start], self.swing_steps, None, lr=self.swing_lr, momentum=self.swing_beta)
        clock = StepClock()
        opt = gd.optimizer("momentum", lr=self.swing_lr, momentum=self.swing_beta)
        view = RaceView(land, [Runner("momentum", opt, run)], clock, *side_by_side(2, weights=WIDE_MAP_WEIGHTS),
                        extra=rule_panel(), counter_label=self.t("counter"), tail=60)
        clock.freeze()
        self.caption("beta_one", beta=format_sig(self.swing_beta))
        reveal(self, *view.layers, run_time=self.rt(0.8))
        play_steps(self, clock, view.T, self.rt(self.replay_seconds), chunk_seconds=0.8)
        dist = float(np.linalg.norm(run.final[0] - land.minima[0]))
        self.facts["swing"] = {"view": view, "run": run, "dist": dist, "end": self.time}
        self.caption("beta_one_after", steps=run.T, dist=format_sig(dist))
        self.pause(1.5)
        conceal(self, *view.layers, run_time=self.rt(0.6))

    def escape_trap(self) -> None:
        self.beat("local")
        land = gd.landscape(self.trap)
        start = [self.trap_start]
        vanilla = descend(land, "sgd", start, 1000, self.tol, lr=self.trap_lr)
        heavy = descend(land, "momentum", start, 1000, self.tol, lr=self.trap_lr, momentum=self.trap_beta)
        clock = StepClock()
        view = RaceView(land, [Runner("vanilla GD", gd.optimizer("sgd", lr=self.trap_lr), vanilla),
                               Runner("momentum", gd.optimizer("momentum", lr=self.trap_lr, momentum=self.trap_beta), heavy)],
                        clock, *side_by_side(2, weights=MAP_WEIGHTS),
                        counter_label=self.t("counter"))
        clock.freeze()
        self.caption("local", x=format_sig(self.trap_start[0]), y=format_sig(self.trap_start[1]))
        reveal(self, *view.layers, run_time=self.rt(0.8))
        play_steps(self, clock, view.T, self.rt(self.replay_seconds), chunk_seconds=0.8)
        self.facts["trap"] = {"view": view, "runs": (vanilla, heavy), "end": self.time}
        self.caption("local_result", x_vanilla=format_sig(vanilla.final[0, 0]),
                     x_momentum=format_sig(heavy.final[0, 0]))
        self.pause(2.0)
        conceal(self, *view.layers, run_time=self.rt(0.6))

    def memory(self) -> None:
        self.beat("ema")
        beta = self.memory_beta
        memory = round(1 / (1 - beta))
        count = 3 * memory + 1
        weights = memory_weights(beta, count)
        self.facts["memory"] = {"weights": weights, "memory": memory}
        region = content_region()
        chart = CoordinateBox((-0.5, count - 0.5), (0, 1.05), width=region.width - 2.5, height=region.height - 1.6,
                              x_ticks=range(0, count, max(1, memory // 2)), y_ticks=(0, 0.5, 1),
                              x_label=self.t("steps_back"), y_label=self.t("weight"), y_label_on_top=True)
        chart.move_to(region.center)
        bars = VGroup()
        for k, w in enumerate(weights):
            lo, hi = chart.c2p(np.array([k - 0.35, 0.0])), chart.c2p(np.array([k + 0.35, w]))
            bar = Rectangle(width=hi[0] - lo[0], height=max(hi[1] - lo[1], 1e-3), stroke_width=0,
                            fill_color=palette.HIGHLIGHT if k == memory else MOMENTUM_COLOR, fill_opacity=0.9)
            bars.add(bar.move_to((lo + hi) / 2))
        inv_e = math.exp(-1)
        guide = DashedLine(chart.c2p(np.array([-0.5, inv_e])), chart.c2p(np.array([count - 0.5, inv_e])),
                           color=palette.MUTED, stroke_width=2)
        power = str(memory).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
        tag = label(f"{beta:g}{power} = {format_sig(weights[memory])}", SMALL_SIZE, palette.HIGHLIGHT)
        tag.next_to(bars[memory].get_top(), UR, buff=0.12)
        e_tag = label(f"1/e = {format_sig(inv_e)}", SMALL_SIZE * 0.9, palette.MUTED)
        e_tag.next_to(guide, UP, buff=0.08).align_to(guide, RIGHT)
        self.caption("ema")
        self.play(Create(chart), run_time=self.rt(0.6))
        self.play(*[GrowFromEdge(b, DOWN) for b in bars], run_time=self.rt(1.2))
        self.play(Create(guide), FadeIn(e_tag), FadeIn(tag), run_time=self.rt(0.8))
        self.caption("ema_result", w10=format_sig(weights[memory]),
                     inv_e=format_sig(inv_e), memory=memory)
        self.pause(1.5)
        self.caption("ema_memory", memory=memory)
        self.pause(2.0)
        self.memory_chart = VGroup(chart, bars, guide, tag, e_tag)


def _ring(point, color):
    return Circle(radius=0.06, stroke_color=color, stroke_width=2).move_to(point)


__all__ = ["MomentumVsVanilla", "memory_weights"]
