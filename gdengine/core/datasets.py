"""Small regression datasets and their mean-squared-error landscapes (the "data losses").

A data landscape's parameters are the model weights; ``f(W)`` is the full-data MSE and
``grad(W, idx)`` the MSE gradient over the samples ``idx`` ((k,) shared by all particles, or
(B, k) one row per particle); ``idx=None`` is the full batch.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from gdengine.core.landscapes import Landscape, _jsonable, register_landscape
from gdengine.errors import GdengineError

__all__ = ["Dataset", "linear", "quadratic", "moons", "spirals", "xor", "DataLandscape"]


@dataclass(frozen=True, eq=False)
class Dataset:
    """Inputs ``x`` (n,), targets ``y`` (n,), and how they were made (``info``)."""

    x: np.ndarray
    y: np.ndarray
    info: dict

    def __len__(self) -> int:
        return len(self.x)

    def digest(self) -> str:
        h = hashlib.sha256(np.ascontiguousarray(self.x, dtype=float).tobytes())
        h.update(np.ascontiguousarray(self.y, dtype=float).tobytes())
        return h.hexdigest()[:16]


def linear(n: int = 100, w: float = 2.0, b: float = 1.0, noise: float = 0.3, seed: int = 0,
           x_range=(0.0, 1.0)) -> Dataset:
    """y = w·x + b + noise·N(0, 1) at n points drawn uniformly from ``x_range`` (seeded)."""
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
        raise GdengineError(f"datasets.linear: n must be a positive integer, got {n!r}")
    for name, v in (("w", w), ("b", b), ("noise", noise)):
        if not np.isfinite(float(v)):
            raise GdengineError(f"datasets.linear: {name} must be finite, got {v!r}")
    if noise < 0:
        raise GdengineError(f"datasets.linear: noise must be >= 0, got {noise!r}")
    rng = np.random.default_rng(seed)
    lo, hi = map(float, x_range)
    x = rng.uniform(lo, hi, int(n))
    y = float(w) * x + float(b) + float(noise) * rng.standard_normal(int(n))
    return Dataset(x, y, {"kind": "linear", "n": int(n), "w": float(w), "b": float(b),
                          "noise": float(noise), "seed": int(seed), "x_range": [lo, hi]})


def quadratic(coef=(2.0, 3.0, 4.0), n: int = 100, step: float = 0.01) -> Dataset:
    """y = c1·x² + c2·x + c3 at x = 0, step, 2·step, … (n points), no noise (the tutorial's set)."""
    x = step * np.arange(int(n), dtype=float)
    c1, c2, c3 = map(float, coef)
    y = c1 * x ** 2 + c2 * x + c3
    return Dataset(x, y, {"kind": "quadratic", "coef": [c1, c2, c3], "n": int(n),
                          "step": float(step)})


def _check_classes(kind: str, n, noise) -> tuple[int, float]:
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 4:
        raise GdengineError(f"datasets.{kind}: n must be a whole number >= 4, got {n!r}")
    try:
        noise = float(noise)
    except (TypeError, ValueError):
        noise = float("nan")
    if not (np.isfinite(noise) and noise >= 0):
        raise GdengineError(f"datasets.{kind}: noise must be a finite number >= 0, got {noise!r}")
    return int(n), noise


def _classes(kind: str, x: np.ndarray, y: np.ndarray, **info) -> Dataset:
    return Dataset(np.ascontiguousarray(x, dtype=float), np.asarray(y, dtype=float), {"kind": kind, **info})


def moons(n: int = 200, noise: float = 0.1, seed: int = 0) -> Dataset:
    """Two interleaved half-moons (n/2 points each, class 0 on top), Gaussian ``noise`` (seeded)."""
    n, noise = _check_classes("moons", n, noise)
    rng = np.random.default_rng(seed)
    a, b = n // 2, n - n // 2
    t0, t1 = np.linspace(0.0, np.pi, a), np.linspace(0.0, np.pi, b)
    x = np.concatenate([np.stack([np.cos(t0), np.sin(t0)], 1),
                        np.stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)], 1)])
    x += noise * rng.standard_normal(x.shape)
    y = np.concatenate([np.zeros(a), np.ones(b)])
    return _classes("moons", x, y, n=n, noise=noise, seed=int(seed))


