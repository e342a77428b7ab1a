"""Landscapes: analytic gradients against finite differences and torch autograd, known facts,
and convergence to each known minimum from a nearby start."""

import math

import numpy as np
import pytest
import torch

import gdengine as gd

from .torch_ref import TORCH_F, torch_value_and_grad

ANALYTIC = [n for n in gd.landscapes() if not gd.landscape(n).is_data]


def _points(land, n=64, seed=0):
    rng = np.random.default_rng(seed)
    lo, hi = np.array(land.view).T
    return lo + (hi - lo) * rng.uniform(size=(n, land.dim))


def test_every_builtin_has_a_torch_twin():
    assert set(ANALYTIC) == set(TORCH_F)


@pytest.mark.parametrize("name", ANALYTIC)
def test_value_and_grad_match_torch_autograd(name):
    land = gd.landscape(name)
    X = _points(land)
    f, g = land.value_and_grad(X)
    tf, tg = torch_value_and_grad(name, X)
    scale = 1.0 + np.abs(tf)
    assert np.max(np.abs(f - tf) / scale) < 1e-13
    gscale = 1.0 + np.abs(tg).max(axis=1, keepdims=True)
    assert np.max(np.abs(g - tg) / gscale) < 1e-12
    np.testing.assert_array_equal(land.f(X), f)
    np.testing.assert_array_equal(land.grad(X), g)


@pytest.mark.parametrize("name", ANALYTIC)
def test_grad_matches_central_differences(name):
    land = gd.landscape(name)
    X = _points(land, 32, seed=1)
    g = land.grad(X)
    h = 1e-6 * (1.0 + np.abs(X))
    fd = np.empty_like(X)
    for d in range(land.dim):
        e = np.zeros_like(X)
        e[:, d] = h[:, d]
        fd[:, d] = (land.f(X + e) - land.f(X - e)) / (2 * h[:, d])
    scale = 1.0 + np.abs(g).max(axis=1, keepdims=True) + np.abs(land.f(X))[:, None] * 1e-3
    assert np.max(np.abs(g - fd) / scale) < 1e-5


@pytest.mark.parametrize("name", ANALYTIC)
def test_metadata(name):
    land = gd.landscape(name)
    D = land.dim
    assert land.name == name and D in (1, 2)
    assert len(land.bounds) == D and all(lo < hi for lo, hi in land.bounds)
    assert len(land.view) == D and all(lo < hi for lo, hi in land.view)
    assert land.formula and land.formula_text and land.formula_text.startswith("f(")
    for pts in (land.minima, land.local_minima, land.saddles):
        assert pts.ndim == 2 and pts.shape[1] == D
        if len(pts):  # critical points, polished to machine precision
            assert np.max(np.abs(land.grad(pts))) < 1e-9
    if len(land.minima):
        np.testing.assert_allclose(land.f(land.minima), land.min_value, atol=1e-12)
        assert np.all(land.f(_points(land, 256)) >= land.min_value - 1e-12)
    for m in land.local_minima:
        assert land.f(m[None])[0] > land.min_value
    assert land.start.shape == (D,)


def test_known_values():
    xc = gd.landscape("xcos")
    assert xc.local_minima[0, 0] == pytest.approx(-0.2739, abs=1e-4)
    assert xc.f(xc.local_minima)[0] == pytest.approx(-0.1786, abs=1e-4)
    assert xc.minima[0, 0] == pytest.approx(1.0904, abs=1e-4)
    assert xc.min_value == pytest.approx(-1.0467, abs=1e-4)
    # the derivative is cos(πx) − πx·sin(πx) (the seed article drops the π)
    x = 0.3
    assert xc.grad([[x]])[0, 0] == pytest.approx(math.cos(math.pi * x) - math.pi * x * math.sin(math.pi * x))
    assert gd.landscape("styblinski_tang").min_value == pytest.approx(-78.3323, abs=1e-4)
    assert gd.landscape("six_hump_camel").min_value == pytest.approx(-1.0316, abs=1e-4)
    assert gd.landscape("goldstein_price").min_value == pytest.approx(3.0, abs=1e-12)
    assert gd.landscape("easom").min_value == -1.0
    # Griewank is the product form: 1 + Σx²/4000 − Π cos(x_i/√i)
    g = gd.landscape("griewank")
    x, y = 2.0, -3.0
    assert g.f([[x, y]])[0] == pytest.approx(1 + (x * x + y * y) / 4000 - math.cos(x) * math.cos(y / math.sqrt(2)))
    h = gd.landscape("himmelblau")
    assert len(h.minima) == 4 and len(h.saddles) == 4
    assert gd.landscape("ravine", kappa=100).grad([[1.0, 1.0]]).tolist() == [[1.0, 100.0]]


