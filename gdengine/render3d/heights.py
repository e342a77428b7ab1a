"""Display heights: a landscape's values f(x, y) mapped to the z of the drawn surface.

x and y stay the real coordinates; z is a monotone map of f so every landscape fits one
stage: values above ``clip`` are cut flat (extreme walls would flatten everything else),
``log`` compresses steep bowls (log(1 + (f − f_min)/ref)), and the result is scaled so the
relief is ``relief`` × the larger side of the window. The map is fixed when the surface is
built, so heights (and the colours that follow them) never change between frames.

``HeightMap.lift`` returns, for points (x, y), the surface point and its unit normal, exactly
(from the landscape's analytic gradient, chain rule through the map) — balls rest on the
true surface, not on its triangles.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gdengine.errors import GdengineError

Window = tuple[tuple[float, float], tuple[float, float]]


def check_window(window) -> Window:
    """((x0, x1), (y0, y1)) with x0 < x1 and y0 < y1, as floats."""
    try:
        (x0, x1), (y0, y1) = window
        x0, x1, y0, y1 = (float(v) for v in (x0, x1, y0, y1))
    except (TypeError, ValueError):
        raise GdengineError(f"window must be ((x0, x1), (y0, y1)), got {window!r}") from None
    if not (np.isfinite([x0, x1, y0, y1]).all() and x0 < x1 and y0 < y1):
        raise GdengineError(f"window must be finite with x0 < x1 and y0 < y1, got {window!r}")
    return (x0, x1), (y0, y1)


def grid_points(window: Window, n: int) -> np.ndarray:
    """(n*n, 2) points of a regular n×n grid over ``window`` (x fastest)."""
    (x0, x1), (y0, y1) = window
    X, Y = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
    return np.column_stack([X.ravel(), Y.ravel()])


@dataclass(frozen=True)
class HeightMap:
    """f → display z: z = scale · (t(min(f, f_cap)) − t(f_min)), t = identity or log."""

    landscape: object
    window: Window
    f_min: float
    f_cap: float
    log: bool
    log_ref: float
    scale: float

    @classmethod
    def build(cls, landscape, window=None, *, clip=None, log=False, log_ref=1.0, relief=0.45,
              samples=257) -> "HeightMap":
        """Fix the map for ``landscape`` over ``window`` (default ``landscape.view``).

        ``clip``: cut f above this value (None: the largest value in the window; a float in
        (0, 1) is read as a quantile of the window's values). ``relief``: height of the
        drawn relief relative to the window's larger side.
        """
        if getattr(landscape, "dim", None) != 2:
            raise GdengineError(
                f"3-D surfaces need a 2-D landscape; {getattr(landscape, 'name', landscape)!r} "
                f"has dim {getattr(landscape, 'dim', '?')}")
        window = check_window(landscape.view if window is None else window)
        if not (np.isfinite(relief) and relief > 0):
            raise GdengineError(f"relief must be > 0, got {relief!r}")
        if not (np.isfinite(log_ref) and log_ref > 0):
            raise GdengineError(f"log_ref must be > 0, got {log_ref!r}")
        values = landscape.f(grid_points(window, samples))
        finite = values[np.isfinite(values)]
        if finite.size == 0:
            raise GdengineError(f"{landscape.name} has no finite value in the window {window}")
        f_min = float(finite.min())
        if clip is None:
            f_cap = float(finite.max())
        elif 0 < clip < 1:
            f_cap = float(np.quantile(finite, clip))
        else:
            f_cap = float(clip)
        if not f_cap > f_min:
            raise GdengineError(
                f"clip {clip!r} leaves no relief: f is {f_min:.4g} to {finite.max():.4g} in the window")
        probe = cls(landscape, window, f_min, f_cap, bool(log), float(log_ref), 1.0)
        span = max(window[0][1] - window[0][0], window[1][1] - window[1][0])
        return cls(landscape, window, f_min, f_cap, bool(log), float(log_ref),
                   relief * span / probe._t(np.array([f_cap]))[0])

    # --- the map --------------------------------------------------------------------------
    def _t(self, f: np.ndarray) -> np.ndarray:
        """Transformed value relative to f_min (before scaling); f already clipped."""
        d = np.maximum(f - self.f_min, 0.0)
        return np.log1p(d / self.log_ref) if self.log else d

    def _dt(self, f: np.ndarray) -> np.ndarray:
        d = np.maximum(f - self.f_min, 0.0)
        return 1.0 / (self.log_ref + d) if self.log else np.ones_like(f)

    @property
    def z_max(self) -> float:
        """Height of the top of the relief (the clip level)."""
        return float(self.scale * self._t(np.array([self.f_cap]))[0])

    def z(self, f: np.ndarray) -> np.ndarray:
        """Display height for values ``f`` (non-finite values sit at the cap)."""
        f = np.where(np.isfinite(f), np.minimum(f, self.f_cap), self.f_cap)
        return self.scale * self._t(f)

    def z_at(self, XY: np.ndarray) -> np.ndarray:
        """Display height of the surface above points (B, 2)."""
        return self.z(self.landscape.f(np.asarray(XY, dtype=float)))

    def lift(self, XY: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Surface points (B, 3) above ``XY`` (B, 2) and unit normals (B, 3) there."""
        XY = np.asarray(XY, dtype=float).reshape(-1, 2)
        f = self.landscape.f(XY)
        g = self.landscape.grad(XY)
        inside = np.isfinite(f) & (f < self.f_cap) & np.isfinite(g).all(axis=1)
        z = self.z(f)
        slope = np.where(inside, self.scale * self._dt(np.where(inside, f, self.f_min)), 0.0)
        dz = np.where(inside[:, None], g, 0.0) * slope[:, None]
        normals = np.column_stack([-dz[:, 0], -dz[:, 1], np.ones(len(XY))])
        normals /= np.linalg.norm(normals, axis=1, keepdims=True)
        return np.column_stack([XY, z]), normals

    def bounds(self) -> tuple[float, float, float, float, float, float]:
        """(x0, x1, y0, y1, z0, z1) of the drawn surface."""
        (x0, x1), (y0, y1) = self.window
        return (x0, x1, y0, y1, 0.0, self.z_max)

    @property
    def span(self) -> float:
        """Larger side of the window (the stage's length unit)."""
        return max(self.window[0][1] - self.window[0][0], self.window[1][1] - self.window[1][0])
