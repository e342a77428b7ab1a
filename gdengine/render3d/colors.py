"""Colours of the 3-D clips: the gallery's page colours, Okabe–Ito markers, a quiet surface.

The hex values match ``gdengine.kit.palette`` (the Manim clips) so both kinds of clip look
like one gallery; they are repeated here because the renderer must not import Manim.
Markers (balls, trails) use the saturated colour-blind-safe Okabe–Ito hues; the surface uses
a desaturated slate-to-sand ramp so every marker colour stands out against it.
"""

from __future__ import annotations

import numpy as np

BACKGROUND = "#15171C"
FOREGROUND = "#EDEFF2"
MUTED = "#8A9099"

ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
GREY = "#999999"

# One colour per known minimum (global minima first, then local ones), in order. Vermillion is
# kept for diverged particles, grey for stalled ones.
BASIN_COLORS = (ORANGE, SKY, GREEN, YELLOW, PURPLE, BLUE)
STALLED = GREY  # gradient ~ 0 away from any minimum (plateau, saddle)
DIVERGED = VERMILLION

# One colour per optimizer, as in the Manim clips (kit.palette.OPTIMIZER_COLORS).
OPTIMIZER_COLORS = {
    "sgd": VERMILLION, "gd": VERMILLION, "vanilla": VERMILLION,
    "momentum": SKY, "nesterov": BLUE, "adagrad": GREEN,
    "rmsprop": YELLOW, "adam": ORANGE, "adamw": PURPLE,
}  # fmt: skip

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
