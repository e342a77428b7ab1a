"""Actors of a 3-D clip, each built once and updated in place every frame.

* ``SurfaceLayer``: the triangulated surface, coloured by height on a fixed range, with
  analytic normals; optional contour lines lying on it.
* ``BallLayer``: one sphere per particle through ``vtkGlyph3DMapper`` (GPU instancing of one
  sphere source); a frame only overwrites the centres array.
* ``TrailLayer``: every particle's path, all points computed up front; a frame only extends the
  cell connectivity (how many points of each path are drawn), so trails grow incrementally.
* ``LandmarkLayer``: rings marking fixed points of the surface (labelled by HUD callouts).
"""

from __future__ import annotations

import numpy as np
import pyvista as pv
from vtkmodules.util.numpy_support import numpy_to_vtkIdTypeArray
from vtkmodules.vtkCommonDataModel import vtkCellArray
from vtkmodules.vtkFiltersSources import vtkSphereSource
from vtkmodules.vtkRenderingCore import vtkGlyph3DMapper

from gdengine.render3d import colors
from gdengine.render3d.heights import HeightMap
from gdengine.render3d.mesh import SurfaceMesh


def _faces(triangles: np.ndarray) -> np.ndarray:
    return np.column_stack([np.full(len(triangles), 3), triangles]).ravel()


class SurfaceLayer:
    """The surface mesh (and contours) added to ``plotter``."""

    def __init__(self, plotter: pv.Plotter, heights: HeightMap, mesh: SurfaceMesh, *,
                 contours: int = 0, specular: float = 0.15) -> None:
        self.mesh = pv.PolyData(mesh.points, _faces(mesh.triangles))
        self.mesh.point_data["Normals"] = mesh.normals
        self.mesh.point_data.active_normals_name = "Normals"
        self.mesh.point_data["rgb"] = colors.ramp(mesh.points[:, 2], 0.0, heights.z_max)
        self.actor = plotter.add_mesh(
            self.mesh, scalars="rgb", rgb=True, smooth_shading=True, specular=specular,
            specular_power=20.0, ambient=0.18, diffuse=0.85, show_scalar_bar=False,
        )  # fmt: skip
        self.contour_actor = None
        if contours > 0:
            self.contour_actor = self._add_contours(plotter, heights, contours)

    def _add_contours(self, plotter, heights: HeightMap, n: int):
        levels = np.linspace(0.0, heights.z_max, n + 2)[1:-1]
        self.mesh.point_data["z"] = self.mesh.points[:, 2]
        lines = self.mesh.contour(isosurfaces=levels, scalars="z")
        if lines.n_points == 0:
            return None
        lines.points[:, 2] += 0.002 * heights.span  # above the surface: no z-fighting
        # opaque (a translucent actor costs a second render pass on every frame)
        return plotter.add_mesh(lines, color=colors.CONTOUR, line_width=1.0, lighting=False,
                                show_scalar_bar=False, reset_camera=False)


