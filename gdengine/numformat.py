"""Numbers as on-screen text, the one formatter for every clip (Manim kit, 3-D renderer, engine).

Pure Python, no Manim: ``gdengine.kit.text`` re-exports it, ``gdengine.render3d`` and the
engine's landscape formulas import it directly.

* ``format_sig(value, sig)`` — ``sig`` significant digits ("0.00435", "27", "1.5×10⁻⁷");
* ``format_number(value, digits)`` — a fixed number of decimals, for read-outs that must not
  change width;
* ``format_tick(value, step)`` — an axis tick: as many decimals as the tick step needs, or
  "10⁻³" on a log axis.

All use a true minus sign, never print a negative zero, and switch to "m×10ᵏ" (Unicode
superscripts, so plain text shows it) outside the plain range.
"""

from __future__ import annotations

import math

MINUS = "\u2212"
SUPERSCRIPT = str.maketrans("-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079")


def format_number(value: float, digits: int = 2, signed: bool = False) -> str:
    """``value`` with ``digits`` decimals, a true minus sign and no negative zero.

    Non-finite values (which the engine never returns, but a caller might compute) read
    "∞"/"−∞"/"undefined" instead of "nan". Magnitudes ≥ 1e6 switch to scientific notation so a
    read-out never grows wider than the frame.
    """
    value = float(value)
    if math.isnan(value):
        return "undefined"
    if math.isinf(value):
        return ("" if value > 0 else MINUS) + "\u221e"
    if abs(value) >= 1e6:
        text = _scientific(value, max(digits, 1))
    else:
        text = f"{value:.{digits}f}"
        if float(text) == 0.0:  # "-0.00" → "0.00"
            text = text.lstrip("-")
    if signed and not text.startswith("-") and text.strip("0.") != "":
        text = "+" + text
    return text.replace("-", MINUS)


def _scientific(value: float, decimals: int) -> str:
    """1.23×10⁸ (Unicode superscripts, so plain Text can show it)."""
    mantissa, exponent = f"{value:.{decimals}e}".split("e")
    return f"{mantissa}\u00d710{str(int(exponent)).translate(SUPERSCRIPT)}"


def format_sig(value: float, sig: int = 3) -> str:
    """``value`` to ``sig`` significant digits, plain notation for 1e-4 ≤ |v| < 1e6
    (0.004352 → "0.00435", 27.0 → "27", 0.1 → "0.1", 1e-8 → "1×10⁻⁸"), trailing zeros dropped,
    true minus sign, no negative zero."""
    value = float(value)
    if not math.isfinite(value) or value == 0.0:
        return format_number(value, 0)
    magnitude = math.floor(math.log10(abs(value)))
    if not -4 <= magnitude < 6:  # "1.50×10⁻⁷" → "1.5×10⁻⁷", as the plain branch drops zeros
        mantissa, power = _scientific(value, sig - 1).split("\u00d7")
        if "." in mantissa:
            mantissa = mantissa.rstrip("0").rstrip(".")
        return f"{mantissa}\u00d7{power}".replace("-", MINUS)
    decimals = max(sig - 1 - magnitude, 0)
    text = f"{round(value, decimals):.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace("-", MINUS)


def format_tick(value: float, step: float | None = None, log: bool = False) -> str:
    """Tick text: "10⁻³" for log axes, else as many decimals as the step needs, true minus."""
    if log:
        exp = round(math.log10(value))
        return "1" if exp == 0 else "10" if exp == 1 else "10" + str(exp).translate(SUPERSCRIPT)
    decimals = 0
    if step is not None:
        while decimals < 8 and abs(step * 10**decimals - round(step * 10**decimals)) > 1e-6:
            decimals += 1
    return format_number(value, decimals)
