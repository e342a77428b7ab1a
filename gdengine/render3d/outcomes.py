"""Where each particle ended: the minimum it reached (coloured), or stalled, or diverged.

The engine names the known minima (``trajectory.basin`` indexes ``landscape.known_minima``);
surfaces such as Griewank have many more local minima than it lists, and particles stopping
in one are reported "stalled". Here an endpoint with a small gradient is a minimum when the
Hessian there (central differences of the analytic gradient) is positive definite on the
scale of the drawn surface; such endpoints are grouped by position, so every minimum that
particles reach gets its own colour. Plateau and saddle stops stay "stalled" (grey).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gdengine.render3d import colors


@dataclass(frozen=True)
class Outcomes:
    """Per particle: ``group`` index into ``points`` (a minimum) or -1 stalled / -2 diverged."""

    group: np.ndarray  # (B,)
    points: np.ndarray  # (G, 2) the minima reached, known ones first
    known: np.ndarray  # (G,) index into landscape.known_minima, or -1 for an unlisted minimum
    is_global: np.ndarray  # (G,) bool
    rgb: np.ndarray  # (B, 3) uint8 particle colours
    group_colors: tuple[str, ...]  # (G,) hex colour of each minimum

    def count(self, g: int) -> int:
        return int((self.group == g).sum())

    @property
    def stalled(self) -> int:
        return int((self.group == -1).sum())

    @property
    def diverged(self) -> int:
        return int((self.group == -2).sum())


def hessian_min_eigenvalue(landscape, X: np.ndarray, h: float) -> np.ndarray:
    """Smallest eigenvalue of the 2×2 Hessian at each point (central differences of grad)."""
    X = np.asarray(X, dtype=float).reshape(-1, 2)
    cols = []
    for k in range(2):
        e = np.zeros(2)
        e[k] = h
        cols.append((landscape.grad(X + e) - landscape.grad(X - e)) / (2 * h))
    H = np.stack(cols, axis=2)  # (B, 2, 2): H[:, i, k] = d g_i / d x_k
    H = 0.5 * (H + np.transpose(H, (0, 2, 1)))
    return np.linalg.eigvalsh(H)[:, 0]


def known_color(k: int, n_global: int) -> str:
    """Colour of the landscape's known minimum ``k`` (global minima first): its own while the
    palette lasts, then shared among the local minima only."""
    palette = colors.BASIN_COLORS
    if k < len(palette) or n_global >= len(palette):
        return palette[k % len(palette)]
    local = palette[n_global:]
    return local[(k - n_global) % len(local)]


def classify(landscape, trajectory, *, span: float, f_range: float, cluster: float | None = None,
             curvature_floor: float = 0.05) -> Outcomes:
    """Group particle endpoints by the minimum reached; colours follow ``colors.BASIN_COLORS``.

    ``span``/``f_range``: size of the drawn window and of f over it; a stop counts as an
    unlisted minimum when its smallest Hessian eigenvalue exceeds ``curvature_floor`` ×
    f_range / span² (flat plateaus and saddles do not).
    """
    final = np.asarray(trajectory.final, dtype=float)
    status = np.asarray(trajectory.status)
    basin = np.asarray(trajectory.basin)
    known_pts = np.asarray(landscape.known_minima, dtype=float).reshape(-1, 2)
    n_global = len(np.asarray(landscape.minima).reshape(-1, 2))
    cluster = cluster if cluster is not None else span / 60.0
    group = np.full(len(final), -1, dtype=np.int64)
    group[status == "diverged"] = -2

    reached_known = sorted({int(b) for b in basin[basin >= 0]})
    points = [known_pts[b] for b in reached_known]
    known = list(reached_known)
    for g, b in enumerate(reached_known):
        group[(basin == b) & (status != "diverged")] = g

    floor = curvature_floor * f_range / span**2
    candidates = np.nonzero((group == -1) & (basin < 0) & (status == "stalled"))[0]
    if len(candidates):
        lam = hessian_min_eigenvalue(landscape, final[candidates], h=span * 1e-4)
        extra = []
        for i in candidates[lam > floor]:
            for j, p in enumerate(extra):
                if np.linalg.norm(final[i] - p[0]) <= cluster:
                    p[1].append(i)
                    break
            else:
                extra.append((final[i], [i]))
        extra.sort(key=lambda p: float(landscape.f(p[0][None])[0]))
        for p, members in extra:
            group[members] = len(points)
            points.append(np.mean(final[members], axis=0))
            known.append(-1)
    points_arr = np.array(points).reshape(-1, 2)
    known_arr = np.array(known, dtype=np.int64)
    is_global = (known_arr >= 0) & (known_arr < n_global)
    # a known minimum keeps its colour in every clip; past the palette's end local minima
    # share the colours no global minimum uses, and unlisted ones cycle through the colours no
    # known minimum uses (so a dip never looks like a global minimum; the legend has one row
    # per colour)
    known_colors = [known_color(int(k), n_global) for k in range(len(known_pts))]
    spare = [c for c in colors.BASIN_COLORS if c not in known_colors] or \
        list(colors.BASIN_COLORS[n_global:]) or list(colors.BASIN_COLORS)
    group_colors, n_extra = [], 0
    for k in known_arr:
        if k >= 0:
            group_colors.append(known_colors[int(k)])
        else:
            group_colors.append(spare[n_extra % len(spare)])
            n_extra += 1
    group_colors = tuple(group_colors)
    rgb = np.empty((len(final), 3), dtype=np.uint8)
    rgb[group == -1] = colors.rgb8(colors.STALLED)
    rgb[group == -2] = colors.rgb8(colors.DIVERGED)
    for g, c in enumerate(group_colors):
        rgb[group == g] = colors.rgb8(c)
    return Outcomes(group, points_arr, known_arr, is_global, rgb, group_colors)
