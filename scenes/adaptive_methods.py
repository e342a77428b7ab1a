"""Adaptive steps: AdaGrad, RMSProp and Adam, with the state each one carries.

Storyboard 7. On an elongated bowl each method first takes one update apart — the gradient
arrow, Adam's momentum arrow, the squares whose area is the accumulated squared gradient, the
bars of the per-coordinate step size, then the step itself — and then replays its run with the
squares and bars live. AdaGrad's squares only grow; RMSProp's shrink again after the steep
start; after Adam's run its first step is set against the one without bias correction (two
engine runs). Where an arrow or step would be shorter than ``MIN_STEP_PX`` on screen, the
camera zooms in on it (the card of text stays pinned to the frame, the map's labels fade). The
clip ends on the saddle of sin x + y², where the adaptive methods leave long before gradient
descent does (bars of the engine's escape steps), and a one-line recap.

Render alone: ``.venv/bin/manim -r 854,480 --fps 15 scenes/adaptive_methods.py AdaptiveMethods``.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    Arrow,
    FadeIn,
    FadeOut,
    GrowArrow,
    GrowFromEdge,
    Rectangle,
    Restore,
    RoundedRectangle,
    VGroup,
    config,
)

import gdengine as gd
from gdengine import look
from gdengine.kit import palette
from gdengine.kit.glyphs import ParticleState, StateGlyphs
from gdengine.kit.hud import panel_behind
from gdengine.kit.layout import conceal, reveal
from gdengine.kit.legend import hyper_text, swatch
from gdengine.kit.mapboard import MapBoard
from gdengine.kit.params import integer, landscape, number, numbers
from gdengine.kit.playback import StepClock, play_steps
from gdengine.kit.race import Runner
from gdengine.kit.scene import GdScene
from gdengine.kit.text import SMALL_SIZE, format_sig, label, math as typst
from gdengine.kit.traces import Trace
from gdengine.lint.roles import DATA, mark

RULES = {  # one line each (slash, not a stacked fraction): the squares get the height
    "adagrad": ("s <- s + g^2", "x <- x - eta g slash (sqrt(s) + epsilon)"),
    "rmsprop": ("s <- rho s + (1 - rho) g^2", "x <- x - eta g slash (sqrt(s) + epsilon)"),
    "adam": ("m <- beta_1 m + (1 - beta_1) g", "s <- beta_2 s + (1 - beta_2) g^2",
             "x <- x - eta hat(m) slash (sqrt(hat(s)) + epsilon)"),
}
MIN_STEP_PX = 20.0  # a step arrow shorter than this (at 480p) is shown with the camera zoomed in
ZOOM_STEP_PX = 40.0  # … to about this long
BIAS_PX = 45.0  # Adam's corrected first step starts under the start ring: shown at least this long
COLUMN_WIDTH = 4.5
ESCAPE_DISTANCE = 0.5  # a run has left the saddle once its x is this far from the saddle's


def run(land, name: str, start, steps: int, tol, **hyper):
    opt = gd.optimizer(name, **hyper)
    return opt, gd.descend(land, opt, [start], steps, tol=tol, record="all", cache=True)


def escape_step(traj, saddle_x: float, distance: float) -> int | None:
    """First step at which the particle is ``distance`` away from the saddle's x (engine path)."""
    far = np.flatnonzero(np.abs(traj.positions[:, 0, 0] - saddle_x) > distance)
    return int(far[0]) if len(far) else None


def race_window(land, runners, margin: float = 1.0):
    """The part of the landscape's view the runs use (engine paths), ``margin`` around it in x;
    the full view in y. On sin x + y² the runs never go near the far minimum, so the map can be
    narrower and larger."""
    xs = np.concatenate([r.traj.positions[:, 0, 0] for r in runners])
    (x0, x1), ys = land.view
    return (max(x0, float(xs.min()) - margin), min(x1, float(xs.max()) + margin)), ys


def pin_through(carrier, group, frame) -> None:
    """Keep ``group`` at its place and size on screen while the camera ``frame`` moves or zooms,
    through an updater on ``carrier`` (a member already in the scene: updaters run only for
    what is in the scene, and adding the group would show its members not yet revealed)."""
    home = group.get_center() - frame.get_center()
    width = frame.width
    state = {"zoom": 1.0}

    def stay(_):
        zoom = frame.width / width
        if abs(zoom - state["zoom"]) > 1e-12:
            group.scale(zoom / state["zoom"], about_point=group.get_center())
            state["zoom"] = zoom
        group.shift(frame.get_center() + home * zoom - group.get_center())

    carrier.add_updater(stay)


