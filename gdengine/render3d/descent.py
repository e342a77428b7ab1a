"""A descent on one surface, ready to play: stage + particles + outcomes + HUD + camera.

``DescentView`` takes a landscape and an engine ``Trajectory`` and builds everything once:
the surface, balls coloured by the minimum they reach (``outcomes.classify``), growing
trails, the camera track and the text, laid out so the surface's band on screen is what the
text leaves free. ``update(k)``/``render()`` (or ``draw(k)``) give frame k; ``lint_sample(k)``
the layout linter's view of it. The clip's words (``DescentWords``, from the scene's strings
table) come from the caller; every number on screen (learning rate, counts, minima, steps)
is read from the landscape and the trajectory.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from gdengine import look
from gdengine.errors import GdengineError
from gdengine.formula_lines import break_lines
from gdengine.lint.rules import DataShape, Sample, TextBox
from gdengine.numformat import format_sig
from gdengine.render3d import colors, lint
from gdengine.render3d import hud as hud_sizes
from gdengine.render3d.camera import CameraPath, Framing, camera_track, orbit
from gdengine.render3d.heights import HeightMap
from gdengine.render3d.outcomes import Outcomes, classify
from gdengine.render3d.script import Script
from gdengine.render3d.stage import SurfaceStage


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


@dataclass(frozen=True)
class DescentWords:
    """Every word a descent view draws, in the clip's language (from the scene's strings
    table); ``{placeholders}`` are filled with numbers read from the engine."""

    title: str
    lines: tuple[str, ...] = ()  # under the title: the formula, the optimizer and its rate
    counter: str = ""  # "step {step} / {total}"; empty: no step counter in this view
    global_minimum: str = ""  # "global minimum {point}"
    local_minimum: str = ""  # "local minimum {point}"
    other_minima: str = ""  # "{minima} other local minima"
    stalled: str = ""  # "stalled, gradient ≈ 0"
    diverged: str = ""  # "diverged"
    row: str = "{what}: {count}"  # a legend row once the counts are shown
    starts: tuple[str, str] = ("{count}", "{count}")  # "1 start", "{count} starts"

    def count(self, n: int) -> str:
        return (self.starts[0] if n == 1 else self.starts[1]).format(count=n)


@dataclass
class DescentSpec:
    """How one descent looks (surface, balls, camera); the words are ``DescentWords``."""

    clip: float | None = None  # HeightMap clip (None: no clipping; (0, 1): a quantile)
    log: bool = False
    log_ref: float = 1.0
    relief: float = 0.3
    ball_radius: float = 0.018  # fraction of the window's larger side
    trails: bool = True
    contours: int = 8
    axes: bool = False  # axes with real x, y and f labels
    camera: CameraPath = field(default_factory=lambda: orbit("iso", 60.0))


class DescentView:
    """One surface with its particles, for ``width``×``height`` frames.

    ``clock``: the (fractional) step shown at every frame; ``script``: beats and captions
    (None in a montage tile, whose captions the montage shows); ``counts_from``: the beat from
    which the legend shows how many starts reached each minimum. ``hud``: ``full`` (title,
    lines, legend, counter, caption) or ``tile`` (the title only, inside ``inset`` pixels of
    the tile's top-left corner; ``type_scale``: the whole frame's, so text keeps its size).
    """

    def __init__(self, landscape, trajectory, spec: DescentSpec, words: DescentWords,
                 clock: np.ndarray, *, width: int, height: int, fps: float = 30.0,
                 script: Script | None = None, counts_from: str | None = None, hud: str = "full",
                 inset: tuple[float, float] = (0.0, 0.0), max_triangles: int = 24000,
                 type_scale: float | None = None) -> None:
        if hud not in ("full", "tile"):
            raise GdengineError(f"hud must be 'full' or 'tile', got {hud!r}")
        self.landscape, self.trajectory, self.spec, self.words = landscape, trajectory, spec, words
        self.steps = np.asarray(clock, dtype=float)
        self.n_frames, self.fps, self.script = len(self.steps), float(fps), script
        self.width, self.height = width, height
        self.total_steps = int(trajectory.T)
        heights = HeightMap.build(landscape, clip=spec.clip, log=spec.log, log_ref=spec.log_ref,
                                  relief=spec.relief)
        self.stage = SurfaceStage(heights, width=width, height=height, max_triangles=max_triangles,
                                  contours=spec.contours, type_scale=type_scale)
        if spec.axes:
            self.stage.add_axes()
        self.outcomes: Outcomes = classify(landscape, trajectory, span=heights.span,
                                           f_range=heights.f_cap - heights.f_min)
        radius = spec.ball_radius * heights.span
        self.group = self.stage.add_particles(trajectory.positions, self.steps, self.outcomes.rgb,
                                              radius=radius, trail=spec.trails)
        self.hud = hud
        self._counts_from = script.frames(counts_from)[0] if (script and counts_from) else None
        band = self._layout(inset)
        self.track = camera_track(spec.camera, self.n_frames, self.stage.stage(), self.stage.aspect,
                                  framing=band)

    # --- text -----------------------------------------------------------------------------
    def _layout(self, inset) -> Framing:
        """Place the text once (the widest it will be) and return the band left to the surface."""
        h, w = self.stage.hud, self.words
        if self.hud == "tile":
            room = self.width - inset[0] - 0.02 * h.scale
            wide = h.measure(w.title, hud_sizes.LABEL, bold=True)[0]
            size = hud_sizes.LABEL if wide <= room else max(hud_sizes.MIN_LABEL, hud_sizes.LABEL * room / wide)
            title = h.text("title", w.title, at=inset, size=size, bold=True)
            return band_between(title.box[3] + 0.3 * h.line(hud_sizes.LABEL), self.height - 0.03 * h.scale,
                                self.width, self.height)
        mx, my = h.margin
        y = my
        slot = h.text("title", w.title, at=(mx, y), size=hud_sizes.TITLE, bold=True)
        y = slot.box[3] + 0.25 * h.line(hud_sizes.LABEL)
        for i, line in enumerate(self._hud_lines(w.lines, room=0.55 * (self.width - 2 * mx))):
            slot = h.text(f"line.{i}", line, at=(mx, y), color=colors.MUTED)
            y += h.line(hud_sizes.LABEL)
        if w.counter:
            h.text("counter", w.counter.format(step=self.total_steps, total=self.total_steps), at=(mx, y))
            y += h.line(hud_sizes.LABEL)
        left = (mx, my, max(s.box[2] for s in h.slots.values()), y)
        rows = self.legend_rows(True) if w.global_minimum else []
        legend = h.legend("legend", rows, at=(self.width - mx, my), anchor="top_right")
        if legend[0] < left[2] + 1.5 * h.px(hud_sizes.LABEL):  # no room beside: below the block
            legend = h.legend("legend", rows, at=(mx, y + 0.3 * h.line(hud_sizes.LABEL)), anchor="top_left")
        self._legend_at = (legend[0], legend[1])  # its top-left corner stays put
        top = max(left[3], legend[3]) + 0.5 * h.line(hud_sizes.LABEL)
        bottom = self.height - my
        if self.script is not None:
            bottom = self._caption_panel()[1] - 0.4 * h.line(hud_sizes.LABEL)
        return band_between(top, bottom, self.width, self.height)

    def _hud_lines(self, lines, room: float) -> list[str]:
        """The block's lines, a formula too wide for ``room`` broken at its + and − signs
        (continuations indented under its right-hand side)."""
        h, out = self.stage.hud, []
        for line in lines:
            lhs, eq, rhs = line.partition(" = ")
            if not eq or h.measure(line, hud_sizes.LABEL)[0] <= room:
                out.append(line)
                continue
            pad = " " * (len(lhs) + 3)
            for width in (room, self.width - 2 * self.stage.hud.margin[0]):  # beside the legend, else above it
                parts = break_lines(rhs, lambda ls: all(h.measure(f"{lhs} = {t}", hud_sizes.LABEL)[0] <= width
                                                        for t in ls), max_lines=4)
                if all(h.measure(f"{lhs} = {t}", hud_sizes.LABEL)[0] <= width for t in parts):
                    break
            out += [f"{lhs} = {parts[0]}", *(pad + p for p in parts[1:])]
        return out

    def _caption_panel(self) -> tuple[float, float, float, float]:
        h = self.stage.hud
        mx, my = h.margin
        tall = 1.75 * h.px(hud_sizes.CAPTION)
        return (mx, self.height - my - tall, self.width - mx, self.height - my)

    def legend_rows(self, counts: bool) -> list[tuple[str, str]]:
        """(colour, label) rows, one per colour drawn: a minimum (or, when local minima share
        a colour, how many), stalls, divergences; with how many starts ended there when
        ``counts``."""
        o, w, rows = self.outcomes, self.words, []

        def row(color, what, n):
            rows.append((color, w.row.format(what=what, count=w.count(n)) if counts else what))

        for color in dict.fromkeys(o.group_colors):  # first use order: global minima first
            groups = [g for g, c in enumerate(o.group_colors) if c == color]
            n = sum(o.count(g) for g in groups)
            if len(groups) == 1:
                g = groups[0]
                kind = w.global_minimum if o.is_global[g] else w.local_minimum
                row(color, kind.format(point=point(o.points[g])), n)
            else:
                row(color, w.other_minima.format(minima=len(groups)), n)
        if o.stalled:
            row(colors.STALLED, w.stalled, o.stalled)
        if o.diverged:
            row(colors.DIVERGED, w.diverged, o.diverged)
        return rows

    def step_at(self, k: int) -> int:
        return int(np.floor(self.steps[k] + 1e-9))

    # --- frames ---------------------------------------------------------------------------
    def update(self, k: int) -> None:
        self.stage.frame(k, self.track)
        h = self.stage.hud
        if self.hud == "tile":
            return
        if self.words.counter:
            h.text("counter", self.words.counter.format(step=self.step_at(k), total=self.total_steps),
                   at=h.slots["counter"].box[:2])
        if self.words.global_minimum:
            counts = self._counts_from is not None and k >= self._counts_from
            h.legend("legend", self.legend_rows(counts), at=self._legend_at)
        if self.script is not None:
            show_caption(h, self.script, k, self._caption_panel())

    def render(self) -> np.ndarray:
        return self.stage.grab()

    def draw(self, k: int) -> np.ndarray:
        self.update(k)
        return self.render()

    def beats_at(self, k: int) -> list[str]:
        return self.script.beats_at(k) if self.script is not None else []

    def lines_of(self, name: str) -> list:
        return self.script.lines_of(name) if self.script is not None else []

    def texts(self, dx: float = 0.0, dy: float = 0.0) -> list[TextBox]:
        return self.stage.hud.boxes(dx, dy)

    def data(self, k: int, dx: float = 0.0, dy: float = 0.0) -> list[DataShape]:
        return self.stage.data_shapes(k, dx, dy)

    def lint_sample(self, k: int) -> Sample:
        settled = self.script is None or self.script.caption_at(k)[2]
        return lint.sample(k / self.fps, self.texts(), self.data(k), settled=settled)

    def close(self) -> None:
        self.stage.close()


def band_between(top: float, bottom: float, width: int, height: int, side: float = 0.92) -> Framing:
    """The camera's framing band for the surface between pixel rows ``top`` and ``bottom``."""
    hi = 1.0 - 2.0 * top / height
    lo = 1.0 - 2.0 * bottom / height
    if not hi - lo > 0.2:
        raise GdengineError(
            f"the text leaves no room for the surface in a {width}x{height} frame; use a larger frame")
    return Framing(x=(-side, side), y=(lo, hi))


def show_caption(h, script: Script, k: int, panel) -> None:
    """The caption strip at frame ``k``: a panel and one line, faded as the script says."""
    text, opacity, _ = script.caption_at(k)
    if "caption.panel" not in h.shapes:
        h.panel("caption.panel", panel)
    h.show("caption.panel", bool(text))
    if text:
        size = caption_size(h, text, panel[2] - panel[0])
        h.text("caption", text, at=((panel[0] + panel[2]) / 2, (panel[1] + panel[3]) / 2),
               anchor="center", size=size, caption=True, opacity=opacity)
    elif "caption" in h.slots:
        h.show("caption", False)


def caption_size(h, text: str, room: float) -> float:
    """The caption's size: ``CAPTION``, shrunk (not below the linter's caption minimum) when
    the line is wider than the strip leaves ``room`` for."""
    width = h.measure(text, hud_sizes.CAPTION)[0]
    free = room - 0.8 * h.px(hud_sizes.CAPTION)
    if width <= free:
        return hud_sizes.CAPTION
    return max(hud_sizes.CAPTION * free / width, hud_sizes.MIN_CAPTION)
