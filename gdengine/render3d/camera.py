"""A programmatic camera: presets, keyframes, eased spherical orbits, follow mode.

A ``CameraPose`` is spherical around a focal point: azimuth (degrees around +z, 0 = looking
from +x, -90 = from -y), elevation above the xy plane, distance (None: fit the stage), view
angle. Between keyframes every component is interpolated with an easing curve, so a camera
moving from one azimuth to another travels on a circle around the focal point, never along
the straight chord. ``camera_track`` turns a path into per-frame positions up front, checks
that the surface is on screen in every frame (a ``GdengineError`` naming the keyframe
otherwise), and in follow mode steers the focal point along a smoothed target path.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from gdengine.errors import GdengineError

EASINGS = {
    "linear": lambda u: u,
    "smooth": lambda u: u * u * (3.0 - 2.0 * u),  # smoothstep: zero speed at both ends
    "sine": lambda u: 0.5 - 0.5 * np.cos(np.pi * u),
}


@dataclass(frozen=True)
class CameraPose:
    azimuth: float = -60.0
    elevation: float = 30.0
    distance: float | None = None  # world units; None: fit the whole stage in the frame
    focal: tuple[float, float, float] | None = None  # None: the centre of the stage
    view_angle: float = 30.0  # vertical field of view, degrees


PRESETS = {
    "iso": CameraPose(-60.0, 32.0),
    "front": CameraPose(-90.0, 18.0),
    "side": CameraPose(0.0, 18.0),
    "top": CameraPose(-90.0, 89.0),
    "low": CameraPose(-50.0, 12.0),
}


def preset(name: str, **changes) -> CameraPose:
    """A named pose (``PRESETS``), optionally with some fields changed."""
    if name not in PRESETS:
        raise GdengineError(f"unknown camera preset {name!r}; valid choices: {', '.join(PRESETS)}")
    return replace(PRESETS[name], **changes)


@dataclass(frozen=True)
class Keyframe:
    time: float  # fraction of the clip, 0..1
    pose: CameraPose


@dataclass(frozen=True)
class CameraPath:
    """Keyframes in time order; ``ease`` shapes every segment between two of them."""

    keyframes: tuple[Keyframe, ...]
    ease: str = "smooth"

    def __post_init__(self) -> None:
        if not self.keyframes:
            raise GdengineError("a camera path needs at least one keyframe")
        times = [k.time for k in self.keyframes]
        if any(not 0.0 <= t <= 1.0 for t in times) or times != sorted(times):
            raise GdengineError(f"camera keyframe times must rise within [0, 1], got {times}")
        if self.ease not in EASINGS:
            raise GdengineError(f"unknown easing {self.ease!r}; valid choices: {', '.join(EASINGS)}")
        for i, k in enumerate(self.keyframes):
            if not -89.5 <= k.pose.elevation <= 89.5:
                raise GdengineError(
                    f"camera keyframe {i}: elevation must be within ±89.5°, got {k.pose.elevation}")
            if not 1.0 <= k.pose.view_angle <= 150.0:
                raise GdengineError(
                    f"camera keyframe {i}: view_angle must be in [1, 150] degrees, got {k.pose.view_angle}")
            if k.pose.distance is not None and not k.pose.distance > 0:
                raise GdengineError(f"camera keyframe {i}: distance must be > 0, got {k.pose.distance}")


def still(pose: CameraPose | str = "iso") -> CameraPath:
    """A camera that does not move."""
    pose = preset(pose) if isinstance(pose, str) else pose
    return CameraPath((Keyframe(0.0, pose),))


def orbit(start: CameraPose | str = "iso", sweep: float = 90.0, *, rise: float = 0.0,
          ease: str = "smooth") -> CameraPath:
    """Turn ``sweep`` degrees around the focal point over the clip (elevation + ``rise``)."""
    start = preset(start) if isinstance(start, str) else start
    end = replace(start, azimuth=start.azimuth + sweep, elevation=start.elevation + rise)
    return CameraPath((Keyframe(0.0, start), Keyframe(1.0, end)), ease)


@dataclass(frozen=True)
class Stage:
    """What the camera must show: the surface's bounding box and some points on it."""

    bounds: tuple[float, float, float, float, float, float]
    landmarks: np.ndarray  # (K, 3) points of the surface: fitted in frame; one must show

    @property
    def centre(self) -> np.ndarray:
        b = self.bounds
        return np.array([(b[0] + b[1]) / 2, (b[2] + b[3]) / 2, (b[4] + b[5]) / 2])


