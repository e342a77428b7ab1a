"""What a fair race costs: tuning every optimizer's learning rate for one race (``tune = true``).

For each race of scenes/optimizer_race.py (and the shipped formula race) it times
``gd.tune_lr`` for all five optimizers — 64 rates × 5 starts = 320 particles per optimizer, one
batched run each — and, as the baseline measured in the same run, the race itself (the five
runs at their given rates, uncached). Prints medians of ``--runs`` runs and the ratio; the
target is under 2 s per five-optimizer race on 2 cores. Building the formula landscape
(parse, sympy derivatives, critical points) is timed once, cold, beside it.

Usage (``make bench`` runs the defaults):
    .venv/bin/python benchmarks/bench_tune.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scenes"))

import gdengine as gd  # noqa: E402
from gdengine.core import formulas  # noqa: E402

FORMULA = "x^4 - 2*x^2 + x*y + y^2"


def races():
    from optimizer_race import OPTIMIZERS, RACES

    out = [(name, gd.landscape(name), race["start"], race["steps"], race["lr"]) for name, race in RACES.items()]
    formula = gd.landscape(FORMULA, window=[-2, 2])
    out.append((FORMULA, formula, (0.6, 1.9), 300, (0.027, 0.0016, 0.24, 0.017, 0.033)))
    return OPTIMIZERS, out


def hyper(name: str) -> dict | None:
    return {"momentum": 0.9} if name in ("momentum", "nesterov") else None


def median_seconds(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()

    formulas._build.cache_clear()
    t = time.perf_counter()
    gd.landscape(FORMULA, window=[-2, 2])
    build = time.perf_counter() - t
    names, table = races()
    print(f"# tune_lr: 5 optimizers × {len(gd.TUNE_RATES)} rates × 5 starts per race; "
          f"median of {args.runs}; {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}")
    print(f"formula landscape built cold (parse, sympy, critical points): {build:.3f} s")
    print(f"{'race':<26} {'steps':>5} {'tune (s)':>9} {'race (s)':>9} {'tune/race':>10}")
    worst = 0.0
    for name, land, start, steps, lrs in table:
        def tune():
            for n in names:
                gd.tune_lr(land, n, start, steps, hyper=hyper(n))

        def race():
            for n, lr in zip(names, lrs):
                gd.descend(land, gd.optimizer(n, lr=lr, **(hyper(n) or {})), [start], steps, tol=1e-3)

        tuned, plain = median_seconds(tune, args.runs), median_seconds(race, args.runs)
        worst = max(worst, tuned)
        print(f"{name:<26} {steps:>5} {tuned:>9.3f} {plain:>9.3f} {tuned / plain:>9.1f}×")
    print(f"slowest five-optimizer tuning: {worst:.3f} s (target < 2 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
