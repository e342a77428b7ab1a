"""``MemorySink``: the frame-sink protocol with frames kept in memory (tests, benchmarks), or
counted and dropped (``keep=False``: linting without encoding).

Kept out of ``sink.py`` on purpose: ``sink.py`` is part of every clip's "renderer" key
(``inputs.RENDERER_FILES``), and a helper that never touches published pixels should not
trigger a rebuild of the gallery when it changes.
"""

from __future__ import annotations

import numpy as np

from gdengine.pipeline.sink import record_beat


class MemorySink:
    """The same protocol, keeping (H, W, 3) RGB frames in memory (tests, benchmarks)."""

    def __init__(self, fps: float = 1.0, keep: bool = True) -> None:
        self.fps, self.keep = fps, keep
        self.needs_pixels = keep  # False: a renderer may skip drawing (lint only)
        self.count = 0
        self.beats: list[tuple[str, float]] = []
        self.lines: list[tuple[str, str, str, float, float]] = []  # beat, text, audio file, start, end
        self.linter = None
        self.frames: list[np.ndarray] = []
        self.poster: int | None = None  # index of the marked frame
        self.total: int | None = None

    def write(self, frame: np.ndarray, repeat: int = 1) -> None:
        self.count += repeat
        if self.keep:
            self.frames.extend([np.ascontiguousarray(np.asarray(frame)[:, :, :3])] * repeat)

    def beat(self, name: str) -> None:
        record_beat(self.beats, name, self.count / self.fps)

    def line(self, beat: str, text: str, audio: str, start: float, end: float) -> None:
        self.lines.append((beat, text, audio, float(start), float(end)))

    def mark_poster(self) -> None:
        self.poster = self.count - 1

    def set_total(self, n_frames: int) -> None:
        self.total = int(n_frames)