@dataclass(frozen=True)
class Framing:
    """Where the surface goes on screen: a band in normalised coordinates ([-1, 1], y up).

    A fitted camera fills the band (leaving the rest to titles and legends); the image is
    shifted with VTK's window centre, so the camera itself still looks at the focal point.
    """

    x: tuple[float, float] = (-0.94, 0.94)
    y: tuple[float, float] = (-0.92, 0.92)

    def __post_init__(self) -> None:
        for lo, hi in (self.x, self.y):
            if not -1.0 <= lo < hi <= 1.0:
                raise GdengineError(f"framing bands must satisfy -1 <= lo < hi <= 1, got {self}")

    @property
    def centre(self) -> tuple[float, float]:
        """VTK window centre that puts the focal point in the middle of the band."""
        return (-(self.x[0] + self.x[1]) / 2, -(self.y[0] + self.y[1]) / 2)

    @property
    def half(self) -> tuple[float, float]:
        return ((self.x[1] - self.x[0]) / 2, (self.y[1] - self.y[0]) / 2)


@dataclass(frozen=True)
class CameraTrack:
    """Per-frame camera: positions (N, 3), focal points (N, 3), view angles (N,), and the
    window centre shift of its framing."""

    positions: np.ndarray
    focals: np.ndarray
    view_angles: np.ndarray
    window_centre: tuple[float, float] = (0.0, 0.0)

    def __len__(self) -> int:
        return len(self.positions)


def direction(azimuth, elevation) -> np.ndarray:
    """Unit vectors (…, 3) from the focal point towards the camera."""
    a, e = np.radians(azimuth), np.radians(elevation)
    return np.stack([np.cos(e) * np.cos(a), np.cos(e) * np.sin(a), np.sin(e)], axis=-1)


def _basis(w: np.ndarray):
    """Camera right/up vectors for view direction -w (z up), batched over (…, 3)."""
    up = np.array([0.0, 0.0, 1.0])
    right = np.cross(-w, up)
    right /= np.linalg.norm(right, axis=-1, keepdims=True)
    return right, np.cross(right, -w)


def fit_distance(points: np.ndarray, focal: np.ndarray, w: np.ndarray, view_angle: float,
                 aspect: float, half: tuple[float, float] = (0.92, 0.92)) -> float:
    """Smallest distance along ``w`` from ``focal`` that keeps all ``points`` within
    ``half`` (normalised half-width, half-height) of the screen centre (closed form)."""
    right, up = _basis(w)
    rel = points - focal
    t = np.tan(np.radians(view_angle) / 2)
    need_x = rel @ w + np.abs(rel @ right) / (half[0] * t * aspect)
    need_y = rel @ w + np.abs(rel @ up) / (half[1] * t)
    return float(max(need_x.max(), need_y.max()))


