"""Where a frame's CPU goes on its way to the published files, part by part.

Frames: a 3-D clip's (the Himmelblau scenario of bench_3d.py at 1280×720, 30 fps, drawn here,
its render time measured), or any rendered MP4's (``--from renders/ball_downhill.mp4``,
decoded first). Each part then runs alone over the same raw frames, through the pipeline's
own ffmpeg commands, and its CPU time (ffmpeg's, all threads) is printed per frame:

* transfer   — raw frames piped into ffmpeg and discarded (the floor of every pass);
* MP4        — RGB→YUV (BT.709, accurate rounding) and x264 (veryfast, CRF 18);
* GIF master — frame-rate reduction, Lanczos downscale to the GIF size, QuickTime RLE;
* encoder    — both branches in one process, as the pipeline runs them beside the renderer;
* palette / mapping — the two GIF passes over the master, after the clip.

Run: ``.venv/bin/python benchmarks/bench_encode_parts.py [--frames 150] [--from FILE.mp4]``.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from gdengine.pipeline import encode  # noqa: E402

W, H, FPS = 1280, 720, 30


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def three_d_frames(n: int) -> tuple[np.ndarray, float]:
    """``n`` frames of the bench_3d scenario at W×H, and the renderer's CPU per frame."""
    import bench_3d

    import gdengine as gd
    from gdengine.render3d import CameraPose, DescentSpec, DescentView, Timeline, orbit
    from gdengine.render3d.descent import DescentWords

    land = gd.landscape("himmelblau")
    traj = gd.descend(land, gd.optimizer("sgd", lr=0.01), bench_3d.starts(10), 5000, tol=0.01, cache=True)
    timeline = Timeline(n, traj.T, intro=n // 16, outro=n // 8, warp="linear")
    spec = DescentSpec(log=True, log_ref=20.0, ball_radius=0.018, camera=orbit(CameraPose(-60.0, 42.0), 90.0))
    view = DescentView(land, traj, spec, DescentWords(title="Himmelblau"), timeline.step_at(), width=W, height=H, fps=FPS)
    frames, cpu = [], 0.0
    try:
        for k in range(n):
            c = time.process_time()
            frames.append(np.ascontiguousarray(np.asarray(view.draw(k))[:, :, :3]))
            cpu += time.process_time() - c
    finally:
        view.close()
    return np.stack(frames), cpu / n


def decoded_frames(path: Path, n: int) -> tuple[np.ndarray, float]:
    import imageio_ffmpeg

    gen = imageio_ffmpeg.read_frames(str(path))
    meta = next(gen)
    w, h = meta["size"]
    return np.stack([np.frombuffer(f, np.uint8).reshape(h, w, 3) for _, f in zip(range(n), gen)]), float(meta["fps"])


def timed(cmd: list[str], stdin: bytes | None = None) -> float:
    c = children_cpu()
    subprocess.run(cmd, input=stdin, check=True, capture_output=True)
    return children_cpu() - c


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--frames", type=int, default=150)
    ap.add_argument("--from", dest="source", type=Path, default=None, help="a rendered MP4 to take frames from")
    args = ap.parse_args()
    if args.source:
        (frames, fps), render_ms, what = decoded_frames(args.source, args.frames), None, str(args.source)
    else:
        (frames, render_cpu), fps = three_d_frames(args.frames), FPS
        render_ms, what = 1000 * render_cpu, f"3-D Himmelblau scenario at {W}×{H}"
    n, h, w, _ = frames.shape
    raw = frames.tobytes()
    ff = encode.ffmpeg_exe()
    source = encode.raw_input(w, h, fps, "rgb24")
    gw, gh = encode.GIF.size(w, h)
    with tempfile.TemporaryDirectory(prefix="bench-encode-") as tmp:
        mp4, master, pal, gif = (Path(tmp) / x for x in ("c.mp4", "m.mov", "p.png", "c.gif"))
        full = encode.encoder_command(width=w, height=h, fps=fps, pix_fmt="rgb24", mp4=mp4, gif_master=master)
        graph = full[full.index("-filter_complex") + 1]
        mp4_branch, gif_branch = graph.split(";")[1], graph.split(";")[2]
        base = [ff, "-hide_banner", "-loglevel", "error", "-nostdin", "-y", *source]
        parts = {
            "transfer": base + ["-f", "null", "-"],
            "MP4": base + ["-filter_complex", mp4_branch.replace("[a]", "[0:v]"), "-map", "[mp4]",
                           *encode.VIDEO.args(fps), "-f", "mp4", str(mp4)],
            "GIF master": base + ["-filter_complex", gif_branch.replace("[b]", "[0:v]"), "-map", "[gif]",
                                  "-c:v", "qtrle", "-f", "mov", str(master)],
            "encoder (both)": full,
        }  # fmt: skip
        results = {name: timed(cmd, raw) for name, cmd in parts.items()}
        results["GIF palette pass"] = timed(encode.palette_command(master, pal))
        results["GIF mapping pass"] = timed(encode.gif_command(master, pal, gif))
    print(f"# CPU per frame, {what}: {n} frames of {w}×{h} (GIF {gw}×{gh} at {encode.GIF.fps(fps)} fps)")
    if render_ms is not None:
        print(f"{'3-D render (VTK, llvmpipe)':28s} {render_ms:7.1f} ms")
    for name, seconds in results.items():
        print(f"{name:28s} {1000 * seconds / n:7.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
