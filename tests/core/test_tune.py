"""tune_lr: one batched sweep of learning rates per optimizer, scored by mean final loss."""

import numpy as np
import pytest

import gdengine as gd


def test_the_winner_has_the_lowest_mean_final_loss_over_the_start_and_its_neighbours():
    tu = gd.tune_lr("himmelblau", "sgd", (-0.4, -0.65), 100)
    assert len(tu.rates) == 64 and np.array_equal(tu.rates, gd.TUNE_RATES)
    assert tu.starts.shape == (5, 2) and np.allclose(tu.starts[0], (-0.4, -0.65))
    assert tu.loss == np.min(tu.losses) and tu.lr in gd.TUNE_RATES
    # recomputed by hand for the winner and its two neighbours: separate runs agree
    land = gd.landscape("himmelblau")
    i = int(np.flatnonzero(tu.rates == tu.lr)[0])
    for j in (i - 1, i, i + 1):
        run = gd.descend(land, gd.optimizer("sgd", lr=tu.rates[j]), tu.starts, 100)
        expect = np.inf if (run.status == "diverged").any() else run.final_value.mean()
        assert tu.losses[j] == pytest.approx(expect, rel=1e-9, abs=1e-300)
    assert np.isinf(tu.losses[-1])  # lr = 10 diverges on Himmelblau


def test_ties_go_to_the_smaller_rate():
    # on |x| from 1, rates 0.25 and 0.5 both land exactly on 0 within 4 steps
    tu = gd.tune_lr("abs(x)", "sgd", 1.0, 4, rates=[0.5, 0.25, 0.3], nearby=0)
    assert tu.rates.tolist() == [0.25, 0.3, 0.5]
    assert tu.losses.tolist() == [0.0, pytest.approx(0.2), 0.0] and tu.lr == 0.25


def test_nearby_starts_stay_in_view_at_the_given_spread():
    land = gd.landscape("sphere")
    pts = gd.core.analysis.nearby_starts(land, (5.0, 0.0), 4, 0.02)
    r = 0.02 * np.hypot(10.24, 10.24)
    assert pts.shape == (5, 2)
    np.testing.assert_allclose(pts[1:3], [[5.12, 0.0], [5.0 - r, 0.0]])  # clipped to the view
    np.testing.assert_allclose(pts[3:], [[5.0, r], [5.0, -r]])


def test_bad_rates_and_hopeless_runs_say_so():
    with pytest.raises(gd.GdengineError, match="positive finite"):
        gd.tune_lr("sphere", "sgd", (1, 1), 10, rates=[0.1, -1])
    with pytest.raises(gd.GdengineError, match="diverges at every rate"):
        gd.tune_lr("x^3", "sgd", -1.0, 500, rates=[0.1, 0.5])
