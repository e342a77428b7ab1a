"""Frames into the sink: order, poster, writer thread, errors; tiling."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from gdengine.errors import GdengineError
from gdengine.render3d.capture import SinkWriter
from gdengine.render3d.clip import play, tile, tile_sizes


def frame(i: int) -> np.ndarray:
    return np.full((4, 6, 3), i, dtype=np.uint8)


def test_play_keeps_order_marks_the_poster_and_overlaps_on_a_writer_thread(sink):
    play(sink, 12, frame, poster=7)
    assert sink.total == 12
    assert [int(f[0, 0, 0]) for f in sink.frames] == list(range(12))
    assert sink.poster == 7
    # the first frame is written by the caller (the encoder process starts there), the rest
    # by the writer thread
    assert threading.current_thread().name in sink.writer_threads
    assert "gdengine-sink-writer" in sink.writer_threads


def test_poster_defaults_to_the_last_frame(sink):
    play(sink, 3, frame)
    assert sink.poster == 2


def test_zero_frames_is_refused_before_anything_is_written(sink):
    with pytest.raises(GdengineError, match="at least one frame"):
        play(sink, 0, frame)
    assert sink.frames == [] and sink.total is None


class FailingSink:
    def __init__(self, fail_at: int) -> None:
        self.fail_at, self.count = fail_at, 0

    def write(self, f) -> None:
        self.count += 1
        if self.count == self.fail_at:
            raise RuntimeError("encoder went away")

    def mark_poster(self) -> None:
        pass


def test_a_sink_error_reaches_the_renderer():
    with pytest.raises(RuntimeError, match="encoder went away"):
        play(FailingSink(fail_at=3), 50, frame)


def test_a_renderer_error_stops_the_writer_and_wins(sink):
    def draw(k):
        if k == 4:
            raise ValueError("bad frame")
        return frame(k)

    with pytest.raises(ValueError, match="bad frame"):
        play(sink, 10, draw)
    assert len(sink.frames) <= 4


def test_writer_close_without_frames_is_fine(sink):
    with SinkWriter(sink):
        pass
    assert sink.frames == []


def test_tile_sizes_fill_the_frame_with_even_tiles():
    for total, parts, gap in [(1280, 3, 4), (720, 2, 4), (854, 3, 2), (101, 2, 0)]:
        sizes = tile_sizes(total, parts, gap)
        assert sum(sizes) + gap * (parts - 1) == total
        assert all(s % 2 == 0 for s in sizes[:-1])
    with pytest.raises(GdengineError):
        tile_sizes(10, 6, 2)


def test_tile_places_each_frame_in_its_cell():
    ws, hs = tile_sizes(20, 2, 2), tile_sizes(10, 2, 2)
    frames = [np.full((hs[r], ws[c], 3), 10 * (i + 1), np.uint8)
              for i, (r, c) in enumerate([(0, 0), (0, 1), (1, 0), (1, 1)])]
    out = tile(frames, 2, 2, 20, 10, gap=2)
    assert out.shape == (10, 20, 3)
    assert out[0, 0, 0] == 10 and out[0, 19, 0] == 20 and out[9, 0, 0] == 30 and out[9, 19, 0] == 40
    with pytest.raises(GdengineError, match="tile 0"):
        tile([frames[1]] * 4, 2, 2, 21, 10, gap=2)
