"""Pixel helpers for the 2-D explainer tests (renders come from tests/conftest.py)."""

from __future__ import annotations

import numpy as np

from scene_harness import Rendered, blob_center, color_rgb



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
