"""Looking at a high-dimensional loss through a plane: one plane for several training runs, the
loss on a grid of it, each path projected onto it with its distance from it, and the
filter-normalised 1-D slices of Li et al. (2018) for "flat or sharp".

A ``Plane`` is an origin and two orthonormal directions in weight space; a point's plane
coordinates are its offsets along them, and what the plane cannot show — the rest of the
offset — is its distance from the plane, which a clip must say (a projection is not the path).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gdengine.errors import GdengineError


@dataclass(frozen=True)
class Plane:
    origin: np.ndarray  # (D,)
    axes: np.ndarray  # (2, D), orthonormal rows
    kind: str  # "pca" or "ends"

    def coords(self, W) -> np.ndarray:
        """Plane coordinates (…, 2) of weight vectors W (…, D)."""
        return (np.asarray(W, float) - self.origin) @ self.axes.T

    def distance(self, W) -> np.ndarray:
        """Euclidean distance (…) of W from the plane: the part of W − origin it cannot show."""
        off = np.asarray(W, float) - self.origin
        return np.linalg.norm(off - self.coords(W) @ self.axes, axis=-1)

    def point(self, ab) -> np.ndarray:
        """Weight vectors (…, D) at plane coordinates (…, 2)."""
        return self.origin + np.asarray(ab, float) @ self.axes


def pca_plane(paths, origin) -> Plane:
    """The plane through ``origin`` spanned by the top-2 principal directions of every run's
    positions together (``paths``: a list of (T_i, D) arrays), about the origin."""
    origin = np.asarray(origin, float)
    offsets = np.concatenate([np.asarray(p, float).reshape(-1, origin.size) for p in paths]) - origin
    if offsets.shape[0] < 2 or not np.any(offsets):
        raise GdengineError("pca_plane needs runs that move away from their start")
    _, _, vt = np.linalg.svd(offsets, full_matrices=False)
    axes = vt[:2].copy()
    for k in range(2):  # sign convention: the runs lie at positive coordinates on average
        if (offsets @ axes[k]).sum() < 0:
            axes[k] = -axes[k]
    return Plane(origin, axes, "pca")


def plane_through(origin, a, b) -> Plane:
    """The plane through ``origin``, ``a`` and ``b`` (e.g. the start and two runs' ends): both
    lie on it exactly (Gram–Schmidt of a − origin, b − origin)."""
    origin, a, b = (np.asarray(v, float) for v in (origin, a, b))
    u = a - origin
    if not np.linalg.norm(u):
        raise GdengineError("plane_through: the first end is the origin itself")
    e1 = u / np.linalg.norm(u)
    v = (b - origin) - ((b - origin) @ e1) * e1
    if np.linalg.norm(v) < 1e-12 * np.linalg.norm(u):
        raise GdengineError("plane_through: the three points lie on one line")
    return Plane(origin, np.stack([e1, v / np.linalg.norm(v)]), "ends")


def plane_window(plane: Plane, paths, margin: float = 0.25) -> tuple[tuple[float, float], tuple[float, float]]:
    """A square-ish window of plane coordinates around every projected path (and the origin),
    widened by ``margin`` of its size on each side."""
    pts = np.concatenate([plane.coords(np.asarray(p, float)) for p in paths] + [np.zeros((1, 2))])
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    size = max(float(np.max(hi - lo)), 1e-9)
    mid = (lo + hi) / 2
    half = size * (0.5 + margin)
    return ((mid[0] - half, mid[0] + half), (mid[1] - half, mid[1] + half))


def surface(land, plane: Plane, window, n: int = 201) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(a (n,), b (n,), loss (n, n) indexed [j_b, i_a]) on an n×n grid of the plane, in one
    batched call of the landscape (it chunks inside)."""
    (a0, a1), (b0, b1) = window
    a, b = np.linspace(a0, a1, n), np.linspace(b0, b1, n)
    A, Bg = np.meshgrid(a, b)
    W = plane.point(np.stack([A.ravel(), Bg.ravel()], axis=1))
    return a, b, land.f(W).reshape(n, n)


def filter_normalized_slice(land, center, seed: int = 0, span: float = 1.0, n: int = 41,
                            direction=None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(t (n,), loss (n,), direction (D,)): the loss along ``center`` + t·d for t in
    [−span, span], d a Gaussian direction (``seed``) scaled per filter to ``center``'s weights
    (``land.filter_normalized``). Pass the same ``direction`` seed to compare end points on
    one scale."""
    center = np.asarray(center, float)
    if direction is None:
        direction = np.random.default_rng(seed).standard_normal(center.size)
    d = land.filter_normalized(direction, center)
    t = np.linspace(-span, span, n)
    return t, land.f(center + t[:, None] * d), d


def plane_landscape(land, plane: Plane, window, name: str = "plane"):
    """The loss of ``land`` restricted to ``plane`` as a 2-D ``Landscape`` over plane
    coordinates (``window`` its bounds and view), what a contour map or a 3-D surface of the
    plane draws: ``f(ab)`` is the loss at ``plane.point(ab)``, the gradient the full gradient
    projected on the plane's axes."""
    from gdengine.core.landscapes import Landscape

    def f(AB):
        return land.f(plane.point(AB))

    def grad(AB):
        return land.grad(plane.point(AB)) @ plane.axes.T

    out = Landscape(name, f=f, grad=grad, bounds=window, view=window,
                    formula="L(w_0 + alpha d_1 + beta d_2)", formula_text="L(w₀ + α·d₁ + β·d₂)",
                    description=f"{land.name} on a plane through its weight space")
    out.minima_known = False
    return out


def projected(traj, plane: Plane):
    """A run seen on the plane: a ``Trajectory`` whose positions are the plane coordinates of
    the run's weights (T+1, B, 2), with the run's own loss values (not the plane's) and its
    status; ``meta["distance"]`` (T+1, B) is how far each step is from the plane."""
    from gdengine.core.trajectory import Trajectory

    P = traj.positions
    arrays = {"positions": plane.coords(P)}
    if "values" in traj.recorded:
        arrays["values"] = traj.values
    final = plane.coords(traj.final)
    meta = {**traj.meta, "plane": plane.kind, "distance": plane.distance(P)}
    return Trajectory(arrays, traj.status.copy(), traj.stopped_at.copy(), np.full(traj.B, -1),
                      final, traj.final_value.copy(), meta)


def sampled_plane_landscape(land, plane: Plane, window, n: int = 201, name: str = "plane"):
    """``plane_landscape`` read from one n×n grid of true losses (``surface``: a single batched
    call) through a bicubic spline: what a renderer that samples a surface millions of times
    for its mesh can afford (the grid's nodes are exact; between them the spline)."""
    from scipy.interpolate import RectBivariateSpline

    from gdengine.core.landscapes import Landscape

    a, b, S = surface(land, plane, window, n)
    spline = RectBivariateSpline(a, b, S.T, kx=3, ky=3)

    def f(AB):
        AB = np.asarray(AB, float)
        return spline.ev(AB[:, 0], AB[:, 1])

    def grad(AB):
        AB = np.asarray(AB, float)
        return np.column_stack([spline.ev(AB[:, 0], AB[:, 1], dx=1), spline.ev(AB[:, 0], AB[:, 1], dy=1)])

    out = Landscape(name, f=f, grad=grad, bounds=window, view=window,
                    formula="L(w_0 + alpha d_1 + beta d_2)", formula_text="L(w₀ + α·d₁ + β·d₂)",
                    description=f"{land.name} on a plane through its weight space ({n}² samples)")
    out.minima_known = False
    out.samples = (a, b, S)
    return out
