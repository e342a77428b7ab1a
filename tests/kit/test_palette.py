"""The palette stays apart for colour-blind viewers: every set of colours drawn together with
meaning differs by CIEDE2000 ≥ 15 under simulated deuteranopia and protanopia (and normal
vision), unless a second cue (the optimizers' line styles) already separates the pair.

The simulation (Machado et al. 2009) and CIEDE2000 (Sharma et al. 2005) are in
``colorvision.py``; CIEDE2000 is checked here against Sharma's published test pairs.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from colorvision import VISIONS, delta_e_2000, difference, hex_to_rgb, simulate, srgb_to_lab

from gdengine import look
from gdengine.kit import palette

APART = 15.0  # CIEDE2000: clearly different colours at a glance

# Sharma, Wu & Dalal (2005), Table 1: (L1, a1, b1, L2, a2, b2, ΔE00), all 34 pairs.
SHARMA = [
    (50.0000, 2.6772, -79.7751, 50.0000, 0.0000, -82.7485, 2.0425),
    (50.0000, 3.1571, -77.2803, 50.0000, 0.0000, -82.7485, 2.8615),
    (50.0000, 2.8361, -74.0200, 50.0000, 0.0000, -82.7485, 3.4412),
    (50.0000, -1.3802, -84.2814, 50.0000, 0.0000, -82.7485, 1.0000),
    (50.0000, -1.1848, -84.8006, 50.0000, 0.0000, -82.7485, 1.0000),
    (50.0000, -0.9009, -85.5211, 50.0000, 0.0000, -82.7485, 1.0000),
    (50.0000, 0.0000, 0.0000, 50.0000, -1.0000, 2.0000, 2.3669),
    (50.0000, -1.0000, 2.0000, 50.0000, 0.0000, 0.0000, 2.3669),
    (50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0009, 7.1792),
    (50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0010, 7.1792),
    (50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0011, 7.2195),
    (50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0012, 7.2195),
    (50.0000, -0.0010, 2.4900, 50.0000, 0.0009, -2.4900, 4.8045),
    (50.0000, -0.0010, 2.4900, 50.0000, 0.0010, -2.4900, 4.8045),
    (50.0000, -0.0010, 2.4900, 50.0000, 0.0011, -2.4900, 4.7461),
    (50.0000, 2.5000, 0.0000, 50.0000, 0.0000, -2.5000, 4.3065),
    (50.0000, 2.5000, 0.0000, 73.0000, 25.0000, -18.0000, 27.1492),
    (50.0000, 2.5000, 0.0000, 61.0000, -5.0000, 29.0000, 22.8977),
    (50.0000, 2.5000, 0.0000, 56.0000, -27.0000, -3.0000, 31.9030),
    (50.0000, 2.5000, 0.0000, 58.0000, 24.0000, 15.0000, 19.4535),
    (50.0000, 2.5000, 0.0000, 50.0000, 3.1736, 0.5854, 1.0000),
    (50.0000, 2.5000, 0.0000, 50.0000, 3.2972, 0.0000, 1.0000),
    (50.0000, 2.5000, 0.0000, 50.0000, 1.8634, 0.5757, 1.0000),
    (50.0000, 2.5000, 0.0000, 50.0000, 3.2592, 0.3350, 1.0000),
    (60.2574, -34.0099, 36.2677, 60.4626, -34.1751, 39.4387, 1.2644),
    (63.0109, -31.0961, -5.8663, 62.8187, -29.7946, -4.0864, 1.2630),
    (61.2901, 3.7196, -5.3901, 61.4292, 2.2480, -4.9620, 1.8731),
    (35.0831, -44.1164, 3.7933, 35.0232, -40.0716, 1.5901, 1.8645),
    (22.7233, 20.0904, -46.6940, 23.0331, 14.9730, -42.5619, 2.0373),
    (36.4612, 47.8580, 18.3852, 36.2715, 50.5065, 21.2231, 1.4146),
    (90.8027, -2.0831, 1.4410, 91.1528, -1.6435, 0.0447, 1.4441),
    (90.9257, -0.5406, -0.9208, 88.6381, -0.8985, -0.7239, 1.5381),
    (6.7747, -0.2908, -2.4247, 5.8714, -0.0985, -2.2286, 0.6377),
    (2.0776, 0.0795, -1.1350, 0.9033, -0.0636, -0.5514, 0.9082),
]


# --- the colour science itself -------------------------------------------------------------
def test_ciede2000_matches_sharmas_published_pairs():
    data = np.array(SHARMA)
    got = delta_e_2000(data[:, 0:3], data[:, 3:6])
    np.testing.assert_allclose(got, data[:, 6], atol=1e-4)
    np.testing.assert_allclose(delta_e_2000(data[:, 3:6], data[:, 0:3]), got, atol=1e-12)  # symmetric


def test_lab_of_known_colours():
    np.testing.assert_allclose(srgb_to_lab(hex_to_rgb("#FFFFFF")), [100.0, 0.0, 0.0], atol=0.01)
    np.testing.assert_allclose(srgb_to_lab(hex_to_rgb("#000000")), [0.0, 0.0, 0.0], atol=1e-9)
    np.testing.assert_allclose(srgb_to_lab(hex_to_rgb("#FF0000")), [53.24, 80.09, 67.20], atol=0.02)


@pytest.mark.parametrize("kind", ["deuteranopia", "protanopia"])
def test_simulation_keeps_greys_and_merges_confusion_colours(kind):
    for grey in ("#000000", "#777777", "#FFFFFF"):
        np.testing.assert_allclose(simulate(hex_to_rgb(grey), kind), hex_to_rgb(grey), atol=2e-3)
    # red and green are far apart for trichromats and close for dichromats
    assert difference("#D62728", "#2CA02C") > 60
    assert difference("#D62728", "#2CA02C", kind) < 0.5 * difference("#D62728", "#2CA02C")


def test_okabe_ito_pairs_the_issue_measured_fail_as_measured():
    """The issue author's measurement, reproduced: Okabe–Ito's yellow/orange and reddish
    purple/grey fall under 15 for a colour-blind viewer (why the palette moved off them)."""
    assert min(difference("#F0E442", "#E69F00", v) for v in VISIONS) < APART
    assert min(difference("#CC79A7", "#999999", v) for v in VISIONS) < APART


# --- the sets drawn together with meaning ------------------------------------------------------
def _too_close(colors: dict[str, str]) -> list[str]:
    bad = []
    for (a, ca), (b, cb) in itertools.combinations(colors.items(), 2):
        for vision in VISIONS:
            d = difference(ca, cb, vision)
            if d < APART:
                bad.append(f"{a}/{b} {vision}: {d:.1f}")
    return bad


ROLES_1D = {  # the marks of a 1-D clip, on the page: curve, ball, tangent, arrows, guesses
    "CURVE": look.CURVE, "BALL": look.BALL, "TANGENT": look.TANGENT, "GRADIENT": look.GRADIENT,
    "STEP": look.STEP, "PREDICTION": look.PREDICTION, "MINIMUM": look.MINIMUM,
    "BACKGROUND": look.BACKGROUND,
}  # fmt: skip
UPDATE_RULE = {  # x ← x − η·f′(x), each term in its role colour, on the read-out panel
    "BALL": look.BALL, "RATE": look.RATE, "GRADIENT": look.GRADIENT, "STEP": look.STEP,
    "PANEL": look.PANEL, "FOREGROUND": look.FOREGROUND,
}  # fmt: skip
OUTCOMES_3D = {  # balls coloured by the minimum they reach, plus stalled and diverged ones
    **{f"basin {i}": c for i, c in enumerate(look.BASIN_COLORS)},
    "STALLED": look.STALLED, "DIVERGED": look.DIVERGED, "BACKGROUND": look.BACKGROUND,
}  # fmt: skip


@pytest.mark.parametrize("name, colors", [
    ("1-D roles", ROLES_1D),
    ("update rule", UPDATE_RULE),
    ("categories", {f"CATEGORICAL[{i}]": c for i, c in enumerate(look.CATEGORICAL)} | {"CURVE": look.CURVE}),
    ("3-D outcomes", OUTCOMES_3D),
])  # fmt: skip
def test_colours_drawn_together_stay_apart(name, colors):
    assert _too_close(colors) == []


def test_roles_that_must_differ_do():
    """The tangent is not drawn in the curve's colour, and gradient, step, η and tangent each
    have their own colour."""
    assert look.TANGENT != look.CURVE
    assert len({look.GRADIENT, look.STEP, look.RATE, look.TANGENT}) == 4


def test_optimizers_sharing_a_line_style_stay_apart():
    for style in look.LINE_STYLES:
        same = {k: o.color for k, o in look.OPTIMIZERS.items() if o.line == style}
        assert _too_close(same) == [], style


def test_every_close_optimizer_pair_differs_in_line_style_and_marker():
    """Where colour alone does not separate two optimizers for some viewer, the second cue does."""
    for (a, oa), (b, ob) in itertools.combinations(look.OPTIMIZERS.items(), 2):
        if min(difference(oa.color, ob.color, v) for v in VISIONS) < APART:
            assert oa.line != ob.line and oa.marker != ob.marker, (a, b)
    assert len({o.marker for o in look.OPTIMIZERS.values()}) == len(look.OPTIMIZERS)
    assert all(o.line in look.LINE_STYLES and o.marker in look.MARKERS for o in look.OPTIMIZERS.values())


def test_vanilla_and_adam_are_far_apart():
    """The issue: vanilla (vermillion) and Adam (orange) were hard to tell apart."""
    sgd, adam = look.optimizer_color("sgd"), look.optimizer_color("adam")
    assert min(difference(sgd, adam, v) for v in VISIONS) >= 2 * APART


def _ramp(n: int = 21) -> list[str]:
    lo, hi = (hex_to_rgb(c) for c in look.CONTOUR_RAMP)
    return ["#%02X%02X%02X" % tuple(np.round((lo + (hi - lo) * t) * 255).astype(int))
            for t in np.linspace(0.0, 1.0, n)]


def test_paths_balls_and_minima_stand_out_on_every_contour_band():
    marks = {k: o.color for k, o in look.OPTIMIZERS.items()} | {"MINIMUM": look.MINIMUM}
    for name, color in marks.items():
        for band in [*_ramp(), look.BACKGROUND]:
            for vision in VISIONS:
                assert difference(color, band, vision) >= APART, (name, band, vision)


def test_contour_ramp_is_readable_on_the_page():
    lightness = [float(srgb_to_lab(hex_to_rgb(c))[0]) for c in _ramp()]
    page = float(srgb_to_lab(hex_to_rgb(look.BACKGROUND))[0])
    assert np.all(np.diff(lightness) > 0)  # low loss dark, high loss light, in order
    assert lightness[0] - page >= 8  # the deepest valley does not melt into the page
    assert lightness[-1] - lightness[0] >= 30  # the bands span a readable range


# --- one source ------------------------------------------------------------------------------
def test_kit_palette_is_the_look_table():
    for name in ("ORANGE", "SKY", "GREEN", "YELLOW", "BLUE", "VERMILLION", "PURPLE", "GREY",
                 "BACKGROUND", "FOREGROUND", "MUTED", "PANEL", "CURVE", "BALL", "TANGENT", "STEP",
                 "GRADIENT", "RATE", "HIGHLIGHT", "MINIMUM", "DIVERGED", "PREDICTION"):
        assert getattr(palette, name).to_hex().upper() == getattr(look, name).upper(), name
    for key in [*look.OPTIMIZERS, *look.ALIASES]:
        assert palette.optimizer_color(key).to_hex().upper() == look.optimizer_color(key).upper()
        assert palette.OPTIMIZER_COLORS[key].to_hex().upper() == look.optimizer_color(key).upper()
    assert palette.optimizer_color("my_own").to_hex().upper() == look.GREY


def test_the_raced_optimizers_differ_by_colour_alone():
    """The 3-D race draws tubes with no line style, and a thin trail's dashes are easy to miss,
    so the optimizers the clips race together (sgd, momentum, adagrad, rmsprop, adam) stay
    apart by colour alone; only the variants (nesterov, adamw) rely on the second cue."""
    raced = {k: look.optimizer_color(k) for k in ("sgd", "momentum", "adagrad", "rmsprop", "adam")}
    assert _too_close(raced) == []
