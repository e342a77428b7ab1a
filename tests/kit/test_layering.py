"""Layering: the engine imports no kit, renderer, pipeline or linter; the kit and the 3-D renderer
import no pipeline (a pipeline edit must not rebuild every clip; the test harness lives in tests/)."""

from __future__ import annotations

import subprocess
import sys

import pytest

PROBE = """
import importlib, pkgutil, sys
for package in {packages!r}:
    module = importlib.import_module(package)
    for info in pkgutil.walk_packages(getattr(module, "__path__", []), package + "."):
        importlib.import_module(info.name)
print(" ".join(sorted(name for name in sys.modules if name.startswith({forbidden!r}))))
"""


@pytest.mark.parametrize(
    "packages, forbidden",
    [
        (("gdengine.core", "gdengine.numformat"),
         ("gdengine.kit", "gdengine.render3d", "gdengine.pipeline", "gdengine.lint", "manim", "pyvista")),
        (("gdengine.kit",), ("gdengine.pipeline", "gdengine.render3d")),
        (("gdengine.render3d",), ("gdengine.pipeline", "gdengine.kit", "manim")),
    ],
)
def test_layers_import_nothing_above_them(packages, forbidden):
    code = PROBE.format(packages=packages, forbidden=forbidden)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "", f"{packages} pulled in: {result.stdout.strip()}"
