"""Legend: each optimizer's name and hyper-parameters, in its colour, line style and marker.

``hyper_text(opt)`` turns an engine ``Optimizer``'s torch-named hyper-parameters into the
symbols the clips use (lr → η, momentum → β, alpha → ρ, betas → β₁ β₂, …). The parameters that
define a method are always shown; any other that differs from what the optimizer's name implies
(torch's defaults, and e.g. momentum = 0.9 for "momentum") is shown too, so a legend never
hides a setting that changes the trajectory.

Names, colours, line styles, markers and torch's defaults all come from ``gdengine.look`` (the
one table) and the shared strings table ``scenes/strings/optimizers.toml``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import DOWN, LEFT, RIGHT, Line, MarkupText, RoundedRectangle, VGroup, VMobject

from gdengine import look
from gdengine.kit import palette
from gdengine.kit.traces import ball_shape, dash_pattern, dash_pieces, segment_curves
from gdengine.kit.text import FONT, SMALL_SIZE, format_sig, label

SYMBOLS = {
    "lr": "η", "momentum": "β", "alpha": "ρ", "eps": "ε", "weight_decay": "λ",
    "lr_decay": "δ", "dampening": "τ", "initial_accumulator_value": "s₀",
}
# Shown even at their default value: the knobs that define each method.
DEFINING = {
    "sgd": ("lr", "momentum"), "adagrad": ("lr",), "rmsprop": ("lr", "alpha"),
    "adam": ("lr", "betas"), "adamw": ("lr", "betas", "weight_decay"),
}


def display_name(name: str, language: str = look.BASE_LANGUAGE) -> str:
    """The optimizer's name in ``language``, from the shared strings table."""
    return look.optimizer_name(name, language)


def _defaults(kind: str, name: str) -> dict:
    """What ``name`` means without arguments: the engine registry's defaults (torch's, plus
    what an alias stands for, e.g. Nesterov's nesterov=True); for an optimizer built outside
    the registry, torch's defaults for its rule ``kind`` (``gdengine.look.torch_defaults``)."""
    from gdengine.core.optimizers import hyper_defaults, optimizers

    return hyper_defaults(name) if name in optimizers() else look.torch_defaults(kind)


def hyper_items(opt) -> list[str]:
    """["η = 0.01", "β = 0.9", …] for an engine ``Optimizer`` (or any object with ``name``,
    ``hyper`` and ``kind``)."""
    kind = getattr(opt, "kind", "") or opt.name
    hyper = dict(opt.hyper)
    items = []
    shown = set()
    for key in DEFINING.get(kind, ("lr",)):
        if key not in hyper:
            continue
        if kind == "sgd" and key == "momentum" and float(hyper[key]) == 0:
            continue  # vanilla: no β at all
        items.append(_item(key, hyper[key]))
        shown.add(key)
    defaults = _defaults(kind, opt.name)
    for key, value in hyper.items():
        if key in shown:
            continue
        default = defaults.get(key)
        if default is None or _same(value, default):
            continue
        items.append(_item(key, value))
    return items


def _same(a, b) -> bool:
    if isinstance(b, tuple):
        return tuple(np.ravel(a)) == tuple(b)
    if isinstance(b, bool):
        return bool(a) == b
    return np.ndim(a) == 0 and float(a) == float(b)


def _item(key: str, value) -> str:
    if key == "betas":
        b1, b2 = value
        return f"β₁ = {_value(b1)}, β₂ = {_value(b2)}"
    if key == "bias_correction":
        return "no bias correction" if not value else "bias correction"
    if key == "nesterov":
        return "Nesterov" if value else ""
    if isinstance(value, bool):
        return key.replace("_", " ") if value else f"no {key.replace('_', ' ')}"
    if np.ndim(value) > 0:
        return f"{SYMBOLS.get(key, key)} per particle"
    return f"{SYMBOLS.get(key, key)} = {_value(value)}"


def _value(v) -> str:
    """A hyper-parameter as typed: up to 6 significant digits (0.9999, 1×10⁻⁸)."""
    return format_sig(v, 6)


def hyper_text(opt) -> str:
    return ", ".join(i for i in hyper_items(opt) if i)


_SUBSCRIPT_DIGITS = "₀₁₂₃₄₅₆₇₈₉"


def params_label(text: str, size: float, color=None):
    """Hyper-parameter text; subscripts (β₁, s₀) drawn as 85 % digits set lower, because the
    font's own subscript glyphs are about half a digit's height (7 px at 480p: unreadable)."""
    color = palette.MUTED if color is None else color
    if not any(c in _SUBSCRIPT_DIGITS for c in text):
        return label(text, size, color)
    from html import escape

    parts = []
    for c in escape(text, quote=False):
        digit = _SUBSCRIPT_DIGITS.find(c)
        parts.append(f'<span size="85%" rise="-2pt">{digit}</span>' if digit >= 0 else c)
    mob = MarkupText("".join(parts), font=FONT, font_size=size, color=color)
    mob.plain_text = text  # what it says (tests, the linter's messages)
    mob.lint_label = text
    return mob


