"""Storyboard 9 (sgd_regression): data, lines, paths and the coda's update count from the engine."""

from __future__ import annotations

import numpy as np
import pytest
from pixels_2d import ball_found_at, frame_after
from scene_harness import assert_not_blank, load_scene_module

import gdengine as gd
from gdengine.errors import GdengineError

module = load_scene_module("sgd_regression")


class Quick(module.SgdRegression):
    replay_seconds = 2.4
    coda_seconds = 2.0
    pace = 0.4


def test_renders_frames_that_are_not_blank(render):
    rendered = render(Quick)
    assert_not_blank(rendered)
    assert [b for b, _ in rendered.scene.beats] == [
        "data", "loss", "batch", "sgd", "mini", "cost", "coda", "coda_run", "coda_done", "recap"]
    assert rendered.scene.captions_shown[-1] == rendered.scene.t("recap")


def test_each_method_is_replayed_under_its_own_caption(render):
    scene = render(Quick).scene
    layout = scene.facts["layout"]
    runs = scene.facts["line"]["runs"]
    # all three finished: every trace at its run's last iterate, the counter at the last step
    for run, trace in zip(runs, layout["view"].traces):
        assert trace.clock.s == run.T
    assert layout["counter"].value_text == str(Quick.steps)
    # the captions name the engine's data size and batch size, in storyboard order
    n, k = scene.facts["line"]["land"].n_samples, Quick.mini_batch
    order = [scene.t("batch", n=n), scene.t("sgd", n=n), scene.t("mini", k=k)]
    assert [c for c in scene.captions_shown if c in order] == order
    # the legend reads the gradients per step from the runs
    assert [row.params.text for row in layout["legend"].rows] == [f"{b}perstep" for b in (n, 1, k)]


def test_coda_stops_where_the_engine_says(render):
    scene = render(Quick).scene
    coda = scene.facts["coda"]
    run = gd.descend(gd.landscape("quadratic_fit"), gd.optimizer("sgd", lr=0.1), [[1.0, 0.0, -1.0]],
                     100000, stop_loss=1e-4, batch_size=1, order="cycle", record=("positions", "values"))
    assert coda["count"] == int(run.stopped_at[0]) == run.T
    assert run.values[-1, 0] < 1e-4 <= run.values[-2, 0]
    assert coda["counter"].value_text == str(coda["count"])
    assert any(f"after {coda['count']} updates" in c for c in scene.captions_shown)
    shown = [w.value_text for w in coda["weights"]]
    assert shown == [f"{v:.3f}".replace("-", "\u2212") for v in run.positions[-1, 0]]


def test_fitted_curve_is_the_engine_model(render):
    coda = render(Quick).scene.facts["coda"]
    curve = coda["panel"].curves[0]
    w1, w2, w3 = coda["run"].positions[-1, 0]
    assert np.allclose(curve.predictions(coda["count"]), w1 * curve.xs**2 + w2 * curve.xs + w3)


def test_line_fits_per_step_cost_and_balls(render):
    rendered = render(Quick)
    scene = rendered.scene
    runs = scene.facts["line"]["runs"]
    assert [r.meta["batch_size"] for r in runs] == [None, 1, Quick.mini_batch]
    assert any("batch 100 gradients, O(n); SGD just 1, O(1)" in c for c in scene.captions_shown)
    view = scene.facts["layout"]["view"]
    frame = frame_after(rendered, scene.facts["line"]["end"])
    for run, trace in zip(runs, view.traces):
        assert np.allclose(trace.ball.get_center(), view.cmap.c2p(run.positions[-1, 0]))
    # the three runs end close together; the last-drawn ball (mini-batch) is on top
    point = view.cmap.c2p(runs[-1].positions[-1, 0])
    found = ball_found_at(rendered, frame, point, view.runners[-1].color, radius_px=3)
    assert found is not None and np.linalg.norm(found - rendered.to_pixel(point)) < 2.0
    # and each fitted line on the data panel is that run's (w, b)
    panel = scene.facts["layout"]["panel"]
    for run, curve in zip(runs, panel.curves):
        w, b = run.positions[-1, 0]
        assert np.allclose(curve.predictions(run.T), w * curve.xs + b)


def test_misspelt_or_bad_attribute_raises():
    with pytest.raises(GdengineError, match="did you mean 'mini_batch'"):
        type("Bad", (module.SgdRegression,), {"minibatch": 5})
    with pytest.raises(GdengineError, match="mini_batch must be < points"):
        type("Bad", (module.SgdRegression,), {"mini_batch": 500})
