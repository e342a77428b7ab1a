"""Storyboard 12 (training_view): a tiny network, tiny render; boundaries, plane and slices from
the engine."""

from __future__ import annotations

import numpy as np
import pytest
from scene_harness import assert_not_blank, load_scene_module

from gdengine.errors import GdengineError

module = load_scene_module("training_view")


class Quick(module.TrainingView):
    hidden = (4,)
    steps = 40
    train_seconds = 1.5
    plane_seconds = 1.0
    pace = 0.4


def test_renders_the_storyboard_beats(render):
    rendered = render(Quick)
    assert_not_blank(rendered)
    assert [b for b, _ in rendered.scene.beats] == [
        "task", "start", "train", "trained", "plane", "distance", "sharp", "flattest", "recap"]


def test_each_boundary_is_where_its_network_says_one_half(render):
    scene = render(Quick).scene
    for panel in scene.facts["train"]["panels"]:
        curve = panel.curves[0]
        pts = curve.get_anchors()
        assert len(pts) > 4
        xy = np.array([panel.box.p2c(p) for p in pts[::4]])
        w = curve.weights[-1]  # the replay ended on the run's last iterate
        p = curve.land.predict(w[None, :], xy)[0]
        assert np.max(np.abs(p - 0.5)) < 0.08


def test_the_plane_legend_states_each_runs_distance_from_the_plane(render):
    scene = render(Quick).scene
    study = module.network_study.study("moons", (4,), "tanh", 0, 40, "pca")
    far = scene.facts["plane"]["far"]
    assert far == [study.max_distance(i) for i in range(3)] and max(far) > 0
    view = scene.facts["plane"]["view"]
    for runner, seen in zip(view.runners, study.seen):
        assert np.array_equal(runner.traj.positions, seen.positions)  # the projected run, replayed


def test_bad_settings_fail_at_class_definition():
    with pytest.raises(GdengineError, match="valid choices"):
        type("Bad", (module.TrainingView,), {"data": "circles"})
    with pytest.raises(GdengineError, match="layer widths"):
        type("Bad", (module.TrainingView,), {"hidden": (0,)})
    with pytest.raises(GdengineError, match="valid choices"):
        type("Bad", (module.TrainingView,), {"plane": "random"})
