"""Playing a clip into the pipeline's sink, and tiling several views into one frame."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np

from gdengine.errors import GdengineError
from gdengine.lint.rules import Sample
from gdengine.render3d import colors
from gdengine.render3d.capture import SinkWriter
from gdengine.render3d.lint import sample_due


class Clip(Protocol):
    """A 3-D clip on the frame clock (what ``play`` needs besides a draw function)."""

    n_frames: int
    fps: float
    width: int
    height: int

    def beats_at(self, k: int) -> list[str]: ...  # beat ids starting at frame k
    # optional: ``lines_of(beat)`` → its narration lines (beat, text, audio, start s, end s)

    def update(self, k: int) -> None: ...  # put everything in its state at frame k

    def render(self) -> np.ndarray: ...  # the pixels of the current state

    def lint_sample(self, k: int) -> Sample: ...  # the overlays and data at frame k


class StageClip:
    """The ``Clip`` protocol for a clip drawn on one ``SurfaceStage`` and timed by a ``Script``:
    a subclass sets ``stage``, ``script``, ``fps``, ``n_frames``, ``width``, ``height`` and
    writes ``update(k)``."""

    def place_legend(self, rows, left: float, y: float):
        """The legend (``rows``: its widest content) at the top right, or under the text block
        (right edge ``left``, bottom ``y``) when the two would touch; the caption panel at the
        bottom. Sets ``legend_at`` and ``panel``; returns the band left for the surface."""
        from gdengine.render3d import hud as sizes
        from gdengine.render3d.descent import band_between

        h = self.stage.hud
        mx, my = h.margin
        box = h.legend("legend", rows, at=(self.width - mx, my), anchor="top_right")
        if box[0] < left + 1.5 * h.px(sizes.LABEL):
            box = h.legend("legend", rows, at=(mx, y), anchor="top_left")
        self.legend_at = box[:2]
        tall = 1.75 * h.px(sizes.CAPTION)
        self.panel = (mx, self.height - my - tall, self.width - mx, self.height - my)
        return band_between(max(y, box[3]) + 0.5 * h.line(sizes.LABEL), self.panel[1] - 0.4 * h.line(sizes.LABEL),
                            self.width, self.height)

    def beats_at(self, k: int) -> list[str]:
        return self.script.beats_at(k)

    def lines_of(self, name: str) -> list:
        return self.script.lines_of(name)

    def render(self) -> np.ndarray:
        return self.stage.grab()

    def lint_sample(self, k: int) -> Sample:
        from gdengine.render3d import lint

        return lint.sample(k / self.fps, self.stage.hud.boxes(), self.stage.data_shapes(k),
                           settled=self.script.caption_at(k)[2])

    def close(self) -> None:
        self.stage.close()


def play(sink, clip: Clip | int, draw: Callable[[int], np.ndarray] | None = None, *,
         poster: int | None = None) -> None:
    """Write every frame of ``clip`` to ``sink`` (PyVista entry protocol), or of
    ``draw(0) … draw(n - 1)`` when called as ``play(sink, n, draw)``.

    A clip's beats go to ``sink.beat`` ahead of their first frame; when the sink has a
    ``linter``, a lint sample is added 8 times a second of clip time; when the sink does not
    need pixels (lint only) nothing is rendered and a blank frame stands in for each frame, so
    the clip's timing is unchanged; likewise outside the sink's ``frame_range`` (one part of a
    clip split across cluster workers). Frames are handed over by a writer thread so encoding
    overlaps rendering; ``poster`` (default: the last frame) is marked right after its frame.
    """
    if draw is not None:
        n_frames, clip = int(clip), None  # type: ignore[arg-type]
    else:
        n_frames = clip.n_frames  # type: ignore[union-attr]
    if n_frames < 1:
        raise GdengineError(f"a clip needs at least one frame, got {n_frames}")
    poster = n_frames - 1 if poster is None else int(np.clip(poster, 0, n_frames - 1))
    pixels = getattr(sink, "needs_pixels", True)
    start, stop = getattr(sink, "frame_range", None) or (0, n_frames)  # a part of the clip: draw only it
    linter = getattr(sink, "linter", None)
    blank: np.ndarray | None = None
    if hasattr(sink, "set_total"):
        sink.set_total(n_frames)
    with SinkWriter(sink) as out:
        for k in range(n_frames):
            if clip is None:
                frame = draw(k)  # type: ignore[misc]
            else:
                for name in clip.beats_at(k):
                    out.beat(name)
                    for line in getattr(clip, "lines_of", lambda _: [])(name):
                        out.line(*line)  # its narration, timed by the script
                clip.update(k)
                if linter is not None and sample_due(k, clip.fps):
                    linter.add(clip.lint_sample(k))
                if pixels and start <= k < stop:
                    frame = clip.render()
                else:
                    if blank is None:
                        blank = np.zeros((clip.height, clip.width, 3), dtype=np.uint8)
                    frame = blank
            out.write(frame)
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
