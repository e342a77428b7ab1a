"""``GdScene``: the base of every gdengine Manim scene.

Parameters are class attributes declared in a ``params`` table (see ``gdengine.kit.params``)
and checked when the class is defined: a bad value, an unknown landscape or optimizer name,
or a public attribute that no ``params`` table declares (a typo such as ``radom_seed = 1``)
raises ``GdengineError`` at import, naming the valid choices. Variants subclass and override::

    class BallDownhillFast(BallDownhill):
        lr = 0.5

The pipeline builds such subclasses from catalog ``params`` too, so catalog typos fail the
same way.

The base also provides

* ``mark_poster()`` — tells the pipeline's file writer "this frame is the poster" (a no-op
  under the plain ``manim`` command);
* captions — ``self.caption(key, **values)`` shows line ``key`` of the scene's strings table
  (``strings_file``, TOML next to the scene, one table per language) in the caption strip,
  in the language chosen by the ``language`` attribute;
* pacing — ``self.rt(seconds)`` and ``self.pause(seconds)`` scale every duration by ``pace``;
* beats — ``self.beat(name)`` records the scene time at which a beat starts
  (``self.beats``), so tests and reviewers can pull one frame per beat.
"""

from __future__ import annotations

import difflib
import functools
import sys
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

from manim import BLACK, MovingCameraScene, Scene, config

import gdengine.core as gd
from gdengine.errors import GdengineError
from gdengine.kit import palette
from gdengine.kit.captions import BASE_LANGUAGE, CaptionStrip, StringsTable
from gdengine.kit.params import LandscapeParam, Param, choice, number, text, window
from gdengine.lint.rules import Allowance, reading_seconds
from gdengine.voice import lines as voice_lines
from gdengine.voice.voices import AUTO, NONE, VOICES, voice_for

BREATH = voice_lines.BREATH

# Class attributes a subclass may set that are configuration, not parameters.
_FRAMEWORK_ATTRS = {"params", "strings_file"}
_SCENE_ATTRS = set(dir(Scene))


@cache
def _load_strings(path: str) -> StringsTable:
    return StringsTable.load(path)


def _defining_file(cls: type) -> str | None:
    """The file whose class statement defined ``cls``, found from the running class body's
    frame, so a scene module loaded by path without a ``sys.modules`` entry (importlib, as
    notebooks and doc tools do) still finds its strings file beside it."""
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_globals.get("__name__") == cls.__module__ and "__file__" in frame.f_globals:
            return frame.f_globals["__file__"]
        frame = frame.f_back
    return getattr(sys.modules.get(cls.__module__), "__file__", None)


def _settling(construct):
    """``construct`` followed by waiting out the last beat's narration."""

    @functools.wraps(construct)
    def run(self, *args: Any, **kwargs: Any) -> Any:
        result = construct(self, *args, **kwargs)
        self.settle_voice()
        return result

    run._settles = True
    return construct if getattr(construct, "_settles", False) else run


def _is_member(value: Any) -> bool:
    """Methods, properties, nested classes: not parameters."""
    return callable(value) or isinstance(value, (classmethod, staticmethod, property, type))


class VoiceTracker:
    """What ``voiceover`` yields: how much of the beat's narration is still to be spoken."""

    def __init__(self, scene: GdScene) -> None:
        self.scene = scene

    @property
    def duration(self) -> float:
        return max(self.scene._voice_until - BREATH - self.scene.time, 0.0)


