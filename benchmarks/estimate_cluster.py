"""A paper estimate of the bilingual gallery at 4K60 on 1, 4 and 16 machines, from measured
per-clip costs (no rendering here).

Input: two manifests of the same gallery rendered at two sizes (default: ``renders/preview``
and ``renders``, i.e. 854×480 at 15 fps and 1280×720 at 30 fps), whose records hold each
unit's frames and CPU seconds (scene process; encoders). Per unit, the CPU per frame is
fitted as ``a + b·pixels`` through the two sizes (fixed per-frame work plus work that grows
with the picture), then extrapolated to 3840×2160 at 60 fps (twice the hd frames).

A machine is taken to be like the one measured (its core count, same speed). A Manim unit
runs as one task (its scene is sequential: it cannot finish faster than its scene's CPU on
one core); a 3-D unit is split into 10 s ranges. Wall time on M machines ≈ the larger of all
CPU spread over every core and the longest single task, plus each unit's fixed start-up (a
worker process, imports: a few seconds, included in the measured CPU).
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

PART_SECONDS = 10


def load(path: Path) -> dict[str, dict]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    q = doc["quality"]
    return {c["unit"]: {**c, "pixels": q["width"] * q["height"]} for c in doc["clips"]}


def per_frame(c: dict) -> float:
    cpu = c["cpu_seconds"]
    return (cpu["scene"] + cpu["encode"]) / c["frames"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--small", default="renders/preview/manifest.json")
    ap.add_argument("--large", default="renders/manifest.json")
    ap.add_argument("--cores", type=int, default=os.cpu_count())
    args = ap.parse_args()
    small, large = load(Path(args.small)), load(Path(args.large))
    px4k, total, longest, longest_name = 3840 * 2160, 0.0, 0.0, ""
    rows = []
    for unit, big in large.items():
        if unit not in small:
            continue
        lo = small[unit]
        # a + b·pixels through the two sizes (b ≥ 0, a ≥ 0)
        b = max(0.0, (per_frame(big) - per_frame(lo)) / (big["pixels"] - lo["pixels"]))
        a = max(0.0, per_frame(big) - b * big["pixels"])
        frames = 2 * big["frames"]  # 60 fps instead of 30
        cpu = frames * (a + b * px4k)
        scene_share = big["cpu_seconds"]["scene"] / (big["cpu_seconds"]["scene"] + big["cpu_seconds"]["encode"])
        if big["kind"] == "manim":
            task = cpu * scene_share  # the scene on one core; its encoder runs beside it
        else:
            task = cpu * PART_SECONDS / max(big["duration"], PART_SECONDS)
        total += cpu
        if task > longest:
            longest, longest_name = task, unit
        rows.append((unit, cpu, task))
    print(f"# bilingual gallery at 3840×2160, 60 fps: {len(rows)} units, fitted from {args.small} and {args.large}")
    print(f"total CPU {total / 3600:.1f} h; longest single task {longest / 60:.0f} min ({longest_name})")
    print(f"{'machines':>8s} {'cores':>5s} {'estimated wall':>15s}")
    for m in (1, 4, 16):
        wall = max(total / (m * args.cores), longest)
        print(f"{m:8d} {m * args.cores:5d} {wall / 3600:12.1f} h")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
