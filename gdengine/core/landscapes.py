"""Loss landscapes: value, analytic gradient, domain, known critical points, formula.

Every built-in surface is written once as a *column function* ``fg(x, y, *params)`` that
returns ``(f, df/dx, df/dy)`` using only arithmetic and numpy ufuncs, so the same code runs
on numpy columns (the reference path) and inside the numba kernel (``kernels.py``).
"""

from __future__ import annotations

import inspect
from functools import lru_cache
import math
from typing import Callable, Sequence

import numpy as np

from gdengine.errors import GdengineError
from gdengine.jsonable import jsonable as _jsonable
from gdengine.numformat import format_sig

PI = math.pi


class Landscape:
    """A differentiable function on R^D with the facts a scene needs to draw it.

    ``f(X)``: (B, D) -> (B,);  ``grad(X)``: (B, D) -> (B, D);  ``value_and_grad(X)`` both.
    ``bounds``/``view``: ((lo, hi), ...) per dimension; ``minima`` (M, D) global minimisers;
    ``local_minima`` (L, D); ``saddles`` (S, D); ``formula`` (Typst), ``formula_text``.
    """

    is_data = False
    # False for a loss whose minima nobody can list (a network's): there a flat gradient is
    # the best evidence of a minimum, so descend reports "converged" (DESIGN.md's rule)
    minima_known = True

    def __init__(
        self,
        name: str,
        f: Callable | None = None,
        grad: Callable | None = None,
        bounds: Sequence[Sequence[float]] = ((-1.0, 1.0),),
        *,
        fg: Callable | None = None,
        view: Sequence[Sequence[float]] | None = None,
        minima: Sequence = (),
        min_value: float | None = None,
        local_minima: Sequence = (),
        saddles: Sequence = (),
        formula: str = "",
        formula_text: str = "",
        params: dict | None = None,
        description: str = "",
        start: Sequence[float] | None = None,
        escape: float = 50.0,
        basin_radius: float | None = None,
    ):
        self.name = str(name)
        self.bounds = tuple((float(lo), float(hi)) for lo, hi in bounds)
        self.dim = len(self.bounds)
        if fg is None and (f is None or grad is None):
            raise GdengineError(f"landscape {name!r} needs f and grad (or fg)")
        self._fg, self._f, self._grad = fg, f, grad
        self.params = dict(params or {})
        self.view = tuple((float(lo), float(hi)) for lo, hi in (view or self.bounds))
        D = self.dim
        self.minima = np.asarray(minima, dtype=float).reshape(-1, D)
        self.local_minima = np.asarray(local_minima, dtype=float).reshape(-1, D)
        self.saddles = np.asarray(saddles, dtype=float).reshape(-1, D)
        if min_value is None and len(self.minima):
            min_value = float(self.f(self.minima[:1])[0])
        self.min_value = None if min_value is None else float(min_value)
        self.formula = formula
        self.formula_text = formula_text
        self.description = description
        # a suggested start (the one the tutorials use), else the view's upper-right corner
        self.start = np.asarray(
            start if start is not None else [hi - 0.1 * (hi - lo) for lo, hi in self.view],
            dtype=float).reshape(D)
        # a particle outside this generous box counts as diverged
        self.limits = tuple(
            (lo - escape * (hi - lo), hi + escape * (hi - lo)) for lo, hi in self.bounds
        )
        diag = math.sqrt(sum((hi - lo) ** 2 for lo, hi in self.view))
        self.basin_radius = 0.05 * diag if basin_radius is None else float(basin_radius)

    # -- evaluation ---------------------------------------------------------------------
    def _check(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != self.dim:
            raise GdengineError(
                f"{self.name}: expected points of shape (B, {self.dim}), got {X.shape}"
            )
        return X

    def value_and_grad(self, X) -> tuple[np.ndarray, np.ndarray]:
        X = self._check(X)
        with np.errstate(all="ignore"):
            if self._fg is not None:
                out = self._fg(*(X[:, d] for d in range(self.dim)), *self._fg_params())
                F = np.asarray(out[0], dtype=float) + np.zeros(len(X))
                G = np.empty_like(X)
                for d in range(self.dim):
                    G[:, d] = out[1 + d]
                return F, G
            return (
                np.asarray(self._f(X), dtype=float).reshape(len(X)),
                np.asarray(self._grad(X), dtype=float).reshape(X.shape),
            )

    def _fg_params(self) -> tuple:
        return tuple(self.params.values())

    def f(self, X) -> np.ndarray:
        if self._fg is None:
            X = self._check(X)
            with np.errstate(all="ignore"):
                return np.asarray(self._f(X), dtype=float).reshape(len(X))
        return self.value_and_grad(X)[0]

    def grad(self, X) -> np.ndarray:
        if self._fg is None:
            X = self._check(X)
            with np.errstate(all="ignore"):
                return np.asarray(self._grad(X), dtype=float).reshape(X.shape)
        return self.value_and_grad(X)[1]

    __call__ = f

    # -- derived facts ------------------------------------------------------------------
    @property
    def known_minima(self) -> np.ndarray:
        """Global then listed local minimisers: the rows that ``basin`` labels index."""
        return np.concatenate([self.minima, self.local_minima], axis=0)

    @property
    def spec(self) -> dict:
        """JSON-able identity of this landscape (used in metadata and the cache key)."""
        return {"name": self.name, "params": _jsonable(self.params)}

    def cache_token(self) -> dict:
        """``spec`` plus the source of the functions, so a user edit invalidates the cache."""
        src = []
        for fn in (self._fg, self._f, self._grad):
            if fn is None:
                continue
            try:
                src.append(inspect.getsource(fn))
            except (OSError, TypeError):
                code = getattr(fn, "__code__", None)
                src.append(repr(code.co_code + repr(code.co_consts).encode()) if code else repr(fn))
        return {**self.spec, "source": src, "bounds": self.bounds, "limits": self.limits}

    def __repr__(self) -> str:
        p = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"Landscape({self.name!r}{', ' + p if p else ''})"




# --- registry ----------------------------------------------------------------------------
_REGISTRY: dict[str, Callable[..., Landscape]] = {}


def register_landscape(name, factory: Callable[..., Landscape] | None = None, *, overwrite=False):
    """Add a landscape under ``name``.

    ``register_landscape("bowl", make_bowl)`` with ``make_bowl(**params) -> Landscape``;
    ``register_landscape(landscape)`` registers a ready ``Landscape`` under its own name;
    ``@register_landscape("bowl")`` works as a decorator.
    """
    if isinstance(name, Landscape):
        obj = name
        return register_landscape(obj.name, lambda: obj, overwrite=overwrite) and obj
    if factory is None:
        return lambda fn: register_landscape(name, fn, overwrite=overwrite) and fn
    if not isinstance(name, str) or not name:
        raise GdengineError("register_landscape: name must be a non-empty string")
    if name in _REGISTRY and not overwrite:
        raise GdengineError(f"landscape {name!r} is already registered (pass overwrite=True)")
    _REGISTRY[name] = factory
    return factory


def landscapes() -> list[str]:
    """Names of all registered landscapes."""
    return list(_REGISTRY)


def is_registered(name) -> bool:
    return isinstance(name, str) and name in _REGISTRY


def registered(name: str, **params) -> Landscape:
    """Build the registered landscape ``name`` with ``params`` (``gdengine.core.lookup.landscape``
    is the public entry: it also reads any other string as a formula)."""
    try:
        return _REGISTRY[name](**params)
    except TypeError as err:
        raise GdengineError(f"landscape {name!r}: bad parameters {params} ({err})") from None


def _builtin(name):
    def deco(fn):
        _REGISTRY[name] = fn
        return fn

    return deco


# --- 1-D teaching functions ------------------------------------------------------------
def _parabola(x):
    return x * x, 2.0 * x


def _cubic(x):
    return x * x * x, 3.0 * x * x


def _xcos(x):
    c = np.cos(PI * x)
    return x * c, c - PI * x * np.sin(PI * x)


@_builtin("parabola")
def parabola():
    return Landscape(
        "parabola", fg=_parabola, bounds=[(-2.0, 2.0)], view=[(-2.0, 2.0)], minima=[[0.0]],
        formula="f(x) = x^2", formula_text="f(x) = x²", start=[1.8],
        description="the simplest bowl",
    )


@_builtin("cubic")
def cubic():
    return Landscape(
        "cubic", fg=_cubic, bounds=[(-1.5, 1.5)], saddles=[[0.0]],
        formula="f(x) = x^3", formula_text="f(x) = x³",
        description="flat inflection point at 0, not a minimum",
    )


def _polish_1d(fg, x, *p):
    """Newton on f' with a central-difference second derivative, to machine precision."""
    for _ in range(50):
        h = 1e-6
        g = fg(x, *p)[1]
        dg = (fg(x + h, *p)[1] - fg(x - h, *p)[1]) / (2 * h)
        dx = g / dg
        x -= dx
        if abs(dx) < 1e-16:
            break
    return float(x)


_XCOS_LOCAL = _polish_1d(_xcos, -0.27)
_XCOS_GLOBAL = _polish_1d(_xcos, 1.09)
_XCOS_MAX = _polish_1d(_xcos, 0.4)


@_builtin("xcos")
def xcos():
    return Landscape(
        "xcos", fg=_xcos, bounds=[(-1.0, 2.0)], minima=[[_XCOS_GLOBAL]],
        local_minima=[[_XCOS_LOCAL]],
        formula="f(x) = x cos(pi x)", formula_text="f(x) = x·cos(πx)",
        start=[-1.0],
        description="two valleys on [-1, 2]: local near -0.274, global near 1.090",
    )


# --- refining known critical points to machine precision --------------------------------
def _polish(fg, point, *p):
    """Newton on the analytic gradient (finite-difference Hessian of it), 2-D."""
    x = np.array(point, dtype=float)
    for _ in range(60):
        g = np.array(fg(x[0], x[1], *p)[1:])
        if not np.any(g):
            break
        H = np.empty((2, 2))
        for j in range(2):
            e = np.zeros(2)
            e[j] = 1e-6
            H[:, j] = (np.array(fg(*(x + e), *p)[1:]) - np.array(fg(*(x - e), *p)[1:])) / 2e-6
        try:
            dx = np.linalg.solve(H, g)
        except np.linalg.LinAlgError:
            break
        x = x - dx
        if np.max(np.abs(dx)) < 1e-15:
            break
    return x.tolist()


def _polished(fg, points, *p):
    return _polished_cached(fg, tuple(tuple(map(float, q)) for q in points), p)


@lru_cache(maxsize=None)
def _polished_cached(fg, points, p):
    return [_polish(fg, q, *p) for q in points]


def _make(name, fg, bounds, *, minima=(), local_minima=(), saddles=(), params=None, **kw):
    """A built-in 2-D landscape; listed critical points are polished by Newton."""
    pv = tuple((params or {}).values())
    return Landscape(
        name, fg=fg, bounds=bounds, params=params,
        minima=_polished(fg, minima, *pv), local_minima=_polished(fg, local_minima, *pv),
        saddles=_polished(fg, saddles, *pv), **kw,
    )


# --- the standard 2-D test set -----------------------------------------------------------
def _sphere(x, y):
    return x * x + y * y, 2.0 * x, 2.0 * y


def _himmelblau(x, y):
    a = x * x + y - 11.0
    b = x + y * y - 7.0
    return a * a + b * b, 4.0 * x * a + 2.0 * b, 2.0 * a + 4.0 * y * b


def _rosenbrock(x, y, a=1.0, b=100.0):
    u = a - x
    v = y - x * x
    return u * u + b * v * v, -2.0 * u - 4.0 * b * x * v, 2.0 * b * v


def _beale(x, y):
    y2 = y * y
    y3 = y2 * y
    a1 = 1.5 - x + x * y
    a2 = 2.25 - x + x * y2
    a3 = 2.625 - x + x * y3
    f = a1 * a1 + a2 * a2 + a3 * a3
    gx = 2.0 * (a1 * (y - 1.0) + a2 * (y2 - 1.0) + a3 * (y3 - 1.0))
    gy = 2.0 * x * (a1 + 2.0 * y * a2 + 3.0 * y2 * a3)
    return f, gx, gy


def _booth(x, y):
    a = x + 2.0 * y - 7.0
    b = 2.0 * x + y - 5.0
    return a * a + b * b, 2.0 * a + 4.0 * b, 4.0 * a + 2.0 * b


def _matyas(x, y):
    return 0.26 * (x * x + y * y) - 0.48 * x * y, 0.52 * x - 0.48 * y, 0.52 * y - 0.48 * x


def _rastrigin(x, y):
    w = 2.0 * PI
    f = 20.0 + x * x - 10.0 * np.cos(w * x) + y * y - 10.0 * np.cos(w * y)
    return f, 2.0 * x + 10.0 * w * np.sin(w * x), 2.0 * y + 10.0 * w * np.sin(w * y)


def _ackley(x, y):
    w = 2.0 * PI
    r = np.sqrt(0.5 * (x * x + y * y))
    e1 = np.exp(-0.2 * r)
    e2 = np.exp(0.5 * (np.cos(w * x) + np.cos(w * y)))
    f = -20.0 * e1 - e2 + math.e + 20.0
    k = 2.0 * e1 / (r + (r == 0.0))  # d/dx of -20 exp(-0.2 r) is x·k; 0 at the tip r = 0
    return f, x * k + PI * np.sin(w * x) * e2, y * k + PI * np.sin(w * y) * e2


_SQRT2 = math.sqrt(2.0)


def _griewank(x, y):
    cx, sx = np.cos(x), np.sin(x)
    cy, sy = np.cos(y / _SQRT2), np.sin(y / _SQRT2)
    f = 1.0 + (x * x + y * y) / 4000.0 - cx * cy
    return f, x / 2000.0 + sx * cy, y / 2000.0 + cx * sy / _SQRT2


def _six_hump_camel(x, y):
    x2 = x * x
    y2 = y * y
    f = (4.0 - 2.1 * x2 + x2 * x2 / 3.0) * x2 + x * y + (-4.0 + 4.0 * y2) * y2
    gx = 8.0 * x - 8.4 * x2 * x + 2.0 * x2 * x2 * x + y
    gy = x - 8.0 * y + 16.0 * y2 * y
    return f, gx, gy


def _three_hump_camel(x, y):
    x2 = x * x
    f = 2.0 * x2 - 1.05 * x2 * x2 + x2 * x2 * x2 / 6.0 + x * y + y * y
    return f, 4.0 * x - 4.2 * x2 * x + x2 * x2 * x + y, x + 2.0 * y


def _easom(x, y):
    c = np.cos(x) * np.cos(y)
    e = np.exp(-((x - PI) ** 2 + (y - PI) ** 2))
    gx = e * (np.sin(x) * np.cos(y) + 2.0 * (x - PI) * c)
    gy = e * (np.cos(x) * np.sin(y) + 2.0 * (y - PI) * c)
    return -c * e, gx, gy


def _goldstein_price(x, y):
    a = x + y + 1.0
    P = 19.0 - 14.0 * x + 3.0 * x * x - 14.0 * y + 6.0 * x * y + 3.0 * y * y
    dP = -14.0 + 6.0 * x + 6.0 * y  # dP/dx = dP/dy
    A = 1.0 + a * a * P
    dA = 2.0 * a * P + a * a * dP  # dA/dx = dA/dy
    b = 2.0 * x - 3.0 * y
    Q = 18.0 - 32.0 * x + 12.0 * x * x + 48.0 * y - 36.0 * x * y + 27.0 * y * y
    Bm = 30.0 + b * b * Q
    dBx = 4.0 * b * Q + b * b * (-32.0 + 24.0 * x - 36.0 * y)
    dBy = -6.0 * b * Q + b * b * (48.0 - 36.0 * x + 54.0 * y)
    return A * Bm, dA * Bm + A * dBx, dA * Bm + A * dBy


def _styblinski_tang(x, y):
    f = 0.5 * (x ** 4 - 16.0 * x * x + 5.0 * x + y ** 4 - 16.0 * y * y + 5.0 * y)
    return f, 2.0 * x ** 3 - 16.0 * x + 2.5, 2.0 * y ** 3 - 16.0 * y + 2.5


def _levi13(x, y):
    s3x, s3y, s2y = np.sin(3 * PI * x), np.sin(3 * PI * y), np.sin(2 * PI * y)
    u, v = x - 1.0, y - 1.0
    f = s3x * s3x + u * u * (1.0 + s3y * s3y) + v * v * (1.0 + s2y * s2y)
    gx = 3 * PI * np.sin(6 * PI * x) + 2.0 * u * (1.0 + s3y * s3y)
    gy = (u * u * 3 * PI * np.sin(6 * PI * y) + 2.0 * v * (1.0 + s2y * s2y)
          + v * v * 2 * PI * np.sin(4 * PI * y))
    return f, gx, gy


def _saddle(x, y):
    return x * x - y * y, 2.0 * x, -2.0 * y


def _monkey_saddle(x, y):
    return x ** 3 - 3.0 * x * y * y, 3.0 * x * x - 3.0 * y * y, -6.0 * x * y


def _ravine(x, y, kappa=20.0):
    return 0.5 * (x * x + kappa * y * y), x, kappa * y


# --- teaching surfaces -------------------------------------------------------------------
def _shallow_local(x, y):
    x2 = x * x
    return x2 * x2 - 2.0 * x2 + x + y * y, 4.0 * x2 * x - 4.0 * x + 1.0, 2.0 * y


def _sin_saddle(x, y):
    return np.sin(x) + y * y, np.cos(x), 2.0 * y


def _plateau(x, y):
    e = np.exp(-0.5 * (x * x + y * y))
    return 1.0 - e, x * e, y * e


def _elliptic_bowl(x, y, a=1.0, b=3.0):
    return a * x * x + b * y * y, 2.0 * a * x, 2.0 * b * y


_HB_MINIMA = [[3.0, 2.0], [-2.805118, 3.131312], [-3.779310, -3.283186], [3.584428, -1.848126]]
_HB_SADDLES = [[0.086677, 2.884254], [3.385154, 0.073852], [-3.073026, -0.081353],
               [-0.127961, -1.953715]]


def _st_1d(x0):
    return _polish_1d(lambda x: (0, 2.0 * x ** 3 - 16.0 * x + 2.5), x0)


_ST_LO, _ST_HI = _st_1d(-2.9), _st_1d(2.75)
_ST_MID = _st_1d(0.16)


def _rastrigin_1d_minima():
    return [_polish_1d(lambda x: (0, 2.0 * x + 20 * PI * math.sin(2 * PI * x)), float(k))
            for k in range(-5, 6)]


_BUILTINS_2D = {
    "sphere": lambda: _make(
        "sphere", _sphere, [(-5.12, 5.12)] * 2, minima=[[0, 0]], start=[-4.0, 3.0],
        formula="f(x, y) = x^2 + y^2", formula_text="f(x, y) = x² + y²",
        description="the round bowl"),
    "himmelblau": lambda: _make(
        "himmelblau", _himmelblau, [(-5.0, 5.0)] * 2, minima=_HB_MINIMA, saddles=_HB_SADDLES,
        start=[-0.4, -0.65],
        formula="f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2",
        formula_text="f(x, y) = (x² + y − 11)² + (x + y² − 7)²",
        description="four equal minima, a local maximum and four saddles"),
    "rosenbrock": lambda a=1.0, b=100.0: _make(
        "rosenbrock", _rosenbrock, [(-2.0, 2.0), (-1.0, 3.0)], minima=[[a, a * a]],
        params={"a": float(a), "b": float(b)}, start=[-1.2, 1.0],
        formula=f"f(x, y) = ({format_sig(a, 6)} - x)^2 + {format_sig(b, 6)} (y - x^2)^2",
        formula_text=f"f(x, y) = ({format_sig(a, 6)} − x)² + {format_sig(b, 6)}(y − x²)²",
        description="a curved, flat-bottomed banana valley"),
    "beale": lambda: _make(
        "beale", _beale, [(-4.5, 4.5)] * 2, minima=[[3.0, 0.5]], start=[1.0, 1.4],
        formula="f(x, y) = (1.5 - x + x y)^2 + (2.25 - x + x y^2)^2 + (2.625 - x + x y^3)^2",
        formula_text="f(x, y) = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²",
        description="flat plains and steep walls"),
    "booth": lambda: _make(
        "booth", _booth, [(-10.0, 10.0)] * 2, minima=[[1.0, 3.0]], start=[-6.0, -6.0],
        formula="f(x, y) = (x + 2y - 7)^2 + (2x + y - 5)^2",
        formula_text="f(x, y) = (x + 2y − 7)² + (2x + y − 5)²",
        description="a tilted quadratic bowl"),
    "matyas": lambda: _make(
        "matyas", _matyas, [(-10.0, 10.0)] * 2, minima=[[0.0, 0.0]], start=[-8.0, 6.0],
        formula="f(x, y) = 0.26 (x^2 + y^2) - 0.48 x y",
        formula_text="f(x, y) = 0.26(x² + y²) − 0.48xy",
        description="a flat, elongated quadratic"),
    "rastrigin": lambda: _make(
        "rastrigin", _rastrigin, [(-5.12, 5.12)] * 2, minima=[[0.0, 0.0]],
        local_minima=[[a, b] for a in _rastrigin_1d_minima() for b in _rastrigin_1d_minima()
                      if (a, b) != (0.0, 0.0) and abs(a) + abs(b) > 0.5],
        start=[2.3, -1.7], basin_radius=0.3,
        formula="f(x, y) = 20 + x^2 - 10 cos(2 pi x) + y^2 - 10 cos(2 pi y)",
        formula_text="f(x, y) = 20 + x² − 10cos(2πx) + y² − 10cos(2πy)",
        description="an egg-crate of local minima on a bowl"),
    "ackley": lambda: _make(
        "ackley", _ackley, [(-5.0, 5.0)] * 2, minima=[[0.0, 0.0]], start=[2.2, -1.3],
        formula="f(x, y) = -20 exp(-0.2 sqrt(0.5 (x^2 + y^2))) "
                "- exp(0.5 (cos 2 pi x + cos 2 pi y)) + e + 20",
        formula_text="f(x, y) = −20·exp(−0.2·√(0.5(x² + y²))) − exp(0.5(cos 2πx + cos 2πy)) + e + 20",
        description="a deep funnel in a field of ripples"),
    "griewank": lambda: _make(
        "griewank", _griewank, [(-600.0, 600.0)] * 2, view=[(-10.0, 10.0)] * 2,
        minima=[[0.0, 0.0]], start=[6.0, -7.0],
        formula="f(x, y) = 1 + (x^2 + y^2) / 4000 - cos(x) cos(y / sqrt(2))",
        formula_text="f(x, y) = 1 + (x² + y²)/4000 − cos(x)·cos(y/√2)",
        description="ripples on a very wide bowl (product form)"),
    "six_hump_camel": lambda: _make(
        "six_hump_camel", _six_hump_camel, [(-3.0, 3.0), (-2.0, 2.0)],
        view=[(-2.0, 2.0), (-1.0, 1.0)],
        minima=[[0.0898, -0.7126], [-0.0898, 0.7126]],
        local_minima=[[-1.7036, 0.7961], [1.7036, -0.7961], [-1.6071, -0.5687],
                      [1.6071, 0.5687]],
        start=[-1.5, -0.8],
        formula="f(x, y) = (4 - 2.1 x^2 + x^4 / 3) x^2 + x y + (-4 + 4 y^2) y^2",
        formula_text="f(x, y) = (4 − 2.1x² + x⁴/3)x² + xy + (−4 + 4y²)y²",
        description="two global and four local minima"),
    "three_hump_camel": lambda: _make(
        "three_hump_camel", _three_hump_camel, [(-5.0, 5.0)] * 2,
        view=[(-2.0, 2.0), (-2.0, 2.0)], minima=[[0.0, 0.0]],
        local_minima=[[1.7476, -0.8738], [-1.7476, 0.8738]],
        saddles=[[1.0705, -0.5353], [-1.0705, 0.5353]], start=[1.8, 1.5],
        formula="f(x, y) = 2 x^2 - 1.05 x^4 + x^6 / 6 + x y + y^2",
        formula_text="f(x, y) = 2x² − 1.05x⁴ + x⁶/6 + xy + y²",
        description="one global and two local minima"),
    "easom": lambda: _make(
        "easom", _easom, [(-100.0, 100.0)] * 2, view=[(PI - 3.0, PI + 3.0)] * 2,
        minima=[[PI, PI]], start=[2.5, 2.2], min_value=-1.0, basin_radius=0.5,
        formula="f(x, y) = -cos(x) cos(y) exp(-((x - pi)^2 + (y - pi)^2))",
        formula_text="f(x, y) = −cos(x)·cos(y)·exp(−((x − π)² + (y − π)²))",
        description="a single narrow hole in a flat plain"),
    "goldstein_price": lambda: _make(
        "goldstein_price", _goldstein_price, [(-2.0, 2.0)] * 2, minima=[[0.0, -1.0]],
        local_minima=[[-0.6, -0.4], [1.8, 0.2], [1.2, 0.8]], start=[-0.5, 1.0],
        basin_radius=0.15,
        formula="f(x, y) = [1 + (x + y + 1)^2 (19 - 14x + 3x^2 - 14y + 6x y + 3y^2)] "
                "[30 + (2x - 3y)^2 (18 - 32x + 12x^2 + 48y - 36x y + 27y^2)]",
        formula_text="f(x, y) = [1 + (x + y + 1)²(19 − 14x + 3x² − 14y + 6xy + 3y²)]"
                     "·[30 + (2x − 3y)²(18 − 32x + 12x² + 48y − 36xy + 27y²)]",
        description="a steep surface with one global and three local minima"),
    "styblinski_tang": lambda: _make(
        "styblinski_tang", _styblinski_tang, [(-5.0, 5.0)] * 2, minima=[[_ST_LO, _ST_LO]],
        local_minima=[[_ST_LO, _ST_HI], [_ST_HI, _ST_LO], [_ST_HI, _ST_HI]],
        saddles=[[_ST_MID, _ST_LO], [_ST_LO, _ST_MID], [_ST_MID, _ST_HI], [_ST_HI, _ST_MID]],
        start=[0.5, 4.5],
        formula="f(x, y) = 1/2 (x^4 - 16x^2 + 5x + y^4 - 16y^2 + 5y)",
        formula_text="f(x, y) = ½(x⁴ − 16x² + 5x + y⁴ − 16y² + 5y)",
        description="four wells of different depth"),
    "levi13": lambda: _make(
        "levi13", _levi13, [(-10.0, 10.0)] * 2, view=[(-1.0, 3.0)] * 2, minima=[[1.0, 1.0]],
        start=[-0.5, 2.5], basin_radius=0.15,
        formula="f(x, y) = sin^2(3 pi x) + (x - 1)^2 (1 + sin^2(3 pi y)) "
                "+ (y - 1)^2 (1 + sin^2(2 pi y))",
        formula_text="f(x, y) = sin²(3πx) + (x − 1)²(1 + sin²(3πy)) + (y − 1)²(1 + sin²(2πy))",
        description="ripples in a tilted trough"),
    "saddle": lambda: _make(
        "saddle", _saddle, [(-2.0, 2.0)] * 2, saddles=[[0.0, 0.0]], start=[1.8, 1e-3],
        formula="f(x, y) = x^2 - y^2", formula_text="f(x, y) = x² − y²",
        description="the horse saddle: down along y, up along x"),
    "monkey_saddle": lambda: _make(
        "monkey_saddle", _monkey_saddle, [(-2.0, 2.0)] * 2, saddles=[[0.0, 0.0]],
        start=[1.5, 0.0],
        formula="f(x, y) = x^3 - 3 x y^2", formula_text="f(x, y) = x³ − 3xy²",
        description="three valleys meet at a flat point"),
    "ravine": lambda kappa=20.0: _make(
        "ravine", _ravine, [(-10.0, 10.0), (-4.0, 4.0)], minima=[[0.0, 0.0]],
        params={"kappa": _positive("kappa", kappa)}, start=[-9.0, 2.5],
        formula=f"f(x, y) = 1/2 (x^2 + {format_sig(kappa, 6)} y^2)",
        formula_text=f"f(x, y) = ½(x² + {format_sig(kappa, 6)}y²)",
        description="an ill-conditioned quadratic valley (condition number kappa)"),
    "shallow_local": lambda: _make(
        "shallow_local", _shallow_local, [(-2.0, 2.0), (-1.5, 1.5)],
        minima=[[-1.107, 0.0]], local_minima=[[0.8376, 0.0]], saddles=[[0.2696, 0.0]],
        start=[1.9, 1.2],
        formula="f(x, y) = x^4 - 2x^2 + x + y^2", formula_text="f(x, y) = x⁴ − 2x² + x + y²",
        description="a shallow local valley beside the deep one"),
    "sin_saddle": lambda: _make(
        "sin_saddle", _sin_saddle, [(-PI, 2 * PI), (-2.0, 2.0)],
        minima=[[-PI / 2, 0.0], [1.5 * PI, 0.0]], saddles=[[PI / 2, 0.0]],
        start=[PI / 2 - 1e-3, 1.8],
        formula="f(x, y) = sin(x) + y^2", formula_text="f(x, y) = sin(x) + y²",
        description="a saddle between two valleys"),
    "plateau": lambda: _make(
        "plateau", _plateau, [(-4.0, 4.0)] * 2, minima=[[0.0, 0.0]], start=[3.0, 2.5],
        formula="f(x, y) = 1 - exp(-(x^2 + y^2) / 2)",
        formula_text="f(x, y) = 1 − exp(−(x² + y²)/2)",
        description="a flat plateau around a single well"),
    "elliptic_bowl": lambda a=1.0, b=3.0: _make(
        "elliptic_bowl", _elliptic_bowl, [(-3.0, 3.0), (-2.0, 2.0)], minima=[[0.0, 0.0]],
        params={"a": _positive("a", a), "b": _positive("b", b)}, start=[-2.5, 1.5],
        formula=f"f(x, y) = {format_sig(a, 6)} x^2 + {format_sig(b, 6)} y^2",
        formula_text=f"f(x, y) = {format_sig(a, 6)}x² + {format_sig(b, 6)}y²",
        description="an elliptic bowl"),
}


def _positive(name, v) -> float:
    try:
        v = float(v)
    except (TypeError, ValueError):
        raise GdengineError(f"{name} must be a positive number, got {v!r}") from None
    if not (math.isfinite(v) and v > 0):
        raise GdengineError(f"{name} must be a positive finite number, got {v!r}")
    return v


_REGISTRY.update(_BUILTINS_2D)
