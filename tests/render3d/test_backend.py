"""Offscreen GL selection: EGL first, OSMesa next, a one-line error naming the packages."""

from __future__ import annotations

import os

import pytest

from gdengine.errors import GdengineError
from gdengine.render3d import backend


def test_egl_is_preferred_then_osmesa():
    assert backend.choose_window(True, True) == (backend.EGL_WINDOW, "egl")
    assert backend.choose_window(True, False) == (backend.EGL_WINDOW, "egl")
    assert backend.choose_window(False, True) == (backend.OSMESA_WINDOW, "osmesa")


def test_neither_backend_is_one_line_naming_the_debian_packages():
    with pytest.raises(GdengineError) as err:
        backend.choose_window(False, False)
    message = str(err.value)
    assert "\n" not in message
    assert "libegl1" in message and "libosmesa6" in message


def test_probes_report_missing_libraries_as_unusable():
    assert backend.egl_usable(("libgdengine-no-such-egl.so",)) is False
    assert backend.osmesa_usable(("libgdengine-no-such-osmesa.so",)) is False


def test_select_backend_fails_cleanly_when_nothing_loads(monkeypatch):
    monkeypatch.delenv("VTK_DEFAULT_OPENGL_WINDOW", raising=False)
    monkeypatch.setattr(backend, "egl_usable", lambda: False)
    monkeypatch.setattr(backend, "osmesa_usable", lambda: False)
    backend.select_backend.cache_clear()
    try:
        with pytest.raises(GdengineError, match="libosmesa6"):
            backend.select_backend()
    finally:
        backend.select_backend.cache_clear()


def test_this_machine_renders_offscreen_without_x():
    chosen = backend.select_backend()
    assert chosen.name in ("egl", "osmesa", "user")
    assert os.environ["VTK_DEFAULT_OPENGL_WINDOW"] == chosen.window
    assert int(os.environ["LP_NUM_THREADS"]) >= 1


OSMESA_PROBE = """
import numpy as np, gdengine as gd
from gdengine.render3d import HeightMap, SurfaceStage, camera_track, select_backend, still
stage = SurfaceStage(HeightMap.build(gd.landscape("sphere")), width=96, height=64, max_triangles=2000)
stage.frame(0, camera_track(still("iso"), 1, stage.stage(), stage.aspect))
frame = stage.grab()
print(select_backend().window, frame.shape, round(float(frame.mean()), 1))
"""


@pytest.mark.skipif(not backend.osmesa_usable(), reason="libOSMesa is not installed")
def test_the_osmesa_fallback_renders_a_real_frame():
    import subprocess
    import sys

    env = {**os.environ, "VTK_DEFAULT_OPENGL_WINDOW": backend.OSMESA_WINDOW}
    out = subprocess.run([sys.executable, "-c", OSMESA_PROBE], env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    window, *_, mean = out.stdout.split()
    assert window == backend.OSMESA_WINDOW
    assert float(mean) > 25  # not black
