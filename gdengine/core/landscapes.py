"""Loss landscapes: value, analytic gradient, domain, known critical points, formula.

Every built-in surface is written once as a *column function* ``fg(x, y, *params)`` that
returns ``(f, df/dx, df/dy)`` using only arithmetic and numpy ufuncs, so the same code runs
on numpy columns (the reference path) and inside the numba kernel (``kernels.py``).
"""

from __future__ import annotations

import inspect
import math
from typing import Callable, Sequence

import numpy as np

from gdengine.errors import GdengineError

PI = math.pi


class Landscape:
    """A differentiable function on R^D with the facts a scene needs to draw it.

    ``f(X)``: (B, D) -> (B,);  ``grad(X)``: (B, D) -> (B, D);  ``value_and_grad(X)`` both.
    ``bounds``/``view``: ((lo, hi), ...) per dimension; ``minima`` (M, D) global minimisers;
    ``local_minima`` (L, D); ``saddles`` (S, D); ``formula`` (Typst), ``formula_text``.
    """

    is_data = False

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
        kernel_id: int | None = None,
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
        self.kernel_id = kernel_id
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


def _jsonable(v):
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, np.ndarray):
        return _jsonable(v.tolist())
    if isinstance(v, np.generic):
        return v.item()
    return v


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


def landscape(name, **params) -> Landscape:
    """Build a landscape by name, e.g. ``landscape("ravine", kappa=50)``."""
    if isinstance(name, Landscape):
        if params:
            raise GdengineError("landscape(): parameters given with a ready Landscape object")
        return name
    if name not in _REGISTRY:
        raise GdengineError(
            f"unknown landscape {name!r}; valid choices: {', '.join(landscapes())}"
        )
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
        formula="f(x) = x^2", formula_text="f(x) = x²", kernel_id=0, start=[1.8],
        description="the simplest bowl",
    )


@_builtin("cubic")
def cubic():
    return Landscape(
        "cubic", fg=_cubic, bounds=[(-1.5, 1.5)], saddles=[[0.0]],
        formula="f(x) = x^3", formula_text="f(x) = x³", kernel_id=1,
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
        formula="f(x) = x cos(pi x)", formula_text="f(x) = x·cos(πx)", kernel_id=2,
        start=[-1.0],
        description="two valleys on [-1, 2]: local near -0.274, global near 1.090",
    )