def _lmax(land, x):
    """Largest Hessian eigenvalue at x (central differences of the analytic gradient)."""
    D = land.dim
    H = np.empty((D, D))
    for j in range(D):
        e = np.zeros(D)
        e[j] = 1e-6
        H[:, j] = (land.grad((x + e)[None])[0] - land.grad((x - e)[None])[0]) / 2e-6
    return np.max(np.abs(np.linalg.eigvalsh(0.5 * (H + H.T))))


TWO_D = [n for n in ANALYTIC if gd.landscape(n).dim == 2 and len(gd.landscape(n).minima)]


@pytest.mark.parametrize("name", TWO_D)
def test_descent_reaches_each_known_minimum_from_nearby(name):
    land = gd.landscape(name)
    mins = land.minima
    rng = np.random.default_rng(2)
    offs = rng.normal(size=mins.shape)
    starts = mins + 0.3 * land.basin_radius * offs / np.linalg.norm(offs, axis=1, keepdims=True)
    if name == "ackley":  # a cone tip: |grad| never vanishes, so stop on the value instead
        traj = gd.descend(land, gd.optimizer("sgd", lr=1e-3), starts, 10_000,
                          stop_loss=land.min_value + 1e-2, record=("values",))
    else:
        lr = 0.9 / max(_lmax(land, m) for m in mins)
        traj = gd.descend(land, gd.optimizer("sgd", lr=lr), starts, 200_000, tol=1e-6,
                          record=("values",), backend="numpy")
    assert traj.status.tolist() == ["converged"] * len(mins)
    assert traj.basin.tolist() == list(range(len(mins)))
    assert np.max(np.abs(traj.final - mins)) < 1e-2


def test_data_losses_match_torch_autograd():
    for land in (gd.landscape("linear_regression"), gd.landscape("quadratic_fit")):
        rng = np.random.default_rng(3)
        W = land.minima + rng.normal(size=(5, land.dim))
        Phi = torch.tensor(land.features)
        y = torch.tensor(land.data.y)
        w = torch.tensor(W, requires_grad=True)
        loss = ((w @ Phi.T - y) ** 2).mean(dim=1)
        loss.sum().backward()
        np.testing.assert_allclose(land.f(W), loss.detach().numpy(), rtol=1e-13)
        np.testing.assert_allclose(land.grad(W), w.grad.numpy(), rtol=1e-12, atol=1e-12)
        idx = np.array([3, 7, 7, 1])  # a mini-batch (shared by every particle)
        w.grad = None
        (((w @ Phi[idx].T - y[idx]) ** 2).mean(dim=1)).sum().backward()
        np.testing.assert_allclose(land.grad(W, idx), w.grad.numpy(), rtol=1e-12, atol=1e-12)
        per = np.stack([idx + i for i in range(5)])  # one batch per particle
        want = np.stack([land.grad(W[i:i + 1], per[i])[0] for i in range(5)])
        np.testing.assert_allclose(land.grad(W, per), want, rtol=1e-14)


def test_datasets_are_seeded_and_described():
    a, b = gd.datasets.linear(50, w=2, b=1, noise=0.3, seed=4), gd.datasets.linear(50, w=2, b=1, noise=0.3, seed=4)
    np.testing.assert_array_equal(a.x, b.x)
    np.testing.assert_array_equal(a.y, b.y)
    assert a.info["seed"] == 4 and len(a) == 50
    c = gd.datasets.linear(50, w=2, b=1, noise=0.3, seed=5)
    assert not np.array_equal(a.y, c.y)
    land = gd.landscape("linear_regression", data=a)
    w_ls, b_ls = land.minima[0]
    assert abs(w_ls - 2) < 0.5 and abs(b_ls - 1) < 0.5
    q = gd.landscape("quadratic_fit")
    np.testing.assert_allclose(q.data.x, np.arange(100) * 0.01)
    np.testing.assert_allclose(q.minima[0], [2, 3, 4], atol=1e-9)


def test_user_landscape_without_editing_the_library():
    bowl = gd.Landscape("test_bowl", f=lambda X: (X ** 2).sum(1) / 2, grad=lambda X: X.copy(),
                        bounds=[(-1, 1), (-1, 1)], minima=[[0, 0]], formula="f = |x|^2 / 2")
    gd.register_landscape(bowl, overwrite=True)
    assert "test_bowl" in gd.landscapes()
    traj = gd.descend("test_bowl", gd.optimizer("sgd", lr=0.5), [[0.8, -0.4]], 100, tol=1e-8)
    assert traj.status.tolist() == ["converged"] and traj.basin.tolist() == [0]

    @gd.register_landscape("test_tilted", overwrite=True)
    def tilted(slope=1.0):
        return gd.Landscape("test_tilted", f=lambda X: slope * X[:, 0] + X[:, 0] ** 2,
                            grad=lambda X: slope + 2 * X, bounds=[(-2, 2)], params={"slope": slope})

    assert gd.landscape("test_tilted", slope=2.0).grad([[0.0]]).tolist() == [[2.0]]
    with pytest.raises(gd.GdengineError, match="already registered"):
        gd.register_landscape("test_tilted", tilted)
