"""Catalog reading: rows become clips in order; bad rows are reported, never crash."""

from __future__ import annotations

import pytest

from gdengine.errors import GdengineError
from gdengine.pipeline import catalog

from .helpers import make_project, write_catalog


@pytest.fixture
def scenes(tmp_path):
    return make_project(tmp_path, ["moving_dot", "sweep"]) / "scenes"


def test_rows_in_order_with_kinds_and_params(scenes):
    clips = catalog.load(scenes)
    assert [c.name for c in clips] == ["moving_dot", "sweep"]
    assert [c.kind for c in clips] == ["manim", "pyvista"]
    assert clips[0].params == {"seconds": 0.6}
    assert all(c.problem is None for c in clips)


def test_missing_file_and_entry_become_failed_rows(scenes):
    write_catalog(scenes, ["moving_dot", "ghost"], {"moving_dot": {"entry": "NoSuchScene"}})
    dot, ghost = catalog.load(scenes)
    assert "NoSuchScene" in dot.problem and "MovingDot" in dot.problem  # lists what exists
    assert "ghost.py does not exist" in ghost.problem
    assert dot.kind is None and ghost.kind is None


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ('name = "a"\nfile = "moving_dot.py"\nentry = "MovingDot"\ntitle = "t"', "description"),
        ('name = "Bad-Name"\nfile = "moving_dot.py"\nentry = "MovingDot"\ntitle = "t"\ndescription = "d"', "snake_case"),
        ('name = "a"\nfile = "moving_dot.py"\nentry = "MovingDot"\ntitle = "t"\ndescription = "d"\ntitel = "x"', "titel"),
        ('name = "a"\nfile = "../x.py"\nentry = "X"\ntitle = "t"\ndescription = "d"', "inside scenes/"),
        ('name = "a"\nfile = "moving_dot.py"\nentry = "MovingDot"\ntitle = "t"\ndescription = "d"\nparams = 3', "params"),
    ],
)  # fmt: skip
def test_malformed_rows_are_reported(scenes, row, message):
    (scenes / "catalog.toml").write_text(f"[[clip]]\n{row}\n")
    (clip,) = catalog.load(scenes)
    assert clip.problem is not None and message in clip.problem


def test_duplicate_name_fails_the_second_row(scenes):
    text = (scenes / "catalog.toml").read_text()
    (scenes / "catalog.toml").write_text(text + text.split("\n\n")[0] + "\n")
    clips = catalog.load(scenes)
    assert clips[0].problem is None and "duplicate" in clips[-1].problem


def test_syntax_error_is_one_line_error(scenes):
    (scenes / "catalog.toml").write_text("[[clip]\nname = 1\n")
    with pytest.raises(GdengineError, match="catalog.toml"):
        catalog.load(scenes)


def test_select_by_name_or_file_stem_keeps_catalog_order(scenes):
    write_catalog(scenes, ["sweep", "moving_dot", "moving_dot_default"])
    clips = catalog.load(scenes)
    assert [c.name for c in catalog.select(clips, ["moving_dot_default", "sweep"])] == [
        "sweep", "moving_dot_default",
    ]  # fmt: skip
    # "moving_dot" is also the stem of moving_dot.py: a file stem selects all of its clips
    assert [c.name for c in catalog.select(clips, ["moving_dot"])] == ["moving_dot", "moving_dot_default"]
    assert [c.name for c in catalog.select(clips, [])] == ["sweep", "moving_dot", "moving_dot_default"]


def test_select_unknown_lists_valid_names(scenes):
    with pytest.raises(GdengineError) as err:
        catalog.select(catalog.load(scenes), ["moving_dot", "nope"])
    message = str(err.value)
    assert "nope" in message and "moving_dot" in message and "sweep" in message
    assert "\n" not in message