class BallLayer:
    """Balls of world radius ``radius``, one per particle, colours (B, 3) uint8."""

    def __init__(self, plotter: pv.Plotter, centres: np.ndarray, rgb: np.ndarray, radius: float,
                 *, resolution: int = 20, specular: float = 0.45) -> None:
        self.points = pv.PolyData(np.asarray(centres, dtype=float).copy())
        self.points.point_data["rgb"] = np.asarray(rgb, dtype=np.uint8)
        self.points.point_data["scale"] = np.full(len(centres), float(radius))
        sphere = vtkSphereSource()
        sphere.SetRadius(1.0)
        sphere.SetThetaResolution(resolution)
        sphere.SetPhiResolution(max(8, resolution * 2 // 3))
        mapper = vtkGlyph3DMapper()
        mapper.SetInputData(self.points)
        mapper.SetSourceConnection(sphere.GetOutputPort())
        mapper.SetScaleArray("scale")  # per-ball radius; 0 hides a ball
        mapper.SetScaleModeToScaleByMagnitude()
        mapper.SetScaleFactor(1.0)
        mapper.OrientOff()
        mapper.SetScalarModeToUsePointFieldData()
        mapper.SelectColorArray("rgb")
        mapper.SetColorModeToDirectScalars()
        mapper.ScalarVisibilityOn()
        self.actor = pv.Actor(mapper=mapper)
        prop = self.actor.prop
        prop.interpolation = "phong"
        prop.specular, prop.specular_power, prop.ambient, prop.diffuse = specular, 30.0, 0.2, 0.85
        plotter.add_actor(self.actor, reset_camera=False)
        self._xyz = self.points.points  # numpy views on the VTK arrays
        self._scale = self.points.point_data["scale"]

    def update(self, centres: np.ndarray, radii: np.ndarray | None = None) -> None:
        """Move (and resize) every ball in place: same arrays, same actor."""
        self._xyz[:] = centres
        self.points.GetPoints().Modified()
        if radii is not None and not np.array_equal(radii, self._scale):
            self._scale[:] = radii
            self.points.point_data.GetArray("scale").Modified()


class TrailLayer:
    """Growing polylines. ``paths``: list of (n_b, 3) point arrays, one per particle.

    ``tubes``: shaded tubes ``width_px`` wide (VTK expands them in a geometry shader, which
    Mesa's software rasteriser pays per segment); otherwise hairlines of one pixel, the cheap
    choice for swarms of thousands.
    """

    def __init__(self, plotter: pv.Plotter, paths: list[np.ndarray], rgb: np.ndarray,
                 width_px: float, *, tubes: bool = True) -> None:
        self.lengths = np.array([len(p) for p in paths], dtype=np.int64)
        self.starts = np.concatenate([[0], np.cumsum(self.lengths)[:-1]]).astype(np.int64)
        points = np.concatenate(paths) if paths else np.zeros((0, 3))
        self.poly = pv.PolyData()
        self.poly.points = points
        self.poly.SetLines(vtkCellArray())
        self.poly.point_data["rgb"] = np.repeat(np.asarray(rgb, dtype=np.uint8), self.lengths, axis=0)
        self.visible = np.zeros(len(paths), dtype=np.int64)
        self._set_lines(self.visible)
        self.actor = plotter.add_mesh(
            self.poly, scalars="rgb", rgb=True, line_width=width_px if tubes else 1.0,
            render_lines_as_tubes=tubes,
            ambient=0.3, diffuse=0.8, specular=0.2, show_scalar_bar=False, reset_camera=False,
        )  # fmt: skip

    def show(self, counts: np.ndarray) -> None:
        """Draw the first ``counts[b]`` points of each path (a no-op when nothing grew)."""
        counts = np.clip(np.asarray(counts, dtype=np.int64), 0, self.lengths)
        if np.array_equal(counts, self.visible):
            return
        self.visible = counts.copy()
        self._set_lines(counts)

    def _set_lines(self, counts: np.ndarray) -> None:
        drawn = counts >= 2
        n, first = counts[drawn], self.starts[drawn]
        offsets = np.concatenate([[0], np.cumsum(n)]).astype(np.int64)
        total = int(offsets[-1])
        # point index k of line j is first[j] + k: a ramp restarted at every line
        conn = np.arange(total, dtype=np.int64) - np.repeat(offsets[:-1] - first, n)
        cells = self.poly.GetLines()
        cells.SetData(numpy_to_vtkIdTypeArray(offsets, deep=True),
                      numpy_to_vtkIdTypeArray(conn, deep=True))
        self.poly.Modified()


class LandmarkLayer:
    """Fixed marks on the surface (minima, saddles): a ring lying on it at each point.

    Their labels are flat HUD callouts with leader lines (``callouts``), placed where they
    cover no ball, trail or ring; ``outline`` (world points around every ring) is what the
    layout linter protects.
    """

    def __init__(self, plotter: pv.Plotter, points: np.ndarray, normals: np.ndarray, *,
                 radius: float, color: str) -> None:
        lift = 0.02 * radius
        self.points = points + lift * normals
        rings = [pv.Disc(center=p, inner=0.72 * radius, outer=radius, normal=n, r_res=1, c_res=48)
                 for p, n in zip(self.points, normals)]
        self.rings = plotter.add_mesh(pv.merge(rings), color=color, lighting=False,
                                      show_scalar_bar=False, reset_camera=False)
        self.outline = np.concatenate([_circle(p, n, radius) for p, n in zip(self.points, normals)])


def _circle(centre: np.ndarray, normal: np.ndarray, radius: float, n: int = 16) -> np.ndarray:
    """``n`` points of a circle of ``radius`` around ``centre`` in the plane normal to ``normal``."""
    a = np.cross(normal, [1.0, 0.0, 0.0])
    if np.linalg.norm(a) < 1e-6:
        a = np.cross(normal, [0.0, 1.0, 0.0])
    a /= np.linalg.norm(a)
    b = np.cross(normal, a)
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)[:, None]
    return centre + radius * (np.cos(t) * a + np.sin(t) * b)
