"""Clip entries: catalog rows valid; bad input fails in one line before any frame."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

from gdengine.errors import GdengineError
from gdengine.pipeline.worker import check_kwargs

from .conftest import load_scene

CATALOG = Path(__file__).resolve().parents[2] / "scenes" / "catalog.toml"
MINE = {"descent_3d.py", "surface_race_3d.py"}


def my_rows():
    rows = tomllib.loads(CATALOG.read_text())["clip"]
    return [r for r in rows if r["file"] in MINE]


def test_every_storyboard_10_11_clip_is_in_the_catalog():
    names = {r["name"] for r in my_rows()}
    assert names == {
        "descent_3d_sphere", "descent_3d_griewank", "descent_3d_six_hump_camel",
        "descent_3d_himmelblau_single", "descent_3d_himmelblau", "descent_3d_easom",
        "descent_montage_3d", "surface_race_3d",
    }  # fmt: skip


@pytest.mark.parametrize("row", my_rows(), ids=lambda r: r["name"])
def test_catalog_rows_point_at_entries_that_accept_their_params(row):
    module = load_scene(Path(row["file"]).stem)
    entry = getattr(module, row["entry"])
    check_kwargs(entry, row.get("params", {}))
    if "surface" in row.get("params", {}):
        assert row["params"]["surface"] in module.SURFACES


def one_line_error(call, sink, match):
    with pytest.raises(GdengineError, match=match) as err:
        call(sink)
    assert "\n" not in str(err.value)
    assert sink.frames == [] and sink.total is None  # no partial output
    return str(err.value)


def test_unknown_surface_names_the_valid_choices(sink):
    scene = load_scene("descent_3d")
    msg = one_line_error(lambda s: scene.render_descent_3d(s, width=64, height=48, fps=5, surface="rastrigin_xl"),
                         sink, "unknown surface")
    for name in scene.SURFACES:
        assert name in msg


@pytest.mark.parametrize("duration", [0, -1.0, 0.01])
def test_zero_frames_is_refused(sink, duration):
    scene = load_scene("descent_3d")
    one_line_error(lambda s: scene.render_descent_3d(s, width=64, height=48, fps=5, surface="sphere", voice="none",
                                                     duration=duration), sink, "duration|frames")


def test_montage_layout_is_checked(sink):
    scene = load_scene("descent_3d")
    one_line_error(lambda s: scene.render_descent_montage_3d(s, width=64, height=48, fps=5, columns=4),
                   sink, "columns")


@pytest.mark.parametrize("kwargs, match", [
    ({"landscape": "himmelblow"}, "unknown 2-D landscape 'himmelblow'; valid choices: .*himmelblau"),
    ({"landscape": "xcos"}, "unknown 2-D landscape"),
    ({"start": (9.0, 9.0)}, "outside"),
    ({"start": "here"}, "two numbers"),
    ({"steps": 0}, "steps"),
    ({"duration": 0}, "duration"),
])
def test_race_bad_input(sink, kwargs, match):
    scene = load_scene("surface_race_3d")
    one_line_error(lambda s: scene.render_surface_race_3d(s, width=64, height=48, fps=5, **kwargs), sink, match)


def test_bad_frame_size_is_refused(sink):
    scene = load_scene("descent_3d")
    one_line_error(lambda s: scene.render_descent_3d(s, width=0, height=48, fps=5, surface="sphere"),
                   sink, "frame size")


def test_camera_keyframe_that_loses_the_surface_is_refused_before_any_frame(sink):
    scene = load_scene("descent_3d")
    camera = [{"time": 0.0, "preset": "iso"},
              {"time": 1.0, "azimuth": 20, "elevation": 30, "distance": 3.0, "focal": [60, 60, 0]}]
    msg = one_line_error(lambda s: scene.render_descent_3d(s, width=160, height=90, fps=5, surface="sphere",
                                                           duration=2.0, camera=camera),
                         sink, "camera keyframe 1")
    assert "out of view" in msg


@pytest.mark.parametrize("camera, match", [
    ({"time": 0}, "list of keyframe tables"),
    ([{"azimuth": 10}], "needs a time"),
    ([{"time": 0, "zoom": 2}], "unknown keys.*valid keys"),
    ([{"time": 0, "preset": "worm"}], "unknown camera preset 'worm'; valid choices"),
    ([{"time": 0, "focal": [1, 2]}], "focal"),
    ([{"time": 0.6}, {"time": 0.2}], "must rise"),
])
def test_camera_keyframe_tables_are_validated(sink, camera, match):
    scene = load_scene("descent_3d")
    one_line_error(lambda s: scene.render_descent_3d(s, width=160, height=90, fps=5, surface="sphere",
                                                     duration=2.0, camera=camera), sink, match)


def test_camera_keyframes_drive_the_clip(sink):
    scene = load_scene("descent_3d")
    scene.render_descent_3d(sink, width=160, height=90, fps=5, surface="sphere", duration=2.0, voice="none",
                            camera=[{"time": 0, "preset": "top"}, {"time": 1, "azimuth": 0, "elevation": 25}])
    assert len(sink.frames) == 10
    assert not np.array_equal(sink.frames[0], sink.frames[-1])


def test_formula_surfaces_and_races_take_a_window_and_check_it():
    scene = load_scene("descent_3d")
    chosen = scene.check_surface("x^2 + 10*y^2", window=[[-3, 3], [-2, 2]])
    assert chosen.window == ((-3.0, 3.0), (-2.0, 2.0)) and chosen.lr in __import__("gdengine").TUNE_RATES
    assert scene.check_surface("x^2 + y^2", lr=0.1).lr == 0.1
    assert scene.words_key("x^2 + y^2") == "formula" and scene.words_key("sphere") == "sphere"
    for bad, match in ((("x^2",), "1-D"), (("sphere",), None), (("x^2 + (y",), "column 7")):
        if match is None:
            with pytest.raises(GdengineError, match="apply to formula surfaces"):
                scene.check_surface(*bad, window=[-1, 1])
        else:
            with pytest.raises(GdengineError, match=match):
                scene.check_surface(*bad)
    race = load_scene("surface_race_3d")
    land = race.check_landscape("x^4 - 2*x^2 + x*y + y^2", [-2, 2])
    assert land.bounds == ((-2.0, 2.0), (-2.0, 2.0)) and len(land.minima) == 2
    with pytest.raises(GdengineError, match="has its own"):
        race.check_landscape("himmelblau", [-2, 2])
    with pytest.raises(GdengineError, match="1-D"):
        race.check_landscape("x^2")


def test_a_tuned_3d_race_labels_its_rates(sink):
    race = load_scene("surface_race_3d")
    land = race.check_landscape("x^4 - 2*x^2 + x*y + y^2", [-2, 2])
    runs, _, _ = race.race(land, (0.6, 1.9), 200, 1e-3, tune=True)
    import gdengine as gd

    for racer, run in zip(race.RACERS, runs):
        lr = run.meta["optimizer"]["hyper"]["lr"]
        fixed = {k: v for k, v in racer.hyper.items() if k != "lr"}
        assert lr == gd.tune_lr(land, racer.optimizer, (0.6, 1.9), 200, hyper=fixed).lr
        label = race.racer_label(racer, run, "en", tuned=True)
        assert f"η tuned: {race.format_sig(lr, 2)}" in label
        assert "η 调优" in race.racer_label(racer, run, "zh", tuned=True)


def test_the_loss_landscape_clip_refuses_bad_input_before_any_frame(sink):
    scene = load_scene("loss_landscape_3d")
    one_line_error(lambda s: scene.render_loss_landscape_3d(s, width=64, height=48, fps=5, data="circles"),
                   sink, "unknown data 'circles'")
    one_line_error(lambda s: scene.render_loss_landscape_3d(s, width=64, height=48, fps=5, plane="random"),
                   sink, "unknown plane 'random'")
    one_line_error(lambda s: scene.render_loss_landscape_3d(s, width=64, height=48, fps=5, duration=-1),
                   sink, "duration")


def test_the_sampled_plane_surface_is_the_true_loss_at_its_nodes_and_close_between():
    import gdengine as gd
    from gdengine.core import planes

    land = gd.landscape("mlp", hidden=(4,))
    w0 = land.initial(0)
    runs = [gd.descend(land, gd.optimizer(n, lr=lr), [w0], 30, record=("positions",)).positions[:, 0]
            for n, lr in (("sgd", 0.5), ("adam", 0.05))]
    plane = planes.pca_plane(runs, w0)
    window = planes.plane_window(plane, runs)
    exact = planes.plane_landscape(land, plane, window)
    fast = planes.sampled_plane_landscape(land, plane, window, n=41)
    a, b, S = fast.samples
    nodes = np.array([[a[3], b[7]], [a[20], b[20]]])
    np.testing.assert_allclose(fast.f(nodes), exact.f(nodes), rtol=1e-12)
    between = np.random.default_rng(1).uniform([w[0] for w in window], [w[1] for w in window], (30, 2))
    np.testing.assert_allclose(fast.f(between), exact.f(between), rtol=2e-2)
