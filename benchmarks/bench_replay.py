"""Replay cost of a five-ball race: time to draw a frame near step 500 versus near step 10.

The traces and loss curves keep the path already travelled in a static layer (baked into
Manim's cached background once per chunk of ``play_steps``), so the per-frame cost must not
grow with the step count. Requirement: frame time at step 500 ≤ 1.5 × frame time at step 10.

A frame here is what ``play_steps`` does per frame: run the updaters (paths, balls, loss
curves) and draw the moving layer over the cached background. The chunk is frozen
``CHUNK`` steps before the measured step (a whole chunk at 2 steps per frame, the worst case
inside a chunk). Steps 10 and 500 are measured alternately, many times, so load from other
processes on the machine hits both alike; the medians are compared.

Run: ``.venv/bin/python benchmarks/bench_replay.py`` (``make bench`` runs every bench_*.py).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time

import numpy as np
from manim import LEFT, RIGHT, tempconfig

import gdengine as gd
from gdengine.kit import palette
from gdengine.kit.contour import ContourMap
from gdengine.kit.lossplot import LossPlot
from gdengine.kit.playback import StepClock
from gdengine.kit.scene import GdScene
from gdengine.kit.traces import Trace, TraceSet

NAMES = ("sgd", "momentum", "adagrad", "rmsprop", "adam")
HYPER = ({"lr": 0.002}, {"lr": 0.002, "momentum": 0.9}, {"lr": 0.5}, {"lr": 0.01}, {"lr": 0.1})
STEPS = 600
CHUNK = 30  # steps per play_steps chunk at 2 steps/frame, 15 fps, 1 s chunks
EARLY, LATE = 10, 500
ROUNDS, FRAMES = 15, 6
RATIO_LIMIT = 1.5


class RaceBench(GdScene):
    """Five optimizers on Rosenbrock: contour map with traces, loss plot with curves."""

    def build(self) -> StepClock:
        land = gd.landscape("rosenbrock")
        runs = [gd.descend(land, gd.optimizer(n, **h), [[-1.2, 1.0]], STEPS, cache=True)
                for n, h in zip(NAMES, HYPER)]
        clock = StepClock()
        cmap = ContourMap(land, width=5.0, height=5.0).to_edge(LEFT)
        box = cmap.box.scene_box()
        traces = TraceSet([
            Trace(cmap.c2p(r.positions[:, 0]), clock, box, palette.optimizer_color(n),
                  anchor=cmap.box.frame, stop_step=int(r.stopped_at[0]), status=str(r.status[0]))
            for n, r in zip(NAMES, runs)])
        values = np.stack([r.values[:, 0] for r in runs], axis=1)
        loss = LossPlot(values, clock, [palette.optimizer_color(n) for n in NAMES],
                        min_value=land.min_value, width=5.0, height=2.5).to_edge(RIGHT)
        clock.follow(traces, loss)
        self.add(cmap, traces.static, loss.static, traces.live, loss.live)
        return clock

    def construct(self):  # for looking at it: manim benchmarks/bench_replay.py RaceBench
        from gdengine.kit.playback import play_steps

        play_steps(self, self.build(), STEPS, 10.0)


def frame_times(scene: RaceBench, clock: StepClock, step: int, chunk: int = CHUNK) -> list[float]:
    """Freeze ``chunk`` steps before ``step``, cache the background, then time FRAMES frames."""
    clock.set(max(0, step - chunk))
    moving, static = scene.get_moving_and_static_mobjects([])
    scene.renderer.save_static_frame_data(scene, static)
    times = []
    for k in range(FRAMES):
        clock.tracker.set_value(step + 0.5 * k)
        start = time.perf_counter()
        scene.update_mobjects(0)
        scene.renderer.update_frame(scene, moving)
        times.append(time.perf_counter() - start)
    return times


def measure(width: int = 854, height: int = 480) -> dict[int, list[float]]:
    with tempfile.TemporaryDirectory() as tmp, tempconfig({
        "pixel_width": width, "pixel_height": height, "frame_rate": 15, "media_dir": tmp,
        "write_to_movie": False, "disable_caching": True, "verbosity": "ERROR",
    }):
        scene = RaceBench()
        scene.setup()
        clock = scene.build()
        samples: dict = {EARLY: [], LATE: [], "unfrozen": []}
        for _ in range(ROUNDS):
            for step in (EARLY, LATE):
                samples[step] += frame_times(scene, clock, step)
            # for comparison: the whole path live (what "no static layer" would cost)
            samples["unfrozen"] += frame_times(scene, clock, LATE, chunk=LATE)
        return samples


def main() -> int:
    samples = measure()
    early, late = (statistics.median(samples[s]) for s in (EARLY, LATE))
    ratio = late / early
    print("replay: five-ball race on Rosenbrock (map + loss plot), 854x480")
    print(f"{'frame at':<14}{'median (ms)':>14}{'min (ms)':>12}")
    for s, med in ((EARLY, early), (LATE, late)):
        print(f"{'step ' + str(s):<14}{med * 1e3:>14.2f}{min(samples[s]) * 1e3:>12.2f}")
    print(f"{'(step 500 with the whole path live, no freezing:':<14}"
          f" {statistics.median(samples['unfrozen']) * 1e3:.2f} ms)")
    print(f"{'ratio':<14}{ratio:>14.2f}   (limit {RATIO_LIMIT})")
    return 0 if ratio <= RATIO_LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
