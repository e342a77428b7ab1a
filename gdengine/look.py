"""The gallery's one visual language: hues, their roles, the contour ramp, and each optimizer's identity.

Pure Python, no Manim, no PyVista: ``gdengine.kit.palette`` (Manim colours), ``gdengine.render3d``
and the gallery page (``gdengine.pipeline.gallery``) all read it, so a colour or a name is
decided once. Colours are ``"#RRGGBB"`` strings.

* Hues — ten named colours on the dark page. They started as Okabe & Ito's (2008) set and were
  moved until every set drawn together with meaning stays apart under simulated deuteranopia
  and protanopia (CIEDE2000 ≥ 15, Machado et al. 2009 at severity 1): Okabe–Ito's own
  orange/yellow and reddish-purple/grey pairs fail that on this background, and its vermillion
  and orange looked alike on thin trails. ``tests/kit/test_palette.py`` holds every set below
  to it.
* Roles — what a colour means, the same in every clip: the ball is orange, the gradient
  vermillion, the step green, η yellow, the tangent sky blue (never the curve's own colour).
* ``CONTOUR_RAMP`` — contour maps, low loss dark to high loss light, desaturated so every
  optimizer colour stays visible on every band.
* ``OPTIMIZERS`` — per engine optimizer name: colour, a second cue that survives colour
  blindness (``line`` style for paths, ``marker`` shape for balls and legend swatches) and the
  ``torch.optim`` class whose defaults the engine's registry carries. Display names are words,
  so they live in the shared strings table ``scenes/strings/optimizers.toml`` (one table per
  language), read by ``optimizer_names``. Two optimizers whose colours are close for a
  colour-blind viewer never share a line style (the test checks every pair that does).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

# --- hues --------------------------------------------------------------------------------
VERMILLION = "#D93300"
ORANGE = "#EB9900"
YELLOW = "#FDFF49"
GREEN = "#008C5F"
SKY = "#68D4FD"
BLUE = "#457DF7"
PURPLE = "#B06DC3"
VIOLET = "#C394DA"
GREY = "#8F9297"

# --- page --------------------------------------------------------------------------------
BACKGROUND = "#15171C"
FOREGROUND = "#EDEFF2"
MUTED = "#8A9099"  # axes, secondary text
PANEL = "#23262D"  # fill behind read-outs and captions

# --- roles -------------------------------------------------------------------------------
CURVE = "#CACDCC"  # a landscape's curve: light and neutral, so every mark on it stands out
BALL = ORANGE
TANGENT = SKY
GRADIENT = VERMILLION
STEP = GREEN
RATE = YELLOW  # η wherever it is written or highlighted
PREDICTION = PURPLE
MINIMUM = YELLOW
HIGHLIGHT = YELLOW
DIVERGED = VERMILLION
STALLED = GREY  # gradient ≈ 0 away from any minimum (plateau, saddle)

# Categories a clip may colour by (basins, learning-rate regimes, methods): any of these six
# stay apart from each other, the curve and the background for every viewer.
CATEGORICAL = (ORANGE, SKY, GREEN, YELLOW, PURPLE, VERMILLION)
# 3-D clips colour each ball by the known minimum it reaches (cycling past the fifth); vermillion
# is kept for diverged balls and grey for stalled ones.
BASIN_COLORS = (ORANGE, SKY, GREEN, YELLOW, PURPLE)

# --- contour maps --------------------------------------------------------------------------
CONTOUR_RAMP = ("#1D2B38", "#57777C")  # low loss → high loss (linear in sRGB)
CONTOUR_LINE_OPACITY = 0.45  # level lines in FOREGROUND over the bands

# --- optimizers ----------------------------------------------------------------------------
# Dash patterns of each line style in multiples of the stroke width (on, off, on, off, …).
LINE_STYLES = {"solid": (), "dashed": (4.0, 2.5), "dotted": (1.0, 2.0), "dash-dot": (4.0, 2.0, 1.0, 2.0)}
MARKERS = ("circle", "square", "diamond", "triangle", "triangle_down", "star", "plus")


@dataclass(frozen=True)
class OptimizerLook:
    """How optimizer ``key`` (an engine registry name) is drawn in every clip."""

    key: str
    color: str
    line: str  # a LINE_STYLES key
    marker: str  # one of MARKERS
    torch: str  # the torch.optim class (its defaults are the engine's, see ``torch_defaults``)

    @property
    def dashes(self) -> tuple[float, ...]:
        return LINE_STYLES[self.line]


OPTIMIZERS: dict[str, OptimizerLook] = {
    o.key: o
    for o in (
        OptimizerLook("sgd", VERMILLION, "solid", "circle", "SGD"),
        OptimizerLook("momentum", SKY, "dashed", "square", "SGD"),
        OptimizerLook("nesterov", BLUE, "dotted", "diamond", "SGD"),
        OptimizerLook("adagrad", GREEN, "dash-dot", "triangle", "Adagrad"),
        OptimizerLook("rmsprop", YELLOW, "dotted", "triangle_down", "RMSprop"),
        OptimizerLook("adam", PURPLE, "solid", "star", "Adam"),
        OptimizerLook("adamw", VIOLET, "dash-dot", "plus", "AdamW"),
    )
}
ALIASES = {"gd": "sgd", "vanilla": "sgd"}
# The registry name whose defaults are exactly the torch.optim class's own (no alias changes).
TORCH_BASE = {"SGD": "sgd", "Adagrad": "adagrad", "RMSprop": "rmsprop", "Adam": "adam", "AdamW": "adamw"}
UNKNOWN = OptimizerLook("", GREY, "solid", "circle", "")  # a user's own optimizer still draws


def canonical(name: str) -> str:
    """Engine name → the key of ``OPTIMIZERS`` (aliases resolved; case-insensitive)."""
    key = str(name).lower()
    return ALIASES.get(key, key)


def optimizer_look(name: str) -> OptimizerLook:
    """The look of optimizer ``name`` (``UNKNOWN``, grey and solid, for a name not in the table)."""
    return OPTIMIZERS.get(canonical(name), UNKNOWN)


def optimizer_color(name: str) -> str:
    return optimizer_look(name).color


def torch_defaults(name: str) -> dict:
    """The hyper-parameter defaults of ``name``'s torch.optim class, as the engine's registry
    holds them (``gdengine.core.optimizers.hyper_defaults`` of the class's base name; the test
    suite holds those to ``inspect.signature(torch.optim.X)``). ``{}`` for unknown names."""
    from gdengine.core.optimizers import hyper_defaults  # the engine owns the numbers

    look = optimizer_look(name)
    base = TORCH_BASE.get(look.torch)
    return hyper_defaults(base) if base else {}


# --- display names: the shared strings table ---------------------------------------------------
NAMES_FILE = Path(__file__).resolve().parent.parent / "scenes" / "strings" / "optimizers.toml"
BASE_LANGUAGE = "en"


@cache
def _names(path: str) -> dict[str, dict[str, str]]:
    with open(path, "rb") as f:
        data = tomllib.load(f)
    if BASE_LANGUAGE not in data:
        raise ValueError(f"{path} has no [{BASE_LANGUAGE}] table")
    missing = sorted(set(OPTIMIZERS) - set(data[BASE_LANGUAGE]))
    if missing:
        raise ValueError(f"{path} [{BASE_LANGUAGE}] lacks names for {', '.join(missing)}")
    return {lang: dict(table) for lang, table in data.items()}


def optimizer_names(language: str = BASE_LANGUAGE, path: str | Path | None = None) -> dict[str, str]:
    """Display name per optimizer key in ``language`` (English where a translation lacks one)."""
    tables = _names(str(path or NAMES_FILE))
    if language not in tables:
        raise ValueError(f"language {language!r} not in the optimizer names table; valid choices: "
                         f"{', '.join(sorted(tables))}")
    return {**tables[BASE_LANGUAGE], **tables[language]}


def optimizer_name(name: str, language: str = BASE_LANGUAGE, path: str | Path | None = None) -> str:
    """Display name of optimizer ``name`` (aliases resolved); an unknown name is shown as given."""
    return optimizer_names(language, path).get(canonical(name), name)
