"""Read a Manim scene graph into lint samples, and a renderer that samples while it renders.

``sample_scene(scene)`` walks every mobject on screen: text objects (``Text``, ``MarkupText``,
``Typst``/``MathTypst``, or any group tagged ``roles.TEXT``) become ``TextBox``es, objects
tagged ``roles.DATA`` become ``DataShape``s, everything else visible makes the frame busy.
Boxes are measured through the camera frame (a moving camera's zoom included) in output
pixels. ``linting_renderer(...)`` is a ``CairoRenderer`` that takes a sample at least
``rate`` times a second of scene time and after every animation; with ``draw=False`` it
draws no pixels at all, so a whole clip lints in a fraction of its render time.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from manim import Wait, config
from manim.mobject.text.numbers import DecimalNumber
from manim.mobject.text.text_mobject import DEFAULT_FONT_SIZE, TEXT_MOB_SCALE_FACTOR, MarkupText, Text
from manim.mobject.text.typst_mobject import SCALE_FACTOR_PER_FONT_POINT, Typst
from manim.mobject.types.vectorized_mobject import VMobject
from manim.renderer.cairo_renderer import CairoRenderer

from gdengine.lint import roles
from gdengine.lint.rules import DataShape, Linter, Sample, TextBox, is_cjk

# Cap height per unit of font_size, in scene units, measured for the house font (Noto Sans
# CJK SC: "H" is 0.01018 units tall at font_size 1; "中" 0.01277) and Typst's maths font
# ("H" 0.00711). tests/lint checks these against freshly built glyphs.
TEXT_CAP_PER_SIZE = 0.010180
CJK_BOX_PER_SIZE = 0.012766
TYPST_CAP_PER_SIZE = 0.007115

VISIBLE_OPACITY = 0.05  # below this a fading object no longer counts as on screen
SAMPLE_RATE = 8.0  # samples per second of scene time (the rules ask for at least 4)
_BEZIER_STEP_PX = 3.0
TEXT_TYPES = (Text, MarkupText, Typst, DecimalNumber)  # DecimalNumber: one label of glyph Texts


def text_of(mob: Any) -> str:
    """What a text object says (for messages and reading time)."""
    label = getattr(mob, "lint_label", None)
    if callable(label):
        return str(label())
    if isinstance(label, str):
        return label
    for attr in ("original_text", "typst_code", "text"):
        value = getattr(mob, attr, None)
        if isinstance(value, str):
            return value
    parts = [text_of(m) for m in mob.submobjects if isinstance(m, TEXT_TYPES) or roles.role_of(m) == roles.TEXT]
    joiner = "" if isinstance(mob, DecimalNumber) else " "
    return joiner.join(p for p in parts if p)


def family_with_points(mob: Any) -> list:
    """``mob.family_members_with_points()`` (pre-order), without manim's recursive generators:
    a 3,000-dot trail is walked at every sample. A family that holds an object twice (or in
    a cycle) is left to manim, which keeps the last occurrence."""
    family, seen, stack = [], set(), [mob]
    while stack:
        m = stack.pop()
        if id(m) in seen:
            return mob.family_members_with_points()
        seen.add(id(m))
        if len(m.points):
            family.append(m)
        if m.submobjects:
            stack.extend(reversed(m.submobjects))
    return family


def _visible(mob: Any) -> bool:
    return any(_visible_self(m) for m in family_with_points(mob))


def _cap_units(mob: Any, points: np.ndarray | None = None) -> float | None:
    """Cap height (CJK: glyph box) of a text object in scene units (``points``: all points of
    its family, when the caller has them already)."""
    if isinstance(mob, (Text, MarkupText, Typst)):
        per = TYPST_CAP_PER_SIZE if isinstance(mob, Typst) else (
            CJK_BOX_PER_SIZE if is_cjk(text_of(mob)) else TEXT_CAP_PER_SIZE)  # fmt: skip
        return float(font_size(mob, points)) * per
    caps = [_cap_units(m) for m in mob.submobjects]
    caps = [c for c in caps if c is not None]
    return min(caps) if caps else None


def font_size(mob: Any, points: np.ndarray | None = None) -> float:
    """``mob.font_size`` of a Text/MarkupText/Typst, from the height of ``points`` (all points
    of its family) instead of manim's recursive walk over the family (the same numbers:
    tests/lint checks it against ``mob.font_size``)."""
    if points is None:
        members = family_with_points(mob)
        if not members:
            return float(mob.font_size)
        points = np.vstack([m.points for m in members])
    height = float(points[:, 1].max()) - float(points[:, 1].min())
    if isinstance(mob, Typst):
        return height / mob.initial_height / SCALE_FACTOR_PER_FONT_POINT
    return height / mob.initial_height / TEXT_MOB_SCALE_FACTOR * 2.4 * mob._font_size / DEFAULT_FONT_SIZE


class Frame:
    """Scene units → output pixels through the camera's current frame."""

    def __init__(self, scene: Any, width: int, height: int) -> None:
        camera = scene.camera
        frame = getattr(camera, "frame", None)
        if frame is not None:
            self.center = frame.get_center()[:2]
            self.fw, self.fh = float(frame.width), float(frame.height)
        else:
            self.center = np.asarray(getattr(camera, "frame_center", np.zeros(3)))[:2]
            self.fw, self.fh = float(camera.frame_width), float(camera.frame_height)
        self.width, self.height = width, height

    def px(self, points: np.ndarray) -> np.ndarray:
        points = np.asarray(points, dtype=float)
        x = ((points[:, 0] - self.center[0]) / self.fw + 0.5) * self.width
        y = (0.5 - (points[:, 1] - self.center[1]) / self.fh) * self.height
        return np.column_stack([x, y])

    def key(self) -> tuple[float, ...]:
        return (float(self.center[0]), float(self.center[1]), self.fw, self.fh, self.width, self.height)

    def box(self, mob: Any, points: np.ndarray | None = None) -> tuple[float, float, float, float]:
        """``mob``'s bounding box in output pixels (``points``: all points of its family)."""
        if points is None:
            points = np.vstack([m.points for m in family_with_points(mob)])
        lo, hi = points[:, :2].min(axis=0), points[:, :2].max(axis=0)
        (x0, y1), (x1, y0) = self.px(np.array([[lo[0], lo[1]], [hi[0], hi[1]]]))  # y flips
        return (float(x0), float(y0), float(x1), float(y1))

    def units_to_px(self, length: float) -> float:
        return length * self.height / self.fh


