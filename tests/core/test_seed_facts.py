"""The numbers the explainers quote, straight from the engine."""

import numpy as np

import gdengine as gd


def test_parabola_27_updates():
    traj = gd.descend(gd.landscape("parabola"), gd.optimizer("sgd", lr=0.1), 1.8, 1000, tol=0.01)
    assert traj.stopped_at.tolist() == [27]
    assert traj.T == 27 and traj.positions.shape == (28, 1, 1)
    assert abs(traj.final[0, 0] - 1.8 * 0.8**27) < 1e-15
    assert abs(traj.final[0, 0] - 0.00435) < 1e-5
    assert traj.status.tolist() == ["converged"]
    assert traj.basin.tolist() == [0]


def test_parabola_lr_one_bounces():
    traj = gd.descend("parabola", gd.optimizer("vanilla", lr=1.0), [1.8], 40)
    x = traj.positions[:, 0, 0]
    assert np.array_equal(x, 1.8 * (-1.0) ** np.arange(41))
    assert traj.status.tolist() == ["max_steps"] and traj.stopped_at.tolist() == [40]
