"""Every caption of the 1-D explainers fits the caption strip at full size (no shrinking),
in every language, with numbers as wide as the engine typically gives."""

from __future__ import annotations

import string
from pathlib import Path

import pytest

from gdengine.kit.captions import CaptionStrip, StringsTable
from gdengine.kit.text import TEXT_SIZE, label

STRINGS = Path(__file__).resolve().parents[2] / "scenes" / "strings"
OWN = ("ball_downhill", "tangent_slope", "why_it_works", "learning_rate", "local_minima_saddle")
WIDE_NUMBER = "\u22120.044"  # as wide as the numbers these captions carry


def own_tables():
    return [STRINGS / f"{stem}.toml" for stem in OWN if (STRINGS / f"{stem}.toml").exists()]


@pytest.mark.parametrize("path", own_tables(), ids=lambda p: p.stem)
def test_captions_fit_without_shrinking(path):
    table = StringsTable.load(path)
    strip = CaptionStrip()
    limit = strip.panel.width - 0.5
    too_wide = []
    for language in table.languages:
        for key in table.tables[language]:
            fields = {f for _, f, _, _ in string.Formatter().parse(table.tables[language][key]) if f}
            line = table.line(language, key, **{f: WIDE_NUMBER for f in fields})
            width = label(line, TEXT_SIZE).width
            if width > limit:
                too_wide.append(f"[{language}] {key} ({width:.2f})")
    assert not too_wide, f"shorten (limit {limit:.2f}): {', '.join(too_wide)}"
