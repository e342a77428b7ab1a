"""Every caption of the 2-D explainers fits the caption strip, in every language, with numbers
as wide as these captions carry, shrunk by at most 15 % (digits stay ≥ 18 px tall at 480p)."""

from __future__ import annotations

import string
from pathlib import Path

import pytest

from gdengine.kit.captions import CaptionStrip, StringsTable
from gdengine.kit.text import TEXT_SIZE, label

STRINGS = Path(__file__).resolve().parents[2] / "scenes" / "strings"
OWN = ("momentum_vs_vanilla", "adaptive_methods", "optimizer_race", "sgd_regression")
WIDE_NUMBER = "\u22120.0443"  # as wide as the numbers these captions carry
MAX_SHRINK = 1.15


@pytest.mark.parametrize("stem", OWN)
def test_captions_fit_without_shrinking(stem):
    table = StringsTable.load(STRINGS / f"{stem}.toml")
    limit = (CaptionStrip().panel.width - 0.5) * MAX_SHRINK
    too_wide = []
    for language in table.languages:
        for key in table.tables[language]:
            fields = {f for _, f, _, _ in string.Formatter().parse(table.tables[language][key]) if f}
            width = label(table.line(language, key, **{f: WIDE_NUMBER for f in fields}), TEXT_SIZE).width
            if width > limit:
                too_wide.append(f"[{language}] {key} ({width:.2f})")
    assert not too_wide, f"shorten (limit {limit:.2f}): {', '.join(too_wide)}"
