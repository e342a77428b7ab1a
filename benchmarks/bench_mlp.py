"""What a network's loss surface costs: the MLP landscape (moons, 2 × 16 × 16 × 1 tanh, 337
weights, 200 points) evaluated on a 201 × 201 grid of a plane — 40,401 weight vectors in one
call — against torch on the same batch in float64: ``torch.func.vmap`` of a functional forward
(chunked so it fits in memory) and a per-point loop (timed on a subset, per vector).

Prints medians of ``--runs`` runs, ratios against vmap measured in the same run, the machine's
floor for the ~260 M tanh evaluations (numpy's tanh over as many numbers, one core, and that
time halved for two), and peak memory (tracemalloc of the gdengine call).

Usage (``make bench`` runs the defaults):
    .venv/bin/python benchmarks/bench_mlp.py [--runs 3] [--loop 400]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import gdengine as gd  # noqa: E402
from gdengine.core import planes  # noqa: E402


def timed(fn, runs: int) -> tuple[float, object]:
    out, times = None, []
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--loop", type=int, default=400, help="vectors timed in the per-point torch loop")
    args = ap.parse_args()

    import torch
    from torch.func import functional_call, vmap

    torch.set_num_threads(os.cpu_count() or 1)
    land = gd.landscape("mlp")
    w0 = land.initial(0)
    runs = [gd.descend(land, gd.optimizer(n, lr=lr), [w0], 300, record=("positions",)).positions[:, 0]
            for n, lr in (("sgd", 0.5), ("momentum", 0.1), ("adam", 0.01))]
    plane = planes.pca_plane(runs, w0)
    window = planes.plane_window(plane, runs)
    a, b = np.linspace(*window[0], 201), np.linspace(*window[1], 201)
    A, B = np.meshgrid(a, b)
    W = plane.point(np.stack([A.ravel(), B.ravel()], 1))
    land.f(W[:200])  # load the compiled kernel once

    tracemalloc.start()
    ours, surface = timed(lambda: land.f(W), args.runs)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    x, y = torch.tensor(land.data.x), torch.tensor(land.data.y)
    net = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.Tanh(), torch.nn.Linear(16, 16), torch.nn.Tanh(),
                              torch.nn.Linear(16, 1)).double()
    names = [n for n, _ in net.named_parameters()]
    shapes = [p.shape for _, p in net.named_parameters()]
    Wt = torch.tensor(W)

    def params_of(w):
        out, at = {}, 0
        for n, s in zip(names, shapes):
            k = int(np.prod(s))
            out[n] = w[at:at + k].reshape(s)
            at += k
        return out

    def loss(w):
        z = functional_call(net, params_of(w), (x,))[:, 0]
        return torch.nn.functional.binary_cross_entropy_with_logits(z, y)

    batched = vmap(loss)

    def torch_vmap():
        with torch.no_grad():
            return torch.cat([batched(Wt[s:s + 4096]) for s in range(0, len(Wt), 4096)]).numpy()

    vm, vm_out = timed(torch_vmap, args.runs)

    def torch_loop():
        with torch.no_grad():
            return [loss(Wt[i]).item() for i in range(args.loop)]

    loop, loop_out = timed(torch_loop, 1)
    loop_all = loop / args.loop * len(W)

    tanh_count = len(W) * land.n_samples * sum(land.hidden)
    probe = np.random.default_rng(0).standard_normal(10_000_000)
    floor_one, _ = timed(lambda: np.tanh(probe), args.runs)
    floor_one *= tanh_count / probe.size

    err = float(np.max(np.abs(surface - vm_out) / vm_out))
    err_loop = float(np.max(np.abs(surface[:args.loop] - np.array(loop_out)) / np.array(loop_out)))
    print(f"# 201² plane of the moons MLP (337 weights, 200 points): {len(W):,} networks, "
          f"{tanh_count / 1e6:.0f} M tanh; median of {args.runs}; {platform.machine()}, "
          f"{os.cpu_count()} cores, torch {torch.__version__} at {torch.get_num_threads()} threads, "
          f"{time.strftime('%Y-%m-%d')}")
    print(f"{'implementation':<34} {'seconds':>9} {'× vmap':>8}")
    print(f"{'gdengine (numba, both cores)':<34} {ours:>9.2f} {vm / ours:>7.2f}×")
    print(f"{'torch.func.vmap, float64':<34} {vm:>9.2f} {1.0:>7.2f}×")
    print(f"{'torch per-point loop (extrapolated)':<34} {loop_all:>9.2f} {vm / loop_all:>7.2f}×")
    print(f"tanh floor: {floor_one:.2f} s on one core (numpy), {floor_one / 2:.2f} s on two; "
          f"gdengine is {ours / (floor_one / 2):.2f}× the two-core floor")
    print(f"peak memory of the gdengine call: {peak / 2**20:.1f} MiB; largest relative difference "
          f"from vmap {err:.1e}, from the loop {err_loop:.1e}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
