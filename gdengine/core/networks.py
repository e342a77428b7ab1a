"""A small neural network as a landscape: a multilayer perceptron's mean cross-entropy over a
2-D classification set, as a function of all its weights flattened into one vector.

``landscape("mlp", data="moons", hidden=(16, 16), activation="tanh", seed=0)``: 200 points
made with numpy (``moons``, ``spirals``, ``xor``, or any ``Dataset`` with x (n, 2) and labels
y in {0, 1}); 2 inputs, the hidden layers, 1 output logit; the loss is torch's
``BCEWithLogitsLoss`` (mean). Like every landscape it takes (B, D) — B weight vectors at once
— and its gradient is backpropagation written out over that batch (no autograd), chunked so
that memory stays bounded for tens of thousands of vectors. Mini-batches go through ``idx``
as for the other data losses. It has no known minima, so a run whose gradient norm falls
below ``tol`` is ``converged`` (DESIGN.md's status rule for a network's loss).

Weight layout, layer by layer: W (out × in, row-major, as torch's ``Linear.weight``), then b.
"""

from __future__ import annotations

import math

import numpy as np

from gdengine.core import datasets
from gdengine.core.landscapes import Landscape, _jsonable, register_landscape
from gdengine.errors import GdengineError

ACTIVATIONS = ("tanh", "relu", "sigmoid")
DATASETS = ("moons", "spirals", "xor")
CHUNK_BYTES = 96 * 2**20  # per activation array of a chunk of weight vectors


COMPILED_FROM = 20_000  # network-samples from which f uses the compiled kernel
_KERNEL: list = []


def _compiled():
    """The numba loss kernel (``_mlp_numba.losses``), or None where numba is switched off."""
    if not _KERNEL:
        import os

        if os.environ.get("GDENGINE_NO_NUMBA"):
            _KERNEL.append(None)
        else:
            from gdengine.core import _mlp_numba

            _KERNEL.append(_mlp_numba.losses)
    return _KERNEL[0]


def _act(name: str, a: np.ndarray) -> np.ndarray:
    if name == "tanh":
        return np.tanh(a)
    if name == "relu":
        return np.maximum(a, 0.0)
    return 0.5 * (1.0 + np.tanh(0.5 * a))  # sigmoid, overflow-free


def _act_grad(name: str, a: np.ndarray, h: np.ndarray) -> np.ndarray:
    """d act / d a, from the pre-activation ``a`` and the activation ``h``."""
    if name == "tanh":
        return 1.0 - h * h
    if name == "relu":
        return (a > 0.0).astype(float)
    return h * (1.0 - h)


