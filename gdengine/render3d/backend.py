"""Offscreen OpenGL for VTK with no X server: EGL first, OSMesa as the fallback.

VTK's Linux wheels pick their render-window class at run time from the environment variable
``VTK_DEFAULT_OPENGL_WINDOW``; left alone they try X11 first and print warnings when there is no
display. ``select_backend()`` probes the system libraries through ``ctypes`` (cheap, and a probe
cannot crash the process the way a failing GL context can), sets the variable, and gives
Mesa's llvmpipe every core (``LP_NUM_THREADS``) unless the user chose otherwise.

A user's own ``VTK_DEFAULT_OPENGL_WINDOW`` is respected. When neither EGL nor OSMesa can be
loaded, a ``GdengineError`` names the Debian packages to install.
"""

from __future__ import annotations

import ctypes
import os
from dataclasses import dataclass
from functools import cache

from gdengine.errors import GdengineError

EGL_WINDOW = "vtkEGLRenderWindow"
OSMESA_WINDOW = "vtkOSOpenGLRenderWindow"

# Shared-library names probed, in order (Debian: libegl1 + libgl1-mesa-dri, libosmesa6).
EGL_LIBRARIES = ("libEGL.so.1", "libEGL.so")
OSMESA_LIBRARIES = ("libOSMesa.so.8", "libOSMesa.so.6", "libOSMesa.so")
MISSING_MESSAGE = (
    "no offscreen OpenGL for the 3-D renderer: neither EGL nor OSMesa could be loaded; "
    "install the Debian packages libegl1 libgl1-mesa-dri (EGL) or libosmesa6 (OSMesa)"
)

_EGL_PLATFORM_DEVICE_EXT = 0x313F


@dataclass(frozen=True)
class Backend:
    """The render-window class VTK will use and why."""

    window: str  # VTK class name
    name: str  # "egl", "osmesa" or "user"
    threads: str  # LP_NUM_THREADS in effect


def _load(names: tuple[str, ...]) -> ctypes.CDLL | None:
    for name in names:
        try:
            return ctypes.CDLL(name)
        except OSError:
            continue
    return None


def egl_usable(names: tuple[str, ...] = EGL_LIBRARIES) -> bool:
    """True if libEGL loads and can initialise a display (a device or the default one)."""
    egl = _load(names)
    if egl is None:
        return False
    try:
        egl.eglGetProcAddress.restype = ctypes.c_void_p
        egl.eglGetProcAddress.argtypes = [ctypes.c_char_p]
        egl.eglGetDisplay.restype = ctypes.c_void_p
        egl.eglGetDisplay.argtypes = [ctypes.c_void_p]
        egl.eglInitialize.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
        egl.eglTerminate.argtypes = [ctypes.c_void_p]
    except AttributeError:
        return False
    for display in _egl_displays(egl):
        major, minor = ctypes.c_int(), ctypes.c_int()
        if display and egl.eglInitialize(display, ctypes.byref(major), ctypes.byref(minor)):
            egl.eglTerminate(display)
            return True
    return False


def _egl_displays(egl: ctypes.CDLL):
    """EGL displays to try, as VTK does: each device (EGL_EXT_platform_device), then default."""
    query = egl.eglGetProcAddress(b"eglQueryDevicesEXT")
    platform = egl.eglGetProcAddress(b"eglGetPlatformDisplayEXT")
    if query and platform:
        query_devices = ctypes.CFUNCTYPE(
            ctypes.c_uint, ctypes.c_int, ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(ctypes.c_int)
        )(query)
        get_display = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p)(
            platform
        )
        devices, count = (ctypes.c_void_p * 16)(), ctypes.c_int()
        if query_devices(16, devices, ctypes.byref(count)):
            for i in range(count.value):
                yield get_display(_EGL_PLATFORM_DEVICE_EXT, devices[i], None)
    yield egl.eglGetDisplay(None)


def osmesa_usable(names: tuple[str, ...] = OSMESA_LIBRARIES) -> bool:
    """True if libOSMesa loads and exports its context constructor."""
    lib = _load(names)
    return lib is not None and hasattr(lib, "OSMesaCreateContextExt")


def choose_window(egl_ok: bool, osmesa_ok: bool) -> tuple[str, str]:
    """(VTK window class, backend name) for what the probes found; error when nothing works."""
    if egl_ok:
        return EGL_WINDOW, "egl"
    if osmesa_ok:
        return OSMESA_WINDOW, "osmesa"
    raise GdengineError(MISSING_MESSAGE)


@cache
def select_backend() -> Backend:
    """Configure VTK for offscreen rendering once per process; returns what was chosen."""
    os.environ.setdefault("LP_NUM_THREADS", str(os.cpu_count() or 1))
    user = os.environ.get("VTK_DEFAULT_OPENGL_WINDOW")
    if user:
        backend = Backend(window=user, name="user", threads=os.environ["LP_NUM_THREADS"])
    else:
        window, name = choose_window(egl_usable(), osmesa_usable())
        os.environ["VTK_DEFAULT_OPENGL_WINDOW"] = window
        backend = Backend(window=window, name=name, threads=os.environ["LP_NUM_THREADS"])
    _quiet_vtk()
    return backend


def _quiet_vtk() -> None:
    """Route VTK warnings away from the terminal (our errors are raised, not logged)."""
    from vtkmodules.vtkCommonCore import vtkLogger, vtkObject

    vtkObject.GlobalWarningDisplayOff()
    vtkLogger.SetStderrVerbosity(vtkLogger.VERBOSITY_ERROR)
