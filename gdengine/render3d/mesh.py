"""Adaptive surface triangulation: triangles where the surface curves, few where it is flat.

A quadtree over the window: a cell is split in four while the surface deviates from the
bilinear guess through its corners by more than ``tol`` (at the centre and edge midpoints,
which measures curvature × size²). The corners of all leaf cells are Delaunay-triangulated in
the plane, so neighbouring cells of different sizes share every vertex and the mesh has no
cracks. ``tol`` is found by bisection so the mesh stays within a triangle budget.

Vertices sit exactly on the surface and carry the analytic normals from ``HeightMap.lift``, so
Phong shading looks smooth even where triangles are large; the budget goes to silhouettes
and ripples. Everything is vectorised per quadtree level.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial import Delaunay

from gdengine.errors import GdengineError
from gdengine.render3d.heights import HeightMap


@dataclass(frozen=True)
class QuadtreeErrors:
    """Per-level deviation of every cell of a complete quadtree (dense arrays)."""

    base: int  # cells per side at level 0
    depth: int  # deepest level
    errors: tuple[np.ndarray, ...]  # level L: (base·2^L, base·2^L), [row=y, col=x]

    @property
    def lattice(self) -> int:
        """Points per side of the finest lattice."""
        return self.base * 2**self.depth + 1


def quadtree_errors(height, window, base: int, depth: int) -> QuadtreeErrors:
    """Deviation from linear interpolation at the centre and edge midpoints, for every cell."""
    (x0, x1), (y0, y1) = window
    errors = []
    for level in range(depth + 1):
        n = base * 2**level
        m = 2 * n + 1  # half-cell lattice
        xs, ys = np.linspace(x0, x1, m), np.linspace(y0, y1, m)
        X, Y = np.meshgrid(xs, ys)
        H = height(np.column_stack([X.ravel(), Y.ravel()])).reshape(m, m)
        c00, c01 = H[0:-1:2, 0:-1:2], H[0:-1:2, 2::2]
        c10, c11 = H[2::2, 0:-1:2], H[2::2, 2::2]
        mid = H[1::2, 1::2]  # against both diagonals: the triangles take one of them
        centre = np.maximum(np.abs(mid - 0.5 * (c00 + c11)), np.abs(mid - 0.5 * (c01 + c10)))
        bottom = np.abs(H[0:-1:2, 1::2] - 0.5 * (c00 + c01))
        top = np.abs(H[2::2, 1::2] - 0.5 * (c10 + c11))
        left = np.abs(H[1::2, 0:-1:2] - 0.5 * (c00 + c10))
        right = np.abs(H[1::2, 2::2] - 0.5 * (c01 + c11))
        err = np.maximum.reduce([centre, bottom, top, left, right])
        errors.append(np.where(np.isfinite(err), err, np.inf))
    return QuadtreeErrors(base, depth, tuple(errors))


def leaf_points(tree: QuadtreeErrors, tol: float) -> np.ndarray:
    """Boolean mask over the finest lattice: corners of the leaves for tolerance ``tol``."""
    size = tree.lattice
    mark = np.zeros((size, size), dtype=bool)
    active = np.ones((tree.base, tree.base), dtype=bool)
    for level, err in enumerate(tree.errors):
        split = active & (err > tol) if level < tree.depth else np.zeros_like(active)
        leaves = active & ~split
        step = 2 ** (tree.depth - level)
        r, c = np.nonzero(leaves)
        for dr in (0, 1):
            for dc in (0, 1):
                mark[(r + dr) * step, (c + dc) * step] = True
        active = np.repeat(np.repeat(split, 2, axis=0), 2, axis=1)
    return mark


@dataclass(frozen=True)
class SurfaceMesh:
    """A triangulated surface: points (N, 3), triangles (M, 3), unit normals (N, 3)."""

    points: np.ndarray
    triangles: np.ndarray
    normals: np.ndarray
    tol: float  # the deviation tolerance reached (display units)

    @property
    def n_triangles(self) -> int:
        return len(self.triangles)


def adaptive_surface(heights: HeightMap, max_triangles: int = 24000,
                     bases: tuple[int, ...] = (12, 16, 20), finest: int = 512) -> SurfaceMesh:
    """The surface of ``heights`` with at most ``max_triangles`` triangles, spent where it curves.

    Quadtree levels double the resolution, so a budget can fall between two levels; trying a
    few base grids (and keeping the one reaching the smallest tolerance) removes that
    quantisation. ``finest`` bounds the finest lattice (cells per side).
    """
    smallest = min(bases)
    if max_triangles < 2 * smallest * smallest:
        raise GdengineError(
            f"max_triangles must be at least {2 * smallest * smallest} (the coarsest "
            f"{smallest}×{smallest} grid), got {max_triangles}")
    best = None
    for base in bases:
        if 2 * base * base > max_triangles:
            continue
        depth = max(0, int(np.floor(np.log2(finest / base))))
        tree = quadtree_errors(heights.z_at, heights.window, base, depth)
        tol, mark = _fit_budget(tree, max_triangles)
        if best is None or tol < best[0]:
            best = (tol, tree, mark)
    tol, tree, mark = best
    return _triangulate(heights, tree, mark, tol)


def _fit_budget(tree: QuadtreeErrors, max_triangles: int) -> tuple[float, np.ndarray]:
    """Smallest tolerance (by bisection) whose leaves make at most ``max_triangles``."""
    finite = [e[np.isfinite(e)] for e in tree.errors]
    lo, hi = 0.0, max(float(e.max(initial=0.0)) for e in finite) + 1e-12
    best = leaf_points(tree, hi)
    for _ in range(40):  # fewer points <-> larger tol
        mid = 0.5 * (lo + hi)
        mark = leaf_points(tree, mid)
        if 2 * int(mark.sum()) <= max_triangles:
            best, hi = mark, mid
        else:
            lo = mid
        if hi - lo <= 1e-3 * hi:
            break
    return hi, best


def _triangulate(heights: HeightMap, tree: QuadtreeErrors, mark: np.ndarray, tol: float) -> SurfaceMesh:
    rows, cols = np.nonzero(mark)
    lattice = np.column_stack([cols, rows]).astype(float)  # integer coordinates: exact Delaunay
    triangles = Delaunay(lattice, qhull_options="Qbb Qc Qz Q12").simplices
    a, b, c = (lattice[triangles[:, k]] for k in range(3))
    area2 = (b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (c[:, 0] - a[:, 0])
    triangles = triangles[np.abs(area2) > 0.5]  # integer lattice: real triangles have area ≥ 1/2
    flip = area2[np.abs(area2) > 0.5] < 0  # counter-clockwise seen from +z (normals up)
    triangles[flip] = triangles[flip][:, ::-1]
    (x0, x1), (y0, y1) = heights.window
    n = tree.lattice - 1
    XY = np.column_stack([x0 + (x1 - x0) * cols / n, y0 + (y1 - y0) * rows / n])
    points, normals = heights.lift(XY)
    return SurfaceMesh(points, triangles.astype(np.int64), normals, tol)


def uniform_surface(heights: HeightMap, n: int) -> SurfaceMesh:
    """An n×n-vertex regular grid (for comparison with the adaptive mesh)."""
    (x0, x1), (y0, y1) = heights.window
    X, Y = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
    points, normals = heights.lift(np.column_stack([X.ravel(), Y.ravel()]))
    i = np.arange(n * n).reshape(n, n)
    a, b, c, d = i[:-1, :-1].ravel(), i[:-1, 1:].ravel(), i[1:, :-1].ravel(), i[1:, 1:].ravel()
    triangles = np.concatenate([np.column_stack([a, b, d]), np.column_stack([a, d, c])])
    return SurfaceMesh(points, triangles, normals, float("nan"))


def max_deviation(heights: HeightMap, mesh: SurfaceMesh, samples_per_triangle: int = 4) -> float:
    """Largest |true height − mesh height| at interior sample points of every triangle."""
    rng = np.random.default_rng(0)
    w = rng.dirichlet(np.ones(3), size=samples_per_triangle)  # barycentric weights (S, 3)
    P = mesh.points[mesh.triangles]  # (M, 3, 3)
    S = np.einsum("sk,mkd->msd", w, P).reshape(-1, 3)
    return float(np.max(np.abs(heights.z_at(S[:, :2]) - S[:, 2])))
