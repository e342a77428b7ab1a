"""PyVista offscreen renderer for 3-D explainers, fed by engine trajectories.

Pieces, each in its own module: ``backend`` (EGL / OSMesa without X), ``heights`` (f → display
z), ``mesh`` (adaptive triangulation), ``layers`` (surface, balls, trails updated in place),
``camera`` (presets, keyframes, eased orbits, follow mode), ``timeline`` (frames decoupled from
steps), ``stage`` (the plotter and its frames), ``hud`` (text), ``outcomes`` (colour by the
minimum reached), ``descent`` (a ready descent view), ``capture``/``clip`` (frames into the
pipeline's sink through a writer thread; tiling).

A PyVista clip entry is ``render_xxx(sink, *, width, height, fps, **params)`` (see the scene ↔
pipeline protocol); it builds views from these pieces and calls ``play(sink, n, draw)``.
"""

from gdengine.render3d.backend import Backend, select_backend
from gdengine.render3d.camera import (
    PRESETS, CameraPath, CameraPose, CameraTrack, Keyframe, camera_track, orbit, path_from_params,
    preset, still,
)  # fmt: skip
from gdengine.render3d.clip import play, tile, tile_sizes
from gdengine.render3d.descent import DescentSpec, DescentView, optimizer_label
from gdengine.render3d.heights import HeightMap
from gdengine.render3d.mesh import SurfaceMesh, adaptive_surface
from gdengine.render3d.outcomes import Outcomes, classify
from gdengine.render3d.stage import SurfaceStage
from gdengine.render3d.timeline import Timeline, interpolate

__all__ = [
    "Backend", "select_backend",
    "PRESETS", "CameraPath", "CameraPose", "CameraTrack", "Keyframe", "camera_track", "orbit",
    "path_from_params", "preset", "still",
    "play", "tile", "tile_sizes",
    "DescentSpec", "DescentView", "optimizer_label",
    "HeightMap", "SurfaceMesh", "adaptive_surface",
    "Outcomes", "classify",
    "SurfaceStage",
    "Timeline", "interpolate",
]  # fmt: skip
