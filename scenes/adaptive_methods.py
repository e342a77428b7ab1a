"""Adaptive steps: AdaGrad, RMSProp and Adam, with the state each one carries.

Storyboard 7. On an elongated bowl each method first takes one update step by step — the
gradient arrow, Adam's momentum arrow, the squares whose area is the accumulated squared
gradient, the bars of the per-coordinate step size, then the step itself, one caption each —
and then replays its run with the squares and bars live. AdaGrad's squares only grow;
RMSProp's shrink again after the steep start; Adam's first step is shown with and without
bias correction (two engine runs). The clip ends on the saddle of sin x + y², where the
adaptive methods leave long before vanilla descent does.

Render alone: ``.venv/bin/manim -r 854,480 --fps 15 scenes/adaptive_methods.py AdaptiveMethods``.
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, UR, Arrow, FadeIn, FadeOut, GrowArrow, VGroup

import gdengine as gd
from gdengine.kit import palette
from gdengine.kit.contour import ContourMap
from gdengine.kit.glyphs import ParticleState, StateGlyphs
from gdengine.kit.layout import conceal, reveal, side_by_side
from gdengine.kit.legend import display_name, hyper_text
from gdengine.kit.lossplot import step_counter
from gdengine.kit.params import integer, landscape, learning_rate, learning_rates, number, numbers
from gdengine.kit.playback import StepClock, play_steps
from gdengine.kit.race import RaceView, Runner, equal_aspect_size
from gdengine.kit.scene import GdScene
from gdengine.kit.text import SMALL_SIZE, format_sig, label, math as typst
from gdengine.kit.traces import Trace

RULES = {
    "adagrad": ("s <- s + g^2", "x <- x - eta g / (sqrt(s) + epsilon)"),
    "rmsprop": ("s <- rho s + (1 - rho) g^2", "x <- x - eta g / (sqrt(s) + epsilon)"),
    "adam": ("m <- beta_1 m + (1 - beta_1) g", "s <- beta_2 s + (1 - beta_2) g^2",
             "x <- x - eta hat(m) / (sqrt(hat(s)) + epsilon)"),
}
MAP_WEIGHTS = (1.0, 1.15)
WIDE_MAP_WEIGHTS = (1.35, 1.0)  # sin x + y² is shown 2.3× wider than tall


def run(land, name: str, start, steps: int, tol, **hyper):
    opt = gd.optimizer(name, **hyper)
    return opt, gd.descend(land, opt, [start], steps, tol=tol, record="all", cache=True)


def escape_step(traj, saddle_x: float, distance: float) -> int | None:
    """First step at which the particle is ``distance`` away from the saddle's x (engine path)."""
    far = np.flatnonzero(np.abs(traj.positions[:, 0, 0] - saddle_x) > distance)
    return int(far[0]) if len(far) else None


class MethodBoard:
    """Map with one particle's trace + glyph arrows (left); name, rule, hyper-parameters,
    counter and the state panel (right). ``static``/``live`` as in ``RaceView``."""

    def __init__(self, land, name: str, opt, traj, clock: StepClock, map_slot, side_slot, ghost=None,
                 counter_label: str = "step"):
        width, height = equal_aspect_size(land.view, map_slot)
        self.cmap = ContourMap(land, width=width, height=height)
        self.cmap.shift((map_slot.right - self.cmap.get_right()[0]) * RIGHT
                        + (map_slot.top - self.cmap.get_top()[1]) * UP)
        color = palette.optimizer_color(name)
        box = self.cmap.box.scene_box()
        self.trace = Trace(self.cmap.c2p(traj.positions[:, 0]), clock, box, color, anchor=self.cmap.box.frame,
                           stop_step=int(traj.stopped_at[0]), status=str(traj.status[0]))
        self.ghost = None
        if ghost is not None:  # a finished earlier run, faint, for comparison
            self.ghost = Trace(self.cmap.c2p(ghost[1].positions[:, 0]), StepClock(ghost[1].T), box,
                               palette.optimizer_color(ghost[0]), base_opacity=0.35, tail=0,
                               show_ball=False, anchor=self.cmap.box.frame)
            self.ghost.live.clear_updaters()
            self.ghost.freeze(ghost[1].T)
        self.glyphs = StateGlyphs(ParticleState(traj, opt), self.cmap, clock, arrow_length=1.2, panel_size=1.25)
        title = label(display_name(name), SMALL_SIZE * 1.2, color)
        self.counter = step_counter(clock, counter_label, size=SMALL_SIZE * 1.1, last=traj.T)
        head = VGroup(title, self.counter).arrange(RIGHT, buff=0.6)
        rule = VGroup(*[typst(src, SMALL_SIZE * 0.9) for src in RULES[opt.kind]]).arrange(DOWN, buff=0.12, aligned_edge=LEFT)
        params = label(hyper_text(opt), SMALL_SIZE * 0.8, palette.MUTED)
        self.text = VGroup(head, rule, params).arrange(DOWN, buff=0.2, aligned_edge=LEFT)
        self.text.shift((side_slot.left - self.text.get_left()[0]) * RIGHT + (side_slot.top - self.text.get_top()[1]) * UP)
        head.remove(self.counter)
        baseline = max(side_slot.bottom + 0.75, self.text.get_bottom()[1] - 0.55 - self.glyphs.panel_size)
        self.glyphs.place_panel(np.array([side_slot.left + 0.1, baseline, 0.0]))
        clock.follow(self.trace)
        ghost_layer = [self.ghost.static, self.ghost.live] if self.ghost else []
        self.static = [self.cmap, *ghost_layer, self.trace.static, self.text]
        self.live = [self.trace.live, self.counter]