class CurveCache:
    """The sampled points of each childless data-shape member, kept from one lint sample to
    the next while its points and the camera stay the same (a curve drawn once is not
    re-sampled at every frame); members not seen in a sample are dropped."""

    def __init__(self) -> None:
        self._entries: dict[int, tuple] = {}
        self._used: set[int] = set()

    def points(self, m: Any, frame: Frame) -> np.ndarray:
        key = frame.key()
        self._used.add(id(m))
        hit = self._entries.get(id(m))
        if hit is not None and hit[0] == key and np.array_equal(hit[1], m.points):
            return hit[2]
        points = _member_curve_points(m, frame)
        self._entries[id(m)] = (key, m.points.copy(), points)
        return points

    def sweep(self) -> None:
        self._entries = {k: v for k, v in self._entries.items() if k in self._used}
        self._used = set()


def _curve_points(mob: Any, frame: Frame, cache: CurveCache | None = None) -> np.ndarray | None:
    """Points along every visible cubic of ``mob``'s family (about every 3 px), plus centres;
    None when no member is visible."""
    chunks = []
    members = family_with_points(mob)
    seen = {id(m): _visible_self(m) for m in members}
    for m in members:
        visible = seen[id(m)] if not m.submobjects else any(seen.get(id(x), False) for x in m.get_family())
        if visible:  # (a member with children has its centre from theirs too: not cached)
            reuse = cache is not None and not m.submobjects
            chunks.append(cache.points(m, frame) if reuse else _member_curve_points(m, frame))
    return np.vstack(chunks) if chunks else None


