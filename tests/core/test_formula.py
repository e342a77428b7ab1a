"""Formula landscapes: the grammar, the printed formulas, the derivatives, the critical points,
the statuses they give, the command line and every kind of bad input."""

import json
import warnings

import numpy as np
import pytest

import gdengine as gd
from gdengine.cli import main
from gdengine.core import formulas as fm
from gdengine.core.formulas import FormulaError

HIMMELBLAU = "(x^2+y-11)^2 + (x+y^2-7)^2"


def same_rows(a, b, tol):
    """Every row of a has a row of b within tol and the counts match."""
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape, (a, b)
    d = np.linalg.norm(a[:, None] - b[None], axis=2)
    assert np.all(d.min(axis=1) < tol) and np.all(d.min(axis=0) < tol), d


# --- the done-when cases ------------------------------------------------------------------
def test_himmelblau_formula_equals_the_builtin():
    form, built = gd.landscape(HIMMELBLAU, window=[-5, 5]), gd.landscape("himmelblau")
    assert form.dim == 2 and form.bounds == ((-5.0, 5.0), (-5.0, 5.0))
    X = np.random.default_rng(1).uniform(-5, 5, (2000, 2))
    np.testing.assert_allclose(form.f(X), built.f(X), rtol=1e-13, atol=1e-12)
    np.testing.assert_allclose(form.grad(X), built.grad(X), rtol=1e-12, atol=1e-11)
    same_rows(form.minima, built.minima, 1e-9)
    same_rows(form.saddles, built.saddles, 1e-6)
    assert len(form.local_minima) == 0 and form.min_value == pytest.approx(0.0, abs=1e-20)
    # the minima are exact critical points, as the built-in's polished ones are
    assert np.max(np.abs(form.grad(form.minima))) < 1e-10


