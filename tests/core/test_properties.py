"""Property tests: any finite start, any optimizer — finite arrays, right shapes, valid statuses."""

import warnings

import numpy as np
from hypothesis import HealthCheck, given, settings, strategies as st

import gdengine as gd
from gdengine.core.trajectory import STATUSES

LANDS = [n for n in gd.landscapes() if not n.startswith("test_")]
OPTS = {
    "sgd": st.fixed_dictionaries({"lr": st.floats(0, 2)}),
    "momentum": st.fixed_dictionaries({"lr": st.floats(0, 1), "momentum": st.floats(0, 0.999)}),
    "nesterov": st.fixed_dictionaries({"lr": st.floats(0, 1), "weight_decay": st.floats(0, 1)}),
    "adagrad": st.fixed_dictionaries({"lr": st.floats(0, 5), "eps": st.floats(0, 1e-3)}),
    "rmsprop": st.fixed_dictionaries({"lr": st.floats(0, 1), "centered": st.booleans(),
                                      "momentum": st.floats(0, 0.99)}),
    "adam": st.fixed_dictionaries({"lr": st.floats(0, 5), "amsgrad": st.booleans(),
                                   "bias_correction": st.booleans(),
                                   "betas": st.tuples(st.floats(0, 0.999), st.floats(0, 0.9999))}),
    "adamw": st.fixed_dictionaries({"lr": st.floats(0, 5), "weight_decay": st.floats(0, 10)}),
}
finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e300, max_value=1e300)


@st.composite
def runs(draw):
    name = draw(st.sampled_from(LANDS))
    land = gd.landscape(name)
    B = draw(st.integers(1, 4))
    scale = draw(st.sampled_from([1.0, 10.0, 1e6, 1e300]))
    starts = np.array(draw(st.lists(st.lists(finite, min_size=land.dim, max_size=land.dim),
                                    min_size=B, max_size=B)))
    starts = np.clip(starts, -scale, scale)
    oname = draw(st.sampled_from(sorted(OPTS)))
    hyper = draw(OPTS[oname])
    steps = draw(st.integers(0, 25))
    tol = draw(st.one_of(st.none(), st.floats(1e-8, 10)))
    batch = draw(st.one_of(st.none(), st.integers(1, 5))) if land.is_data else None
    return land, gd.optimizer(oname, **hyper), starts, steps, tol, batch


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(runs())
def test_any_finite_start_gives_finite_well_formed_results(run):
    land, opt, starts, steps, tol, batch = run
    B, D = starts.shape
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        traj = gd.descend(land, opt, starts, steps, tol=tol, batch_size=batch, backend="numpy")
    T = traj.T
    assert 0 <= T <= steps
    assert traj.positions.shape == (T + 1, B, D) and traj.values.shape == (T + 1, B)
    assert traj.grads.shape == (T + 1, B, D) and traj.updates.shape == (T, B, D)
    for v in traj.state.values():
        assert v.shape == (T + 1, B, D) and np.isfinite(v).all()
    for name in ("positions", "values", "grads", "updates"):
        assert np.isfinite(getattr(traj, name)).all(), name
    assert np.isfinite(traj.final).all() and np.isfinite(traj.final_value).all()
    assert set(traj.status) <= set(STATUSES)
    assert np.all((0 <= traj.stopped_at) & (traj.stopped_at <= steps))
    assert np.all((traj.basin >= -1) & (traj.basin < max(len(land.known_minima), 1)))
    np.testing.assert_array_equal(traj.positions[0], np.where(traj.stopped_at[:, None] >= 0, starts, 0))
    for b in range(B):
        s = traj.stopped_at[b]
        if traj.status[b] != "max_steps":
            assert np.all(traj.positions[s:, b] == traj.positions[s, b])
        np.testing.assert_array_equal(traj.positions[-1, b], traj.final[b])
    assert np.all(traj.status[traj.status == "diverged"] == "diverged")
    if tol is not None:
        with np.errstate(all="ignore"):
            g = np.linalg.norm(land.grad(traj.final), axis=1)
        stopped_by_tol = np.isin(traj.status, ["converged", "stalled"])
        assert np.all(g[stopped_by_tol] < tol)
