"""The Text glyph cache is shared by every worker: a glyph file appears whole or not at all."""

from __future__ import annotations

import os
from pathlib import Path

from manim import MarkupText, Text, tempconfig

from gdengine.pipeline.capture import atomic_glyph_cache


def test_glyph_files_are_written_under_a_private_name_then_renamed(tmp_path, monkeypatch):
    atomic_glyph_cache()
    import manimpango

    written: list[str] = []
    real = manimpango.text2svg

    def spy(*args, **kwargs):
        written.append(args[4])
        return real(*args, **kwargs)

    monkeypatch.setattr(manimpango, "text2svg", spy)
    with tempconfig({"media_dir": str(tmp_path)}):
        Text("cache me 42")
        MarkupText("<b>bold</b> too")
        files = sorted((tmp_path / "texts").glob("*"))
    assert len(written) == 1 and f".tmp-{os.getpid()}" in written[0]  # pango never writes the final name
    assert len(files) == 2 and all(f.suffix == ".svg" and f.stat().st_size > 100 for f in files)
    before = {f: f.stat().st_mtime_ns for f in files}
    with tempconfig({"media_dir": str(tmp_path)}):
        Text("cache me 42")  # a finished file is read, never rewritten in place
    assert {f: Path(f).stat().st_mtime_ns for f in files} == before


def test_parsing_a_glyph_file_writes_no_scratch_file_beside_it(tmp_path, monkeypatch):
    """manim dumps the restyled tree to ``<hash>_.svg`` in the shared folder and deletes it
    after parsing: a second process building the same Text lost it under its feet (CI lint:
    FileNotFoundError …_.svg, ParseError). The tree now goes through memory."""
    import xml.etree.ElementTree as ET

    from manim.mobject.svg.svg_mobject import SVG_HASH_TO_MOB_MAP

    from gdengine.pipeline.capture import shared_cache_safe

    shared_cache_safe()
    targets: list[object] = []
    real = ET.ElementTree.write

    def spy(self, target, *args, **kwargs):
        targets.append(target)
        return real(self, target, *args, **kwargs)

    monkeypatch.setattr(ET.ElementTree, "write", spy)
    SVG_HASH_TO_MOB_MAP.clear()
    with tempconfig({"media_dir": str(tmp_path)}):
        text = Text("scratch 7")
    assert targets and not any(isinstance(t, (str, os.PathLike)) for t in targets)
    assert len(text.family_members_with_points()) == 8  # every glyph parsed: "scratch7"
    assert [f.name.endswith("_.svg") for f in (tmp_path / "texts").iterdir()] == [False]


def test_typst_svgs_appear_whole_under_manims_own_names(tmp_path, monkeypatch):
    from manim import MathTypst

    from gdengine.pipeline.capture import shared_cache_safe

    shared_cache_safe()
    writes: list[str] = []
    real = Path.write_bytes

    def spy(self, data):
        writes.append(self.name)
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", spy)
    with tempconfig({"media_dir": str(tmp_path)}):
        mob = MathTypst("x <- x - eta f'(x)")
        folder = tmp_path / "Tex"
        files = sorted(f.name for f in folder.iterdir())
    svgs = [n for n in files if n.endswith(".svg")]
    assert files == svgs and len(svgs) >= 1  # no .typ or temporary file left behind
    assert writes and all(f".tmp-{os.getpid()}" in w for w in writes)  # never written under its final name
    assert mob.width > 0.5 and len(mob.family_members_with_points()) >= 8