def test_cli_momentum_converges_to_the_origin(capsys):
    code = main(["descend", "--landscape", "x^2 + 10*y^2", "--optimizer", "momentum", "--lr", "0.05",
                 "--start", "1", "1", "--tol", "1e-6", "--steps", "5000", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["status"] == "converged" and data["basin"] == 0
    assert data["landscape"] == "x^2 + 10*y^2"
    assert np.linalg.norm(data["final"]) < 1e-6 and data["updates"] < 5000


# --- grammar and printing -----------------------------------------------------------------------
@pytest.mark.parametrize("text, canon, uni, typ, dim", [
    ("x^2 + 10*y^2", "x^2 + 10*y^2", "x² + 10y²", "x^2 + 10 y^2", 2),
    ("x*cos(pi*x)", "x*cos(pi*x)", "x·cos(πx)", "x cos(pi x)", 1),
    ("2x y", "2*x*y", "2xy", "2 x y", 2),
    ("x**2 − 3·x", "x^2 - 3*x", "x² − 3x", "x^2 - 3 x", 1),
    ("-x^2", "-x^2", "−x²", "-x^2", 1),  # minus applies after the power
    ("2^-1*x", "2^(-1)*x", "2⁻¹x", "2^(-1) x", 1),
    ("x^y^2", "x^(y^2)", "x^(y²)", "x^(y^2)", 2),  # right-associative
    ("(x+1)(x-1)", "(x + 1)*(x - 1)", "(x + 1)(x − 1)", "(x + 1) (x - 1)", 1),
    ("sqrt(abs(y)) + atan(x)/2", "sqrt(abs(y)) + atan(x)/2", "√|y| + arctan(x)/2",
     "sqrt(abs(y)) + arctan(x) / 2", 2),
    ("x - (y - 1)", "x - (y - 1)", "x − (y − 1)", "x - (y - 1)", 2),
    ("2e3 + 2e", "2e3 + 2*e", "2e3 + 2e", "2e3 + 2 e", 1),
    ("log(x)", "log(x)", "ln(x)", "ln(x)", 1),
])
def test_parse_and_print(text, canon, uni, typ, dim):
    tree = fm.parse(text)
    assert fm.canonical(tree) == canon and fm.unicode_text(tree) == uni and fm.typst_text(tree) == typ
    assert len(fm.variables(tree)) == dim
    assert fm.canonical(fm.parse(canon)) == canon  # the canonical text reads back to itself


def test_the_landscape_carries_its_display_formulas_and_spec():
    land = gd.landscape("x^2+10*y^2", window=[[-3, 3], [-2, 2]])
    assert land.name == "x^2 + 10*y^2" and land.params == {"window": [[-3.0, 3.0], [-2.0, 2.0]]}
    assert land.formula == "f(x, y) = x^2 + 10 y^2" and land.formula_text == "f(x, y) = x² + 10y²"
    assert land.view == land.bounds == ((-3.0, 3.0), (-2.0, 2.0))
    # the same formula typed differently is the same landscape (one cache entry)
    assert gd.landscape("x ^ 2 + 10 * y ^ 2", window=[[-3, 3], [-2, 2]]) is land
    assert gd.formula("x^2+10y^2", window=[[-3, 3], [-2, 2]]).name == land.name
    assert gd.landscape("x^2").bounds == ((-3.0, 3.0),)  # the default window


def test_typst_formulas_compile():
    typst = pytest.importorskip("typst")
    for text in ("x^2 + 10*y^2", "x*cos(pi*x)", HIMMELBLAU, "sqrt(abs(y))/(1 + x^2) - atan(x y)",
                 "exp(-(x-1)^2) * tanh(y) / 3", "2*3*x"):
        src = f"#set page(width: auto, height: auto)\n$ {gd.landscape(text).formula} $"
        assert typst.compile(src.encode(), format="svg")[:4] == b"<svg"


def test_names_win_over_formulas():
    assert gd.landscape("sphere").name == "sphere" and gd.landscape("sphere").bounds[0] == (-5.12, 5.12)


# --- derivatives -------------------------------------------------------------------------------
def test_gradient_and_hessian_against_central_differences():
    land = gd.landscape("sin(x*y) + exp(x/3) * cosh(y/2) - log(1 + x^2) + abs(x - 0.3) * y")
    X = np.random.default_rng(2).uniform(-2.5, 2.5, (200, 2))
    X = X[np.abs(X[:, 0] - 0.3) > 1e-3]
    h = 1e-6
    for d in range(2):
        e = np.zeros(2)
        e[d] = h
        fd = (land.f(X + e) - land.f(X - e)) / (2 * h)
        np.testing.assert_allclose(land.grad(X)[:, d], fd, rtol=1e-6, atol=1e-6)
        hd = (land.grad(X + e) - land.grad(X - e)) / (2 * h)
        np.testing.assert_allclose(land.hessian(X)[:, :, d], hd, rtol=1e-5, atol=1e-5)


# --- critical points, statuses, basins ---------------------------------------------------------
def test_xcos_formula_finds_the_builtin_minima():
    built = gd.landscape("xcos")
    form = gd.landscape("x*cos(pi*x)", window=built.bounds)
    assert form.dim == 1
    np.testing.assert_allclose(form.minima, built.minima, atol=1e-12)
    np.testing.assert_allclose(form.local_minima, built.local_minima, atol=1e-12)


def test_classification_of_critical_points():
    saddle = gd.landscape("x^2 - y^2")
    assert len(saddle.minima) == 0 and len(saddle.local_minima) == 0
    np.testing.assert_allclose(saddle.saddles, [[0.0, 0.0]], atol=1e-12)
    cubic = gd.landscape("x^3")  # flat, not a minimum: the ring probe decides
    assert len(cubic.minima) == 0 and np.allclose(cubic.saddles, [[0.0]], atol=1e-6)
    quartic = gd.landscape("x^4 + y^4")  # degenerate Hessian at the minimum
    assert quartic.minima.shape == (1, 2) and np.max(np.abs(quartic.minima)) < 1e-6
    # a minimum lower than its neighbours but above the window's edge is only local
    tilted = gd.landscape("x^3 - 3*x")
    assert len(tilted.minima) == 0 and np.allclose(tilted.local_minima, [[1.0]], atol=1e-12)
    camel = gd.landscape("2*x^2 - 1.05*x^4 + x^6/6 + x*y + y^2", window=[-2, 2])
    built = gd.landscape("three_hump_camel")
    same_rows(camel.minima, built.minima, 1e-9)
    same_rows(camel.local_minima, built.local_minima, 1e-3)
    same_rows(camel.saddles, built.saddles, 1e-3)


def test_ring_valley_counts_every_point_of_the_ring_as_a_minimum():
    ring = gd.landscape("(x^2 + y^2 - 1)^2")
    r = np.linalg.norm(ring.minima, axis=1)
    assert 4 <= len(ring.minima) <= 64 and np.allclose(r, 1.0, atol=1e-6)
    a = np.linspace(0, 2 * np.pi, 50)
    on_ring = np.stack([np.cos(a), np.sin(a)], axis=1)
    assert np.all(gd.basins(ring, on_ring) >= 0)


def test_statuses_and_basins_on_a_formula():
    bowl = gd.landscape("(x - 1)^2 + 2*(y + 0.5)^2")
    traj = gd.descend(bowl, gd.optimizer("sgd", lr=0.1), [[2.5, 2.0]], 2000, tol=1e-8)
    assert traj.status[0] == "converged" and traj.basin[0] == 0
    np.testing.assert_allclose(traj.final[0], [1.0, -0.5], atol=1e-8)
    saddle = gd.landscape("x^2 - y^2")
    traj = gd.descend(saddle, gd.optimizer("sgd", lr=0.1), [[1.8, 0.0]], 2000, tol=1e-8)
    assert traj.status[0] == "stalled" and traj.basin[0] == -1


def test_unbounded_and_undefined_points_diverge_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        traj = gd.descend(gd.landscape("x^3"), gd.optimizer("sgd", lr=0.1), [[-1.0]], 500)
        assert traj.status[0] == "diverged" and np.isfinite(traj.positions).all()
        traj = gd.descend(gd.landscape("log(x) + y^2"), gd.optimizer("sgd", lr=0.5),
                          [[-1.0, 1.0], [0.2, 0.5]], 50)
        assert list(traj.status) == ["diverged", "diverged"]
        assert np.isfinite(traj.values).all() and np.isfinite(traj.grads).all()


def test_formula_runs_are_cached_by_formula_and_window(tmp_path):
    opt = gd.optimizer("sgd", lr=0.1)
    a = gd.descend(gd.landscape("x^2 + y^2"), opt, [[1.0, 1.0]], 10, cache=tmp_path)
    b = gd.descend(gd.landscape("x^2+y^2"), opt, [[1.0, 1.0]], 10, cache=tmp_path)
    assert len(list(tmp_path.glob("*.npz"))) == 1 and np.array_equal(a.positions, b.positions)
    gd.descend(gd.landscape("x^2+y^2", window=[-1, 1]), opt, [[1.0, 1.0]], 10, cache=tmp_path)
    assert len(list(tmp_path.glob("*.npz"))) == 2
    # a 1-D sweep rebuilds the formula landscape from the run's metadata
    sw = gd.sweep("x*cos(pi*x)", "sgd", -1.0, "lr", [0.01, 0.1], steps=50)
    assert list(sw.outcome) == ["converged", "converged"]


# --- bad input ----------------------------------------------------------------------------------
@pytest.mark.parametrize("text, column", [
    ("x^2 + )", 7), ("x +", 4), ("(x + 1", 1), ("2 3", 3), ("x.real", 2),
    ("__import__('os')", 12), ("sin x", 5), ("x ; y", 3),
])
def test_syntax_errors_put_a_caret_under_the_column(text, column):
    with pytest.raises(FormulaError) as err:
        gd.landscape(text)
    first, shown, caret = str(err.value).split("\n")
    assert f"column {column}" in first
    assert shown == "  " + text and caret == " " * (column + 1) + "^"


@pytest.mark.parametrize("text, words", [
    ("x^2 + foo(y)", ["unknown name 'foo'", "allowed names: x, y, pi, e, sin"]),
    ("himmelbau", ["unknown landscape 'himmelbau'", "himmelblau", "or a formula"]),
    ("log(-1 - x^2)", ["not finite anywhere in the window [-3, 3]"]),
    ("sqrt(-1) + x", ["not a real, finite function"]),
    ("9^99^99", ["too large"]), ("(9^99)^99 * x", ["too large"]),
    ("x" * 500, ["unknown landscape"]), ("x+" * 300 + "x", ["too long"]),
    ("(" * 60 + "x" + ")" * 60, ["nested more than 40"]), ("", ["empty formula"]),
])
def test_bad_formulas_give_one_clear_error(text, words):
    with pytest.raises(gd.GdengineError) as err:
        gd.landscape(text)
    msg = str(err.value)
    assert "\n" not in msg or "syntax error" in msg
    for w in words:
        assert w in msg


def test_window_errors():
    for bad in ([3, -3], [[0, 1]], "wide", [0, float("nan")]):
        with pytest.raises(gd.GdengineError, match="window"):
            gd.landscape("x^2 + y^2", window=bad)
    with pytest.raises(gd.GdengineError, match="only window"):
        gd.landscape("x^2", kappa=3)


def test_cli_formula_forms_and_errors(capsys):
    for argv in (["--landscape", "-x^2 + y^4"], ["--landscape=-x^2 + y^4"], ["-l", "-x^2+y^4"]):
        assert main(["descend", *argv, "--start", "0.5", "1", "--steps", "3", "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["landscape"] == "-x^2 + y^4"
    assert main(["descend", "-l", "x^4 - x^2", "--window", "-2", "2", "--start", "0.3", "--lr", "0.05",
                 "--tol", "1e-9", "--steps", "5000", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["status"] == "converged" and data["final"][0] == pytest.approx(2 ** -0.5, abs=1e-9)
    assert main(["descend", "-l", "x^^2"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("gdengine: error: formula syntax error at column 3") and err[2].endswith("  ^")
    assert main(["descend", "-l", "x^2 + q"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "unknown name 'q'" in err[0]
    assert main(["descend", "-l", "sphere", "--window", "-1", "1"]) == 2
    assert "--window applies to formulas" in capsys.readouterr().err


def test_coordinates_that_are_zero_print_as_zero():
    gp = gd.landscape("(1 + (x + y + 1)^2*(19 - 14*x + 3*x^2 - 14*y + 6*x*y + 3*y^2))"
                      "*(30 + (2*x - 3*y)^2*(18 - 32*x + 12*x^2 + 48*y - 36*x*y + 27*y^2))", window=[-2, 2])
    assert gp.minima.tolist() == [[0.0, -1.0]] and gp.min_value == 3.0
    same_rows(gp.local_minima, gd.landscape("goldstein_price").local_minima, 1e-6)
