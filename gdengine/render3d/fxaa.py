"""FXAA on the grabbed frame, on the CPU: smooths stair-stepped edges of a 3-D frame.

VTK's FXAA pass is a full-screen shader; on Mesa's software rasteriser (llvmpipe) it costs
more than drawing the frame (1200² montage frame: 50–57 ms CPU drawn, 142–155 ms with the
pass). The same algorithm — Timothy Lottes' FXAA 3.11, "quality" variant, with VTK's default
thresholds — compiled with numba touches only the pixels on a contrast edge (a few per cent of
a frame): 10 ms for that 1200² frame on one core, 1 ms of it finding the edges.

Per pixel: luma contrast in the 4-neighbourhood below ``max(1/16, 1/8·brightest)`` → kept as
is. Otherwise the edge's orientation (horizontal or vertical) comes from the 3×3
neighbourhood, the edge is followed both ways until the luma gradient along it changes (up to
``_STEPS``), and the pixel is blended towards its neighbour across the edge by how far it sits
from the edge's nearer end — the smooth ramp that replaces a staircase — or by the sub-pixel
amount (thin features, single-pixel specks), whichever is larger.
"""

from __future__ import annotations

import numba
import numpy as np

_REL_DIV = 8  # an edge: contrast ≥ 1/8 of the brightest neighbour (VTK's default) …
_MIN_DIV = 16  # … and ≥ 1/16 of full scale (dark regions stay untouched)
SUBPIXEL = 0.75  # sub-pixel blend limit (VTK's default)
_STEPS = np.array([1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 8], dtype=np.int64)  # search along an edge: 24 px each way


_UNIT = np.float32(1.0 / 255.0)


@numba.njit(cache=True, inline="always")
def _l(Y, y, x):
    """Luma of pixel (y, x) in [0, 1]."""
    return Y[y, x] * _UNIT


@numba.njit(cache=True, inline="always")
def _edge_luma(Y, y, x, horizontal, side):
    """Luma half-way between pixel (y, x) and its neighbour across the edge (clamped to the
    frame along the edge): what the GPU's bilinear sample between the two rows returns."""
    h, w = Y.shape
    if horizontal:  # the edge runs along x; the neighbour row is y + side
        x = min(max(x, 0), w - 1)
        return (Y[y, x] + Y[y + side, x]) * (0.5 * _UNIT)
    y = min(max(y, 0), h - 1)
    return (Y[y, x] + Y[y, x + side]) * (0.5 * _UNIT)


@numba.njit(cache=True)
def _find_edges(rgb, Y, E):
    """Luma of every pixel into ``Y`` (H, W) int32, 0..255, and 1 into ``E`` (H, W8) uint8
    where a pixel sits on a contrast edge (two branch-free passes: the compiler vectorises
    them; this is the part every pixel pays)."""
    h, w, _ = rgb.shape
    flat, luma = rgb.reshape(-1), Y.reshape(-1)
    for i in range(h * w):
        luma[i] = (77 * np.int32(flat[3 * i]) + 150 * np.int32(flat[3 * i + 1])
                   + 29 * np.int32(flat[3 * i + 2])) >> 8
    for y in range(1, h - 1):  # the outermost pixels keep their colour
        for x in range(1, w - 1):
            mi = Y[y, x]
            ni, si, wi, ei = Y[y - 1, x], Y[y + 1, x], Y[y, x - 1], Y[y, x + 1]
            hi = max(max(max(ni, si), max(wi, ei)), mi)
            rng = hi - min(min(min(ni, si), min(wi, ei)), mi)
            E[y, x] = (rng * _MIN_DIV >= 255) & (rng * _REL_DIV >= hi)


@numba.njit(cache=True)
def _fxaa(rgb, steps, out, Y, E):
    """Writes the edge pixels of ``out`` (a copy of ``rgb``)."""
    h, w, _ = rgb.shape
    words = E.reshape(-1).view(np.uint64)
    per_row = E.shape[1] // 8
    for y in range(1, h - 1):
        for j in range(per_row):
            if words[y * per_row + j] == 0:  # eight pixels without an edge
                continue
            for x in range(8 * j, min(8 * j + 8, w)):
                if E[y, x] == 0:
                    continue
                _blend(rgb, steps, out, Y, y, x)


