"""The layout linter's view of a 3-D frame: the overlays' text boxes and the data under them.

Text boxes come from the HUD (measured, in output pixels); the data shapes are the balls and
their trails projected through the renderer's own camera matrix (world → normalised device
coordinates → pixels, y down) — pure arithmetic, so a lint-only run never has to draw. A ball
counts as its centre and a ring at its projected radius; a trail as its drawn points.

``allow(sink, rule, reason=...)`` is the 3-D entries' ``lint_allow``: it accepts one finding
of ``rule`` for the clip, and only with a written reason.
"""

from __future__ import annotations

import numpy as np
from vtkmodules.vtkRenderingCore import vtkCamera

from gdengine.lint.rules import Allowance, DataShape, Sample, TextBox

RATE = 8.0  # samples per second of clip time (the rules ask for at least 4)
RING = 8  # points on a ball's outline


def sample_due(k: int, fps: float, rate: float = RATE) -> bool:
    """Is frame ``k`` one of the ``rate``-per-second lint samples?"""
    return k == 0 or int(k * rate / fps) != int((k - 1) * rate / fps)


def camera_matrix(camera: vtkCamera, width: int, height: int) -> np.ndarray:
    """World → clip coordinates (4×4) of ``camera`` for a width×height viewport."""
    m = camera.GetCompositeProjectionTransformMatrix(width / height, -1.0, 1.0)
    return np.array([[m.GetElement(i, j) for j in range(4)] for i in range(4)])


def to_pixels(points: np.ndarray, matrix: np.ndarray, width: int, height: int) -> tuple[np.ndarray, np.ndarray]:
    """Pixels (N, 2), y down, of world ``points`` (N, 3), and which are in front of the camera."""
    points = np.asarray(points, dtype=float).reshape(-1, 3)
    h = points @ matrix[:3, :3].T + matrix[:3, 3]
    w = points @ matrix[3, :3] + matrix[3, 3]
    front = w > 1e-12
    with np.errstate(divide="ignore", invalid="ignore"):
        ndc = h[:, :2] / np.where(front, w, 1.0)[:, None]
    xy = np.column_stack([(ndc[:, 0] + 1.0) * 0.5 * width, (1.0 - ndc[:, 1]) * 0.5 * height])
    return xy, front


def ball_outline(centres: np.ndarray, radius: float, camera: vtkCamera, matrix: np.ndarray,
                 width: int, height: int) -> np.ndarray:
    """Pixel points (M, 2) of balls: each centre and a ring at its projected radius."""
    if len(centres) == 0:
        return np.zeros((0, 2))
    c, front = to_pixels(centres, matrix, width, height)
    up = np.array(camera.GetViewUp(), dtype=float)
    edge, _ = to_pixels(np.asarray(centres) + radius * up, matrix, width, height)
    r = np.linalg.norm(edge - c, axis=1)[:, None]
    a = np.linspace(0.0, 2 * np.pi, RING, endpoint=False)
    ring = c[:, None, :] + r[:, :, None] * np.stack([np.cos(a), np.sin(a)], axis=1)[None]
    pts = np.concatenate([c[:, None, :], ring], axis=1)[front]
    return pts.reshape(-1, 2)


class TrailPoints:
    """The drawn points of every trail at a frame (from the trail layer's paths and counts)."""

    def __init__(self, paths: list[np.ndarray]) -> None:
        self.lengths = np.array([len(p) for p in paths], dtype=np.int64)
        self.points = np.concatenate(paths) if paths else np.zeros((0, 3))
        self.owner = np.repeat(np.arange(len(paths)), self.lengths)
        starts = np.concatenate([[0], np.cumsum(self.lengths)[:-1]]).astype(np.int64)
        self.rank = np.arange(len(self.points)) - np.repeat(starts, self.lengths)

    def drawn(self, counts: np.ndarray, which: np.ndarray | None = None) -> np.ndarray:
        """World points (M, 3) drawn with ``counts`` per trail (only trails ``which``)."""
        keep = self.rank < np.asarray(counts)[self.owner]
        keep &= np.asarray(counts)[self.owner] >= 2  # a one-point trail is not drawn
        if which is not None:
            keep &= np.asarray(which)[self.owner]
        return self.points[keep]


def allow(sink, rule: str, *, reason: str, about: str | None = None) -> None:
    """Accept one finding of ``rule`` in this clip (the reason is required and kept)."""
    allowance = Allowance(rule, reason, about)
    linter = getattr(sink, "linter", None)
    if linter is not None:
        linter.allow.append(allowance)


def sample(t: float, texts: list[TextBox], data: list[DataShape], *, settled: bool = True) -> Sample:
    """A sample of a 3-D frame: the surface is always drawn, so it is never ``empty``."""
    return Sample(t, texts=texts, data=data, busy=True, settled=settled)
