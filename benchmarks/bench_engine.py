"""Engine benchmark: Adam on Himmelblau, 10,000 starts × 1,000 steps (the 3-D montage case).

Compares gdengine (fused numba kernel, and the numpy reference path) with a per-point
pure-Python loop (a sample of starts, scaled) and torch.optim.Adam on the same batch, each
recording the same arrays. Prints a table; it is not a test. `make bench` runs it.
"""

from __future__ import annotations

import gc
import math
import os
import platform
import sys
import time
import tracemalloc

import numpy as np

import gdengine as gd

B_SIDE, STEPS, LR, BETAS, EPS = 100, 1000, 0.05, (0.9, 0.999), 1e-8
PY_SAMPLE = 50  # starts timed in the pure-Python loops (then scaled to B)
TORCH_THREADS = 1  # like the kernel; 2 threads on a busy 2-core machine only adds spinning


def starts() -> np.ndarray:
    g = np.linspace(-4.5, 4.5, B_SIDE)
    return np.stack(np.meshgrid(g, g), -1).reshape(-1, 2)


def timed(fn, *, trace=False, repeat=2):
    """(result, best wall seconds, best CPU seconds, traced peak bytes of the first run).

    Best of ``repeat``: the first touch of fresh memory costs the OS a lot on a busy machine
    and would otherwise be charged to whichever implementation runs first."""
    walls, cpus, peak = [], [], 0
    for r in range(repeat):
        out = None
        gc.collect()
        if trace and r == 0:
            tracemalloc.start()
        c0, t0 = time.process_time(), time.perf_counter()
        out = fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
        if trace and r == 0:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        if r < repeat - 1:
            del out
    return out, min(walls), min(cpus), peak


def python_loop(X0: np.ndarray, steps: int, record_all: bool):
    """Adam on Himmelblau in plain Python floats, one start at a time, lists of tuples."""
    b1, b2 = BETAS
    out = []
    for x, y in X0.tolist():
        mx = my = vx = vy = 0.0
        path = [(x, y)]
        extra = []
        for t in range(1, steps + 1):
            a, c = x * x + y - 11.0, x + y * y - 7.0
            gx, gy = 4.0 * x * a + 2.0 * c, 2.0 * a + 4.0 * y * c
            mx += (1 - b1) * (gx - mx)
            my += (1 - b1) * (gy - my)
            vx = vx * b2 + (1 - b2) * gx * gx
            vy = vy * b2 + (1 - b2) * gy * gy
            ss = LR / (1 - b1 ** t)
            bc = math.sqrt(1 - b2 ** t)
            ux = -ss * mx / (math.sqrt(vx) / bc + EPS)
            uy = -ss * my / (math.sqrt(vy) / bc + EPS)
            x, y = x + ux, y + uy
            path.append((x, y))
            if record_all:
                extra.append((a * a + c * c, gx, gy, ux, uy, mx, my, vx, vy))
        out.append((path, extra))
    return out


def numpy_point_loop(X0: np.ndarray, steps: int, record_all: bool):
    """The per-point loop as visualizers write it: numpy 2-vectors, one start at a time."""
    b1, b2 = BETAS
    out = []
    for start in X0:
        p = start.copy()
        m, v = np.zeros(2), np.zeros(2)
        path, extra = [p.copy()], []
        for t in range(1, steps + 1):
            x, y = p
            a, c = x * x + y - 11.0, x + y * y - 7.0
            g = np.array([4.0 * x * a + 2.0 * c, 2.0 * a + 4.0 * y * c])
            m = b1 * m + (1 - b1) * g
            v = b2 * v + (1 - b2) * g * g
            u = -LR * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + EPS)
            p = p + u
            path.append(p.copy())
            if record_all:
                extra.append((a * a + c * c, g, u, m, v))
        out.append((path, extra))
    return out


