"""``manifest.json``: what each published clip is, what it was made from, and its checksums.

One manifest per output folder (``renders/``, ``renders/<quality>/``)::

    {"format": 1, "engine_version": "0.1.0", "quality": {...}, "languages": ["en", "zh"],
     "clips": [{"name", "language", "unit" (the output stem), "title", "description", "source", "entry", "kind", "quality",
                "width", "height", "fps", "duration", "frames", "params", "engine_version",
                "render_seconds", "files": {"mp4"|"gif"|"png": {"file", "bytes", "sha256"}},
                "gif": {"width", "height", "fps"}, "inputs": {"key", <component digests>}}]}

Each clip's own record (``.records/<name>.json``, the same entry) is written atomically right
after its files are in place; the manifest and the gallery page are derived from the records,
so a damaged or deleted ``manifest.json`` costs nothing: the next run reads the records,
re-renders no clip that is intact, and rewrites both.

Clips appear in catalog order. It is rewritten (temporary name, then rename) after every
finished clip, so an interrupted run keeps the record of what it completed; and it is only
ever written after the clip's files are in place, so an entry never vouches for files that
are not there. Its checksums let ``is_current`` detect a file swapped or damaged since.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

FORMAT = 1
MANIFEST_NAME = "manifest.json"
RECORDS_DIR = ".records"


def load(out_dir: Path) -> dict[str, dict[str, Any]]:
    """Entries by unit (clip name, + ".<lang>" past the first language): the manifest's,
    overridden by each unit's own record (so an
    absent or unreadable manifest loses nothing that a record still holds)."""
    try:
        data = json.loads((out_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
        entries = {c.get("unit", c["name"]): c for c in data["clips"] if isinstance(c, dict) and "name" in c}
    except (OSError, ValueError, KeyError, TypeError):
        entries = {}
    for path in sorted((out_dir / RECORDS_DIR).glob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(record, dict) and record.get("unit", record.get("name")) == path.stem:
            entries[path.stem] = record
    return entries


def write_record(out_dir: Path, entry: dict[str, Any]) -> None:
    """The clip's own record, written last (after its files), atomically."""
    folder = out_dir / RECORDS_DIR
    folder.mkdir(exist_ok=True)
    unit = entry.get("unit", entry["name"])  # (clip, language): the clip name, + ".<lang>" past the first
    write_atomic(folder / f"{unit}.json", json.dumps(entry, indent=2, ensure_ascii=False) + "\n")


def drop_record(out_dir: Path, name: str) -> None:
    (out_dir / RECORDS_DIR / f"{name}.json").unlink(missing_ok=True)


def render(entries: list[dict[str, Any]], *, engine_version: str, quality: dict[str, Any],
           languages: list[str] | None = None) -> str:  # fmt: skip
    doc = {"format": FORMAT, "engine_version": engine_version, "quality": quality,
           "languages": list(languages or ["en"]), "clips": entries}  # fmt: skip
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def write_atomic(path: Path, text: str) -> bool:
    """Replace ``path`` with ``text`` through a temporary file; False when already equal."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except OSError:
        pass
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return True


def is_current(entry: dict[str, Any] | None, key: str, out_dir: Path) -> bool:
    """True when ``entry`` was made from inputs ``key`` and its files are intact."""
    if not entry or entry.get("inputs", {}).get("key") != key:
        return False
    for record in entry.get("files", {}).values():
        path = out_dir / record["file"]
        try:
            if path.stat().st_size != record["bytes"] or file_sha256(path) != record["sha256"]:
                return False
        except OSError:
            return False
    return bool(entry.get("files"))


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()