def px_per_unit() -> float:
    """Pixels per scene unit at the linter's reference 480 lines (no zoom)."""
    return 480.0 / config.frame_height


class MethodBoard:
    """One method's map (trace, glyph arrows, an optional faint earlier run) at the left; its
    name, step counter, rule and hyper-parameters over the squares-and-bars panel at the right,
    on a card that stays on screen when the camera zooms into the map."""

    def __init__(self, land, name: str, display: str, opt, traj, clock: StepClock, *, counter_label: str,
                 bar_title: str, ghost=None):
        color = palette.optimizer_color(name)
        title = label(display, SMALL_SIZE * 1.15, color)
        rule = VGroup(*[typst(src, SMALL_SIZE * 0.85) for src in RULES[opt.kind]]).arrange(DOWN, buff=0.12,
                                                                                         aligned_edge=LEFT)
        params = label(hyper_text(opt), SMALL_SIZE * 0.8, palette.MUTED)
        extra = VGroup(rule, params).arrange(DOWN, buff=0.18, aligned_edge=LEFT)
        self.runner = Runner(display, opt, traj)
        self.board = MapBoard(land, [self.runner], clock, layout="side", title=title, extra=extra, legend=False,
                              counter_label=counter_label, colorbar_title=bar_title, column_width=COLUMN_WIDTH)
        self.cmap, self.trace = self.board.cmap, self.board.traces[0]
        box = self.cmap.box.scene_box()
        self.ghost = None
        if ghost is not None:  # a finished earlier run, faint, for comparison
            g_name, g_traj = ghost
            g_look = look.optimizer_look(g_name)
            self.ghost = Trace(self.cmap.c2p(g_traj.positions[:, 0]), StepClock(g_traj.T), box,
                               palette.optimizer_color(g_name), base_opacity=0.35, tail=0, show_ball=False,
                               anchor=self.cmap.box.frame, dash=g_look.dashes)
            self.ghost.live.clear_updaters()
            self.ghost.freeze(g_traj.T)
        free = self.board.free
        state = ParticleState(traj, opt)
        probe = StateGlyphs(state, self.cmap, clock, panel_size=1.0, bar_length=1.5, magnify=False)
        fixed = probe.panel_height - 1.0  # the panel's height besides the largest square
        self.glyphs = StateGlyphs(state, self.cmap, clock, arrow_length=1.2, panel_size=min(1.5, free.height - fixed),
                                  bar_length=1.5, magnify=False)
        self.glyphs.place_panel(np.array([free.left, free.top, 0.0]))
        column = VGroup(*[m for m in (title, extra, self.board.counter) if m is not None])
        self.card = RoundedRectangle(corner_radius=0.12, width=free.width + 0.5,
                                     height=column.get_top()[1] - free.bottom + 0.5,
                                     fill_color=palette.PANEL, fill_opacity=1.0, stroke_width=0)
        self.card.move_to([free.x, (column.get_top()[1] + free.bottom) / 2, 0.0])
        self.column = VGroup(title, extra)
        ghost_layer = [self.ghost.static] if self.ghost else []
        b = self.board
        self.static = [b.cmap, b.bar, *ghost_layer, b.traces.static, self.card, title, extra]
        self.live = [b.traces.live, b.counter]
        # what stays put on screen while the camera zooms into the map
        self.pinned = VGroup(self.card, self.column, b.counter, self.glyphs.panel)


    @property
    def map_labels(self) -> list:
        """What a zoom into the map would push off screen: the map's texts, its colour bar and
        the faint earlier run (it would run under the card)."""
        return [self.board.bar, self.cmap.box.numbers, self.cmap.box.labels,
                *([self.ghost.static] if self.ghost else [])]


