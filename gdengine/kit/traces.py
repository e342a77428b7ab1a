"""Path traces: a particle's path with a fading tail, start/stop markers and honest clipping.

``Trace`` replays one particle from precomputed scene points (T+1, 3) driven by a
``StepClock``. It has two layers (see ``gdengine.kit.playback``):

* ``static`` — the start marker and the path up to the last ``freeze`` (no updaters);
* ``live`` — the path since the freeze, the fading tail (the last ``tail`` steps drawn in
  ``bands`` pieces of rising opacity over the faint path), the ball, and the end marker.

Clipping is honest: every segment is cut at the plotting box (Liang–Barsky), a ball outside
the box is hidden rather than drawn over neighbouring panels, and a diverged particle gets a
cross where its path leaves the box. End markers follow the engine's status: a ring when
``converged``, a square when ``stalled``, a cross when ``diverged``, a triangle where a
``max_steps`` run left the box for good (``outcome == "left"``); other ``max_steps`` runs just
keep their ball.

A trace carries the optimizer's second cue besides its colour (``gdengine.look``: colour-blind
viewers, greyscale prints): ``dash`` draws the path, its tail and its history as dashes (a line
style of the identity table, in multiples of the stroke width) and ``marker`` gives the ball its
shape. Dashes are laid along the path's arc length, so those of the static history and of the
live stretch line up and never crawl as the ball moves.
"""

from __future__ import annotations

import math

import numpy as np
from manim import (
    PI,
    Circle,
    Dot,
    Line,
    Polygon,
    Square,
    Star,
    Triangle,
    VGroup,
    VMobject,
)

from gdengine.kit import palette
from gdengine.kit.playback import StepClock, interpolate_rows
from gdengine.lint.roles import DATA, mark

STATUSES = ("converged", "stalled", "diverged", "max_steps")
STROKE_UNIT = 0.01  # scene units per unit of Manim stroke width (cairo's line-width multiple)


def dash_pattern(dash, width: float = 1.0) -> tuple[float, ...] | None:
    """``dash`` as on/off lengths in scene units, or None for a solid line.

    ``dash``: None, a line-style name of ``gdengine.look.LINE_STYLES`` ("dashed", …) or on/off
    lengths in multiples of the stroke ``width`` (the identity table's ``OptimizerLook.dashes``),
    so a dash keeps its shape on a thick path and a thin loss curve alike."""
    if dash is None:
        return None
    if isinstance(dash, str):
        from gdengine.look import LINE_STYLES

        if dash not in LINE_STYLES:
            raise ValueError(f"unknown line style {dash!r}; valid choices: {', '.join(LINE_STYLES)}")
        dash = LINE_STYLES[dash]
    pattern = tuple(float(v) for v in dash)
    if not pattern:
        return None
    if len(pattern) % 2 or min(pattern) < 0 or sum(pattern) <= 0:
        raise ValueError(f"a dash pattern is on/off lengths (an even count, ≥ 0), got {dash!r}")
    return tuple(v * width * STROKE_UNIT for v in pattern)


def ball_shape(marker: str, radius: float, color) -> VMobject:
    """A filled ball of shape ``marker`` (``gdengine.look.MARKERS``: circle, square, diamond,
    triangle, triangle_down, star, plus) about as heavy on screen as a dot of ``radius``, with a
    thin background-coloured rim so it stands out on its own path."""
    r = float(radius)
    if marker == "circle":
        shape = Dot(radius=r)
    elif marker == "square":
        shape = Square(side_length=1.8 * r)
    elif marker == "diamond":
        shape = Square(side_length=1.7 * r).rotate(PI / 4)
    elif marker in ("triangle", "triangle_down"):
        shape = Triangle(radius=1.45 * r)
        if marker == "triangle_down":
            shape.rotate(PI)
    elif marker == "star":
        shape = Star(n=5, outer_radius=1.6 * r, inner_radius=0.75 * r)
    elif marker == "plus":
        a, b = 1.3 * r, 0.45 * r
        shape = Polygon(*[[x, y, 0] for x, y in ((-a, -b), (-b, -b), (-b, -a), (b, -a), (b, -b), (a, -b),
                                                  (a, b), (b, b), (b, a), (-b, a), (-b, b), (-a, b))])
    else:
        raise ValueError(f"unknown marker {marker!r}; valid choices: circle, square, diamond, "
                         "triangle, triangle_down, star, plus")
    shape.set_fill(color, opacity=1.0).set_stroke(width=0)
    shape.set_stroke(palette.BACKGROUND, width=1.5, background=True)
    return shape


