"""The whole gallery, rendered as a user renders it: wall time, where the CPU goes, how busy
the cores are, and what a damaged manifest costs afterwards.

Runs ``gdengine render --force`` over the shipped catalog into a scratch output folder (the
project's caches are used, so voice lines already synthesised are not synthesised again: a
first render on a new machine adds that once, see bench_voice.py). Printed per clip: wall
seconds, CPU seconds of the scene process (drawing, capture, voice) and of its encoders
(x264, GIF master, GIF passes, audio), frames and seconds of video; then the gallery's wall
time, CPU per second of video and the mean number of busy cores (CPU / wall). Then the
manifest is overwritten with garbage and the render run again: it must render nothing, and
its time (a no-op) is printed.

Targets on 2 cores (issue 14): English hd gallery ≤ 6 min; the bilingual narrated gallery's
time printed beside it (``--languages en,zh``).

Run: ``.venv/bin/python benchmarks/bench_gallery.py [--quality hd] [--languages en]
[--scenes "a b"] [--jobs N]`` (``make bench`` runs the defaults: English, hd).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def scratch_scenes(folder: Path, languages: list[str]) -> Path:
    """The shipped scenes with the catalog's languages replaced (scene files unchanged)."""
    shutil.copytree(ROOT / "scenes", folder / "scenes")
    catalog = folder / "scenes" / "catalog.toml"
    text = catalog.read_text(encoding="utf-8")
    text, n = re.subn(r"(?m)^languages\s*=.*$", f"languages = {json.dumps(languages)}", text, count=1)
    if n != 1:
        raise SystemExit("bench_gallery: scenes/catalog.toml has no top-level languages line")
    catalog.write_text(text, encoding="utf-8")
    return folder / "scenes"


def render(scenes: Path, renders: Path, args: argparse.Namespace, force: bool) -> tuple[float, str]:
    cmd = [sys.executable, "-m", "gdengine", "render", "--quality", args.quality,
           "--scenes-dir", str(scenes), "--renders-dir", str(renders), "--cache-dir", str(ROOT / ".cache")]  # fmt: skip
    cmd += ["--force"] * force + (["--scenes", args.scenes] if args.scenes else []) + (["--jobs", str(args.jobs)] if args.jobs else [])
    t0 = time.monotonic()
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    wall = time.monotonic() - t0
    if out.returncode != 0:
        raise SystemExit(f"bench_gallery: render failed (exit {out.returncode}):\n{out.stdout[-2000:]}{out.stderr[-2000:]}")
    return wall, out.stdout


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quality", default="hd")
    ap.add_argument("--languages", default="en", help="comma separated (default en; en,zh: the bilingual gallery)")
    ap.add_argument("--scenes", default=None, help="clip names (default: all)")
    ap.add_argument("--jobs", type=int, default=None)
    args = ap.parse_args()
    languages = [x for x in args.languages.split(",") if x]
    with tempfile.TemporaryDirectory(prefix="bench-gallery-") as tmp:
        scenes = scratch_scenes(Path(tmp), languages)
        renders = Path(tmp) / "renders"
        wall, _ = render(scenes, renders, args, force=True)
        out = renders if args.quality == "hd" else renders / args.quality
        clips = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["clips"]
        (out / "manifest.json").write_text("{ damaged", encoding="utf-8")
        noop, log = render(scenes, renders, args, force=False)
        redone = [ln for ln in log.splitlines() if ": rendering" in ln]
        restored = len(json.loads((out / "manifest.json").read_text(encoding="utf-8"))["clips"])

    print(f"# gallery at {args.quality}, languages {','.join(languages)}: {len(clips)} units, "
          f"{os.cpu_count()} cores ({platform.processor() or platform.machine()}), {date.today()}")
    print(f"{'unit':34s} {'wall s':>7s} {'scene cpu':>9s} {'encode cpu':>10s} {'frames':>6s} {'video s':>7s}")
    for c in sorted(clips, key=lambda c: -c["render_seconds"]):
        cpu = c.get("cpu_seconds") or {}
        print(f"{c['unit']:34s} {c['render_seconds']:7.1f} {cpu.get('scene', 0):9.1f} {cpu.get('encode', 0):10.1f} "
              f"{c['frames']:6d} {c['duration']:7.1f}")
    scene = sum((c.get("cpu_seconds") or {}).get("scene", 0) for c in clips)
    enc = sum((c.get("cpu_seconds") or {}).get("encode", 0) for c in clips)
    video = sum(c["duration"] for c in clips)
    print(f"\ngallery wall time          {wall:8.1f} s  ({wall / 60:.1f} min; target for English hd: ≤ 6 min)")
    print(f"CPU: scene + encode        {scene:8.1f} + {enc:.1f} s = {(scene + enc) / video:.2f} CPU-s per second of video ({video:.0f} s)")
    print(f"busy cores (CPU / wall)    {(scene + enc) / wall:8.2f} of {os.cpu_count()}")
    print(f"after a damaged manifest   {noop:8.1f} s, {len(redone)} units re-rendered, manifest restored with {restored} units")
    return 0


if __name__ == "__main__":
    sys.exit(main())
