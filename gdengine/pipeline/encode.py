"""ffmpeg command lines: the web MP4, the lossless GIF master, the palette GIF.

One ffmpeg process reads raw frames from the renderer and writes two files at once:

* the MP4: H.264 (libx264), yuv420p, BT.709 tags, even dimensions, ``+faststart`` (the index
  sits before the media so browsers start playing before the download ends). Encoding is made
  reproducible: bit-exact muxing and no metadata (no version or date strings), and a fixed
  x264 thread count, because x264's frame-threaded rate control depends on the number of
  threads — same frames in, byte-identical file out, on any machine;
* the GIF master: the same frames, resampled to the GIF's frame rate and width, stored
  lossless (QuickTime RLE: the same pixels as FFV1, at a quarter of FFV1's CPU to write and
  read twice, and smaller on our flat frames — measured with a 720p race: writing, palette and
  mapping passes 4.7 s against 20.3 s). The GIF is made from it afterwards in two passes —
  ``palettegen`` picks the palette from the real frames, ``paletteuse`` maps each frame onto
  it — because a palette needs to see the frames before the first one can be written.

x264 runs at ``veryfast`` with CRF 18: on a 720p race it takes half the CPU of ``medium`` at
CRF 20 for a file 3 % larger and 53 dB PSNR against the frames (medium: 54 dB), well past
visibly lossless; ``medium`` was most of the encoder's share of a clip's render.

All binaries come from ``imageio-ffmpeg`` (a pinned static build), so no system ffmpeg is used.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path


@cache
def ffmpeg_exe() -> str:
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


@dataclass(frozen=True)
class VideoSettings:
    """H.264 settings of the published MP4."""

    crf: int = 18
    preset: str = "veryfast"
    tune: str = "animation"  # flat colours and sharp edges: most of our frames
    threads: int = 4  # fixed: x264 output depends on it (see module docstring)
    keyframe_seconds: float = 2.0  # seeking granularity in the gallery player

    def args(self, fps: float) -> list[str]:
        return [
            "-c:v", "libx264", "-preset", self.preset, "-tune", self.tune,
            "-crf", str(self.crf), "-threads", str(self.threads),
            "-g", str(max(1, round(fps * self.keyframe_seconds))),
            "-pix_fmt", "yuv420p",
            "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709",
            "-color_range", "tv",
            "-movflags", "+faststart", "-map_metadata", "-1",
            "-fflags", "+bitexact", "-flags:v", "+bitexact",
        ]  # fmt: skip


@dataclass(frozen=True)
class GifSettings:
    """Size, rate and palette of the published GIF."""

    max_width: int = 640
    max_fps: int = 15
    # One palette for the whole clip, from all of its pixels, and no dithering: measured in
    # benchmarks/bench_gif.py, error diffusion (sierra2_4a) costs 40 % more bytes and 2 dB
    # PSNR on a shaded surface for a slightly smoother specular highlight; a per-frame palette
    # (stats_mode=single, new=1) quadruples a vector clip's size (frames cannot be diffed).
    dither: str = "none"
    stats_mode: str = "full"

    def size(self, width: int, height: int) -> tuple[int, int]:
        w = min(self.max_width, width)
        h = round(height * w / width / 2) * 2
        return w, max(2, h)

    def fps(self, fps: float) -> float:
        return min(self.max_fps, fps)


VIDEO = VideoSettings()
GIF = GifSettings()

_RGB_TO_YUV = "scale=out_color_matrix=bt709:out_range=tv:flags=bicubic+accurate_rnd+full_chroma_int"


def even(n: int) -> int:
    return n - n % 2


def raw_input(width: int, height: int, fps: float, pix_fmt: str) -> list[str]:
    """ffmpeg input arguments for raw frames arriving on stdin."""
    return ["-f", "rawvideo", "-pix_fmt", pix_fmt, "-s", f"{width}x{height}", "-framerate", str(fps), "-i", "pipe:0"]


def encoder_command(
    *,
    width: int,
    height: int,
    fps: float,
    mp4: Path,
    gif_master: Path,
    pix_fmt: str = "rgba",
    source: list[str] | None = None,
    video: VideoSettings = VIDEO,
    gif: GifSettings = GIF,
) -> list[str]:
    """ffmpeg writing the MP4 and the GIF master from ``source`` input arguments (default:
    raw ``pix_fmt`` frames on stdin; the render benchmark passes a lossless master file)."""
    gw, gh = gif.size(width, height)
    graph = (
        f"[0:v]split=2[a][b];"
        f"[a]crop={even(width)}:{even(height)}:0:0,{_RGB_TO_YUV},format=yuv420p,"
        f"setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv[mp4];"
        f"[b]fps={gif.fps(fps)},scale={gw}:{gh}:flags=lanczos+accurate_rnd,format=rgb24[gif]"
    )
    return [
        ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
        *(source or raw_input(width, height, fps, pix_fmt)),
        "-filter_complex", graph,
        "-map", "[mp4]", *video.args(fps), "-f", "mp4", str(mp4),
        "-map", "[gif]", "-c:v", "qtrle", "-f", "mov", str(gif_master),
    ]  # fmt: skip


def palette_command(master: Path, palette: Path, gif: GifSettings = GIF) -> list[str]:
    return [
        ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
        "-i", str(master), "-vf", f"palettegen=max_colors=256:stats_mode={gif.stats_mode}",
        "-frames:v", "1", "-update", "1", "-f", "image2", str(palette),
    ]  # fmt: skip


def gif_command(master: Path, palette: Path, out: Path, gif: GifSettings = GIF) -> list[str]:
    use = f"paletteuse=dither={gif.dither}:diff_mode=rectangle"
    return [
        ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
        "-i", str(master), "-i", str(palette), "-lavfi", f"[0:v][1:v]{use}",
        "-loop", "0", "-fflags", "+bitexact", "-f", "gif", str(out),
    ]  # fmt: skip


def join_command(list_file: Path, out: Path, mp4: bool) -> list[str]:
    """Parts listed in ``list_file`` (concat demuxer) copied into one file, not re-encoded."""
    container = ["-movflags", "+faststart", "-f", "mp4"] if mp4 else ["-f", "mov"]
    return [
        ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
        "-f", "concat", "-safe", "0", "-i", str(list_file), "-c", "copy",
        "-map_metadata", "-1", "-fflags", "+bitexact", *container, str(out),
    ]  # fmt: skip


def join_parts(parts: list[Path], out: Path) -> None:
    """Join encoded parts (each a closed GOP, from ``FrameSink`` with ``segment_frames``) into
    ``out`` without re-encoding: same frames, same bytes wherever the parts were made."""
    list_file = out.with_name(f".{out.name}.parts.txt")
    list_file.write_text("".join(f"file '{p.resolve()}'\n" for p in parts), encoding="utf-8")
    try:
        run(join_command(list_file, out, mp4=out.suffix == ".mp4"))
    finally:
        list_file.unlink(missing_ok=True)


def run(cmd: list[str]) -> None:
    """Run one ffmpeg command; its last error line becomes the exception message."""
    proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"ffmpeg failed: {last_line(proc.stderr, proc.returncode)}")


def last_line(stderr: str, returncode: int) -> str:
    lines = [ln.strip() for ln in stderr.splitlines() if ln.strip()]
    return lines[-1] if lines else f"exit code {returncode}"


def encode_gif(master: Path, out: Path, palette: Path, gif: GifSettings = GIF) -> None:
    """Two passes over the lossless master: choose the palette, then map frames onto it."""
    run(palette_command(master, palette, gif))
    run(gif_command(master, palette, out, gif))
