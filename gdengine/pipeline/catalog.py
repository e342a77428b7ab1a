"""``scenes/catalog.toml``: the list of clips, in viewing order.

Format (one ``[[clip]]`` table per clip)::

    [[clip]]
    name = "ball_downhill"          # output stem: renders/ball_downhill.mp4 (snake_case, unique)
    file = "ball_downhill.py"       # in scenes/
    entry = "BallDownhill"          # a Manim Scene class, or a PyVista render function
    title = "Rolling downhill"
    description = "One sentence for the gallery."
    params = { lr = 0.5 }           # optional: class attributes / keyword arguments to override
    lint = "warn"                   # optional: publish despite layout findings (printed)

Reading never imports a scene: the entry is found by parsing the file (``ast``), which also
tells a Manim class from a PyVista function. A row that points at a missing file or entry, or
is malformed, becomes a clip with a ``problem``; the run reports it as failed and renders the
rest. Only an unreadable catalog (TOML syntax) stops the run.
"""

from __future__ import annotations

import ast
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from gdengine.errors import GdengineError

CATALOG_NAME = "catalog.toml"
REQUIRED = ("name", "file", "entry", "title", "description")
OPTIONAL = ("params", "lint")
LINT_MODES = ("fail", "warn")  # findings fail the clip, or are printed and the clip published
_SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]+)?$")
DEFAULT_LANGUAGES = ["en"]


@dataclass(frozen=True)
class Clip:
    """One catalog row. ``problem`` is set (and ``kind`` is None) when it cannot render."""

    name: str
    file: str
    entry: str
    title: str | dict[str, str]
    description: str | dict[str, str]
    params: dict[str, Any] = field(default_factory=dict)
    lint: str = "fail"
    kind: str | None = None  # "manim" (a class) or "pyvista" (a function)
    problem: str | None = None
    row: int = 0

    @property
    def stem(self) -> str:
        return Path(self.file).stem


def load(scenes_dir: Path) -> list[Clip]:
    """All catalog rows in order, each checked (see the module docstring)."""
    path = scenes_dir / CATALOG_NAME
    if not path.is_file():
        raise GdengineError(f"no clip catalog at {path}; create it (see renders/README.md)")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise GdengineError(f"{path}: {err}") from None
    extra = sorted(set(data) - {"clip", "languages"})
    if extra:
        raise GdengineError(
            f"{path}: unknown top-level key(s) {', '.join(extra)}; valid: languages = [...] and [[clip]] tables"
        )
    _check_languages(data.get("languages", DEFAULT_LANGUAGES), path)
    rows = data.get("clip", [])
    clips: list[Clip] = []
    seen: dict[str, int] = {}
    for i, row in enumerate(rows, start=1):
        clip = _check_row(row, i, scenes_dir)
        if clip.name in seen and clip.problem is None:
            clip = _with_problem(clip, f"duplicate clip name (also row {seen[clip.name]})")
        seen.setdefault(clip.name, i)
        clips.append(clip)
    return clips


def languages(scenes_dir: Path) -> list[str]:
    """The catalog's ``languages`` (every clip renders in each; the first keeps plain names)."""
    path = scenes_dir / CATALOG_NAME
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return list(DEFAULT_LANGUAGES)
    return _check_languages(data.get("languages", DEFAULT_LANGUAGES), path)


def _check_languages(value: Any, path: Path) -> list[str]:
    if (not isinstance(value, list) or not value
            or not all(isinstance(v, str) and _LANG.match(v) for v in value) or len(set(value)) != len(value)):  # fmt: skip
        raise GdengineError(f'{path}: languages must be a list of distinct codes such as ["en", "zh"], got {value!r}')
    return list(value)


def unit_name(name: str, language: str, all_languages: list[str]) -> str:
    """Output stem of (clip, language): the first language keeps the plain name."""
    return name if language == all_languages[0] else f"{name}.{language}"


def in_language(value: str | dict[str, str], language: str, fallback: str) -> str:
    """A row's title/description (a string, or a table per language) in ``language``."""
    if isinstance(value, dict):
        return value.get(language) or value.get(fallback) or next(iter(value.values()), "")
    return value


