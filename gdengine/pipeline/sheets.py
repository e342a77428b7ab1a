"""Storyboard sheets: one frame per beat of a published clip, tiled and labelled (``gdengine sheet``).

``renders/sheets/<name>.png`` (``renders/<quality>/sheets/`` for other qualities) is a contact
sheet a reviewer reads at a glance: a header (clip, title, size, length), then one tile per
beat in viewing order, each labelled with its number, beat id and start time. The beats are
the ones the pipeline recorded (manifest entry ``beats``: ``[[id, seconds], ...]``); the
frames come from the published MP4, so the sheet shows exactly what a viewer sees.

Which frame stands for a beat: its start usually still shows the previous beat fading out,
so a tile shows the beat's result instead, one second before the next beat starts (beats
are followed by a pause after their result), or at 60 % of beats shorter than 2.5 s. A clip
without beats gets one tile, its poster, and a notice. Sheets are written under a temporary
name and renamed, so a sheet on disk is always whole.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TextIO

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from gdengine.errors import GdengineError
from gdengine.numformat import format_number
from gdengine.pipeline import catalog, manifest
from gdengine.pipeline.encode import even, ffmpeg_exe
from gdengine.pipeline.quality import DEFAULT_QUALITY, Quality

SHEETS_DIR = "sheets"
FONT_FAMILY = "Noto Sans CJK SC"
TILE_WIDTH = 480  # px; smaller videos keep their own width
MAX_COLUMNS = 4
MARGIN, GAP = 20, 14
LABEL_HEIGHT, LABEL_SIZE = 34, 20
HEADER_HEIGHT, TITLE_SIZE, INFO_SIZE = 72, 26, 18
BACKGROUND, PANEL, EDGE = (24, 26, 31), (44, 47, 54), (96, 101, 112)  # EDGE: tiles on dark clips stay apart
FOREGROUND, MUTED = (236, 236, 236), (160, 166, 176)
RESULT_LEAD = 1.0  # s: a tile shows its beat this long before the next beat starts …
SHORT_SHARE = 0.6  # … or at this share of a beat shorter than RESULT_LEAD / (1 − SHORT_SHARE)


@dataclass(frozen=True)
class Tile:
    beat: str  # beat id ("poster" for a clip without beats)
    start: float  # s: when the beat starts (the label's time)
    frame: int | None  # MP4 frame shown (None: the poster PNG)


@dataclass(frozen=True)
class Sheet:
    name: str
    path: Path
    tiles: list[Tile]
    columns: int
    tile_size: tuple[int, int]  # (width, height) of one picture, label strip excluded


def tiles_for(beats: list[list[Any]], duration: float, fps: float, frames: int) -> list[Tile]:
    """One tile per beat: the frame ``min(RESULT_LEAD, (1 − SHORT_SHARE) × length)`` before
    the beat's end (the next beat's start, or the clip's end for the last)."""
    starts = [float(t) for _, t in beats]
    tiles = []
    for i, (name, start) in enumerate(zip((str(b[0]) for b in beats), starts)):
        end = starts[i + 1] if i + 1 < len(starts) else duration
        length = max(end - start, 0.0)
        at = start + length - min(RESULT_LEAD, (1 - SHORT_SHARE) * length)
        tiles.append(Tile(name, start, min(max(int(round(at * fps)), 0), frames - 1)))
    return tiles


def columns_for(n: int) -> int:
    """2 columns for 2 or 4 tiles, else 3 up to 9 tiles, 4 beyond (one row for 1–3)."""
    if n <= 3:
        return max(n, 1)
    if n == 4:
        return 2
    return 3 if n <= 9 else MAX_COLUMNS


