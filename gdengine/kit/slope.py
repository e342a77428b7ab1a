"""Slope widgets for 1-D scenes: a tangent line with a live slope read-out, and the step
arrow −η·f′(x) drawn along x.

Both follow a function ``x_fn() -> float`` (a replay's ``x``, or a sweeping ``ValueTracker``)
and take their numbers from the engine: the slope from ``slope_fn`` (default: the landscape's
``grad`` at ``x``), the step from ``step_fn`` (for a replay: the engine's recorded update).
Lines are clipped to the plotted window, so nothing is drawn outside the axes.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from manim import DOWN, RIGHT, UP, Arrow, Line, VGroup

from gdengine.kit import palette
from gdengine.kit.curve import CurvePlot, df1, f1
from gdengine.kit.text import READOUT_SIZE, Readout
from gdengine.lint.roles import DATA, mark


def clip_segment(a: np.ndarray, b: np.ndarray, lo: np.ndarray, hi: np.ndarray):
    """Liang–Barsky: the part of segment a→b inside the box [lo, hi] (x, y), or None."""
    t0, t1 = 0.0, 1.0
    d = b - a
    for axis in (0, 1):
        for p, q in ((-d[axis], a[axis] - lo[axis]), (d[axis], hi[axis] - a[axis])):
            if abs(p) < 1e-12:
                if q < 0:
                    return None
                continue
            r = q / p
            if p < 0:
                t0 = max(t0, r)
            else:
                t1 = min(t1, r)
            if t0 > t1:
                return None
    return a + t0 * d, a + t1 * d


def window_box(plot: CurvePlot) -> tuple[np.ndarray, np.ndarray]:
    (x_lo, x_hi), (y_lo, y_hi) = plot.x_bounds, plot.y_bounds
    return plot.to_screen(x_lo, y_lo), plot.to_screen(x_hi, y_hi)


class TangentLine(VGroup):
    """Tangent to the curve at ``x_fn()``, fixed screen length, with an optional read-out
    ``slope = f′(x)`` that follows the line's upper end."""

    def __init__(
        self,
        plot: CurvePlot,
        x_fn: Callable[[], float],
        length: float = 3.0,
        slope_fn: Callable[[], float] | None = None,
        color=palette.TANGENT,
        readout: bool = True,
        readout_label: str = "f'(x) =",
        digits: int = 2,
    ):
        self.plot, self.x_fn, self.length = plot, x_fn, length
        self.slope_fn = slope_fn or (lambda: df1(plot.land, x_fn()))
        self.line = Line(color=color, stroke_width=4)
        parts = [self.line]
        self.readout = None
        if readout:
            self.readout = Readout(readout_label, self.slope_fn, digits=digits, color=color, value_color=color)
            parts.append(self.readout)
        super().__init__(*parts)
        self.refresh()
        self.add_updater(lambda mob: mob.refresh())

    def refresh(self) -> TangentLine:
        x = self.x_fn()
        centre = self.plot.point(x)
        direction = self.plot.tangent_direction(x)
        clipped = clip_segment(
            centre - direction * self.length / 2, centre + direction * self.length / 2, *window_box(self.plot)
        )
        if clipped is None:
            self.line.set_stroke(opacity=0.0)
        else:
            if np.linalg.norm(clipped[1] - clipped[0]) > 1e-6:
                self.line.put_start_and_end_on(*clipped)
            self.line.set_stroke(opacity=1.0)
        if self.readout is not None:
            self.readout.refresh()
            self.place_readout(centre, direction)
        return self

    def place_readout(self, centre: np.ndarray, direction: np.ndarray) -> None:
        """Put the read-out beside the tangent, on the side away from the curve's inside,
        kept inside the plot window."""
        up_end = centre + direction * self.length / 2 * (1 if direction[1] >= 0 else -1)
        self.readout.move_to(up_end + 0.45 * UP)
        lo, hi = window_box(self.plot)
        shift = np.zeros(3)
        if self.readout.get_left()[0] < lo[0]:
            shift[0] = lo[0] - self.readout.get_left()[0]
        if self.readout.get_right()[0] > hi[0] + 1.5:
            shift[0] = hi[0] + 1.5 - self.readout.get_right()[0]
        if self.readout.get_top()[1] > hi[1] + 0.3:
            shift[1] = hi[1] + 0.3 - self.readout.get_top()[1]
        self.readout.shift(shift)


class StepArrow(VGroup):
    """The step −η·f′(x) as a horizontal arrow from x to x + step, drawn near the bottom of
    the plot window, with a thin drop line from the curve point above its tail.

    Hidden when the step is too short to draw (under ``min_length`` scene units).
    """

    def __init__(
        self,
        plot: CurvePlot,
        x_fn: Callable[[], float],
        step_fn: Callable[[], float],
        color=palette.STEP,
        height: float | None = None,
        min_length: float = 0.08,
        drop_line: bool = True,
    ):
        self.plot, self.x_fn, self.step_fn = plot, x_fn, step_fn
        self.arrow_color, self.min_length = color, min_length
        y_lo, y_hi = plot.y_bounds
        self.y_level = y_lo + 0.06 * (y_hi - y_lo) if height is None else height
        self.arrow = mark(Arrow(ORIGIN3, RIGHT, buff=0, color=color, stroke_width=6, tip_length=0.2), DATA)
        self.arrow.lint_label = "step arrow"
        self.drop = Line(ORIGIN3, ORIGIN3 + DOWN, color=color, stroke_width=2)
        self.show_drop = drop_line
        super().__init__(self.drop, self.arrow)
        self.refresh()
        self.add_updater(lambda mob: mob.refresh())

    @classmethod
    def for_replay(cls, plot: CurvePlot, replay, **kwargs) -> StepArrow:
        """The engine's step under way: the arrow stays put while the ball travels along it
        and stays after it lands (the ball at its head, so a pause shows the step just taken)
        until the next step starts; before the first, the step about to be taken."""

        def current() -> int:
            return int(np.clip(np.ceil(replay.t - 1e-9) - 1, 0, max(replay.last - 1, 0)))

        return cls(plot, lambda: replay.x_k(current()), lambda: replay.step_k(current()), **kwargs)

    def endpoints(self) -> tuple[np.ndarray, np.ndarray]:
        x = self.x_fn()
        return self.plot.to_screen(x, self.y_level), self.plot.to_screen(x + self.step_fn(), self.y_level)

    def refresh(self) -> StepArrow:
        start, end = self.endpoints()
        lo, hi = window_box(self.plot)
        clipped = clip_segment(start, end, lo, hi)
        shown = clipped is not None and np.linalg.norm(clipped[1] - clipped[0]) >= self.min_length
        if not shown:
            self.arrow.set_opacity(0.0)
        else:  # mutate in place (a replaced submobject would linger in a running play)
            self.arrow.become(
                Arrow(
                    *clipped,
                    buff=0,
                    color=self.arrow_color,
                    stroke_width=6,
                    max_tip_length_to_length_ratio=0.35,
                    tip_length=0.2,
                )
            )
        x = self.x_fn()
        top = self.plot.point(x)
        if shown and self.show_drop and self.plot.inside(x) and abs(top[1] - start[1]) > 0.05:
            self.drop.put_start_and_end_on(top, start)
            self.drop.set_stroke(opacity=0.45)
        else:
            self.drop.set_stroke(opacity=0.0)
        return self


ORIGIN3 = np.zeros(3)