class AdaptiveMethods(GdScene):
    """AdaGrad, RMSProp and Adam on an elongated bowl, step by step; then a saddle race."""

    params = {
        "bowl": landscape("elliptic_bowl", dim=2, doc="the elongated bowl of the first beats"),
        "bowl_b": number(10.0, lo=1.0, doc="steepness of the bowl in y (elliptic_bowl's b)"),
        "tol": number(1e-3, positive=True, doc="stop rule: gradient norm below tol"),
        "steps": integer(300, lo=10, doc="step budget of each run"),
        "adagrad_lr": number(0.3, positive=True, doc="η of AdaGrad"),
        "rmsprop_lr": number(0.05, positive=True, doc="η of RMSProp"),
        "rmsprop_rho": number(0.9, lo=0.0, hi=0.9999, doc="ρ of RMSProp (torch's alpha)"),
        "adam_lr": number(0.3, positive=True, doc="η of Adam"),
        "saddle": landscape("sin_saddle", dim=2, doc="the saddle of the last beat"),
        "saddle_start": numbers((1.5698, 1.8), length=2, doc="start next to the saddle"),
        "saddle_lrs": numbers((0.1, 0.5, 0.05, 0.1), length=4, positive=True,
                              doc="η of gradient descent, AdaGrad, RMSProp, Adam on the saddle"),
        "replay_seconds": number(4.0, positive=True, doc="length of each replay"),
    }
    strings_file = "strings/adaptive_methods.toml"

    def construct(self):
        bowl = self.landscape_of(self.bowl, b=self.bowl_b) if self.bowl == "elliptic_bowl" else self.landscape_of(self.bowl)
        adagrad = self.method(bowl, "adagrad", {"lr": self.adagrad_lr})
        self.mark_poster()  # the grown squares and shrunk bars: the clip's idea in one frame
        self.pause(0.5)
        self.clear_board()
        self.method(bowl, "rmsprop", {"lr": self.rmsprop_lr, "alpha": self.rmsprop_rho},
                    ghost=("adagrad", adagrad[1]), counts={"n_adagrad": int(adagrad[1].stopped_at[0])})
        self.pause(0.5)
        self.clear_board()
        # Adam's first m is just 0.1·g (an arrow hidden under the gradient's): take update 3 apart
        self.method(bowl, "adam", {"lr": self.adam_lr}, bias_demo=True, explain_at=3)
        self.pause(0.5)
        self.clear_board()
        self.saddle_race()
        self.recap()

    # --- beats ---------------------------------------------------------------------------
    def method(self, land, name: str, hyper: dict, ghost=None, bias_demo: bool = False, explain_at: int = 0,
               counts: dict | None = None):
        """One method: board, (Adam: the bias-correction demo), one update taken apart, the run."""
        self.beat(name)
        opt, traj = run(land, name, land.start, self.steps, self.tol, **hyper)
        clock = StepClock()
        board = MethodBoard(land, name, look.optimizer_name(name, self.language), opt, traj, clock,
                            counter_label=self.t("counter"), bar_title=self.t("bar"), ghost=ghost)
        self.board = board
        clock.freeze()
        reveal(self, *board.static, *board.live, run_time=self.rt(0.6))
        if explain_at > 0:  # walk to the update taken apart
            self.play(clock.tracker.animate.set_value(explain_at), run_time=self.rt(1.0))
            clock.freeze()
        self.explain_update(board, clock, explain_at, opt.kind)
        glyphs = board.glyphs
        self.add(glyphs.go_live(), glyphs.panel)
        self.beat(f"{name}_run", n=int(traj.stopped_at[0]), **(counts or {}))
        self.caption(f"{name}_run", n=int(traj.stopped_at[0]), **(counts or {}))
        play_steps(self, clock, traj.T, self.rt(self.replay_seconds), chunk_seconds=0.8)
        self.read()
        self.facts[name] = {"board": board, "traj": traj, "opt": opt, "end": self.time}
        if bias_demo:  # the run's first step, set against the one without bias correction
            self.bias_correction(land, board)
        return opt, traj

    def explain_update(self, board: MethodBoard, clock: StepClock, k: int, kind: str) -> None:
        """Reveal the parts of update k in turn under the method's captions, the step last (the
        ball then moves along it); the camera zooms in for a caption whose arrows would be too
        short to read at the map's scale."""
        glyphs = board.glyphs
        values = glyphs.values(k)
        glyphs.refresh(force=True)  # arrows and panel show update k before they appear
        for key, parts in CAPTIONS[kind]:
            self.caption(key, **values)
            zoom = self.zoom_for(board, k, parts)
            if zoom > 1.0:
                self.zoom_in(board, k, zoom)
            for part in parts:
                self.play(*glyphs.reveal(part), run_time=self.rt(0.5))
                if part == "step":
                    self.play(clock.tracker.animate.set_value(k + 1), run_time=self.rt(1.0))
                else:
                    self.pause(0.2)
            self.read()
            if zoom > 1.0:
                self.zoom_out(board, zoom)
        arrows = [glyphs.part(p) for p in ("gradient", "momentum", "step") if p in glyphs.state.parts]
        self.play(*[FadeOut(a) for a in arrows], run_time=self.rt(0.4))
        # the live glyphs and panel take over: drop what the reveal added, groups and members
        revealed = [glyphs.part(p) for p in glyphs.state.parts]
        self.remove(*revealed, *[m for group in revealed for m in group.submobjects])
        clock.freeze()

    def zoom_for(self, board: MethodBoard, k: int, parts) -> float:
        """Camera zoom for the arrows of ``parts`` at update k: 1 when the shortest is at least
        ``MIN_STEP_PX`` long at 480p, else enough to make it about ``ZOOM_STEP_PX`` (≤ 4×)."""
        glyphs, ppu = board.glyphs, px_per_unit()
        lengths = [glyphs.arrow_pixels(p, k, ppu) for p in parts if p in ("gradient", "momentum", "step")]
        shortest = min(lengths, default=float("inf"))
        zoom = 1.0 if shortest >= MIN_STEP_PX else min(4.0, ZOOM_STEP_PX / max(shortest, 1e-9))
        self.facts.setdefault("zoom", []).append({"kind": board.runner.opt.kind, "k": k, "parts": tuple(parts),
                                                  "shortest_px": shortest, "zoom": zoom})
        return zoom

    def zoom_in(self, board: MethodBoard, k: int, zoom: float, pin: bool = True) -> None:
        """Zoom the camera into the particle's iterate k. The map's texts, colour bar and faint
        earlier run fade first (they would leave the frame or run under the card); the card
        stays pinned to the frame (``pin``) or fades too; the ball keeps its size on screen."""
        hidden = list(board.map_labels)  # faded in place (a FadeOut would pull them out of the map)
        if not pin:
            hidden += list(board.pinned)
        for m in hidden:
            m.save_state()
        self._zoom_hidden = hidden
        self.play(*[m.animate.set_opacity(0.0) for m in hidden], run_time=self.rt(0.25))
        frame = self.camera.frame
        if pin:
            pin_through(board.card, board.pinned, frame)
        self._zoom_home = frame.get_center().copy()
        focus = board.cmap.c2p(board.glyphs.state.positions[k])
        self.play(frame.animate.scale(1 / zoom, about_point=focus), *self._keep_size(board, 1 / zoom),
                  run_time=self.rt(0.7))

    def zoom_out(self, board: MethodBoard, zoom: float) -> None:
        frame = self.camera.frame
        self.play(frame.animate.scale(zoom).move_to(self._zoom_home), *self._keep_size(board, zoom),
                  run_time=self.rt(0.7))
        board.card.clear_updaters()
        self.play(*[Restore(m) for m in self._zoom_hidden], run_time=self.rt(0.25))

    def _keep_size(self, board: MethodBoard, factor: float) -> list:
        """Animations keeping the ball, start ring, paths and arrows their size on screen while
        the camera zooms by 1/``factor`` (strokes and dots would grow with the zoom)."""
        trace, glyphs = board.trace, board.glyphs
        anims = [trace.ball.animate.scale(factor), trace.start_marker.animate.scale(factor)]
        on_screen = set(self.get_mobject_family_members())
        widths = [(m, m.get_stroke_width() * factor) for m in (trace.history, trace.recent, *trace.tail_bands)]
        for arrow in (glyphs.gradient_arrow, glyphs.momentum_arrow, glyphs.step_arrow):
            # zoomed in: the stroke of a full-size arrow on screen; back out: the arrow's own
            natural = min(arrow.initial_stroke_width, arrow.max_stroke_width_to_length_ratio * arrow.get_length())
            widths.append((arrow, arrow.initial_stroke_width * factor if factor < 1 else natural))
        for mob, width in widths:
            if mob in on_screen:
                anims.append(mob.animate.set_stroke(width=width))
            else:
                mob.set_stroke(width=width)
        return anims

    def bias_correction(self, land, board: MethodBoard) -> None:
        """Adam's first step with and without bias correction: two engine runs from one start."""
        first = {}
        for corrected in (True, False):
            _, traj = run(land, "adam", land.start, 1, None, lr=self.adam_lr, bias_correction=corrected)
            first[corrected] = traj.updates[0, 0]
        start = board.cmap.c2p(land.start)
        size = {c: float(np.linalg.norm(first[c])) for c in first}
        # the short arrow starts under the start ring: zoom in until it reads clearly beside it
        short_px = float(np.linalg.norm(board.cmap.c2p(land.start + first[True]) - start)) * px_per_unit()
        zoom = max(1.0, min(4.0, BIAS_PX / short_px))
        self.facts["bias"] = {"first": first, "size": size, "short_px": short_px, "zoom": zoom}
        self.beat("bias", ratio=format_sig(size[False] / size[True], 2),
                  **{"with": format_sig(size[True], 2), "without": format_sig(size[False], 2)})  # fmt: skip
        arrows, tags = self.bias_marks(land, board, first, zoom)
        self.caption("bias", **{"with": format_sig(size[True]), "without": format_sig(size[False])})
        if zoom > 1.0:  # the card fades: zoomed on the start, the finished path would run under it
            self.zoom_in(board, 0, zoom, pin=False)
        self.play(*[GrowArrow(a) for a in arrows], *[FadeIn(t) for t in tags], run_time=self.rt(1.0))
        self.read()
        if zoom > 1.0:  # back out; the marks redrawn at the map's own scale close the beat
            self.play(*[FadeOut(m) for m in (*arrows, *tags)], run_time=self.rt(0.25))
            self.zoom_out(board, zoom)
            arrows, tags = self.bias_marks(land, board, first, 1.0)
            self.play(*[FadeIn(m) for m in (*arrows, *tags)], run_time=self.rt(0.3))
        self.pause(0.5)
        self.leftovers = [*arrows, *tags]  # cleared with the board

    def bias_marks(self, land, board: MethodBoard, first: dict, zoom: float):
        """The two first-step arrows from the start and their tags, drawn for a camera zoomed in
        by ``zoom`` (thinner strokes, smaller tags, so they look the usual size on screen)."""
        start = board.cmap.c2p(land.start)
        arrows, tags = VGroup(), VGroup()
        for corrected, color in ((False, palette.FOREGROUND), (True, palette.STEP)):  # short one on top
            end = board.cmap.c2p(land.start + first[corrected])
            arrows.add(_arrow(start, end, color, scale=1 / zoom))
            # tags off the arrows' common line, one on each side (the run's path runs along it)
            d = (end - start) / max(np.linalg.norm(end - start), 1e-9)
            normal = np.array([-d[1], d[0], 0.0])
            normal = normal if (normal[1] >= 0) == corrected else -normal  # short one's tag above
            tag = label(self.t("with_label" if corrected else "without_label"), SMALL_SIZE * 0.85, color)
            tag.scale(1 / zoom)
            reach = 0.5 * np.abs(normal @ np.array([tag.width, tag.height, 0.0]))
            tag.move_to((start + end) / 2 + normal * (0.2 / zoom + reach))
            tags.add(VGroup(panel_behind(tag, buff=0.06 / zoom), tag))  # legible on the light map
        return arrows, tags

    def clear_board(self) -> None:
        board = self.board
        board.glyphs.stop_live()
        self.clear_caption()
        conceal(self, *board.static, *board.live, board.glyphs, board.glyphs.panel, board.pinned,
                *getattr(self, "leftovers", []), run_time=self.rt(0.5))
        self.leftovers = []

    def saddle_race(self) -> None:
        self.beat("saddle")
        land = self.landscape_of(self.saddle)
        names = ("sgd", "adagrad", "rmsprop", "adam")
        runners = []
        for name, lr in zip(names, self.saddle_lrs):
            opt, traj = run(land, name, self.saddle_start, self.steps, self.tol, lr=lr)
            runners.append(Runner(look.optimizer_name(name, self.language), opt, traj))
        clock = StepClock()
        board = MapBoard(land, runners, clock, layout="side", window=race_window(land, runners), outcomes=False,
                         column_width=0.0, counter_label=self.t("counter"), colorbar_title=self.t("bar"))
        clock.freeze()
        reveal(self, *board.layers, run_time=self.rt(0.8))
        self.caption("saddle", formula=land.formula_text.split("=")[-1].strip())
        play_steps(self, clock, board.T, self.rt(self.replay_seconds), chunk_seconds=0.8)
        self.read()
        saddle_x = float(land.saddles[0, 0])
        leave = [escape_step(r.traj, saddle_x, ESCAPE_DISTANCE) for r in runners]
        chart = escape_chart(runners, leave, board.free)
        self.facts["saddle"] = {"board": board, "leave": leave, "chart": chart, "end": self.time}
        adaptive = [s for s in leave[1:] if s is not None]
        if leave[0] is not None and adaptive:
            self.beat("saddle_done", n_vanilla=leave[0], n_adaptive=max(adaptive))
            self.caption("saddle_done", n_vanilla=leave[0], n_adaptive=max(adaptive))
        else:  # the chart alone: some run never left the saddle
            self.beat("saddle_done", say="saddle_chart")
        self.play(*[GrowFromEdge(b, LEFT) for b in chart.bars], FadeIn(chart.values), FadeIn(chart.swatches),
                  run_time=self.rt(1.0))
        self.read(extra=0.6)
        self.saddle_board = board

    def recap(self) -> None:
        self.beat("recap")
        self.caption("recap")
        self.read(extra=0.8)


