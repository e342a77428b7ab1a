"""Pixel helpers for the 1-D explainer tests (renders come from tests/conftest.py)."""

from __future__ import annotations

import numpy as np

from scene_harness import Rendered, blob_center, color_rgb



def to_pixel_in(rendered: Rendered, point, view=None) -> np.ndarray:
    """Scene point → pixel (column, row) seen through a camera ``view`` = (centre, width) of
    the camera frame (None: the default frame)."""
    if view is None:
        return rendered.to_pixel(point)
    centre, width = view
    _, h, w, _ = rendered.frames.shape
    height = width * h / w
    x, y = float(point[0]) - float(centre[0]), float(point[1]) - float(centre[1])
    return np.array([(x / width + 0.5) * w, (0.5 - y / height) * h])


def ball_pixel(rendered: Rendered, seconds: float, plot, view=None) -> np.ndarray | None:
    """Centroid of ball-coloured pixels inside the plot's window at ``seconds`` (seen through
    the camera ``view``, see ``to_pixel_in``)."""
    from gdengine.kit import palette

    (x_lo, x_hi), (y_lo, y_hi) = plot.x_bounds, plot.y_bounds
    c0, r1 = to_pixel_in(rendered, plot.to_screen(x_lo, y_lo), view)
    c1, r0 = to_pixel_in(rendered, plot.to_screen(x_hi, y_hi), view)
    _, h, w, _ = rendered.frames.shape
    box = (max(c0, 0) - 6, max(r0, 0) - 6, min(c1, w) + 6, min(r1, h) + 6)
    return blob_center(rendered.frame_at(seconds), color_rgb(palette.BALL), tol=30, box=box)
