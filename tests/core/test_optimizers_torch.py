"""Parity with torch.optim (float64), micrograd-style: the same run in both, compared."""

import numpy as np
import pytest
import torch

import gdengine as gd

from .torch_ref import torch_optimizer, torch_run

CONFIGS = [
    ("sgd", dict(lr=0.01)),
    ("gd", dict(lr=0.02, weight_decay=0.1)),
    ("momentum", dict(lr=0.005)),
    ("sgd", dict(lr=0.005, momentum=0.8, dampening=0.3)),
    ("sgd", dict(lr=0.005, momentum=0.5, weight_decay=0.05)),
    ("nesterov", dict(lr=0.005)),
    ("nesterov", dict(lr=0.004, momentum=0.7, weight_decay=0.02)),
    ("adagrad", dict(lr=0.3)),
    ("adagrad", dict(lr=0.4, lr_decay=0.01, initial_accumulator_value=0.5, weight_decay=0.01, eps=1e-6)),
    ("rmsprop", dict(lr=0.01)),
    ("rmsprop", dict(lr=0.01, centered=True)),
    ("rmsprop", dict(lr=0.002, momentum=0.6, alpha=0.9)),
    ("rmsprop", dict(lr=0.002, momentum=0.5, centered=True, weight_decay=0.01, eps=1e-6)),
    ("adam", dict(lr=0.05)),
    ("adam", dict(lr=0.05, betas=(0.8, 0.99), amsgrad=True)),
    ("adam", dict(lr=0.03, weight_decay=0.05)),
    ("adam", dict(lr=0.03, weight_decay=0.05, decoupled_weight_decay=True)),
    ("adamw", dict(lr=0.05)),
    ("adamw", dict(lr=0.04, weight_decay=0.1, amsgrad=True, eps=1e-5)),
]
LANDS = ["himmelblau", "xcos", "six_hump_camel", "sin_saddle"]
IDS = [f"{n}-{'-'.join(f'{k}={v}' for k, v in h.items())}" for n, h in CONFIGS]


def _starts(land, B=6, seed=0):
    rng = np.random.default_rng(seed)
    lo, hi = np.array(land.view).T
    return lo + (hi - lo) * rng.uniform(0.1, 0.9, (B, land.dim))


def _rel(a, b, *operands):
    """max |a − b| relative to the particle's magnitude (rows of b and of the operands).

    Relative to the operands, not to a result that may have cancelled: torch fuses some
    multiply-adds (lerp, add with alpha) and we do not, so one rounding differs."""
    scale = np.max([np.abs(v).max(axis=1) for v in (b, *operands)], axis=0)
    return np.max(np.abs(a - b).max(axis=1) / np.maximum(scale, 1e-300))


@pytest.mark.parametrize("name,hyper", CONFIGS, ids=IDS)
def test_one_step_matches_torch(name, hyper):
    """From torch's own state at every step, our update lands within 1e-14 (relative)."""
    for lname in LANDS:
        land = gd.landscape(lname)
        opt = gd.optimizer(name, **hyper)
        X = _starts(land)
        p = torch.tensor(X, dtype=torch.float64, requires_grad=True)
        tor = torch_optimizer(opt, p)
        state = opt.init(X)
        for t in range(40):
            x = p.detach().numpy().copy()
            g = land.grad(x)
            ts = tor.state.get(p, {})
            if ts:  # our state := torch's state, then one step each
                bufs = {k: ts[k].numpy().copy() for k in opt.buffers if ts.get(k) is not None}
                state = state._replace(count=int(ts["step"]) if "step" in ts else t, **bufs)
            step, new_state = opt.update(g, state, x)
            p.grad = torch.from_numpy(g)
            tor.step()
            want = p.detach().numpy()
            assert _rel(x + step, want, x) <= 1e-14, (lname, t)
            for k in opt.buffers:
                w = tor.state[p][k].numpy()
                old = getattr(state, k)
                assert _rel(getattr(new_state, k), w, g, x, *(() if old is None else (old,))) \
                    <= 1e-14, (lname, t, k)
            state = new_state


def _sensitive(land, opt, X0, steps, rtol):
    """Particles whose torch run moves by more than rtol under a one-ulp nudge (chaotic)."""
    a = torch_run(land, opt, X0, steps)
    b = torch_run(land, opt, np.nextafter(X0, np.inf), steps)
    scale = np.abs(a).max(axis=(0, 2))
    return a, (np.abs(a - b).max(axis=(0, 2)) / scale) > rtol / 10


@pytest.mark.parametrize("name,hyper", CONFIGS, ids=IDS)
def test_trajectory_matches_torch(name, hyper):
    """300-step runs agree to 1e-10 (relative) wherever torch itself is not chaotic."""
    land = gd.landscape("himmelblau")
    opt = gd.optimizer(name, **hyper)
    X0 = _starts(land, B=8, seed=1)
    want, chaotic = _sensitive(land, opt, X0, 300, 1e-10)
    assert (~chaotic).sum() >= 4
    traj = gd.descend(land, opt, X0, 300, backend="numpy")
    got = traj.positions
    assert got.shape == want.shape
    scale = np.abs(want).max(axis=(0, 2))
    err = np.abs(got - want).max(axis=(0, 2)) / scale
    assert np.all(err[~chaotic] <= 1e-10), err


def test_momentum_zero_is_vanilla_exactly():
    land = gd.landscape("himmelblau")
    X0 = _starts(land)
    a = gd.descend(land, gd.optimizer("sgd", lr=0.01), X0, 200)
    b = gd.descend(land, gd.optimizer("momentum", lr=0.01, momentum=0.0), X0, 200)
    assert np.array_equal(a.positions, b.positions)


def test_rmsprop_first_step_is_ten_lr_sign_g():
    land = gd.landscape("himmelblau")
    X0 = _starts(land)
    traj = gd.descend(land, gd.optimizer("rmsprop", lr=0.01), X0, 1)
    g = land.grad(X0)
    np.testing.assert_allclose(traj.updates[0], -10 * 0.01 * np.sign(g), rtol=1e-6)


def test_adam_without_bias_correction_first_step():
    land = gd.landscape("himmelblau")
    X0 = _starts(land)
    g = land.grad(X0)
    lr = 0.01
    plain = gd.descend(land, gd.optimizer("adam", lr=lr, bias_correction=False), X0, 1)
    want = -lr * (0.1 * g) / (np.sqrt(0.001 * g * g) + 1e-8)  # ≈ −3.16·lr·sign(g)
    np.testing.assert_allclose(plain.updates[0], want, rtol=1e-14)
    corrected = gd.descend(land, gd.optimizer("adam", lr=lr), X0, 1)
    np.testing.assert_allclose(corrected.updates[0], -lr * np.sign(g), rtol=1e-6)


def test_per_particle_hyper_equals_separate_runs():
    land = gd.landscape("xcos")
    lrs = np.array([0.05, 0.1, 0.2, 0.3])
    batched = gd.descend(land, gd.optimizer("adam", lr=lrs, betas=(np.array([0.9, 0.8, 0.9, 0.5]), 0.99)),
                         np.full(4, -1.0), 100)
    for i, (lr, b1) in enumerate(zip(lrs, [0.9, 0.8, 0.9, 0.5])):
        one = gd.descend(land, gd.optimizer("adam", lr=float(lr), betas=(b1, 0.99)), -1.0, 100)
        np.testing.assert_allclose(batched.positions[:, i], one.positions[:, 0], rtol=1e-15, atol=0)
