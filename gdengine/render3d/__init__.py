"""PyVista offscreen renderer for 3-D explainers, fed by engine trajectories.

Pieces, each in its own module: ``backend`` (EGL / OSMesa without X), ``heights`` (f → display
z), ``mesh`` (adaptive triangulation), ``layers`` (surface, balls, trails, landmark rings
updated in place), ``camera`` (presets, keyframes, eased orbits, follow mode, filling the band
the text leaves), ``timeline`` (frames decoupled from steps), ``stage`` (the plotter and its
frames), ``fonts`` (the house font, Latin and Chinese), ``hud`` (measured text, legends,
panels), ``callouts`` (landmark labels placed clear of the data), ``script`` (beats and
captions on the frame clock), ``lint`` (the layout linter's view of a frame: text boxes and
projected balls and trails), ``outcomes`` (colour by the minimum reached), ``descent`` (a
ready descent view), ``montage`` (tiles under one legend, clock and caption),
``capture``/``clip`` (frames and beats into the pipeline's sink through a writer thread).

A PyVista clip entry is ``render_xxx(sink, *, width, height, fps, language, **params)`` (see
the scene ↔ pipeline protocol); it builds a clip — an object with ``n_frames``, ``fps``,
``beats_at(k)``, ``update(k)``, ``render()`` and ``lint_sample(k)`` — and calls
``play(sink, clip)``, which marks the beats, feeds the linter 8 samples a second and skips
rendering when the sink needs no pixels.
"""

from gdengine.render3d.backend import Backend, select_backend
from gdengine.render3d.camera import (
    PRESETS, CameraPath, CameraPose, CameraTrack, Keyframe, camera_track, orbit, path_from_params,
    preset, still,
)  # fmt: skip
from gdengine.render3d.clip import play, tile, tile_sizes
from gdengine.render3d.descent import DescentSpec, DescentView, DescentWords, optimizer_label
from gdengine.render3d.heights import HeightMap
from gdengine.render3d.mesh import SurfaceMesh, adaptive_surface
from gdengine.render3d.outcomes import Outcomes, classify
from gdengine.render3d.script import Beat, Script
from gdengine.render3d.stage import SurfaceStage
from gdengine.render3d.timeline import Timeline, interpolate

__all__ = [
    "Backend", "select_backend",
    "PRESETS", "CameraPath", "CameraPose", "CameraTrack", "Keyframe", "camera_track", "orbit",
    "path_from_params", "preset", "still",
    "play", "tile", "tile_sizes",
    "DescentSpec", "DescentView", "DescentWords", "optimizer_label",
    "HeightMap", "SurfaceMesh", "adaptive_surface",
    "Outcomes", "classify",
    "Beat", "Script",
    "SurfaceStage",
    "Timeline", "interpolate",
]  # fmt: skip
