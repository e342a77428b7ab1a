"""Landscapes by name or by formula: a registered name wins, any other string is a formula."""

from __future__ import annotations

from gdengine.core.landscapes import Landscape, is_registered, landscapes, registered
from gdengine.errors import GdengineError


def landscape(name, **params) -> Landscape:
    """Build a landscape by name, e.g. ``landscape("ravine", kappa=50)``; any other string is
    read as a formula: ``landscape("x^2 + 10*y^2", window=[[-3, 3], [-2, 2]])`` (names win)."""
    if isinstance(name, Landscape):
        if params:
            raise GdengineError("landscape(): parameters given with a ready Landscape object")
        return name
    if is_registered(name):
        return registered(name, **params)
    if not isinstance(name, str) or (name.isidentifier() and name not in ("x", "y")):
        raise GdengineError(
            f"unknown landscape {str(name)[:60]!r}; valid choices: {', '.join(landscapes())}, "
            "or a formula in x (1-D) or x and y (2-D) such as 'x^2 + 10*y^2'"
        )
    from gdengine.core.formulas import formula  # sympy: only when a formula is typed

    unknown = set(params) - {"window"}
    if unknown:
        raise GdengineError(f"a formula landscape takes only window=, got {sorted(unknown)}")
    return formula(name, params.get("window"))
