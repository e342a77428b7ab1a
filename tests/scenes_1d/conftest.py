"""Helpers for the 1-D explainer tests: load a scene file, render it tiny, once per session."""

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
    """Import ``scenes/<stem>.py`` as module ``<stem>`` (like the pipeline does)."""
    if stem in sys.modules and getattr(sys.modules[stem], "__file__", "").startswith(str(SCENES)):
        return sys.modules[stem]
    spec = importlib.util.spec_from_file_location(stem, SCENES / f"{stem}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[stem] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory) -> Path:
    """One Typst/Text glyph cache for every tiny render of the session."""
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def render(media_dir):
    """``render(cls)`` → ``Rendered``; each class is rendered once per session."""
    done: dict[type, Rendered] = {}

    def _render(cls: type) -> Rendered:
        if cls not in done:
            done[cls] = render_frames(cls, WIDTH, HEIGHT, FPS, media_dir=media_dir)
        return done[cls]

    return _render


def assert_not_blank(rendered: Rendered) -> None:
    frames = rendered.frames
    assert frames.shape[1:] == (HEIGHT, WIDTH, 3)
    assert frames.shape[0] > 3 * FPS
    # every second's frame shows something (a blank frame is one flat colour: std 0)
    for index in range(FPS, len(frames), FPS):  # from 1 s on (the first frame may be a fade-in)
        assert frames[index].std() > 3, f"frame {index} is nearly blank"
    # and the picture changes over time
    assert np.abs(frames[0].astype(int) - frames[-1].astype(int)).mean() > 2


def ball_pixel(rendered: Rendered, seconds: float, plot) -> np.ndarray | None:
    """Centroid of ball-coloured pixels inside the plot's window at ``seconds``."""
    from gdengine.kit import palette

    (x_lo, x_hi), (y_lo, y_hi) = plot.x_bounds, plot.y_bounds
    c0, r1 = rendered.to_pixel(plot.to_screen(x_lo, y_lo))
    c1, r0 = rendered.to_pixel(plot.to_screen(x_hi, y_hi))
    box = (c0 - 6, r0 - 6, c1 + 6, r1 + 6)
    return blob_center(rendered.frame_at(seconds), color_rgb(palette.BALL), tol=30, box=box)
