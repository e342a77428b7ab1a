"""The fused numba kernel against the numpy reference path: the same arrays, bit for bit."""

import numpy as np
import pytest

import gdengine as gd
from gdengine.core import kernels

CASES = [  # (landscape, params, optimizer, [hyper variants]) — one compile per (landscape, rule)
    ("himmelblau", {}, "adam", [dict(lr=0.05), dict(lr=0.05, amsgrad=True, weight_decay=0.01),
                                dict(lr=0.05, bias_correction=False, betas=(0.6, 0.99)),
                                dict(lr=0.05, weight_decay=0.1, decoupled_weight_decay=True)]),
    ("himmelblau", {}, "sgd", [dict(lr=0.01), dict(lr=0.004, momentum=0.9, nesterov=True,
                                                   weight_decay=0.1),
                               dict(lr=0.004, momentum=0.8, dampening=0.5)]),
    ("himmelblau", {}, "rmsprop", [dict(lr=0.01), dict(lr=0.01, centered=True, momentum=0.5,
                                                       weight_decay=0.01)]),
    ("himmelblau", {}, "adagrad", [dict(lr=0.5, lr_decay=0.01, initial_accumulator_value=0.1)]),
    ("xcos", {}, "sgd", [dict(lr=0.45), dict(lr=0.54)]),
    ("rosenbrock", {"a": 1.5, "b": 50.0}, "adam", [dict(lr=0.02)]),
]


def _starts(land, B, seed=0):
    rng = np.random.default_rng(seed)
    lo, hi = np.array(land.view).T
    return lo + (hi - lo) * rng.uniform(size=(B, land.dim))


def _same(a, b):
    assert a._arrays.keys() == b._arrays.keys()
    for k in b._arrays:
        np.testing.assert_array_equal(a._arrays[k], b._arrays[k], err_msg=k)
    for k in ("status", "stopped_at", "basin", "final", "final_value"):
        np.testing.assert_array_equal(getattr(a, k), getattr(b, k), err_msg=k)
    assert a.T == b.T


@pytest.mark.parametrize("lname,params,oname,variants", CASES,
                         ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_kernel_equals_numpy_reference(lname, params, oname, variants):
    land = gd.landscape(lname, **params)
    X = _starts(land, 600)  # more than one block of particles
    for hyper in variants:
        opt = gd.optimizer(oname, **hyper)
        for kw in (dict(tol=1e-3), dict(), dict(stop_loss=land.min_value + 1e-3 if land.min_value is not None else None)):
            a = gd.descend(land, opt, X, 300, backend="numba", **kw)
            b = gd.descend(land, opt, X, 300, backend="numpy", **kw)
            _same(a, b)
            assert a.meta["backend"] == "numba" and b.meta["backend"] == "numpy"


def test_kernel_record_subset_and_early_stop():
    land, opt = gd.landscape("himmelblau"), gd.optimizer("adam", lr=0.05)
    X = _starts(land, 700, seed=1)
    a = gd.descend(land, opt, X, 2000, tol=0.05, record=("positions", "exp_avg_sq"), backend="numba")
    b = gd.descend(land, opt, X, 2000, tol=0.05, record=("positions", "exp_avg_sq"), backend="numpy")
    _same(a, b)
    assert a.T < 2000 and set(a.state) == {"exp_avg_sq"}


def test_every_builtin_surface_has_a_compiled_form():
    for name in gd.landscapes():
        land = gd.landscape(name)
        if not land.is_data:
            assert land._fg in kernels._IDS, name
    opt = gd.optimizer("adam")
    assert "data" in kernels.unsupported(gd.landscape("quadratic_fit"), opt, None)
    assert "per-particle" in kernels.unsupported(gd.landscape("xcos"), gd.optimizer("sgd", lr=np.ones(3)), None)
    with pytest.raises(gd.GdengineError, match="numba"):
        gd.descend("quadratic_fit", opt, [[0.0, 0.0, 0.0]], 3, backend="numba")


def test_auto_picks_the_kernel_for_big_batches():
    land = gd.landscape("himmelblau")
    X = _starts(land, 2100)
    big = gd.descend(land, gd.optimizer("adam", lr=0.05), X, kernels.AUTO_THRESHOLD // 2100 + 1,
                     record=("values",))
    small = gd.descend(land, gd.optimizer("adam", lr=0.05), X[:10], 10)
    assert big.meta["backend"] == "numba" and small.meta["backend"] == "numpy"
