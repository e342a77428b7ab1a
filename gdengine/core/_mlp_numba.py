"""The MLP's forward pass and loss compiled with numba, parallel over the batch of weight
vectors: what evaluating a loss surface (40,000 networks × 200 points) spends its time on.
Same arithmetic as ``networks.MLPLandscape`` (tested against it); loaded lazily."""

from __future__ import annotations

import math

import numba
import numpy as np


@numba.njit(inline="always")
def _tanh(a):
    """tanh through expm1 (twice libm's tanh speed here, within 2 ulp of it)."""
    if a > 20.0:
        return 1.0
    if a < -20.0:
        return -1.0
    e = math.expm1(2.0 * a)
    return e / (e + 2.0)


@numba.njit(parallel=True, cache=True)
def losses(W, x, y, sizes, act):
    """Mean BCE-with-logits of each network (rows of W (B, D)) on inputs x (n, 2) and labels
    y (n,); ``sizes`` the layer widths (2, …, 1); ``act`` 0 tanh, 1 relu, 2 sigmoid."""
    B, n = W.shape[0], x.shape[0]
    L = sizes.shape[0] - 1
    widest = 0
    for j in range(sizes.shape[0]):
        widest = max(widest, sizes[j])
    out = np.empty(B)
    for b in numba.prange(B):
        h = np.empty(widest)
        nxt = np.empty(widest)
        total = 0.0
        for s in range(n):
            h[0] = x[s, 0]
            h[1] = x[s, 1]
            at = 0
            for j in range(L):
                i_n, o_n = sizes[j], sizes[j + 1]
                wb = at + o_n * i_n
                for o in range(o_n):
                    acc = 0.0
                    row = at + o * i_n
                    for i in range(i_n):
                        acc += W[b, row + i] * h[i]
                    acc += W[b, wb + o]
                    if j < L - 1:
                        if act == 0:
                            acc = _tanh(acc)
                        elif act == 1:
                            acc = max(acc, 0.0)
                        else:
                            acc = 0.5 * (1.0 + _tanh(0.5 * acc))
                    nxt[o] = acc
                at = wb + o_n
                for o in range(o_n):
                    h[o] = nxt[o]
            z = h[0]
            total += max(z, 0.0) - z * y[s] + math.log1p(math.exp(-abs(z)))
        out[b] = total / n
    return out
