"""Declared scene parameters: a default plus a check that runs when the class is defined.

A scene declares ``params = {"lr": learning_rate(0.1), ...}``; ``GdScene`` validates
every declared attribute (and rejects undeclared public attributes, i.e. typos) in
``__init_subclass__``, so ``class Fast(BallDownhill): lr = -1`` or ``lrr = 0.5`` fails at import
with a one-line ``GdengineError`` naming the valid choices.

Each ``Param.check(value, where)`` returns the normalised value (e.g. lists become tuples of
floats) or raises ``GdengineError``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from gdengine.core.optimizers import check_hyper
from gdengine.errors import GdengineError


@dataclass(frozen=True)
class Param:
    """One declared parameter: default value, normaliser/validator, one-line description."""

    default: Any
    check: Callable[[Any, str], Any] = field(default=lambda value, where: value)
    doc: str = ""

    def validate(self, value: Any, where: str) -> Any:
        return self.check(value, where)


def _is_real(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _finite(value: Any, where: str) -> float:
    if not _is_real(value) or not math.isfinite(float(value)):
        raise GdengineError(f"{where} must be a finite number, got {value!r}")
    return float(value)


def number(
    default: float,
    *,
    lo: float | None = None,
    hi: float | None = None,
    positive: bool = False,
    doc: str = "",
) -> Param:
    """A finite float, optionally bounded (``lo <= v <= hi``; ``positive``: ``v > 0``)."""

    def check(value: Any, where: str) -> float:
        value = _finite(value, where)
        if positive and value <= 0:
            raise GdengineError(f"{where} must be > 0, got {value!r}")
        if lo is not None and value < lo:
            raise GdengineError(f"{where} must be >= {lo}, got {value!r}")
        if hi is not None and value > hi:
            raise GdengineError(f"{where} must be <= {hi}, got {value!r}")
        return value

    return Param(default, check, doc)


def learning_rate(default: float, *, doc: str = "") -> Param:
    """A learning rate η, checked by the engine's own rule (``check_hyper("lr")``: finite, >= 0)."""

    def check(value: Any, where: str) -> float:
        return float(check_hyper("lr", _finite(value, where), where))

    return Param(default, check, doc)


def learning_rates(default: Iterable[float], *, length: int | None = None, doc: str = "") -> Param:
    """A sequence of learning rates (a tuple of floats), each checked as ``learning_rate``."""
    sequence = numbers(default, length=length, doc=doc)

    def check(value: Any, where: str) -> tuple[float, ...]:
        values = sequence.check(value, where)
        for i, v in enumerate(values):
            check_hyper("lr", v, f"{where}[{i}]")
        return values

    return Param(tuple(default), check, doc)


