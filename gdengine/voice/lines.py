"""One narration line's audio: the author's recording if there is one, else the synthetic
line, cached under ``.cache/voice/`` by (text, voice, voice version, settings)."""

from __future__ import annotations

import hashlib
import json
import os
import wave
from dataclasses import dataclass
from pathlib import Path

from gdengine.errors import GdengineError
from gdengine.voice.spoken import spoken
from gdengine.voice.voices import Voice

RECORDING_SUFFIXES = (".wav", ".flac", ".mp3", ".m4a")
CACHE = {"dir": Path(".cache") / "voice", "recordings": None}  # set per clip by the pipeline


def configure(cache_dir: Path | None = None, recordings_dir: Path | None = None) -> None:
    """Where cached lines live and where this clip's recordings are (voice/<clip>/<lang>/)."""
    if cache_dir is not None:
        CACHE["dir"] = Path(cache_dir)
    CACHE["recordings"] = None if recordings_dir is None else Path(recordings_dir)


@dataclass(frozen=True)
class LineAudio:
    text: str
    path: Path  # a file ffmpeg can read (WAV when synthesised)
    seconds: float
    recorded: bool = False


def recording_for(beat: str) -> Path | None:
    """The author's recording of ``beat`` (voice/<clip>/<lang>/<beat>.wav|flac|mp3|m4a)."""
    folder = CACHE["recordings"]
    if folder is None:
        return None
    for suffix in RECORDING_SUFFIXES:
        path = folder / f"{beat}{suffix}"
        if path.is_file():
            return path
    return None


def synthesized(text: str, voice: Voice) -> LineAudio:
    said = spoken(text, voice.language)  # the words the voice reads; subtitles keep ``text``
    key = hashlib.sha256(
        json.dumps([said, voice.name, voice.model, voice.version(), voice.settings], sort_keys=True).encode()
    ).hexdigest()[:32]
    path = CACHE["dir"] / f"{key}.wav"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        tmp.write_bytes(voice.synthesize(said))
        os.replace(tmp, path)
    return LineAudio(text, path, wav_seconds(path))


def recorded(text: str, path: Path) -> LineAudio:
    from gdengine.voice.track import probe_seconds

    try:
        seconds = probe_seconds(path)
    except GdengineError as err:
        raise GdengineError(f"recording {path} is unreadable ({err}); re-export it as WAV or FLAC") from None
    return LineAudio(text, path, seconds, recorded=True)


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / float(w.getframerate())


BREATH = 0.4  # seconds of quiet after a beat's narration before the next beat starts
LINE_GAP = 0.25  # between two lines of one beat


def for_beat(table, language: str, voice: Voice | None, beat: str, key: str | None = None, /,
             **values: object) -> list[LineAudio]:
    """The audio of beat ``beat``'s narration (strings ``[language.narration] key``, default
    the beat id, filled with ``values``): the author's recording of the beat if there is one,
    else one synthetic line per text line; [] when silent (no table, no voice, no lines)."""
    if table is None or voice is None:
        return []
    texts = table.narration(language, key or beat, **values)
    if not texts:
        return []
    recording = recording_for(beat)
    if recording is not None:
        return [recorded(" ".join(texts), recording)]
    return [synthesized(text, voice) for text in texts]


def timed(lines: list[LineAudio], start: float) -> list[tuple[LineAudio, float, float]]:
    """A beat's lines with the times they are spoken, one after another from ``start`` with
    ``LINE_GAP`` between them (the Manim scenes and the 3-D scripts lay them out alike)."""
    out = []
    for audio in lines:
        end = start + audio.seconds
        out.append((audio, start, end))
        start = end + LINE_GAP
    return out


def spoken_seconds(lines: list[LineAudio]) -> float:
    """How long a beat must last to say ``lines`` (gaps between lines, a breath after)."""
    return timed(lines, 0.0)[-1][2] + BREATH if lines else 0.0