def build_sheet(entry: dict[str, Any], out_dir: Path) -> Sheet:
    """Write ``out_dir/sheets/<name>.png`` for a manifest ``entry`` whose files are in ``out_dir``."""
    name = entry["name"]
    width, height = entry["width"], entry["height"]
    beats = entry.get("beats") or []
    if beats:
        tiles = tiles_for(beats, float(entry["duration"]), float(entry["fps"]), int(entry["frames"]))
        pictures = _frames(out_dir / entry["files"]["mp4"]["file"], [t.frame for t in tiles], width, height)
    else:
        tiles = [Tile("poster", float("nan"), None)]
        with Image.open(out_dir / entry["files"]["png"]["file"]) as poster:
            pictures = [np.asarray(poster.convert("RGB"))]
    tile_w = min(TILE_WIDTH, pictures[0].shape[1])
    tile_h = round(tile_w * pictures[0].shape[0] / pictures[0].shape[1])
    columns = columns_for(len(tiles))
    image = _compose(entry, tiles, pictures, columns, (tile_w, tile_h))
    path = out_dir / SHEETS_DIR / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        image.save(tmp, format="PNG")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return Sheet(name, path, tiles, columns, (tile_w, tile_h))


def tile_box(sheet_columns: int, index: int, tile_size: tuple[int, int]) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) of picture ``index`` on a sheet (label strip excluded)."""
    tile_w, tile_h = tile_size
    row, col = divmod(index, sheet_columns)
    left = MARGIN + col * (tile_w + GAP)
    top = MARGIN + HEADER_HEIGHT + row * (tile_h + LABEL_HEIGHT + GAP)
    return left, top, left + tile_w, top + tile_h


def resize(picture: np.ndarray, size: tuple[int, int]) -> Image.Image:
    """A frame as it appears on a sheet (Lanczos when it is scaled down)."""
    image = Image.fromarray(picture)
    return image if image.size == size else image.resize(size, Image.Resampling.LANCZOS)


def _compose(entry: dict[str, Any], tiles: list[Tile], pictures: list[np.ndarray], columns: int,
             tile_size: tuple[int, int]) -> Image.Image:  # fmt: skip
    tile_w, tile_h = tile_size
    rows = -(-len(tiles) // columns)
    size = (2 * MARGIN + columns * tile_w + (columns - 1) * GAP,
            2 * MARGIN + HEADER_HEIGHT + rows * (tile_h + LABEL_HEIGHT) + (rows - 1) * GAP)  # fmt: skip
    sheet = Image.new("RGB", size, BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    title, info, label = font(TITLE_SIZE, bold=True), font(INFO_SIZE), font(LABEL_SIZE)
    width = size[0] - 2 * MARGIN
    facts = (f"{entry['width']}×{entry['height']} {entry['quality']} · {format_number(entry['duration'], 1)} s · "
             f"{len(entry.get('beats') or [])} beats")  # fmt: skip
    draw.text((MARGIN, MARGIN), _fit(f"{entry['name']} — {entry.get('title', '')}", title, width, draw),
              font=title, fill=FOREGROUND)  # fmt: skip
    draw.text((MARGIN, MARGIN + TITLE_SIZE + 10), _fit(facts, info, width, draw), font=info, fill=MUTED)
    for i, (tile, picture) in enumerate(zip(tiles, pictures)):
        left, top, right, bottom = tile_box(columns, i, tile_size)
        draw.rectangle((left, bottom, right - 1, bottom + LABEL_HEIGHT - 1), fill=PANEL)
        sheet.paste(resize(picture, tile_size), (left, top))
        draw.rectangle((left - 1, top - 1, right, bottom + LABEL_HEIGHT), outline=EDGE)
        when = "poster" if tile.frame is None else f"{format_number(tile.start, 1)} s"
        text_y = bottom + (LABEL_HEIGHT - LABEL_SIZE) // 2 - 3
        when_w = draw.textlength(when, font=label)
        draw.text((right - 8 - when_w, text_y), when, font=label, fill=MUTED)
        head = "no beats recorded" if tile.frame is None else f"{i + 1}  {tile.beat}"
        draw.text((left + 8, text_y), _fit(head, label, tile_w - when_w - 28, draw), font=label, fill=FOREGROUND)
    return sheet


def _fit(text: str, face: ImageFont.FreeTypeFont, width: float, draw: ImageDraw.ImageDraw) -> str:
    """``text``, cut with an ellipsis where it would be wider than ``width`` pixels."""
    if draw.textlength(text, font=face) <= width:
        return text
    while text and draw.textlength(text + "…", font=face) > width:
        text = text[:-1]
    return text + "…"


def _frames(mp4: Path, indices: list[int], width: int, height: int) -> list[np.ndarray]:
    """Frames ``indices`` of ``mp4`` as (H, W, 3) RGB, in one decoding pass."""
    wanted = sorted(set(indices))
    select = "+".join(f"eq(n,{k})" for k in wanted)
    cmd = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin", "-i", str(mp4),
           "-vf", f"select='{select}'", "-fps_mode", "passthrough",
           "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True)
    w, h = even(width), even(height)  # as the MP4 was encoded
    if done.returncode != 0 or len(done.stdout) != len(wanted) * w * h * 3:
        reason = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["wrong frame count"]
        raise GdengineError(f"cannot read frames {wanted} of {mp4}: {reason[0]}")
    found = np.frombuffer(done.stdout, np.uint8).reshape(len(wanted), h, w, 3)
    return [found[wanted.index(k)] for k in indices]


@cache
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """Noto Sans CJK SC (Latin and Chinese, as in the clips) at ``size`` px, found by fc-match."""
    pattern = f"{FONT_FAMILY}:style={'Bold' if bold else 'Regular'}"
    try:
        found = subprocess.run(["fc-match", "-f", "%{family}\t%{file}\t%{index}", pattern],
                               capture_output=True, text=True, check=True).stdout  # fmt: skip
        family, path, index = found.split("\t")
    except (OSError, subprocess.CalledProcessError, ValueError):
        family = path = index = ""
    if FONT_FAMILY not in family or not Path(path).is_file():
        raise GdengineError(f"no {FONT_FAMILY} font for the sheet labels: install fonts-noto-cjk (scripts/system-packages render)")
    return ImageFont.truetype(path, size, index=int(index or 0))


def fix_hint(name: str, q: Quality) -> str:
    quality = "" if q.name == DEFAULT_QUALITY else f" QUALITY={q.name}"
    return f"make render SCENES={name}{quality}"


def write_sheets(names: list[str], q: Quality, scenes_dir: Path, renders_dir: Path,
                 stream: TextIO = sys.stdout) -> int:  # fmt: skip
    """Sheets of the named clips (all catalog clips when ``names`` is empty); one line each.
    Exit status 0, or 2 when a clip is not rendered at this quality (its line names the fix)."""
    clips = catalog.select(catalog.load(scenes_dir), names)
    out_dir = q.out_dir(renders_dir)
    entries = manifest.load(out_dir) if out_dir.is_dir() else {}
    status = 0
    for clip in clips:
        entry = entries.get(clip.name)
        kind = "png" if entry and not entry.get("beats") else "mp4"
        if not entry or not (out_dir / entry.get("files", {}).get(kind, {}).get("file", "-")).is_file():
            print(f"gdengine: error: {clip.name} is not rendered at {q.name} yet (no {clip.name}.{kind} in {out_dir}); "
                  f"run `{fix_hint(clip.name, q)}`", file=sys.stderr, flush=True)  # fmt: skip
            status = 2
            continue
        sheet = build_sheet(entry, out_dir)
        if entry.get("beats"):
            print(f"{clip.name}: {sheet.path} ({len(sheet.tiles)} beats)", file=stream, flush=True)
        else:
            print(f"{clip.name}: no beats recorded, so the sheet shows the poster only: {sheet.path}",
                  file=stream, flush=True)  # fmt: skip
    return status
