"""Cue building and the two subtitle formats (see the package docstring)."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_CHARS = {"zh": 20}
DEFAULT_MAX_CHARS = 42
MAX_LINES = 2
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    lines: tuple[str, ...]


def _wrap(text: str, width: int, cjk: bool) -> list[str]:
    """Break ``text`` into lines of at most ``width`` characters (CJK: anywhere, preferring
    after punctuation; otherwise at spaces)."""
    if cjk:
        out, line = [], ""
        for ch in text:
            if len(line) >= width:
                out.append(line)
                line = ""
            line += ch
        if line:
            out.append(line)
        return [x.strip() for x in out if x.strip()]
    out, line = [], ""
    for word in text.split():
        while len(word) > width:  # a single over-long token: hard split
            if line:
                out.append(line)
                line = ""
            out.append(word[:width])
            word = word[width:]
        candidate = f"{line} {word}".strip()
        if len(candidate) > width:
            out.append(line)
            line = word
        else:
            line = candidate
    if line:
        out.append(line)
    return out


def cues_for(lines: list[tuple[float, float, str]], language: str) -> list[Cue]:
    """Cues from narration lines (start, end, text): a line longer than two subtitle lines is
    split into consecutive cues, its time shared out by character count."""
    width = MAX_CHARS.get(language, DEFAULT_MAX_CHARS)
    cues: list[Cue] = []
    for start, end, text in lines:
        wrapped = _wrap(" ".join(text.split()), width, bool(_CJK.search(text)))
        groups = [tuple(wrapped[i:i + MAX_LINES]) for i in range(0, len(wrapped), MAX_LINES)]
        weights = [sum(len(x) for x in g) for g in groups]
        total, t = float(sum(weights)) or 1.0, start
        for group, weight in zip(groups, weights):
            t_end = end if group is groups[-1] else t + (end - start) * weight / total
            cues.append(Cue(round(t, 3), round(t_end, 3), group))
            t = t_end
    return cues


def _stamp(seconds: float, sep: str) -> str:
    ms = int(round(seconds * 1000))
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def vtt(cues: list[Cue]) -> str:
    blocks = ["WEBVTT", ""]
    for i, cue in enumerate(cues, 1):
        blocks += [str(i), f"{_stamp(cue.start, '.')} --> {_stamp(cue.end, '.')}", *cue.lines, ""]
    return "\n".join(blocks)


def srt(cues: list[Cue]) -> str:
    blocks = []
    for i, cue in enumerate(cues, 1):
        blocks += [str(i), f"{_stamp(cue.start, ',')} --> {_stamp(cue.end, ',')}", *cue.lines, ""]
    return "\n".join(blocks)


def chapters(beats: list[tuple[str, float]], duration: float, titles: dict[str, str] | None = None) -> str:
    """One WebVTT chapter per beat, from its start to the next beat's (the last to the end)."""
    titles = titles or {}
    blocks = ["WEBVTT", ""]
    for i, (beat, start) in enumerate(beats):
        end = beats[i + 1][1] if i + 1 < len(beats) else duration
        if end <= start:
            continue
        title = titles.get(beat) or beat.replace("_", " ").replace("-", " ").capitalize()
        blocks += [f"{beat}", f"{_stamp(start, '.')} --> {_stamp(end, '.')}", title, ""]
    return "\n".join(blocks)
