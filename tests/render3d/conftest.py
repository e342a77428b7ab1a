"""Shared helpers for the 3-D renderer tests: a sink that keeps frames, scene loading."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from gdengine.pipeline.worker import load_module

SCENES = Path(__file__).resolve().parents[2] / "scenes"


class CollectingSink:
    """The PyVista entry protocol (set_total / write / mark_poster / beat, ``linter``,
    ``needs_pixels``), frames kept in memory."""

    def __init__(self, linter=None, needs_pixels: bool = True) -> None:
        self.frames: list[np.ndarray] = []
        self.total: int | None = None
        self.poster: int | None = None
        self.writer_threads: set[str] = set()
        self.beats: list[tuple[str, int]] = []  # (beat id, index of its first frame)
        self.linter = linter
        self.needs_pixels = needs_pixels

    def beat(self, name: str) -> None:
        self.beats.append((name, len(self.frames)))

    def set_total(self, n: int) -> None:
        self.total = n

    def write(self, frame: np.ndarray) -> None:
        self.writer_threads.add(threading.current_thread().name)
        # lint only: the renderer writes one shared blank frame, kept by reference (no copies)
        self.frames.append(np.array(frame, copy=True) if self.needs_pixels else frame)

    def mark_poster(self) -> None:
        self.poster = len(self.frames) - 1


@pytest.fixture
def sink() -> CollectingSink:
    return CollectingSink()


def load_scene(stem: str):
    """Import scenes/<stem>.py as a module (as the pipeline does)."""
    return load_module(SCENES / f"{stem}.py")
