"""Helpers for the 2-D explainer tests: load a scene file, render it tiny, once per session."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from gdengine.kit.testing import Rendered, blob_center, color_rgb, render_frames

SCENES = Path(__file__).resolve().parents[2] / "scenes"
WIDTH, HEIGHT, FPS = 320, 180, 5


def load_scene_module(stem: str):
    """Import ``scenes/<stem>.py`` as module ``<stem>`` (as the pipeline does)."""
    if stem in sys.modules and getattr(sys.modules[stem], "__file__", "").startswith(str(SCENES)):
        return sys.modules[stem]
    spec = importlib.util.spec_from_file_location(stem, SCENES / f"{stem}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[stem] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def render(tmp_path_factory):
    """``render(cls)`` → ``Rendered``; each class is rendered once per session."""
    media = tmp_path_factory.mktemp("media2d")
    done: dict[type, Rendered] = {}

    def _render(cls: type) -> Rendered:
        if cls not in done:
            done[cls] = render_frames(cls, WIDTH, HEIGHT, FPS, media_dir=media)
        return done[cls]

    return _render


def assert_not_blank(rendered: Rendered) -> None:
    frames = rendered.frames
    assert frames.shape[1:] == (HEIGHT, WIDTH, 3)
    assert frames.shape[0] > 3 * FPS
    for index in range(FPS, len(frames), FPS):
        assert frames[index].std() > 3, f"frame {index} is nearly blank"
    assert np.abs(frames[0].astype(int) - frames[-1].astype(int)).mean() > 2


def frame_after(rendered: Rendered, seconds: float) -> np.ndarray:
    """The first frame written at or after scene time ``seconds``.

    A ``play`` writes frames for t in [0, run_time); the state it ends in (e.g. a replay's
    final step) first appears in the next play's first frame, the one at ``seconds``."""
    index = int(round(seconds * rendered.fps))
    return rendered.frames[min(max(index, 0), len(rendered.frames) - 1)]


def ball_found_at(rendered: Rendered, frame: np.ndarray, point, color, radius_px: float = 6.0,
                  tol: float = 40.0) -> np.ndarray | None:
    """Centroid of ``color`` pixels within ``radius_px`` of scene ``point`` (None if none)."""
    c, r = rendered.to_pixel(point)
    box = (c - radius_px, r - radius_px, c + radius_px + 1, r + radius_px + 1)
    return blob_center(frame, color_rgb(color), tol=tol, box=box)
