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
