"""Colour by the minimum reached, including minima the engine does not list."""

from __future__ import annotations

import numpy as np

import gdengine as gd
from gdengine.render3d import colors
from gdengine.render3d.outcomes import classify


def grid(box, n):
    (x0, x1), (y0, y1) = box
    X, Y = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
    return np.column_stack([X.ravel(), Y.ravel()])


def test_himmelblau_particles_take_the_colour_of_their_known_minimum():
    land = gd.landscape("himmelblau")
    traj = gd.descend(land, gd.optimizer("sgd", lr=0.01), grid(((-5, 5), (-4.5, 3.5)), 10), 5000,
                      tol=0.01, cache=True)
    out = classify(land, traj, span=10.0, f_range=890.0)
    assert len(out.points) == 4 and out.stalled == 0
    for i in range(traj.B):
        b = int(traj.basin[i])
        assert np.array_equal(out.rgb[i], colors.rgb8(colors.basin_color(b)))
    assert sum(out.count(g) for g in range(4)) == 100


def test_griewank_local_minima_are_found_and_kept_apart():
    land = gd.landscape("griewank")
    traj = gd.descend(land, gd.optimizer("sgd", lr=0.5), grid(((-9, 9), (-9, 9)), 8), 3000,
                      tol=1e-3, cache=True)
    out = classify(land, traj, span=20.0, f_range=2.0)
    assert out.stalled == 0  # every stop in a dip is a minimum, not a stall
    assert len(out.points) > 5 and out.known[0] == 0 and (out.known[1:] == -1).all()
    assert len({tuple(np.round(p, 3)) for p in out.points}) == len(out.points)


def test_easom_plateau_stops_stay_stalled_and_grey():
    land = gd.landscape("easom")
    traj = gd.descend(land, gd.optimizer("sgd", lr=0.2), grid(land.view, 8), 3000, tol=1e-3, cache=True)
    out = classify(land, traj, span=6.0, f_range=1.0)
    never_moved = traj.stopped_at == 0
    assert never_moved.sum() > 5
    assert (out.group[never_moved] == -1).all()
    assert (out.rgb[never_moved] == colors.rgb8(colors.STALLED)).all()
    assert out.count(0) == int((traj.basin == 0).sum()) > 0