class GdScene(MovingCameraScene):
    """Scene base with validated class-attribute parameters, captions, pacing and poster.

    The camera can zoom (``self.play(self.camera.frame.animate.scale(0.5).move_to(p))``) to
    make a small step or arrow readable; the caption strip follows the frame, so it keeps its
    place and size on screen whatever the zoom."""

    params: ClassVar[dict[str, Param]] = {
        "language": text(BASE_LANGUAGE, doc="caption language (a table in the strings file)"),
        "pace": number(1.0, positive=True, doc="multiplies every animation and pause length"),
        "voice": choice("auto", lambda: [AUTO, NONE, *VOICES], doc="narration voice: auto (the language's), none (silent) or a voice name"),
        "window": window(),
    }
    strings_file: ClassVar[str | None] = None  # TOML next to the scene file, or None

    language: str = BASE_LANGUAGE
    pace: float = 1.0
    voice: str = AUTO
    window = None

    # --- class-definition-time validation -----------------------------------------------
    def __init_subclass__(cls, **kwargs: Any):
        super().__init_subclass__(**kwargs)
        cls._defined_in = _defining_file(cls)
        if "construct" in cls.__dict__:
            cls.construct = _settling(cls.__dict__["construct"])
        spec: dict[str, Param] = {}
        for klass in reversed(cls.__mro__):
            spec.update(klass.__dict__.get("params", {}))
        cls._param_spec = spec
        for name, value in cls.__dict__.items():
            if name.startswith("_") or name in spec or name in _FRAMEWORK_ATTRS:
                continue
            if name in _SCENE_ATTRS or name.isupper() or _is_member(value):
                continue
            close = difflib.get_close_matches(name, spec, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise GdengineError(
                f"{cls.__name__}: unknown parameter {name!r}{hint}; valid parameters: "
                f"{', '.join(sorted(spec))}"
            )
        for name, param in spec.items():
            value = getattr(cls, name, param.default)
            setattr(cls, name, param.validate(value, f"{cls.__name__}.{name}"))
        cls._check_formulas(spec)
        table = cls.strings()
        if table is None:
            if cls.language != BASE_LANGUAGE:
                raise GdengineError(
                    f"{cls.__name__}.language: {cls.language!r} but the scene has no strings "
                    f"file; valid choices: {BASE_LANGUAGE}"
                )
        else:
            try:
                table.check_language(cls.language)
            except GdengineError as err:
                raise GdengineError(f"{cls.__name__}.language: {err}") from None
        cls.check_params()

    @classmethod
    def _check_formulas(cls, spec: dict[str, Param]) -> None:
        """Every formula-valued landscape parameter builds on the scene's ``window``; a window
        with no formula to apply to is a mistake, not a silent no-op."""
        formulas = [name for name, p in spec.items() if isinstance(p, LandscapeParam)
                    and isinstance(getattr(cls, name), str) and getattr(cls, name) not in gd.landscapes()]
        if cls.window is not None and "window" in cls.__dict__ and not formulas:
            raise GdengineError(f"{cls.__name__}.window applies to formula landscapes; this scene has none")
        for name in formulas:
            try:
                cls.landscape_of(getattr(cls, name))
            except GdengineError as err:
                raise GdengineError(f"{cls.__name__}.{name}: {err}") from None

    @classmethod
    def landscape_of(cls, value, **params):
        """The engine landscape of a landscape parameter: a registered name (built with
        ``params``), a ``Landscape``, or a formula on the scene's ``window``."""
        if isinstance(value, str) and value not in gd.landscapes():
            return gd.landscape(value, window=cls.window)
        return gd.landscape(value, **params)

    @classmethod
    def check_params(cls) -> None:
        """Hook for checks across several parameters (raise ``GdengineError``)."""

    @classmethod
    def param_values(cls) -> dict[str, Any]:
        """The validated parameters of this class, by name."""
        return {name: getattr(cls, name) for name in cls._param_spec}

    @classmethod
    def strings(cls) -> StringsTable | None:
        """The strings table named by ``strings_file`` (resolved next to the defining file)."""
        for klass in cls.__mro__:
            if "strings_file" in klass.__dict__:
                name = klass.__dict__["strings_file"]
                if name is None:
                    return None
                module_file = klass.__dict__.get("_defined_in") or getattr(
                    sys.modules.get(klass.__module__), "__file__", None
                )
                base = Path(module_file).parent if module_file else Path.cwd()
                return _load_strings(str((base / name).resolve()))
        return None

    # --- lifecycle -------------------------------------------------------------------------
    def setup(self) -> None:
        super().setup()
        if config.background_color == BLACK:  # plain manim: use the house background
            self.camera.background_color = palette.BACKGROUND
        self.beats: list[tuple[str, float]] = []
        self.facts: dict[str, Any] = {}  # what tests and reviewers may inspect after render
        self.captions_shown: list[str] = []
        self.lint_allowances: list[Allowance] = []
        self.narrated: list[tuple[str, str, float, float]] = []  # (beat, line, start, end)
        self._voice_until = 0.0
        self._caption_strip: CaptionStrip | None = None

    def get_moving_mobjects(self, *animations: Any) -> list:
        """Manim redraws, every frame of a ``play``, each mobject from the first one that may
        move (an updater counts) to the end of the list; the rest is drawn once. The caption
        strip and its line carry updaters that only keep them on the camera frame, and the
        strip is added early: counted, they made every clip redraw its whole picture each
        frame. With the frame still they cannot move (a moving frame makes everything move
        anyway: ``MovingCameraScene``), so they are left out of the test and drawn once."""
        strip = self._caption_strip
        pinned = [] if strip is None else [m for m in (strip, strip.line) if m.updaters]
        saved = [m.updaters for m in pinned]
        for mob in pinned:
            mob.updaters = []
        try:
            return super().get_moving_mobjects(*animations)
        finally:
            for mob, updaters in zip(pinned, saved):
                mob.updaters = updaters

    # --- pipeline protocol -------------------------------------------------------------
    def mark_poster(self) -> None:
        """Mark the current frame as the clip's poster (only the pipeline's writer listens)."""
        writer = getattr(self.renderer, "file_writer", None)
        mark = getattr(writer, "mark_poster", None)
        if callable(mark):
            mark()

    # --- pacing and beats --------------------------------------------------------------
    @property
    def time(self) -> float:
        return float(self.renderer.time)

    def rt(self, seconds: float) -> float:
        """A run time scaled by ``pace`` (never shorter than one frame)."""
        return max(seconds * self.pace, 1.0 / config.frame_rate)

    def pause(self, seconds: float) -> None:
        """``wait`` scaled by ``pace``."""
        self.wait(self.rt(seconds))

    def beat(self, name: str, /, say: str | None = None, **values: object) -> None:
        """Beat ``name`` (a stable identifier: no values, no user text) starts now, once the
        previous beat's narration (plus a breath) has been spoken; its own narration lines
        (strings ``[lang.narration] name``, or ``say`` when the words depend on what the engine
        found, filled with ``values``) start with it. The pipeline's writer records the beat
        and each line for sheets, audio, subtitles, slides."""
        self.settle_voice()
        self.beats.append((name, self.time))
        self._tell_writer("beat", name)
        for audio, start, end in voice_lines.timed(self._narration(name, say or name, values), self.time):
            self.narrated.append((name, audio.text, start, end))
            self._tell_writer("line", name, audio.text, str(audio.path), start, end)
            self._voice_until = end + BREATH

    @contextmanager
    def voiceover(self, name: str, /, **values: object):
        """manim-voiceover's shape: ``with self.voiceover("descend") as voice:`` starts beat
        ``name`` with its narration; the block's animations may use ``voice.duration`` (the
        seconds left to speak); leaving the block waits until the voice is done."""
        self.beat(name, **values)
        yield VoiceTracker(self)
        self.settle_voice()

    def settle_voice(self) -> None:
        """Hold the current frame until the narration so far has been spoken."""
        remaining = self._voice_until - self.time
        if remaining >= 1.0 / config.frame_rate:
            self.wait(remaining)

    def _narration(self, name: str, key: str, values: dict) -> list:
        return voice_lines.for_beat(self.strings(), self.language, voice_for(self.language, self.voice), name, key,
                                    **values)  # fmt: skip

    def _tell_writer(self, what: str, *args: object) -> None:
        writer = getattr(self.renderer, "file_writer", None)
        hook = getattr(writer, what, None)
        if callable(hook):
            hook(*args)

    def lint_allow(self, rule: str, reason: str, about: str | None = None) -> None:
        """Accept one layout finding of ``rule`` (optionally only about objects containing
        ``about``), with the written ``reason``; there is no blanket switch."""
        self.lint_allowances.append(Allowance(rule, reason, about))

    def beat_time(self, name: str) -> float:
        """Scene time at which beat ``name`` started (first occurrence)."""
        for beat, when in self.beats:
            if beat == name:
                return when
        raise KeyError(f"no beat {name!r}; beats: {[b for b, _ in self.beats]}")

    # --- captions ------------------------------------------------------------------------
    def t(self, key: str, **values: object) -> str:
        """Caption line ``key`` in the scene's language, with ``values`` filled in."""
        table = self.strings()
        if table is None:
            raise GdengineError(f"{type(self).__name__} has no strings_file; set one to caption")
        return table.line(self.language, key, **values)

    @property
    def caption_strip(self) -> CaptionStrip:
        if self._caption_strip is None:
            self._caption_strip = CaptionStrip().follow(self.camera.frame)
            self.add(self._caption_strip)
        return self._caption_strip

    def caption(self, key: str, run_time: float = 0.5, **values: object) -> str:
        """Show caption ``key`` (fading the previous one out); returns the shown text."""
        line = self.t(key, **values)
        steps = self.caption_strip.show(line)
        for index, step in enumerate(steps):  # the old line is gone before the new one appears
            if index == len(steps) - 1:
                self._caption_since = (line, self.time)
            self.play(step, run_time=self.rt(run_time) / len(steps))
        self.captions_shown.append(line)
        return line

    def read(self, extra: float = 0.0) -> None:
        """Hold until the caption on screen has been up for its reading time (the linter's
        1 s + 1 s per 3 words or per 6 Chinese characters, × ``pace``), then ``extra`` more
        seconds (× ``pace``): call it after the animations a caption talks about."""
        since = getattr(self, "_caption_since", None)
        left = 0.0
        if since is not None:
            line, shown_at = since
            left = reading_seconds(line, self.pace) - (self.time - shown_at)
        left = max(left, 0.0) + extra * self.pace
        if left > 1e-6:
            self.wait(max(left, 1.0 / config.frame_rate))

    def clear_caption(self, run_time: float = 0.4) -> None:
        """Fade the caption out once the voice has finished speaking about this picture (a
        scene clears its caption when it leaves the picture; an empty screen must not talk)."""
        self.settle_voice()
        for step in self.caption_strip.clear():
            self.play(step, run_time=self.rt(run_time))
