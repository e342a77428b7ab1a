"""Frames out of the render window and into the pipeline's sink, overlapping the two.

``grab`` reads the rendered pixels straight from the render window into one reused VTK
array (no image filter, no re-render) and returns a top-down (H, W, 3) uint8 copy.

``SinkWriter`` hands frames to the sink (``sink.write`` / ``sink.mark_poster`` /
``sink.beat`` / ``sink.set_total``, the scene ↔ pipeline protocol) from a background thread
through a short queue: while the sink pushes frame k into the encoder pipe, the renderer
already draws frame k+1. Order is preserved (poster marks and beats travel in the same queue,
so a beat is stamped with the frame count it belongs to), an error in the sink is re-raised
in the rendering thread, and ``close`` waits for the last frame.

The first frame is written from the calling thread: a sink starts its encoder process on the
first write, and a child started with PR_SET_PDEATHSIG (the pipeline's ``die_with_parent``)
is killed when the *thread* that started it exits — the writer thread ends before the sink is
closed.
"""

from __future__ import annotations

import queue
import threading

import numpy as np
from vtkmodules.util.numpy_support import vtk_to_numpy
from vtkmodules.vtkCommonCore import vtkUnsignedCharArray


class Grabber:
    """Reads the back buffer of a render window after ``Render()``."""

    def __init__(self, render_window) -> None:
        self.window = render_window
        self._buffer = vtkUnsignedCharArray()

    def grab(self) -> np.ndarray:
        w, h = self.window.GetSize()
        self.window.GetPixelData(0, 0, w - 1, h - 1, 0, self._buffer, 0)
        pixels = vtk_to_numpy(self._buffer).reshape(h, w, 3)
        return np.ascontiguousarray(pixels[::-1])  # OpenGL rows run bottom-up


_POSTER = object()
_STOP = object()


class _Beat:
    def __init__(self, name: str) -> None:
        self.name = name


class _Line:
    def __init__(self, args: tuple) -> None:
        self.args = args


class SinkWriter:
    """Feeds ``sink`` from a worker thread; use as a context manager."""

    def __init__(self, sink, depth: int = 3) -> None:
        self.sink = sink
        self._queue: queue.Queue = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None

    def _start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="gdengine-sink-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            if self._error is not None:
                continue  # drain after a failure; the error is raised in the renderer
            try:
                if item is _POSTER:
                    self.sink.mark_poster()
                elif isinstance(item, _Beat):
                    self.sink.beat(item.name)
                elif isinstance(item, _Line):
                    self.sink.line(*item.args)
                else:
                    self.sink.write(item)
            except BaseException as err:  # noqa: BLE001 — handed to the rendering thread
                self._error = err

    def _raise(self) -> None:
        if self._error is not None:
            err, self._error = self._error, None
            raise err

    def write(self, frame: np.ndarray) -> None:
        if self._thread is None:  # first frame: synchronously, see the module docstring
            self.sink.write(frame)
            self._start()
            return
        self._raise()
        self._queue.put(frame)

    def mark_poster(self) -> None:
        if self._thread is None:
            self.sink.mark_poster()
            return
        self._raise()
        self._queue.put(_POSTER)

    def beat(self, name: str) -> None:
        """Beat ``name`` starts with the next frame written (sinks without beats skip it)."""
        if not hasattr(self.sink, "beat"):
            return
        if self._thread is None:
            self.sink.beat(name)
            return
        self._raise()
        self._queue.put(_Beat(name))

    def line(self, beat: str, text: str, audio: str, start: float, end: float) -> None:
        """A narration line of ``beat`` spoken from ``start`` to ``end`` s (sinks without
        narration skip it); queued in order with the frames and beats."""
        if not hasattr(self.sink, "line"):
            return
        if self._thread is None:
            self.sink.line(beat, text, audio, start, end)
            return
        self._raise()
        self._queue.put(_Line((beat, text, audio, start, end)))

    def _stop(self) -> None:
        if self._thread is not None:
            self._queue.put(_STOP)
            self._thread.join()

    def close(self) -> None:
        self._stop()
        self._raise()

    def __enter__(self) -> "SinkWriter":
        return self

    def __exit__(self, kind, value, tb) -> None:
        if kind is None:
            self.close()
        else:  # the renderer failed: stop the thread, keep the renderer's error
            self._error = self._error or value
            self._stop()
