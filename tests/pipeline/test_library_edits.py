"""End to end: editing a real gdengine file re-renders exactly the clips that use it.

A copy of the real package (on PYTHONPATH, so `gdengine render` and its workers run it) and
three small clips: one drawing with the engine (``gdengine`` → core), one with a 3-D helper
(``gdengine.render3d``), one importing nothing of gdengine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import TEST_SCENES, statuses

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]

USES_CORE = '''
import numpy as np
import gdengine as gd


def render(sink, *, width, height, fps):
    land = gd.landscape("himmelblau")
    for k in range(6):
        frame = np.full((height, width, 3), 30, np.uint8)
        value = float(land.f(np.array([[k - 3.0, 0.5]]))[0])
        frame[:, : int(width * min(value, 200.0) / 200.0)] = (200, 120, 40)
        sink.write(frame)
'''
USES_RENDER3D = '''
import numpy as np
from gdengine.render3d.clip import tile_sizes


def render(sink, *, width, height, fps):
    sizes = tile_sizes(width, 3, 4)
    for k in range(6):
        frame = np.zeros((height, width, 3), np.uint8)
        frame[:, : sizes[k % 3]] = (40, 90, 200)
        sink.write(frame)
'''
CATALOG = "".join(
    f'[[clip]]\nname = "{name}"\nfile = "{name}.py"\nentry = "{entry}"\ntitle = "{name}"\ndescription = "d"\n{params}\n'
    for name, entry, params in (("uses_core", "render", ""), ("uses_render3d", "render", ""),
                                ("plain", "render_sweep", "params = { seconds = 0.4 }"))
)  # fmt: skip


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("library-edits")
    shutil.copytree(ROOT / "gdengine", root / "lib" / "gdengine", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "scenes" / "strings", root / "lib" / "scenes" / "strings")  # the shared names table
    scenes = root / "project" / "scenes"
    scenes.mkdir(parents=True)
    (scenes / "uses_core.py").write_text(USES_CORE)
    (scenes / "uses_render3d.py").write_text(USES_RENDER3D)
    shutil.copy(TEST_SCENES / "sweep.py", scenes / "plain.py")
    (scenes / "catalog.toml").write_text(CATALOG)
    assert set(render(root).values()) == {"rendered"}
    return root


def render(root: Path) -> dict[str, str]:
    result = subprocess.run(
        [sys.executable, "-m", "gdengine", "render", "--quality", "preview", "--voice", "none"],
        cwd=root / "project", capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONPATH": str(root / "lib")},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return statuses(result.stdout)


def edit(root: Path, relative: str) -> None:
    path = root / "lib" / "gdengine" / relative
    path.write_text(path.read_text() + f"\n# edited by {__name__}\n")


@pytest.mark.parametrize(
    "edited, rebuilt",
    [
        ("render3d/clip.py", {"uses_render3d"}),
        ("core/landscapes.py", {"uses_core", "uses_render3d"}),  # render3d builds on the engine
        ("pipeline/gallery.py", set()),  # the page, not the pixels
        ("pipeline/encode.py", {"uses_core", "uses_render3d", "plain"}),  # how every clip is encoded
    ],
)  # fmt: skip
def test_editing_a_real_gdengine_file_rebuilds_exactly_its_clips(project, edited, rebuilt):
    edit(project, edited)
    found = render(project)
    assert {name for name, status in found.items() if status == "rendered"} == rebuilt, found
    assert {name for name, status in found.items() if status == "up to date"} == set(found) - rebuilt
