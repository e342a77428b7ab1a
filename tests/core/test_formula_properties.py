"""Property tests of formula landscapes: any text gives a landscape or one clear error and never
runs code; on random valid formulas the gradient agrees with central differences and with
torch autograd (a tree walk over the parsed formula, written here as the reference)."""

import contextlib
import math
import signal

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st

import gdengine as gd
from gdengine.core import formulas as fm

torch = pytest.importorskip("torch")


@contextlib.contextmanager
def hang_guard(seconds=60):
    """Fails the example if it runs for minutes (a hang), not if it is merely slow."""
    def boom(*_):
        raise AssertionError(f"formula handling ran longer than {seconds} s")

    old = signal.signal(signal.SIGALRM, boom)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


ALPHABET = "xyzeipbos0123456789.+-*/^() _'\"[];,=π−·×" + "abcdefghijklmnopqrstuvwxyz"
pieces = st.sampled_from(["x", "y", "pi", "e", "sin(", "exp(", "sqrt(", "abs(", "log(", "^", "**",
                          "*", "/", "+", "-", "(", ")", "2", "0.5", "1e3", "9^99", "__import__",
                          "os", ".", "lambda", "'", ";", " "])
texts = st.one_of(st.text(alphabet=ALPHABET, max_size=60),
                  st.lists(pieces, max_size=30).map("".join),
                  st.text(max_size=40))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_any_text_gives_a_landscape_or_one_clear_error(text):
    with hang_guard():
        try:
            land = gd.landscape(text)
        except gd.GdengineError as err:
            lines = str(err).split("\n")
            assert lines[0] and (len(lines) == 1 or "syntax error at column" in lines[0])
            return
    if text in gd.landscapes():
        return
    names = {n.text for n in fm.parse(text).walk() if n.kind in ("name", "call")}
    assert names <= set(fm.ALLOWED_NAMES)
    assert land.dim in (1, 2) and land.formula.startswith("f(x")


INJECTIONS = [
    "__import__('pathlib').Path('{p}').touch()",
    "exec(\"open('{p}','w')\")", "eval('1') + x", "x; open('{p}', 'w')",
    "(lambda: open('{p}', 'w'))()", "x.__class__", "getattr(x, 'real')",
    "x if open('{p}','w') else y", "[open('{p}','w')]", "sin(x).__globals__",
]


@pytest.mark.parametrize("template", INJECTIONS)
def test_text_never_runs_as_code(template, tmp_path):
    sentinel = tmp_path / "pwned"
    with pytest.raises(gd.GdengineError):
        gd.landscape(template.format(p=sentinel))
    assert not sentinel.exists()


# --- random valid formulas ---------------------------------------------------------------------
leaves = st.one_of(st.sampled_from(["x", "y", "pi"]),
                   st.floats(0.25, 3).map(lambda v: f"{v:.3g}"))


def combine(children):
    unary = st.tuples(st.sampled_from(["sin", "cos", "tanh", "atan", "-"]), children).map(
        lambda t: f"-({t[1]})" if t[0] == "-" else f"{t[0]}({t[1]})")
    binary = st.tuples(children, st.sampled_from(["+", "-", "*"]), children).map(
        lambda t: f"({t[0]}) {t[1]} ({t[2]})")
    power = st.tuples(children, st.sampled_from(["2", "3"])).map(lambda t: f"({t[0]})^{t[1]}")
    smooth = children.map(lambda c: f"sqrt(1 + ({c})^2)")
    exp = children.map(lambda c: f"exp(tanh({c}))")
    quotient = st.tuples(children, children).map(lambda t: f"({t[0]}) / (2 + sin({t[1]}))")
    return st.one_of(unary, binary, power, smooth, exp, quotient)


def has_variable(text):
    return any(n.kind == "name" and n.text in ("x", "y") for n in fm.parse(text).walk())


formulas = st.recursive(leaves, combine, max_leaves=8).filter(has_variable)


def torch_value(node, X):
    """The formula's value over torch columns, walking the parsed tree."""
    k = node.kind
    if k == "num":
        return torch.tensor(float(node.text), dtype=torch.float64)
    if k == "name":
        return {"x": X[:, 0], "y": X[:, 1] if X.shape[1] > 1 else None,
                "pi": torch.tensor(math.pi, dtype=torch.float64),
                "e": torch.tensor(math.e, dtype=torch.float64)}[node.text]
    a = [torch_value(c, X) for c in node.args]
    ops = {"neg": lambda: -a[0], "add": lambda: a[0] + a[1], "sub": lambda: a[0] - a[1],
           "mul": lambda: a[0] * a[1], "div": lambda: a[0] / a[1], "pow": lambda: a[0] ** a[1]}
    if k in ops:
        return ops[k]()
    fn = {"log": torch.log, "abs": torch.abs, "atan": torch.atan}.get(node.text) or getattr(torch, node.text)
    return fn(a[0])


@pytest.mark.filterwarnings("ignore:Generating overly large repr")
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(formulas, st.integers(0, 2**31 - 1))
def test_random_formulas_gradient_matches_autograd_and_differences(text, seed):
    with hang_guard():
        land = gd.landscape(text, window=[-1.5, 1.5])
    X = np.random.default_rng(seed).uniform(-1.5, 1.5, (64, land.dim))
    F, G = land.value_and_grad(X)
    assume(np.isfinite(F).all() and np.isfinite(G).all() and np.max(np.abs(G)) < 1e6)
    Xt = torch.tensor(X, dtype=torch.float64, requires_grad=True)
    ft = torch_value(fm.parse(text), Xt) + torch.zeros(len(X), dtype=torch.float64)
    (gt,) = torch.autograd.grad(ft.sum(), Xt)
    np.testing.assert_allclose(F, ft.detach().numpy(), rtol=1e-12, atol=1e-12)
    scale = 1.0 + np.abs(gt.numpy())
    assert np.max(np.abs(G - gt.numpy()) / scale) < 1e-10
    h = 1e-6
    for d in range(land.dim):
        e = np.zeros(land.dim)
        e[d] = h
        fd = (land.f(X + e) - land.f(X - e)) / (2 * h)
        assert np.max(np.abs(G[:, d] - fd) / (1.0 + np.abs(fd))) < 1e-4
