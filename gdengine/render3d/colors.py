"""Colours of the 3-D clips: the gallery's page colours and markers, a quiet surface.

Page, marker and optimizer colours come from ``gdengine.look``, the one table the Manim clips
(``gdengine.kit.palette``) and the gallery page read too, so both kinds of clip look like one
gallery. Markers (balls, trails) use its saturated hues, chosen to stay apart for colour-blind
viewers; the surface uses a desaturated slate-to-sand ramp so every marker colour stands out
against it.
"""

from __future__ import annotations

import numpy as np

from gdengine import look

BACKGROUND = look.BACKGROUND
FOREGROUND = look.FOREGROUND
MUTED = look.MUTED
PANEL = look.PANEL  # fill behind captions and callouts

ORANGE = look.ORANGE
SKY = look.SKY
GREEN = look.GREEN
YELLOW = look.YELLOW
BLUE = look.BLUE
VERMILLION = look.VERMILLION
PURPLE = look.PURPLE
GREY = look.GREY

# One colour per known minimum (global minima first, then local ones), in order. Vermillion is
# kept for diverged particles, grey for stalled ones.
BASIN_COLORS = look.BASIN_COLORS
STALLED = look.STALLED  # gradient ~ 0 away from any minimum (plateau, saddle)
DIVERGED = look.DIVERGED

# One colour per optimizer (aliases too), as in the Manim clips.
OPTIMIZER_COLORS = {key: look.optimizer_color(key) for key in [*look.OPTIMIZERS, *look.ALIASES]}

CONTOUR = "#3A4250"  # contour lines on the surface

# Surface ramp, low → high (perceptually increasing lightness, low saturation).
SURFACE_STOPS = ("#1F2A44", "#34506B", "#5B7A86", "#8FA39A", "#C4C2A8", "#E8DFC8")


def rgb(color: str) -> np.ndarray:
    """``"#RRGGBB"`` → float RGB in [0, 1], shape (3,)."""
    h = color.lstrip("#")
    if len(h) != 6:
        raise ValueError(f"not a #RRGGBB colour: {color!r}")
    return np.array([int(h[i : i + 2], 16) for i in (0, 2, 4)], dtype=float) / 255.0


def rgb8(color: str) -> np.ndarray:
    """``"#RRGGBB"`` → uint8 RGB, shape (3,)."""
    return np.round(rgb(color) * 255).astype(np.uint8)


def ramp(values: np.ndarray, lo: float, hi: float, stops=SURFACE_STOPS) -> np.ndarray:
    """uint8 RGB (N, 3) for ``values`` on a fixed range [lo, hi] (clamped), linear in stops.

    The range is fixed by the caller, so a colour always means the same height in every frame.
    """
    t = np.clip((np.asarray(values, dtype=float) - lo) / max(hi - lo, 1e-300), 0.0, 1.0)
    anchors = np.array([rgb(c) for c in stops])
    x = np.linspace(0.0, 1.0, len(stops))
    out = np.stack([np.interp(t, x, anchors[:, k]) for k in range(3)], axis=-1)
    return np.round(out * 255).astype(np.uint8)


def basin_color(index: int) -> str:
    """Colour of known minimum ``index`` (cycles past the palette's end)."""
    return BASIN_COLORS[index % len(BASIN_COLORS)]
