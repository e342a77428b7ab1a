"""Colour-blind-safe palette (Okabe & Ito, 2008) used by every scene.

The eight Okabe–Ito hues stay distinguishable under the common colour-vision deficiencies.
Scenes use the role names below (CURVE, BALL, …) rather than raw hues, so a clip reads the
same everywhere: the ball is always orange, the slope always sky blue, the step always green.
"""

from __future__ import annotations

from manim import ManimColor

# --- the Okabe–Ito hues --------------------------------------------------------------------
ORANGE = ManimColor("#E69F00")
SKY = ManimColor("#56B4E9")
GREEN = ManimColor("#009E73")  # "bluish green"
YELLOW = ManimColor("#F0E442")
BLUE = ManimColor("#0072B2")
VERMILLION = ManimColor("#D55E00")
PURPLE = ManimColor("#CC79A7")  # "reddish purple"
GREY = ManimColor("#999999")

# --- page ----------------------------------------------------------------------------------
BACKGROUND = ManimColor("#15171C")
FOREGROUND = ManimColor("#EDEFF2")
MUTED = ManimColor("#8A9099")  # axes, secondary text
PANEL = ManimColor("#23262D")  # fill behind read-outs and captions

# --- roles ---------------------------------------------------------------------------------
CURVE = SKY.interpolate(FOREGROUND, 0.35)
BALL = ORANGE
TANGENT = SKY
STEP = GREEN
GRADIENT = VERMILLION
HIGHLIGHT = YELLOW
MINIMUM = GREEN
DIVERGED = VERMILLION
PREDICTION = PURPLE

# One colour per optimizer, stable across all clips (names as in gd.optimizers()).
OPTIMIZER_COLORS: dict[str, ManimColor] = {
    "sgd": VERMILLION,
    "momentum": SKY,
    "nesterov": BLUE,
    "adagrad": GREEN,
    "rmsprop": YELLOW,
    "adam": ORANGE,
    "adamw": PURPLE,
}
OPTIMIZER_COLORS["gd"] = OPTIMIZER_COLORS["vanilla"] = OPTIMIZER_COLORS["sgd"]


def optimizer_color(name: str) -> ManimColor:
    """Colour of optimizer ``name`` (unknown names get GREY so a new optimizer still draws)."""
    return OPTIMIZER_COLORS.get(name.lower(), GREY)


__all__ = [
    "ORANGE", "SKY", "GREEN", "YELLOW", "BLUE", "VERMILLION", "PURPLE", "GREY",
    "BACKGROUND", "FOREGROUND", "MUTED", "PANEL",
    "CURVE", "BALL", "TANGENT", "STEP", "GRADIENT", "HIGHLIGHT", "MINIMUM", "DIVERGED",
    "PREDICTION", "OPTIMIZER_COLORS", "optimizer_color",
]
