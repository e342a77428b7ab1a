"""Contour colour bar: one swatch per band, loss values at the levels, readable and beside the map."""

from __future__ import annotations

import numpy as np
import pytest
from manim import LEFT, RIGHT

import gdengine as gd
from gdengine.errors import GdengineError
from gdengine.kit.contour import ColorBar, ContourMap
from gdengine.kit.text import MINUS, format_sig
from gdengine.lint.manim_probe import TEXT_CAP_PER_SIZE
from gdengine.lint.rules import MIN_CAP_PX

PX_PER_UNIT_480P = 480 / 8.0  # the frame is 8 scene units high


@pytest.fixture(scope="module")
def rosenbrock_map():
    return ContourMap(gd.landscape("rosenbrock"), width=4.0, height=4.0)


def test_one_swatch_per_band_in_the_maps_colours(rosenbrock_map):
    bar = rosenbrock_map.colorbar()
    assert len(bar.swatches) == len(rosenbrock_map.levels) + 1
    for swatch, color in zip(bar.swatches, rosenbrock_map.colors):
        assert swatch.get_fill_color().to_hex() == color.to_hex()
    ys = [s.get_center()[1] for s in bar.swatches]
    assert np.all(np.diff(ys) > 0)  # lowest band at the bottom


def test_labels_are_the_level_values_through_the_kit_formatter(rosenbrock_map):
    bar = rosenbrock_map.colorbar()
    assert bar.label_levels[-1] == rosenbrock_map.levels[-1]  # the top level is always labelled
    assert len(bar.labels) >= 3
    for text, level in zip(bar.labels, bar.label_levels):
        assert text.text == format_sig(float(f"{level:.2g}"), 2)  # 2 significant digits suffice here
        assert float(text.text.replace(MINUS, "-")) == pytest.approx(level, rel=0.05)
    # each label sits at the boundary between the two swatches it separates
    for text, level in zip(bar.labels, bar.label_levels):
        i = int(np.flatnonzero(rosenbrock_map.levels == level)[0])
        boundary = (bar.swatches[i].get_top()[1] + bar.swatches[i + 1].get_bottom()[1]) / 2
        assert text.get_center()[1] == pytest.approx(boundary, abs=0.02)


def test_labels_are_readable_and_apart(rosenbrock_map):
    bar = rosenbrock_map.colorbar(height=3.0)
    for text in bar.labels:
        assert text.font_size * TEXT_CAP_PER_SIZE * PX_PER_UNIT_480P >= MIN_CAP_PX
    tops = [t.get_top()[1] for t in bar.labels]
    bottoms = [t.get_bottom()[1] for t in bar.labels]
    assert all(b2 > t1 for t1, b2 in zip(tops[:-1], bottoms[1:]))  # no two labels touch


@pytest.mark.parametrize("side", [RIGHT, LEFT])
def test_bar_sits_beside_the_map_without_covering_it(rosenbrock_map, side):
    bar = rosenbrock_map.colorbar(side=side, title="f")
    box = rosenbrock_map.box
    assert bar.frame.height == pytest.approx(box.frame.height)
    assert bar.frame.get_center()[1] == pytest.approx(box.frame.get_center()[1])
    if side is RIGHT:
        assert bar.get_left()[0] > box.frame.get_right()[0]
    else:  # left of the y tick numbers and label too
        assert bar.get_right()[0] < box.get_left()[0]
    assert bar.title.text == "f"


def test_distinct_labels_even_when_levels_are_close():
    bar = ColorBar([1.001, 1.002, 1.003], ["#000000", "#111111", "#222222", "#333333"], height=4)
    texts = [t.text for t in bar.labels]
    assert len(set(texts)) == len(texts)


def test_bad_input_is_named():
    with pytest.raises(GdengineError, match="len\\(levels\\) \\+ 1"):
        ColorBar([1.0, 2.0], ["#000000"])
    cmap = ContourMap(gd.landscape("himmelblau"), width=3, height=3, n_levels=6)
    with pytest.raises(GdengineError, match="RIGHT or LEFT"):
        cmap.colorbar(side=np.array([0.0, 1.0, 0.0]))