def _member_curve_points(m: Any, frame: Frame) -> np.ndarray:
    """Points along one member's cubics and its centre, in output pixels (cubics with a
    non-finite point, e.g. a direction normalised from a zero vector, are left out)."""
    pts = m.points
    n = len(pts) // 4 * 4
    chunks = []
    cubics = frame.px(pts[:n]).reshape(-1, 4, 2)
    finite = np.isfinite(cubics).all(axis=(1, 2))
    if not finite.all():
        cubics = cubics[finite]
    if len(cubics):
        chord = np.linalg.norm(cubics[:, 3] - cubics[:, 0], axis=1).max()
        steps = int(np.clip(np.ceil(chord / _BEZIER_STEP_PX), 2, 200))
        t = np.linspace(0.0, 1.0, steps)[None, :, None]
        p0, p1, p2, p3 = (cubics[:, i][:, None, :] for i in range(4))
        curve = (1 - t) ** 3 * p0 + 3 * (1 - t) ** 2 * t * p1 + 3 * (1 - t) * t**2 * p2 + t**3 * p3
        chunks.append(curve.reshape(-1, 2))
    center = frame.px(_center(m)[None, :])
    if np.isfinite(center).all():
        chunks.append(center)
    return np.vstack(chunks) if chunks else np.zeros((0, 2))


def _center(m: Any) -> np.ndarray:
    """``m.get_center()`` (the middle of its anchors' box), without manim's per-anchor tuples
    for a plain VMobject."""
    pts = m.points
    if m.submobjects or not isinstance(m, VMobject) or len(pts) < 2 or len(pts) % m.n_points_per_cubic_curve:
        return m.get_center()
    k = m.n_points_per_cubic_curve
    anchors = np.concatenate([pts[::k], pts[k - 1 :: k]])
    return (anchors.min(axis=0) + anchors.max(axis=0)) / 2


def sample_scene(scene: Any, t: float, width: int | None = None, height: int | None = None,
                 settled: bool = True, cache: CurveCache | None = None) -> Sample:  # fmt: skip
    """One lint sample of what ``scene`` shows now (``settled``: between animations;
    ``cache``: one ``CurveCache`` for the whole clip, to reuse unchanged data shapes)."""
    frame = Frame(scene, width or config.pixel_width, height or config.pixel_height)
    sample = Sample(t=t, busy=False, settled=settled)

    def walk(mob: Any, inherited: str | None, group: int | None) -> None:
        role = roles.role_of(mob) or inherited
        if role == roles.IGNORE and inherited == roles.CAPTION:
            role = roles.CAPTION
        if isinstance(mob, TEXT_TYPES) or roles.role_of(mob) == roles.TEXT:
            members = family_with_points(mob)  # empty: nothing drawn (yet)
            if members and any(_visible_self(m) for m in members):
                points = np.vstack([m.points for m in members])
                cap = _cap_units(mob, points)
                sample.texts.append(TextBox(
                    ident=id(mob), text=text_of(mob), box=frame.box(mob, points),
                    cap_px=frame.units_to_px(cap) if cap is not None else float("inf"),
                    caption=role == roles.CAPTION, group=group,
                ))  # fmt: skip
                if role != roles.CAPTION:
                    sample.busy = True
            return
        if role == roles.DATA:
            points = _curve_points(mob, frame, cache)
            if points is not None:  # some part of it is visible
                sample.data.append(DataShape(ident=id(mob), name=_data_name(mob), points=points))
                sample.busy = True
            return
        if role != roles.CAPTION and mob.points.size and _visible_self(mob):
            sample.busy = True
        sub_group = id(mob) if getattr(mob, "lint_group", False) else group
        for child in mob.submobjects:
            walk(child, role if role in (roles.CAPTION, roles.IGNORE) else None, sub_group)

    seen: set[int] = set()
    for mob in [*scene.mobjects, *getattr(scene, "foreground_mobjects", [])]:
        if id(mob) not in seen:
            seen.add(id(mob))
            walk(mob, None, None)
    if cache is not None:
        cache.sweep()
    return sample


