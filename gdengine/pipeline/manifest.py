"""``manifest.json``: what each published clip is, what it was made from, and its checksums.

One manifest per output folder (``renders/``, ``renders/<quality>/``)::

    {"format": 1, "engine_version": "0.1.0", "quality": {...},
     "clips": [{"name", "title", "description", "source", "entry", "kind", "quality",
                "width", "height", "fps", "duration", "frames", "params", "engine_version",
                "render_seconds", "files": {"mp4"|"gif"|"png": {"file", "bytes", "sha256"}},
                "gif": {"width", "height", "fps"}, "inputs": {"key", <component digests>}}]}

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


def load(out_dir: Path) -> dict[str, dict[str, Any]]:
    """Clip entries by name; an absent or unreadable manifest is an empty one."""
    try:
        data = json.loads((out_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
        return {c["name"]: c for c in data["clips"] if isinstance(c, dict) and "name" in c}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def render(entries: list[dict[str, Any]], *, engine_version: str, quality: dict[str, Any]) -> str:
    doc = {"format": FORMAT, "engine_version": engine_version, "quality": quality, "clips": entries}
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
