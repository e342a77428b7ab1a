"""gdengine: gradient-descent trajectories computed exactly, rendered as explainer clips.

The numerical core (``gdengine.core``) is pure numpy and never imports manim or pyvista;
``gdengine.kit`` (Manim building blocks), ``gdengine.render3d`` (PyVista offscreen) and
``gdengine.pipeline`` (discover, render, encode, publish) sit beside it.
"""

from gdengine.core import *  # noqa: F401,F403  (the public engine API)
from gdengine.core import __all__ as _core_all
from gdengine.errors import GdengineError

__version__ = "0.1.0"
__all__ = [*_core_all, "GdengineError", "__version__"]
