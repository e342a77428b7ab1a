"""Text, maths and numbers on screen, with no TeX anywhere.

Every glyph in a gdengine clip comes from one of three constructors:

* ``label(text)`` — a Pango ``Text`` in the house font (covers Latin and CJK);
* ``math(typst_src)`` — Typst maths through manim's ``MathTypst`` (e.g. ``x <- x - eta f'(x)``);
* ``number(value, digits)`` — a formatted number as ``Text`` (or ``MathTypst`` on request);
  numbers are formatted by ``gdengine.numformat`` (``format_sig``/``format_number``, re-exported here).

``AxisLabel`` is a ``label_constructor`` for ``Axes``/``NumberLine`` tick numbers, and
``Readout`` is a live "name = value" read-out that only rebuilds its value glyphs when the
formatted string changes.

Sizes: ``TEXT_SIZE``/``READOUT_SIZE`` put digits at ≥ 20 px tall in a 480-px-high frame;
Typst maths renders smaller than Pango text at the same nominal size, so ``math`` scales its
``font_size`` by ``MATH_SCALE`` to match the surrounding text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from manim import DOWN, LEFT, RIGHT, UP, MathTypst, Text, VGroup, VMobject

from gdengine.kit import palette
from gdengine.numformat import MINUS, format_number, format_sig  # noqa: F401  (re-exported: the kit's one formatter)

FONT = "Noto Sans CJK SC"  # Latin + Chinese in one face; installed with fonts-noto-cjk
TEXT_SIZE = 34  # captions: digits/capitals ≈ 21 px at 480p
READOUT_SIZE = 34
SMALL_SIZE = 28  # tick numbers and secondary labels
MATH_SCALE = 1.45  # MathTypst font_size that matches Text at the same nominal size


def label(text: str, size: float = TEXT_SIZE, color=None, **kwargs: Any) -> Text:
    """Plain text in the house font (Latin and CJK alike)."""
    return Text(
        text,
        font=kwargs.pop("font", FONT),
        font_size=size,
        color=palette.FOREGROUND if color is None else color,
        **kwargs,
    )


def math(typst_src: str, size: float = TEXT_SIZE, color=None, **kwargs: Any) -> MathTypst:
    """Typst maths (no ``$``), sized to sit next to ``label`` text of the same ``size``.

    ``{{ body : name }}`` groups can later be picked with ``.select(name)`` (for highlights).
    """
    return MathTypst(
        typst_src,
        font_size=size * MATH_SCALE,
        color=palette.FOREGROUND if color is None else color,
        **kwargs,
    )


def number(
    value: float,
    digits: int = 2,
    size: float = READOUT_SIZE,
    color=None,
    signed: bool = False,
    as_math: bool = False,
) -> Text | MathTypst:
    """A formatted number mobject (``Text`` by default; ``MathTypst`` with ``as_math=True``)."""
    text = format_number(value, digits, signed)
    if as_math:
        return math(typst_number(text), size, color)
    return label(text, size, color)


def typst_number(text: str) -> str:
    """A ``format_number``/``format_sig`` string as Typst maths ("1.2×10⁻³" → "1.2 times 10^(-3)")."""
    text = text.replace(MINUS, "-")
    if "\u00d7" in text:
        mantissa, power = text.split("\u00d710")
        exponent = power.translate(str.maketrans("\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079", "-0123456789"))
        return f"{mantissa} times 10^({exponent})"
    return text


class AxisLabel(Text):
    """Tick-number constructor for ``Axes(axis_config={"label_constructor": AxisLabel})``.

    manim builds tick numbers through ``DecimalNumber`` one character at a time and calls
    ``label_constructor(char)``; this turns the hyphen into a real minus sign and uses the house
    font and muted colour, so no TeX is needed. Also works for ``add_labels`` with strings.
    """

    def __init__(self, text: str, **kwargs: Any):
        kwargs.setdefault("font", FONT)
        kwargs.setdefault("color", palette.MUTED)
        kwargs.setdefault("font_size", SMALL_SIZE)
        super().__init__(str(text).replace("-", MINUS), **kwargs)


axis_label_constructor = AxisLabel  # the name other kits look for


def axis_config(**overrides: Any) -> dict[str, Any]:
    """Default ``axis_config`` for gdengine axes: muted lines, ``AxisLabel`` numbers."""
    config = {
        "color": palette.MUTED,
        "stroke_width": 2,
        "include_tip": False,
        "label_constructor": AxisLabel,
        "font_size": SMALL_SIZE,
        "decimal_number_config": {"num_decimal_places": 0},
    }
    config.update(overrides)
    return config


class Readout(VGroup):
    """A live read-out: a fixed label (Typst maths or text) followed by a formatted value.

    ``Readout("f'(x) =", lambda: slope(), digits=2)`` updates every frame from ``value_fn``;
    the value glyphs are rebuilt only when the formatted string changes (and each distinct
    string is built once and then copied), so a read-out ticking through a trajectory costs
    almost nothing. The label's left edge stays fixed and the value sits on the label's
    baseline, so neighbours never jitter.

    ``value_fn`` may return a float (formatted with ``digits``) or a ready-made string.
    """

    def __init__(
        self,
        label_src: str,
        value_fn: Callable[[], float | str],
        digits: int = 2,
        size: float = READOUT_SIZE,
        color=None,
        value_color=None,
        label_is_math: bool = True,
        signed: bool = False,
    ):
        self.value_fn = value_fn
        self.digits = digits
        self.size = size
        self.signed = signed
        self.value_color = palette.FOREGROUND if value_color is None else value_color
        head, self._baseline_offset = _with_baseline(label_src, size, color, label_is_math)
        self._cache: dict[str, Text] = {}
        self._shown = ""
        self.value = GlyphSlots()
        super().__init__(head, self.value)
        self.head = head
        self._head_height = head.height  # at scale 1 (a pinned HUD is scaled with the camera)
        self.refresh(force=True)
        self.add_updater(lambda mob: mob.refresh())

    @property
    def value_text(self) -> str:
        """The string currently displayed (what a test compares against the engine)."""
        return self._shown

    def format(self, value: float | str) -> str:
        if isinstance(value, str):
            return value
        return format_number(value, self.digits, self.signed)

    def refresh(self, force: bool = False) -> Readout:
        text = self.format(self.value_fn())
        if text == self._shown and not force:
            return self
        if text not in self._cache:
            self._cache[text] = label(text, self.size, self.value_color)
        glyphs = self._cache[text]
        scale = self.head.height / self._head_height
        if abs(scale - 1.0) > 1e-9:  # the read-out was scaled: new digits match the label
            glyphs = glyphs.copy().scale(scale)
        glyphs.next_to(self.head, RIGHT, buff=0.2 * scale * self.size / READOUT_SIZE)
        baseline = self.head.get_bottom()[1] + self._baseline_offset * self.head.height
        glyphs.shift((baseline - _text_baseline(glyphs, text)) * UP)
        self.value.show(glyphs)
        self._shown = text
        return self

    def set_value_color(self, color) -> Readout:
        self.value_color = color
        self._cache.clear()
        return self.refresh(force=True)


class GlyphSlots(VGroup):
    """A fixed set of glyph slots that take on the shapes of another mobject's glyphs.

    Live read-outs must not swap submobjects: during ``Scene.play`` manim draws a flattened
    list of the mobjects it captured when the animation began, so a replaced glyph would keep
    being drawn. Slots are mutated in place (points and style copied); unused slots are
    emptied; new slots are only ever appended.
    """

    def show(self, source: VMobject) -> GlyphSlots:
        glyphs = [g for g in source.family_members_with_points()]
        while len(self.submobjects) < len(glyphs):
            self.add(VMobject())
        for slot, glyph in zip(self.submobjects, glyphs):
            slot.set_points(glyph.points.copy())
            slot.match_style(glyph, family=False)
        for slot in self.submobjects[len(glyphs):]:
            slot.clear_points()
        return self


def _with_baseline(src: str, size: float, color, is_math: bool) -> tuple[VMobject, float]:
    """Build ``src`` and find its baseline: render it with a trailing "0" (a glyph that sits
    exactly on the baseline), read that glyph's bottom, then drop it. Returns the mobject and
    the baseline height above its bottom as a fraction of its height (scale-invariant)."""
    probe = math(src + " 0", size, color) if is_math else label(src + " 0", size, color)
    zero = probe.submobjects[-1]
    probe.remove(zero)
    offset = (zero.get_bottom()[1] - probe.get_bottom()[1]) / max(probe.height, 1e-9)
    # a fresh head, not the trimmed probe: manim derives font_size from the height, and the
    # probe lost its tallest glyph ("x =" read as 2/3 of its size, so the linter saw it tiny)
    head = math(src, size, color) if is_math else label(src, size, color)
    return head, offset


def _text_baseline(mob: Text, text: str) -> float:
    """y of the baseline of a ``Text`` holding ``text`` (bottom of its first digit)."""
    glyphs = [ch for ch in text if not ch.isspace()]
    for index, ch in enumerate(glyphs):
        if ch.isdigit() and index < len(mob.submobjects):
            return mob.submobjects[index].get_bottom()[1]
    return mob.get_bottom()[1]


def stack(*mobjects: VMobject, buff: float = 0.16) -> VGroup:
    """Left-aligned column (for HUDs and legends)."""
    return VGroup(*mobjects).arrange(DOWN, buff=buff, aligned_edge=LEFT)
