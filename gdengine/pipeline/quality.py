"""Quality presets: output size, frame rate and the folder each one writes to."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gdengine.errors import GdengineError

DEFAULT_QUALITY = "hd"


@dataclass(frozen=True)
class Quality:
    name: str
    width: int
    height: int
    fps: int

    def out_dir(self, renders: Path) -> Path:
        """The default quality writes to ``renders/``; the others to ``renders/<name>/``."""
        return renders if self.name == DEFAULT_QUALITY else renders / self.name

    def as_dict(self) -> dict[str, int | str]:
        return {"name": self.name, "width": self.width, "height": self.height, "fps": self.fps}


QUALITIES: dict[str, Quality] = {
    q.name: q
    for q in (
        Quality("preview", 854, 480, 15),
        Quality("hd", 1280, 720, 30),
        Quality("full", 1920, 1080, 60),
        Quality("4k", 3840, 2160, 60),
    )
}


def quality(name: str) -> Quality:
    """The preset called ``name``; a ``GdengineError`` listing the valid names otherwise."""
    try:
        return QUALITIES[name]
    except KeyError:
        raise GdengineError(
            f"unknown quality {name!r}; valid qualities: {', '.join(QUALITIES)}"
        ) from None
