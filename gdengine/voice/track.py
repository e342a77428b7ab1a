"""A clip's audio track: every narration line placed at its recorded start time, short fades
at each line's ends (no clicks), loudness normalised to −16 LUFS integrated with true peak
≤ −1 dBTP (EBU R128, ffmpeg's two-pass ``loudnorm``), AAC 48 kHz muxed into the MP4."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import numpy as np

from gdengine.errors import GdengineError

RATE = 48_000
TARGET_LUFS = -16.0
TARGET_TP = -1.5  # measured after AAC encoding the peak lands at or under −1 dBTP
FADE_SECONDS = 0.012


def _ffmpeg() -> str:
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def decode(path: Path) -> np.ndarray:
    """Any audio file ffmpeg reads → mono float32 samples at 48 kHz."""
    proc = subprocess.run(
        [_ffmpeg(), "-v", "error", "-i", str(path), "-ac", "1", "-ar", str(RATE), "-f", "f32le", "-"],
        capture_output=True, check=False,
    )  # fmt: skip
    if proc.returncode != 0 or not proc.stdout:
        raise GdengineError(proc.stderr.decode(errors="replace").strip().splitlines()[-1:] and
                            proc.stderr.decode(errors="replace").strip().splitlines()[-1] or "no audio")
    return np.frombuffer(proc.stdout, dtype=np.float32)


def probe_seconds(path: Path) -> float:
    return len(decode(path)) / RATE


def mix(lines: list[tuple[float, Path]], seconds: float) -> np.ndarray:
    """The lines laid at their start times on a silent track ``seconds`` long."""
    track = np.zeros(int(round(seconds * RATE)), dtype=np.float32)
    fade = int(FADE_SECONDS * RATE)
    ramp = np.linspace(0.0, 1.0, fade, dtype=np.float32)
    for start, path in lines:
        samples = decode(path).copy()
        if len(samples) > 2 * fade:
            samples[:fade] *= ramp
            samples[-fade:] *= ramp[::-1]
        at = int(round(start * RATE))
        end = min(at + len(samples), len(track))
        if end > at:
            track[at:end] += samples[: end - at]
    return track


def _write_f32(path: Path, samples: np.ndarray) -> None:
    path.write_bytes(np.ascontiguousarray(samples, dtype="<f4").tobytes())


def _raw_input(path: Path) -> list[str]:
    return ["-f", "f32le", "-ar", str(RATE), "-ac", "1", "-i", str(path)]


def mux(video: Path, lines: list[tuple[float, Path]], seconds: float, out: Path, work: Path) -> None:
    """``video`` (H.264, no audio) + the normalised narration track → ``out`` (AAC 48 kHz)."""
    raw = work / "narration.f32"
    _write_f32(raw, mix(lines, seconds))
    measure = subprocess.run(
        [_ffmpeg(), "-hide_banner", "-nostats", *_raw_input(raw), "-af",
         f"loudnorm=I={TARGET_LUFS}:TP={TARGET_TP}:LRA=11:print_format=json", "-f", "null", "-"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    found = re.search(r"\{[^{}]*\"input_i\"[^{}]*\}", measure.stderr)
    if measure.returncode != 0 or not found:
        raise GdengineError(f"loudness measurement failed: {measure.stderr.strip().splitlines()[-1:]}")
    m = json.loads(found.group(0))
    norm = (
        f"loudnorm=I={TARGET_LUFS}:TP={TARGET_TP}:LRA=11:measured_I={m['input_i']}:"
        f"measured_TP={m['input_tp']}:measured_LRA={m['input_lra']}:measured_thresh={m['input_thresh']}:"
        f"offset={m['target_offset']}:linear=true,aresample={RATE}"
    )
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}.mp4")
    proc = subprocess.run(
        [_ffmpeg(), "-v", "error", "-y", "-i", str(video), *_raw_input(raw), "-map", "0:v", "-map", "1:a",
         "-af", norm, "-c:v", "copy", "-c:a", "aac", "-b:a", "160k", "-ar", str(RATE),
         "-t", f"{seconds:.6f}", "-movflags", "+faststart", str(tmp)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    raw.unlink(missing_ok=True)
    if proc.returncode != 0:
        tmp.unlink(missing_ok=True)
        raise GdengineError(f"audio mux failed: {proc.stderr.strip().splitlines()[-1:]}")
    os.replace(tmp, out)


def loudness(path: Path) -> tuple[float, float]:
    """(integrated loudness in LUFS, true peak in dBTP) of a file's audio (EBU R128)."""
    proc = subprocess.run(
        [_ffmpeg(), "-hide_banner", "-nostats", "-i", str(path), "-af", "ebur128=peak=true", "-f", "null", "-"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    summary = proc.stderr[proc.stderr.rfind("Summary:"):]
    i = re.search(r"I:\s+(-?[\d.]+) LUFS", summary)
    tp = re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    if not i or not tp:
        raise GdengineError(f"no loudness summary for {path}")
    return float(i.group(1)), float(tp.group(1))
