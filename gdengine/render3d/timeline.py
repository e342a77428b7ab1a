"""Frame timing decoupled from the step count.

A clip has ``n_frames`` frames whatever the number of optimisation steps T: the first
``intro`` frames hold the starts, the last ``outro`` frames hold the end, and the frames in
between play the steps through a time warp (``linear``: steps at a constant rate; ``log``:
early steps — the big, informative ones — slowly, the long converged tail quickly). Positions
between two iterates are interpolated on the straight update segment, so motion is smooth at
any frame rate and a ball always moves the way the optimizer moved it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gdengine.errors import GdengineError

WARPS = ("linear", "log")


@dataclass(frozen=True)
class Timeline:
    n_frames: int
    steps: int  # T: the last step index shown
    intro: int = 0  # frames holding step 0
    outro: int = 0  # frames holding step T
    warp: str = "log"

    def __post_init__(self) -> None:
        if self.n_frames < 1:
            raise GdengineError(f"a clip needs at least one frame, got {self.n_frames} frames")
        if self.steps < 0:
            raise GdengineError(f"steps must be >= 0, got {self.steps}")
        if self.warp not in WARPS:
            raise GdengineError(f"unknown time warp {self.warp!r}; valid choices: {', '.join(WARPS)}")
        if self.intro < 0 or self.outro < 0 or self.intro + self.outro > self.n_frames:
            raise GdengineError(
                f"intro ({self.intro}) and outro ({self.outro}) frames must fit in {self.n_frames}")

    @classmethod
    def for_clip(cls, *, fps: float, duration: float, steps: int, intro: float = 1.0,
                 outro: float = 1.5, warp: str = "log") -> "Timeline":
        """Frames for ``duration`` seconds at ``fps``; intro/outro in seconds (shrunk to fit)."""
        if not (np.isfinite(duration) and duration > 0 and np.isfinite(fps) and fps > 0):
            raise GdengineError(f"duration and fps must be > 0, got duration={duration!r}, fps={fps!r}")
        n = int(round(duration * fps))
        if n < 1:
            raise GdengineError(
                f"duration {duration} s at {fps} fps gives zero frames; use a longer duration")
        a, b = round(intro * fps), round(outro * fps)
        if a + b > n - 1:  # keep at least one moving frame
            k = max(n - 1, 0) / max(a + b, 1)
            a, b = int(a * k), int(b * k)
        return cls(n, int(steps), a, b, warp)

    @property
    def moving(self) -> int:
        return self.n_frames - self.intro - self.outro

    def step_at(self) -> np.ndarray:
        """Fractional step index shown at every frame, (n_frames,), non-decreasing, 0 … T."""
        s = np.zeros(self.n_frames)
        m = self.moving
        if m > 0 and self.steps > 0:
            u = np.linspace(0.0, 1.0, m + 1)[1:]  # the first moving frame already moves
            if self.warp == "linear":
                w = u * self.steps
            else:
                w = np.expm1(u * np.log1p(self.steps))
            w[-1] = self.steps  # exactly the last step (expm1∘log1p is off by an ulp)
            s[self.intro : self.intro + m] = w
        s[self.intro + m :] = self.steps
        return np.minimum(s, self.steps)


def interpolate(positions: np.ndarray, s: float | np.ndarray) -> np.ndarray:
    """Positions (T+1, B, D) at fractional step(s) ``s``: (B, D), or (K, B, D) for an array."""
    positions = np.asarray(positions, dtype=float)
    T = positions.shape[0] - 1
    s_arr = np.clip(np.atleast_1d(np.asarray(s, dtype=float)), 0.0, T)
    i = np.minimum(np.floor(s_arr).astype(np.int64), max(T - 1, 0))
    a = (s_arr - i)[:, None, None]
    if T == 0:
        out = np.repeat(positions[:1], len(s_arr), axis=0)
    else:
        out = (1.0 - a) * positions[i] + a * positions[i + 1]
    return out[0] if np.ndim(s) == 0 else out
