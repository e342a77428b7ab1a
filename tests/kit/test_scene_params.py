"""GdScene: parameters validated when the class is defined; poster protocol; pacing."""

from __future__ import annotations

import numpy as np
import pytest

import gdengine as gd
from gdengine.errors import GdengineError
from gdengine.kit import params as p
from gdengine.kit.scene import GdScene


class Base(GdScene):
    params = {
        "land": p.landscape("parabola", dim=1),
        "opt": p.optimizer("sgd"),
        "lr": p.learning_rate(0.1),
        "rates": p.learning_rates((0.1, 0.2), length=2),
        "tol": p.number(0.01, positive=True),
        "starts": p.numbers((1.0, -1.0)),
        "steps": p.integer(10, lo=1),
        "fancy": p.boolean(False),
        "mode": p.choice("a", ("a", "b")),
    }

    def construct(self):
        pass


def test_defaults_are_set_and_normalised():
    assert Base.lr == 0.1 and Base.starts == (1.0, -1.0)
    variant = type("V", (Base,), {"starts": [2, 3], "lr": 1})
    assert variant.starts == (2.0, 3.0) and isinstance(variant.lr, float)


@pytest.mark.parametrize(
    "attrs, message",
    [
        ({"radom_seed": 1}, "unknown parameter 'radom_seed'"),
        ({"lrr": 0.5}, "did you mean 'lr'"),
        ({"land": "parabol"}, "unknown landscape 'parabol'; valid choices: .*parabola"),
        ({"opt": "adamm"}, "unknown optimizer 'adamm'; valid choices: .*sgd"),
        ({"lr": -0.1}, r"Bad\.lr must be >= 0"),
        ({"rates": (0.1, -0.5)}, r"Bad\.rates\[1\] must be >= 0"),
        ({"rates": (0.1,)}, "must hold 2 numbers"),
        ({"tol": 0.0}, "must be > 0"),
        ({"lr": float("nan")}, "finite number"),
        ({"lr": "fast"}, "finite number"),
        ({"lr": [0.1, 0.2]}, "finite number"),
        ({"steps": 2.5}, "whole number"),
        ({"steps": 0}, ">= 1"),
        ({"fancy": "yes"}, "true or false"),
        ({"mode": "c"}, "valid choices: a, b"),
        ({"starts": [1, "x"]}, r"starts\[1\]"),
        ({"pace": -1}, "must be > 0"),
        ({"language": "zh"}, "no strings file"),
    ],
)
def test_bad_attributes_fail_at_class_definition(attrs, message):
    with pytest.raises(GdengineError, match=message):
        type("Bad", (Base,), attrs)


@pytest.mark.parametrize("lr", [-1.0, -1e-12, 0.0, 1e-12, 0.5, 10.0])
def test_a_scene_learning_rate_follows_the_engine_rule(lr):
    """One rule for η (negative is an error, as in torch.optim; 0 is allowed): a scene accepts
    exactly what gd.optimizer accepts."""
    try:
        gd.optimizer("sgd", lr=lr)
        engine_ok = True
    except GdengineError:
        engine_ok = False
    try:
        variant = type("V", (Base,), {"lr": lr, "rates": (lr, 0.1)})
        scene_ok = True
    except GdengineError:
        scene_ok = False
    assert engine_ok == scene_ok == (lr >= 0)
    if scene_ok:
        assert variant.lr == lr and variant.rates == (lr, 0.1)


def test_methods_constants_and_private_names_are_not_parameters():
    variant = type("Ok", (Base,), {"helper": lambda self: 1, "COLOURS": (1, 2), "_cache": {}})
    assert variant.COLOURS == (1, 2)


def test_landscape_dimension_is_checked():
    with pytest.raises(GdengineError, match="1-D"):
        type("Bad", (Base,), {"land": "himmelblau"})


def test_mark_poster_calls_the_writer_when_it_listens():
    calls = []

    class Writer:
        def mark_poster(self):
            calls.append(1)

    class Renderer:
        file_writer = Writer()

    scene = object.__new__(Base)
    scene.renderer = Renderer()
    scene.mark_poster()
    assert calls == [1]
    scene.renderer.file_writer = object()  # plain manim writer: no-op
    scene.mark_poster()
    assert calls == [1]


def test_scene_loaded_by_path_without_module_entry_finds_its_strings(tmp_path, monkeypatch):
    """importlib without registering the module (as notebooks and doc tools load files):
    the strings file is found beside the scene, not against the working directory."""
    import importlib.util
    from pathlib import Path

    scene_file = Path(__file__).resolve().parents[2] / "scenes" / "ball_downhill.py"
    monkeypatch.chdir(tmp_path)
    spec = importlib.util.spec_from_file_location("unregistered_ball_downhill", scene_file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    table = module.BallDownhill.strings()
    assert Path(table.source) == scene_file.parent / "strings" / "ball_downhill.toml"
    assert table.keys and "zh" in table.languages


def test_a_formula_landscape_is_built_on_the_scenes_window():
    scene = type("F", (Base,), {"land": "x^4 - x^2", "window": [-1.5, 1.5]})
    land = scene.landscape_of(scene.land)
    assert land.name == "x^4 - x^2" and land.bounds == ((-1.5, 1.5),) and scene.window == (-1.5, 1.5)
    np.testing.assert_allclose(np.sort(land.minima[:, 0]), [-2 ** -0.5, 2 ** -0.5], atol=1e-12)
    assert Base.landscape_of("parabola").name == "parabola"  # names are built as registered
    default = type("D", (Base,), {"land": "x^2 - x"})
    assert default.landscape_of(default.land).bounds == ((-3.0, 3.0),)
    two = type("T", (GdScene,), {"params": {"m": p.landscape("sphere", dim=2)}, "m": "x^2 + y",
                                 "window": [[-1, 1], [0, 2]], "construct": lambda self: None})
    assert two.landscape_of(two.m).bounds == ((-1.0, 1.0), (0.0, 2.0))


@pytest.mark.parametrize("attrs, message", [
    ({"land": "x^2 + y"}, "is 2-D, this scene needs 1-D"),
    ({"land": "x^2 +"}, "F.land: formula syntax error at column 6"),
    ({"land": "x^2", "window": [1, -1]}, "F.window must be"),
    ({"land": "x^2", "window": "wide"}, "F.window must be"),
    ({"window": [-1, 1]}, "window applies to formula landscapes"),
    ({"land": "log(x)", "window": [-3, -1]}, "F.land: .*not finite anywhere in the window"),
])
def test_bad_formulas_and_windows_fail_at_class_definition(attrs, message):
    with pytest.raises(GdengineError, match=message):
        type("F", (Base,), attrs)
