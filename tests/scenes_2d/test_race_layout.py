"""Race/regression layout kit: formulas keep a legible size, plots fill their slots with their
labels at full size, the race view fits the title-safe area and gives every map a colour bar."""

from __future__ import annotations

import numpy as np
import pytest
from manim import RIGHT, UP, config

import gdengine as gd
from gdengine.kit.layout import Slot, content_region, fit_plot
from gdengine.kit.lossplot import LossPlot
from gdengine.kit.playback import StepClock
from gdengine.kit.race import (
    FORMULA_SIZE,
    LEGEND_SIZE,
    RaceView,
    Runner,
    formula_mobject,
    side_width,
)
from gdengine.lint.manim_probe import TYPST_CAP_PER_SIZE
from gdengine.lint.rules import MIN_CAP_PX, SAFE_MARGIN

PX_PER_UNIT_480 = 480 / 8.0  # the linter judges sizes as if the frame were 854×480


def test_content_region_is_the_title_safe_area_above_the_caption_strip():
    region = content_region()
    assert region.left == pytest.approx(-config.frame_width / 2 * (1 - 2 * SAFE_MARGIN))
    assert region.top == pytest.approx(config.frame_height / 2 * (1 - 2 * SAFE_MARGIN))


def test_long_formula_is_broken_into_lines_not_shrunk():
    beale = gd.landscape("beale").formula
    one_line = formula_mobject(beale, 100.0)
    mob = formula_mobject(beale, 6.0)
    assert mob.width <= 6.0 < one_line.width
    assert mob.height > 1.6 * one_line.height  # two or three lines
    assert mob.font_size == pytest.approx(one_line.font_size)  # same size as on one line
    cap_px = mob.font_size * TYPST_CAP_PER_SIZE * PX_PER_UNIT_480
    assert cap_px >= MIN_CAP_PX
    assert FORMULA_SIZE == pytest.approx(one_line.font_size / 1.45)


def test_fit_plot_fills_the_slot_with_labels_at_full_size():
    slot = Slot(1.0, -0.5, 5.0, 2.5)
    values = np.geomspace(10.0, 1e-4, 51)[:, None]
    plot = fit_plot(lambda w, h: LossPlot(values, StepClock(), ["#ffffff"], min_value=0.0, width=w, height=h),
                    slot, align=RIGHT + UP)
    assert plot.width == pytest.approx(slot.width, abs=0.02)
    assert plot.height == pytest.approx(slot.height, abs=0.02)
    assert plot.get_right()[0] == pytest.approx(slot.right) and plot.get_top()[1] == pytest.approx(slot.top)
    small = LossPlot(values, StepClock(), ["#ffffff"], min_value=0.0, width=2.0, height=1.0)
    assert plot.box.axis_numbers[1][0].font_size == pytest.approx(small.box.axis_numbers[1][0].font_size)


def test_race_view_fits_the_region_with_a_colour_bar():
    land = gd.landscape("beale")
    names = ("sgd", "momentum", "adam")
    opts = [gd.optimizer(n, lr=lr) for n, lr in zip(names, (0.01, 0.002, 0.1))]
    runs = [gd.descend(land, o, [(1.0, 1.4)], 40) for o in opts]
    runners = [Runner(n, o, r) for n, o, r in zip(names, opts, runs)]
    region = content_region()
    side = side_width(runners)
    map_slot, side_slot = region.split(1, 2, gap=0.45, weights_x=(region.width - side - 0.45, side))
    view = RaceView(land, runners, StepClock(), map_slot, side_slot, window=((-0.5, 4.0), (-1.5, 2.0)))
    assert view.colorbar is not None and len(view.colorbar.labels) >= 3
    everything = [*view.static, *view.live]
    for mob in everything:
        assert mob.get_left()[0] >= region.left - 1e-6 and mob.get_right()[0] <= region.right + 1e-6
        assert mob.get_bottom()[1] >= region.bottom - 1e-6 and mob.get_top()[1] <= region.top + 1e-6
    # the legend and its outcome column fit the side slot at their full size
    assert view.legend.get_right()[0] <= side_slot.right + 1e-6
    assert view.legend.rows[0].name.font_size == pytest.approx(LEGEND_SIZE)
    # the map keeps the window's aspect (one unit in x = one unit in y)
    frame = view.cmap.box.frame
    assert frame.height / frame.width == pytest.approx(3.5 / 4.5, rel=1e-3)
