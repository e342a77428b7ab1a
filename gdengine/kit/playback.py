"""Replaying stored trajectories: a step clock, interpolation, and chunked playback.

A ``ValueTracker`` holds the (fractional) step index ``s``; every replayed mobject reads it
in an updater and indexes precomputed arrays (no dynamics in updaters). Between iterates the
position is interpolated linearly, so ``s = 3.5`` sits halfway from iterate 3 to 4.

Long replays are cheap because of *layers*: each replayed thing has a static part (the path
already travelled, no updaters, baked into Manim's cached background once per ``play``) and
a live part (the stretch since the last freeze, the fading tail, the ball). ``play_steps``
splits a replay into chunks of about a second and calls ``freeze`` before each, so the live
part never holds more than a chunk's worth of steps, whatever the step count: drawing a
frame at step 500 costs what it costs at step 10.

Scenes add ``static`` layers before ``live`` ones (``scene.add(*layers.static, *layers.live)``):
Manim redraws everything from the first mobject with an updater onwards.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Protocol

import numpy as np
from manim import Scene, UpdateFromAlphaFunc, ValueTracker, config, linear

from gdengine.errors import GdengineError


def interpolate_rows(points: np.ndarray, s: float) -> np.ndarray:
    """``points`` (T+1, ...) at fractional index ``s`` (clamped to [0, T])."""
    last = len(points) - 1
    if last <= 0 or s <= 0:
        return points[0].copy()
    if s >= last:
        return points[last].copy()
    i = int(math.floor(s))
    f = s - i
    return points[i] + f * (points[i + 1] - points[i])


class Freezable(Protocol):
    def freeze(self, step: int) -> None: ...


class StepClock:
    """A ``ValueTracker`` over the step index plus the things frozen along with it."""

    def __init__(self, start: float = 0.0):
        self.tracker = ValueTracker(float(start))
        self.followers: list[Freezable] = []

    @property
    def s(self) -> float:
        return float(self.tracker.get_value())

    def follow(self, *things: Freezable) -> StepClock:
        """Register objects with a ``freeze(step)`` method (traces, loss curves)."""
        self.followers.extend(things)
        return self

    def freeze(self, step: int | None = None) -> None:
        step = int(math.floor(self.s)) if step is None else int(step)
        for thing in self.followers:
            thing.freeze(step)

    def set(self, s: float) -> None:
        """Jump to step ``s`` (no animation) and freeze there."""
        self.tracker.set_value(float(s))
        self.freeze()


def chunk_bounds(run_time: float, fps: float, chunk_seconds: float = 1.0) -> list[tuple[int, int]]:
    """Whole-frame chunks ``[(f0, f1), …]`` covering ``round(run_time * fps)`` frames."""
    frames = max(1, int(round(run_time * fps)))
    per = max(1, int(round(chunk_seconds * fps)))
    return [(a, min(a + per, frames)) for a in range(0, frames, per)]


def play_steps(
    scene: Scene,
    clock: StepClock,
    to_step: float,
    run_time: float,
    rate_func: Callable[[float], float] = linear,
    chunk_seconds: float = 1.0,
    extra: Iterable = (),
) -> None:
    """Animate ``clock`` from its current step to ``to_step`` over ``run_time`` seconds.

    ``rate_func`` shapes the whole replay (not each chunk). Before each chunk of about
    ``chunk_seconds`` the clock's followers are frozen at the current step. ``extra``
    animations (e.g. a caption fade) play alongside the first chunk.
    """
    if run_time <= 0:
        raise GdengineError(f"run_time must be > 0, got {run_time!r}")
    fps = float(config.frame_rate)
    start = clock.s
    span = float(to_step) - start
    chunks = chunk_bounds(run_time, fps, chunk_seconds)
    total = chunks[-1][1]
    extra = list(extra)
    for a, b in chunks:

        def drive(tracker, alpha, a=a, b=b):
            frac = (a + alpha * (b - a)) / total
            tracker.set_value(start + span * rate_func(frac))

        clock.freeze()
        scene.play(UpdateFromAlphaFunc(clock.tracker, drive), *extra,
                   run_time=(b - a) / fps, rate_func=linear)
        extra = []
    clock.tracker.set_value(float(to_step))
    clock.freeze()
