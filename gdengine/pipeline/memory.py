"""``MemorySink``: the frame-sink protocol with frames kept in memory (tests, benchmarks).

Kept out of ``sink.py`` on purpose: ``sink.py`` is part of every clip's "renderer" key
(``inputs.RENDERER_FILES``), and a helper that never touches published pixels should not
trigger a rebuild of the gallery when it changes.
"""

from __future__ import annotations

import numpy as np


class MemorySink:
    """The same protocol, keeping (H, W, 3) RGB frames in memory (tests, benchmarks)."""

    def __init__(self) -> None:
        self.frames: list[np.ndarray] = []
        self.poster: int | None = None  # index of the marked frame
        self.total: int | None = None

    def write(self, frame: np.ndarray, repeat: int = 1) -> None:
        self.frames.extend([np.ascontiguousarray(np.asarray(frame)[:, :, :3])] * repeat)

    def mark_poster(self) -> None:
        self.poster = len(self.frames) - 1

    def set_total(self, n_frames: int) -> None:
        self.total = int(n_frames)
