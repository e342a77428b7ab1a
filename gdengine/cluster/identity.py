"""What a worker must share with the client to render the same pixels: the gdengine code,
the shared optimizer-names table and the versions of the libraries that draw and encode."""

from __future__ import annotations

import hashlib
from pathlib import Path

from gdengine import look
from gdengine.errors import GdengineError
from gdengine.pipeline.inputs import PACKAGE_ROOT, deps_digest


def identity() -> dict[str, str]:
    """Digests of this process's gdengine package, names table and drawing libraries."""
    return {
        "gdengine code": _tree_digest(PACKAGE_ROOT),
        "scenes/strings/optimizers.toml": file_digest(look.NAMES_FILE),
        "library versions": deps_digest(),
    }


def differences(mine: dict[str, str], theirs: dict[str, str]) -> list[str]:
    """The names of the parts that differ (a part one side lacks differs)."""
    return [k for k in sorted(set(mine) | set(theirs)) if mine.get(k) != theirs.get(k)]


def refuse_if_different(mine: dict[str, str], theirs: dict[str, str], worker: str, than: str) -> None:
    """One line naming ``worker`` and what differs from ``than`` (the client's side), if anything."""
    differ = differences(mine, theirs)
    if differ:
        raise GdengineError(
            f"worker {worker} runs different code from {than} ({', '.join(differ)} differ): "
            "check out the client's commit there, run make setup, and restart the worker"
        )


def file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:32]
    except OSError:
        return "missing"


def _tree_digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        h.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:32]