def select(clips: list[Clip], wanted: list[str]) -> list[Clip]:
    """The clips named by ``wanted`` (clip names or scene-file stems), in catalog order."""
    if not wanted:
        return list(clips)
    names = {c.name for c in clips}
    stems = {c.stem for c in clips}
    unknown = [w for w in wanted if w not in names and w not in stems]
    if unknown:
        valid = sorted(names | stems)
        raise GdengineError(
            f"unknown scene(s) {', '.join(unknown)}; valid: {', '.join(valid) or '(none)'}"
        )
    chosen = set(wanted)
    return [c for c in clips if c.name in chosen or c.stem in chosen]


# --- row checks --------------------------------------------------------------------------
def _check_row(row: Any, index: int, scenes_dir: Path) -> Clip:
    if not isinstance(row, dict):
        return Clip(f"row{index}", "", "", "", "", problem="row is not a table", row=index)
    values = {k: row.get(k) for k in REQUIRED}
    name = values["name"] if isinstance(values["name"], str) else f"row{index}"
    clip = Clip(
        name=name,
        file=_str(values["file"]),
        entry=_str(values["entry"]),
        title=_text_or_table(values["title"]),
        description=_text_or_table(values["description"]),
        params=row.get("params") if isinstance(row.get("params"), dict) else {},
        lint=row.get("lint") if row.get("lint") in LINT_MODES else "fail",
        row=index,
    )
    problem = _row_problem(row, values)
    if problem is None:
        kind_or_problem = entry_kind(scenes_dir / clip.file, clip.entry)
        if kind_or_problem in ("manim", "pyvista"):
            return Clip(**{**clip.__dict__, "kind": kind_or_problem})
        problem = kind_or_problem
    return _with_problem(clip, problem)


def _row_problem(row: dict[str, Any], values: dict[str, Any]) -> str | None:
    unknown = sorted(set(row) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        return f"unknown key(s) {', '.join(unknown)}; valid keys: {', '.join(REQUIRED + OPTIONAL)}"
    missing = [k for k in REQUIRED if not _filled(values[k], k in ("title", "description"))]
    if missing:
        return f"missing or empty key(s): {', '.join(missing)}"
    if not _SNAKE.match(values["name"]):
        return f"name {values['name']!r} is not snake_case (a-z, 0-9, _)"
    if "lint" in row and row["lint"] not in LINT_MODES:
        return f"lint = {row['lint']!r}; valid choices: {', '.join(repr(m) for m in LINT_MODES)}"
    if isinstance(row.get("params"), dict) and "language" in row["params"]:
        return "params.language: the language is the pipeline's; list it in languages = [...] at the top of the catalog"
    if "params" in row and not isinstance(row["params"], dict):
        return "params must be a table, e.g. params = { lr = 0.5 }"
    file = values["file"]
    if Path(file).is_absolute() or ".." in Path(file).parts or not file.endswith(".py"):
        return f"file {file!r} must be a .py file inside scenes/"
    return None


def entry_kind(path: Path, entry: str) -> str:
    """``"manim"`` / ``"pyvista"`` for a top-level class / function ``entry``; else a problem."""
    if not path.is_file():
        return f"scene file scenes/{path.name} does not exist"
    try:
        defs = _top_level_defs(str(path), path.stat().st_mtime_ns)
    except SyntaxError as err:
        return f"scenes/{path.name} line {err.lineno}: syntax error: {err.msg}"
    if entry not in defs:
        found = ", ".join(sorted(defs)) or "nothing"
        return f"entry {entry!r} is not defined at top level of scenes/{path.name} (found: {found})"
    return defs[entry]


@cache
def _top_level_defs(path: str, _mtime: int) -> dict[str, str]:
    tree = ast.parse(Path(path).read_bytes(), filename=path)
    defs: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            defs[node.name] = "manim"
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.name.startswith("_"):
            defs[node.name] = "pyvista"
    return defs


def _filled(value: Any, table_ok: bool) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    return table_ok and isinstance(value, dict) and bool(value) and all(
        isinstance(v, str) and v.strip() for v in value.values()
    )


def _text_or_table(value: Any) -> str | dict[str, str]:
    return dict(value) if isinstance(value, dict) else _str(value)


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _with_problem(clip: Clip, problem: str) -> Clip:
    return Clip(**{**clip.__dict__, "kind": None, "problem": problem})
