"""Where the deck player comes from: reveal.js (MIT) as setup installed it from the npm registry
(``npm-packages.txt``, ``scripts/fetch-npm``), copied beside the decks so they play offline."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from gdengine.errors import GdengineError

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "npm-packages.txt"
VENDOR = ROOT / ".vendor" / "npm"
# what a deck needs of the package (path in the package → path in the decks' reveal/ folder)
FILES = {"dist/reveal.js": "reveal.js", "dist/reveal.css": "reveal.css",
         "dist/theme/black.css": "theme/black.css", "LICENSE": "LICENSE"}
# fonts the black theme loads from its own folder (relative url()s), when the package has them
THEME_FONTS = "dist/theme/fonts"


def pinned_version(name: str = "reveal.js") -> str:
    for row in LOCK.read_text(encoding="utf-8").splitlines():
        parts = row.split()
        if parts and parts[0] == name:
            return parts[1]
    raise GdengineError(f"{name} is not pinned in {LOCK.name}")


def package_dir() -> Path:
    """The installed package folder; a one-line error naming the fix when setup has not run."""
    folder = Path(os.environ.get("GDENGINE_VENDOR", VENDOR)) / f"reveal.js@{pinned_version()}"
    if not all((folder / f).is_file() for f in FILES):
        raise GdengineError(f"reveal.js {pinned_version()} is not installed ({folder} is missing); "
                            "run `make slides` (setup fetches it) or `python3 scripts/fetch-npm`")
    return folder


def install_into(decks_dir: Path) -> Path:
    """Copy the player into ``decks_dir/reveal/`` (once per version) and return that folder."""
    source = package_dir()
    target = decks_dir / "reveal"
    stamp = target / ".version"
    if stamp.is_file() and stamp.read_text() == pinned_version():
        return target
    partial = decks_dir / f".reveal.{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    for src, dst in FILES.items():
        (partial / dst).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / src, partial / dst)
    if (source / THEME_FONTS).is_dir():
        shutil.copytree(source / THEME_FONTS, partial / "theme" / "fonts")
    (partial / ".version").write_text(pinned_version())
    shutil.rmtree(target, ignore_errors=True)
    os.replace(partial, target)
    return target