def swatch(color, optimizer: str | None = None, length: float | None = None, width: float = 5.0) -> VGroup:
    """A legend swatch: a short stroke in ``color``; for a known ``optimizer`` key, in its look
    line style with its marker in the middle (what tells runs apart without colour)."""
    if optimizer is None:
        length = 0.4 if length is None else length
        return VGroup(Line(LEFT * length / 2, RIGHT * length / 2, stroke_color=color, stroke_width=6))
    length = 0.7 if length is None else length
    style = look.optimizer_look(optimizer)
    line = VMobject(stroke_color=color, stroke_width=width)
    pattern = dash_pattern(style.dashes, width)
    if pattern is None:
        line.set_points_as_corners([LEFT * length / 2, RIGHT * length / 2])
    else:
        one = np.ones(1)
        a, b = dash_pieces(np.array([[-length / 2, 0.0]]), np.array([[length, 0.0]]), np.zeros(1),
                           one * length, np.zeros(1), one, pattern)
        line.set_points(segment_curves(a, b).reshape(-1, 3))
    group = VGroup(line, ball_shape(style.marker, 0.085, color))
    group.optimizer = look.canonical(optimizer)
    return group


class Legend(VGroup):
    """Rows of [swatch] name  (hyper-parameters), on a dark panel.

    ``entries``: (name, optimizer or hyper string, colour) triples, or quadruples whose fourth
    item is the optimizer's engine name, so the swatch shows its line style and marker
    (``legend_for`` passes it). ``rows[i]`` holds the ``swatch``, ``name`` and ``params``
    mobjects of entry i (tests read their text).
    """

    def __init__(
        self,
        entries: Sequence[tuple],
        *,
        size: float = SMALL_SIZE,
        panel: bool = True,
        params_below: bool = False,
    ):
        super().__init__()
        self.rows = VGroup()
        for entry in entries:
            name, opt, color = entry[:3]
            key = entry[3] if len(entry) > 3 else None
            mark = swatch(color, key)
            title = label(name, size, color)
            params = opt if isinstance(opt, str) else hyper_text(opt)
            params_mob = params_label(params, size * 0.85) if params else VGroup()
            row = VGroup(mark, title, params_mob)
            title.next_to(mark, RIGHT, buff=0.15)
            if params:
                if params_below:
                    params_mob.next_to(title, DOWN, buff=0.08, aligned_edge=LEFT)
                else:
                    params_mob.next_to(title, RIGHT, buff=0.2)
                    params_mob.align_to(title, DOWN)
            row.swatch, row.name, row.params = mark, title, params_mob
            self.rows.add(row)
        self.rows.arrange(DOWN, buff=0.14, aligned_edge=LEFT)
        self.panel = VGroup()
        if panel:
            self.panel = RoundedRectangle(
                width=1, height=1, corner_radius=0.1,
                fill_color=palette.PANEL, fill_opacity=0.9, stroke_width=0,
            )
            self.fit_panel()
        self.add(self.panel, self.rows)

    def fit_panel(self, extra=None, pad: tuple[float, float] = (0.2, 0.15)) -> Legend:
        """Stretch the panel around the rows (and ``extra``, e.g. an ``OutcomeColumn``)."""
        if not isinstance(self.panel, RoundedRectangle):
            return self
        content = VGroup(self.rows, *([extra] if extra is not None else []))
        self.panel.stretch_to_fit_width(content.width + 2 * pad[0])
        self.panel.stretch_to_fit_height(content.height + 2 * pad[1])
        self.panel.move_to(content)
        return self


def legend_for(runs: Sequence[tuple[str, object]], language: str = look.BASE_LANGUAGE,
               **kwargs) -> Legend:
    """Legend for (optimizer name, Optimizer) pairs: names in ``language``, each optimizer's
    look colour, line style and marker."""
    return Legend([(display_name(n, language), opt, palette.optimizer_color(n), n) for n, opt in runs],
                  **kwargs)


OUTCOMES = ("converged", "stalled", "diverged", "left", "max_steps")


class OutcomeColumn(VGroup):
    """A column of per-row outcomes beside a ``Legend``, each revealed when the replay reaches it.

    ``outcomes``: (step, outcome) per legend row, with outcome one of ``OUTCOMES`` (a
    ``Trace.outcome``) and step the engine's stop step (or the exit step); ``texts`` maps an
    outcome to a template with ``{step}`` (from the scene's strings table, so it translates).
    ``max_steps`` rows show their text when the replay reaches ``step``, the run's end.
    """

    def __init__(self, legend: Legend, clock, outcomes, texts: dict[str, str],
                 size: float = SMALL_SIZE * 0.85, gap: float = 0.35):
        super().__init__()
        self.clock = clock
        self.steps = [int(step) for step, _ in outcomes]
        x = legend.rows.get_right()[0] + gap
        for row, (step, outcome) in zip(legend.rows, outcomes):
            if outcome not in OUTCOMES:
                raise ValueError(f"unknown outcome {outcome!r}; valid: {', '.join(OUTCOMES)}")
            cell = label(texts[outcome].format(step=step), size, row.name.get_color())
            cell.next_to(row.name, RIGHT, buff=0).set_x(x + cell.width / 2)
            cell.set_opacity(0)
            self.add(cell)
        self.texts = [c.text for c in self]
        self.shown = [False] * len(self)
        legend.fit_panel(extra=self)
        self.add_updater(lambda _: self.refresh())

    def refresh(self) -> None:
        s = self.clock.s
        for i, cell in enumerate(self.submobjects):
            on = s >= self.steps[i] - 1e-9
            if on != self.shown[i]:
                cell.set_opacity(1.0 if on else 0.0)
                self.shown[i] = on
