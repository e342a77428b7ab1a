"""Cutting a published clip at its beat times: one MP4 (with its audio) and one WebVTT per beat.

The cut points are the recorded beat starts, rounded to frames; one ffmpeg pass re-encodes the
clip with a key frame forced at each cut and splits it there (``-f segment``), so every segment
starts exactly on its beat and together they hold the clip's frames, none lost or repeated.
A beat's subtitles are the clip's cues that start inside it, shifted to the segment's clock."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gdengine.errors import GdengineError
from gdengine.subtitles.cues import cues_for, vtt

CRF = 18  # as the published MP4 (pipeline.encode): a deck looks like the clip


@dataclass(frozen=True)
class Segment:
    index: int
    beat: str
    first: int  # first frame of the clip in this segment
    frames: int
    start: float  # s, in the clip
    end: float

    @property
    def stem(self) -> str:
        return f"{self.index + 1:02d}-{self.beat}"


def segments_for(entry: dict[str, Any]) -> list[Segment]:
    """One segment per recorded beat (cut at its start frame), or the whole clip as one when
    the clip recorded no beats."""
    fps, frames = float(entry["fps"]), int(entry["frames"])
    beats = [(str(b), float(t)) for b, t in (entry.get("beats") or [])] or [("clip", 0.0)]
    cuts: list[int] = []
    for _, t in beats:
        frame = 0 if not cuts else max(int(round(t * fps)), cuts[-1] + 1)
        cuts.append(frame)
    if cuts[-1] >= frames:
        raise GdengineError(f"{entry.get('unit', entry.get('name'))}: {len(beats)} beats in "
                            f"{frames} frames; re-render the clip")
    ends = cuts[1:] + [frames]
    return [Segment(i, beat, a, b - a, a / fps, b / fps)
            for i, ((beat, _), a, b) in enumerate(zip(beats, cuts, ends))]


def cut(ffmpeg: str, mp4: Path, segments: list[Segment], fps: float, out_dir: Path) -> list[Path]:
    """Write ``out_dir/<NN-beat>.mp4`` for every segment (one ffmpeg pass)."""
    # half a frame early: the cut lands on the first frame at or after it, never a rounding off
    times = ",".join(f"{(s.first - 0.5) / fps:.6f}" for s in segments[1:])
    pattern = out_dir / "%03d.mp4"
    cmd = [ffmpeg, "-v", "error", "-nostdin", "-y", "-i", str(mp4), "-map", "0:v:0", "-map", "0:a?",
           "-c:v", "libx264", "-preset", "veryfast", "-crf", str(CRF), "-pix_fmt", "yuv420p",
           "-r", f"{fps:g}", "-c:a", "aac", "-b:a", "128k", "-ar", "48000"]
    if times:
        cmd += ["-force_key_frames", times, "-f", "segment", "-segment_times", times,
                "-reset_timestamps", "1", "-segment_format", "mp4",
                "-segment_format_options", "movflags=+faststart", str(pattern)]
    else:
        cmd += ["-movflags", "+faststart", str(out_dir / "000.mp4")]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise GdengineError(f"ffmpeg could not cut {mp4.name} into slides: "
                            f"{(done.stderr.strip().splitlines() or ['no message'])[-1]}")
    paths = []
    for s in segments:
        raw, final = out_dir / f"{s.index:03d}.mp4", out_dir / f"{s.stem}.mp4"
        if not raw.is_file():
            raise GdengineError(f"ffmpeg wrote no segment for beat {s.beat!r} of {mp4.name}")
        raw.replace(final)
        paths.append(final)
    return paths


def beat_subtitles(entry: dict[str, Any], segment: Segment) -> str:
    """The WebVTT of one beat: the clip's narration cues that start in it, on its own clock
    (an empty file when nothing is said)."""
    lines = [(float(a) - segment.start, min(float(b), segment.end) - segment.start, str(text))
             for _, text, a, b in (entry.get("lines") or [])
             if segment.start - 1e-6 <= float(a) < segment.end]
    return vtt(cues_for(lines, str(entry.get("language") or "en")))


def beat_lines(entry: dict[str, Any], segment: Segment) -> list[str]:
    """What the voice says during the beat (the presenter's notes)."""
    return [str(text) for _, text, a, _ in (entry.get("lines") or [])
            if segment.start - 1e-6 <= float(a) < segment.end]
