"""Render cost of the gallery at each quality, against the cost of encoding the same frames.

For every (quality, clip):
* render  — wall time of the real pipeline (``gdengine render --force``, one job): worker
            start, scene, frame capture, MP4 + GIF master, GIF passes, poster, checksums;
* encode  — the encode-only time of the same frames: the clip is rendered once more into a
            lossless FFV1 master, which is then pushed through exactly the same ffmpeg commands
            (MP4 + GIF master, then the GIF passes); the time to merely decode the master is
            measured separately and subtracted;
* ratio   — render / encode. 1.0 would mean drawing the frames costs nothing extra.
Then the gallery totals per quality and the time of a no-op ``gdengine render``.

Usage (``make bench`` runs the defaults):
    .venv/bin/python benchmarks/bench_render.py [--qualities preview,hd,full,4k]
        [--scenes "a b"] [--big-scenes "a"] [--profile CLIP]
By default every clip is measured at preview and hd, and the first catalog clip at full and
4k (all clips at 4k take hours on 2 cores); ``--profile CLIP`` prints where a clip's render
time goes (cProfile, at preview) instead.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gdengine.pipeline import catalog, encode, run  # noqa: E402
from gdengine.pipeline.quality import QUALITIES, Quality  # noqa: E402
from gdengine.pipeline.sink import FrameSink  # noqa: E402

SCENES = ROOT / "scenes"
CACHE = ROOT / ".cache"
BIG = ("full", "4k")


class MasterSink(FrameSink):
    """Writes only a full-size lossless master (FFV1), for the encode-only measurement."""

    def command(self, pix_fmt: str) -> list[str]:
        return [
            encode.ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
            *encode.raw_input(self.width, self.height, self.fps, pix_fmt),
            "-c:v", "ffv1", "-pix_fmt", "bgr0", "-f", "matroska", str(self.mp4),
        ]  # fmt: skip


def record_master(clip: catalog.Clip, q: Quality, master: Path) -> None:
    """Render ``clip`` again in a child process, frames into ``master`` (lossless)."""
    job = {
        "name": clip.name, "file": str(SCENES / clip.file), "entry": clip.entry,
        "kind": clip.kind, "params": clip.params, "quality": q.as_dict(),
        "cache_dir": str(CACHE / "manim"),
    }  # fmt: skip
    code = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from gdengine.pipeline import worker\n"
        "from benchmarks.bench_render import MasterSink\n"
        "job = json.loads(sys.argv[1])\n"
        "q = job['quality']\n"
        "sink = MasterSink(width=q['width'], height=q['height'], fps=q['fps'],\n"
        "                  mp4=Path(sys.argv[2]), gif_master=Path(sys.argv[2]))\n"
        "worker.render_frames(job, sink)\n"
        "sink.close()\n"
    )
    subprocess.run([sys.executable, "-c", code, json.dumps(job), str(master)], cwd=ROOT, check=True)


def timed(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdin=subprocess.DEVNULL)
    return time.perf_counter() - t0


def encode_only(master: Path, q: Quality, work: Path) -> float:
    """Seconds to encode the master's frames exactly as the pipeline does (decode excluded)."""
    decode = timed([encode.ffmpeg_exe(), "-loglevel", "error", "-i", str(master), "-f", "null", "-"])
    mp4, gif_master = work / "enc.mp4", work / "enc_gif_master.mov"
    cmd = encode.encoder_command(
        width=q.width, height=q.height, fps=q.fps, mp4=mp4, gif_master=gif_master,
        source=["-i", str(master)],
    )  # fmt: skip
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdin=subprocess.DEVNULL)
    encode.encode_gif(gif_master, work / "enc.gif", work / "enc_palette.png")
    return time.perf_counter() - t0 - decode


def render_time(clip: catalog.Clip, q: Quality, renders: Path) -> tuple[float, int]:
    req = run.Request(
        scenes_dir=SCENES, renders_dir=renders, cache_dir=CACHE, quality=q,
        names=(clip.name,), jobs=1, force=True,
    )  # fmt: skip
    t0 = time.perf_counter()
    with open("/dev/null", "w") as quiet:
        if run.render(req, stream=quiet) != 0:
            raise SystemExit(f"{clip.name} failed to render at {q.name}")
    seconds = time.perf_counter() - t0
    entry = json.loads((q.out_dir(renders) / "manifest.json").read_text())
    frames = next(c["frames"] for c in entry["clips"] if c["name"] == clip.name)
    return seconds, frames


