"""``gdengine script CLIP --lang L``: a clip's narration as a recording script.

One block per beat: its id, where it starts, how long the beat lasts in the last render,
how long the current voice takes, and the lines to read. Recordings go to
``voice/<clip>/<lang>/<beat>.wav`` (or .flac/.mp3/.m4a) and replace that beat's voice; the
beat then lasts as long as the recording needs, and only that clip and language re-render.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

from gdengine.errors import GdengineError
from gdengine.pipeline import catalog
from gdengine.pipeline.quality import quality


def print_script(name: str, language: str | None, quality_name: str, scenes_dir: Path, renders_dir: Path,
                 stream: TextIO | None = None, out_dir: Path | None = None) -> int:  # fmt: skip
    stream = sys.stdout if stream is None else stream
    clips = catalog.select(catalog.load(scenes_dir), [name])
    languages = catalog.languages(scenes_dir)
    language = language or languages[0]
    if language not in languages:
        raise GdengineError(f"--lang {language!r}: the catalog's languages are {', '.join(languages)}")
    if len(clips) != 1:
        raise GdengineError(f"{name!r} names {len(clips)} clips; give one clip name: {', '.join(c.name for c in clips)}")
    clip = clips[0]
    unit = catalog.unit_name(clip.name, language, languages)
    out_dir = out_dir or quality(quality_name).out_dir(renders_dir)
    record = out_dir / ".records" / f"{unit}.json"
    if not record.is_file():
        raise GdengineError(f"{unit} is not rendered yet; run `make render SCENES={clip.name}` first (the script times come from the render)")
    entry = json.loads(record.read_text(encoding="utf-8"))
    beats, duration = entry.get("beats", []), float(entry["duration"])
    by_beat: dict[str, list[tuple[str, float, float]]] = {}
    for beat, text, start, end in entry.get("lines", []):
        by_beat.setdefault(beat, []).append((text, start, end))
    print(f"{clip.name} [{language}]: record each beat as voice/{clip.name}/{language}/<beat>.wav (or .flac, .mp3, .m4a)", file=stream)
    for i, (beat, start) in enumerate(beats):
        end = beats[i + 1][1] if i + 1 < len(beats) else duration
        lines = by_beat.get(beat, [])
        spoken = sum(e - s for _, s, e in lines)
        print(f"\n{beat}  at {start:.1f} s, beat {end - start:.1f} s, voice {spoken:.1f} s", file=stream)
        for text, _, _ in lines:
            print(f"    {text}", file=stream)
        if not lines:
            print("    (no narration)", file=stream)
    return 0
