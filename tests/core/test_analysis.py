"""Basins, 1-D outcome classes and the batched sweep behind the learning-rate explainer."""

import numpy as np
import pytest

import gdengine as gd


@pytest.fixture(scope="module")
def xcos_sweep():
    return gd.sweep("xcos", "sgd", -1.0, "lr", np.round(np.arange(0.0025, 0.6, 0.0025), 4),
                    steps=3000)


def test_xcos_basin_is_between_its_maxima():
    lo, hi = gd.basin_interval(gd.landscape("xcos"), -1.0)
    assert lo == pytest.approx(-1.0904082, abs=1e-6) and hi == pytest.approx(0.2738527, abs=1e-6)


def test_learning_rate_windows(xcos_sweep):
    """The storyboard's windows on x·cos(πx) from −1 come out of one batched run."""
    r = xcos_sweep.ranges()
    assert r["converged"] == (0.0025, 0.305)
    assert r["oscillating"][0] == 0.3075
    assert 0.40 <= r["chaotic"][0] <= 0.41 and r["chaotic"][1] == 0.475
    assert r["escaped"] == (0.4775, 0.5275)
    assert r["diverged"][0] == 0.53
    # converged runs settle in the local minimum, never the global one
    conv = xcos_sweep.outcome == "converged"
    land = gd.landscape("xcos")
    np.testing.assert_allclose(xcos_sweep.final[conv][-5:, 0], land.local_minima[0, 0], atol=1e-6)
    assert not np.any((xcos_sweep.outcome == "converged") & (xcos_sweep.basin == 0))
    assert xcos_sweep.period[xcos_sweep.values == 0.35][0] == 2


def test_sweep_is_one_batch_and_equals_single_runs(xcos_sweep):
    assert xcos_sweep.trajectory.B == len(xcos_sweep.values)
    i = int(np.flatnonzero(xcos_sweep.values == 0.4)[0])
    one = gd.descend("xcos", gd.optimizer("sgd", lr=0.4), -1.0, 3000)
    np.testing.assert_array_equal(one.positions[:, 0], xcos_sweep.trajectory.positions[:, i])
    v, x = xcos_sweep.bifurcation(50)
    assert v.shape == x.shape and np.isfinite(x).all()
    assert 0.1 < xcos_sweep.representative("converged") < 0.31


def test_diverged_is_frozen_and_finite(xcos_sweep):
    t = xcos_sweep.trajectory
    div = np.flatnonzero(t.status == "diverged")
    assert len(div)
    for b in div:
        s = t.stopped_at[b]
        assert np.all(t.positions[s:, b] == t.positions[s, b])
    assert np.isfinite(t.positions).all()


def test_sweep_rejects_unknown_parameter():
    with pytest.raises(gd.GdengineError, match="valid"):
        gd.sweep("xcos", "sgd", -1.0, "betas", [0.1])


def test_beta_sweep_2d():
    s = gd.sweep("himmelblau", "adam", [-0.4, -0.65], "beta1", [0.0, 0.5, 0.9], steps=50,
                 hyper={"lr": 0.05})
    assert s.outcome.shape == (3,) and s.final.shape == (3, 2)


def test_himmelblau_basins_cover_all_four_minima():
    land = gd.landscape("himmelblau")
    g = np.linspace(-4.5, 4.5, 12)
    X = np.stack(np.meshgrid(g, g), -1).reshape(-1, 2)
    t = gd.descend(land, gd.optimizer("sgd", lr=0.01), X, 2000, tol=1e-6, record=("values",))
    assert set(t.basin[t.status == "converged"]) == {0, 1, 2, 3}
    np.testing.assert_array_equal(gd.basins(land, land.minima), [0, 1, 2, 3])
