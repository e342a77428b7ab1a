"""State glyphs for one particle: what an optimizer knows when it takes a step.

For the update from iterate k to k+1 of one particle (all read from the engine's
``Trajectory``; nothing recomputed):

* gradient arrow — the downhill direction −g_k at the particle (``grads[k]``);
* momentum arrow — −m with m the first-moment buffer after the update
  (``momentum_buffer`` for SGD with momentum, ``exp_avg`` for Adam);
* squares — one per coordinate, area = the accumulated squared gradient s after the update
  (``sum`` for AdaGrad, ``square_avg`` for RMSProp, ``exp_avg_sq`` for Adam);
* bars — the effective per-coordinate learning rate, |Δ_i| / |g_i| (AdaGrad, RMSProp: this
  is η/(√s_i + ε) exactly) or |Δ_i| / |m_i| (Adam, with its bias corrections folded in);
* step arrow — the update Δ_k the engine applied (``updates[k]``), drawn to the map's true
  scale (its tip is the next iterate). With ``magnify=True`` a step too short to see is
  magnified by a round factor shown beside it ("×5"); a scene that would rather zoom the
  camera in keeps the true scale and asks ``step_pixels`` how long the step is on screen.

The panel (``panel``, placed with ``place_panel``) holds a row of two squares (s_x, s_y: the
value above, the name below) and under it two horizontal bars (the per-coordinate step size,
its formula at the left, the value at the bar's end); every label is at least 12 px tall at
480p.

Arrows are scaled by one factor for the whole replay (so lengths compare across steps);
squares and bars too. ``StateGlyphs.parts`` lists what the optimizer has, in reveal order,
for the step-by-step mode (``reveal``/``hide`` return animations, one part at a time, so the
scene can put a caption beside each).
"""

from __future__ import annotations

import math

import numpy as np
from manim import (
    DOWN,
    RIGHT,
    UP,
    Arrow,
    FadeIn,
    FadeOut,
    GrowArrow,
    Rectangle,
    Square,
    VGroup,
    VMobject,
)

from gdengine.kit import palette
from gdengine.kit.playback import StepClock
from gdengine.kit.text import SMALL_SIZE, GlyphSlots, format_sig, label, math as typst
from gdengine.lint.roles import DATA, mark

FIRST_MOMENT = {"sgd": "momentum_buffer", "adam": "exp_avg"}
SECOND_MOMENT = {"adagrad": "sum", "rmsprop": "square_avg", "adam": "exp_avg_sq"}
PARTS = ("gradient", "momentum", "squares", "rates", "step")
# What the bars show, exactly: η/(√s + ε) for AdaGrad/RMSProp, |Δ|/|m| for Adam (its bias
# corrections included).
RATE_LABELS = {"adagrad": "eta slash sqrt(s_{n})", "rmsprop": "eta slash sqrt(s_{n})",
               "adam": "abs(Delta_{n}) slash abs(m_{n})"}
GRADIENT_COLOR = palette.GRADIENT
MOMENTUM_COLOR = palette.SKY
STEP_COLOR = palette.STEP
SQUARE_COLOR = palette.PURPLE
RATE_COLOR = palette.RATE  # η and what scales it: the rate colour everywhere
BAR_THICKNESS = 0.26
TIP_LENGTH, TIP_RATIO = 0.18, 0.3  # arrow tips: at most 0.18 long and 30 % of the arrow


class ParticleState:
    """The arrays the glyphs show, for particle ``b`` of ``traj`` run with ``opt``."""

    def __init__(self, traj, opt, b: int = 0):
        kind = getattr(opt, "kind", "") or opt.name
        self.kind = kind
        self.lr = float(opt.hyper["lr"])
        self.positions = traj.positions[:, b]
        self.grads = traj.grads[:, b]
        self.updates = traj.updates[:, b]
        self.T = len(self.updates)
        state = traj.state
        first = FIRST_MOMENT.get(kind)
        second = SECOND_MOMENT.get(kind)
        self.first = state[first][:, b] if first in state else None
        self.second = state[second][:, b] if second in state else None

    def k(self, s: float) -> int:
        """The update shown at clock value ``s``: the one leaving iterate floor(s)."""
        return int(min(max(math.floor(s + 1e-9), 0), max(self.T - 1, 0)))

    def gradient(self, k: int) -> np.ndarray:
        return self.grads[k]

    def momentum(self, k: int) -> np.ndarray | None:
        """First moment after update k (the buffer that update used)."""
        return None if self.first is None else self.first[k + 1]

    def squares(self, k: int) -> np.ndarray | None:
        """Second moment after update k (what update k divided by)."""
        return None if self.second is None else self.second[k + 1]

    def rates(self, k: int) -> np.ndarray | None:
        """Effective per-coordinate learning rate of update k, from the engine's step."""
        if self.second is None:
            return None
        direction = self.first[k + 1] if self.kind == "adam" else self.grads[k]
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.abs(self.updates[k]) / np.abs(direction)
        return np.where(np.isfinite(r), r, 0.0)

    def step(self, k: int) -> np.ndarray:
        return self.updates[k]

    @property
    def parts(self) -> tuple[str, ...]:
        has = {"gradient": True, "momentum": self.first is not None,
               "squares": self.second is not None, "rates": self.second is not None, "step": True}
        return tuple(p for p in PARTS if has[p])


