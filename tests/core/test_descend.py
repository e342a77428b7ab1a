"""descend(): stop rules, statuses, divergence, records, stochastic gradients, persistence."""

import json
import warnings

import numpy as np
import pytest

import gdengine as gd
from gdengine.core import cache as gd_cache


def test_stalled_away_from_minima():
    cubic = gd.descend("cubic", gd.optimizer("sgd", lr=0.1), 1.0, 5000, tol=1e-2)
    assert cubic.status.tolist() == ["stalled"] and cubic.basin.tolist() == [-1]
    assert 0 < cubic.final[0, 0] < 0.06
    ridge = gd.descend("saddle", gd.optimizer("sgd", lr=0.1), [[1.8, 0.0]], 500, tol=1e-3)
    assert ridge.status.tolist() == ["stalled"] and abs(ridge.final[0, 0]) < 1e-3
    plain = gd.descend("easom", gd.optimizer("sgd", lr=0.1), [[0.5, 0.5], [3.0, 3.1]], 500, tol=1e-3)
    assert plain.status.tolist() == ["stalled", "converged"]
    assert plain.stopped_at[0] == 0 and plain.basin.tolist() == [-1, 0]


def test_stopped_particles_are_frozen_and_T_is_the_longest_run():
    traj = gd.descend("parabola", gd.optimizer("sgd", lr=0.1), [1.8, 0.5, 0.001], 1000, tol=0.01)
    assert traj.stopped_at.tolist() == [27, 21, 0]
    assert traj.T == 27 and traj.positions.shape == (28, 3, 1) and traj.updates.shape == (27, 3, 1)
    for b, s in enumerate(traj.stopped_at):
        assert np.all(traj.positions[s:, b] == traj.positions[s, b])
        assert np.all(traj.updates[s:, b] == 0)
    np.testing.assert_allclose(traj.positions[1:] - traj.positions[:-1], traj.updates, atol=1e-15)
    np.testing.assert_array_equal(traj.positions[:-1] + traj.updates, traj.positions[1:])