def integer(default: int, *, lo: int | None = None, hi: int | None = None, doc: str = "") -> Param:
    """A whole number, optionally bounded."""

    def check(value: Any, where: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise GdengineError(f"{where} must be a whole number, got {value!r}")
        if lo is not None and value < lo:
            raise GdengineError(f"{where} must be >= {lo}, got {value!r}")
        if hi is not None and value > hi:
            raise GdengineError(f"{where} must be <= {hi}, got {value!r}")
        return value

    return Param(default, check, doc)


def boolean(default: bool, *, doc: str = "") -> Param:
    def check(value: Any, where: str) -> bool:
        if not isinstance(value, bool):
            raise GdengineError(f"{where} must be true or false, got {value!r}")
        return value

    return Param(default, check, doc)


def numbers(
    default: Iterable[float],
    *,
    length: int | None = None,
    min_length: int = 1,
    positive: bool = False,
    doc: str = "",
) -> Param:
    """A sequence of finite floats (normalised to a tuple)."""

    def check(value: Any, where: str) -> tuple[float, ...]:
        if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
            raise GdengineError(f"{where} must be a list of numbers, got {value!r}")
        values = tuple(_finite(v, f"{where}[{i}]") for i, v in enumerate(value))
        if length is not None and len(values) != length:
            raise GdengineError(f"{where} must hold {length} numbers, got {len(values)}")
        if len(values) < min_length:
            raise GdengineError(f"{where} must hold at least {min_length} number(s)")
        if positive and any(v <= 0 for v in values):
            raise GdengineError(f"{where} must all be > 0, got {values!r}")
        return values

    return Param(tuple(default), check, doc)


def choice(default: str, choices: Iterable[str] | Callable[[], Iterable[str]], *, doc: str = "") -> Param:
    """One of a fixed set of strings (``choices`` may be a callable, evaluated when checked)."""

    def check(value: Any, where: str) -> str:
        valid = sorted(choices() if callable(choices) else choices)
        if value not in valid:
            raise GdengineError(f"{where}: unknown choice {value!r}; valid choices: {', '.join(valid)}")
        return value

    return Param(default, check, doc)


def _names(collection: Any) -> list[str]:
    """Names from whatever ``gd.landscapes()``/``gd.optimizers()`` return (names or objects)."""
    if isinstance(collection, dict):
        collection = collection.keys()
    return sorted(item if isinstance(item, str) else getattr(item, "name", str(item)) for item in collection)


@dataclass(frozen=True)
class LandscapeParam(Param):
    """A landscape parameter: its formula values are rebuilt on the scene's ``window``."""

    dim: int | None = None


def landscape(default: str, *, dim: int | None = None, doc: str = "") -> Param:
    """An engine landscape name (checked against ``gd.landscapes()``), a formula in x (1-D) or
    x and y (2-D) such as ``"x^2 + 10*y^2"`` (drawn on the scene's ``window``), or a
    ``Landscape`` object."""

    def check(value: Any, where: str) -> Any:
        import gdengine as gd

        if not isinstance(value, str):
            if not hasattr(value, "f") or not hasattr(value, "grad"):
                raise GdengineError(f"{where} must be a landscape name, a formula or a Landscape, got {value!r}")
            land_dim = getattr(value, "dim", None)
        else:
            try:
                land_dim = gd.landscape(value).dim if value not in gd.landscapes() or dim is not None else None
            except GdengineError as err:
                raise GdengineError(f"{where}: {err}") from None
        if dim is not None and land_dim is not None and land_dim != dim:
            raise GdengineError(f"{where}: landscape {value!r} is {land_dim}-D, this scene needs {dim}-D")
        return value

    return LandscapeParam(default, check, doc, dim)


def window(doc: str = "") -> Param:
    """A formula landscape's window: None (the default [−3, 3] per axis), ``[lo, hi]`` for
    every axis, or ``[[x0, x1], [y0, y1]]``."""

    def check(value: Any, where: str) -> Any:
        if value is None:
            return None
        shape = f"{where} must be [lo, hi] or [[x0, x1], [y0, y1]] with lo < hi, got {value!r}"
        if isinstance(value, (str, bytes)) or not isinstance(value, Iterable) or not value:
            raise GdengineError(shape)
        nested = all(isinstance(p, (list, tuple)) for p in value)
        pairs = tuple(tuple(_finite(v, where) for v in p) for p in (value if nested else [value]))
        if len(pairs) > 2 or not all(len(p) == 2 and p[0] < p[1] for p in pairs):
            raise GdengineError(shape)
        return pairs if nested else pairs[0]

    return Param(None, check, doc or "a formula landscape's window: [lo, hi] or [[x0, x1], [y0, y1]] (default [-3, 3])")


def optimizer(default: str, *, doc: str = "") -> Param:
    """An engine optimizer name, checked against ``gd.optimizers()`` (aliases included)."""

    def check(value: Any, where: str) -> str:
        import gdengine as gd

        valid = _names(gd.optimizers())
        if value not in valid and value not in ("gd", "vanilla"):
            raise GdengineError(f"{where}: unknown optimizer {value!r}; valid choices: {', '.join(valid)}")
        return value

    return Param(default, check, doc)


def text(default: str, *, doc: str = "") -> Param:
    def check(value: Any, where: str) -> str:
        if not isinstance(value, str):
            raise GdengineError(f"{where} must be a string, got {value!r}")
        return value

    return Param(default, check, doc)