def noop_seconds(renders: Path, quality: str, names: list[str]) -> float:
    """Wall time of ``gdengine render`` when every clip asked for is up to date."""
    return timed([
        sys.executable, "-m", "gdengine", "render", "--quality", quality, "--scenes", " ".join(names),
        "--renders-dir", str(renders), "--scenes-dir", str(SCENES),
    ])  # fmt: skip


def profile(name: str) -> None:
    import cProfile
    import pstats

    clip = next(c for c in catalog.load(SCENES) if c.name == name)
    q = QUALITIES["preview"]
    with tempfile.TemporaryDirectory() as tmp:
        stats = Path(tmp) / "profile.out"
        code = (
            "import cProfile, json, sys\nfrom pathlib import Path\n"
            "from gdengine.pipeline import worker\nfrom benchmarks.bench_render import MasterSink\n"
            "job = json.loads(sys.argv[1]); q = job['quality']\n"
            "sink = MasterSink(width=q['width'], height=q['height'], fps=q['fps'],"
            " mp4=Path(sys.argv[2]) / 'm.mkv', gif_master=Path(sys.argv[2]) / 'm.mkv')\n"
            "cProfile.run('worker.render_frames(job, sink); sink.close()', sys.argv[3])\n"
        )
        job = {"name": clip.name, "file": str(SCENES / clip.file), "entry": clip.entry,
               "kind": clip.kind, "params": clip.params, "quality": q.as_dict(),
               "cache_dir": str(CACHE / "manim")}  # fmt: skip
        subprocess.run([sys.executable, "-c", code, json.dumps(job), tmp, str(stats)], cwd=ROOT, check=True)
        pstats.Stats(str(stats)).sort_stats("cumulative").print_stats(30)
        _ = cProfile  # (imported for the reader: the child process uses it)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--qualities", default=",".join(QUALITIES))
    ap.add_argument("--scenes", default=None, help="clips at preview/hd (default: all)")
    ap.add_argument("--big-scenes", default=None, help="clips at full/4k (default: the first)")
    ap.add_argument("--profile", default=None, metavar="CLIP")
    args = ap.parse_args()
    if args.profile:
        profile(args.profile)
        return

    clips = [c for c in catalog.load(SCENES) if c.problem is None]
    small = catalog.select(clips, args.scenes.split()) if args.scenes else clips
    big = catalog.select(clips, args.big_scenes.split()) if args.big_scenes else clips[:1]
    rows, totals = [], {}
    with tempfile.TemporaryDirectory(prefix="bench_render_") as tmp:
        work, renders = Path(tmp), Path(tmp) / "renders"
        for qname in args.qualities.split(","):
            q = QUALITIES[qname]
            for clip in big if qname in BIG else small:
                seconds, frames = render_time(clip, q, renders)
                master = work / f"{clip.name}_{qname}_master.mkv"
                record_master(clip, q, master)
                enc = encode_only(master, q, work)
                master.unlink()
                rows.append((qname, clip.name, frames, seconds, enc))
                total = totals.setdefault(qname, [0, 0.0, 0.0, 0])
                total[0] += frames
                total[1] += seconds
                total[2] += enc
                total[3] += 1
                print(f"  measured {qname} {clip.name}: {seconds:.1f} s render, {enc:.1f} s encode",
                      file=sys.stderr, flush=True)  # fmt: skip
        noop = noop_seconds(renders, "hd", [c.name for c in small]) if "hd" in totals else None

    print("Render cost per clip (wall time, one job; encode = same frames, same ffmpeg commands)\n")
    print(f"{'quality':<8} {'clip':<28} {'frames':>7} {'render':>9} {'encode':>9} {'ratio':>6} {'fps':>6}")
    for qname, name, frames, seconds, enc in rows:
        print(f"{qname:<8} {name:<28} {frames:>7} {seconds:>7.1f} s {enc:>7.1f} s "
              f"{seconds / enc:>5.2f}x {frames / seconds:>6.1f}")  # fmt: skip
    print("\nGallery totals (sum over the clips measured at that quality)\n")
    for qname, (frames, seconds, enc, n) in totals.items():
        print(f"{qname:<8} {n:>2} clip(s) {frames:>7} frames {seconds:>8.1f} s render "
              f"{enc:>8.1f} s encode  ratio {seconds / enc:.2f}x")  # fmt: skip
    if noop is not None:
        print(f"\nNo-op `gdengine render --quality hd` ({len(small)} clip(s) up to date): {noop:.2f} s")


if __name__ == "__main__":
    main()
