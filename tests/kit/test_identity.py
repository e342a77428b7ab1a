"""One table of optimizer identity (gdengine.look) and one names table per language, used by the
kit, the 3-D renderer and the gallery page; its defaults held to torch.optim's own signatures."""

from __future__ import annotations

import inspect
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest

import gdengine as gd
from gdengine import look

torch = pytest.importorskip("torch")

ROOT = Path(__file__).resolve().parents[2]
ENGINE_ONLY = {"bias_correction"}  # Adam's teaching variant (not in torch)
# torch's own knobs the engine leaves out (device, implementation and sign switches)
TORCH_ONLY = {"params", "maximize", "foreach", "capturable", "differentiable", "fused"}


def _torch_signature(cls_name: str) -> dict:
    params = inspect.signature(getattr(torch.optim, cls_name)).parameters
    return {k: p.default for k, p in params.items() if k not in TORCH_ONLY}


@pytest.mark.parametrize("key", list(look.OPTIMIZERS))
def test_torch_defaults_are_torchs_own(key):
    ident = look.OPTIMIZERS[key]
    theirs = _torch_signature(ident.torch)
    ours = look.torch_defaults(key)
    assert set(ours) - ENGINE_ONLY == set(theirs)  # the same hyper-parameters, no more, no fewer
    for name, default in theirs.items():
        if isinstance(default, tuple):
            assert tuple(ours[name]) == default, name
        else:
            assert ours[name] == default and isinstance(ours[name], bool) == isinstance(default, bool), name
    assert ours["lr"] == inspect.signature(getattr(torch.optim, ident.torch)).parameters["lr"].default


@pytest.mark.parametrize("alias, changes", [
    ("momentum", {"momentum": 0.9}), ("nesterov", {"momentum": 0.9, "nesterov": True}),
])
def test_momentum_aliases_are_sgd_with_only_their_defining_change(alias, changes):
    """DESIGN.md: momentum = sgd with momentum 0.9; nesterov adds nesterov=True."""
    from gdengine.core.optimizers import hyper_defaults

    expected = {**_torch_signature("SGD"), **changes}
    assert hyper_defaults(alias) == expected


def _shipped_optimizers() -> list[str]:
    """The engine's own optimizers, from a fresh interpreter (other tests register theirs)."""
    import json
    import subprocess
    import sys

    code = "import json, gdengine as gd; print(json.dumps(gd.optimizers()))"
    return json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


def test_every_registered_optimizer_has_an_identity():
    for name in _shipped_optimizers():
        ident = look.optimizer_look(name)
        assert ident is not look.UNKNOWN, name
    assert look.optimizer_look("gd") is look.optimizer_look("vanilla") is look.OPTIMIZERS["sgd"]
    assert look.optimizer_look("my_own") is look.UNKNOWN and look.UNKNOWN.color == look.GREY


def test_names_table_has_every_optimizer_in_every_language():
    data = tomllib.loads(look.NAMES_FILE.read_text(encoding="utf-8"))
    assert {"en", "zh"} <= set(data)
    for lang, table in data.items():
        assert set(table) == set(look.OPTIMIZERS), lang
    zh = look.optimizer_names("zh")
    assert zh["momentum"] == "动量" and zh["sgd"] == "梯度下降"
    assert look.optimizer_name("nesterov") == "Nesterov momentum"
    assert look.optimizer_name("vanilla", "zh") == zh["sgd"]
    assert look.optimizer_name("my_own") == "my_own"
    with pytest.raises(ValueError, match="valid choices: en, zh"):
        look.optimizer_names("fr")


def test_kit_and_3d_read_names_from_the_table():
    from gdengine.kit.legend import display_name, legend_for
    from gdengine.render3d.descent import optimizer_label

    for key in look.OPTIMIZERS:
        assert display_name(key) == look.optimizer_name(key)
        assert display_name(key, "zh") == look.optimizer_name(key, "zh")
    label = optimizer_label({"optimizer": {"name": "nesterov", "hyper": {"lr": 0.01, "momentum": 0.9}}})
    assert label.startswith(look.optimizer_name("nesterov") + ",")
    legend = legend_for([("adam", gd.optimizer("adam", lr=0.1))], language="zh")
    row = legend.rows[0]
    assert row.name.text == "Adam" and row.swatch.optimizer == "adam"


def test_3d_colours_are_the_look_table():
    from gdengine.render3d import colors

    for key in [*look.OPTIMIZERS, *look.ALIASES]:
        assert colors.OPTIMIZER_COLORS[key] == look.optimizer_color(key)
    assert colors.BASIN_COLORS == look.BASIN_COLORS
    assert (colors.STALLED, colors.DIVERGED, colors.BACKGROUND) == (look.STALLED, look.DIVERGED, look.BACKGROUND)


def test_no_copies_of_names_or_colours_left():
    """The facts that used to live in four files (and disagreed) live in one."""
    copies = []
    names = [n for n in look.optimizer_names().values() if len(n) > 4 and n not in ("momentum",)]
    hexes = {o.color.upper() for o in look.OPTIMIZERS.values()}
    for path in (ROOT / "gdengine").rglob("*.py"):
        if path.name == "look.py":
            continue
        text = path.read_text(encoding="utf-8")
        for name in names:
            if re.search(rf"[\"']{re.escape(name)}[\"']", text):
                copies.append(f"{path.relative_to(ROOT)}: {name!r}")
        for h in re.findall(r"#[0-9A-Fa-f]{6}", text):
            if h.upper() in hexes:
                copies.append(f"{path.relative_to(ROOT)}: {h}")
    assert copies == []


def test_look_imports_neither_manim_nor_pyvista():
    code = ("import sys, gdengine.look as l; l.optimizer_names(); l.torch_defaults('adam'); "
            "print(sorted(m for m in ('manim', 'pyvista', 'vtk') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_dash_patterns_are_on_off_pairs():
    for name, pattern in look.LINE_STYLES.items():
        assert len(pattern) % 2 == 0 and all(v > 0 for v in pattern), name
    assert look.LINE_STYLES["solid"] == ()
    assert np.all([look.OPTIMIZERS[k].dashes == look.LINE_STYLES[look.OPTIMIZERS[k].line] for k in look.OPTIMIZERS])


def test_editing_the_names_table_rebuilds_every_clip():
    """The shared names table is an input of every catalog clip (it changes their words)."""
    from gdengine.pipeline.inputs import InputHasher

    for scene in ("optimizer_race.py", "descent_3d.py", "ball_downhill.py"):
        files, _ = InputHasher().scene_closure((ROOT / "scenes" / scene).resolve())
        assert look.NAMES_FILE in files, scene


def test_gallery_page_shows_the_key_from_the_table():
    from gdengine.pipeline import gallery
    from gdengine.pipeline.quality import QUALITIES

    page = gallery.render([], QUALITIES["hd"])
    key = page[page.index('<ul class="key"'):page.index("</ul>", page.index('<ul class="key"'))]
    items = key.split("<li>")[1:]
    assert len(items) == len(look.OPTIMIZERS)
    for item, (k, o) in zip(items, look.OPTIMIZERS.items()):
        assert item.endswith(f"{look.optimizer_name(k)}</li>")
        assert f'stroke="{o.color}"' in item and f'fill="{o.color}"' in item
        dashes = " ".join(f"{v * 3:g}" for v in o.dashes)
        assert (f'stroke-dasharray="{dashes}"' in item) == bool(o.dashes)
        assert f'aria-label="{o.line} {o.marker}"' in item
    assert "动量" not in page and "<li>" in gallery.optimizer_key("zh") and "动量" in gallery.optimizer_key("zh")
