"""``make render`` lints every clip it renders: findings fail that clip (one line; the others
still render and publish), and a row with ``lint = "warn"`` publishes anyway with its
findings printed and recorded in the manifest."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest
from pipeline.helpers import TINY, make_project, manifest, out_dir, render, statuses  # tests/pipeline

from .helpers import PLANTED

pytestmark = pytest.mark.slow

ROWS = [
    {"name": "moving_dot", "file": "moving_dot.py", "entry": "MovingDot", "params": "{ seconds = 0.6 }"},
    {"name": "overlap", "file": "planted.py", "entry": "Overlap"},
    {"name": "overlap_warned", "file": "planted.py", "entry": "Overlap", "lint": '"warn"'},
    {"name": "overlap_clean", "file": "planted.py", "entry": "OverlapClean"},
    {"name": "reading_warned", "file": "planted.py", "entry": "ReadingTime", "lint": '"warn"'},
]
FINDING = re.compile(r'overlap\[en\]  t=1\.\d\ds  overlap  "alpha" × "beta"')


@pytest.fixture(scope="module")
def gallery(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("lint-gallery"), ["moving_dot"])
    shutil.copy(PLANTED, root / "scenes" / "planted.py")
    lines = []
    for row in ROWS:
        lines.append("[[clip]]")
        for key, value in row.items():
            lines.append(f"{key} = {value}" if key in ("params", "lint") else f'{key} = "{value}"')
        lines += [f'title = "Title of {row["name"]}"', 'description = "A planted layout defect."', ""]
    (root / "scenes" / "catalog.toml").write_text("\n".join(lines), encoding="utf-8")
    code, log = render(root, jobs=2)
    return root, code, log


def test_a_clip_with_findings_fails_and_the_others_render(gallery):
    root, code, log = gallery
    assert code == 1
    assert statuses(log) == {
        "moving_dot": "rendered", "overlap": "failed", "overlap_warned": "rendered",
        "overlap_clean": "rendered", "reading_warned": "rendered",
    }  # fmt: skip
    (failure,) = [ln for ln in log.split("------")[-1].splitlines() if ln.startswith("overlap ")]
    assert "layout lint: " in failure and FINDING.search(failure), failure
    assert 'set lint = "warn" in its catalog row' in failure
    published = {p.name for p in out_dir(root).iterdir()}
    assert not any(n.startswith("overlap.") for n in published)  # nothing published for it
    assert {"overlap_warned.mp4", "overlap_clean.mp4", "moving_dot.mp4"} <= published


def test_warned_rows_publish_with_their_findings_in_the_manifest(gallery):
    root, _, log = gallery
    clips = {c["name"]: c for c in manifest(root)["clips"]}
    assert list(clips) == ["moving_dot", "overlap_warned", "overlap_clean", "reading_warned"]  # catalog order
    (line,) = clips["overlap_warned"]["lint"]
    assert re.fullmatch(FINDING.pattern.replace("overlap\\[", "overlap_warned\\["), line), line
    (reading,) = clips["reading_warned"]["lint"]
    assert reading.startswith("reading_warned[en]  t=0.") and '"one two three four five six" × "1.' in reading
    assert clips["overlap_clean"]["lint"] == [] and clips["moving_dot"]["lint"] == []
    assert "1 layout findings (lint = \"warn\")" in log and line in log


def test_a_rendered_clip_lints_exactly_as_the_lint_only_run(gallery):
    """The drawn render and the worker's lint-only run (``gdengine lint``: no pixels) report
    the same line."""
    root, _, _ = gallery
    job = {
        "name": "overlap_warned", "file": str(root / "scenes" / "planted.py"), "entry": "Overlap",
        "kind": "manim", "params": {}, "quality": TINY.as_dict(), "cache_dir": str(root / ".cache" / "manim"),
    }  # fmt: skip
    proc = subprocess.run(
        [sys.executable, "-m", "gdengine.pipeline.worker", "--lint", json.dumps(job)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    done = json.loads(proc.stdout.splitlines()[-1])
    assert done["event"] == "done", proc.stderr
    assert done["findings"] == manifest(root)["clips"][1]["lint"]
