"""A clip encoded in parts: ranges rendered apart join, without re-encoding, to the same bytes
as the whole clip encoded here, and decode to every frame in order."""

from __future__ import annotations

import numpy as np
import pytest

from gdengine.errors import GdengineError
from gdengine.pipeline import encode
from gdengine.pipeline.manifest import file_sha256
from gdengine.pipeline.sink import FrameSink

from .helpers import decode

W, H, FPS, N, PART = 320, 180, 30, 155, 60  # three parts, the last one short
POSTER = 100


def frame(i: int) -> np.ndarray:
    f = np.zeros((H, W, 3), np.uint8)
    f[:] = (i * 7 % 255, 80, 160)
    f[:, (i * 2) % W : (i * 2) % W + 10] = 255
    return f


def encode_clip(folder, **kw) -> FrameSink:
    folder.mkdir()
    sink = FrameSink(width=W, height=H, fps=FPS, mp4=folder / "clip.mp4", gif_master=folder / "master.mov", **kw)
    for i in range(N):
        sink.write(frame(i))
        if i == POSTER:
            sink.mark_poster()
    sink.close()
    return sink


def test_ranges_join_to_the_bytes_of_the_whole_clip(tmp_path):
    whole = encode_clip(tmp_path / "whole", segment_frames=PART)
    assert [index for index, _, _ in whole.parts] == [0, 1, 2]
    ranges = [encode_clip(tmp_path / f"r{a}", segment_frames=PART, frame_range=(a, min(a + PART, N)))
              for a in range(0, N, PART)]  # fmt: skip
    assert all(r.frames == N for r in ranges)  # every range runs the clip's whole clock
    encode.join_parts([r.parts[0][1] for r in ranges], tmp_path / "joined.mp4")
    encode.join_parts([r.parts[0][2] for r in ranges], tmp_path / "joined.mov")
    assert file_sha256(tmp_path / "joined.mp4") == file_sha256(tmp_path / "whole" / "clip.mp4")
    assert file_sha256(tmp_path / "joined.mov") == file_sha256(tmp_path / "whole" / "master.mov")
    # the poster is in the one range that holds its frame
    assert [r.poster is not None for r in ranges] == [False, True, False]
    assert np.array_equal(ranges[1].poster, frame(POSTER)) and whole.poster_index == POSTER


def test_a_clip_in_parts_decodes_to_every_frame_and_the_same_gif_master(tmp_path):
    encode_clip(tmp_path / "parts", segment_frames=PART)
    encode_clip(tmp_path / "one")
    _, frames = decode(tmp_path / "parts" / "clip.mp4")
    assert len(frames) == N
    errors = [np.abs(frames[i].astype(int) - frame(i).astype(int)).mean() for i in range(N)]
    assert max(errors) < 4  # each frame is its own, in order (neighbours differ by far more)
    _, parts_master = decode(tmp_path / "parts" / "master.mov")
    _, one_master = decode(tmp_path / "one" / "master.mov")
    assert len(parts_master) == 78 and np.array_equal(parts_master, one_master)  # lossless, 15 fps


def test_a_range_must_start_on_a_part_boundary(tmp_path):
    with pytest.raises(GdengineError, match="part boundary"):
        FrameSink(width=W, height=H, fps=FPS, mp4=tmp_path / "c.mp4", gif_master=tmp_path / "m.mov",
                  segment_frames=PART, frame_range=(10, 70))  # fmt: skip
