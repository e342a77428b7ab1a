"""Breaking a long formula into lines at its + and − signs, shared by the Manim kit (Typst
source) and the 3-D overlay (Unicode text): no drawing here, only where the cuts go."""

from __future__ import annotations

import re
from collections.abc import Callable

_BRACKETS = {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}
_SIGN = re.compile(r"[()\[\]{}]| [+\-−] ")


def terms_at(rhs: str, depth: int = 0) -> list[str]:
    """``a + (b - c) - d`` → ["a", "+ (b - c)", "- d"]: cut before each " + " / " − " sign at
    bracket depth ``depth`` (0: outside every bracket)."""
    cuts, level = [], 0
    for m in _SIGN.finditer(rhs):
        tok = m.group()
        if tok in _BRACKETS:
            level += _BRACKETS[tok]
        elif level == depth:
            cuts.append(m.start() + 1)
    pieces = [rhs[a:b].strip() for a, b in zip([0, *cuts], [*cuts, len(rhs)])]
    return [p for p in pieces if p]


_PRODUCT = re.compile(r"[)\]]\s*(?:·|dot)?\s*(?=[(\[])")


def factors(rhs: str) -> list[str]:
    """``(a + b)(c − d)`` → ["(a + b)", "(c − d)"]: cut between brackets multiplied at depth 0
    (juxtaposed, or with · / Typst's ``dot`` between them, which starts the next piece)."""
    cuts, level = [], 0
    for i, c in enumerate(rhs):
        level += _BRACKETS.get(c, 0)
        if c in ")]" and level == 0:
            m = _PRODUCT.match(rhs, i)
            if m and m.end() < len(rhs):
                cuts.append(i + 1)
    pieces = [rhs[a:b].strip() for a, b in zip([0, *cuts], [*cuts, len(rhs)])]
    return [p for p in pieces if p]


def terms(rhs: str) -> list[str]:
    """Where a long formula may break: its terms outside every bracket; else the bracketed
    factors of a product; else the terms one bracket deeper, and so on; else the whole."""
    found = terms_at(rhs, 0)
    if len(found) > 1:
        return found
    found = factors(rhs)
    if len(found) > 1:
        return found
    for depth in range(1, 4):
        found = terms_at(rhs, depth)
        if len(found) > 1:
            return found
    return [rhs]


def balanced_groups(items: list[str], n: int) -> list[list[str]]:
    """``items`` cut into ``n`` consecutive groups with the longest group as short as possible."""
    best = None

    def cuts(i: int, k: int):
        if k == 1:
            yield [items[i:]]
            return
        for j in range(i + 1, len(items) - k + 2):
            for rest in cuts(j, k - 1):
                yield [items[i:j], *rest]

    for groups in cuts(0, n):
        cost = max(sum(len(t) for t in g) for g in groups)
        if best is None or cost < best[0]:
            best = (cost, groups)
    return best[1]


def break_lines(rhs: str, fits: Callable[[list[str]], bool], max_lines: int = 3) -> list[str]:
    """The fewest lines (up to ``max_lines``) of ``rhs``, cut at + and −, that ``fits`` accepts
    (it sees the candidate lines); the ``max_lines`` split when none does."""
    parts = terms(rhs)
    lines = [rhs]
    for n in range(1, min(max_lines, len(parts)) + 1):
        lines = [" ".join(g) for g in balanced_groups(parts, n)]
        if fits(lines):
            return lines
    return lines
