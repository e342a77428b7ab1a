"""FXAA on grabbed frames: a staircase edge moves towards its true coverage, flat regions and
text boxes stay as they were."""

import numpy as np
import pytest

from gdengine.render3d.fxaa import Fxaa, fxaa


def half_plane(size: int, slope: float, samples: int) -> np.ndarray:
    """White above the line y = 40 + slope·x over dark grey, coverage from samples² per pixel."""
    s = (np.arange(size * samples) + 0.5) / samples
    X, Y = np.meshgrid(s, s)
    inside = (Y < 40 + slope * X).astype(float)
    cover = inside.reshape(size, samples, size, samples).mean(axis=(1, 3))
    grey = 30 + cover * (230 - 30)
    return np.repeat(np.round(grey)[..., None], 3, axis=2).astype(np.uint8)


@pytest.mark.parametrize("slope", [0.13, 0.7, 2.0])  # nearly horizontal … steeper than 45°
def test_a_staircase_moves_towards_true_coverage(slope):
    jagged = half_plane(128, slope, 1)  # one sample per pixel: what the rasteriser draws
    truth = half_plane(128, slope, 16)
    smoothed = fxaa(jagged)
    y, x = np.mgrid[0:128, 0:128] + 0.5
    near = np.abs(y - (40 + slope * x)) < 2  # the band along the edge
    error = lambda f: np.abs(f.astype(float) - truth)[near].mean()  # noqa: E731
    assert error(jagged) > 10  # the staircase is really there
    assert error(smoothed) < 0.6 * error(jagged)
    assert len(np.unique(smoothed[..., 0])) > 5  # in-between greys along the edge
    assert np.array_equal(smoothed[~near], jagged[~near]) or slope > 1  # nothing away from it


def test_flat_and_low_contrast_frames_are_untouched():
    flat = np.full((50, 70, 3), 90, np.uint8)
    assert np.array_equal(fxaa(flat), flat)
    ramp = np.repeat(np.linspace(0, 255, 70).astype(np.uint8)[None, :, None], 50, axis=0).repeat(3, axis=2)
    assert np.array_equal(fxaa(ramp), ramp)  # a smooth gradient has no edge


def test_keep_boxes_and_the_frame_border_are_left_alone():
    jagged = half_plane(128, 0.13, 1)
    aa = Fxaa()
    whole = aa(jagged).copy()
    kept = aa(jagged, keep=[(10, 30, 60, 60)]).copy()
    assert not np.array_equal(whole[30:60, 10:60], jagged[30:60, 10:60])
    assert np.array_equal(kept[30:60, 10:60], jagged[30:60, 10:60])
    assert np.array_equal(kept[:, 70:], whole[:, 70:])  # outside the box: as before
    assert np.array_equal(whole[:, 0], jagged[:, 0]) and np.array_equal(whole[:, -1], jagged[:, -1])


def test_same_frame_same_pixels_and_sizes_can_change():
    a = half_plane(96, 0.3, 1)
    aa = Fxaa()
    first = aa(a).copy()
    aa(np.zeros((40, 30, 3), np.uint8))  # another size in between reallocates
    assert np.array_equal(aa(a), first)
    assert first.dtype == np.uint8 and first.shape == a.shape
