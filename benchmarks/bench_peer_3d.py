"""3-D montage against a PyVista peer: the Himmelblau scenario end to end, side by side.

Scenario (as bench_3d.py): Himmelblau, 10×10 grid of starts over [−5, 5]×[−4.5, 3.5], plain
gradient descent lr 0.01 to gradient tolerance 0.01, 240 frames at 1200×1200, 30 fps, 90° orbit,
written to an MP4 file. Each side runs in a fresh subprocess, timed inside it from the start of
the computation (descent, scene, every frame rendered and encoded) to the closed video file;
import time is printed apart. Runs alternate peer, ours; medians are printed.

* ours: ``bench_3d.make_view`` (with an empty trajectory cache) played into the pipeline's
  ``FrameSink`` (H.264 MP4 + GIF master, the encode path of every clip: more work than the
  peer's single MP4);
* peer: grad-descent-visualizer 0.1.1 (PyPI, GPL-3.0, PyVista): ``DescentPlotter()``,
  ``plot_function()``, ``generate_gradient_descent_path``, ``animate_point_descent`` (imageio
  MP4, its quality 9). It is pip-installed at run time into .cache/bench/peer (``--no-deps``:
  numpy and pyvista come from our venv) and patched there for pyvista 0.49 and off-screen
  rendering; none of its code is kept in this repository. Its keyframes are picked by hand in
  a window (``generate_movie_keyframes``); a subclass here sets a 90° orbit instead.

Printed: per side the median seconds end to end, the frames counted by decoding its last MP4
(the peer writes max(frames, descent steps)), seconds per frame, CPU seconds per frame (all
threads and the encoder process: other work on the machine slows wall time, not this) and
import seconds; the peer/ours ratio of seconds per frame against the ≥ 10× target, and of CPU
time as a cross-check; cores, load average and date. Both sides render through the same
offscreen OpenGL (``select_backend``).

Run: ``.venv/bin/python benchmarks/bench_peer_3d.py`` (``make bench`` runs every bench_*.py);
``--runs N`` / ``--frames N`` for a quicker look. Without network or package index the peer
cannot be installed: one line says so and the bench exits 0.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CACHE = Path(__file__).resolve().parents[1] / ".cache" / "bench"
PEER_DIR = CACHE / "peer"
PEER = "grad-descent-visualizer==0.1.1"
PEER_PACKAGES = (PEER, "autograd", "cmocean", "colorcet")
PATCHES = (  # (old, new) in grad_descent_visualizer/plotting.py, each exactly once
    ("pv.UniformGrid(dims=Z.shape)", "pv.ImageData(dimensions=Z.shape)"),  # pyvista ≥ 0.43
    # __init__ calls create_plotter() with its default False: defer to pv.OFF_SCREEN instead
    ("def create_plotter(self, off_screen: bool = False)", "def create_plotter(self, off_screen: bool = None)"),
    # combine() gives an UnstructuredGrid; smooth shading needs PolyData
    ("path_multiblock = path_multiblock.combine()\n", "path_multiblock = path_multiblock.combine().extract_surface()\n"),
)
SIZE, FPS, ORBIT = 1200, 30, 90.0
TARGET = 10.0


def install_peer() -> bool:
    """pip-install the peer into PEER_DIR once and patch it; False if it cannot be installed."""
    plotting = PEER_DIR / "grad_descent_visualizer" / "plotting.py"
    if not (plotting.exists() and (PEER_DIR / "autograd").exists()):
        done = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--retries", "1",
                               "--timeout", "30", "--target", str(PEER_DIR), *PEER_PACKAGES],
                              capture_output=True, text=True)
        if done.returncode != 0:
            reason = (done.stderr.strip().splitlines() or ["pip failed"])[-1]
            print(f"peer {PEER} cannot be installed (no network or package index?): {reason}; skipped")
            return False
    text = plotting.read_text()
    for old, new in PATCHES:
        if new not in text:
            if text.count(old) != 1:
                raise SystemExit(f"cannot patch the peer: {old!r} not found once in {plotting}")
            text = text.replace(old, new)
    plotting.write_text(text)
    return True


def cpu_seconds() -> float:
    """CPU seconds of this process (all threads) and of its finished children (the encoder)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def run_ours(out: Path, frames: int) -> dict:
    t = time.perf_counter()
    from bench_3d import make_view

    from gdengine.pipeline.sink import FrameSink
    from gdengine.render3d import play, select_backend

    select_backend()
    t0, c0 = time.perf_counter(), cpu_seconds()
    view = make_view(10, frames, SIZE, FPS)  # GDENGINE_CACHE_DIR is empty: the descent runs
    sink = FrameSink(width=SIZE, height=SIZE, fps=FPS, mp4=out, gif_master=out.with_suffix(".mov"))
    try:
        play(sink, view.n_frames, view.draw)
        sink.close()
    finally:
        sink.abort()
    done = {"import": t0 - t, "seconds": time.perf_counter() - t0, "cpu": cpu_seconds() - c0}
    view.close()
    return done


