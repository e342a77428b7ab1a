"""Panels for 1-D explainers: the HUD of live read-outs, the update-rule panel whose terms
light up as a step happens, and the "diverged" badge.

All maths is Typst (``MathTypst``); all numbers are engine numbers formatted by
``gdengine.kit.text``.
"""

from __future__ import annotations

from collections.abc import Mapping

from manim import (
    LEFT,
    Animation,
    Indicate,
    RoundedRectangle,
    SurroundingRectangle,
    VGroup,
    VMobject,
)

from gdengine.kit import palette
from gdengine.kit.replay import Replay
from gdengine.kit.text import READOUT_SIZE, Readout, format_sig, label, math


def panel_behind(mob: VMobject, buff: float = 0.22, opacity: float = 0.9) -> RoundedRectangle:
    """A rounded dark panel sized to ``mob`` (add it *before* ``mob``)."""
    rect = SurroundingRectangle(mob, buff=buff, corner_radius=0.12)
    rect.set_fill(palette.PANEL, opacity=opacity).set_stroke(width=0)
    return rect


class Hud(VGroup):
    """A column of ``Readout`` rows on a dark panel: ``Hud([Readout(...), ...])``."""

    def __init__(self, rows: list[Readout], buff: float = 0.16):
        self.rows = VGroup(*rows).arrange(direction=[0, -1, 0], buff=buff, aligned_edge=LEFT)
        self.panel = panel_behind(self.rows)
        super().__init__(self.panel, self.rows)

    def row(self, index: int) -> Readout:
        return self.rows[index]

    def refresh_panel(self) -> Hud:
        """Resize the panel after rows changed width (call between beats, not per frame)."""
        new = panel_behind(self.rows)
        self.panel.become(new)
        return self


def replay_hud(replay: Replay, digits: int = 3, size: float = READOUT_SIZE,
               rows: tuple[str, ...] = ("t", "x", "f", "grad")) -> Hud:  # fmt: skip
    """HUD for a 1-D replay: t (update count), x_t, f(x_t), f′(x_t) — engine values at the
    iterate shown (exact at integer t), to ``digits`` significant digits as in captions
    (``format_sig``), so a read-out and the caption quoting it agree. ``rows`` picks them."""

    def sig(value_fn):
        return lambda: format_sig(value_fn(), digits)

    make = {
        "t": lambda: Readout("t =", lambda: str(replay.index()), size=size),
        "x": lambda: Readout("x_t =", sig(replay.x_k), size=size, value_color=palette.BALL),
        "f": lambda: Readout("f(x_t) =", sig(replay.f_k), size=size),
        "grad": lambda: Readout("f'(x_t) =", sig(replay.g_k), size=size, value_color=palette.GRADIENT),
    }
    return Hud([make[name]() for name in rows])


def pin_to_frame(mob: VMobject, frame: VMobject, anchor: VMobject | None = None) -> VMobject:
    """Keep ``mob`` at its place and size on screen while the camera ``frame`` moves or zooms
    (an updater; like the caption strip). ``anchor`` (default ``mob``) is the part whose
    centre is held, e.g. a HUD's panel, whose box does not change as digits change. Stroke
    widths scale too (Cairo draws them in scene units, so a zoom would thicken them)."""
    anchor = mob if anchor is None else anchor
    home = anchor.get_center() - frame.get_center()
    width = frame.width
    state = {"zoom": 1.0}

    def stay(m: VMobject) -> None:
        zoom = frame.width / width
        if abs(zoom - state["zoom"]) > 1e-12:
            m.scale(zoom / state["zoom"], about_point=anchor.get_center(), scale_stroke=True)
            state["zoom"] = zoom
        m.shift(frame.get_center() + home * zoom - anchor.get_center())

    mob.add_updater(stay)
    return mob


GD_RULE = "{{x_(t+1) : new}} = {{x_t : x}} - {{eta : lr}} {{f'(x_t) : grad}}"
GD_NUMBERS = "<x> - <lr> dot <grad> = <new>"
GD_RULE_COLORS = {"new": palette.BALL, "x": palette.BALL, "grad": palette.GRADIENT, "lr": palette.RATE}


class UpdateRule(VGroup):
    """An update rule in Typst with named terms (``{{ body : name }}``) that can be lit up.

    ``rule.light("grad")`` returns an animation drawing the eye to that term;
    ``rule.substituted({...})`` builds the same rule with engine numbers in place of symbols.
    """

    def __init__(
        self,
        src: str = GD_RULE,
        colors: Mapping[str, object] | None = None,
        size: float = READOUT_SIZE,
    ):
        self.src = src
        self.size = size
        self.formula = math(src, size)
        self.colors = dict(GD_RULE_COLORS if colors is None else colors)
        for name, color in self.colors.items():
            self.term(name).set_color(color)
        super().__init__(self.formula)

    def term(self, name: str) -> VGroup:
        return self.formula.select(name)

    def light(self, *names: str, scale: float = 1.25) -> list[Animation]:
        return [Indicate(self.term(n), scale_factor=scale, color=palette.HIGHLIGHT) for n in names]

    def substituted(self, values: Mapping[str, float | str], template: str = GD_NUMBERS, digits: int = 3):
        """The rule with engine numbers in place of symbols, each in its term's colour.

        ``template`` is Typst with ``<name>`` placeholders, e.g. the default
        ``"<x> - <lr> dot <grad> = <new>"``; each placeholder becomes a selectable group
        ``{{ number : name }}``. Floats are formatted to ``digits`` significant digits,
        negatives other than the first are parenthesised; strings are used as given.
        """
        src = template
        for index, (name, value) in enumerate(values.items()):
            text = value if isinstance(value, str) else format_sig(value, digits)
            text = text.replace("\u2212", "-")
            if text.startswith("-") and not src.lstrip().startswith(f"<{name}>"):
                text = f"({text})"
            src = src.replace(f"<{name}>", f"{{{{ {text} : {name} }}}}")
        mob = math(src, self.size)
        for name, color in self.colors.items():
            if name in values:
                mob.select(name).set_color(color)
        return mob


class DivergedBadge(VGroup):
    """A vermillion "diverged" badge (text passed in, so it can be translated)."""

    def __init__(self, text: str = "diverged", size: float = READOUT_SIZE):
        words = label(text, size, color=palette.FOREGROUND, weight="BOLD")
        box = RoundedRectangle(
            width=words.width + 0.5,
            height=words.height + 0.3,
            corner_radius=0.12,
            fill_color=palette.DIVERGED,
            fill_opacity=1.0,
            stroke_width=0,
        ).move_to(words)
        super().__init__(box, words)


__all__ = ["Hud", "replay_hud", "pin_to_frame", "UpdateRule", "GD_RULE", "DivergedBadge", "panel_behind"]