def spirals(n: int = 200, noise: float = 0.05, seed: int = 0, turns: float = 1.5) -> Dataset:
    """Two interleaved spirals of ``turns`` turns (n/2 points each) in the unit disc."""
    n, noise = _check_classes("spirals", n, noise)
    rng = np.random.default_rng(seed)
    a, b = n // 2, n - n // 2
    arms = []
    for count, phase in ((a, 0.0), (b, np.pi)):
        r = np.sqrt(np.linspace(0.05, 1.0, count))
        t = 2.0 * np.pi * turns * r + phase
        arms.append(np.stack([r * np.cos(t), r * np.sin(t)], 1))
    x = np.concatenate(arms) + noise * rng.standard_normal((n, 2))
    y = np.concatenate([np.zeros(a), np.ones(b)])
    return _classes("spirals", x, y, n=n, noise=noise, seed=int(seed), turns=float(turns))


def xor(n: int = 200, noise: float = 0.05, seed: int = 0) -> Dataset:
    """n/2 points per class uniform in the XOR quadrants of [−1, 1]² (class 1 where x·y > 0),
    jittered by ``noise``."""
    n, noise = _check_classes("xor", n, noise)
    rng = np.random.default_rng(seed)
    y = np.concatenate([np.zeros(n // 2), np.ones(n - n // 2)])
    mag = rng.uniform(0.0, 1.0, (n, 2))
    sx = rng.choice([-1.0, 1.0], n)
    sy = np.where(y > 0, sx, -sx)  # same signs for class 1, opposite for class 0
    x = np.stack([sx * mag[:, 0], sy * mag[:, 1]], 1) + noise * rng.standard_normal((n, 2))
    return _classes("xor", x, y, n=n, noise=noise, seed=int(seed))


def check_idx(idx, B: int, n: int):
    """Sample indices of a mini-batch: (k,) shared or (B, k) one row per particle, in 0..n−1."""
    if idx is None:
        return None
    idx = np.asarray(idx, dtype=np.int64)
    if idx.ndim not in (1, 2) or (idx.ndim == 2 and idx.shape[0] != B):
        raise GdengineError(f"idx must have shape (k,) or (B, k), got {idx.shape}")
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        raise GdengineError(f"idx must index samples 0..{n - 1}")
    return idx


class DataLandscape(Landscape):
    """MSE of a linear-in-weights model y ≈ Φ(x)·W over a Dataset; W has one entry per feature."""

    is_data = True

    def __init__(self, name, data: Dataset, features, feature_names, bounds, **kw):
        self.data = data
        self.features = np.asarray(features, dtype=float)  # (n, P)
        self.feature_names = tuple(feature_names)
        self.n_samples = len(data)
        w_star = np.linalg.lstsq(self.features, data.y, rcond=None)[0]
        super().__init__(name, f=self._full_f, grad=self._full_grad, bounds=bounds,
                         minima=[w_star], **kw)

    def _residual(self, W, idx=None):
        Phi = self.features if idx is None else self.features[idx]
        y = self.data.y if idx is None else self.data.y[idx]
        if Phi.ndim == 3:  # (B, k, P): one batch per particle
            return np.einsum("bkp,bp->bk", Phi, W) - y, Phi
        return W @ Phi.T - y, Phi

    def _full_f(self, W):
        r, _ = self._residual(W)
        return (r * r).mean(axis=1)

    def _full_grad(self, W, idx=None):
        r, Phi = self._residual(W, idx)
        k = r.shape[1]
        if Phi.ndim == 3:
            return (2.0 / k) * np.einsum("bk,bkp->bp", r, Phi)
        return (2.0 / k) * (r @ Phi)

    def value_and_grad(self, X):
        X = self._check(X)
        with np.errstate(all="ignore"):
            r, Phi = self._residual(X)
            return (r * r).mean(axis=1), (2.0 / r.shape[1]) * (r @ Phi)

    def grad(self, X, idx=None):
        """MSE gradient over samples ``idx`` ((k,) or (B, k)); None = full batch."""
        X = self._check(X)
        idx = check_idx(idx, len(X), self.n_samples)
        with np.errstate(all="ignore"):
            return self._full_grad(X, idx)

    @property
    def spec(self) -> dict:
        return {"name": self.name, "params": _jsonable(self.params),
                "data": {**self.data.info, "digest": self.data.digest()}}

    def cache_token(self) -> dict:
        return {**self.spec, "bounds": self.bounds, "limits": self.limits,
                "features": hashlib.sha256(self.features.tobytes()).hexdigest()[:16]}

    def predict(self, W, x) -> np.ndarray:
        """Model output at inputs ``x`` for each weight row of W: (B, len(x))."""
        W = self._check(W)
        return W @ self._phi(np.asarray(x, dtype=float)).T


class _LinearLoss(DataLandscape):
    @staticmethod
    def _phi(x):
        return np.stack([x, np.ones_like(x)], axis=-1)


class _QuadraticLoss(DataLandscape):
    @staticmethod
    def _phi(x):
        return np.stack([x * x, x, np.ones_like(x)], axis=-1)


def _check_data(data, kind):
    if not isinstance(data, Dataset):
        raise GdengineError(f"data must be a gd.datasets.Dataset (e.g. gd.datasets.{kind}(...)), "
                            f"got {type(data).__name__}")
    return data


@register_landscape("linear_regression")
def linear_regression(data: Dataset | None = None, **dataset_kw) -> DataLandscape:
    """MSE(w, b) = mean((w·x + b − y)²) over ``data`` (default ``datasets.linear()``)."""
    data = _check_data(data if data is not None else linear(**dataset_kw), "linear")
    w_star, b_star = np.linalg.lstsq(_LinearLoss._phi(data.x), data.y, rcond=None)[0]
    return _LinearLoss(
        "linear_regression", data, _LinearLoss._phi(data.x), ("w", "b"),
        bounds=[(w_star - 5.0, w_star + 5.0), (b_star - 5.0, b_star + 5.0)],
        start=[w_star - 4.0, b_star + 3.5], params=dataset_kw,
        formula="L(w, b) = 1/n sum_i (w x_i + b - y_i)^2",
        formula_text="L(w, b) = (1/n)·Σᵢ (w·xᵢ + b − yᵢ)²",
        description="mean squared error of a straight-line fit")


@register_landscape("quadratic_fit")
def quadratic_fit(data: Dataset | None = None) -> DataLandscape:
    """MSE(w1, w2, w3) of y ≈ w1·x² + w2·x + w3 on y = 2x² + 3x + 4, x = 0, 0.01, …, 0.99."""
    data = _check_data(data if data is not None else quadratic(), "quadratic")
    return _QuadraticLoss(
        "quadratic_fit", data, _QuadraticLoss._phi(data.x), ("w1", "w2", "w3"),
        bounds=[(-2.0, 6.0), (-3.0, 9.0), (-3.0, 9.0)], start=[1.0, 0.0, -1.0],
        formula="L(w_1, w_2, w_3) = 1/n sum_i (w_1 x_i^2 + w_2 x_i + w_3 - y_i)^2",
        formula_text="L(w₁, w₂, w₃) = (1/n)·Σᵢ (w₁xᵢ² + w₂xᵢ + w₃ − yᵢ)²",
        description="mean squared error of a parabola fit to y = 2x² + 3x + 4")