def run_peer(out: Path, frames: int, xy: list[list[float]]) -> dict:
    t = time.perf_counter()
    import numpy as np
    import pyvista as pv
    from grad_descent_visualizer import DescentPlotter

    t0, c0 = time.perf_counter(), cpu_seconds()
    pv.OFF_SCREEN = True

    class OrbitPlotter(DescentPlotter):
        def generate_movie_keyframes(self, approach_frames, descent_frames, offscreen):
            """A 90° orbit about the vertical through the focal point of the view the window
            opens with (isometric), instead of keyframes picked by key presses in a window."""
            self.plotter.view_isometric()
            pos, focal, up = (np.asarray(v, float) for v in self.plotter.camera_position)
            a = np.radians(np.linspace(0.0, ORBIT, descent_frames))[:, None]
            rel = pos - focal
            path = np.empty((descent_frames, 3, 3))
            path[:, 0] = focal + np.hstack([rel[0] * np.cos(a) - rel[1] * np.sin(a),
                                            rel[0] * np.sin(a) + rel[1] * np.cos(a), np.full_like(a, rel[2])])
            path[:, 1], path[:, 2] = focal, up
            self.camera_path, self.approach_path = path, path[:1].repeat(approach_frames, axis=0)
            self.plotter.close()  # as show() does when the window is closed
            self.create_plotter(off_screen=offscreen)
            self.restore_actors()

    plotter = OrbitPlotter()
    plotter.plot_function()
    path = plotter.generate_gradient_descent_path([np.array(v) for v in xy], alpha=0.01, tolerance=0.01)
    plotter.animate_point_descent(str(out), approach_frames=0, buffer_frames=0, descent_frames=frames,
                                  fps=FPS, render_offscreen=True, verbose=False)
    return {"import": t0 - t, "seconds": time.perf_counter() - t0, "cpu": cpu_seconds() - c0}


def child(side: str, out: Path, frames: int, xy: list) -> dict:
    """Run one side in a fresh interpreter; its timings (JSON, last line of stdout)."""
    env = dict(os.environ)
    if side == "peer":
        env["PYTHONPATH"] = str(PEER_DIR)
    cmd = [sys.executable, __file__, "--child", side, "--out", str(out), "--frames", str(frames)]
    with tempfile.TemporaryDirectory() as tmp:
        env["GDENGINE_CACHE_DIR"] = tmp
        done = subprocess.run(cmd, env=env, input=json.dumps(xy), capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{side} run failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--frames", type=int, default=240)
    ap.add_argument("--child", choices=("peer", "ours"), help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child == "ours":
        print(json.dumps(run_ours(args.out, args.frames)))
        return 0
    if args.child == "peer":
        print(json.dumps(run_peer(args.out, args.frames, json.load(sys.stdin))))
        return 0

    if not install_peer():
        return 0
    import imageio_ffmpeg
    from bench_3d import starts

    from gdengine.render3d import select_backend

    backend = select_backend()  # both children inherit the same VTK window and LP_NUM_THREADS
    load = os.getloadavg()[0]
    print(f"machine: {os.cpu_count()} cores, load average {load:.1f} at the start; "
          f"{datetime.date.today()}; backend {backend.name}, LP_NUM_THREADS={backend.threads}")
    print(f"scenario: Himmelblau, 10x10 starts, GD lr 0.01 tol 0.01, {args.frames} frames at "
          f"{SIZE}x{SIZE}, {FPS} fps, {ORBIT:.0f}° orbit; median of {args.runs} runs, alternating")
    xy = starts(10).T.tolist()
    outs = {side: CACHE / f"peer_3d_{side}.mp4" for side in ("peer", "ours")}
    CACHE.mkdir(parents=True, exist_ok=True)
    runs: dict[str, list[dict]] = {"peer": [], "ours": []}
    for _ in range(args.runs):
        for side, out in outs.items():
            runs[side].append(child(side, out, args.frames, xy))

    rows = {}
    for side, label in (("peer", f"peer, {PEER}"), ("ours", "gdengine")):
        frames = imageio_ffmpeg.count_frames_and_secs(str(outs[side]))[0]
        med = {k: statistics.median(r[k] for r in runs[side]) for k in ("seconds", "cpu", "import")}
        rows[side] = (label, med["seconds"], frames, med["seconds"] / frames, med["cpu"] / frames,
                      med["import"], ", ".join(f"{r['seconds']:.1f}" for r in runs[side]))
    width = max(len(r[0]) for r in rows.values())
    print(f"  {'side':<{width}}  end to end s  frames  s/frame  CPU s/frame  import s  runs (s)")
    for label, seconds, frames, spf, cpf, imp, each in rows.values():
        print(f"  {label:<{width}}  {seconds:>12.1f}  {frames:>6}  {spf:>7.3f}  {cpf:>11.3f}  {imp:>8.2f}  {each}")
    ratio, cpu_ratio = (rows["peer"][i] / rows["ours"][i] for i in (3, 4))
    verdict = "meets" if ratio >= TARGET else "MISSES"
    print(f"gdengine is {ratio:.2f}× faster than the peer "
          f"{'end to end' if rows['peer'][2] == rows['ours'][2] else 'per frame'} ({verdict} the "
          f"≥ {TARGET:.0f}× target); in CPU time per frame {cpu_ratio:.2f}×; videos in {CACHE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