def clip_params(points: np.ndarray, lo: np.ndarray, hi: np.ndarray):
    """Liang–Barsky parameters of each segment points[i]→points[i+1] inside [lo, hi]:
    ``(t0, t1, valid)``, the visible part being ``a + t·(b − a)`` for t in [t0, t1]."""
    p = np.asarray(points, dtype=float)[:, :2]
    a, b = p[:-1], p[1:]
    d = b - a
    t0 = np.zeros(len(a))
    t1 = np.ones(len(a))
    valid = np.ones(len(a), dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        for axis in (0, 1):
            for pk, qk in ((-d[:, axis], a[:, axis] - lo[axis]), (d[:, axis], hi[axis] - a[:, axis])):
                parallel = pk == 0
                valid &= ~(parallel & (qk < 0))
                r = qk / np.where(parallel, 1.0, pk)
                t0 = np.where(~parallel & (pk < 0), np.maximum(t0, r), t0)
                t1 = np.where(~parallel & (pk > 0), np.minimum(t1, r), t1)
    valid &= t0 <= t1
    return t0, t1, valid


def clip_segments(points: np.ndarray, lo: np.ndarray, hi: np.ndarray):
    """Clip each segment points[i]→points[i+1] (scene xy) to the box [lo, hi] (Liang–Barsky).

    Returns ``(a, b, valid)``: clipped start and end points (N−1, 2) and whether any part of
    the segment is inside the box.
    """
    p = np.asarray(points, dtype=float)[:, :2]
    t0, t1, valid = clip_params(p, lo, hi)
    a, d = p[:-1], p[1:] - p[:-1]
    return a + t0[:, None] * d, a + t1[:, None] * d, valid


def dash_pieces(start: np.ndarray, step: np.ndarray, arc0: np.ndarray, length: np.ndarray,
                t0: np.ndarray, t1: np.ndarray, pattern: tuple[float, ...]):
    """The dashes of straight segments ``start + t·step`` (t in [t0, t1] of each) under an
    on/off ``pattern`` laid along the arc length (``arc0``: arc length at each segment's start,
    ``length``: its full length). Returns piece ends ``(a, b)`` (K, 2)."""
    period = float(sum(pattern))
    ons = np.cumsum(pattern)[::2] - np.asarray(pattern[::2])  # start of each dash in a period
    ok = (t1 > t0) & (length > 0)
    start, step, arc0, length, t0, t1 = (v[ok] for v in (start, step, arc0, length, t0, t1))
    ua, ub = arc0 + t0 * length, arc0 + t1 * length
    k0 = np.floor(ua / period).astype(int)
    counts = np.floor(ub / period).astype(int) - k0 + 1
    seg = np.repeat(np.arange(len(ua)), counts)
    k = k0[seg] + np.arange(len(seg)) - np.repeat(np.cumsum(counts) - counts, counts)
    a_list, b_list, at = [], [], []
    for on_start, on_len in zip(ons, pattern[::2]):
        lo = np.maximum(ua[seg], k * period + on_start)
        hi = np.minimum(ub[seg], k * period + on_start + on_len)
        keep = hi > lo + 1e-9
        s_idx = seg[keep]
        ta = (lo[keep] - arc0[s_idx]) / length[s_idx]
        tb = (hi[keep] - arc0[s_idx]) / length[s_idx]
        a_list.append(start[s_idx] + ta[:, None] * step[s_idx])
        b_list.append(start[s_idx] + tb[:, None] * step[s_idx])
        at.append(lo[keep])
    order = np.argsort(np.concatenate(at), kind="stable")  # along the path: a dash bent at a
    return np.concatenate(a_list)[order], np.concatenate(b_list)[order]  # vertex stays one stroke


def segment_curves(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Straight segments a→b (N, 2|3) as Manim cubic Bézier points (N, 4, 3)."""
    a3 = np.zeros((len(a), 3))
    b3 = np.zeros((len(b), 3))
    a3[:, :2], b3[:, :2] = a[:, :2], b[:, :2]
    d = b3 - a3
    return np.stack([a3, a3 + d / 3, a3 + 2 * d / 3, b3], axis=1)


class Trace:
    """One particle's replayed path (scene ``points`` (T+1, 3)) inside ``box`` = (lo, hi).

    ``stop_step``/``status`` come from the engine (``traj.stopped_at[b]``, ``traj.status[b]``);
    the end marker appears once the clock passes ``stop_step``.
    """

    def __init__(
        self,
        points: np.ndarray,
        clock: StepClock,
        box: tuple[np.ndarray, np.ndarray],
        color,
        *,
        width: float = 3.0,
        tail: int = 24,
        bands: int = 6,
        base_opacity: float = 0.55,
        ball_radius: float = 0.09,
        stop_step: int | None = None,
        status: str = "max_steps",
        show_ball: bool = True,
        show_start: bool = True,
        anchor=None,
        dash=None,
        marker: str = "circle",
    ):
        self.points = np.asarray(points, dtype=float)
        self.T = len(self.points) - 1
        self.clock = clock
        self.lo, self.hi = (np.asarray(v, dtype=float)[:2] for v in box)
        self.color = color
        self.tail = int(tail)
        self.n_bands = int(bands) if tail > 0 else 0
        self.stop_step = self.T if stop_step is None else int(min(stop_step, self.T))
        self.status = status if status in STATUSES else "max_steps"
        a, b, self.valid = clip_segments(self.points, self.lo, self.hi)
        self.curves = segment_curves(a, b)  # (T, 4, 3)
        self.width = float(width)
        self.set_dash(dash)
        inside = self._inside(self.points[: self.stop_step + 1])
        # the step at which the particle leaves the box for good (None: it ends inside)
        self.exit_step = None if inside[-1] else (
            int(np.flatnonzero(inside)[-1]) + 1 if inside.any() else 0)
        self.outcome = self.status
        if self.status == "max_steps" and self.exit_step is not None:
            self.outcome = "left"
        self.frozen = 0
        # Moving the plot after the trace was built (``anchor``: the plot's frame) moves the
        # trace with it: scene points are stored as built and shifted at draw time.
        self.anchor = anchor
        self._anchor0 = None if anchor is None else anchor.get_center().copy()

        self.history = VMobject(stroke_color=color, stroke_width=width, stroke_opacity=base_opacity)
        self.start_marker = Circle(radius=ball_radius * 0.9, stroke_color=color, stroke_width=2.5)
        self.start_marker.move_to(self.points[0])
        self.static = VGroup(self.history, self.start_marker if show_start else VGroup())

        self.recent = VMobject(stroke_color=color, stroke_width=width, stroke_opacity=base_opacity)
        self.tail_bands = VGroup(*[
            VMobject(stroke_color=color, stroke_width=width,
                     stroke_opacity=base_opacity + (1 - base_opacity) * (k + 1) / self.n_bands)
            for k in range(self.n_bands)
        ])
        self.ball = ball_shape(marker, ball_radius, color).move_to(self.points[0])
        self.end_marker = self._make_end_marker(ball_radius)
        self.end_marker.set_opacity(0)
        self.live = VGroup(self.recent, self.tail_bands, self.end_marker,
                           self.ball if show_ball else VGroup())
        for part, name in ((self.history, "trail"), (self.recent, "trail"), (self.tail_bands, "trail"),
                           (self.ball, "ball"), (self.end_marker, "stop marker"), (self.start_marker, "start marker")):
            part.lint_label = name
            mark(part, DATA)
        self._marker_on = False
        self.live.add_updater(lambda _: self.update())
        self.update()

    def set_dash(self, dash) -> Trace:
        """Draw the path with line style ``dash`` from now on (see ``dash_pattern``); for traces
        built by others, e.g. a loss plot's curves, that should carry their run's line style."""
        self.dash = dash_pattern(dash, self.width)
        if self.dash is not None:  # arc length along the (unclipped) path lays out the dashes
            self._t0, self._t1, _ = clip_params(self.points, self.lo, self.hi)
            self._steps = np.diff(self.points[:, :2], axis=0)
            self._lengths = np.linalg.norm(self._steps, axis=1)
            self._arc0 = np.concatenate([[0.0], np.cumsum(self._lengths)[:-1]])
        return self

    # --- geometry ------------------------------------------------------------------------
    def _inside(self, pts: np.ndarray) -> np.ndarray:
        pts = np.atleast_2d(pts)[:, :2]
        return np.all((pts >= self.lo - 1e-9) & (pts <= self.hi + 1e-9), axis=1)

    def position(self, s: float) -> np.ndarray:
        """Scene point of the particle at fractional step ``s`` (unclipped)."""
        return interpolate_rows(self.points, min(s, self.T))

    def path_points(self, i0: int, s: float) -> np.ndarray:
        """Bézier points of the clipped path from iterate ``i0`` to fractional step ``s``."""
        s = min(max(s, 0.0), float(self.T))
        i0 = max(0, min(i0, self.T))
        i1 = int(math.floor(s))
        if i1 < i0:
            return np.zeros((0, 3))
        if self.dash is not None:
            return self._dashed_points(i0, s)
        whole = self.curves[i0:i1][self.valid[i0:i1]].reshape(-1, 3)
        f = s - i1
        if f <= 0 or i1 >= self.T:
            return whole
        end = self.position(s)
        a, b, ok = clip_segments(np.array([self.points[i1], end]), self.lo, self.hi)
        if not ok[0]:
            return whole
        return np.concatenate([whole, segment_curves(a, b).reshape(-1, 3)])

    def _dashed_points(self, i0: int, s: float) -> np.ndarray:
        """Bézier points of the dashes of the clipped path from iterate ``i0`` to step ``s``."""
        i1 = min(int(math.ceil(s)), self.T)
        if i1 <= i0:
            return np.zeros((0, 3))
        sl = slice(i0, i1)
        t1 = self._t1[sl].copy()
        if s < i1:  # the last segment only as far as the ball
            t1[-1] = min(t1[-1], s - (i1 - 1))
        a, b = dash_pieces(self.points[sl, :2], self._steps[sl], self._arc0[sl], self._lengths[sl],
                           self._t0[sl], t1, self.dash)
        return segment_curves(a, b).reshape(-1, 3) if len(a) else np.zeros((0, 3))

    def _make_end_marker(self, r: float) -> VMobject:
        if self.status == "converged":
            marker = Circle(radius=2.0 * r, stroke_color=self.color, stroke_width=3)
            at = self.points[self.stop_step]
        elif self.status == "stalled":
            marker = Square(side_length=3.2 * r, stroke_color=self.color, stroke_width=3)
            at = self.points[self.stop_step]
        elif self.outcome == "diverged":
            k = 1.6 * r
            marker = VGroup(
                Line([-k, -k, 0], [k, k, 0]), Line([-k, k, 0], [k, -k, 0])
            ).set_stroke(self.color, width=5)
            at = self.points[self.stop_step] if self.exit_step is None else self.exit_point()
        elif self.outcome == "left":
            marker = Triangle(radius=1.8 * r, stroke_color=self.color, stroke_width=3)
            at = self.exit_point()
        else:
            self._marker_at = self.points[self.stop_step]
            return VGroup()
        self._marker_at = np.asarray(at, dtype=float)
        return marker.move_to(at)

    def exit_point(self) -> np.ndarray:
        """Where the path first leaves the box (the clipped end of its last inside segment)."""
        i = self.exit_step
        if i is None:
            return self.points[self.stop_step]
        if i == 0:
            return self.points[0]
        a, b, ok = clip_segments(self.points[i - 1:i + 1], self.lo, self.hi)
        return np.array([*b[0], 0.0]) if ok[0] else self.points[i - 1]

    @property
    def marker_step(self) -> int:
        """Step at which the end marker appears: the engine's stop step (stop rule or
        divergence), or for runs that merely left the box (``"left"``) the step that took
        them out for good."""
        if self.outcome == "left":
            return min(self.exit_step, self.stop_step)
        return self.stop_step

    # --- layers ----------------------------------------------------------------------------
    def offset(self) -> np.ndarray:
        """How far the anchor (the plot frame) has moved since the trace was built."""
        if self.anchor is None:
            return np.zeros(3)
        return self.anchor.get_center() - self._anchor0

    def freeze(self, step: int) -> None:
        """Move the path up to iterate ``step`` into the static layer."""
        step = max(0, min(int(step), self.T))
        self.frozen = step
        off = self.offset()
        self.history.set_points(self.path_points(0, step) + off)
        self.start_marker.move_to(self.points[0] + off)
        self.end_marker.move_to(self._marker_at + off)

    def update(self) -> None:
        s = self.clock.s
        off = self.offset()
        self.recent.set_points(self.path_points(self.frozen, s) + off)
        for k, band in enumerate(self.tail_bands):
            lo = s - self.tail * (self.n_bands - k) / self.n_bands
            hi = s - self.tail * (self.n_bands - k - 1) / self.n_bands
            band.set_points(self.path_points(max(0, int(math.floor(lo))), hi) + off
                            if hi > 0 else np.zeros((0, 3)))
        p = self.position(s)
        self.ball.move_to(p + off)
        self.ball.set_opacity(1.0 if self._inside(p)[0] else 0.0)
        on = s >= self.marker_step - 1e-9 and self.outcome != "max_steps"
        if on != self._marker_on:
            self.end_marker.set_stroke(opacity=1.0 if on else 0.0)
            self._marker_on = on

    def add_to(self, scene) -> None:
        """Convenience for a lone trace (several traces: add all ``static`` first)."""
        scene.add(self.static)
        scene.add(self.live)


class TraceSet:
    """Traces of every particle of a run: one static and one live layer for all of them."""

    def __init__(self, traces: list[Trace]):
        self.traces = traces
        self.static = VGroup(*[t.static for t in traces])
        self.live = VGroup(*[t.live for t in traces])

    def __iter__(self):
        return iter(self.traces)

    def __getitem__(self, i: int) -> Trace:
        return self.traces[i]

    def __len__(self) -> int:
        return len(self.traces)

    def freeze(self, step: int) -> None:
        for t in self.traces:
            t.freeze(step)


def traces_from_run(traj, map_, clock: StepClock, colors, **kwargs) -> TraceSet:
    """One ``Trace`` per particle of the engine ``Trajectory`` ``traj`` on contour/plane ``map_``
    (anything with ``c2p`` and a ``box`` or ``scene_box``)."""
    plane = map_.box if hasattr(map_, "box") else map_
    pts = map_.c2p(traj.positions)  # (T+1, B, 3)
    traces = []
    for b in range(traj.B):
        traces.append(Trace(pts[:, b], clock, plane.scene_box(), colors[b], anchor=plane.frame,
                            stop_step=int(traj.stopped_at[b]), status=str(traj.status[b]), **kwargs))
    return TraceSet(traces)
