"""Incremental keys: what changes a clip's key, and what must not."""

from __future__ import annotations

from pathlib import Path

import pytest

from gdengine.pipeline import inputs

FAKE_PACKAGE = {
    "__init__.py": "from gdengine.core import *\n",
    "errors.py": "class GdengineError(ValueError): pass\n",
    "core/__init__.py": "from gdengine.core.maths import f\n",
    "core/maths.py": "from gdengine.errors import GdengineError\ndef f(x): return x * x\n",
    "kit/__init__.py": "",
    "kit/scene.py": "import gdengine as gd\nfrom gdengine.kit import palette\n",
    "kit/palette.py": "ORANGE = '#E69F00'\n",
    "kit/strings.toml": "[en]\n",
    "render3d/__init__.py": "from gdengine.render3d.surface import draw\n",
    "render3d/surface.py": "def draw(): pass\n",
    "pipeline/__init__.py": "",
    "pipeline/gallery.py": "CSS = ''\n",
    **{f: "# renderer\n" for f in inputs.RENDERER_FILES},
}

SCENE = '''import gdengine as gd
from gdengine.kit.scene import GdScene
import helpers

class Clip(GdScene):
    strings_file = "strings/clip.toml"
'''


@pytest.fixture
def project(tmp_path):
    pkg = tmp_path / "gdengine"
    for rel, text in FAKE_PACKAGE.items():
        (pkg / rel).parent.mkdir(parents=True, exist_ok=True)
        (pkg / rel).write_text(text)
    scenes = tmp_path / "scenes"
    (scenes / "strings").mkdir(parents=True)
    (scenes / "clip.py").write_text(SCENE)
    (scenes / "helpers.py").write_text("from gdengine.render3d import draw\n")
    (scenes / "strings" / "clip.toml").write_text("[en]\nhello = 'hi'\n")
    (scenes / "other.py").write_text("x = 1\n")
    return tmp_path


def key(root: Path, params=None, quality=None) -> inputs.InputKey:
    q = quality or {"name": "hd", "width": 1280, "height": 720, "fps": 30}
    hasher = inputs.InputHasher(root / "gdengine")  # a new one per run, as the runner does
    return hasher.clip_inputs(root / "scenes" / "clip.py", "Clip", params or {}, q)


def edit(path: Path, extra: str = "\n# edited\n") -> None:
    path.write_text(path.read_text() + extra)


def test_library_closure_follows_static_imports_by_subpackage(project):
    files = set(inputs.InputHasher(project / "gdengine").library_files(project / "scenes" / "clip.py"))
    # kit (imported), core + errors (through gdengine/__init__), render3d (via scenes/helpers.py)
    assert {"__init__.py", "errors.py", "core/maths.py", "kit/scene.py", "kit/palette.py"} <= files
    assert "kit/strings.toml" in files  # package data counts too
    assert "render3d/surface.py" in files
    assert not any(f.startswith("pipeline/") for f in files)


@pytest.mark.parametrize(
    ("changed", "component"),
    [
        ("scenes/clip.py", "source"),
        ("scenes/helpers.py", "source"),
        ("scenes/strings/clip.toml", "source"),
        ("gdengine/kit/palette.py", "library"),
        ("gdengine/core/maths.py", "library"),
        ("gdengine/render3d/surface.py", "library"),
        ("gdengine/pipeline/encode.py", "renderer"),
    ],
)
def test_editing_an_input_changes_exactly_its_component(project, changed, component):
    before = key(project)
    edit(project / changed)
    after = key(project)
    assert after.key != before.key
    assert after.changed(before.parts) == [component]


@pytest.mark.parametrize("unrelated", ["scenes/other.py", "gdengine/pipeline/gallery.py"])
def test_editing_unrelated_files_keeps_the_key(project, unrelated):
    before = key(project)
    edit(project / unrelated)
    assert key(project).key == before.key


def test_params_and_quality_are_part_of_the_key(project):
    base = key(project)
    assert key(project, params={"lr": 0.5}).changed(base.parts) == ["params"]
    q = {"name": "full", "width": 1920, "height": 1080, "fps": 60}
    assert key(project, quality=q).changed(base.parts) == ["quality"]
    assert key(project).key == base.key  # deterministic


def test_installed_versions_are_part_of_the_key(project, monkeypatch):
    base = key(project)
    inputs.deps_digest.cache_clear()
    real = inputs.metadata.version
    monkeypatch.setattr(inputs.metadata, "version", lambda n: "9.9" if n == "manim" else real(n))
    try:
        assert key(project).changed(base.parts) == ["deps"]
    finally:
        monkeypatch.undo()
        inputs.deps_digest.cache_clear()
