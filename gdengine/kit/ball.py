"""The ball that replays a 1-D trajectory on a ``CurvePlot``, its trail, honest clipping.

``ReplayBall(plot, replay)`` rests on the curve (offset along the drawn curve's normal by its
radius) at the replay's display position. Between iterates it either slides along the curve
(``path="slide"``, for small steps) or hops on an arc from one iterate to the next
(``path="hop"``, for steps that jump across the valley, where sliding would suggest a
physical roll that gradient descent does not do).

Honest clipping: when the position leaves the plotted window (a diverging run), the ball is
hidden rather than drawn outside the axes, and an ``OffPlotMarker`` sits on the window's
border pointing to where the iterate went.
"""

from __future__ import annotations

import bisect
import math

import numpy as np
from manim import UP, Circle, Dot, Triangle, VGroup

from gdengine.kit import palette
from gdengine.kit.curve import CurvePlot, f1
from gdengine.kit.replay import Replay
from gdengine.lint.roles import DATA, mark

BALL_RADIUS = 0.15


def make_ball(radius: float = BALL_RADIUS, color=palette.BALL) -> Circle:
    ball = Circle(
        radius=radius,
        fill_color=color,
        fill_opacity=1.0,
        stroke_color=palette.BACKGROUND,
        stroke_width=2,
    )
    ball.lint_label = "ball"
    return mark(ball, DATA)


class OffPlotMarker(Triangle):
    """A small triangle on the plot border pointing at an off-plot position."""

    def __init__(self, color=palette.DIVERGED, size: float = 0.22):
        super().__init__(fill_color=color, fill_opacity=1.0, stroke_width=0)
        self.scale_to_fit_height(size)
        self._angle = np.pi / 2  # Triangle starts pointing up
        self.lint_label = "off-plot marker"
        mark(self, DATA)

    def point_at(self, anchor: np.ndarray, target: np.ndarray) -> OffPlotMarker:
        direction = target - anchor
        angle = float(np.arctan2(direction[1], direction[0])) if np.any(direction) else np.pi / 2
        self.rotate(angle - self._angle)
        self._angle = angle
        self.move_to(anchor - 0.16 * np.array([np.cos(angle), np.sin(angle), 0.0]))
        return self


class CurveBall(VGroup):
    """Ball + off-plot marker resting on the curve at ``x_fn()`` (any function of trackers).

    Hidden (and replaced by the border marker) whenever (x, f(x)) is outside the window."""

    def __init__(self, plot: CurvePlot, x_fn, radius: float = BALL_RADIUS, color=palette.BALL):
        self.plot, self.x_fn, self.ball_radius = plot, x_fn, radius
        self.ball = make_ball(radius, color)
        self.marker = OffPlotMarker()
        super().__init__(self.ball, self.marker)
        self.update_position()
        self.add_updater(lambda mob: mob.update_position())

    def center_at(self) -> np.ndarray:
        """Screen centre of the ball now."""
        return self.plot.resting_point(self.x_fn(), self.ball_radius)

    def is_on_plot(self) -> bool:
        return self.plot.inside(self.x_fn())

    def update_position(self) -> CurveBall:
        centre = self.center_at()
        on_plot = self.is_on_plot()
        self.ball.move_to(centre)
        opacity = 1.0 if on_plot else 0.0
        self.ball.set_fill(opacity=opacity).set_stroke(opacity=opacity)
        if on_plot:
            self.marker.set_fill(opacity=0.0)
            self.marker.move_to(centre)
        else:
            x = self.x_fn()
            y = f1(self.plot.land, x)
            anchor = self.plot.clip_point(x, y)
            self.marker.point_at(anchor, self.plot.to_screen(x, y)).set_fill(opacity=1.0)
        return self


class ReplayBall(CurveBall):
    """A ``CurveBall`` driven by ``replay.tracker`` (a pure function of ``t``).

    ``path="slide"`` follows the curve between iterates; ``path="hop"`` jumps on an arc."""

    def __init__(
        self,
        plot: CurvePlot,
        replay: Replay,
        radius: float = BALL_RADIUS,
        path: str = "slide",
        hop_height: float = 0.6,
        color=palette.BALL,
    ):
        if path not in ("slide", "hop"):
            raise ValueError(f"path must be 'slide' or 'hop', got {path!r}")
        self.replay, self.path, self.hop_height = replay, path, hop_height
        super().__init__(plot, replay.x, radius, color)

    def center_at(self) -> np.ndarray:
        r = self.replay
        if self.path == "slide" or r.last == 0:
            return super().center_at()
        k, s = r.segment()
        a = self.plot.resting_point(float(r.positions[k, 0]), self.ball_radius)
        b = self.plot.resting_point(float(r.positions[k + 1, 0]), self.ball_radius)
        lift = self.hop_height * min(1.0, abs(b[0] - a[0])) * 4 * s * (1 - s)
        return (1 - s) * a + s * b + lift * UP


class IterateTrail(VGroup):
    """Small dots on the curve at every iterate already reached (steps visibly shrink).

    The group holds only the dots reached so far: a replay may record thousands of iterates
    of which a clip shows forty, and hidden dots in the family cost as much to draw as shown
    ones. A dot joins at the point its iterate has on the plot then (so the plot may have moved
    or been scaled since the trail was made). Animations that transform the group suspend its
    updater, so its members never change under a running transform."""

    def __init__(self, plot: CurvePlot, replay: Replay, radius: float = 0.05, color=palette.BALL):
        self.plot, self.replay = plot, replay
        xs = replay.positions[: replay.last + 1, 0]
        self._on_plot = [(k, float(x)) for k, x in enumerate(xs) if plot.inside(float(x))]
        self._radius, self._color = radius, color
        self._unit = plot.units()[0]  # the plot's x scale when ``radius`` was given
        super().__init__()
        self.lint_label = "iterate trail"
        mark(self, DATA)
        self.refresh()
        self.add_updater(lambda mob: mob.refresh())

    def refresh(self) -> IterateTrail:
        """Dots for the iterates on the plot up to the last completed step."""
        count = bisect.bisect_right(self._on_plot, (self.replay.completed(), math.inf))
        if count < len(self.submobjects):  # the replay went back
            self.submobjects = self.submobjects[:count]
        elif count > len(self.submobjects):
            radius = self._radius * self.plot.units()[0] / self._unit
            for _, x in self._on_plot[len(self.submobjects) : count]:
                self.add(Dot(self.plot.point(x), radius=radius, color=self._color, fill_opacity=0.55))
        return self
        self.submobjects = [dot for dot in self._dots[: k + 1] if dot is not None]
        self._shown = k
        return self
        for i, (dot, ok) in enumerate(zip(self.submobjects, self.on_plot)):
            dot.set_opacity(0.55 if ok and i <= k else 0.0)
        self._shown = k
        return self
