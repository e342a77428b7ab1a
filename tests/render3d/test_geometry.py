"""Display heights and the adaptive surface mesh."""

from __future__ import annotations

import numpy as np
import pytest

import gdengine as gd
from gdengine.errors import GdengineError
from gdengine.render3d.heights import HeightMap
from gdengine.render3d.mesh import adaptive_surface, max_deviation, uniform_surface


def tri_areas(points, triangles):
    a, b, c = (points[triangles[:, k], :2] for k in range(3))
    return 0.5 * ((b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (c[:, 0] - a[:, 0]))


def test_heights_span_zero_to_relief():
    land = gd.landscape("himmelblau")
    h = HeightMap.build(land, relief=0.3)
    assert h.span == pytest.approx(10.0)
    assert h.z_max == pytest.approx(3.0)
    z = h.z_at(np.array([[3.0, 2.0], [5.0, 5.0], [0.0, 0.0]]))
    assert z[0] == pytest.approx(0.0, abs=1e-6)  # a global minimum
    assert z[1] == pytest.approx(h.z_max)  # the corner is the largest value in the window
    assert 0 < z[2] < h.z_max


def test_clip_cuts_flat_and_log_compresses():
    land = gd.landscape("himmelblau")
    clipped = HeightMap.build(land, clip=100.0)
    assert clipped.f_cap == 100.0
    assert clipped.z(np.array([500.0]))[0] == pytest.approx(clipped.z_max)
    linear, logged = HeightMap.build(land), HeightMap.build(land, log=True, log_ref=20.0)
    mid = np.array([[0.0, 0.0]])  # f = 170, well below the corners' 890
    assert logged.z_at(mid)[0] / logged.z_max > linear.z_at(mid)[0] / linear.z_max


def test_normals_are_unit_and_perpendicular_to_the_surface():
    land = gd.landscape("six_hump_camel")
    h = HeightMap.build(land, relief=0.3)
    XY = np.array([[0.3, -0.2], [-1.2, 0.5], [1.5, 0.7]])
    points, normals = h.lift(XY)
    assert np.allclose(np.linalg.norm(normals, axis=1), 1.0)
    eps = 1e-6
    for k in range(2):
        d = np.zeros(2)
        d[k] = eps
        tangent = np.column_stack([np.tile(d, (3, 1)), h.z_at(XY + d) - h.z_at(XY - d)])
        tangent[:, k] *= 2
        assert np.allclose(np.sum(tangent * normals, axis=1), 0.0, atol=1e-6)


@pytest.mark.parametrize("bad", [{"window": ((1, 0), (0, 1))}, {"relief": 0.0}, {"clip": -1e9}])
def test_bad_height_settings_are_one_line_errors(bad):
    with pytest.raises(GdengineError) as err:
        HeightMap.build(gd.landscape("sphere"), **bad)
    assert "\n" not in str(err.value)


def test_one_dimensional_landscape_is_refused():
    with pytest.raises(GdengineError, match="2-D"):
        HeightMap.build(gd.landscape("parabola"))


def test_adaptive_mesh_covers_the_window_without_cracks_within_budget():
    land = gd.landscape("himmelblau")
    h = HeightMap.build(land, log=True, log_ref=20.0)
    mesh = adaptive_surface(h, 6000)
    assert mesh.n_triangles <= 6000
    areas = tri_areas(mesh.points, mesh.triangles)
    assert (areas > 0).all()  # counter-clockwise from above: normals point up
    assert areas.sum() == pytest.approx(100.0, rel=1e-9)  # exactly the 10×10 window
    assert np.allclose(mesh.points[:, 2], h.z_at(mesh.points[:, :2]))  # vertices on the surface


def test_adaptive_mesh_beats_a_uniform_grid_of_the_same_size():
    land = gd.landscape("himmelblau")
    h = HeightMap.build(land, log=True, log_ref=20.0)
    mesh = adaptive_surface(h, 6000)
    grid = uniform_surface(h, int(np.ceil(np.sqrt(mesh.n_triangles / 2))) + 1)
    assert grid.n_triangles >= mesh.n_triangles
    assert max_deviation(h, mesh) < 0.5 * max_deviation(h, grid)


def test_too_small_a_budget_is_refused():
    with pytest.raises(GdengineError, match="max_triangles"):
        adaptive_surface(HeightMap.build(gd.landscape("sphere")), 10)