@numba.njit(cache=True)
def _blend(rgb, steps, out, Y, y, x):
    """FXAA 3.11 for one edge pixel."""
    mi = Y[y, x]
    ni, si, wi, ei = Y[y - 1, x], Y[y + 1, x], Y[y, x - 1], Y[y, x + 1]
    hi = max(max(max(ni, si), max(wi, ei)), mi)
    lo = min(min(min(ni, si), min(wi, ei)), mi)
    m, n, s, wl, e = _l(Y, y, x), _l(Y, y - 1, x), _l(Y, y + 1, x), _l(Y, y, x - 1), _l(Y, y, x + 1)
    rng = (hi - lo) * _UNIT
    nw, ne = _l(Y, y - 1, x - 1), _l(Y, y - 1, x + 1)
    sw, se = _l(Y, y + 1, x - 1), _l(Y, y + 1, x + 1)
    edge_h = (abs(nw + sw - 2 * wl) + 2 * abs(n + s - 2 * m) + abs(ne + se - 2 * e))
    edge_v = (abs(nw + ne - 2 * n) + 2 * abs(wl + e - 2 * m) + abs(sw + se - 2 * s))
    horizontal = edge_h >= edge_v
    # sub-pixel blend from the 3×3 average against the centre
    avg = (2 * (n + s + wl + e) + (nw + ne + sw + se)) / 12.0
    sub = min(1.0, abs(avg - m) / rng)
    sub = (-2.0 * sub + 3.0) * sub * sub
    sub = sub * sub * SUBPIXEL
    # the two neighbours across the edge: pick the steeper side
    l1, l2 = (n, s) if horizontal else (wl, e)
    g1, g2 = l1 - m, l2 - m
    if abs(g1) >= abs(g2):
        side, pair, grad = -1, l1, abs(g1)
    else:
        side, pair, grad = 1, l2, abs(g2)
    local = 0.5 * (m + pair)
    scaled = grad / 4.0
    below = (m - local) < 0.0
    # walk along the edge, half-way between the pixel and its neighbour, both ways
    pn = x if horizontal else y
    pp = pn
    end_n = end_p = 0.0
    done_n = done_p = False
    for i in range(steps.shape[0]):
        if not done_n:
            pn -= steps[i]
            end_n = (_edge_luma(Y, y, pn, True, side) if horizontal
                     else _edge_luma(Y, pn, x, False, side)) - local
            done_n = abs(end_n) >= scaled
        if not done_p:
            pp += steps[i]
            end_p = (_edge_luma(Y, y, pp, True, side) if horizontal
                     else _edge_luma(Y, pp, x, False, side)) - local
            done_p = abs(end_p) >= scaled
        if done_n and done_p:
            break
    here = x if horizontal else y
    dn, dp = here - pn, pp - here
    if dn < dp:
        good, dist = (end_n < 0.0) != below, dn
    else:
        good, dist = (end_p < 0.0) != below, dp
    offset = (0.5 - dist / np.float32(dn + dp)) if good else 0.0
    offset = max(offset, sub)
    if offset <= 0.0:
        return
    ny, nx = (y + side, x) if horizontal else (y, x + side)
    for c in range(3):
        v = rgb[y, x, c] + offset * (np.float32(rgb[ny, nx, c]) - rgb[y, x, c])
        out[y, x, c] = np.uint8(min(255.0, max(0.0, v + 0.5)))


class Fxaa:
    """Anti-aliases frames, reusing its scratch buffers while the frame size stays the same
    (fresh pages for them cost more than the pass itself)."""

    def __init__(self) -> None:
        self._shape: tuple = ()
        self._buffers: tuple = ()

    def __call__(self, rgb: np.ndarray, keep=()) -> np.ndarray:
        """The anti-aliased copy of an (H, W, 3) uint8 frame; pixels inside the ``keep`` boxes
        (x0, y0, x1, y1), e.g. text that its font renderer already anti-aliased, are left as
        they are."""
        frame = np.ascontiguousarray(rgb, dtype=np.uint8)
        if frame.ndim != 3 or frame.shape[2] != 3:
            raise ValueError(f"fxaa takes (H, W, 3) uint8 frames, got {frame.shape}")
        if frame.shape != self._shape:
            self._shape = frame.shape
            h, w = frame.shape[:2]
            self._buffers = (np.empty((h, w), np.int32), np.zeros((h, -(-w // 8) * 8), np.uint8))
        Y, E = self._buffers
        out = frame.copy()
        _find_edges(frame, Y, E)
        h, w = frame.shape[:2]
        for x0, y0, x1, y1 in keep:
            E[max(0, int(y0) - 1) : max(0, min(h, int(y1) + 2)), max(0, int(x0) - 1) : max(0, min(w, int(x1) + 2))] = 0
        _fxaa(frame, _STEPS, out, Y, E)
        return out


def fxaa(rgb: np.ndarray) -> np.ndarray:
    """The anti-aliased copy of one (H, W, 3) uint8 frame."""
    return Fxaa()(rgb)