def _vector_scale(plane, origin_xy: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Scene displacement of data vector ``v`` at ``origin_xy`` (handles unequal axis units)."""
    return plane.c2p(origin_xy + v) - plane.c2p(origin_xy)


class StateGlyphs(VGroup):
    """Arrows at the particle on ``plane`` (a ContourMap or CoordinateBox) and a state panel.

    ``panel`` (a VGroup to place in the layout) holds the squares and bars with their labels;
    the arrows live on the map. Everything follows ``clock`` while ``live`` is on.
    """

    def __init__(self, state: ParticleState, plane, clock: StepClock, *, arrow_length: float = 1.3,
                 panel_size: float = 1.6, bar_length: float = 1.8, k_range: tuple[int, int] | None = None,
                 size: float = SMALL_SIZE * 0.85, magnify: bool = True):
        super().__init__()
        self.state, self.plane, self.clock = state, plane, clock
        k0, k1 = k_range or (0, max(state.T - 1, 0))
        ks = np.arange(k0, k1 + 1)
        arrows = [np.linalg.norm(state.grads[ks], axis=1)]
        if state.first is not None:
            arrows.append(np.linalg.norm(state.first[ks + 1], axis=1))
        longest = max(float(np.max(arrows)), 1e-12)
        unit = np.linalg.norm(_vector_scale(plane, state.positions[0], np.array([1.0, 0.0])))
        # data-units factor: the longest gradient/momentum arrow of the range is arrow_length
        self.arrow_scale = arrow_length / (longest * max(unit, 1e-12))
        self.square_scale = self.rate_scale = 0.0
        if state.second is not None:
            self.square_scale = panel_size / max(math.sqrt(float(np.max(state.second[ks + 1]))), 1e-12)
            self.rate_scale = bar_length / max(float(np.max([state.rates(k) for k in ks])), 1e-12)
        steps = np.linalg.norm(state.updates[ks], axis=1)
        step_scene = float(np.max(steps)) * unit
        self.step_magnify = 1.0
        if magnify and 0 < step_scene < 0.6 * arrow_length:  # magnify by 2, 5, 10, … and say so
            want = 0.8 * arrow_length / step_scene
            self.step_magnify = float(min((m for m in (2, 5, 10, 20, 50, 100, 200, 500, 1000)
                                           if m >= want), default=1000))
        self.size = size
        self.gradient_arrow = self._arrow(GRADIENT_COLOR)
        self.momentum_arrow = self._arrow(MOMENTUM_COLOR)
        self.step_arrow = self._arrow(STEP_COLOR)
        self.step_tag = label(f"×{format_sig(self.step_magnify, 6)}", size * 0.9, STEP_COLOR) if self.step_magnify > 1 else VGroup()
        self.arrows = VGroup(self.gradient_arrow, self.step_arrow, self.step_tag)
        if state.first is not None:
            self.arrows.add(self.momentum_arrow)
        self.bar_length = float(bar_length)
        self.squares, self.bars, self.panel = self._make_panel(panel_size)
        self.add(self.arrows)
        self.k = None
        self.refresh(force=True)

    # --- construction -------------------------------------------------------------------
    def _arrow(self, color) -> Arrow:
        arrow = Arrow(np.zeros(3), RIGHT, buff=0, color=color, stroke_width=5,
                      max_tip_length_to_length_ratio=TIP_RATIO, tip_length=TIP_LENGTH)
        arrow.lint_label = "arrow"
        return mark(arrow, DATA)

    def _make_panel(self, panel_size: float):
        squares = VGroup(*[Square(side_length=0.01, stroke_color=SQUARE_COLOR, stroke_width=2,
                                  fill_color=SQUARE_COLOR, fill_opacity=0.45) for _ in range(2)])
        bars = VGroup(*[Rectangle(width=0.01, height=BAR_THICKNESS, stroke_width=0, fill_color=RATE_COLOR,
                                  fill_opacity=0.9) for _ in range(2)])
        for mob, name in ((squares, "square"), (bars, "bar")):
            for m in mob:
                m.lint_label = name
                mark(m, DATA)
        names = ("x", "y")
        self.square_labels = VGroup(*[typst(f"s_{n}", self.size, SQUARE_COLOR) for n in names])
        self.bar_labels = VGroup(*[typst(RATE_LABELS.get(self.state.kind, RATE_LABELS["adagrad"]).format(n=n),
                                         self.size, RATE_COLOR) for n in names])
        # values change during a play: slots mutated in place (see text.GlyphSlots)
        self.square_values = VGroup(*[GlyphSlots() for _ in names])
        self.rate_values = VGroup(*[GlyphSlots() for _ in names])
        panel = VGroup(squares, bars, self.square_labels, self.bar_labels,
                       self.square_values, self.rate_values)
        # Layout relative to the panel's top-left corner: a row of two square cells (value on
        # top, square standing on a baseline, name below), then two rows of horizontal bars.
        value_h = label("0.1", self.size * 0.9).height
        name_h = max(m.height for m in self.square_labels)
        self._square_base = -(value_h + 0.1 + panel_size)
        self._cells = [np.array([i * (panel_size + 0.5), self._square_base, 0.0]) for i in range(2)]
        bar_name_w = max(m.width for m in self.bar_labels)
        top = self._square_base - 0.1 - name_h - 0.3
        row_h = max(BAR_THICKNESS, max(m.height for m in self.bar_labels))
        self._bar_x0 = bar_name_w + 0.15
        self._bar_rows = [top - row_h / 2 - i * (row_h + 0.22) for i in range(2)]
        for i in range(2):
            self.square_labels[i].next_to(self._cells[i] + panel_size / 2 * RIGHT, DOWN, buff=0.1)
            self.bar_labels[i].move_to([bar_name_w - self.bar_labels[i].width / 2, self._bar_rows[i], 0.0])
        self.panel_size = panel_size
        value_w = label("0.00001", self.size * 0.9).width
        self._panel_box = (max(2 * panel_size + 0.5, self._bar_x0 + self.bar_length + 0.1 + value_w),
                           -(self._bar_rows[1] - row_h / 2))
        return squares, bars, panel

    # --- reading the clock -----------------------------------------------------------------
    def refresh(self, force: bool = False) -> None:
        """Point every glyph at update k = floor(clock)."""
        self.refresh_arrows()
        self.refresh_panel(force)

    def refresh_arrows(self) -> None:
        s = self.clock.s
        k = self.state.k(s)
        origin_xy = self.state.positions[min(int(math.floor(s + 1e-9)), self.state.T)]
        origin = self.plane.c2p(origin_xy)
        self._place_arrow(self.gradient_arrow, origin, origin_xy, -self.state.gradient(k) * self.arrow_scale)
        m = self.state.momentum(k)
        if m is not None:
            self._place_arrow(self.momentum_arrow, origin, origin_xy, -m * self.arrow_scale)
        self._place_arrow(self.step_arrow, origin, origin_xy, self.state.step(k) * self.step_magnify)
        if self.step_magnify > 1:
            tip = self.step_arrow.get_end()
            away = tip - origin
            length = np.linalg.norm(away)
            self.step_tag.move_to(tip + 0.28 * away / max(length, 1e-9))
            self.step_tag.set_opacity(1.0 if length > 0.25 else 0.0)  # no tag on a vanished step

    def refresh_panel(self, force: bool = False) -> None:
        k = self.state.k(self.clock.s)
        if k != self.k or force:
            self._set_panel(k)
            self.k = k

    def _place_arrow(self, arrow: Arrow, origin, origin_xy, v) -> None:
        d = _vector_scale(self.plane, origin_xy, v)
        if np.linalg.norm(d) < 1e-6:
            d = np.array([1e-6, 0.0, 0.0])
        arrow.put_start_and_end_on(origin, origin + d)
        # Arrow keeps its tip's size when it is re-placed: a short arrow would be all tip
        want = min(TIP_LENGTH, TIP_RATIO * float(np.linalg.norm(d)))
        if abs(arrow.tip.length - want) > 1e-3:
            arrow.pop_tips()
            arrow.add_tip(tip_length=want, tip_width=want)

    def _set_panel(self, k: int) -> None:
        s = self.state.squares(k)
        r = self.state.rates(k)
        if s is None:
            return
        corner = self.panel_anchor()
        for i in range(2):
            side = max(math.sqrt(max(s[i], 0.0)) * self.square_scale, 0.01)
            sq = self.squares[i]
            sq.stretch_to_fit_width(side).stretch_to_fit_height(side)
            sq.move_to(corner + self._cells[i] + np.array([self.panel_size / 2, side / 2, 0]))
            length = max(r[i] * self.rate_scale, 0.01)
            bar = self.bars[i]
            bar.stretch_to_fit_width(length)
            bar.move_to(corner + np.array([self._bar_x0 + length / 2, self._bar_rows[i], 0.0]))
            sv = label(format_sig(s[i], 3), self.size * 0.9, SQUARE_COLOR)
            self.square_values[i].show(sv.next_to(sq, UP, buff=0.08))
            rv = label(format_sig(r[i], 3), self.size * 0.9, RATE_COLOR)
            self.rate_values[i].show(rv.next_to(bar, RIGHT, buff=0.1))

    def panel_anchor(self) -> np.ndarray:
        """Scene point of the panel's top-left corner."""
        return self._anchor if hasattr(self, "_anchor") else np.zeros(3)

    def place_panel(self, point: np.ndarray) -> StateGlyphs:
        """Put the panel's top-left corner at ``point`` (scene)."""
        shift = np.asarray(point, dtype=float) - self.panel_anchor()
        self._anchor = np.asarray(point, dtype=float)
        self.square_labels.shift(shift)
        self.bar_labels.shift(shift)
        self._set_panel(self.k if self.k is not None else 0)
        return self

    @property
    def panel_width(self) -> float:
        return float(self._panel_box[0])

    @property
    def panel_height(self) -> float:
        return float(self._panel_box[1])

    def step_pixels(self, k: int, pixels_per_unit: float) -> float:
        """On-screen length of update k's step arrow at ``pixels_per_unit`` (no zoom)."""
        return self.arrow_pixels("step", k, pixels_per_unit)

    def arrow_pixels(self, part: str, k: int, pixels_per_unit: float) -> float:
        """On-screen length of update k's ``part`` arrow ("gradient", "momentum", "step") at
        ``pixels_per_unit`` (no zoom): what a scene checks before deciding to zoom in."""
        st = self.state
        vector = {"gradient": lambda: -st.gradient(k) * self.arrow_scale,
                  "momentum": lambda: -st.momentum(k) * self.arrow_scale,
                  "step": lambda: st.step(k) * self.step_magnify}[part]()
        d = _vector_scale(self.plane, st.positions[k], vector)
        return float(np.linalg.norm(d) * pixels_per_unit)

    # --- live mode and step-by-step mode ----------------------------------------------------
    def go_live(self) -> StateGlyphs:
        """Follow the clock every frame (arrows on the map, squares and bars in the panel)."""
        self.add_updater(lambda _: self.refresh_arrows())
        self.panel.add_updater(lambda _: self.refresh_panel())
        return self

    def stop_live(self) -> StateGlyphs:
        self.clear_updaters()
        self.panel.clear_updaters()
        return self

    def part(self, name: str) -> VMobject:
        """The mobjects of one part: "gradient", "momentum", "squares", "rates", "step".

        The same object every call, so a scene can remove exactly what it revealed."""
        if not hasattr(self, "_parts"):
            self._parts = {
                "gradient": self.gradient_arrow,
                "momentum": self.momentum_arrow,
                "squares": VGroup(self.squares, self.square_labels, self.square_values),
                "rates": VGroup(self.bars, self.bar_labels, self.rate_values),
                "step": VGroup(self.step_arrow, self.step_tag),
            }
        return self._parts[name]

    def reveal(self, name: str) -> list:
        """Animations bringing in one part (arrows grow from the particle)."""
        mob = self.part(name)
        if isinstance(mob, Arrow):
            return [GrowArrow(mob)]
        if name == "step":
            return [GrowArrow(self.step_arrow), FadeIn(self.step_tag)]
        return [FadeIn(mob, shift=0.1 * UP)]

    def hide(self, *names: str) -> list:
        return [FadeOut(self.part(n)) for n in names]

    def values(self, k: int) -> dict[str, str]:
        """Engine numbers of update k, formatted for captions."""
        st = self.state
        out = {"k": str(k), "gx": format_sig(st.gradient(k)[0]), "gy": format_sig(st.gradient(k)[1]),
               "dx": format_sig(st.step(k)[0]), "dy": format_sig(st.step(k)[1]),
               "lr": format_sig(st.lr)}
        if st.momentum(k) is not None:
            m = st.momentum(k)
            out.update(mx=format_sig(m[0]), my=format_sig(m[1]))
        if st.squares(k) is not None:
            s, r = st.squares(k), st.rates(k)
            out.update(sx=format_sig(s[0]), sy=format_sig(s[1]), rx=format_sig(r[0]), ry=format_sig(r[1]))
        return out


__all__ = ["ParticleState", "StateGlyphs", "PARTS"]