def torch_run(X0: np.ndarray, steps: int, record_all: bool):
    """torch.optim.Adam on the (B, 2) batch, analytic gradient in torch ops, same records."""
    import torch

    p = torch.tensor(X0, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.Adam([p], lr=LR, betas=BETAS, eps=EPS)
    T1, B = steps + 1, len(X0)
    pos = torch.empty((T1, B, 2), dtype=torch.float64)
    val = torch.empty((T1, B), dtype=torch.float64)
    if record_all:
        grd = torch.empty((T1, B, 2), dtype=torch.float64)
        upd = torch.empty((steps, B, 2), dtype=torch.float64)
        m1 = torch.zeros((T1, B, 2), dtype=torch.float64)
        m2 = torch.zeros((T1, B, 2), dtype=torch.float64)
    with torch.no_grad():
        for t in range(T1):
            x, y = p[:, 0], p[:, 1]
            a, c = x * x + y - 11.0, x + y * y - 7.0
            pos[t] = p
            val[t] = a * a + c * c
            g = torch.stack((4.0 * x * a + 2.0 * c, 2.0 * a + 4.0 * y * c), 1)
            if record_all:
                grd[t] = g
                if t:
                    st = opt.state[p]
                    m1[t], m2[t] = st["exp_avg"], st["exp_avg_sq"]
            if t == steps:
                break
            p.grad = g
            before = p.clone() if record_all else None
            opt.step()
            if record_all:
                upd[t] = p - before
    return pos


def fmt_rate(r):
    return f"{r / 1e6:8.2f} M"


def main() -> int:
    X0 = starts()
    B = len(X0)
    land = gd.landscape("himmelblau")
    opt = gd.optimizer("adam", lr=LR, betas=BETAS, eps=EPS)
    work = B * STEPS
    import torch

    torch.set_num_threads(TORCH_THREADS)

    print(f"gdengine engine benchmark — Adam on Himmelblau, {B:,} starts × {STEPS:,} steps")
    print(f"python {platform.python_version()}, numpy {np.__version__}, torch {torch.__version__} "
          f"({torch.get_num_threads()} threads), {os.cpu_count()} CPUs, "
          f"{time.strftime('%Y-%m-%d')}")
    t0 = time.perf_counter()
    gd.descend(land, opt, X0[:4], 3, backend="numba")  # compile (or load the cached kernel)
    print(f"numba kernel ready in {time.perf_counter() - t0:.1f} s (compile or disk cache)\n")

    rows = []
    for label, record, record_all in (
        ("montage: positions+values", ("positions", "values"), False),
        ('record="all"', "all", True),
    ):
        res = {}
        for be in ("numba", "numpy"):
            traj, wall, cpu, peak = timed(
                lambda: gd.descend(land, opt, X0, STEPS, record=record, backend=be), trace=True)
            rec = sum(v.nbytes for v in traj._arrays.values())
            res[be] = (wall, cpu, peak, rec)
            del traj
        scale = B / PY_SAMPLE
        for name, fn in (("loop, numpy/point", numpy_point_loop), ("loop, floats", python_loop)):
            _, wall, cpu, _ = timed(lambda: fn(X0[:PY_SAMPLE], STEPS, record_all))
            res[name] = (wall * scale, cpu * scale, 0, 0)
        _, wall, cpu, _ = timed(lambda: torch_run(X0, STEPS, record_all))
        res["torch.optim.Adam"] = (wall, cpu, 0, 0)
        base = {k: res[k][1] for k in ("loop, numpy/point", "loop, floats", "torch.optim.Adam")}
        for name, (wall, cpu, peak, rec) in res.items():
            mem = f"{peak / 2**20:5.0f} / {rec / 2**20:4.0f} = {peak / rec:4.2f}" if rec else ""
            rows.append((label, name, wall, cpu, work / cpu, *(b / cpu for b in base.values()), mem))

    head = (f"{'case':<26} {'implementation':<18} {'wall s':>7} {'cpu s':>7} "
            f"{'p-steps/s':>10} {'×np-loop':>9} {'×fl-loop':>9} {'×torch':>7}  peak/recorded MB")
    print(head)
    print("-" * len(head))
    for label, name, wall, cpu, rate, vn, vf, vt, mem in rows:
        print(f"{label:<26} {name:<18} {wall:7.2f} {cpu:7.2f} {fmt_rate(rate):>10} "
              f"{vn:9.0f} {vf:9.1f} {vt:7.2f}  {mem}")
    print(f"\nRates use CPU time (the machine is shared; wall time is shown too). The loops run "
          f"{PY_SAMPLE} starts, scaled to {B:,}: 'numpy/point' is the usual per-point visualizer "
          f"loop, 'floats' plain Python floats. torch uses {TORCH_THREADS} thread(s) like the "
          "kernel. Targets: ≥ 100× the loop, ≥ 2× torch, peak ≤ 1.5× the recorded arrays.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
