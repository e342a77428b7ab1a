"""The MLP landscape against torch (gradient, 300-step runs of SGD, momentum and Adam), its
batching and chunking, the compiled loss, the data sets, the plane tools, and bad input."""

import numpy as np
import pytest

import gdengine as gd
from gdengine.core import networks, planes

torch = pytest.importorskip("torch")


def torch_net(land):
    """A torch copy of the landscape's network: nn.Sequential of Linear + activation."""
    layers = []
    for j, (o, i) in enumerate(land.shapes):
        layers.append(torch.nn.Linear(i, o, dtype=torch.float64))
        if j < len(land.shapes) - 1:
            layers.append({"tanh": torch.nn.Tanh, "relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid}[land.activation]())
    return torch.nn.Sequential(*layers)


def load(net, land, w):
    with torch.no_grad():
        linears = [m for m in net if isinstance(m, torch.nn.Linear)]
        for m, (ws, bs), (o, i) in zip(linears, land.slices, land.shapes):
            m.weight.copy_(torch.tensor(w[ws].reshape(o, i)))
            m.bias.copy_(torch.tensor(w[bs]))


def flat_grad(net):
    return np.concatenate([np.concatenate([m.weight.grad.numpy().ravel(), m.bias.grad.numpy()])
                           for m in net if isinstance(m, torch.nn.Linear)])


@pytest.mark.parametrize("activation", networks.ACTIVATIONS)
def test_loss_and_gradient_match_torch_autograd(activation):
    land = gd.landscape("mlp", activation=activation, hidden=(16, 8))
    rng = np.random.default_rng(3)
    W = land.initial(1) + 0.3 * rng.standard_normal((4, land.dim))
    F, G = land.value_and_grad(W)
    x, y = torch.tensor(land.data.x), torch.tensor(land.data.y)
    for b in range(len(W)):
        net = torch_net(land)
        load(net, land, W[b])
        loss = torch.nn.functional.binary_cross_entropy_with_logits(net(x)[:, 0], y)
        loss.backward()
        g = flat_grad(net)
        assert abs(F[b] - loss.item()) <= 1e-12 * abs(loss.item())
        assert np.max(np.abs(G[b] - g)) <= 1e-10 * np.max(np.abs(g))


def test_minibatch_gradients_match_torch_on_the_same_samples():
    land = gd.landscape("mlp")
    w = land.initial(0)
    idx = np.array([[3, 17, 150, 199], [0, 1, 2, 3]])
    G = land.grad(np.stack([w, w]), idx)
    for b in range(2):
        net = torch_net(land)
        load(net, land, w)
        x, y = torch.tensor(land.data.x[idx[b]]), torch.tensor(land.data.y[idx[b]])
        torch.nn.functional.binary_cross_entropy_with_logits(net(x)[:, 0], y).backward()
        np.testing.assert_allclose(G[b], flat_grad(net), rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("name, hyper, torch_opt", [
    ("sgd", {"lr": 0.5}, lambda p: torch.optim.SGD(p, lr=0.5)),
    ("momentum", {"lr": 0.1}, lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9)),
    ("adam", {"lr": 0.01}, lambda p: torch.optim.Adam(p, lr=0.01)),
])
def test_300_steps_match_torch_optim(name, hyper, torch_opt):
    land = gd.landscape("mlp")
    w0 = land.initial(0)
    traj = gd.descend(land, gd.optimizer(name, **hyper), [w0], 300, record=("positions", "values"))
    net = torch_net(land)
    load(net, land, w0)
    opt = torch_opt(net.parameters())
    x, y = torch.tensor(land.data.x), torch.tensor(land.data.y)
    for _ in range(300):
        opt.zero_grad()
        torch.nn.functional.binary_cross_entropy_with_logits(net(x)[:, 0], y).backward()
        opt.step()
    w_torch = np.concatenate([np.concatenate([m.weight.detach().numpy().ravel(), m.bias.detach().numpy()])
                              for m in net if isinstance(m, torch.nn.Linear)])
    np.testing.assert_allclose(traj.positions[-1, 0], w_torch, rtol=1e-10, atol=1e-10)
    assert traj.values[-1, 0] < 0.05 < traj.values[0, 0]  # it learned the moons
    assert land.accuracy(traj.positions[-1])[0] == 1.0


def test_a_flat_gradient_counts_as_converged():
    land = gd.landscape("mlp", hidden=(4,))
    traj = gd.descend(land, gd.optimizer("adam", lr=0.05), [land.initial(0)], 3000, tol=2e-3)
    assert traj.status[0] == "converged" and traj.stopped_at[0] < 3000 and len(land.known_minima) == 0


def test_the_compiled_loss_equals_the_numpy_one_and_chunks_keep_results():
    land = gd.landscape("mlp")
    W = land.initial(0) + 0.2 * np.random.default_rng(0).standard_normal((300, land.dim))
    reference = land._value_and_grad_chunk(W)[0]
    compiled = networks._compiled()(W, land.data.x, land.data.y, np.array(land.sizes), 0)
    np.testing.assert_allclose(compiled, reference, rtol=1e-13)
    np.testing.assert_allclose(land.f(W), reference, rtol=1e-13)  # 300 × 200 ≥ COMPILED_FROM
    small = networks.CHUNK_BYTES
    try:
        networks.CHUNK_BYTES = 8 * 200 * 16 * 7  # chunks of 7 vectors
        F, G = land.value_and_grad(W[:30])
    finally:
        networks.CHUNK_BYTES = small
    F2, G2 = land.value_and_grad(W[:30])
    np.testing.assert_array_equal(F, F2)
    np.testing.assert_array_equal(G, G2)


def test_initial_weights_and_data_are_reproducible_by_seed():
    a, b = gd.landscape("mlp", seed=0), gd.landscape("mlp", seed=0)
    assert np.array_equal(a.data.x, b.data.x) and np.array_equal(a.initial(5), b.initial(5))
    assert not np.array_equal(a.initial(5), a.initial(6))
    assert not np.array_equal(a.data.x, gd.landscape("mlp", seed=1).data.x)
    for name in networks.DATASETS:
        d = getattr(gd.datasets, name)(n=200, seed=2)
        assert d.x.shape == (200, 2) and sorted(set(d.y)) == [0.0, 1.0] and d.y.sum() == 100
        assert np.array_equal(d.x, getattr(gd.datasets, name)(n=200, seed=2).x)
    assert gd.landscape("mlp").dim == 2 * 16 + 16 + 16 * 16 + 16 + 16 + 1  # 337 weights


@pytest.mark.parametrize("kwargs, match", [
    ({"data": "circles"}, "unknown data 'circles'; valid choices: moons, spirals, xor"),
    ({"hidden": (16, 0)}, "hidden must be 1 to 4 layer widths"),
    ({"hidden": "wide"}, "hidden must be 1 to 4 layer widths"),
    ({"activation": "gelu"}, "unknown activation 'gelu'; valid choices: tanh, relu, sigmoid"),
    ({"data": 3}, "data must be one of moons, spirals, xor"),
])
def test_bad_network_settings_name_the_valid_choices(kwargs, match):
    with pytest.raises(gd.GdengineError, match=match) as err:
        gd.landscape("mlp", **kwargs)
    assert "\n" not in str(err.value)


def test_the_plane_through_the_start_and_two_ends_holds_them_and_its_surface_is_the_loss():
    land = gd.landscape("mlp")
    w0 = land.initial(0)
    runs = [gd.descend(land, gd.optimizer(n, lr=lr), [w0], 60, record=("positions",)).positions[:, 0]
            for n, lr in (("sgd", 0.5), ("momentum", 0.1), ("adam", 0.01))]
    plane = planes.plane_through(w0, runs[0][-1], runs[2][-1])
    assert plane.distance(np.stack([w0, runs[0][-1], runs[2][-1]])).max() < 1e-9
    assert plane.distance(runs[1]).max() > 1e-3  # the third run leaves the plane: say so
    np.testing.assert_allclose(plane.axes @ plane.axes.T, np.eye(2), atol=1e-12)
    corners = plane.coords(np.stack([w0, runs[0][-1], runs[2][-1]]))
    window = ((corners[:, 0].min(), corners[:, 0].max()), (corners[:, 1].min(), corners[:, 1].max()))
    a, b, S = planes.surface(land, plane, window, n=11)
    # a grid node that is an anchor point: its loss is the anchor's loss
    at = plane.point([a[0], b[np.argmin(np.abs(b - corners[0, 1]))]])
    assert S[np.argmin(np.abs(b - corners[0, 1])), 0] == pytest.approx(land.f(at[None])[0], rel=1e-12)
    a, b, S = planes.surface(land, plane, ((0.0, corners[1, 0]), (0.0, corners[2, 1])), n=2)
    assert S[0, 0] == pytest.approx(land.f(w0[None])[0], rel=1e-12)  # the origin is the start
    assert S[0, 1] == pytest.approx(land.f(runs[0][-1][None])[0], rel=1e-9)  # the first end
    pca = planes.pca_plane(runs, w0)
    assert np.all(pca.distance(runs[0]) <= np.linalg.norm(runs[0] - w0, axis=1) + 1e-12)


def test_filter_normalized_directions_match_each_neurons_norm():
    land = gd.landscape("mlp")
    w = land.initial(0)
    t, loss, d = planes.filter_normalized_slice(land, w, seed=4, n=5)
    for (ws, bs), (o, i) in zip(land.slices, land.shapes):
        np.testing.assert_allclose(np.linalg.norm(d[ws].reshape(o, i), axis=1),
                                   np.linalg.norm(w[ws].reshape(o, i), axis=1), rtol=1e-12)
        assert not d[bs].any()
    assert loss[2] == pytest.approx(land.f(w[None])[0], rel=1e-12) and len(t) == 5
