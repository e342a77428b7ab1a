"""The inputs a clip's pixels depend on, hashed into its incremental-build key.

A clip is rebuilt when any of these changed since its outputs were made:

* ``source``   — the scene file, sibling modules in ``scenes/`` it imports, and data files
  it names by a string literal (e.g. its captions ``strings_file``);
* ``library``  — the gdengine code it uses: every ``gdengine`` subpackage reachable through
  static imports from the scene file (``ast``), at subpackage granularity (a scene that
  imports ``gdengine.kit.scene`` depends on all of ``gdengine/kit/``; importing ``gdengine``
  pulls in ``gdengine/__init__.py`` and through it ``gdengine/core/``). This is conservative:
  editing an unused module of a used subpackage rebuilds, but no dependency is missed unless
  a module is imported dynamically by a computed name. Subpackages nothing imports (e.g.
  ``render3d`` for a Manim scene, ``pipeline``'s gallery code) never trigger a rebuild;
* ``renderer`` — the pipeline modules that turn frames into files (capture, sink, encode,
  worker): a change to encoding settings re-encodes every clip;
* ``params``   — the catalog row's params table and the entry name;
* ``quality``  — size and frame rate;
* ``deps``     — the installed versions of the libraries that draw or encode
  (manim, cairo, pango, numpy, pyvista/vtk, ffmpeg build, Pillow, typst, …).

Only file bytes are read (no imports), so checking a dozen clips takes milliseconds.
"""

from __future__ import annotations

import ast
import hashlib
import json
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import gdengine

PACKAGE_ROOT = Path(gdengine.__file__).resolve().parent
RENDERER_FILES = ("pipeline/capture.py", "pipeline/sink.py", "pipeline/encode.py", "pipeline/worker.py")
PINNED_DISTRIBUTIONS = (
    "manim", "manimpango", "pycairo", "numpy", "numba", "scipy", "pyvista", "vtk",
    "imageio-ffmpeg", "pillow", "typst", "skia-pathops", "mapbox_earcut",
)  # fmt: skip


@dataclass(frozen=True)
class InputKey:
    """Per-component digests and the combined key."""

    parts: dict[str, str]

    @property
    def key(self) -> str:
        return _digest(json.dumps(self.parts, sort_keys=True).encode())

    def changed(self, old: dict[str, str] | None) -> list[str]:
        """Which components differ from an earlier record (all when there is none)."""
        if not old:
            return ["new"]
        return [k for k, v in self.parts.items() if old.get(k) != v] or []


def clip_inputs(scene_file: Path, entry: str, params: dict[str, Any], quality: dict[str, Any]) -> InputKey:
    scenes_dir = scene_file.parent
    sources, packages = _scene_closure(scene_file.resolve())
    return InputKey(
        {
            "source": _hash_files(sources, scenes_dir.resolve()),
            "library": _library_digest(packages),
            "renderer": _hash_files(tuple(PACKAGE_ROOT / f for f in RENDERER_FILES), PACKAGE_ROOT),
            "params": _digest(json.dumps({"entry": entry, "params": params}, sort_keys=True, default=str).encode()),
            "quality": _digest(json.dumps(quality, sort_keys=True).encode()),
            "deps": deps_digest(),
        }
    )


# --- scene side --------------------------------------------------------------------------
def _scene_closure(scene_file: Path) -> tuple[tuple[Path, ...], frozenset[str]]:
    """Scene files (the scene, imported siblings, named data files) and gdengine units used."""
    scenes_dir = scene_file.parent
    files: list[Path] = []
    units: set[str] = set()
    todo = [scene_file]
    while todo:
        path = todo.pop()
        if path in files:
            continue
        files.append(path)
        if path.suffix != ".py":
            continue
        tree = ast.parse(path.read_bytes(), filename=str(path))
        for module in _imported_modules(tree):
            top = module.split(".")[0]
            if top == "gdengine":
                units |= _units_of(module)
            elif (scenes_dir / f"{top}.py").is_file():
                todo.append(scenes_dir / f"{top}.py")
        for literal in _string_literals(tree):
            candidate = scenes_dir / literal
            if "/" not in literal and candidate.is_file():
                todo.append(candidate)
    return tuple(sorted(files)), frozenset(units)


def _imported_modules(tree: ast.AST) -> set[str]:
    """Dotted names of every module an ``import``/``from … import`` may load."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _string_literals(tree: ast.AST) -> set[str]:
    return {
        n.value for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and 0 < len(n.value) < 200
    }  # fmt: skip


# --- library side ------------------------------------------------------------------------
def _units_of(module: str) -> set[str]:
    """``gdengine.kit.scene`` → {"__init__.py", "kit"}: the files/subpackages that run."""
    parts = module.split(".")
    units = {"__init__.py"}
    if len(parts) > 1:
        if (PACKAGE_ROOT / parts[1]).is_dir():
            units.add(parts[1])
        elif (PACKAGE_ROOT / f"{parts[1]}.py").is_file():
            units.add(f"{parts[1]}.py")
    return units


@cache
def _unit_files(unit: str) -> tuple[Path, ...]:
    path = PACKAGE_ROOT / unit
    if path.is_dir():
        return tuple(sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts))
    return (path,)


@cache
def _library_closure(units: frozenset[str]) -> tuple[Path, ...]:
    """All files of ``units`` and of every gdengine unit they import in turn."""
    done: set[str] = set()
    todo = list(units)
    while todo:
        unit = todo.pop()
        if unit in done:
            continue
        done.add(unit)
        for path in _unit_files(unit):
            if path.suffix == ".py":
                tree = ast.parse(path.read_bytes(), filename=str(path))
                for module in _imported_modules(tree):
                    if module.split(".")[0] == "gdengine":
                        todo.extend(_units_of(module) - done)
    return tuple(sorted({p for u in done for p in _unit_files(u)}))


@cache
def _library_digest(units: frozenset[str]) -> str:
    return _hash_files(_library_closure(units), PACKAGE_ROOT)


def library_files(scene_file: Path) -> list[str]:
    """The gdengine files a scene's key covers (relative paths; for docs and tests)."""
    _, units = _scene_closure(scene_file.resolve())
    return [str(p.relative_to(PACKAGE_ROOT)) for p in _library_closure(units)]


@cache
def deps_digest() -> str:
    versions = {}
    for name in PINNED_DISTRIBUTIONS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return _digest(json.dumps(versions, sort_keys=True).encode())


# --- hashing -----------------------------------------------------------------------------
def _hash_files(paths: tuple[Path, ...] | list[Path], root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(paths):
        h.update(str(path.relative_to(root)).encode() + b"\0")
        h.update(_file_digest(path, path.stat().st_mtime_ns, path.stat().st_size).encode())
    return h.hexdigest()[:32]


@cache
def _file_digest(path: Path, _mtime: int, _size: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]
