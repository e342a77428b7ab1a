"""A narration placeholder may have any name, even one of the beat call's own parameters
(optimizer_race says "{name} stops first": beat() once failed with 'multiple values for name')."""

from __future__ import annotations

from pathlib import Path

from gdengine.strings import StringsTable
from gdengine.voice import lines as voice_lines
from gdengine.voice.voices import voice_for


def test_placeholders_named_like_the_call_parameters(tmp_path: Path):
    path = tmp_path / "t.toml"
    path.write_text('[en]\nx = "x"\n[en.narration]\nwon = "{name} won {beat} of {key} in {language}."\n',
                    encoding="utf-8")
    table = StringsTable.load(path)
    values = {"name": "Adam", "beat": 3, "key": 4, "language": "tables"}
    assert table.narration("en", "won", **values) == ["Adam won 3 of 4 in tables."]
    voice_lines.configure(cache_dir=tmp_path / "voice")
    said = voice_lines.for_beat(table, "en", voice_for("en"), "race1_result", "won", **values)
    assert [a.text for a in said] == ["Adam won 3 of 4 in tables."] and said[0].seconds > 1.0
    assert voice_lines.for_beat(table, "en", None, "race1_result", "won", **values) == []  # silent