def project(points: np.ndarray, position: np.ndarray, focal: np.ndarray, view_angle: float,
            aspect: float) -> tuple[np.ndarray, np.ndarray]:
    """Normalised screen coordinates (K, 2) in [-1, 1] (x right, y up) and depths (K,)."""
    w = (position - focal) / np.linalg.norm(position - focal)
    right, up = _basis(w)
    rel = points - position
    depth = -(rel @ w)
    t = np.tan(np.radians(view_angle) / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        x = (rel @ right) / (depth * t * aspect)
        y = (rel @ up) / (depth * t)
    return np.column_stack([x, y]), depth


def on_screen(points, position, focal, view_angle, aspect, window_centre=(0.0, 0.0)) -> np.ndarray:
    """Which points land inside the frame (in front of the camera)."""
    xy, depth = project(points, position, focal, view_angle, aspect)
    return (depth > 0) & (np.abs(xy - np.asarray(window_centre)) <= 1.0).all(axis=1)


def _interpolate(path: CameraPath, u: np.ndarray, stage: Stage):
    """Azimuth, elevation, log-distance (nan = fit), focal, view angle at clip fractions u."""
    ks = path.keyframes
    times = np.array([k.time for k in ks])

    def field(k: Keyframe) -> np.ndarray:
        p = k.pose
        focal = stage.centre if p.focal is None else np.asarray(p.focal, dtype=float)
        dist = np.nan if p.distance is None else np.log(p.distance)
        return np.array([p.azimuth, p.elevation, dist, *focal, p.view_angle])

    values = np.array([field(k) for k in ks])
    if len(ks) == 1:
        return np.repeat(values, len(u), axis=0)
    seg = np.clip(np.searchsorted(times, u, side="right") - 1, 0, len(ks) - 2)
    t0, t1 = times[seg], times[seg + 1]
    s = np.where(t1 > t0, (u - t0) / np.where(t1 > t0, t1 - t0, 1.0), 1.0)
    s = EASINGS[path.ease](np.clip(s, 0.0, 1.0))[:, None]
    a, b = values[seg], values[seg + 1]
    out = a + (b - a) * s
    # a fitted distance is fitted at every frame (nan marks it)
    out[:, 2] = np.where(np.isnan(a[:, 2]) | np.isnan(b[:, 2]), np.nan, out[:, 2])
    return out


def smooth_path(points: np.ndarray, window: int) -> np.ndarray:
    """Centred moving average of a (N, 3) path (edges padded), so follow mode never jerks."""
    if window <= 1 or len(points) < 2:
        return points.copy()
    pad = window // 2
    padded = np.concatenate([np.repeat(points[:1], pad, 0), points, np.repeat(points[-1:], pad, 0)])
    kernel = np.ones(window) / window
    return np.column_stack([np.convolve(padded[:, k], kernel, mode="valid")[: len(points)]
                            for k in range(3)])


def camera_track(path: CameraPath, n_frames: int, stage: Stage, aspect: float, *,
                 follow: np.ndarray | None = None, follow_weight: float = 1.0,
                 follow_smoothing: int = 1, framing: Framing = Framing(),
                 zoom: float = 1.0) -> CameraTrack:
    """Per-frame camera for ``path``; ``follow`` (N, 3) steers the focal point toward a target
    (``follow_weight`` 1: onto it), smoothed over ``follow_smoothing`` frames.

    Fitted distances (pose.distance None) are the largest fit over the frames that use them,
    divided by ``zoom``, so an orbit keeps a constant distance instead of pumping in and out.
    """
    if not (np.isfinite(zoom) and zoom > 0):
        raise GdengineError(f"zoom must be > 0, got {zoom!r}")
    if n_frames < 1:
        raise GdengineError(f"a clip needs at least one frame, got {n_frames}")
    _check_keyframes(path, stage, aspect, framing)
    u = np.linspace(0.0, 1.0, n_frames) if n_frames > 1 else np.zeros(1)
    vals = _interpolate(path, u, stage)
    w = direction(vals[:, 0], vals[:, 1])
    focal = vals[:, 3:6].copy()
    view = vals[:, 6]
    fitted = np.isnan(vals[:, 2])
    dist = np.exp(np.where(fitted, 0.0, vals[:, 2]))
    if fitted.any():
        need = [fit_distance(stage.landmarks, focal[i], w[i], view[i], aspect, framing.half)
                for i in np.nonzero(fitted)[0]]
        dist[fitted] = max(need) / zoom
    if follow is not None:
        target = smooth_path(np.asarray(follow, dtype=float), follow_smoothing)
        focal = focal + follow_weight * (target - focal)
    centre = framing.centre
    if fitted.all() and zoom == 1.0:
        dist, centre = fill_band(stage.landmarks, focal, w, view, dist, aspect, framing)
    positions = focal + dist[:, None] * w
    track = CameraTrack(positions, focal, view, centre)
    for i in range(n_frames):
        if not on_screen(stage.landmarks, positions[i], focal[i], view[i], aspect, framing.centre).any():
            raise GdengineError(
                f"the camera at frame {i} (azimuth {vals[i, 0]:.1f}°, elevation {vals[i, 1]:.1f}°) "
                f"shows none of the surface; aim the focal point at it or move closer")
    return track


def fill_band(landmarks: np.ndarray, focal: np.ndarray, w: np.ndarray, view: np.ndarray,
              dist: np.ndarray, aspect: float, framing: Framing, rounds: int = 3):
    """Distances and window centre that make the surface, over the whole clip, fill the band.

    The per-frame fit keeps the surface symmetric about the band's centre, but a surface seen
    from above rises higher above its centre than it drops below it; here the union of its
    projected extents over every frame is scaled (one distance factor: an orbit keeps its
    radius) and shifted (the window centre) onto the band, so the band is filled and nothing
    leaves it in any frame."""
    lo = np.array([framing.x[0], framing.y[0]])
    hi = np.array([framing.x[1], framing.y[1]])

    def extents(factor: float) -> tuple[np.ndarray, np.ndarray]:
        low, high = np.full(2, np.inf), np.full(2, -np.inf)
        for i in range(len(dist)):
            xy, _ = project(landmarks, focal[i] + factor * dist[i] * w[i], focal[i], view[i], aspect)
            low, high = np.minimum(low, xy.min(axis=0)), np.maximum(high, xy.max(axis=0))
        return low, high

    factor = 1.0
    for _ in range(rounds):
        low, high = extents(factor)
        factor *= float(np.max((high - low) / (hi - lo)))
    for _ in range(40):  # perspective: the last scaling may overshoot a little
        low, high = extents(factor)
        if ((high - low) <= (hi - lo) + 1e-9).all():
            break
        factor *= 1.005
    shift = (low + high) / 2 - (lo + hi) / 2
    return dist * factor, (float(shift[0]), float(shift[1]))


def _check_keyframes(path: CameraPath, stage: Stage, aspect: float, framing: Framing) -> None:
    """Each keyframe, on its own, must show part of the surface (named in the error)."""
    for i, k in enumerate(path.keyframes):
        p = k.pose
        focal = stage.centre if p.focal is None else np.asarray(p.focal, dtype=float)
        w = direction(p.azimuth, p.elevation)
        d = p.distance
        if d is None:
            d = fit_distance(stage.landmarks, focal, w, p.view_angle, aspect, framing.half)
        position = focal + d * w
        if not on_screen(stage.landmarks, position, focal, p.view_angle, aspect, framing.centre).any():
            raise GdengineError(
                f"camera keyframe {i} (azimuth {p.azimuth}°, elevation {p.elevation}°, "
                f"focal {tuple(np.round(focal, 3))}, distance {d:.3g}) puts the surface out of "
                f"view; aim the focal point at the surface (default: its centre)")


KEYFRAME_KEYS = ("time", "preset", "azimuth", "elevation", "distance", "focal", "view_angle")


def path_from_params(keyframes, *, ease: str = "smooth") -> CameraPath:
    """A camera path from catalog-style data: a list of tables such as
    ``{time = 0.5, azimuth = -30, elevation = 40}`` (``preset`` picks the base pose, the
    other keys override it; ``focal`` is [x, y, z] in display units). Validated here, with
    the valid keys and presets in the message."""
    if isinstance(keyframes, dict) or not isinstance(keyframes, (list, tuple)) or not keyframes:
        raise GdengineError(
            f"camera must be a list of keyframe tables ({', '.join(KEYFRAME_KEYS)}), got {keyframes!r}")
    out = []
    for i, k in enumerate(keyframes):
        if not isinstance(k, dict):
            raise GdengineError(f"camera keyframe {i} must be a table, got {k!r}")
        unknown = sorted(set(k) - set(KEYFRAME_KEYS))
        if unknown:
            raise GdengineError(
                f"camera keyframe {i}: unknown keys {unknown}; valid keys: {', '.join(KEYFRAME_KEYS)}")
        if "time" not in k:
            raise GdengineError(f"camera keyframe {i} needs a time (fraction of the clip, 0..1)")
        changes = {}
        for name in ("azimuth", "elevation", "distance", "view_angle"):
            if name in k:
                changes[name] = _number(k[name], f"camera keyframe {i}: {name}")
        if "focal" in k:
            try:
                focal = tuple(float(v) for v in k["focal"])
            except (TypeError, ValueError):
                focal = ()
            if len(focal) != 3 or not np.isfinite(focal).all():
                raise GdengineError(f"camera keyframe {i}: focal must be [x, y, z], got {k['focal']!r}")
            changes["focal"] = focal
        pose = preset(k.get("preset", "iso"), **changes)
        out.append(Keyframe(_number(k["time"], f"camera keyframe {i}: time"), pose))
    return CameraPath(tuple(out), ease)


def _number(v, what: str) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not np.isfinite(v):
        raise GdengineError(f"{what} must be a number, got {v!r}")
    return float(v)
