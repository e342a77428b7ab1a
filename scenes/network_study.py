"""The network study both storyboard-12 clips show (``training_view``, ``loss_landscape_3d``):
one small network on a 2-D classification set, trained by plain SGD, momentum and Adam from
one shared start for the same number of steps, each at the learning rate the engine's sweep
picks for it; one plane through weight space for all three runs, the loss on it, each run
projected onto it with its distance from it; and the filter-normalised 1-D slices around each
end, on one scale. Everything comes from ``gdengine.core`` (cached); nothing is integrated here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

import gdengine as gd
from gdengine.core import networks, planes
from gdengine.errors import GdengineError

OPTIMIZERS = ("sgd", "momentum", "adam")
PLANES = ("pca", "ends")
DATA_SETS = networks.DATASETS
# the sweep's rates from 0.001 to 1, the range these optimizers are used in on a small network:
# larger rates win the sweep by driving the weights to huge norms (over-confident networks whose
# paths run far from any plane), which is not what the clips are about
RATES = gd.TUNE_RATES[(gd.TUNE_RATES >= 1e-3) & (gd.TUNE_RATES <= 1.0)]
SLICE_SEED = 7  # the one random direction (filter-normalised per end point) for "flat or sharp"


@dataclass(frozen=True)
class Study:
    land: object  # the MLP landscape
    w0: np.ndarray  # the shared start (D,)
    names: tuple[str, ...]
    lrs: tuple[float, ...]
    runs: tuple  # engine trajectories in weight space
    plane: planes.Plane
    window: tuple
    plane_land: object  # the loss on the plane as a 2-D landscape
    seen: tuple  # the runs projected on the plane (positions in plane coordinates)
    slices: tuple  # per run: (t, loss) along its filter-normalised direction

    @property
    def steps(self) -> int:
        return max(r.T for r in self.runs)

    def max_distance(self, i: int) -> float:
        return float(np.max(self.seen[i].meta["distance"]))

    def leaves_at(self, i: int, share: float = 0.1) -> int:
        """First step where run ``i`` is farther from the plane than ``share`` of how far it
        has gone from the start: where its projection stops telling the whole story."""
        d = self.seen[i].meta["distance"][:, 0]
        gone = np.linalg.norm(self.runs[i].positions[:, 0] - self.w0, axis=1)
        over = np.flatnonzero(d > share * np.maximum(gone, 1e-12))
        return int(over[0]) if len(over) else -1


def check(data, hidden, activation, seed, steps, plane) -> None:
    if plane not in PLANES:
        raise GdengineError(f"unknown plane {plane!r}; valid choices: {', '.join(PLANES)}")
    if isinstance(steps, bool) or not isinstance(steps, int) or not 10 <= steps <= 5000:
        raise GdengineError(f"steps must be a whole number from 10 to 5000, got {steps!r}")
    gd.landscape("mlp", data=data, hidden=hidden, activation=activation, seed=seed)


@lru_cache(maxsize=4)
def study(data: str = "moons", hidden: tuple = (16, 16), activation: str = "tanh", seed: int = 0,
          steps: int = 300, plane: str = "pca") -> Study:
    check(data, hidden, activation, seed, steps, plane)
    land = gd.landscape("mlp", data=data, hidden=tuple(hidden), activation=activation, seed=seed)
    w0 = land.initial(seed)
    lrs, runs = [], []
    for name in OPTIMIZERS:
        lr = gd.tune_lr(land, name, w0, steps, nearby=0, rates=RATES, cache=True).lr
        lrs.append(lr)
        runs.append(gd.descend(land, gd.optimizer(name, lr=lr), [w0], steps, record=("positions", "values"),
                               cache=True))
    paths = [r.positions[:, 0] for r in runs]
    if plane == "pca":
        chosen = planes.pca_plane(paths, w0)
    else:
        chosen = planes.plane_through(w0, paths[0][-1], paths[-1][-1])
    window = planes.plane_window(chosen, paths)
    seen = tuple(planes.projected(r, chosen) for r in runs)
    direction = np.random.default_rng(SLICE_SEED).standard_normal(land.dim)
    slices = tuple(planes.filter_normalized_slice(land, p[-1], direction=direction)[:2] for p in paths)
    return Study(land, w0, OPTIMIZERS, tuple(lrs), tuple(runs), chosen, window,
                 planes.plane_landscape(land, chosen, window), seen, slices)
