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


def private_svg_scratch() -> None:
    """Parse an SVG without manim's scratch file in the shared cache folder.

    ``SVGMobject.generate_mobject`` dumps the restyled tree to ``<hash>_.svg`` beside the
    cached glyph file, parses it and deletes it: two processes building the same Text at once
    share that name, so one deletes or rewrites it under the other (CI's lint of the catalog:
    "FileNotFoundError: …/texts/5ee3d5a0d8af6051_.svg", "ParseError: no element found").
    Here the restyled tree goes through memory; the parsed result is the same."""
    import io
    import xml.etree.ElementTree as ET

    import svgelements as se
    from manim import RIGHT
    from manim.mobject.svg.svg_mobject import SVGMobject

    if getattr(SVGMobject, "_gdengine_private", False):
        return

    def generate_mobject(self: Any) -> Any:
        new_tree = self.modify_xml_tree(ET.parse(self.get_file_path()))
        buffer = io.BytesIO()
        new_tree.write(buffer)
        buffer.seek(0)
        mobjects, mobject_dict = self.get_mobjects_from(se.SVG.parse(buffer))
        self.add(*mobjects)
        self.id_to_vgroup_dict = mobject_dict
        self.flip(RIGHT)
        return self

    SVGMobject.generate_mobject = generate_mobject
    SVGMobject._gdengine_private = True


def atomic_typst_cache() -> None:
    """Make MathTypst's compiled-SVG cache safe to share between processes: manim writes
    ``<hash>.typ`` and ``<hash>.svg`` in place, so another process can find the SVG existing
    but half-written. Here both are written under private names and renamed into place."""
    import os

    from manim.mobject.text import typst_mobject
    from manim.utils import typst_file_writing as tw

    if getattr(tw, "_gdengine_atomic", False):
        return

    def typst_to_svg_file(typst_code: str, preamble: str = "", text_size: float = tw.TYPST_COMPILATION_FONT_SIZE,
                          font_paths: list[Any] | None = None) -> Path:  # fmt: skip
        import typst

        source = tw.TYPST_TEMPLATE.format(text_size=text_size, preamble=preamble, body=typst_code)
        folder = config.get_dir("tex_dir")
        folder.mkdir(parents=True, exist_ok=True)
        digest = tw._typst_hash(source)
        svg_file = folder / f"{digest}.svg"
        if svg_file.exists():
            return svg_file
        private = f".tmp-{os.getpid()}"
        typ_tmp = folder / f"{digest}{private}.typ"
        typ_tmp.write_text(source, encoding="utf-8")
        try:
            svg = typst.compile(str(typ_tmp), format="svg", font_paths=font_paths or [])
        finally:
            typ_tmp.unlink(missing_ok=True)
        svg_tmp = folder / f"{digest}{private}.svg"
        svg_tmp.write_bytes(svg)
        os.replace(svg_tmp, svg_file)
        return svg_file

    tw.typst_to_svg_file = typst_mobject.typst_to_svg_file = typst_to_svg_file
    tw._gdengine_atomic = True


def shared_cache_safe() -> None:
    """Every patch that lets processes share manim's Text and Typst caches."""
    atomic_glyph_cache()
    private_svg_scratch()
    atomic_typst_cache()


def configure(*, width: int, height: int, fps: float, cache_dir: Path) -> None:
    """Set manim's global config for one clip (each clip renders in a fresh process)."""
    share_parsed_svg_paths()
    shared_cache_safe()
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
