"""A real network's loss surface in 3-D (storyboard 12, the PyVista clip).

The loss of the 337-weight moons network on one plane through weight space (the plane of
``scenes/network_study.py``: the runs' two main directions, or the start and two ends), drawn as
a surface with log height; plain gradient descent, momentum and Adam from the shared start as
balls with trails, each path projected onto the plane; the legend says how far each run leaves
the plane, because a projection is not the path. The camera orbits slowly and follows the
balls, keeping depth. Numbers from the engine (cached).

Render alone through the pipeline: ``make render SCENES=loss_landscape_3d QUALITY=preview``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

import network_study
from gdengine.core import planes
from gdengine.errors import GdengineError
from gdengine.look import optimizer_color, optimizer_name
from gdengine.numformat import format_sig
from gdengine.render3d import (
    CameraPose, HeightMap, SurfaceStage, Timeline, camera_track, colors, orbit, path_from_params, play,
)  # fmt: skip
from gdengine.render3d import hud as sizes
from gdengine.render3d.clip import StageClip
from gdengine.render3d.descent import show_caption
from gdengine.render3d.script import Beat, Script
from gdengine.strings import StringsTable

STRINGS = StringsTable.load(Path(__file__).resolve().parent / "strings/loss_landscape_3d.toml")


def line(language: str, key: str, **values) -> str:
    return STRINGS.line(language, key, **values)


def words(s, language: str) -> dict:
    """The numbers the captions and the voice cite, from the study."""
    far = [s.max_distance(i) for i in range(len(s.runs))]
    worst = int(np.argmax(far))
    finals = [float(r.values[-1, 0]) for r in s.runs]
    best = int(np.argmin(finals))
    return {"d": s.land.dim, "steps": s.steps, "far_name": optimizer_name(s.names[worst], language),
            "far": format_sig(far[worst], 2),
            "gone": format_sig(float(np.linalg.norm(s.runs[worst].positions[-1, 0] - s.w0)), 2),
            "best": optimizer_name(s.names[best], language), "loss": format_sig(finals[best], 2)}


def beats(s, language: str, kind: str) -> list[Beat]:
    w = words(s, language)
    return [Beat("surface", 1.5, line(language, f"surface_{kind}", **w)),
            Beat("descend", 10.0, line(language, "descend", **w)),
            Beat("distance", 2.0, line(language, "distance", **w)),
            Beat("recap", 2.0, line(language, "recap", **w))]


def voices(s, language: str, voice: str, kind: str) -> dict[str, list]:
    """Each beat's narration audio ({} when silent)."""
    from gdengine.voice import lines as voice_lines
    from gdengine.voice.voices import voice_for

    chosen = voice_for(language, voice)
    if chosen is None:
        return {}
    w = words(s, language)
    keys = {"surface": f"surface_{kind}", "descend": "descend", "distance": "distance", "recap": "recap"}
    return {beat: voice_lines.for_beat(STRINGS, language, chosen, beat, key, **w) for beat, key in keys.items()}