# (caption key, parts revealed under it) per method: one update taken apart
CAPTIONS = {
    "adagrad": (("squares_adagrad", ("gradient", "squares")), ("step_adagrad", ("rates", "step"))),
    "rmsprop": (("rmsprop", ("gradient", "squares", "rates")), ("step_rmsprop", ("step",))),
    "adam": (("momentum_adam", ("gradient", "momentum")), ("step_adam", ("squares", "rates", "step"))),
}


def escape_chart(runners, leave, slot, size: float = SMALL_SIZE * 0.85) -> VGroup:
    """Horizontal bars in ``slot``: how many updates each run spent near the saddle (engine
    paths, ``escape_step``), with the run's swatch (colour, line style, marker) and the count."""
    chart = VGroup()
    chart.swatches, chart.bars, chart.values = VGroup(), VGroup(), VGroup()
    longest = max([n for n in leave if n is not None] + [1])
    value_w = label(str(max(r.traj.T for r in runners)), size).width
    sw_w = 0.75
    bar_max = slot.width - sw_w - 0.2 - 0.15 - value_w
    row_h = min(0.45, slot.height / len(runners))
    y = slot.top - row_h / 2
    for r, n in zip(runners, leave):
        sw = swatch(r.color, getattr(r.opt, "name", None)).move_to([slot.left + sw_w / 2, y, 0.0])
        length = bar_max * (n if n is not None else longest) / longest
        bar = Rectangle(width=max(length, 0.03), height=0.24, stroke_width=0, fill_color=r.color, fill_opacity=0.85)
        bar.move_to([slot.left + sw_w + 0.2 + bar.width / 2, y, 0.0])
        bar.lint_label = "bar"
        mark(bar, DATA)
        value = label(str(n) if n is not None else "…", size, r.color).next_to(bar, RIGHT, buff=0.15)
        chart.swatches.add(sw)
        chart.bars.add(bar)
        chart.values.add(value)
        y -= row_h
    chart.add(chart.swatches, chart.bars, chart.values)
    return chart


def _arrow(a, b, color, scale: float = 1.0):
    """An arrow a → b; ``scale`` < 1 thins its stroke and tip for a camera zoomed in by 1/scale."""
    arrow = Arrow(a, b, buff=0, color=color, stroke_width=5 * scale, max_tip_length_to_length_ratio=0.3,
                  tip_length=0.18 * scale, max_stroke_width_to_length_ratio=5 / scale)
    arrow.lint_label = "arrow"
    return mark(arrow, DATA)


__all__ = ["AdaptiveMethods", "MethodBoard", "escape_step", "CAPTIONS"]
