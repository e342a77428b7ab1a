"""``FrameSink``: where a renderer puts its frames.

Both kinds of clip feed the same sink: the Manim file writer (``capture``) and PyVista
render functions, which receive it as their ``sink`` argument (scene ↔ pipeline protocol):

* ``sink.write(frame)`` — one uint8 frame, (H, W, 3) RGB or (H, W, 4) RGBA, in order;
* ``sink.mark_poster()`` — the most recent frame becomes the poster (default: the last);
* ``sink.set_total(n)`` — optional, the expected frame count, for progress and ETA;
* ``sink.beat(name)`` — beat ``name`` (a stable identifier) starts at the next frame;
* ``sink.line(beat, text, audio, start, end)`` — a narration line (audio file, seconds);
* ``sink.needs_pixels`` — False when nobody will look at the frames (lint only): a renderer
  may then skip drawing them, but must still write one (any) frame per frame of clip time;
* ``sink.frame_range`` — None, or (start, stop): only those frames are published (one part
  of a clip split across cluster workers); a renderer may skip drawing the others, but must
  still write one (any) frame per frame of clip time, so beats and lines keep their times;
* ``sink.linter`` — a ``gdengine.lint.rules.Linter`` (or None): renderers that draw their own
  overlays (PyVista) add a lint ``Sample`` of them at least 4 times a second of clip time.

Frames stream straight into one ffmpeg process (``encode.encoder_command``), so encoding runs
on the other core while the renderer draws the next frame, and no frame is kept in memory
except the poster candidate.

With ``segment_frames`` the encoder starts afresh every that many frames of clip time, writing
numbered parts (closed GOPs) that ``encode.join_parts`` joins without re-encoding; the parts
depend only on their own frames, so a clip rendered in ranges on several machines joins to
the same bytes as one rendered here.
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from gdengine.errors import GdengineError
from gdengine.pipeline import encode
from gdengine.pipeline.procs import die_with_parent

Progress = Callable[[int, int | None], None]


def _spawn(cmd: list[str]) -> subprocess.Popen[bytes]:
    """Start an encoder from one long-lived thread: a child started with PR_SET_PDEATHSIG
    (``die_with_parent``) is killed when the *thread* that started it exits, and a clip in
    parts starts encoders from whichever thread writes (a 3-D clip's writer thread ends
    before its last part is closed)."""
    return _SPAWNER.submit(
        subprocess.Popen, cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, preexec_fn=die_with_parent,
    ).result()  # fmt: skip


_SPAWNER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gdengine-encoder-start")


def record_beat(beats: list[tuple[str, float]], name: str, seconds: float) -> None:
    """Append beat ``name`` at ``seconds``; beat ids are identifiers, never values or text."""
    if not isinstance(name, str) or not name.replace("_", "").replace("-", "").isalnum() or not name.isascii():
        raise GdengineError(
            f"beat id {name!r} must be a stable identifier (ASCII letters, digits, _ or -), "
            "never a parameter value or user text"
        )
    beats.append((name, round(float(seconds), 6)))


class FrameSink:
    """Streams frames of a fixed size into the MP4 encoder and the GIF master."""

    def __init__(
        self,
        *,
        width: int,
        height: int,
        fps: float,
        mp4: Path,
        gif_master: Path,
        on_progress: Progress | None = None,
        segment_frames: int | None = None,
        frame_range: tuple[int, int] | None = None,
    ) -> None:
        self.width, self.height, self.fps = width, height, fps
        self.mp4, self.gif_master = mp4, gif_master
        self.frames = 0
        self.total: int | None = None
        self.poster: np.ndarray | None = None
        self.beats: list[tuple[str, float]] = []
        self.lines: list[tuple[str, str, str, float, float]] = []  # beat, text, audio file, start, end  # (beat id, start time in seconds)
        self.linter = None
        self.needs_pixels = True  # every frame is published
        self._last: np.ndarray | None = None
        self._on_progress = on_progress
        self._proc: subprocess.Popen[bytes] | None = None
        self._channels: int | None = None
        self._stderr: list[bytes] = []
        self._stderr_reader: threading.Thread | None = None
        self.segment_frames = segment_frames
        self.frame_range = None if frame_range is None else (int(frame_range[0]), int(frame_range[1]))
        if self.frame_range is not None and (segment_frames is None or self.frame_range[0] % segment_frames):
            raise GdengineError(f"a frame range must start on a part boundary (every {segment_frames} frames)")
        self.parts: list[tuple[int, Path, Path]] = []  # (index, mp4 part, GIF-master part), in order
        self.poster_index: int | None = None  # the frame marked as poster (None: the last)

    # --- the protocol --------------------------------------------------------------------
    def set_total(self, n_frames: int) -> None:
        """Announce how many frames will come (for progress and ETA only)."""
        self.total = int(n_frames)
        self._report()

    def write(self, frame: np.ndarray, repeat: int = 1) -> None:
        """Append ``frame`` (uint8, H×W×3 RGB or H×W×4 RGBA) ``repeat`` times."""
        frame = self._check(frame)
        while repeat > 0:
            k, n = self.frames, repeat
            if self.segment_frames:
                n = min(n, self.segment_frames - k % self.segment_frames)
            if self.frame_range is not None:
                start, stop = self.frame_range
                n = min(n, start - k) if k < start else n if k >= stop else min(n, stop - k)
            if self._publishes(k):
                self._encode(frame, n)
            self.frames += n
            repeat -= n
        self._report()

    def _publishes(self, k: int) -> bool:
        return self.frame_range is None or self.frame_range[0] <= k < self.frame_range[1]

    def _encode(self, frame: np.ndarray, n: int) -> None:
        if self.segment_frames and self.frames % self.segment_frames == 0:
            self._finish_part()
        if self._channels is not None and frame.shape[2] != self._channels:
            raise GdengineError("all frames of a clip must have the same number of channels")
        proc = self._start(frame.shape[2])
        data = memoryview(np.ascontiguousarray(frame)).cast("B")
        try:
            for _ in range(n):
                proc.stdin.write(data)  # type: ignore[union-attr]
        except BrokenPipeError:
            self._proc_failed()
        self._last = frame

    def beat(self, name: str) -> None:
        """Beat ``name`` starts with the next frame written."""
        record_beat(self.beats, name, self.frames / self.fps)

    def line(self, beat: str, text: str, audio: str, start: float, end: float) -> None:
        """A narration line of ``beat``, in file ``audio``, spoken from ``start`` to ``end`` s."""
        self.lines.append((beat, text, audio, float(start), float(end)))

    def mark_poster(self) -> None:
        """The most recent frame becomes the clip's poster."""
        if self.frames == 0:
            raise GdengineError("mark_poster() called before any frame was written")
        self.poster_index = self.frames - 1
        if self._publishes(self.frames - 1):
            self.poster = self._last.copy()  # type: ignore[union-attr]

    # --- pipeline side -----------------------------------------------------------------
    @property
    def poster_frame(self) -> np.ndarray:
        """The marked poster, else the last frame, as (H, W, 3) RGB."""
        frame = self.poster if self.poster is not None else self._last
        if frame is None:
            raise GdengineError("the scene produced no frames")
        return np.ascontiguousarray(frame[:, :, :3])

    def close(self) -> None:
        """Flush and wait for the encoder; raise if it failed or got no frame. Whole clips in
        parts are joined into ``mp4`` and ``gif_master``; a range keeps its parts."""
        if self._proc is None:
            raise GdengineError("the scene produced no frames")
        self._finish_part()
        if self.segment_frames and self.frame_range is None:
            encode.join_parts([mp4 for _, mp4, _ in self.parts], self.mp4)
            encode.join_parts([master for _, _, master in self.parts], self.gif_master)

    def _finish_part(self) -> None:
        if self._proc is None:
            return
        try:
            self._proc.stdin.close()  # type: ignore[union-attr]
        except BrokenPipeError:
            pass
        if self._proc.wait() != 0:
            self._proc_failed()
        if self._stderr_reader is not None:
            self._stderr_reader.join(timeout=5)
        self._proc, self._stderr = None, []

    def abort(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()

    # --- internals -----------------------------------------------------------------------
    def _check(self, frame: np.ndarray) -> np.ndarray:
        frame = np.asarray(frame)
        expected = (self.height, self.width)
        if frame.dtype != np.uint8 or frame.ndim != 3 or frame.shape[2] not in (3, 4):
            raise GdengineError(
                f"frames must be uint8 (H, W, 3) RGB or (H, W, 4) RGBA arrays, got "
                f"{frame.dtype} {frame.shape}"
            )
        if frame.shape[:2] != expected:
            raise GdengineError(
                f"frame is {frame.shape[1]}x{frame.shape[0]} but the clip is "
                f"{self.width}x{self.height}; render at the width/height you are given"
            )
        return frame

    def command(self, pix_fmt: str, mp4: Path | None = None, gif_master: Path | None = None) -> list[str]:
        """The encoder process reading raw ``pix_fmt`` frames on stdin."""
        return encode.encoder_command(
            width=self.width, height=self.height, fps=self.fps, pix_fmt=pix_fmt,
            mp4=mp4 or self.mp4, gif_master=gif_master or self.gif_master,
        )  # fmt: skip

    def _start(self, channels: int) -> subprocess.Popen[bytes]:
        if self._proc is None:
            self._channels = channels
            mp4, master = self.mp4, self.gif_master
            if self.segment_frames:
                index = self.frames // self.segment_frames
                mp4 = self.mp4.with_name(f"{self.mp4.stem}.part{index:04d}.mp4")
                master = self.gif_master.with_name(f"{self.gif_master.stem}.part{index:04d}.mov")
                self.parts.append((index, mp4, master))
            cmd = self.command("rgb24" if channels == 3 else "rgba", mp4, master)
            self._proc = _spawn(cmd)
            self._stderr_reader = threading.Thread(target=self._drain_stderr, daemon=True)
            self._stderr_reader.start()
        return self._proc

    def _drain_stderr(self) -> None:
        assert self._proc is not None and self._proc.stderr is not None
        lines, stderr = self._stderr, self._proc.stderr
        for line in stderr:
            lines.append(line)

    def _proc_failed(self) -> None:
        assert self._proc is not None
        code = self._proc.wait()
        if self._stderr_reader is not None:
            self._stderr_reader.join(timeout=5)
        text = b"".join(self._stderr).decode(errors="replace")
        raise RuntimeError(f"ffmpeg encoder failed: {encode.last_line(text, code)}")

    def _report(self) -> None:
        if self._on_progress is not None:
            self._on_progress(self.frames, self.total)
