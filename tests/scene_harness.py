"""Render a scene class to frames in memory, for tests (no files, no encoder).

Lives in tests/ (importable as ``scene_harness`` from every test directory; tests/conftest.py puts
tests/ on sys.path) because it uses the pipeline, which the kit must never import.

``render_frames(BallDownhill, width=320, height=180, fps=5)`` returns a ``Rendered`` with the
finished scene object (its ``beats``, ``captions_shown``, ``facts``), the RGB frames as one
uint8 array (N, H, W, 3), and the poster frame index. Helpers map scene points to pixels
and find a coloured blob (e.g. the ball) in a frame.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from manim import config, tempconfig
from manim.renderer.cairo_renderer import CairoRenderer

from gdengine.pipeline.capture import camera_class_of, writer_for
from gdengine.pipeline.memory import MemorySink
from gdengine.pipeline.worker import load_module


@dataclass
class Rendered:
    scene: object
    frames: np.ndarray  # (N, H, W, 3) uint8
    fps: float
    poster: int | None
    frame_width: float
    frame_height: float

    def frame_at(self, seconds: float) -> np.ndarray:
        index = int(round(seconds * self.fps))
        return self.frames[min(max(index, 0), len(self.frames) - 1)]

    def to_pixel(self, point) -> np.ndarray:
        """Scene point (x, y[, z]) → pixel (column, row) as floats."""
        _, h, w, _ = self.frames.shape
        x, y = float(point[0]), float(point[1])
        return np.array([(x / self.frame_width + 0.5) * w, (0.5 - y / self.frame_height) * h])


def render_frames(scene_class: type, width: int = 320, height: int = 180, fps: float = 5,
                  media_dir: str | Path | None = None, voice: str = "none") -> Rendered:
    """Render ``scene_class`` at a small size; frames stay in memory. Silent by default
    (``voice="none"``: beats last as long as their animations; tests/voice checks narration)."""
    if getattr(scene_class, "voice", voice) != voice:
        scene_class = type(scene_class.__name__, (scene_class,), {"voice": voice, "__module__": scene_class.__module__})
    sink = MemorySink()
    with tempfile.TemporaryDirectory(prefix="gdengine-render-") as tmp:
        settings = {
            "pixel_width": width,
            "pixel_height": height,
            "frame_rate": fps,
            "frame_width": config.frame_height * width / height,
            "disable_caching": True,
            "write_to_movie": True,
            "save_last_frame": False,
            "preview": False,
            "progress_bar": "none",
            "verbosity": "WARNING",
            "media_dir": str(media_dir or tmp),
        }
        with tempconfig(settings):
            renderer = CairoRenderer(file_writer_class=writer_for(sink), camera_class=camera_class_of(scene_class))
            scene = scene_class(renderer=renderer)  # GdScene is a MovingCameraScene: it needs its camera
            scene.render()
            frame_width, frame_height = config.frame_width, config.frame_height
    frames = np.stack(sink.frames) if sink.frames else np.zeros((0, height, width, 3), np.uint8)
    assert frames.shape[1:] == (height, width, 3), f"frames are {frames.shape[1:]}"
    return Rendered(scene, frames, fps, sink.poster, frame_width, frame_height)


def blob_center(frame: np.ndarray, rgb, tol: float = 40.0, box=None) -> np.ndarray | None:
    """Centroid (column, row) of pixels within ``tol`` of colour ``rgb`` (0–255), optionally
    only inside ``box`` = (col0, row0, col1, row1); None if there are none."""
    region = frame.astype(float)
    c0 = r0 = 0
    if box is not None:
        c0, r0, c1, r1 = (int(round(v)) for v in box)
        region = region[max(r0, 0):r1, max(c0, 0):c1]
    mask = np.linalg.norm(region - np.asarray(rgb, dtype=float), axis=-1) < tol
    if not mask.any():
        return None
    rows, cols = np.nonzero(mask)
    return np.array([cols.mean() + max(c0, 0), rows.mean() + max(r0, 0)])


def color_rgb(color) -> np.ndarray:
    """A manim colour as 0–255 RGB."""
    return np.array(color.to_rgb()) * 255.0


SCENES_DIR = Path(__file__).resolve().parents[1] / "scenes"


def load_scene_module(stem_or_path: str | Path):
    """Import a scene file (a stem in ``scenes/`` or a path) as module ``<stem>``, as the
    pipeline does, once per process."""
    path = Path(stem_or_path)
    path = (path if path.suffix == ".py" else SCENES_DIR / f"{path}.py").resolve()
    return load_module(path)


def assert_not_blank(rendered: Rendered) -> None:
    """More than 3 s of frames, each second's frame not one flat colour, and motion overall."""
    frames, fps = rendered.frames, int(round(rendered.fps))
    assert frames.shape[0] > 3 * fps
    for index in range(fps, len(frames), fps):  # from 1 s on (the first frame may fade in)
        assert frames[index].std() > 3, f"frame {index} is nearly blank"
    assert np.abs(frames[0].astype(int) - frames[-1].astype(int)).mean() > 2