class LandscapeClip(StageClip):
    """The plane's loss surface, the three projected runs, legend, counter and caption."""

    def __init__(self, s, script: Script, *, width: int, height: int, fps: float, language: str, path) -> None:
        self.s, self.script, self.language = s, script, language
        self.width, self.height, self.fps = width, height, float(fps)
        self.n_frames = script.n_frames
        self.T = s.steps
        first, last = script.frames("descend")
        self.steps = Timeline(self.n_frames, self.T, intro=first, outro=self.n_frames - last, warp="log").step_at()
        positions = np.stack([seen.positions[:, 0] for seen in s.seen], axis=1)  # (T+1, 3, 2)
        # the surface mesh samples millions of points: a 201² grid of the true loss, splined
        self.surface = planes.sampled_plane_landscape(s.land, s.plane, s.window, n=201)
        heights = HeightMap.build(self.surface, log=True, relief=0.3)
        self.stage = stage = SurfaceStage(heights, width=width, height=height, contours=10)
        rgb = np.array([colors.rgb8(optimizer_color(n)) for n in s.names])
        names = [optimizer_name(n, language) for n in s.names]
        group = stage.add_particles(positions, self.steps, rgb, radius=0.022 * heights.span, trail_width=0.3,
                                    names=names)
        band = self._layout()
        pack = group.centres.mean(axis=1)
        self.track = camera_track(path, self.n_frames, stage.stage(), stage.aspect, follow=pack, follow_weight=0.4,
                                  follow_smoothing=max(1, round(fps)), framing=band, zoom=1.3)

    def _rows(self, step: int) -> list[tuple[str, str]]:
        s, lang = self.s, self.language
        rows = []
        for i, name in enumerate(s.names):
            k = min(step, s.runs[i].T)
            rows.append((optimizer_color(name), line(lang, "row", name=optimizer_name(name, lang),
                                                    f=format_sig(float(s.runs[i].values[k, 0]), 2),
                                                    d=format_sig(float(s.seen[i].meta["distance"][k, 0]), 2))))
        return rows

    def _layout(self):
        h, lang = self.stage.hud, self.language
        mx, my = h.margin
        title = h.text("title", line(lang, "title"), at=(mx, my), size=sizes.TITLE, bold=True)
        y = title.box[3] + 0.25 * h.line(sizes.LABEL)
        h.text("what", line(lang, "what", d=self.s.land.dim), at=(mx, y), color=colors.MUTED)
        y += h.line(sizes.LABEL)
        self.counter_at = (mx, y)
        self._counter(self.T)
        y += h.line(sizes.LABEL)
        left = max(sl.box[2] for sl in h.slots.values())
        widest = max((self._rows(k) for k in (0, self.T // 2, self.T)),
                     key=lambda r: max(h.measure(t, sizes.LABEL)[0] for _, t in r))
        return self.place_legend(widest, left, y)

    def _counter(self, step: int) -> None:
        self.stage.hud.text("counter", line(self.language, "counter", step=step, total=self.T), at=self.counter_at)

    # --- the Clip protocol (the rest: StageClip) -------------------------------------------
    def update(self, k: int) -> None:
        self.stage.frame(k, self.track)
        step = int(np.floor(self.steps[k] + 1e-9))
        self._counter(step)
        self.stage.hud.legend("legend", self._rows(step), at=self.legend_at)
        show_caption(self.stage.hud, self.script, k, self.panel)


def render_loss_landscape_3d(sink, *, width: int, height: int, fps: float, data: str = "moons",
                             hidden: tuple = (16, 16), seed: int = 0, steps: int = 300, plane: str = "pca",
                             language: str = "en", voice: str = "auto", duration: float | None = None,
                             camera: list[dict] | None = None) -> None:
    """The network study's plane as a 3-D loss surface with the three runs on it (``data``:
    moons, spirals or xor; ``plane``: pca or ends), narrated in ``language`` by ``voice``.
    ``duration``: None lets every beat last its caption's reading time; seconds scale it."""
    if not isinstance(language, str):
        raise GdengineError(f"language must be a string, got {language!r}")
    STRINGS.check_language(language)
    if duration is not None and (isinstance(duration, bool) or not isinstance(duration, (int, float)) or not duration > 0):
        raise GdengineError(f"duration must be a number of seconds > 0, got {duration!r}")
    try:
        hidden = tuple(hidden)
    except TypeError:
        raise GdengineError(f"hidden must be a list of layer widths such as [16, 16], got {hidden!r}") from None
    s = network_study.study(data, hidden, "tanh", seed, steps, plane)
    path = orbit(CameraPose(-60.0, 38.0), 60.0, rise=-6.0) if camera is None else path_from_params(camera)
    script = Script(beats(s, language, plane), fps, duration=None if duration is None else float(duration),
                    voices=voices(s, language, voice, plane))
    clip = LandscapeClip(s, script, width=width, height=height, fps=fps, language=language, path=path)
    try:
        play(sink, clip)
    finally:
        clip.close()