def _bce_with_logits(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    """torch's BCEWithLogits per sample: max(z, 0) − z·y + log(1 + exp(−|z|))."""
    return np.maximum(z, 0.0) - z * y + np.log1p(np.exp(-np.abs(z)))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


class MLPLandscape(Landscape):
    """Mean binary cross-entropy of an MLP (2 → hidden … → 1) over ``data``; see module doc."""

    is_data = True
    minima_known = False

    def __init__(self, data: datasets.Dataset, hidden: tuple[int, ...], activation: str, params: dict):
        self.data = data
        self.n_samples = len(data)
        self.hidden = hidden
        self.activation = activation
        self.sizes = (2, *hidden, 1)
        self.shapes = [(o, i) for i, o in zip(self.sizes[:-1], self.sizes[1:])]
        self.slices = []
        at = 0
        for o, i in self.shapes:
            self.slices.append((slice(at, at + o * i), slice(at + o * i, at + o * i + o)))
            at += o * i + o
        D = at
        box = 10.0
        widths = " × ".join(map(str, self.sizes))
        super().__init__(
            "mlp", f=self._f, grad=self._grad, bounds=[(-box, box)] * D, params=params,
            start=self.initial(0), escape=1e3,
            formula=f"L(w) = 1/n sum_i \"BCE\"(\"net\"_w (x_i), y_i)",
            formula_text=f"L(w) = (1/n)·Σᵢ BCE(net_w(xᵢ), yᵢ), a {widths} {activation} network, {D} weights",
            description=f"cross-entropy of a {widths} {activation} network on {data.info.get('kind', 'data')}")

    # --- weights ------------------------------------------------------------------------
    @property
    def n_weights(self) -> int:
        return self.dim

    def initial(self, seed: int = 0) -> np.ndarray:
        """A reproducible initial weight vector: torch's ``Linear`` default, U(−1/√in, 1/√in)
        for weights and biases, drawn with numpy from ``seed``."""
        rng = np.random.default_rng(seed)
        parts = []
        for o, i in self.shapes:
            bound = 1.0 / math.sqrt(i)
            parts += [rng.uniform(-bound, bound, o * i), rng.uniform(-bound, bound, o)]
        return np.concatenate(parts)

    def unpack(self, X: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """[(W (B, out, in), b (B, out)), …] views of a (B, D) batch of weight vectors."""
        return [(X[:, ws].reshape(len(X), o, i), X[:, bs]) for (ws, bs), (o, i) in zip(self.slices, self.shapes)]

    def filter_normalized(self, direction: np.ndarray, w: np.ndarray) -> np.ndarray:
        """Li et al. (2018): each neuron's incoming weights of ``direction`` rescaled to the norm
        of the same neuron's weights in ``w``; biases set to 0."""
        d, w = np.asarray(direction, float).reshape(1, -1), np.asarray(w, float).reshape(1, -1)
        out = np.zeros_like(d)
        for (ws, _), (o, i) in zip(self.slices, self.shapes):
            dW = d[:, ws].reshape(o, i)
            wW = w[:, ws].reshape(o, i)
            scale = np.linalg.norm(wW, axis=1, keepdims=True) / np.maximum(np.linalg.norm(dW, axis=1, keepdims=True), 1e-300)
            out[0, ws] = (dW * scale).ravel()
        return out[0]

    # --- evaluation ---------------------------------------------------------------------
    def _chunk(self, n: int) -> int:
        widest = max(self.sizes)
        return max(1, int(CHUNK_BYTES // (8 * max(n, 1) * widest)))

    def _forward(self, X, x):
        """Pre-activations and activations per layer for weights X (B, D) on inputs x (n, 2)
        or (B, k, 2); returns (cache, logits (B, n))."""
        h = x if x.ndim == 3 else np.broadcast_to(x, (len(X), *x.shape))
        cache = []
        layers = self.unpack(X)
        for j, (W, b) in enumerate(layers):
            a = np.matmul(h, W.transpose(0, 2, 1)) + b[:, None, :]
            if j == len(layers) - 1:
                cache.append((h, a, None))
                return cache, a[:, :, 0]
            hn = _act(self.activation, a)
            cache.append((h, a, hn))
            h = hn
        raise AssertionError

    def _samples(self, idx):
        x, y = self.data.x, self.data.y
        if idx is None:
            return x, y
        return x[idx], y[idx]

    def _f(self, X):
        if len(X) * self.n_samples >= COMPILED_FROM and _compiled() is not None:
            return _compiled()(np.ascontiguousarray(X), np.ascontiguousarray(self.data.x),
                               np.ascontiguousarray(self.data.y), np.asarray(self.sizes, np.int64),
                               ACTIVATIONS.index(self.activation))
        out = np.empty(len(X))
        x, y = self._samples(None)
        step = self._chunk(len(x))
        for s in range(0, len(X), step):
            _, z = self._forward(X[s:s + step], x)
            out[s:s + step] = _bce_with_logits(z, y).mean(axis=1)
        return out

    def _value_and_grad_chunk(self, X, idx=None):
        x, y = self._samples(idx)
        _, n = len(X), x.shape[-2]
        cache, z = self._forward(X, x)
        F = _bce_with_logits(z, y).mean(axis=1)
        G = np.empty_like(X)
        delta = ((_sigmoid(z) - y) / n)[:, :, None]  # dL/da of the output layer (B, n, 1)
        layers = self.unpack(X)
        for j in range(len(layers) - 1, -1, -1):
            h_prev, _, _ = cache[j]
            W, _ = layers[j]
            ws, bs = self.slices[j]
            G[:, ws] = np.matmul(delta.transpose(0, 2, 1), h_prev).reshape(len(X), -1)
            G[:, bs] = delta.sum(axis=1)
            if j:
                _, a_prev, h_act = cache[j - 1]
                delta = np.matmul(delta, W) * _act_grad(self.activation, a_prev, h_act)
        return F, G

    def _grad(self, X, idx=None):
        return self._value_and_grad(X, idx)[1]

    def _value_and_grad(self, X, idx=None):
        F, G = np.empty(len(X)), np.empty_like(X)
        n = self.n_samples if idx is None else np.shape(idx)[-1]
        step = self._chunk(n)
        for s in range(0, len(X), step):
            part = None if idx is None or np.ndim(idx) == 1 else idx[s:s + step]
            F[s:s + step], G[s:s + step] = self._value_and_grad_chunk(X[s:s + step], idx if part is None else part)
        return F, G

    def value_and_grad(self, X):
        X = self._check(X)
        with np.errstate(all="ignore"):
            return self._value_and_grad(X)

    def grad(self, X, idx=None):
        """Cross-entropy gradient over samples ``idx`` ((k,) or (B, k)); None = all samples."""
        X = self._check(X)
        idx = datasets.check_idx(idx, len(X), self.n_samples)
        with np.errstate(all="ignore"):
            return self._value_and_grad(X, idx)[1]

    def f(self, X):
        X = self._check(X)
        with np.errstate(all="ignore"):
            return self._f(X)

    def predict(self, W, x) -> np.ndarray:
        """P(class 1) of each network (rows of W) at inputs ``x`` (m, 2): (B, m)."""
        W = self._check(np.asarray(W, float).reshape(-1, self.dim))
        x = np.asarray(x, float).reshape(-1, 2)
        out = np.empty((len(W), len(x)))
        step = self._chunk(len(x))
        with np.errstate(all="ignore"):
            for s in range(0, len(W), step):
                out[s:s + step] = _sigmoid(self._forward(W[s:s + step], x)[1])
        return out

    def accuracy(self, W) -> np.ndarray:
        """Share of the data each network classifies right: (B,)."""
        p = self.predict(W, self.data.x)
        return ((p > 0.5) == (self.data.y > 0.5)).mean(axis=1)

    @property
    def spec(self) -> dict:
        return {"name": self.name, "params": _jsonable(self.params),
                "data": {**self.data.info, "digest": self.data.digest()}}

    def cache_token(self) -> dict:
        return {**self.spec, "bounds": [self.bounds[0], self.dim], "limits": [self.limits[0], self.dim]}


def _check_hidden(hidden) -> tuple[int, ...]:
    try:
        sizes = tuple(hidden) if not isinstance(hidden, (int, np.integer)) else (int(hidden),)
    except TypeError:
        sizes = ()
    if (not 1 <= len(sizes) <= 4 or any(isinstance(h, bool) or not isinstance(h, (int, np.integer))
                                        or not 1 <= h <= 256 for h in sizes)):
        raise GdengineError(f"hidden must be 1 to 4 layer widths, each a whole number 1..256 "
                            f"(e.g. hidden=(16, 16)), got {hidden!r}")
    return tuple(int(h) for h in sizes)


@register_landscape("mlp")
def mlp(data="moons", hidden=(16, 16), activation: str = "tanh", seed: int = 0, n: int = 200,
        noise: float | None = None) -> MLPLandscape:
    """An MLP's cross-entropy on ``data`` (a name of ``DATASETS`` made with ``n`` points,
    ``noise`` and ``seed``, or a ``Dataset`` with x (n, 2) and y in {0, 1})."""
    hidden = _check_hidden(hidden)
    if activation not in ACTIVATIONS:
        raise GdengineError(f"unknown activation {activation!r}; valid choices: {', '.join(ACTIVATIONS)}")
    if isinstance(data, str):
        if data not in DATASETS:
            raise GdengineError(f"unknown data {data!r}; valid choices: {', '.join(DATASETS)} or a gd.datasets.Dataset")
        made = getattr(datasets, data)(n=n, seed=seed, **({} if noise is None else {"noise": noise}))
        params = {"data": data, "hidden": list(hidden), "activation": activation, "seed": int(seed), "n": int(n)}
        if noise is not None:
            params["noise"] = float(noise)
    elif isinstance(data, datasets.Dataset):
        made = data
        x, y = np.asarray(made.x), np.asarray(made.y)
        if x.ndim != 2 or x.shape[1] != 2 or len(y) != len(x) or not np.isin(y, (0.0, 1.0)).all():
            raise GdengineError("data must have x of shape (n, 2) and labels y in {0, 1}")
        params = {"data": "custom", "hidden": list(hidden), "activation": activation}
    else:
        raise GdengineError(f"data must be one of {', '.join(DATASETS)} or a gd.datasets.Dataset, got {data!r}")
    return MLPLandscape(made, hidden, activation, params)
