"""The house font for 3-D overlays: Noto Sans CJK SC (Latin and Chinese in one face), as the
Manim kit uses, so both kinds of clip read alike; DejaVu Sans when it is missing (Latin only).

VTK opens a font file's first face only, and Debian's fonts-noto-cjk ships one collection
(.ttc) whose first face is the Japanese one (Japanese glyph forms for shared Han characters).
The Simplified Chinese face is therefore copied once into a single-face file in the user's
cache (fontTools, which pyvista's matplotlib already brings); without fontTools the
collection's first face is used.

``Font.cap_px(size)``: cap height ("H") in pixels at a font size of ``size`` pixels (VTK at
72 dpi: one point = one pixel); ``cjk_px(size)``: the height of a Chinese glyph's box. Both
come from the face's own metrics and are checked against rendered glyphs in the tests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from gdengine.errors import GdengineError

NOTO_FAMILY = "Noto Sans CJK SC"
NOTO_COLLECTIONS = {  # Debian fonts-noto-cjk; face 2 of each collection is "Noto Sans CJK SC"
    False: (Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"), 2),
    True: (Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"), 2),
}
DEJAVU = {
    False: (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"), Path("/usr/share/fonts/TTF/DejaVuSans.ttf")),
    True: (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"), Path("/usr/share/fonts/TTF/DejaVuSans-Bold.ttf")),
}
MISSING_CJK = ("no Chinese font for the 3-D overlays: install Noto Sans CJK "
               "(Debian package fonts-noto-cjk)")


@dataclass(frozen=True)
class Font:
    path: str | None  # None: VTK's built-in Arial
    cap: float  # cap height per pixel of font size
    cjk_box: float  # height of a Chinese glyph's box per pixel of font size (0: no Chinese)

    @property
    def has_cjk(self) -> bool:
        return self.cjk_box > 0

    def cap_px(self, size: float) -> float:
        return self.cap * size

    def cjk_px(self, size: float) -> float:
        return self.cjk_box * size


# Metrics of the faces (units per em 1000 / 2048): Noto Sans CJK "H" 733, "中" box 919 (its
# ideographic face box is 880 plus overshoot, measured on the glyph); DejaVu Sans "H" 1493/2048.
NOTO_CAP, NOTO_CJK_BOX = 0.733, 0.919
DEJAVU_CAP = 0.729


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gdengine" / "fonts"


def _fc_match(bold: bool) -> tuple[Path, int] | None:
    """(file, face index) of Noto Sans CJK SC as fontconfig resolves it, if it is that font."""
    if shutil.which("fc-match") is None:
        return None
    pattern = f"{NOTO_FAMILY}:style={'Bold' if bold else 'Regular'}"
    try:
        out = subprocess.run(["fc-match", "-f", "%{file}|%{index}|%{family}", pattern],
                             capture_output=True, text=True, timeout=10, check=True).stdout
        file, index, family = out.split("|", 2)
    except (subprocess.SubprocessError, OSError, ValueError):
        return None
    if NOTO_FAMILY not in family or not Path(file).is_file():
        return None
    return Path(file), int(index or 0)


def single_face(collection: Path, index: int) -> Path:
    """A file holding only face ``index`` of ``collection`` (made once, then cached); the
    collection itself when the face is the first one or fontTools is not available."""
    if index == 0 or collection.suffix.lower() not in (".ttc", ".otc"):
        return collection
    stat = collection.stat()
    target = cache_dir() / f"{collection.stem}-{index}-{stat.st_size}-{int(stat.st_mtime)}.otf"
    if target.is_file():
        return target
    try:
        from fontTools.ttLib import TTFont
    except ImportError:
        return collection
    partial = target.with_name(f".{target.name}.{os.getpid()}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        TTFont(str(collection), fontNumber=index, lazy=True).save(str(partial))
        os.replace(partial, target)  # atomic: a parallel worker sees the whole file or none
    except Exception:  # noqa: BLE001 — no cache or an unreadable collection: its first face
        try:
            partial.unlink(missing_ok=True)
        except OSError:
            pass
        return collection
    return target


@cache
def house_font(bold: bool = False) -> Font:
    """Noto Sans CJK SC (single face), else DejaVu Sans, else VTK's own face."""
    found = _fc_match(bold)
    if found is None:
        path, index = NOTO_COLLECTIONS[bold]
        found = (path, index) if path.is_file() else None
    if found is not None:
        return Font(str(single_face(*found)), NOTO_CAP, NOTO_CJK_BOX)
    for path in DEJAVU[bold]:
        if path.is_file():
            return Font(str(path), DEJAVU_CAP, 0.0)
    return Font(None, 0.716, 0.0)  # VTK's built-in Arial


def font_for(text: str, bold: bool = False) -> Font:
    """The house font, checked to have glyphs for ``text`` (a one-line error otherwise)."""
    from gdengine.lint.rules import is_cjk

    font = house_font(bold)
    if is_cjk(text) and not font.has_cjk:
        raise GdengineError(MISSING_CJK)
    return font


SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺"
_PLAIN = str.maketrans(SUPERSCRIPTS, "0123456789-+")
_LATIN1 = frozenset(range(256))  # VTK's built-in Arial: Latin-1 only (¹ ² ³ among them)


@cache
def code_points(path: str | None) -> frozenset[int]:
    """The characters a font file can draw (its cmap); Latin-1 for VTK's built-in face or when
    fontTools cannot read it."""
    if path is None:
        return _LATIN1
    try:
        from fontTools.ttLib import TTFont

        return frozenset(TTFont(path, fontNumber=0, lazy=True).getBestCmap())
    except Exception:  # noqa: BLE001 — unreadable: assume the safe subset
        return _LATIN1


def drawable(text: str, font: Font) -> str:
    """``text`` with each run of superscripts that ``font`` lacks written with a caret, so
    nothing silently disappears: Noto Sans CJK has ¹ ² ³ ⁴ but not ⁰ ⁵–⁹ ⁻, so "1.9×10⁻⁵"
    becomes "1.9×10^-5" and "x⁶" becomes "x^6" (what a reader would type)."""
    points = code_points(font.path)
    if all(ord(c) in points for c in text if c in SUPERSCRIPTS):
        return text
    out, i = [], 0
    while i < len(text):
        j = i
        while j < len(text) and text[j] in SUPERSCRIPTS:
            j += 1
        if j > i:
            run = text[i:j]
            out.append(run if all(ord(c) in points for c in run) else "^" + run.translate(_PLAIN))
            i = j
        else:
            out.append(text[i])
            i += 1
    return "".join(out)
