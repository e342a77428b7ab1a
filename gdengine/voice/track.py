"""A clip's audio track: every narration line placed at its recorded start time, short fades
at each line's ends (no clicks), loudness normalised to −16 LUFS integrated (EBU R128,
measured by ffmpeg's ``ebur128``) with true peaks limited under −1.5 dBTP before encoding
(so the AAC lands at or under −1 dBTP), AAC 48 kHz muxed into the MP4.

ffmpeg's ``loudnorm`` was measured first: on short narrated clips (a few seconds, speech
peaking at 0 dBFS) both its linear and dynamic modes stopped at −17.1 LUFS.
"""

from __future__ import annotations

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


def true_peak_limit(samples: np.ndarray, ceiling_db: float = TARGET_TP) -> np.ndarray:
    """Lower the gain smoothly (5 ms look-ahead, no clicks) wherever the 4× oversampled
    signal (the true peak) would pass ``ceiling_db``."""
    from scipy.ndimage import minimum_filter1d, uniform_filter1d
    from scipy.signal import resample_poly

    if not len(samples):
        return samples
    ceiling = 10 ** (ceiling_db / 20)
    peak = np.abs(resample_poly(samples.astype(np.float64), 4, 1))[: 4 * len(samples)]
    peak = np.pad(peak, (0, 4 * len(samples) - len(peak))).reshape(-1, 4).max(axis=1)
    gain = np.minimum(1.0, ceiling / np.maximum(peak, 1e-12))
    width = max(int(0.005 * RATE), 1)
    gain = uniform_filter1d(minimum_filter1d(gain, size=2 * width + 1), size=width)
    return (samples * gain).astype(np.float32)


def normalise(samples: np.ndarray, work: Path) -> np.ndarray:
    """Gain to −16 LUFS integrated, true peaks limited under the ceiling; measured again
    after each correction (a few rounds: limiting lowers the loudness a little)."""
    raw = work / "measure.f32"
    gain_db, out = 0.0, samples
    for _ in range(5):
        out = true_peak_limit(samples * np.float32(10 ** (gain_db / 20)))
        _write_f32(raw, out)
        measured, _ = loudness(raw, raw=True)
        if abs(measured - TARGET_LUFS) <= 0.2:
            break
        gain_db += TARGET_LUFS - measured
    raw.unlink(missing_ok=True)
    return out


def mux(video: Path, lines: list[tuple[float, Path]], seconds: float, out: Path, work: Path) -> None:
    """``video`` (H.264, no audio) + the normalised narration track → ``out`` (AAC 48 kHz)."""
    raw = work / "narration.f32"
    _write_f32(raw, normalise(mix(lines, seconds), work))
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}.mp4")
    proc = subprocess.run(
        [_ffmpeg(), "-v", "error", "-y", "-i", str(video), *_raw_input(raw), "-map", "0:v", "-map", "1:a",
         "-c:v", "copy", "-c:a", "aac", "-b:a", "160k", "-ar", str(RATE),
         "-t", f"{seconds:.6f}", "-movflags", "+faststart", str(tmp)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    raw.unlink(missing_ok=True)
    if proc.returncode != 0:
        tmp.unlink(missing_ok=True)
        raise GdengineError(f"audio mux failed: {proc.stderr.strip().splitlines()[-1:]}")
    os.replace(tmp, out)


def loudness(path: Path, raw: bool = False) -> tuple[float, float]:
    """(integrated loudness in LUFS, true peak in dBTP) of a file's audio (EBU R128);
    ``raw``: ``path`` holds this module's mono float32 samples at 48 kHz."""
    source = _raw_input(path) if raw else ["-i", str(path)]
    proc = subprocess.run(
        [_ffmpeg(), "-hide_banner", "-nostats", *source, "-af", "ebur128=peak=true", "-f", "null", "-"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    summary = proc.stderr[proc.stderr.rfind("Summary:"):]
    i = re.search(r"I:\s+(-?[\d.]+) LUFS", summary)
    tp = re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    if not i or not tp:
        raise GdengineError(f"no loudness summary for {path}")
    return float(i.group(1)), float(tp.group(1))
