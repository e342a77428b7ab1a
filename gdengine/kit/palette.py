"""The gallery's colours as Manim colours: hues and roles from ``gdengine.look``, the one table.

Scenes use the role names (CURVE, BALL, TANGENT, GRADIENT, STEP, RATE, …) rather than raw hues,
so a clip reads the same everywhere: the ball is always orange, the gradient vermillion, the
step green, η yellow, the tangent sky blue. The values, and why they are these, live in
``gdengine.look`` (shared with the 3-D renderer and the gallery page); this module only wraps
them for Manim.
"""

from __future__ import annotations

from manim import ManimColor

from gdengine import look

# --- hues ----------------------------------------------------------------------------------
ORANGE = ManimColor(look.ORANGE)
SKY = ManimColor(look.SKY)
GREEN = ManimColor(look.GREEN)
YELLOW = ManimColor(look.YELLOW)
BLUE = ManimColor(look.BLUE)
VERMILLION = ManimColor(look.VERMILLION)
PURPLE = ManimColor(look.PURPLE)
VIOLET = ManimColor(look.VIOLET)
GREY = ManimColor(look.GREY)

# --- page ----------------------------------------------------------------------------------
BACKGROUND = ManimColor(look.BACKGROUND)
FOREGROUND = ManimColor(look.FOREGROUND)
MUTED = ManimColor(look.MUTED)  # axes, secondary text
PANEL = ManimColor(look.PANEL)  # fill behind read-outs and captions

# --- roles ---------------------------------------------------------------------------------
CURVE = ManimColor(look.CURVE)
BALL = ManimColor(look.BALL)
TANGENT = ManimColor(look.TANGENT)
STEP = ManimColor(look.STEP)
GRADIENT = ManimColor(look.GRADIENT)
RATE = ManimColor(look.RATE)
HIGHLIGHT = ManimColor(look.HIGHLIGHT)
MINIMUM = ManimColor(look.MINIMUM)
DIVERGED = ManimColor(look.DIVERGED)
STALLED = ManimColor(look.STALLED)
PREDICTION = ManimColor(look.PREDICTION)
CATEGORICAL = tuple(ManimColor(c) for c in look.CATEGORICAL)

# One colour per optimizer, stable across all clips (keys as in gd.optimizers(), aliases too).
OPTIMIZER_COLORS: dict[str, ManimColor] = {
    **{key: ManimColor(o.color) for key, o in look.OPTIMIZERS.items()},
    **{alias: ManimColor(look.OPTIMIZERS[key].color) for alias, key in look.ALIASES.items()},
}


def optimizer_color(name: str) -> ManimColor:
    """Colour of optimizer ``name`` (unknown names get GREY so a new optimizer still draws)."""
    return ManimColor(look.optimizer_color(name))


__all__ = [
    "ORANGE", "SKY", "GREEN", "YELLOW", "BLUE", "VERMILLION", "PURPLE", "VIOLET", "GREY",
    "BACKGROUND", "FOREGROUND", "MUTED", "PANEL",
    "CURVE", "BALL", "TANGENT", "STEP", "GRADIENT", "RATE", "HIGHLIGHT", "MINIMUM", "DIVERGED",
    "STALLED", "PREDICTION", "CATEGORICAL", "OPTIMIZER_COLORS", "optimizer_color",
]
