"""Storyboard sheets: one tile per recorded beat, taken from the published MP4 at the chosen time."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from gdengine.cli import main
from gdengine.pipeline import sheets
from tests.pipeline.helpers import TINY, decode, make_project, manifest, out_dir, render

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("sheets"), ["beats", "sweep"])
    code, log = render(root)
    assert code == 0, log
    return root


def test_beats_are_recorded_in_the_manifest(project):
    entry = {c["name"]: c for c in manifest(project)["clips"]}["beats"]
    assert entry["beats"] == [["intro", 0.0], ["middle", 1.0], ["result", 3.0]]
    assert entry["frames"] == 60 and entry["duration"] == pytest.approx(6.0)


def test_tile_times_show_each_beat_before_the_next_starts():
    beats = [["intro", 0.0], ["middle", 1.0], ["result", 3.0]]
    tiles = sheets.tiles_for(beats, duration=6.0, fps=10, frames=60)
    # 1 s beat: 60 % in (0.6 s); 2 s beat: 3.0 − 0.8 = 2.2 s; 3 s beat: 1 s before the end (5 s)
    assert [(t.beat, t.start, t.frame) for t in tiles] == [("intro", 0.0, 6), ("middle", 1.0, 22), ("result", 3.0, 50)]
    # a beat of no length (two beats at once) and the very end stay inside the video
    tiles = sheets.tiles_for([["a", 0.0], ["b", 2.0], ["c", 2.0]], duration=2.0, fps=10, frames=20)
    assert [t.frame for t in tiles] == [12, 19, 19]


def test_sheet_tiles_are_the_mp4_frames_at_the_chosen_times(project):
    out = io.StringIO()
    assert sheets.write_sheets(["beats"], TINY, project / "scenes", project / "renders", out) == 0
    path = out_dir(project) / "sheets" / "beats.png"
    assert out.getvalue() == f"beats: {path} (3 beats)\n"
    assert [p.name for p in path.parent.iterdir()] == ["beats.png"]  # no temporary file left
    sheet = np.asarray(Image.open(path).convert("RGB"))
    # 3 tiles of 320×180 in one row, a header above and a label strip under each
    m, g = sheets.MARGIN, sheets.GAP
    assert sheet.shape == (2 * m + sheets.HEADER_HEIGHT + 180 + sheets.LABEL_HEIGHT, 2 * m + 3 * 320 + 2 * g, 3)
    _, frames = decode(out_dir(project) / "beats.mp4")
    for index, k in enumerate((6, 22, 50)):
        left, top, right, bottom = sheets.tile_box(3, index, (320, 180))
        tile = sheet[top:bottom, left:right].astype(int)
        assert np.abs(tile - frames[k].astype(int)).max() <= 2, f"tile {index} is not frame {k}"
        for other in (k - 3, k + 3):  # the bar has moved 3 steps: a different frame is told apart
            assert np.abs(tile - frames[other].astype(int)).max() > 100
    # each label strip carries text (light pixels on the dark panel)
    for index in range(3):
        left, _, right, bottom = sheets.tile_box(3, index, (320, 180))
        strip = sheet[bottom : bottom + sheets.LABEL_HEIGHT, left:right]
        assert (strip.min(axis=-1) > 200).sum() > 50


def test_a_clip_without_beats_gets_its_poster_and_a_notice(project):
    out = io.StringIO()
    assert sheets.write_sheets(["sweep"], TINY, project / "scenes", project / "renders", out) == 0
    path = out_dir(project) / "sheets" / "sweep.png"
    assert out.getvalue() == f"sweep: no beats recorded, so the sheet shows the poster only: {path}\n"
    sheet = np.asarray(Image.open(path).convert("RGB"))
    poster = np.asarray(Image.open(out_dir(project) / "sweep.png").convert("RGB"))
    left, top, right, bottom = sheets.tile_box(1, 0, (320, 180))
    assert sheet.shape[1] == 2 * sheets.MARGIN + 320
    assert np.array_equal(sheet[top:bottom, left:right], poster)


def test_a_clip_not_rendered_is_one_line_naming_the_fix(tmp_path, capsys):
    root = make_project(tmp_path, ["beats"])
    code = main(["sheet", "beats", "--quality", "preview",
                 "--scenes-dir", str(root / "scenes"), "--renders-dir", str(root / "renders")])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "beats is not rendered at preview yet" in err
    assert "`make render SCENES=beats QUALITY=preview`" in err
    assert not (root / "renders").exists()  # nothing written


def test_unknown_clip_is_a_one_line_error(tmp_path, capsys):
    root = make_project(tmp_path, ["beats"])
    code = main(["sheet", "nope", "--scenes-dir", str(root / "scenes"), "--renders-dir", str(root / "renders")])
    assert code == 2 and "unknown scene(s) nope; valid: beats" in capsys.readouterr().err


@pytest.mark.parametrize("n, columns", [(1, 1), (3, 3), (4, 2), (5, 3), (9, 3), (10, 4), (17, 4)])
def test_columns(n, columns):
    assert sheets.columns_for(n) == columns
