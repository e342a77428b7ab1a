"""Plain JSON values from the parameter values gdengine passes around."""

from __future__ import annotations

from typing import Any


def jsonable(value: Any) -> Any:
    """Dicts, lists, tuples, numpy scalars and arrays → JSON values; anything else → its str."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        return jsonable(value.tolist())
    return str(value)
