"""The numerical core: landscapes, optimizers exact to torch.optim, batched descent."""

from gdengine.core import datasets, networks, planes  # noqa: F401  (networks registers "mlp")
from gdengine.core.analysis import (
    OUTCOMES,
    TUNE_RATES,
    Sweep,
    Tuning,
    basin_interval,
    classify_1d,
    sweep,
    tune_lr,
)
from gdengine.core.descend import basins, descend
from gdengine.core.formulas import formula
from gdengine.core.landscapes import Landscape, landscapes, register_landscape
from gdengine.core.lookup import landscape
from gdengine.core.optimizers import (
    Optimizer,
    hyper_defaults,
    optimizer,
    optimizers,
    register_optimizer,
)
from gdengine.core.trajectory import Trajectory

__all__ = [
    "OUTCOMES",
    "Sweep",
    "basin_interval",
    "classify_1d",
    "sweep",
    "TUNE_RATES",
    "Tuning",
    "tune_lr",
    "Landscape",
    "Optimizer",
    "Trajectory",
    "basins",
    "datasets",
    "planes",
    "descend",
    "formula",
    "hyper_defaults",
    "landscape",
    "landscapes",
    "optimizer",
    "optimizers",
    "register_landscape",
    "register_optimizer",
]
