"""``gdengine lint``: one line per finding, exit 0 clean / 1 findings / 2 bad input or a failing
scene, for a scene file (``FILE.py ENTRY``) and for catalog clips (``--scenes``)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import PLANTED

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
LINE = re.compile(r'^(?P<clip>\w+)\[(?P<lang>[a-z]{2})\]  t=(?P<t>\d+\.\d\d)s  (?P<rule>[a-z-]+)  (?P<objects>".*")$')


def gdengine_lint(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gdengine", "lint", *args, "--quality", "preview", "--cache-dir", str(cache)],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_a_planted_scene_prints_its_finding_and_exits_1(tmp_path):
    proc = gdengine_lint(str(PLANTED), "Overlap", cache=tmp_path)
    assert proc.returncode == 1, proc.stderr
    (line,) = proc.stdout.splitlines()
    m = LINE.match(line)
    assert m, line
    assert (m["clip"], m["lang"], m["rule"], m["objects"]) == ("Overlap", "en", "overlap", '"alpha" × "beta"')
    assert 1.0 < float(m["t"]) <= 2.0
    assert line == f'Overlap[en]  t={m["t"]}s  overlap  "alpha" × "beta"'


def test_a_clean_scene_prints_nothing_and_exits_0(tmp_path):
    proc = gdengine_lint(str(PLANTED), "OverlapClean", cache=tmp_path)
    assert (proc.returncode, proc.stdout) == (0, ""), proc.stderr


@pytest.mark.parametrize(
    "target, message",
    [
        (("tests/lint/no_such_scene.py", "Overlap"), "no such scene file"),
        (("tests/lint/planted.py", "NoSuchEntry"), "NoSuchEntry"),
        (("tests/lint/planted.py",), "FILE.py ENTRY"),
        (("README.md", "Overlap"), "no such scene file"),
    ],
)
def test_bad_input_exits_2(target, message, tmp_path):
    proc = gdengine_lint(*target, cache=tmp_path)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert proc.stdout == ""
    assert "gdengine: error:" in proc.stderr and message in proc.stderr


def test_a_scene_that_raises_exits_2_with_its_error(tmp_path):
    proc = gdengine_lint(str(PLANTED), "Raises", cache=tmp_path)
    assert proc.returncode == 2
    assert proc.stdout.strip() == "Raises: error: RuntimeError: planted failure"


def test_catalog_clips_are_linted_together(tmp_path):
    """--scenes over a catalog: findings of every clip, exit 1; a broken row makes it 2."""
    scenes = tmp_path / "scenes"
    scenes.mkdir()
    shutil.copy(PLANTED, scenes / "planted.py")
    rows = {"overlap": "Overlap", "tiny": "Tiny", "clean": "OverlapClean"}
    catalog = "".join(
        f'[[clip]]\nname = "{name}"\nfile = "planted.py"\nentry = "{entry}"\ntitle = "t"\ndescription = "d"\n\n'
        for name, entry in rows.items()
    )
    (scenes / "catalog.toml").write_text(catalog, encoding="utf-8")
    proc = gdengine_lint("--scenes-dir", str(scenes), cache=tmp_path / "cache")
    assert proc.returncode == 1, proc.stderr
    found = [LINE.match(line) for line in proc.stdout.splitlines()]
    assert [(m["clip"], m["rule"]) for m in found] == [("overlap", "overlap"), ("tiny", "tiny")]  # catalog order

    only = gdengine_lint("--scenes-dir", str(scenes), "--scenes", "clean", cache=tmp_path / "cache")
    assert (only.returncode, only.stdout) == (0, "")
    unknown = gdengine_lint("--scenes-dir", str(scenes), "--scenes", "nope", cache=tmp_path / "cache")
    assert unknown.returncode == 2 and "unknown scene(s) nope" in unknown.stderr

    ghost = '[[clip]]\nname = "ghost"\nfile = "planted.py"\nentry = "Ghost"\ntitle = "t"\ndescription = "d"\n'
    (scenes / "catalog.toml").write_text(catalog + ghost, encoding="utf-8")
    broken = gdengine_lint("--scenes-dir", str(scenes), "--scenes", "clean,ghost", cache=tmp_path / "cache")
    assert broken.returncode == 2  # the clean clip is still linted, the bad row reported
    (line,) = broken.stdout.splitlines()
    assert line.startswith("ghost: error: entry 'Ghost' is not defined at top level of scenes/planted.py")
