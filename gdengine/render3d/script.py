"""Beats and captions of a 3-D clip on the frame clock.

A ``Script`` is the clip's beats in viewing order: a stable id (``intro``, ``descend``,
``basins``, ``recap`` …), how long the beat lasts and the caption it shows. A beat is never
shorter than its caption's reading time (the linter's rule: 1 s + 1 s per 3 words or per 6
Chinese characters) plus the caption swap, so the clip's length follows from its words unless
a ``duration`` is imposed (then every beat is scaled to fit). With ``voices`` (beat id → its
narration's audio lines) a beat also lasts as long as its voice plus a breath, as in the
Manim clips, and ``lines`` holds each line's time for the audio track and subtitles.

Captions swap one after the other, as in the Manim clips: the old line fades out completely
(``FADE`` seconds), then the new one fades in; two captions are never on screen at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from gdengine.errors import GdengineError
from gdengine.lint.rules import reading_seconds
from gdengine.voice.lines import spoken_seconds, timed

FADE = 0.3  # seconds of a caption fading out, and of the next one fading in
SLACK = 0.35  # extra hold after the reading time (the linter samples 8 times a second)


@dataclass(frozen=True)
class Beat:
    name: str  # stable identifier: no parameter values, no user text
    seconds: float = 0.0  # at least this long (the caption's reading time is added as needed)
    caption: str | None = None  # the line shown from this beat on (None: keep the last one)


def caption_seconds(text: str | None, pace: float = 1.0) -> float:
    """Shortest beat that shows ``text`` for its reading time, swap included."""
    if not text:
        return 0.0
    return reading_seconds(text, pace) + 2 * FADE + SLACK


class Script:
    """Beats on the frame clock: ``start[i]`` is the first frame of beat i."""

    def __init__(self, beats: list[Beat], fps: float, *, duration: float | None = None,
                 pace: float = 1.0, voices: Mapping[str, Sequence[Any]] | None = None) -> None:
        if not beats:
            raise GdengineError("a clip needs at least one beat")
        if not (np.isfinite(fps) and fps > 0):
            raise GdengineError(f"fps must be > 0, got {fps!r}")
        names = [b.name for b in beats]
        if len(set(names)) != len(names):
            raise GdengineError(f"beat ids must be unique, got {names}")
        self.beats, self.fps = list(beats), float(fps)
        seconds = np.array([max(b.seconds, caption_seconds(b.caption, pace)) for b in beats])
        if duration is not None:
            if not (np.isfinite(duration) and duration > 0):
                raise GdengineError(f"duration must be a number of seconds > 0, got {duration!r}")
            seconds = seconds * (duration / seconds.sum())
        voices = {b.name: list((voices or {}).get(b.name, ())) for b in beats}
        seconds = np.maximum(seconds, [spoken_seconds(voices[b.name]) for b in beats])  # a beat waits for its voice
        ends = np.round(np.cumsum(seconds) * fps).astype(int)
        if ends[-1] < 1:
            raise GdengineError(
                f"{float(seconds.sum()):.3g} s at {fps} fps gives zero frames; use a longer duration")
        self.start = np.concatenate([[0], ends[:-1]])
        self.end = ends
        self.lines: list[tuple[str, str, str, float, float]] = []  # (beat, text, audio, start s, end s)
        for b, first in zip(beats, self.start):
            for audio, start, end in timed(voices[b.name], first / fps):
                self.lines.append((b.name, audio.text, str(audio.path), start, end))
        self.n_frames = int(ends[-1])
        self._fade = max(1, round(FADE * fps))
        captions, last = [], None
        for b in beats:
            last = b.caption if b.caption is not None else last
            captions.append(last)
        self.captions = captions

    def index(self, name: str) -> int:
        for i, b in enumerate(self.beats):
            if b.name == name:
                return i
        raise KeyError(name)

    def frames(self, name: str) -> tuple[int, int]:
        """First and one-past-last frame of beat ``name``."""
        i = self.index(name)
        return int(self.start[i]), int(self.end[i])

    def beats_at(self, k: int) -> list[str]:
        """Beats starting at frame ``k`` (several when a beat got zero frames)."""
        return [b.name for b, s in zip(self.beats, self.start) if s == k]

    def lines_of(self, name: str) -> list[tuple[str, str, str, float, float]]:
        """Narration lines of beat ``name``: (beat, text, audio file, start s, end s)."""
        return [line for line in self.lines if line[0] == name]

    def beat_at(self, k: int) -> int:
        return int(np.searchsorted(self.end, k, side="right"))

    def caption_at(self, k: int) -> tuple[str | None, float, bool]:
        """(caption text, opacity, settled) at frame ``k``: a changed caption first fades the
        old line out, then the new one in."""
        i = min(self.beat_at(k), len(self.beats) - 1)
        current = self.captions[i]
        start = int(self.start[i])
        previous = self.captions[i - 1] if i > 0 else None
        if current == previous:  # no swap at this beat: find the swap that showed it
            j = i
            while j > 0 and self.captions[j - 1] == current:
                j -= 1
            start, previous = int(self.start[j]), (self.captions[j - 1] if j > 0 else None)
        f = self._fade
        into = k - start
        if previous is not None and into < f:  # the old line fading out
            return previous, 1.0 - (into + 1) / f, False
        if previous is not None:
            into -= f
        if current is None:
            return None, 0.0, True
        if into < f:
            return current, (into + 1) / f, False
        return current, 1.0, True
