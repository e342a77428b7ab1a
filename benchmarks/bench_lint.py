"""What the layout linter costs: a clip's render with and without the lint probe, and lint alone.

In one process, for one catalog clip at one quality (default: the first clip, preview):
* plain   — the clip rendered by manim's CairoRenderer, every frame drawn and handed to a
            sink that discards it (no encoding: this isolates the scene + drawing cost that
            the probe adds to);
* linted  — the same with the lint probe sampling it (``make render``'s path, minus encoding);
* lint    — the lint-only run (``gdengine lint``: the probe, no pixels drawn).
Each is run ``--runs`` times, interleaved (plain, linted, lint, plain, ...) after one warm-up
run (glyph caches), and the medians are reported in CPU time of this process (the machine is
shared, so wall time is printed too but CPU time is the measure). The overhead is
linted / plain − 1 (target ≤ 10 %); the probe's own CPU (time inside ``sample_scene``) is
printed as a share of plain as a cross-check.

Usage (``make bench`` runs the defaults):
    .venv/bin/python benchmarks/bench_lint.py [--scene NAME] [--quality preview] [--runs 5]
        [--strict] [--profile]
``--strict`` exits 1 when the overhead is over 10 %; ``--profile`` prints where the probe's
time goes (cProfile of one lint-only run) instead.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gdengine.lint.manim_probe import LintProbe  # noqa: E402
from gdengine.lint.rules import Linter  # noqa: E402
from gdengine.pipeline import capture, catalog, worker  # noqa: E402
from gdengine.pipeline.memory import MemorySink  # noqa: E402
from gdengine.pipeline.quality import QUALITIES, Quality  # noqa: E402

SCENES = ROOT / "scenes"
BUDGET = 0.10


def scene_class_of(clip: catalog.Clip) -> type:
    module = worker.load_module(SCENES / clip.file)
    return worker.manim_scene_class(getattr(module, clip.entry), clip.params)


def run_once(scene_class: type, q: Quality, mode: str) -> dict[str, float]:
    """One run: ``plain`` (no probe), ``linted`` (probe + drawing) or ``lint`` (probe only)."""
    sink = MemorySink(fps=q.fps, keep=False)
    probe = None
    if mode != "plain":
        linter = Linter(scene_class.__name__, str(getattr(scene_class, "language", "en")), q.width, q.height,
                        float(getattr(scene_class, "pace", 1.0)))  # fmt: skip
        probe = LintProbe(linter)
    cpu, wall = time.process_time(), time.perf_counter()
    scene = capture.render_scene(scene_class, sink, probe, draw=mode != "lint")
    if probe is not None:
        probe.linter.finish(float(scene.renderer.time))
    return {
        "cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall, "frames": sink.count,
        "probe": probe.seconds if probe else 0.0, "samples": probe.linter.samples if probe else 0,
    }  # fmt: skip


def profile(scene_class: type, q: Quality) -> None:
    import cProfile
    import pstats

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "lint.prof"
        cProfile.runctx("run_once(scene_class, q, 'lint')", globals(), {"scene_class": scene_class, "q": q}, str(out))
        pstats.Stats(str(out)).sort_stats("cumulative").print_stats("manim_probe|rules", 25)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scene", default=None, help="catalog clip (default: the first Manim clip)")
    ap.add_argument("--quality", default="preview", choices=list(QUALITIES))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--strict", action="store_true", help="exit 1 when the overhead is over 10 %%")
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()

    clips = [c for c in catalog.load(SCENES) if c.problem is None and c.kind == "manim"]
    clip = catalog.select(clips, [args.scene])[0] if args.scene else clips[0]
    q = QUALITIES[args.quality]
    with tempfile.TemporaryDirectory(prefix="bench_lint_") as cache:
        # a private glyph cache: renders running beside the bench cannot hand it a half-written file
        capture.configure(width=q.width, height=q.height, fps=q.fps, cache_dir=Path(cache))
        scene_class = scene_class_of(clip)
        if args.profile:
            profile(scene_class, q)
            return 0
        return measure(clip, scene_class, q, args.runs, args.strict)


def measure(clip: catalog.Clip, scene_class: type, q: Quality, runs: int, strict: bool) -> int:

    run_once(scene_class, q, "linted")  # warm-up: glyph caches, imports
    results: dict[str, list[dict[str, float]]] = {"plain": [], "linted": [], "lint": []}
    for i in range(runs):
        for mode in results:
            results[mode].append(run_once(scene_class, q, mode))
        print(f"  run {i + 1}/{runs}: " + ", ".join(
            f"{m} {r[-1]['cpu']:.2f} s" for m, r in results.items()), file=sys.stderr, flush=True)  # fmt: skip

    med = {m: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for m, rs in results.items()}
    plain, linted, lint = med["plain"], med["linted"], med["lint"]
    overhead = linted["cpu"] / plain["cpu"] - 1
    print(f"Layout lint cost: {clip.name} at {q.name} ({q.width}x{q.height}, {q.fps} fps), "
          f"{int(plain['frames'])} frames, {int(linted['samples'])} lint samples; "
          f"medians of {runs} runs\n")  # fmt: skip
    print(f"{'run':<34} {'CPU':>8} {'wall':>8}")
    print(f"{'render, no probe (plain)':<34} {plain['cpu']:>6.2f} s {plain['wall']:>6.2f} s")
    print(f"{'render with lint probe (linted)':<34} {linted['cpu']:>6.2f} s {linted['wall']:>6.2f} s")
    print(f"{'lint only (no pixels)':<34} {lint['cpu']:>6.2f} s {lint['wall']:>6.2f} s")
    print(f"\noverhead of the probe: {overhead:+.1%} CPU ({linted['wall'] / plain['wall'] - 1:+.1%} wall); "
          f"time inside sample_scene {linted['probe']:.2f} s = {linted['probe'] / plain['cpu']:.1%} of plain")  # fmt: skip
    print(f"lint only: {lint['cpu'] / plain['cpu']:.0%} of a plain render's CPU")
    ok = overhead <= BUDGET
    print(f"budget ≤ {BUDGET:.0%}: {'OK' if ok else 'OVER'}")
    return 0 if ok or not strict else 1


if __name__ == "__main__":
    sys.exit(main())