def test_divergence_is_frozen_finite_and_silent():
    starts = [[2.0, 2.0], [1.0, 1.0], [-1.5, 2.5]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        traj = gd.descend("rosenbrock", gd.optimizer("momentum", lr=0.01), starts, 300)
    assert traj.status[0] == "diverged" and traj.status[1] != "diverged"
    s = traj.stopped_at[0]
    assert 0 < s < 300 and traj.basin[0] == -1
    for name in ("positions", "values", "grads", "updates"):
        assert np.isfinite(getattr(traj, name)).all()
    assert all(np.isfinite(v).all() for v in traj.state.values())
    assert np.all(traj.positions[s:, 0] == traj.positions[s, 0])
    lo, hi = np.array(gd.landscape("rosenbrock").limits).T
    assert np.all((traj.positions >= lo) & (traj.positions <= hi))
    bounce = gd.descend("parabola", gd.optimizer("sgd", lr=1.1), 1.8, 500)
    assert bounce.status.tolist() == ["diverged"] and np.isfinite(bounce.positions).all()


def test_record_subsets_leave_fields_absent():
    land, opt = gd.landscape("himmelblau"), gd.optimizer("adam", lr=0.1)
    full = gd.descend(land, opt, [[-0.4, -0.65]], 50)
    assert set(full.state) == {"exp_avg", "exp_avg_sq"}
    assert full.state["exp_avg"].shape == (51, 1, 2)
    part = gd.descend(land, opt, [[-0.4, -0.65]], 50, record=("values", "exp_avg"))
    np.testing.assert_array_equal(part.values, full.values)
    assert set(part.state) == {"exp_avg"}
    with pytest.raises(AttributeError, match="not recorded"):
        part.positions
    np.testing.assert_array_equal(part.final, full.positions[-1])
    assert full.state["exp_avg"][0].tolist() == [[0.0, 0.0]]


def test_per_particle_hyper_must_match_batch():
    with pytest.raises(gd.GdengineError, match="per-particle"):
        gd.descend("xcos", gd.optimizer("sgd", lr=np.array([0.1, 0.2])), [1.0, 2.0, 3.0], 5)


@pytest.mark.parametrize("kwargs,match", [
    (dict(starts=[[np.nan]]), "finite"),
    (dict(starts=[[1.0, 2.0]]), "shape"),
    (dict(steps=-1), "steps"),
    (dict(steps=2.5), "steps"),
    (dict(tol=-1.0), "tol"),
    (dict(record=("positions", "velocity")), "valid"),
    (dict(batch_size=4), "data landscapes"),
    (dict(order="random"), "valid choices"),
    (dict(backend="gpu"), "valid choices"),
])
def test_bad_input_is_one_clear_error(kwargs, match):
    args = dict(landscape="parabola", optimizer="sgd", starts=[[1.0]], steps=10)
    args.update(kwargs)
    with pytest.raises(gd.GdengineError, match=match):
        gd.descend(**args)


@pytest.mark.parametrize("name,hyper,match", [
    ("sgd", dict(lr=-0.1), "lr"),
    ("adam", dict(betas=(0.9, 1.0)), r"betas\[1\]"),
    ("adam", dict(betas=(-0.1, 0.9)), r"betas\[0\]"),
    ("sgd", dict(nesterov=True), "Nesterov"),
    ("sgd", dict(lr=float("nan")), "finite"),
    ("adam", dict(momentum=0.9), "valid"),
    ("adamm", {}, "valid choices"),
])
def test_bad_optimizer_settings(name, hyper, match):
    with pytest.raises(gd.GdengineError, match=match):
        gd.optimizer(name, **hyper)


def test_quadratic_fit_stop_loss_one_sample_in_order():
    """The tutorial's coda: y = 2x² + 3x + 4, w = (1, 0, −1), lr 0.1, one sample at a time in
    order, until the full-data MSE is below 1e-4."""
    land = gd.landscape("quadratic_fit")
    traj = gd.descend(land, gd.optimizer("sgd", lr=0.1), [[1.0, 0.0, -1.0]], 100_000,
                      stop_loss=1e-4, batch_size=1, order="cycle", record=("positions", "values"))
    assert traj.status.tolist() == ["converged"]
    n = int(traj.stopped_at[0])
    assert traj.values[n, 0] < 1e-4 <= traj.values[n - 1, 0]
    assert n == 9135  # what the explainer shows
    # the same updates as the tutorial's own loop (per-sample gradient 2·(ŷ − y)·features)
    w = np.array([1.0, 0.0, -1.0])
    x, y = land.data.x, land.data.y
    for t in range(300):
        xi, yi = x[t % 100], y[t % 100]
        phi = np.array([xi * xi, xi, 1.0])
        w = w - 0.1 * 2 * (w @ phi - yi) * phi
        np.testing.assert_allclose(traj.positions[t + 1, 0], w, rtol=1e-12, atol=1e-12)


def test_minibatches_are_seeded_and_shuffle_each_epoch():
    land = gd.landscape("linear_regression")
    opt = gd.optimizer("sgd", lr=0.05)
    a = gd.descend(land, opt, [land.start], 200, batch_size=10, seed=7)
    b = gd.descend(land, opt, [land.start], 200, batch_size=10, seed=7)
    c = gd.descend(land, opt, [land.start], 200, batch_size=10, seed=8)
    np.testing.assert_array_equal(a.positions, b.positions)
    assert not np.array_equal(a.positions, c.positions)
    full = gd.descend(land, opt, [land.start], 200)
    np.testing.assert_allclose(full.grads[:-1], land.grad(full.positions[:-1, 0])[:, None], rtol=1e-13)
    # values are always the full-data loss, even for stochastic steps
    np.testing.assert_allclose(a.values[:, 0], land.f(a.positions[:, 0]), rtol=1e-13)
    # one epoch of shuffled single samples visits every sample once: the summed per-sample
    # gradients at a fixed point equal n × the full gradient
    n = land.n_samples
    fixed = gd.descend(land, gd.optimizer("sgd", lr=0.0), [land.start], n - 1, batch_size=1, seed=3)
    np.testing.assert_allclose(fixed.grads[:, 0].sum(0), n * land.grad([land.start])[0], rtol=1e-10)
    assert fixed.status.tolist() == ["max_steps"]


def test_save_load_exact_round_trip(tmp_path):
    traj = gd.descend("himmelblau", gd.optimizer("adam", lr=0.05, amsgrad=True),
                      [[-0.4, -0.65], [4.0, 4.0]], 120, tol=1e-3)
    path = traj.save(tmp_path / "run.npz")
    back = gd.Trajectory.load(path)
    assert back == traj
    assert back.meta == traj.meta and json.dumps(back.meta, sort_keys=True)
    assert back.status.tolist() == traj.status.tolist()
    for k in ("positions", "values", "grads", "updates"):
        assert getattr(back, k).dtype == np.float64
        np.testing.assert_array_equal(getattr(back, k), getattr(traj, k))
    assert traj.meta["optimizer"] == {"name": "adam", "hyper": {
        "lr": 0.05, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": 0.0, "amsgrad": True,
        "bias_correction": True, "decoupled_weight_decay": False}}
    assert traj.meta["starts"] == [[-0.4, -0.65], [4.0, 4.0]] and traj.meta["engine"]["version"]
    (tmp_path / "bad.npz").write_bytes(b"not a zip")
    with pytest.raises(gd.GdengineError, match="cannot read"):
        gd.Trajectory.load(tmp_path / "bad.npz")


def test_cache_hit_miss_corrupt_and_engine_edit(tmp_path, monkeypatch):
    monkeypatch.setenv("GDENGINE_CACHE_DIR", str(tmp_path))
    args = ("xcos", gd.optimizer("sgd", lr=0.2), [-1.0, 0.5], 100)
    first = gd.descend(*args, tol=1e-4, cache=True)
    files = list(tmp_path.glob("*.npz"))
    assert len(files) == 1
    import sys

    D = sys.modules["gdengine.core.descend"]

    def boom(*a, **k):
        raise AssertionError("recomputed")

    with monkeypatch.context() as m:
        m.setattr(D, "_run_numpy", boom)
        assert gd.descend(*args, tol=1e-4, cache=True) == first  # a hit
    files[0].write_bytes(files[0].read_bytes()[:100])  # truncated
    again = gd.descend(*args, tol=1e-4, cache=True)
    assert again == first
    gd.descend(*args, tol=1e-5, cache=True)  # another input, another file
    assert len(list(tmp_path.glob("*.npz"))) == 2
    monkeypatch.setattr(gd_cache, "engine_hash", lambda: "edited")
    gd.descend(*args, tol=1e-4, cache=True)  # an engine edit invalidates
    assert len(list(tmp_path.glob("*.npz"))) == 3


def test_cache_dir_is_project_root(tmp_path, monkeypatch):
    monkeypatch.delenv("GDENGINE_CACHE_DIR", raising=False)
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "a" / "b").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "a" / "b")
    assert gd_cache.cache_dir() == tmp_path / ".cache" / "trajectories"


def test_user_optimizer_without_editing_the_library():
    def sign_sgd(lr=0.01):
        def init(X):
            return ()

        def update(G, state, X):
            return -lr * np.sign(G), state

        return init, update, ()

    gd.register_optimizer("test_sign_sgd", sign_sgd, overwrite=True)
    assert "test_sign_sgd" in gd.optimizers()
    assert gd.hyper_defaults("test_sign_sgd") == {"lr": 0.01}
    traj = gd.descend("parabola", gd.optimizer("test_sign_sgd", lr=0.25), 1.0, 10)
    assert traj.positions[:5, 0, 0].tolist() == [1.0, 0.75, 0.5, 0.25, 0.0]
    assert traj.meta["backend"] == "numpy"
