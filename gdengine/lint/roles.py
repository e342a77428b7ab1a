"""What a drawn object is, for the layout linter: a tag set on the object, nothing imported.

The kit (and any user scene) marks objects with ``mark(mob, role)``; the probe reads
``getattr(mob, ROLE_ATTR, None)``. Untagged text is a plain label; untagged shapes are scenery.
"""

from __future__ import annotations

from typing import Any

ROLE_ATTR = "lint_role"

CAPTION = "caption"  # the caption strip (its line and panel): one caption at a time
DATA = "data"  # a ball, marker, arrow, curve or trail that no label may cover
TEXT = "text"  # a group read as one label (a read-out: label + live value)
IGNORE = "ignore"  # decoration that is neither text nor data (e.g. a text's own panel)

ROLES = (CAPTION, DATA, TEXT, IGNORE)


def mark(obj: Any, role: str) -> Any:
    """Tag ``obj`` with ``role`` (one of ``ROLES``) and return it."""
    if role not in ROLES:
        raise ValueError(f"unknown lint role {role!r}; valid roles: {', '.join(ROLES)}")
    setattr(obj, ROLE_ATTR, role)
    return obj


def role_of(obj: Any) -> str | None:
    return getattr(obj, ROLE_ATTR, None)
