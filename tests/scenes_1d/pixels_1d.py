"""Pixel helpers for the 1-D explainer tests (renders come from tests/conftest.py)."""

from __future__ import annotations

import numpy as np

from scene_harness import Rendered, blob_center, color_rgb



def ball_pixel(rendered: Rendered, seconds: float, plot) -> np.ndarray | None:
    """Centroid of ball-coloured pixels inside the plot's window at ``seconds``."""
    from gdengine.kit import palette

    (x_lo, x_hi), (y_lo, y_hi) = plot.x_bounds, plot.y_bounds
    c0, r1 = rendered.to_pixel(plot.to_screen(x_lo, y_lo))
    c1, r0 = rendered.to_pixel(plot.to_screen(x_hi, y_hi))
    box = (c0 - 6, r0 - 6, c1 + 6, r1 + 6)
    return blob_center(rendered.frame_at(seconds), color_rgb(palette.BALL), tol=30, box=box)
