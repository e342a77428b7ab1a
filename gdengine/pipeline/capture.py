"""Render a Manim scene class into a ``FrameSink`` (imports manim: worker processes only).

Manim's own ``SceneFileWriter`` encodes each ``play`` into a cached partial movie and
concatenates them at the end. We take the frames instead: ``CaptureFileWriter`` turns every
``write_frame`` into ``sink.write`` and skips manim's segment cache, so the pipeline alone
decides how frames are encoded (one pass, one process) and when a clip is up to date.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

from manim import Camera, config
from manim.renderer.cairo_renderer import CairoRenderer
from manim.scene.scene_file_writer import SceneFileWriter

from gdengine.pipeline.sink import FrameSink


class CaptureFileWriter(SceneFileWriter):
    """A SceneFileWriter that hands frames to ``self.sink`` and writes no file itself."""

    sink: FrameSink  # set on the per-render subclass made by ``writer_for``

    def is_already_cached(self, hash_invocation: str) -> bool:
        return False

    def add_partial_movie_file(self, hash_animation: str | None) -> None:
        pass

    def begin_animation(self, allow_write: bool = False, **kwargs: Any) -> None:
        pass

    def end_animation(self, allow_write: bool = False) -> None:
        pass

    def write_frame(self, pixels: Any, *, repeat: int = 1) -> None:
        self.sink.write(pixels, repeat=repeat)

    def abort_encode_jobs(self, reraise_encoder_failures: bool = False) -> None:
        pass

    def save_image(self, pixels: Any) -> None:
        pass

    def finish(self) -> None:
        pass  # the pipeline closes the sink once ``render`` returns

    def mark_poster(self) -> None:
        """Called by ``GdScene.mark_poster()``: the current frame becomes the poster."""
        self.sink.mark_poster()

    def beat(self, name: str) -> None:
        """Called by ``GdScene.beat()``: beat ``name`` starts with the next frame."""
        self.sink.beat(name)

    def line(self, beat: str, text: str, audio: str, start: float, end: float) -> None:
        """Called by ``GdScene.beat()``: a narration line spoken from ``start`` to ``end``."""
        self.sink.line(beat, text, audio, start, end)


def writer_for(sink: FrameSink) -> type[CaptureFileWriter]:
    return type("BoundCaptureFileWriter", (CaptureFileWriter,), {"sink": sink})


def share_parsed_svg_paths() -> None:
    """Let copies of Text/MathTypst glyphs share their parsed SVG path instead of cloning it.

    Every ``Transform``/``copy()`` deep-copies a mobject, and each glyph of a Text keeps the
    ``svgelements.Path`` it was built from (``path_obj``): a 40-character caption took 0.15 s
    to copy, 35 % of ``ball_downhill``'s render time under cProfile. Manim only reads that path
    while building the glyph, so sharing it is safe: measured on ``ball_downhill`` at preview,
    scene CPU 16.0–17.7 s → 13.4 s with every frame identical (PSNR ∞ on all 527 frames).
    """
    import svgelements

    svgelements.Path.__deepcopy__ = _share_on_deepcopy


def _share_on_deepcopy(self: Any, memo: dict[int, Any]) -> Any:
    return self


def atomic_glyph_cache() -> None:
    """Make manim's Text glyph cache safe to share between processes.

    Every worker (render, lint, two jobs at once) reads and writes ``texts/<hash>.svg`` in
    one cache folder. Pango writes a new glyph file in place and ``remove_last_M`` rewrites it
    in place on every use, so another process could read it empty or half-written ("ParseError:
    no element found", seen with two workers). Here pango writes to a private temporary name,
    the file is finished (``remove_last_M``) there and renamed into place (atomic), and the
    in-place rewrite of an already finished file writes nothing."""
    import os
    import re
    from types import SimpleNamespace

    from manim.mobject.text import text_mobject as tm

    if getattr(tm, "_gdengine_atomic", False):
        return
    pango, markup = tm.manimpango, tm.MarkupUtils

    def finish(path: str) -> None:
        with open(path, encoding="utf-8") as f:
            content = f.read()
        done = re.sub(r'Z M [^A-Za-z]*? "\/>', 'Z "/>', content)
        if done != content:
            tmp = f"{path}.tmp-{os.getpid()}"
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(done)
            os.replace(tmp, path)

    def atomic(owner: Any, at: int):  # ``at``: where the file name sits in the call
        def write(*args: Any, **kwargs: Any) -> str:
            args = list(args)
            final = args[at]
            tmp = f"{final}.tmp-{os.getpid()}.svg"
            args[at] = tmp
            owner.text2svg(*args, **kwargs)
            finish(tmp)
            os.replace(tmp, final)
            return final

        return write

    tm.manimpango = SimpleNamespace(**{n: getattr(pango, n) for n in dir(pango) if not n.startswith("__")})
    tm.manimpango.text2svg = atomic(pango, 4)  # (settings, size, spacing, ligatures, file, ...)
    tm.MarkupUtils = SimpleNamespace(text2svg=atomic(markup, 7),  # (text, font, slant, weight, size, spacing, ligatures, file, ...)
                                     **{n: getattr(markup, n) for n in dir(markup) if not n.startswith("_") and n != "text2svg"})  # fmt: skip
    tm.PangoUtils = SimpleNamespace(remove_last_M=finish)
    tm._gdengine_atomic = True


def configure(*, width: int, height: int, fps: float, cache_dir: Path) -> None:
    """Set manim's global config for one clip (each clip renders in a fresh process)."""
    share_parsed_svg_paths()
    atomic_glyph_cache()
    config.pixel_width = width
    config.pixel_height = height
    config.frame_rate = fps
    config.frame_width = config.frame_height * width / height
    config.format = "mp4"
    config.disable_caching = True
    config.write_to_movie = True
    config.save_last_frame = False
    config.preview = False
    config.progress_bar = "none"
    config.verbosity = "WARNING"
    config.media_dir = str(cache_dir)  # Text/typst glyph caches land here, nothing else


def camera_class_of(scene_class: type) -> type:
    """The camera a scene class asks for (``MovingCameraScene`` → ``MovingCamera``)."""
    default = inspect.signature(scene_class.__init__).parameters.get("camera_class")
    return default.default if default is not None and default.default is not inspect.Parameter.empty else Camera


def render_scene(scene_class: type, sink: FrameSink, probe: Any = None, draw: bool = True) -> Any:
    """Run ``scene_class`` (a manim ``Scene`` subclass) with frames going to ``sink``; with a
    lint ``probe``, sample its layout as it plays (``draw=False``: no pixels, lint only).
    Returns the finished scene."""
    kwargs = {"file_writer_class": writer_for(sink), "camera_class": camera_class_of(scene_class)}
    if probe is None:
        renderer = CairoRenderer(**kwargs)
    else:
        from gdengine.lint.manim_probe import linting_renderer

        renderer = linting_renderer(probe, draw=draw, **kwargs)
    scene = scene_class(renderer=renderer)
    scene.render()
    return scene
