"""Optimizers as pure ``(init, update)`` pairs over batched (B, D) arrays, exact to torch.optim.

``state = opt.init(X)``; ``step, state = opt.update(G, state, X)``; the new point is
``X + step``. Hyper-parameter names, defaults and arithmetic follow torch.optim (float64),
operation by operation, so trajectories agree with torch to a few ulps. Any float
hyper-parameter may also be an array of shape (B,): one value per particle (used by sweeps).
Buffers carry torch's names (``momentum_buffer``, ``sum``, ``square_avg``, ``grad_avg``,
``exp_avg``, ``exp_avg_sq``, ``max_exp_avg_sq``); ``count`` is torch's ``step``.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any, Callable, NamedTuple

import numpy as np

from gdengine.errors import GdengineError
from gdengine.jsonable import jsonable as _jsonable


@dataclass(frozen=True, eq=False)
class Optimizer:
    """``init(X) -> state``; ``update(G, state, X) -> (step, state)``; pure, nothing mutated."""

    name: str
    hyper: dict
    init: Callable[[np.ndarray], Any]
    update: Callable[[np.ndarray, Any, np.ndarray], tuple[np.ndarray, Any]]
    buffers: tuple[str, ...] = field(default=())
    kind: str = ""  # the base rule ("sgd", "adagrad", "rmsprop", "adam"), for the kernel

    @property
    def spec(self) -> dict:
        return {"name": self.name, "hyper": _jsonable(self.hyper)}

    def per_particle(self) -> int | None:
        """B if some hyper-parameter is an array of shape (B,), else None."""
        for k, v in self.hyper.items():
            for x in (v if k == "betas" else (v,)):
                if np.ndim(x) == 1:
                    return int(np.shape(x)[0])
        return None

    def __repr__(self) -> str:
        return f"Optimizer({self.name!r}, {self.hyper})"




def _col(v):
    """A hyper-parameter as used in the arithmetic: Python float, or (B, 1) column."""
    if np.ndim(v) == 0:
        return float(v)
    return np.asarray(v, dtype=float).reshape(-1, 1)


def _zeros(X):
    return np.zeros(np.shape(X), dtype=float)


# --- SGD (with momentum, dampening, Nesterov, weight decay) -------------------------------
class SGDState(NamedTuple):
    count: int  # updates made so far (torch builds the buffer on the first one)
    momentum_buffer: np.ndarray | None  # (B, D); None when momentum == 0


def sgd(lr=1e-3, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False):
    """torch.optim.SGD.  g ← g + λx;  b ← μb + (1−τ)g (b₁ = g);  g ← g + μb (Nesterov) or b;
    x ← x − ηg.  (Sutskever et al., 2013, in PyTorch's formulation.)"""
    lr_, mu, damp, wd = _col(lr), _col(momentum), _col(dampening), _col(weight_decay)
    use_mom = np.any(np.asarray(momentum) != 0)
    use_wd = np.any(np.asarray(weight_decay) != 0)

    def init(X):
        return SGDState(0, _zeros(X) if use_mom else None)

    def update(G, state, X):
        g = G + wd * X if use_wd else G
        buf = state.momentum_buffer
        if use_mom:
            buf = g.copy() if state.count == 0 else buf * mu + g * (1 - damp)
            g = g + buf * mu if nesterov else buf
        return g * -lr_, SGDState(state.count + 1, buf)

    return init, update, ("momentum_buffer",) if use_mom else ()


def _pow(b, n):
    """b ** n as torch computes it (Python float pow for scalars)."""
    return b ** float(n) if isinstance(b, float) else np.power(b, float(n))


def _sqrt(v):
    return v ** 0.5 if isinstance(v, float) else np.sqrt(v)


def _lerp(a, b, w):
    """torch.lerp: a + w(b − a) for w < 0.5, else b − (b − a)(1 − w)."""
    if isinstance(w, float):
        return a + w * (b - a) if w < 0.5 else b - (b - a) * (1 - w)
    return np.where(w < 0.5, a + w * (b - a), b - (b - a) * (1 - w))


# --- Adagrad -----------------------------------------------------------------------------
class AdagradState(NamedTuple):
    count: int
    sum: np.ndarray  # (B, D) running sum of squared gradients


def adagrad(lr=1e-2, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0, eps=1e-10):
    """torch.optim.Adagrad.  g ← g + λx;  s ← s + g²;  x ← x − η/(1 + (t−1)·δ) · g/(√s + ε).
    (Duchi, Hazan & Singer, 2011.)"""
    lr_, decay, wd, eps_ = _col(lr), _col(lr_decay), _col(weight_decay), _col(eps)
    acc = _col(initial_accumulator_value)
    use_wd = np.any(np.asarray(weight_decay) != 0)

    def init(X):
        return AdagradState(0, _zeros(X) + acc)

    def update(G, state, X):
        t = state.count + 1
        g = G + wd * X if use_wd else G
        clr = lr_ / (1 + (t - 1) * decay)
        s = state.sum + g * g
        std = np.sqrt(s) + eps_
        return (-clr * g) / std, AdagradState(t, s)

    return init, update, ("sum",)


# --- RMSprop -----------------------------------------------------------------------------
class RMSpropState(NamedTuple):
    count: int
    square_avg: np.ndarray  # (B, D) moving average of g²
    grad_avg: np.ndarray | None  # (B, D) moving average of g (centered only)
    momentum_buffer: np.ndarray | None  # (B, D) (momentum > 0 only)


def rmsprop(lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False):
    """torch.optim.RMSprop.  s ← αs + (1−α)g²;  a = √(s − ḡ²) (centered, ḡ ← lerp(ḡ, g, 1−α))
    or √s;  b ← μb + g/(a + ε), x ← x − ηb (momentum) or x ← x − η·g/(a + ε).
    (Hinton, Coursera lecture 6e, 2012; Graves, 2013 for the centered form.)"""
    lr_, al, eps_, wd, mu = _col(lr), _col(alpha), _col(eps), _col(weight_decay), _col(momentum)
    use_wd = np.any(np.asarray(weight_decay) != 0)
    use_mom = np.any(np.asarray(momentum) > 0)

    def init(X):
        return RMSpropState(0, _zeros(X), _zeros(X) if centered else None,
                            _zeros(X) if use_mom else None)

    def update(G, state, X):
        g = G + wd * X if use_wd else G
        sq = state.square_avg * al + g * g * (1 - al)
        gavg = state.grad_avg
        if centered:
            gavg = _lerp(gavg, g, 1 - al)
            avg = np.sqrt(sq + gavg * gavg * -1) + eps_
        else:
            avg = np.sqrt(sq) + eps_
        buf = state.momentum_buffer
        if use_mom:
            buf = buf * mu + g / avg
            step = buf * -lr_
        else:
            step = (-lr_ * g) / avg
        return step, RMSpropState(state.count + 1, sq, gavg, buf)

    bufs = ("square_avg",) + (("grad_avg",) if centered else ()) + (
        ("momentum_buffer",) if use_mom else ())
    return init, update, bufs


# --- Adam / AdamW ------------------------------------------------------------------------
class AdamState(NamedTuple):
    count: int
    exp_avg: np.ndarray  # (B, D) first moment m
    exp_avg_sq: np.ndarray  # (B, D) second moment v
    max_exp_avg_sq: np.ndarray | None  # (B, D) running max of v (amsgrad only)


def adam(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False,
         bias_correction=True, decoupled_weight_decay=False):
    """torch.optim.Adam (AdamW with ``decoupled_weight_decay``).
    m ← lerp(m, g, 1−β₁);  v ← β₂v + (1−β₂)g²;  v̂ = max(v̂, v) (amsgrad);
    x ← x − η/(1−β₁ᵗ) · m / (√v / √(1−β₂ᵗ) + ε).  ``bias_correction=False`` drops both
    (1−βᵗ) factors (a teaching variant, not in torch).  Weight decay: g ← g + λx, or
    x ← x(1 − ηλ) first when decoupled.  (Kingma & Ba, 2015; Loshchilov & Hutter, 2019.)"""
    b1, b2 = (_col(b) for b in betas)
    lr_, eps_, wd = _col(lr), _col(eps), _col(weight_decay)
    use_wd = np.any(np.asarray(weight_decay) != 0)

    def init(X):
        return AdamState(0, _zeros(X), _zeros(X), _zeros(X) if amsgrad else None)

    def update(G, state, X):
        t = state.count + 1
        g = G + wd * X if use_wd and not decoupled_weight_decay else G
        m = _lerp(state.exp_avg, g, 1 - b1)
        v = state.exp_avg_sq * b2 + g * g * (1 - b2)
        vmax = np.maximum(state.max_exp_avg_sq, v) if amsgrad else None
        vv = vmax if amsgrad else v
        if bias_correction:
            step_size = lr_ / (1 - _pow(b1, t))
            denom = np.sqrt(vv) / _sqrt(1 - _pow(b2, t)) + eps_
        else:
            step_size = lr_
            denom = np.sqrt(vv) + eps_
        step = (-step_size * m) / denom
        if use_wd and decoupled_weight_decay:
            step = step - (lr_ * wd) * X
        return step, AdamState(t, m, v, vmax)

    return init, update, ("exp_avg", "exp_avg_sq") + (("max_exp_avg_sq",) if amsgrad else ())


def adamw(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False,
          bias_correction=True):
    """torch.optim.AdamW: Adam with decoupled weight decay (default λ = 0.01)."""
    return adam(lr, betas, eps, weight_decay, amsgrad, bias_correction,
                decoupled_weight_decay=True)


# --- registry ------------------------------------------------------------------------
_FACTORIES: dict[str, tuple[Callable, dict, str]] = {}


def register_optimizer(name: str, factory: Callable, defaults: dict | None = None, *,
                       overwrite=False):
    """Add an optimizer: ``factory(**hyper) -> (init, update, buffer_names)`` or -> Optimizer.

    ``defaults`` overrides the factory's own keyword defaults for this name.
    """
    if not isinstance(name, str) or not name:
        raise GdengineError("register_optimizer: name must be a non-empty string")
    if name in _FACTORIES and not overwrite:
        raise GdengineError(f"optimizer {name!r} is already registered (pass overwrite=True)")
    _FACTORIES[name] = (factory, dict(defaults or {}), name)
    return factory


def optimizers() -> list[str]:
    """Names of all registered optimizers (aliases included)."""
    return list(_FACTORIES)


def hyper_defaults(name: str) -> dict:
    """The full hyper-parameter set (names and defaults) of optimizer ``name``."""
    factory, defaults, _ = _lookup(name)
    sig = inspect.signature(factory)
    out = {k: p.default for k, p in sig.parameters.items() if p.default is not p.empty}
    out.update(defaults)
    return out


def _lookup(name):
    if name not in _FACTORIES:
        raise GdengineError(
            f"unknown optimizer {name!r}; valid choices: {', '.join(optimizers())}"
        )
    return _FACTORIES[name]


def optimizer(name, **hyper) -> Optimizer:
    """Build an optimizer by name with torch's hyper-parameter names and defaults."""
    if isinstance(name, Optimizer):
        if hyper:
            raise GdengineError("optimizer(): hyper-parameters given with a ready Optimizer")
        return name
    factory, defaults, _ = _lookup(name)
    full = hyper_defaults(name)
    unknown = sorted(set(hyper) - set(full))
    if unknown:
        raise GdengineError(
            f"optimizer {name!r}: unknown hyper-parameter(s) {', '.join(unknown)}; "
            f"valid: {', '.join(full)}"
        )
    full.update(hyper)
    _validate(name, full)
    made = factory(**full)
    if isinstance(made, Optimizer):
        return made
    init, update, buffers = made
    kind = getattr(factory, "__name__", name)
    return Optimizer(name, full, init, update, tuple(buffers), kind)


NON_NEGATIVE = ("lr", "momentum", "weight_decay", "eps", "lr_decay", "initial_accumulator_value", "alpha")


def check_hyper(key: str, value, where: str | None = None):
    """The engine's one rule for a numeric hyper-parameter (e.g. ``lr``): a finite number or a
    (B,) array of them, and >= 0 for the keys in ``NON_NEGATIVE`` (a negative lr is an error,
    as in torch.optim; 0 is allowed). Returns ``value``; raises ``GdengineError`` naming ``where``
    (default: ``key``). Scene parameters that hold a learning rate reuse it."""
    where = where or key
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise GdengineError(f"{where} must be a number, got {value!r}") from None
    if isinstance(value, (bool, str, bytes)) or arr.ndim > 1:
        raise GdengineError(f"{where} must be a number or a (B,) array, got {value!r}")
    if not np.all(np.isfinite(arr)):
        raise GdengineError(f"{where} must be finite, got {value!r}")
    if key in NON_NEGATIVE and np.any(arr < 0):
        raise GdengineError(f"{where} must be >= 0, got {value!r}")
    return value


def _validate(name, h):
    def bad(msg):
        raise GdengineError(f"optimizer {name!r}: {msg}")

    for key, v in h.items():
        if isinstance(v, bool) or v is None:
            continue
        if key == "betas":
            try:
                b1, b2 = v
            except (TypeError, ValueError):
                bad(f"betas must be a pair (beta1, beta2) in [0, 1), got {v!r}")
            for i, b in enumerate((b1, b2)):
                arr = np.asarray(b, dtype=float)
                if arr.ndim > 1 or not np.all(np.isfinite(arr)) or np.any((arr < 0) | (arr >= 1)):
                    bad(f"betas[{i}] must be in [0, 1), got {b!r}")
            continue
        check_hyper(key, v, f"optimizer {name!r}: {key}")
    if h.get("nesterov") and (np.any(np.asarray(h.get("momentum", 0)) <= 0)
                              or np.any(np.asarray(h.get("dampening", 0)) != 0)):
        bad("Nesterov momentum requires momentum > 0 and dampening = 0")


def _alias(factory, **defaults):
    return factory, defaults


for _name, (_fac, _defs) in {
    "sgd": _alias(sgd),
    "gd": _alias(sgd),
    "vanilla": _alias(sgd),
    "momentum": _alias(sgd, momentum=0.9),
    "nesterov": _alias(sgd, momentum=0.9, nesterov=True),
    "adagrad": _alias(adagrad),
    "rmsprop": _alias(rmsprop),
    "adam": _alias(adam),
    "adamw": _alias(adamw),
}.items():
    register_optimizer(_name, _fac, _defs)
