"""A descent on one surface, ready to play: stage + particles + outcomes + HUD + camera.

``DescentView`` takes a landscape and an engine ``Trajectory`` and builds everything once:
the surface, balls coloured by the minimum they reach (``outcomes.classify``), growing
trails, the camera track and the text. ``draw(k)`` returns frame k. The clip's words (title,
caption) come from the caller; every number on screen (learning rate, counts, minima,
steps) is read from the landscape and the trajectory.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from gdengine import look
from gdengine.numformat import format_sig
from gdengine.render3d import colors
from gdengine.render3d.camera import CameraPath, Framing, camera_track, orbit
from gdengine.render3d.heights import HeightMap
from gdengine.render3d.outcomes import Outcomes, classify
from gdengine.render3d.stage import SurfaceStage
from gdengine.render3d.timeline import Timeline

def point(p) -> str:
    """"(x, y)" with ``format_sig`` numbers, e.g. "(−1.2, 1)"."""
    return f"({format_sig(p[0])}, {format_sig(p[1])})"


def optimizer_label(meta: dict, language: str = look.BASE_LANGUAGE) -> str:
    """'gradient descent, η = 0.01' from a trajectory's meta (engine's optimizer spec); the
    name in ``language`` from the shared strings table (``gdengine.look``)."""
    spec = meta.get("optimizer", {})
    name, hyper = spec.get("name", "?"), spec.get("hyper", {})
    key = look.canonical(name)
    if key == "sgd" and hyper.get("momentum"):
        key = "nesterov" if hyper.get("nesterov") else "momentum"
    label = look.optimizer_name(key, language)
    parts = [f"η = {format_sig(hyper['lr'])}"] if "lr" in hyper else []
    if key in ("momentum", "nesterov") and "momentum" in hyper:
        parts.append(f"β = {format_sig(hyper['momentum'])}")
    return label + (", " + ", ".join(parts) if parts else "")


# Height of the text block above the surface, in HUD type-scale units (title + formula +
# optimizer line + caption / a tile's name).
TEXT_BLOCK = {"full": 0.25, "tile": 0.17}


def framing_for(hud: str, width: int, height: int) -> Framing:
    """Screen band for the surface: everything below the text block (whose height follows the
    type scale, so square frames give the surface more room than 16:9 ones)."""
    scale = min(height, width * 9 / 16)
    top = 1.0 - 2.0 * TEXT_BLOCK[hud] * scale / height
    return Framing(x=(-0.92, 0.92), y=(-0.9, top))


@dataclass
class DescentSpec:
    """What one descent clip shows (the surface's look and the words around it)."""

    title: str
    caption: str = ""  # one line under the formula
    clip: float | None = None  # HeightMap clip (None: no clipping; (0, 1): a quantile)
    log: bool = False
    log_ref: float = 1.0
    relief: float = 0.3
    ball_radius: float = 0.018  # fraction of the window's larger side
    trails: bool = True
    contours: int = 8
    axes: bool = False  # axes with real x, y and f labels
    max_legend_rows: int = 5
    camera: CameraPath = field(default_factory=lambda: orbit("iso", 60.0))


class DescentView:
    """One surface with its particles, for ``width``×``height`` frames; ``hud``: full or tile."""

    def __init__(self, landscape, trajectory, spec: DescentSpec, timeline: Timeline, *, width: int,
                 height: int, hud: str = "full", max_triangles: int = 24000) -> None:
        self.landscape, self.trajectory, self.spec, self.timeline = landscape, trajectory, spec, timeline
        heights = HeightMap.build(landscape, clip=spec.clip, log=spec.log, log_ref=spec.log_ref,
                                  relief=spec.relief)
        self.stage = SurfaceStage(heights, width=width, height=height, max_triangles=max_triangles,
                                  contours=spec.contours)
        if spec.axes:
            self.stage.add_axes()
        self.outcomes: Outcomes = classify(landscape, trajectory, span=heights.span,
                                           f_range=heights.f_cap - heights.f_min)
        self.steps = timeline.step_at()
        radius = spec.ball_radius * heights.span
        self.stage.add_particles(trajectory.positions, self.steps, self.outcomes.rgb, radius=radius,
                                 trail=spec.trails)
        framing = framing_for(hud, width, height)
        self.track = camera_track(spec.camera, timeline.n_frames, self.stage.stage(), self.stage.aspect,
                                  framing=framing)
        self.hud = hud
        self._static_text()

    # --- text -----------------------------------------------------------------------------
    def _static_text(self) -> None:
        h, tr = self.stage.hud, self.trajectory
        if self.hud == "tile":
            h.text("title", self.spec.title, size=0.09, bold=True)
            return
        h.text("title", self.spec.title, size=0.05, bold=True)
        lines = [self.landscape.formula_text,
                 f"{optimizer_label(tr.meta)} · {tr.B} start{'s' if tr.B != 1 else ''}"]
        if self.spec.caption:
            lines.append(self.spec.caption)
        h.text("subtitle", "\n".join(lines), size=0.03, color=colors.MUTED, offset=(0, -0.07))
        h.legend("legend", self.legend_rows(), anchor="upper_right", size=0.028)

    def legend_rows(self) -> list[tuple[str, str]]:
        """(colour, label) rows: each minimum reached (aggregated past the row limit), stalls."""
        o, rows = self.outcomes, []
        n_known = int((o.known >= 0).sum())
        groups = list(range(len(o.points)))
        shown = groups if len(groups) <= self.spec.max_legend_rows else groups[:n_known]
        for g in shown:
            kind = "global minimum" if o.is_global[g] else "local minimum"
            n = o.count(g)
            rows.append((o.group_colors[g], f"{kind} {point(o.points[g])}: {n} start{'s' if n != 1 else ''}"))
        rest = [g for g in groups if g not in shown]
        if rest:
            n = sum(o.count(g) for g in rest)
            rows.append((o.group_colors[rest[0]], f"{len(rest)} other local minima: {n} starts"))
        if o.stalled:
            never = int(((o.group == -1) & (self.trajectory.stopped_at == 0)).sum())
            note = f" ({never} never moved)" if never else ""
            rows.append((colors.STALLED, f"stalled, gradient ≈ 0: {o.stalled}{note}"))
        if o.diverged:
            rows.append((colors.DIVERGED, f"diverged: {o.diverged}"))
        return rows

    def _counter(self, k: int) -> None:
        step = int(np.floor(self.steps[k] + 1e-9))
        size = 0.072 if self.hud == "tile" else 0.032
        self.stage.hud.text("counter", f"step {step} / {self.timeline.steps}", anchor="lower_left",
                            size=size, color=colors.FOREGROUND)

    # --- frames ---------------------------------------------------------------------------
    @property
    def n_frames(self) -> int:
        return self.timeline.n_frames

    def draw(self, k: int) -> np.ndarray:
        self.stage.frame(k, self.track)
        self._counter(k)
        return self.stage.grab()

    def close(self) -> None:
        self.stage.close()
