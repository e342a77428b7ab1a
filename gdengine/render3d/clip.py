"""Playing a clip into the pipeline's sink, and tiling several views into one frame."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from gdengine.errors import GdengineError
from gdengine.render3d import colors
from gdengine.render3d.capture import SinkWriter


def play(sink, n_frames: int, draw: Callable[[int], np.ndarray], *, poster: int | None = None) -> None:
    """Write ``draw(0) … draw(n_frames - 1)`` to ``sink`` (PyVista entry protocol).

    Frames are handed over by a writer thread so encoding overlaps rendering; ``poster``
    (default: the last frame) is marked right after its frame.
    """
    if n_frames < 1:
        raise GdengineError(f"a clip needs at least one frame, got {n_frames}")
    poster = n_frames - 1 if poster is None else int(np.clip(poster, 0, n_frames - 1))
    if hasattr(sink, "set_total"):
        sink.set_total(n_frames)
    with SinkWriter(sink) as out:
        for k in range(n_frames):
            out.write(draw(k))
            if k == poster:
                out.mark_poster()


def tile_sizes(total: int, parts: int, gap: int) -> list[int]:
    """Split ``total`` pixels into ``parts`` even sizes (± 2 px) separated by ``gap``."""
    free = total - gap * (parts - 1)
    if free < 2 * parts:
        raise GdengineError(f"{total} px cannot hold {parts} tiles")
    base = (free // parts) // 2 * 2
    sizes = [base] * parts
    rest = free - base * parts
    i = 0
    while rest >= 2:
        sizes[i % parts] += 2
        rest -= 2
        i += 1
    sizes[-1] += rest
    return sizes


def tile(frames: Sequence[np.ndarray], rows: int, cols: int, width: int, height: int, *,
         gap: int = 0, background: str = colors.BACKGROUND) -> np.ndarray:
    """Frames laid out row by row into one (height, width, 3) frame; tile sizes must match
    ``tile_sizes`` of the width and height."""
    out = np.empty((height, width, 3), dtype=np.uint8)
    out[:] = colors.rgb8(background)
    ws, hs = tile_sizes(width, cols, gap), tile_sizes(height, rows, gap)
    for i, f in enumerate(frames):
        r, c = divmod(i, cols)
        y, x = sum(hs[:r]) + gap * r, sum(ws[:c]) + gap * c
        if f.shape[:2] != (hs[r], ws[c]):
            raise GdengineError(f"tile {i} is {f.shape[1]}x{f.shape[0]}, expected {ws[c]}x{hs[r]}")
        out[y : y + hs[r], x : x + ws[c]] = f[:, :, :3]
    return out
