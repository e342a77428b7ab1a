"""Decks for the catalog's rendered clips (``gdengine slides``): which to build, incremental
rebuilds, atomic writes, the gallery page's links.

A deck is ``<renders>/[<quality>/]slides/<unit>.html`` (``<unit>`` = the clip name, or
``name.<lang>`` past the catalog's first language), its segments and subtitles in
``slides/<unit>/`` and the player in ``slides/reveal/``. ``slides/<unit>/deck.json`` records the
MP4 (its hash) and the recorded beats a deck was cut from; a deck whose clip did not change is
left as it is. A deck is built in a temporary folder and moved into place, the page last, so a
deck on disk is always whole."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any, TextIO

from gdengine.errors import GdengineError
from gdengine.pipeline import catalog, gallery, manifest
from gdengine.pipeline.encode import ffmpeg_exe
from gdengine.pipeline.quality import DEFAULT_QUALITY, Quality
from gdengine.slides import deck, reveal, segments

SLIDES_DIR = "slides"
FORMAT = 2  # bump when decks must be rebuilt (segment encoding or page layout changed)


def deck_key(entry: dict[str, Any]) -> dict[str, Any]:
    """What a deck is made from: the clip's MP4 bytes, its beats and lines, the deck format and
    the player's version."""
    return {"format": FORMAT, "reveal": reveal.pinned_version(), "mp4": entry["files"]["mp4"]["sha256"],
            "beats": entry.get("beats") or [], "lines": entry.get("lines") or []}


def build_deck(entry: dict[str, Any], out_dir: Path) -> tuple[Path, bool]:
    """Write (or keep) the deck of one rendered unit; (page path, whether it was rebuilt)."""
    decks = out_dir / SLIDES_DIR
    unit = str(entry.get("unit", entry["name"]))
    page, folder = decks / f"{unit}.html", decks / unit
    key = deck_key(entry)
    try:
        if page.is_file() and json.loads((folder / "deck.json").read_text(encoding="utf-8")) == key:
            return page, False
    except (OSError, ValueError):
        pass
    mp4 = out_dir / entry["files"]["mp4"]["file"]
    if not mp4.is_file():
        raise GdengineError(f"{unit}: {mp4} is missing; re-render it")
    decks.mkdir(parents=True, exist_ok=True)
    reveal.install_into(decks)
    cuts = segments.segments_for(entry)
    work = decks / f".{unit}.tmp-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        segments.cut(ffmpeg_exe(), mp4, cuts, float(entry["fps"]), work)
        texts, lines = {}, {}
        for s in cuts:
            words = segments.beat_lines(entry, s)
            lines[s.index] = words
            if words:
                text = segments.beat_subtitles(entry, s)
                (work / f"{s.stem}.vtt").write_text(text, encoding="utf-8")
                texts[f"{unit}/{s.stem}.vtt"] = text
        html = deck.render(entry, cuts, unit, lines, texts, gallery.language_name(str(entry.get("language") or "en")))
        (work / "deck.json").write_text(json.dumps(key, indent=1) + "\n", encoding="utf-8")
        page.unlink(missing_ok=True)  # no page ever points at a half-replaced folder
        shutil.rmtree(folder, ignore_errors=True)
        os.replace(work, folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    manifest.write_atomic(page, html)
    return page, True


def write_decks(names: list[str], q: Quality, scenes_dir: Path, renders_dir: Path,
                language: str | None = None, stream: TextIO = sys.stdout) -> int:
    """Decks of the named clips (all when ``names`` is empty) in every catalog language, or only
    ``language``; one line each. Exit 0, or 2 when a clip is not rendered at this quality."""
    clips = catalog.select(catalog.load(scenes_dir), names)
    languages = catalog.languages(scenes_dir)
    if language is not None and language not in languages:
        raise GdengineError(f"unknown language {language!r}; the catalog's: {', '.join(languages)}")
    out_dir = q.out_dir(renders_dir)
    entries = manifest.load(out_dir) if out_dir.is_dir() else {}
    status = 0
    for clip in clips:
        for lang in [language] if language else languages:
            unit = catalog.unit_name(clip.name, lang, languages)
            entry = entries.get(unit)
            if not entry or not (out_dir / entry.get("files", {}).get("mp4", {}).get("file", "-")).is_file():
                hint = f"make render SCENES={clip.name}" + ("" if q.name == DEFAULT_QUALITY else f" QUALITY={q.name}")
                print(f"gdengine: error: {unit} is not rendered at {q.name} yet; run `{hint}`", file=sys.stderr, flush=True)
                status = 2
                continue
            page, rebuilt = build_deck(entry, out_dir)
            beats = len(entry.get("beats") or [])
            what = (f"{beats} slides" if beats else "no beats recorded, so one slide for the whole clip")
            print(f"{unit}: {page} ({what}{'' if rebuilt else ', up to date'})", file=stream, flush=True)
    _refresh_gallery(out_dir, scenes_dir, q, entries)
    return status


def _refresh_gallery(out_dir: Path, scenes_dir: Path, q: Quality, entries: dict[str, dict[str, Any]]) -> None:
    """Rewrite the gallery page so each clip links its deck (the page links only decks that
    exist)."""
    if not (out_dir / gallery.INDEX_NAME).is_file():
        return
    languages = catalog.languages(scenes_dir)
    order = [catalog.unit_name(c.name, lang, languages) for c in catalog.load(scenes_dir) for lang in languages]
    listed = [entries[u] for u in order if u in entries]
    manifest.write_atomic(out_dir / gallery.INDEX_NAME, gallery.render(listed, q, languages=languages, out_dir=out_dir))
