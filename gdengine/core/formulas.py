"""Formula landscapes: a typed formula parsed by a whitelist grammar, differentiated by sympy.

``formula("x^2 + 10*y^2", window=[[-3, 3], [-3, 3]])`` reads the text with a small
recursive-descent parser (numbers, ``x``, ``y``, ``pi``, ``e``, ``+ - * / ^ **``, unary
minus, parentheses, juxtaposition as multiplication and the functions in ``FUNCTIONS``);
nothing of the text is ever evaluated as Python. The parsed tree is built into a sympy
expression (no ``sympify`` of the text), differentiated symbolically (gradient and Hessian),
and compiled by ``sympy.lambdify`` — code sympy prints from its own tree, where the only names
are the two variables — to numpy functions over the engine's (B, D) columns. The display
formulas (Typst for ``MathTypst``, Unicode for plain text) are printed from the parsed tree.

Critical points inside the window are found numerically (Newton on the gradient with the
symbolic Hessian from a grid of starts, deduplicated, classified by the Hessian's eigenvalues,
with a ring probe where the Hessian is degenerate), so statuses, basins and landmarks behave as
for the built-in surfaces.

Limits keep every input cheap: ``MAX_LENGTH`` characters, ``MAX_DEPTH`` nesting, ``MAX_NODES``
tree nodes, constant exponents up to ``MAX_EXPONENT`` and constants up to 10^``MAX_DIGITS``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from gdengine.core.landscapes import Landscape
from gdengine.errors import GdengineError

MAX_LENGTH = 400
MAX_DEPTH = 40
MAX_NODES = 300
MAX_EXPONENT = 100
MAX_DIGITS = 300
DEFAULT_WINDOW = (-3.0, 3.0)

VARIABLES = ("x", "y")
CONSTANTS = ("pi", "e")
# function name -> (sympy attribute, Unicode, Typst)
FUNCTIONS = {
    "sin": ("sin", "sin", "sin"),
    "cos": ("cos", "cos", "cos"),
    "tan": ("tan", "tan", "tan"),
    "exp": ("exp", "exp", "exp"),
    "log": ("log", "ln", "ln"),
    "sqrt": ("sqrt", "√", "sqrt"),
    "abs": ("Abs", "|", "abs"),
    "tanh": ("tanh", "tanh", "tanh"),
    "sinh": ("sinh", "sinh", "sinh"),
    "cosh": ("cosh", "cosh", "cosh"),
    "atan": ("atan", "arctan", "arctan"),
}
ALLOWED_NAMES = VARIABLES + CONSTANTS + tuple(FUNCTIONS)
_ALIASES = {"π": "pi", "−": "-", "·": "*", "×": "*", "**": "^"}


class FormulaError(GdengineError):
    """A formula that cannot become a landscape; the message says where and why."""


# --- tokens -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Token:
    kind: str  # "num", "name", "op", "end"
    text: str
    col: int  # 1-based column in the formula as typed


def _syntax(text: str, col: int, why: str) -> FormulaError:
    """One line naming the column, then the formula with a caret under that column."""
    return FormulaError(f"formula syntax error at column {col}: {why}\n  {text}\n  {' ' * (col - 1)}^")


def tokenize(text: str) -> list[Token]:
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            continue
        if c.isdigit() or (c == "." and i + 1 < n and text[i + 1].isdigit()):
            j = i
            while j < n and text[j].isdigit():
                j += 1
            if j < n and text[j] == ".":
                j += 1
                while j < n and text[j].isdigit():
                    j += 1
            if j < n and text[j] in "eE":  # an exponent only when digits follow: "2e" is 2·e
                k = j + 1
                if k < n and text[k] in "+-":
                    k += 1
                if k < n and text[k].isdigit():
                    while k < n and text[k].isdigit():
                        k += 1
                    j = k
            out.append(Token("num", text[i:j], i + 1))
            i = j
            continue
        if c.isascii() and (c.isalpha() or c == "_"):
            j = i
            while j < n and text[j].isascii() and (text[j].isalnum() or text[j] == "_"):
                j += 1
            out.append(Token("name", text[i:j], i + 1))
            i = j
            continue
        if text.startswith("**", i):
            out.append(Token("op", "^", i + 1))
            i += 2
            continue
        if c in _ALIASES:
            kind = "name" if c == "π" else "op"
            out.append(Token(kind, _ALIASES[c], i + 1))
            i += 1
            continue
        if c in "+-*/^()":
            out.append(Token("op", c, i + 1))
            i += 1
            continue
        raise _syntax(text, i + 1, f"unexpected character {c!r}; use numbers, x, y, pi, e, "
                                   "+ - * / ^, parentheses and the functions listed in the docs")
    out.append(Token("end", "", n + 1))
    return out


# --- the parsed tree ----------------------------------------------------------------------
@dataclass(frozen=True)
class Node:
    """``kind``: num (text), name (x, y, pi, e), neg, add, sub, mul, div, pow, call (fn)."""

    kind: str
    args: tuple = ()
    text: str = ""

    def walk(self):
        yield self
        for a in self.args:
            yield from a.walk()


class _Parser:
    """sum := product (('+'|'-') product)*;  product := unary (('*'|'/') unary | unary)*;
    unary := ('-'|'+') unary | power;  power := atom ('^' unary)?;
    atom := number | name | function '(' sum ')' | '(' sum ')'."""

    def __init__(self, text: str):
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0
        self.nodes = 0

    def peek(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def node(self, kind, args=(), text="") -> Node:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise FormulaError(f"formula too large: more than {MAX_NODES} terms and operators")
        return Node(kind, tuple(args), text)

    def nest(self, col):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _syntax(self.text, col, f"nested more than {MAX_DEPTH} levels deep")

    def parse(self) -> Node:
        if self.peek().kind == "end":
            raise FormulaError("empty formula; write one in x (1-D) or x and y (2-D), e.g. x^2 + 10*y^2")
        tree = self.sum()
        tok = self.peek()
        if tok.kind != "end":
            why = "unmatched ')'" if tok.text == ")" else f"unexpected {tok.text!r}"
            raise _syntax(self.text, tok.col, why)
        return tree

    def sum(self) -> Node:
        left = self.product()
        while self.peek().kind == "op" and self.peek().text in "+-":
            op = self.take()
            left = self.node("add" if op.text == "+" else "sub", (left, self.product()))
        return left

    def starts_atom(self, tok: Token) -> bool:
        return tok.kind in ("num", "name") or (tok.kind == "op" and tok.text == "(")

    def product(self) -> Node:
        left = self.unary()
        while True:
            tok = self.peek()
            if tok.kind == "op" and tok.text in "*/":
                self.take()
                left = self.node("mul" if tok.text == "*" else "div", (left, self.unary()))
            elif self.starts_atom(tok):  # juxtaposition: 2x, 3(x + 1), x y
                if tok.kind == "num" and self.tokens[self.i - 1].kind == "num":
                    raise _syntax(self.text, tok.col, "two numbers in a row; put an operator between them")
                left = self.node("mul", (left, self.power()))
            else:
                return left

    def unary(self) -> Node:
        tok = self.peek()
        if tok.kind == "op" and tok.text in "+-":
            self.take()
            self.nest(tok.col)
            inner = self.unary()
            self.depth -= 1
            return inner if tok.text == "+" else self.node("neg", (inner,))
        return self.power()

    def power(self) -> Node:
        base = self.atom()
        tok = self.peek()
        if tok.kind == "op" and tok.text == "^":
            self.take()
            self.nest(tok.col)
            exponent = self.unary()
            self.depth -= 1
            return self.node("pow", (base, exponent))
        return base

    def atom(self) -> Node:
        tok = self.take()
        if tok.kind == "num":
            return self.node("num", text=tok.text)
        if tok.kind == "name":
            if tok.text in FUNCTIONS:
                nxt = self.peek()
                if not (nxt.kind == "op" and nxt.text == "("):
                    raise _syntax(self.text, nxt.col, f"{tok.text} needs parentheses: {tok.text}(...)")
                self.take()
                inner = self.group(nxt)
                return self.node("call", (inner,), tok.text)
            if tok.text not in VARIABLES + CONSTANTS:
                raise FormulaError(
                    f"unknown name {tok.text!r} at column {tok.col} of formula {self.text!r}; "
                    f"allowed names: {', '.join(ALLOWED_NAMES)} (and registered landscape names)")
            return self.node("name", text=tok.text)
        if tok.kind == "op" and tok.text == "(":
            return self.group(tok)
        if tok.kind == "end":
            raise _syntax(self.text, tok.col, "the formula ends too early")
        raise _syntax(self.text, tok.col, f"unexpected {tok.text!r}")

    def group(self, opening: Token) -> Node:
        self.nest(opening.col)
        inner = self.sum()
        self.depth -= 1
        close = self.take()
        if not (close.kind == "op" and close.text == ")"):
            raise _syntax(self.text, close.col if close.kind != "end" else opening.col,
                          "'(' is never closed" if close.kind == "end" else f"expected ')', found {close.text!r}")
        return inner


def parse(text) -> Node:
    """The formula's tree; a ``FormulaError`` for anything outside the grammar or the limits."""
    if not isinstance(text, str):
        raise FormulaError(f"a formula must be a string, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"formula too long: {len(text)} characters (at most {MAX_LENGTH})")
    return _Parser(text).parse()


def variables(tree: Node) -> tuple[str, ...]:
    """("x",) for a 1-D formula, ("x", "y") when y occurs."""
    names = {n.text for n in tree.walk() if n.kind == "name"}
    return ("x", "y") if "y" in names else ("x",)


# --- printing from the tree -----------------------------------------------------------------
_PREC = {"add": 1, "sub": 1, "mul": 2, "div": 2, "neg": 3, "pow": 4, "num": 5, "name": 5, "call": 5}
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def _int_exponent(node: Node) -> str | None:
    """The digits of a small whole-number exponent (possibly negative), else None."""
    if node.kind == "num" and node.text.isdigit():
        return node.text
    if node.kind == "neg" and node.args[0].kind == "num" and node.args[0].text.isdigit():
        return "-" + node.args[0].text
    return None


class _Printer:
    """Prints a tree in one notation; ``style`` is "ascii" (canonical), "unicode" or "typst"."""

    def __init__(self, style: str):
        self.style = style

    def wrap(self, node: Node, need: bool) -> str:
        s = self.show(node)
        return f"({s})" if need else s

    def minus(self) -> str:
        return "−" if self.style == "unicode" else "-"

    def show(self, n: Node) -> str:
        k, st = n.kind, self.style
        if k == "num":
            return n.text
        if k == "name":
            if n.text == "pi":
                return "π" if st == "unicode" else "pi"
            return n.text
        if k == "neg":
            a = n.args[0]
            return self.minus() + self.wrap(a, _PREC[a.kind] < 3 or a.kind == "neg")
        if k in ("add", "sub"):
            a, b = n.args
            op = " + " if k == "add" else f" {self.minus()} "
            right_needs = _PREC[b.kind] <= 1 or (b.kind == "neg")
            return self.wrap(a, False) + op + self.wrap(b, right_needs)
        if k == "mul":
            return self.product(*n.args)
        if k == "div":
            a, b = n.args
            if st == "typst":  # a fraction: Typst drops one pair of parentheses around each side
                return f"{self.wrap(a, _PREC[a.kind] < 5)} / {self.wrap(b, _PREC[b.kind] < 5)}"
            return self.wrap(a, _PREC[a.kind] < 2) + "/" + self.wrap(b, _PREC[b.kind] <= 2)
        if k == "pow":
            a, b = n.args
            base = self.wrap(a, _PREC[a.kind] <= 4 or a.kind == "num" and a.text.startswith("."))
            digits = _int_exponent(b)
            if st == "unicode" and digits is not None and len(digits) <= 3:
                return base + digits.translate(_SUPERSCRIPT)
            return base + "^" + self.wrap(b, _PREC[b.kind] < 5)
        if k == "call":
            a = n.args[0]
            name = FUNCTIONS[n.text][1 if st == "unicode" else 2 if st == "typst" else 0]
            if st == "ascii":
                return f"{n.text}({self.show(a)})"
            if st == "unicode" and n.text == "abs":
                return f"|{self.show(a)}|"
            if st == "unicode" and n.text == "sqrt":
                return "√" + self.wrap(a, _PREC[a.kind] < 5)
            return f"{name}({self.show(a)})"
        raise AssertionError(k)

    def product(self, a: Node, b: Node) -> str:
        left = self.wrap(a, _PREC[a.kind] < 2)
        right = self.wrap(b, _PREC[b.kind] <= 2 or b.kind == "neg")
        if self.style == "ascii":
            return f"{left}*{right}"
        # juxtapose where a reader would: 10y, 2π, xy, (x + 1)(x − 1); a dot elsewhere
        if self.style == "unicode":
            last, first = left[-1], right[0]
            joins = (last.isalnum() or last in ")π" or last in "⁰¹²³⁴⁵⁶⁷⁸⁹") and a.kind != "div"
            reads = (first.isalpha() and b.kind != "call") or first in "(π"
            return left + right if joins and reads else f"{left}·{right}"
        if right[0].isdigit():
            return f"{left} dot {right}"
        return f"{left} {right}"


def canonical(tree: Node) -> str:
    """The formula as the engine names it: ``x^2 + 10*y^2``."""
    return _Printer("ascii").show(tree)


def unicode_text(tree: Node) -> str:
    return _Printer("unicode").show(tree)


def typst_text(tree: Node) -> str:
    return _Printer("typst").show(tree)


# --- symbolic maths ---------------------------------------------------------------------------
def _too_large(expr) -> bool:
    """A rational constant beyond 10^MAX_DIGITS (numpy cannot hold it as a float)."""
    import sympy as sp

    bits = MAX_DIGITS * 3.33
    return any(abs(a.p).bit_length() > bits or a.q.bit_length() > bits
               for a in expr.atoms(sp.Rational))


def to_sympy(tree: Node):
    """The sympy expression of a parsed tree (built node by node, never from the text)."""
    import sympy as sp

    x, y = sp.symbols("x y", real=True)
    names = {"x": x, "y": y, "pi": sp.pi, "e": sp.E}

    def build(n: Node):
        k = n.kind
        if k == "num":
            if len(n.text.replace(".", "").lstrip("0")) > 30:
                raise FormulaError(f"number {n.text!r} has too many digits (at most 30)")
            mant, _, exp = n.text.lower().partition("e")
            if exp and abs(int(exp)) > MAX_DIGITS:
                raise FormulaError(f"number {n.text!r} is out of range (|exponent| ≤ {MAX_DIGITS})")
            return sp.Rational(n.text) if ("." in n.text or exp) else sp.Integer(int(n.text))
        if k == "name":
            return names[n.text]
        args = [build(a) for a in n.args]
        if k == "neg":
            return -args[0]
        if k == "add":
            return args[0] + args[1]
        if k == "sub":
            return args[0] - args[1]
        if k == "mul":
            return args[0] * args[1]
        if k == "div":
            return args[0] / args[1]
        if k == "pow":
            base, exponent = args
            if exponent.is_number:
                e = complex(sp.N(exponent, 20))
                if abs(e) > MAX_EXPONENT:
                    raise FormulaError(f"exponent {canonical(n.args[1])} is too large (at most {MAX_EXPONENT} in size)")
                if base.is_number:
                    b = abs(complex(sp.N(base, 20)))
                    if b > 0 and abs(e.real) * math.log10(b) > MAX_DIGITS:
                        raise FormulaError(f"constant {canonical(n)} is too large (over 10^{MAX_DIGITS})")
            return base ** exponent
        if k == "call":
            return getattr(sp, FUNCTIONS[n.text][0])(args[0])
        raise AssertionError(k)

    expr = build(tree)
    if _too_large(expr):
        raise FormulaError(f"formula {canonical(tree)!r} holds a constant over 10^{MAX_DIGITS}")
    if expr.has(sp.I, sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise FormulaError(f"formula {canonical(tree)!r} is not a real, finite function "
                           "(it contains a complex, infinite or undefined constant)")
    return expr, (x, y)


def _lambdify(symbols, exprs):
    import sympy as sp

    fn = sp.lambdify(symbols, exprs, modules="numpy", cse=True)
    return fn


def compile_formula(tree: Node):
    """(fg, hessian, dim): ``fg(x[, y]) -> (f, df/dx[, df/dy])`` and ``hessian(x[, y])``
    -> rows of second derivatives, both over numpy columns."""
    import sympy as sp

    expr, (x, y) = to_sympy(tree)
    syms = (x,) if variables(tree) == ("x",) else (x, y)
    grad = [sp.diff(expr, s) for s in syms]
    # d/dx sign(x) is a Dirac delta: zero wherever a numerical Newton step can land
    hess = [[sp.diff(g, s).replace(sp.DiracDelta, lambda *a: sp.S.Zero) for s in syms] for g in grad]
    fg = _lambdify(syms, [expr, *grad])
    hs = _lambdify(syms, hess)
    return fg, hs, len(syms)


# --- critical points --------------------------------------------------------------------------
def _columns(fn, X):
    """Evaluate a lambdified list-valued function on (N, D) points → list of (N,) arrays."""
    with np.errstate(all="ignore"):
        out = fn(*(X[:, d] for d in range(X.shape[1])))
    return out


def _grad(fg, X) -> np.ndarray:
    out = _columns(fg, X)
    return np.stack([np.broadcast_to(np.asarray(g, dtype=float), (len(X),)) for g in out[1:]], axis=1)


def _value(fg, X) -> np.ndarray:
    return np.broadcast_to(np.asarray(_columns(fg, X)[0], dtype=float), (len(X),)).copy()


def _hessian(hs, X) -> np.ndarray:
    rows = _columns(hs, X)
    N, D = X.shape
    H = np.empty((N, D, D))
    for i in range(D):
        for j in range(D):
            H[:, i, j] = np.broadcast_to(np.asarray(rows[i][j], dtype=float), (N,))
    return H


def grid(window, per_axis: int) -> np.ndarray:
    axes = [np.linspace(lo, hi, per_axis) for lo, hi in window]
    return np.stack([a.ravel() for a in np.meshgrid(*axes, indexing="ij")], axis=1)


def critical_points(fg, hs, window, *, per_axis: int | None = None, iterations: int = 80):
    """(minima, local_minima, saddles, basin_radius) inside ``window``.

    Newton on the gradient (step = H⁺g, at most a quarter of the window's diagonal) from a
    grid of starts; points whose gradient vanishes are deduplicated and classified by the
    Hessian's eigenvalues (a ring probe of f decides where the Hessian is degenerate). A
    minimum is global when no value on a fine grid of the window is lower; otherwise every
    minimum is local. A continuum of minima (a ring valley) is thinned to points spaced by the
    basin radius, so every point of it still counts as a minimum.
    """
    D = len(window)
    lo = np.array([w[0] for w in window])
    hi = np.array([w[1] for w in window])
    span = hi - lo
    diag = float(np.linalg.norm(span))
    per_axis = per_axis or (400 if D == 1 else 40)
    X = grid(window, per_axis)
    fine = grid(window, 1001 if D == 1 else 201)
    with np.errstate(all="ignore"):
        F_fine = _value(fg, fine)
        G0 = _grad(fg, X)
    finite = np.isfinite(F_fine)
    gscale = float(np.nanmedian(np.linalg.norm(np.where(np.isfinite(G0), G0, np.nan), axis=1))) if np.isfinite(G0).any() else 1.0
    gscale = gscale if np.isfinite(gscale) and gscale > 0 else 1.0
    alive = np.ones(len(X), dtype=bool)
    with np.errstate(all="ignore"):
        for _ in range(iterations):
            G = _grad(fg, X)
            H = _hessian(hs, X)
            ok = np.isfinite(G).all(1) & np.isfinite(H).all((1, 2))
            alive &= ok
            if not alive.any():
                break
            step = np.zeros_like(X)
            idx = np.flatnonzero(alive)
            step[idx] = np.einsum("nij,nj->ni", np.linalg.pinv(H[idx], rcond=1e-12), G[idx])
            norm = np.linalg.norm(step, axis=1)
            cap = 0.25 * diag
            step *= np.where(norm > cap, cap / np.maximum(norm, 1e-300), 1.0)[:, None]
            X = np.where(alive[:, None], X - step, X)
            alive &= ((X >= lo - 1e-9 * span) & (X <= hi + 1e-9 * span)).all(1)
        G = _grad(fg, X)
        gnorm = np.linalg.norm(G, axis=1)
        keep = alive & np.isfinite(gnorm) & (gnorm <= 1e-8 * (1.0 + gscale))
    X, gnorm = np.clip(X[keep], lo, hi), gnorm[keep]
    X = _snap_zeros(fg, X, gnorm, 1e-9 * span, 1e-8 * (1.0 + gscale))
    points = _dedupe(X[np.argsort(gnorm, kind="stable")], 1e-6 * diag)
    kinds = _classify(fg, hs, points, diag) if len(points) else np.array([], dtype="<U7")
    mins = points[kinds == "min"]
    saddles = points[kinds == "saddle"]
    radius = 0.05 * diag
    if len(mins) > 64:  # a continuum: thin it so each of its points is near a kept one
        mins = _dedupe(mins[np.argsort(_value(fg, mins), kind="stable")], radius)
    elif len(mins) > 1:
        d = np.linalg.norm(mins[:, None] - mins[None], axis=2)
        radius = min(radius, 0.45 * float(np.min(d[np.triu_indices(len(mins), 1)])))
    if len(saddles) > 64:
        saddles = _dedupe(saddles, radius)
    values = _value(fg, mins) if len(mins) else np.zeros(0)
    lowest = float(np.min(F_fine[finite])) if finite.any() else -np.inf
    if len(mins):
        best = float(np.min(values))
        tol = 1e-9 * max(1.0, abs(best))
        glob = values <= best + tol if best <= lowest + tol else np.zeros(len(mins), dtype=bool)
    else:
        glob = np.zeros(0, dtype=bool)
    return mins[glob], mins[~glob], saddles, radius


def _snap_zeros(fg, X: np.ndarray, gnorm: np.ndarray, tiny: np.ndarray, gtol: float) -> np.ndarray:
    """Coordinates within ``tiny`` of 0 set to exactly 0 where the point stays critical (a
    steep surface leaves Newton at 3e-11 instead of 0, which a label would print)."""
    snapped = np.where(np.abs(X) < tiny, 0.0, X)
    if not len(X):
        return X
    with np.errstate(all="ignore"):
        g = np.linalg.norm(_grad(fg, snapped), axis=1)
    ok = np.isfinite(g) & (g <= np.maximum(10 * gnorm, gtol))
    return np.where(ok[:, None], snapped, X)


def _dedupe(points: np.ndarray, radius: float) -> np.ndarray:
    """Greedy: keep each point farther than ``radius`` from every point kept before it."""
    kept = np.empty((0, points.shape[1]))
    for p in points:
        if not len(kept) or np.min(np.linalg.norm(kept - p, axis=1)) > radius:
            kept = np.vstack([kept, p])
    return kept


def _classify(fg, hs, points: np.ndarray, diag: float) -> np.ndarray:
    """"min", "max", "saddle" or "flat" for each critical point."""
    H = _hessian(hs, points)
    eig = np.linalg.eigvalsh(H)
    scale = np.maximum(np.max(np.abs(eig), axis=1), 1e-300)
    eps = 1e-7 * scale
    kinds = np.full(len(points), "flat", dtype="<U7")
    pos, neg = (eig > eps[:, None]), (eig < -eps[:, None])
    clear = (pos | neg).all(1) & (scale > 1e-12)
    kinds[clear & pos.all(1)] = "min"
    kinds[clear & neg.all(1)] = "max"
    kinds[clear & pos.any(1) & neg.any(1)] = "saddle"
    D = points.shape[1]
    if D == 1:
        ring = np.array([[-1.0], [1.0]])
    else:
        a = np.linspace(0, 2 * np.pi, 16, endpoint=False)
        ring = np.stack([np.cos(a), np.sin(a)], axis=1)
    for i in np.flatnonzero(~clear):
        f0 = float(_value(fg, points[i:i + 1])[0])
        around = _value(fg, points[i] + 1e-3 * diag * ring) - f0
        tiny = 1e-12 * max(1.0, abs(f0))
        up, down = np.any(around > tiny), np.any(around < -tiny)
        kinds[i] = "saddle" if up and down else "min" if up else "max" if down else "flat"
    return kinds


# --- the landscape ------------------------------------------------------------------------------
def check_window(window, dim: int) -> tuple[tuple[float, float], ...]:
    """``None`` → [−3, 3]ᴰ; ``[lo, hi]`` → that interval on every axis; or one pair per axis."""
    if window is None:
        return (DEFAULT_WINDOW,) * dim
    try:
        pairs = np.asarray(window, dtype=float)
    except (TypeError, ValueError):
        raise GdengineError(f"window must be [lo, hi] or [[x0, x1], [y0, y1]], got {window!r}") from None
    if pairs.shape == (2,):
        pairs = np.repeat(pairs[None], dim, axis=0)
    if pairs.shape != (dim, 2):
        raise GdengineError(
            f"window must be [lo, hi] or {dim} pair(s) [[x0, x1]{', [y0, y1]' if dim == 2 else ''}] "
            f"for this {dim}-D formula, got {window!r}")
    if not np.isfinite(pairs).all() or not (pairs[:, 0] < pairs[:, 1]).all():
        raise GdengineError(f"window needs finite bounds with lo < hi on every axis, got {window!r}")
    return tuple((float(a), float(b)) for a, b in pairs)


class FormulaLandscape(Landscape):
    """A landscape typed as a formula (built by ``formula``): its name is the
    canonical formula, ``params`` holds its window, and it knows its symbolic Hessian."""

    def __init__(self, text: str, fg: Callable, hessian: Callable, window, **kw):
        super().__init__(text, fg=fg, bounds=window, view=window,
                         params={"window": [list(w) for w in window]}, **kw)
        self._hessian = hessian

    def _fg_params(self) -> tuple:
        return ()

    def hessian(self, X) -> np.ndarray:
        """(B, D, D) second derivatives (a Dirac delta of ``abs`` counts as 0)."""
        return _hessian(self._hessian, self._check(X))

    def cache_token(self) -> dict:
        """The canonical formula and window say everything (the engine's hash covers the
        parser and compiler)."""
        return {**self.spec, "kind": "formula", "bounds": self.bounds, "limits": self.limits}


@lru_cache(maxsize=64)
def _build(text: str, window: tuple[tuple[float, float], ...]):
    tree = parse(text)
    try:
        fg, hs, dim = compile_formula(tree)
        with np.errstate(all="ignore"):
            probe = _value(fg, grid(window, 64 if dim == 2 else 512))
    except FormulaError:
        raise
    except (RecursionError, MemoryError, OverflowError, ValueError, TypeError, ArithmeticError) as err:
        why = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise FormulaError(f"formula {text!r} cannot be compiled ({why}); simplify it") from None
    if not np.isfinite(probe).any():
        box = " × ".join(f"[{lo:g}, {hi:g}]" for lo, hi in window)
        raise FormulaError(f"formula {text!r} is not finite anywhere in the window {box}; "
                           "change the formula or its window")
    minima, local, saddles, radius = critical_points(fg, hs, window)
    args = ", ".join(variables(tree))
    return FormulaLandscape(
        text, fg, hs, window, minima=minima, local_minima=local, saddles=saddles,
        basin_radius=radius, formula=f"f({args}) = {typst_text(tree)}",
        formula_text=f"f({args}) = {unicode_text(tree)}",
        description="a formula typed by the user",
    )


def formula(text: str, window=None):
    """The landscape of a typed formula in ``x`` (1-D) or ``x, y`` (2-D) on ``window``
    (``[lo, hi]`` for every axis or one pair per axis; default [−3, 3]ᴰ)."""
    try:
        tree = parse(text)
        return _build(canonical(tree), check_window(window, len(variables(tree))))
    except RecursionError:
        raise FormulaError(f"formula too deeply nested (at most {MAX_DEPTH} levels)") from None