def _visible_self(mob: Any) -> bool:
    fill = getattr(mob, "fill_rgbas", None)
    if fill is not None and _max_alpha(fill) > VISIBLE_OPACITY:
        return True
    stroke = getattr(mob, "stroke_rgbas", None)
    return bool(stroke is not None and getattr(mob, "stroke_width", 0) > 0 and _max_alpha(stroke) > VISIBLE_OPACITY)


def _max_alpha(rgbas: np.ndarray) -> float:
    """The highest opacity in an (n, 4) colour array (0 when empty); most hold one colour, and
    indexing it is far cheaper than a numpy reduction (a trail of 3,000 dots is checked per
    sample)."""
    n = len(rgbas)
    if n == 1:
        return float(rgbas[0, 3])
    return float(rgbas[:, 3].max()) if n else 0.0


def _data_name(mob: Any) -> str:
    return str(getattr(mob, "lint_label", None) or type(mob).__name__)


class LintProbe:
    """Samples a scene at ``rate`` per second of scene time into a ``Linter``."""

    def __init__(self, linter: Linter, rate: float = SAMPLE_RATE) -> None:
        self.linter = linter
        self.period = 1.0 / rate
        self._next = 0.0
        self.seconds = 0.0  # CPU spent sampling (for the bench)
        self.cache = CurveCache()

    def due(self, t: float) -> bool:
        return t >= self._next - 1e-9

    def sample(self, scene: Any, t: float, settled: bool = True) -> None:
        import time as _time

        start = _time.process_time()
        self.linter.add(sample_scene(scene, t, self.linter.width, self.linter.height, settled, self.cache))
        self._next = t + self.period
        self.seconds += _time.process_time() - start


def linting_renderer(probe: LintProbe, draw: bool = True, **kwargs: Any) -> CairoRenderer:
    """A ``CairoRenderer`` that feeds ``probe``; ``draw=False`` skips every pixel."""

    class LintingRenderer(CairoRenderer):
        _sampled_play = -1  # the last play whose first frame was sampled

        def render(self, scene: Any, time: float, moving_mobjects: Any = None) -> None:
            # every animation's first frame (what was added or changed since the last play
            # shows from here), then ``rate`` per second
            if self._sampled_play != self.num_plays or probe.due(self.time):
                self._sampled_play = self.num_plays
                probe.sample(scene, self.time, settled=all(isinstance(a, Wait) for a in scene.animations or ()))
            if draw:
                super().render(scene, time, moving_mobjects)
            else:  # one (undrawn) frame, so the sink's clock and beats run as in a render
                self.add_frame(self.camera.pixel_array)

        def play(self, scene: Any, *args: Any, **kw: Any) -> None:
            super().play(scene, *args, **kw)
            probe.sample(scene, self.time)  # the state every animation ends on

        def freeze_current_frame(self, duration: float) -> None:
            probe.sample(self._scene, self.time)  # the one frame held for the whole wait
            if draw:
                super().freeze_current_frame(duration)
            else:  # the same frame count as CairoRenderer.freeze_current_frame
                self.add_frame(self.camera.pixel_array, num_frames=int(duration / (1 / self.camera.frame_rate)))

        def update_frame(self, scene: Any, *a: Any, **kw: Any) -> None:
            self._scene = scene
            if draw:
                super().update_frame(scene, *a, **kw)

        def save_static_frame_data(self, scene: Any, static_mobjects: Any) -> Any:
            self._scene = scene
            if draw:
                return super().save_static_frame_data(scene, static_mobjects)
            self.static_image = None
            return None

    return LintingRenderer(**kwargs)


def scene_allowances(scene: Any) -> list:
    return list(getattr(scene, "lint_allowances", []))