class AdaptiveMethods(GdScene):
    """AdaGrad, RMSProp and Adam on an elongated bowl, step by step; then a saddle race."""

    params = {
        "bowl": landscape("elliptic_bowl", dim=2, doc="the elongated bowl of the first beats"),
        "bowl_b": number(10.0, lo=1.0, doc="steepness of the bowl in y (elliptic_bowl's b)"),
        "tol": number(1e-3, positive=True, doc="stop rule: gradient norm below tol"),
        "steps": integer(300, lo=10, doc="step budget of each run"),
        "adagrad_lr": learning_rate(0.3, doc="η of AdaGrad"),
        "rmsprop_lr": learning_rate(0.05, doc="η of RMSProp"),
        "rmsprop_rho": number(0.9, lo=0.0, hi=0.9999, doc="ρ of RMSProp (torch's alpha)"),
        "adam_lr": learning_rate(0.3, doc="η of Adam"),
        "saddle": landscape("sin_saddle", dim=2, doc="the saddle of the last beat"),
        "saddle_start": numbers((1.5698, 1.8), length=2, doc="start next to the saddle"),
        "saddle_lrs": learning_rates((0.1, 0.5, 0.05, 0.1), length=4,
                              doc="η of vanilla, AdaGrad, RMSProp, Adam on the saddle"),
        "replay_seconds": number(4.5, positive=True, doc="length of each replay"),
    }
    strings_file = "strings/adaptive_methods.toml"

    def construct(self):
        bowl = gd.landscape(self.bowl, b=self.bowl_b) if self.bowl == "elliptic_bowl" else gd.landscape(self.bowl)
        adagrad = self.method(bowl, "adagrad", {"lr": self.adagrad_lr}, intro=("adagrad", {}))
        s_end = adagrad[1].state["sum"][-1, 0, 1]
        self.caption("adagrad_done", s_end=format_sig(s_end), n=int(adagrad[1].stopped_at[0]))
        self.mark_poster()  # the grown squares and shrunk bars: the clip's idea in one frame
        self.pause(1.5)
        self.clear_board()
        rms = self.method(bowl, "rmsprop", {"lr": self.rmsprop_lr, "alpha": self.rmsprop_rho},
                          intro=("rmsprop", {"rho": format_sig(self.rmsprop_rho)}), ghost=("adagrad", adagrad[1]))
        sq = rms[1].state["square_avg"][:, 0, 1]
        self.caption("rmsprop_done", s_peak=format_sig(sq.max()), s_end=format_sig(sq[-1]))
        self.pause(1.5)
        self.caption("rmsprop_count", n=int(rms[1].stopped_at[0]), n_adagrad=int(adagrad[1].stopped_at[0]))
        self.pause(1.5)
        self.clear_board()
        # Adam's first m is just 0.1·g (an arrow hidden under the gradient's): take update 3 apart
        self.method(bowl, "adam", {"lr": self.adam_lr}, intro=("adam", {}), bias_demo=True, explain_at=3)
        self.pause(1.0)
        self.clear_board()
        self.saddle_race()
        self.pause(1.5)

    # --- beats ---------------------------------------------------------------------------
    def method(self, land, name: str, hyper: dict, intro, ghost=None, bias_demo: bool = False,
               explain_at: int = 0):
        """One method: board, one update step by step, then the live replay."""
        self.beat(name)
        opt, traj = run(land, name, land.start, self.steps, self.tol, **hyper)
        clock = StepClock()
        board = MethodBoard(land, name, opt, traj, clock, *side_by_side(2, weights=MAP_WEIGHTS), ghost=ghost,
                            counter_label=self.t("counter"))
        clock.freeze()
        self.caption(intro[0], **intro[1])
        reveal(self, *board.static, *board.live, run_time=self.rt(0.8))
        if explain_at > 0:  # walk to the update taken apart
            self.play(clock.tracker.animate.set_value(explain_at), run_time=self.rt(1.0))
            clock.freeze()
        self.explain_update(board.glyphs, clock, explain_at, opt.kind)
        if bias_demo:
            self.bias_correction(land, board)
        glyphs = board.glyphs
        self.add(glyphs.go_live(), glyphs.panel)
        self.caption(f"{name}_run")
        play_steps(self, clock, traj.T, self.rt(self.replay_seconds), chunk_seconds=0.8)
        self.facts[name] = {"board": board, "traj": traj, "opt": opt, "end": self.time}
        self.board = board
        return opt, traj

    def explain_update(self, glyphs: StateGlyphs, clock: StepClock, k: int, kind: str) -> None:
        """Reveal the parts of update k one at a time, each with its caption, then take it."""
        values = glyphs.values(k)
        glyphs.refresh(force=True)  # arrows and panel show update k before they appear
        for part in glyphs.state.parts:
            key = f"squares_{kind}" if part == "squares" else part
            self.caption(key, **values)
            self.play(*glyphs.reveal(part), run_time=self.rt(0.5))
            self.pause(1.0)
        self.play(clock.tracker.animate.set_value(k + 1), run_time=self.rt(1.0))
        arrows = [glyphs.part(p) for p in ("gradient", "momentum", "step") if p in glyphs.state.parts]
        self.play(*[FadeOut(a) for a in arrows], run_time=self.rt(0.4))
        # the live glyphs and panel take over: drop what the reveal added, groups and members
        revealed = [glyphs.part(p) for p in glyphs.state.parts]
        self.remove(*revealed, *[m for group in revealed for m in group.submobjects])
        clock.freeze()

    def bias_correction(self, land, board: MethodBoard) -> None:
        """Adam's first step with and without bias correction: two engine runs from one start."""
        self.beat("bias")
        first = {}
        for corrected in (True, False):
            _, traj = run(land, "adam", land.start, 1, None, lr=self.adam_lr, bias_correction=corrected)
            first[corrected] = traj.updates[0, 0]
        start = land.start
        arrows, tags = VGroup(), VGroup()
        for corrected, color in ((False, palette.VERMILLION), (True, palette.STEP)):  # short one on top
            a = _arrow(board.cmap.c2p(start), board.cmap.c2p(start + first[corrected]), color)
            tag = label(self.t("with_label" if corrected else "without_label"), SMALL_SIZE * 0.8, color)
            tag.next_to(a.get_end(), UR if corrected else RIGHT, buff=0.1)
            arrows.add(a)
            tags.add(tag)
        size = {c: float(np.linalg.norm(first[c])) for c in first}
        self.facts["bias"] = {"first": first, "size": size}
        self.caption("bias", **{"with": format_sig(size[True]), "without": format_sig(size[False])})
        self.play(*[GrowArrow(a) for a in arrows], FadeIn(tags), run_time=self.rt(1.0))
        self.pause(2.5)
        self.play(FadeOut(arrows), FadeOut(tags), run_time=self.rt(0.4))

    def clear_board(self) -> None:
        board = self.board
        board.glyphs.stop_live()
        conceal(self, *board.static, *board.live, board.glyphs, board.glyphs.panel, run_time=self.rt(0.6))
        self.clear_caption()

    def saddle_race(self) -> None:
        self.beat("saddle")
        land = gd.landscape(self.saddle)
        names = ("sgd", "adagrad", "rmsprop", "adam")
        runners = []
        for name, lr in zip(names, self.saddle_lrs):
            opt, traj = run(land, name, self.saddle_start, self.steps, self.tol, lr=lr)
            runners.append(Runner(display_name(name), opt, traj))
        clock = StepClock()
        view = RaceView(land, runners, clock, *side_by_side(2, weights=WIDE_MAP_WEIGHTS),
                        counter_label=self.t("counter"))
        clock.freeze()
        self.caption("saddle", formula=land.formula_text.split("=")[-1].strip())
        reveal(self, *view.layers, run_time=self.rt(0.8))
        play_steps(self, clock, view.T, self.rt(self.replay_seconds), chunk_seconds=0.8)
        saddle_x = float(land.saddles[0, 0])
        leave = [escape_step(r.traj, saddle_x, 0.5) for r in runners]
        self.facts["saddle"] = {"view": view, "leave": leave, "end": self.time}
        adaptive = [s for s in leave[1:] if s is not None]
        if leave[0] is not None and adaptive:
            self.caption("saddle_done", n_vanilla=leave[0], n_adaptive=max(adaptive))
        self.pause(2.0)


def _arrow(a, b, color):
    return Arrow(a, b, buff=0, color=color, stroke_width=5, max_tip_length_to_length_ratio=0.3, tip_length=0.18)


__all__ = ["AdaptiveMethods", "MethodBoard", "escape_step"]
