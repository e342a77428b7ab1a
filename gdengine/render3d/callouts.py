"""Labels for fixed points of the surface, placed where they never cover a ball or a trail.

A callout is a small block of text on a panel, joined to its point (a landmark ring) by a
leader line. Its place is an offset in pixels from the point's projection, fixed for the
whole clip (the label travels with its point as the camera moves) and chosen before the
first frame: every clip is computed up front, so each candidate offset is tried against every
frame — the balls, the trails drawn so far, the rings, the other texts, the title-safe area —
and the nearest offset that stays clear in all of them wins. If no candidate is clear the
least-bad one is used and the layout linter reports it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gdengine.render3d import colors
from gdengine.render3d import hud as sizes
from gdengine.render3d.camera import CameraTrack

MARGIN = 4.0  # pixels kept clear around a label's panel
PAD = 0.35  # panel padding per font size


@dataclass
class Callout:
    key: str
    anchor: np.ndarray  # (3,) world point the label refers to
    lines: tuple[str, ...]
    offset: np.ndarray | None = None  # pixels from the anchor's projection to the block centre
    size: tuple[float, float] = (0.0, 0.0)  # the panel's width and height in pixels
    clear: bool = True  # the chosen offset stays clear in every frame


def _boxes(anchor_px: np.ndarray, offsets: np.ndarray, size) -> np.ndarray:
    """Panels (C, 4) x0, y0, x1, y1 centred at anchor + offsets."""
    w, h = size
    c = anchor_px[None, :] + offsets
    return np.column_stack([c[:, 0] - w / 2, c[:, 1] - h / 2, c[:, 0] + w / 2, c[:, 1] + h / 2])


def _hits(boxes: np.ndarray, points: np.ndarray, margin: float) -> np.ndarray:
    """Which boxes (C,) contain any of ``points`` (P, 2), grown by ``margin``."""
    if len(points) == 0:
        return np.zeros(len(boxes), bool)
    x, y = points[:, 0][None], points[:, 1][None]
    inside = ((x > boxes[:, :1] - margin) & (x < boxes[:, 2:3] + margin)
              & (y > boxes[:, 1:2] - margin) & (y < boxes[:, 3:4] + margin))
    return inside.any(axis=1)


def _overlaps(boxes: np.ndarray, others: list, margin: float) -> np.ndarray:
    out = np.zeros(len(boxes), bool)
    for o in others:
        out |= ((np.minimum(boxes[:, 2], o[2]) - np.maximum(boxes[:, 0], o[0]) > -margin)
                & (np.minimum(boxes[:, 3], o[3]) - np.maximum(boxes[:, 1], o[1]) > -margin))
    return out


def candidates(size, unit: float) -> np.ndarray:
    """Offsets (C, 2) of a block's centre from its point, nearest first, above before below."""
    w, h = size
    out = []
    for gap in (1.2, 2.0, 3.0, 4.2, 5.6, 7.5):
        for deg in (90, 60, 120, 30, 150, 0, 180, -30, -150, -60, -120, -90):
            a = np.radians(deg)
            # the block's edge, not its centre, sits ``gap`` units from the point
            out.append((np.cos(a) * (w / 2 + gap * unit), -np.sin(a) * (h / 2 + gap * unit)))
    return np.array(out)


def place(stage, track: CameraTrack, callouts: list[Callout], *, fixed_texts: list, frames,
          size: float = sizes.LABEL) -> None:
    """Choose every callout's offset: clear of the balls, trails and rings at each of
    ``frames`` (indices of the camera track), of ``fixed_texts`` (pixel boxes of the other
    overlays) and of the callouts placed before it, and inside the title-safe area."""
    h = stage.hud
    px = h.px(size)
    pitch = h.line(size)
    for c in callouts:
        width = max(h.measure(t, size)[0] for t in c.lines)
        text_h = (len(c.lines) - 1) * pitch + h.measure("Hg", size)[1]
        c.size = (width + 2 * PAD * px, text_h + 2 * PAD * px)
    mx, my = h.margin
    safe = (mx, my, stage.width - mx, stage.height - my)
    frames = list(frames)
    anchors = np.array([c.anchor for c in callouts])
    per_frame = []  # (anchor pixels (K, 2), data pixels (P, 2)) per frame
    for k in frames:
        stage.set_camera(track, k)
        shapes = stage.data_shapes(k)
        pts = np.concatenate([s.points for s in shapes]) if shapes else np.zeros((0, 2))
        apx, _ = stage.pixels(anchors)
        per_frame.append((apx, pts))
    placed: list[int] = []
    for i, c in enumerate(callouts):
        offs = candidates(c.size, px)
        bad = np.zeros(len(offs), int)
        for apx, pts in per_frame:
            boxes = _boxes(apx[i], offs, c.size)
            hit = _hits(boxes, pts, MARGIN)
            hit |= _overlaps(boxes, fixed_texts, MARGIN)
            hit |= _overlaps(boxes, [_boxes(apx[j], callouts[j].offset[None], callouts[j].size)[0]
                                     for j in placed], MARGIN)
            hit |= ((boxes[:, 0] < safe[0]) | (boxes[:, 1] < safe[1]) | (boxes[:, 2] > safe[2])
                    | (boxes[:, 3] > safe[3]))
            bad += hit
        best = int(np.argmin(bad))  # the first (nearest) of the least-bad candidates
        c.offset, c.clear = offs[best], bool(bad[best] == 0)
        placed.append(i)


def draw(stage, callouts: list[Callout], *, size: float = sizes.LABEL, color: str = colors.FOREGROUND,
         leader: str = colors.MUTED, opacity: float = 1.0) -> None:
    """Put every callout at its place for the current camera: panel, lines, leader line."""
    h = stage.hud
    px, pitch = h.px(size), h.line(size)
    anchors, front = stage.pixels(np.array([c.anchor for c in callouts]))
    for c, a, shown in zip(callouts, anchors, front):
        x0, y0, x1, y1 = _boxes(a, c.offset[None], c.size)[0]
        h.polyline(f"{c.key}.leader", [a + _toward(a, (x0, y0, x1, y1), 0.35 * px),
                                       _nearest_edge(a, (x0, y0, x1, y1))],
                   color=leader, width=max(1.0, px / 14), opacity=opacity)
        h.panel(f"{c.key}.panel", (x0, y0, x1, y1), opacity=0.85 * opacity)
        for j, text in enumerate(c.lines):
            h.text(f"{c.key}.{j}", text, at=((x0 + x1) / 2, y0 + PAD * px + j * pitch), anchor="top_center",
                   size=size, color=color, group=sizes.group_id(c.key), opacity=opacity)
        for key in [f"{c.key}.leader", f"{c.key}.panel"] + [f"{c.key}.{j}" for j in range(len(c.lines))]:
            h.show(key, bool(shown))


def _nearest_edge(p, box) -> np.ndarray:
    return np.array([np.clip(p[0], box[0], box[2]), np.clip(p[1], box[1], box[3])])


def _toward(p, box, distance: float) -> np.ndarray:
    """A step of ``distance`` from ``p`` toward the box (the leader starts off the ring)."""
    d = _nearest_edge(p, box) - p
    n = np.linalg.norm(d)
    return np.zeros(2) if n < 1e-9 else d / n * min(distance, n)
