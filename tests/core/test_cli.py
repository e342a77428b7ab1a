"""`gdengine descend` / `gdengine list`: output, JSON, and one-line errors with exit code 2."""

import json
import subprocess
import sys

import pytest

from gdengine.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_descend_summary_and_json(capsys, tmp_path):
    code, out, _ = run(capsys, "descend", "--landscape", "parabola", "--optimizer", "gd", "--lr", "0.1",
                       "--start", "1.8", "--tol", "0.01")
    assert code == 0 and "converged after 27 updates" in out
    code, out, _ = run(capsys, "descend", "--landscape", "parabola", "--optimizer", "gd", "--lr", "0.1",
                       "--start", "1.8", "--tol", "0.01", "--json", "--out", str(tmp_path / "t.npz"))
    data = json.loads(out)
    assert code == 0 and data["updates"] == 27 and data["status"] == "converged"
    assert data["final"][0] == pytest.approx(0.00435, abs=1e-5)
    assert (tmp_path / "t.npz").is_file()


def test_descend_2d_several_starts_and_options(capsys):
    code, out, _ = run(capsys, "descend", "-l", "himmelblau", "-o", "adam", "--lr", "0.05",
                       "--betas", "0.8", "0.99", "--amsgrad", "--start", "-0.4", "-0.65",
                       "--start", "4", "4", "--steps", "3000", "--tol", "1e-3", "--json")
    data = json.loads(out)
    assert code == 0 and [p["status"] for p in data["particles"]] == ["converged", "converged"]
    assert data["hyper"]["betas"] == [0.8, 0.99] and data["hyper"]["amsgrad"] is True
    code, out, _ = run(capsys, "descend", "-l", "ravine", "--param", "kappa=50", "-o", "momentum",
                       "--lr", "0.01", "--json")
    assert code == 0 and json.loads(out)["landscape"] == "ravine"


def test_list(capsys):
    code, out, _ = run(capsys, "list", "landscapes")
    assert code == 0 and "himmelblau" in out and "(x² + y − 11)²" in out
    code, out, _ = run(capsys, "list", "optimizers")
    assert code == 0 and "adam" in out and "betas=(0.9, 0.999)" in out and "nesterov=True" in out


@pytest.mark.parametrize("argv,words", [
    (["--landscape", "nope"], ["unknown landscape 'nope'", "himmelblau"]),
    (["--optimizer", "adamm"], ["unknown optimizer 'adamm'", "rmsprop"]),
    (["--lr", "-0.1"], ["lr", ">= 0"]),
    (["--start", "nan"], ["finite"]),
    (["--start", "1", "2"], ["--start needs 1 number"]),
    (["-o", "adam", "--betas", "0.9", "1.0"], ["betas[1]", "[0, 1)"]),
    (["--steps", "-3"], ["steps", ">= 0"]),
    (["--param", "kappa"], ["KEY=VALUE"]),
])
def test_bad_input_one_line_exit_2(capsys, argv, words):
    code, out, err = run(capsys, "descend", *argv)
    assert code == 2 and out == ""
    assert err.startswith("gdengine: error: ") and err.count("\n") == 1
    for w in words:
        assert w in err


def test_no_traceback_from_the_real_command():
    proc = subprocess.run([sys.executable, "-m", "gdengine", "descend", "--lr", "-1"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().startswith("gdengine: error:")
    proc = subprocess.run([sys.executable, "-m", "gdengine", "list", "things"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
