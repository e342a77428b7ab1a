"""Numbers and read-outs: formatting rules and live updates without TeX."""

from __future__ import annotations

import pytest
from manim import ValueTracker

from gdengine.kit.text import AxisLabel, Readout, format_number, format_sig, label, math

MINUS = "\u2212"


@pytest.mark.parametrize(
    "value, digits, text",
    [
        (-0.0, 2, "0.00"),
        (-0.004, 2, "0.00"),  # rounds to zero: no "−0.00"
        (-1.5, 2, f"{MINUS}1.50"),
        (3.14159, 3, "3.142"),
        (2.5e7, 2, "2.50×10⁷"),
        (float("inf"), 2, "∞"),
        (float("-inf"), 2, f"{MINUS}∞"),
        (float("nan"), 2, "undefined"),
    ],
)
def test_format_number(value, digits, text):
    assert format_number(value, digits) == text


def test_format_number_signed():
    assert format_number(0.5, 1, signed=True) == "+0.5"
    assert format_number(-0.0, 1, signed=True) == "0.0"


@pytest.mark.parametrize(
    "value, text",
    [(0.004352132950612665, "0.00435"), (27.0, "27"), (0.1, "0.1"), (-1.8, f"{MINUS}1.8"),
     (1e-7, "1×10⁻⁷"), (1.5e-7, "1.5×10⁻⁷"), (-2.345e-9, f"{MINUS}2.35×10⁻⁹"), (1.234e7, "1.23×10⁷"),
     (0.0, "0"), (-0.0, "0")],
)
def test_format_sig(value, text):
    assert format_sig(value) == text


def test_label_and_math_are_tex_free_and_legible_at_480p():
    # 20 px at 480 px frame height = 20/480*8 scene units
    min_height = 20 / 480 * 8
    assert label("Hg 0.25").height >= min_height
    formula = math("x_(t+1) = x_t - eta f'(x_t)")
    assert formula.height >= min_height


def test_axis_label_uses_a_true_minus():
    assert AxisLabel("-").original_text == MINUS


def test_readout_tracks_its_value_and_reuses_glyphs():
    tracker = ValueTracker(1.0)
    readout = Readout("x =", tracker.get_value, digits=2)
    assert readout.value_text == "1.00"
    slots = list(readout.value.submobjects)
    tracker.set_value(-12.345)
    readout.update(0)
    assert readout.value_text == f"{MINUS}12.35"
    # the first glyph slots are the same objects (mutated in place, never swapped)
    assert readout.value.submobjects[: len(slots)] == slots
    # value sits right of the label, digits at least 20 px tall at 480p
    assert readout.value.get_left()[0] > readout.head.get_right()[0]
    assert max(g.height for g in readout.value.submobjects if g.has_points()) >= 20 / 480 * 8


def test_numbers_convert_to_typst_maths():
    from gdengine.kit.text import number, typst_number

    assert typst_number(format_number(-2.5e7, 2)) == "-2.50 times 10^(7)"
    assert typst_number(format_sig(1e-7)) == "1 times 10^(-7)"
    assert typst_number(f"{MINUS}0.5") == "-0.5"
    assert number(-1.25, as_math=True).height > 0


def test_one_number_formatter_for_kit_3d_and_engine():
    """kit.text re-exports gdengine.numformat; the legend, the 3-D HUD and the engine's formula
    text format through it (no second formatter with its own rules)."""
    import gdengine as gd
    from gdengine import numformat
    from gdengine.kit import legend, plane, text
    from gdengine.render3d.descent import optimizer_label, point

    assert text.format_sig is numformat.format_sig and text.format_number is numformat.format_number
    assert plane.format_tick is numformat.format_tick
    adam = gd.optimizer("adam", lr=0.0025, eps=1e-6, betas=(0.9, 0.9999))
    assert legend.hyper_items(adam) == ["η = 0.0025", "β₁ = 0.9, β₂ = 0.9999", "ε = 1×10⁻⁶"]
    assert optimizer_label({"optimizer": {"name": "sgd", "hyper": {"lr": 1e-5, "momentum": 0.9}}}) == \
        "momentum, η = 1×10⁻⁵, β = 0.9"
    assert point((-1.25, 0.0)) == f"({MINUS}1.25, 0)"
    assert gd.landscape("elliptic_bowl", a=0.5, b=3.0).formula_text == "f(x, y) = 0.5x² + 3y²"
