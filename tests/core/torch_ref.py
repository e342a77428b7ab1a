"""The same landscapes and optimizers written in torch (float64): the test-only reference."""

import math

import numpy as np
import torch

PI = math.pi


def _ackley(x, y):
    r = torch.sqrt(0.5 * (x * x + y * y))
    return (-20 * torch.exp(-0.2 * r) - torch.exp(0.5 * (torch.cos(2 * PI * x) + torch.cos(2 * PI * y)))
            + math.e + 20)


TORCH_F = {
    "parabola": lambda x: x ** 2,
    "cubic": lambda x: x ** 3,
    "xcos": lambda x: x * torch.cos(PI * x),
    "sphere": lambda x, y: x ** 2 + y ** 2,
    "himmelblau": lambda x, y: (x ** 2 + y - 11) ** 2 + (x + y ** 2 - 7) ** 2,
    "rosenbrock": lambda x, y: (1 - x) ** 2 + 100 * (y - x ** 2) ** 2,
    "beale": lambda x, y: ((1.5 - x + x * y) ** 2 + (2.25 - x + x * y ** 2) ** 2
                           + (2.625 - x + x * y ** 3) ** 2),
    "booth": lambda x, y: (x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2,
    "matyas": lambda x, y: 0.26 * (x ** 2 + y ** 2) - 0.48 * x * y,
    "rastrigin": lambda x, y: (20 + x ** 2 - 10 * torch.cos(2 * PI * x)
                               + y ** 2 - 10 * torch.cos(2 * PI * y)),
    "ackley": _ackley,
    "griewank": lambda x, y: 1 + (x ** 2 + y ** 2) / 4000 - torch.cos(x) * torch.cos(y / math.sqrt(2)),
    "six_hump_camel": lambda x, y: ((4 - 2.1 * x ** 2 + x ** 4 / 3) * x ** 2 + x * y
                                    + (-4 + 4 * y ** 2) * y ** 2),
    "three_hump_camel": lambda x, y: 2 * x ** 2 - 1.05 * x ** 4 + x ** 6 / 6 + x * y + y ** 2,
    "easom": lambda x, y: (-torch.cos(x) * torch.cos(y)
                           * torch.exp(-((x - PI) ** 2 + (y - PI) ** 2))),
    "goldstein_price": lambda x, y: (
        (1 + (x + y + 1) ** 2 * (19 - 14 * x + 3 * x ** 2 - 14 * y + 6 * x * y + 3 * y ** 2))
        * (30 + (2 * x - 3 * y) ** 2 * (18 - 32 * x + 12 * x ** 2 + 48 * y - 36 * x * y
                                        + 27 * y ** 2))),
    "styblinski_tang": lambda x, y: 0.5 * (x ** 4 - 16 * x ** 2 + 5 * x + y ** 4 - 16 * y ** 2 + 5 * y),
    "levi13": lambda x, y: (torch.sin(3 * PI * x) ** 2
                            + (x - 1) ** 2 * (1 + torch.sin(3 * PI * y) ** 2)
                            + (y - 1) ** 2 * (1 + torch.sin(2 * PI * y) ** 2)),
    "saddle": lambda x, y: x ** 2 - y ** 2,
    "monkey_saddle": lambda x, y: x ** 3 - 3 * x * y ** 2,
    "ravine": lambda x, y: 0.5 * (x ** 2 + 20 * y ** 2),
    "shallow_local": lambda x, y: x ** 4 - 2 * x ** 2 + x + y ** 2,
    "sin_saddle": lambda x, y: torch.sin(x) + y ** 2,
    "plateau": lambda x, y: 1 - torch.exp(-(x ** 2 + y ** 2) / 2),
    "elliptic_bowl": lambda x, y: x ** 2 + 3 * y ** 2,
}


def torch_value_and_grad(name, X):
    """f and autograd gradient of landscape ``name`` at the rows of X (B, D)."""
    t = torch.tensor(X, dtype=torch.float64, requires_grad=True)
    f = TORCH_F[name](*(t[:, d] for d in range(X.shape[1])))
    f.sum().backward()
    return f.detach().numpy(), t.grad.numpy()


TORCH_CLASS = {"sgd": "SGD", "gd": "SGD", "vanilla": "SGD", "momentum": "SGD", "nesterov": "SGD",
               "adagrad": "Adagrad", "rmsprop": "RMSprop", "adam": "Adam", "adamw": "AdamW"}


def torch_optimizer(opt, param):
    """torch.optim twin of a gdengine Optimizer (same hyper-parameters) over ``param``."""
    hyper = dict(opt.hyper)
    hyper.pop("bias_correction", None)
    if "betas" in hyper:
        hyper["betas"] = tuple(float(b) for b in hyper["betas"])
    return getattr(torch.optim, TORCH_CLASS[opt.name])([param], foreach=False, **hyper)


def torch_run(land, opt, X0, steps):
    """Positions (steps+1, B, D) of torch.optim fed with the landscape's analytic gradient."""
    p = torch.tensor(X0, dtype=torch.float64, requires_grad=True)
    tor = torch_optimizer(opt, p)
    out = np.empty((steps + 1,) + X0.shape)
    out[0] = X0
    for t in range(steps):
        p.grad = torch.from_numpy(land.grad(p.detach().numpy()))
        tor.step()
        out[t + 1] = p.detach().numpy()
    return out
