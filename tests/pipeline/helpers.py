"""Shared helpers: a throwaway project (scenes + catalog) rendered at a tiny size."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np

from gdengine.pipeline import run
from gdengine.pipeline.quality import Quality

HERE = Path(__file__).resolve().parent
TEST_SCENES = HERE / "scenes"
TINY = Quality("tiny", 320, 180, 10)

ROWS = {
    "moving_dot": {"file": "moving_dot.py", "entry": "MovingDot", "params": {"seconds": 0.6}},
    "moving_dot_default": {"file": "moving_dot.py", "entry": "MovingDot"},
    "sweep": {"file": "sweep.py", "entry": "render_sweep", "params": {"seconds": 0.8}},
    "beats": {"file": "beats.py", "entry": "render_beats"},
    "broken": {"file": "moving_dot.py", "entry": "Broken"},
    "bad_param": {"file": "moving_dot.py", "entry": "MovingDot", "params": {"secnds": 2}},
    "ghost": {"file": "ghost.py", "entry": "Ghost"},
}


def toml_value(v: Any) -> str:
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(x)}" for k, x in v.items()) + " }"
    return json.dumps(v)


def write_catalog(scenes: Path, names: list[str], overrides: dict[str, dict] | None = None) -> None:
    lines = []
    for name in names:
        row = {"name": name, **ROWS[name], **(overrides or {}).get(name, {})}
        row.setdefault("title", f"Title of {name}")
        row.setdefault("description", f"What {name} shows & why <it> matters.")
        lines.append("[[clip]]")
        lines += [f"{k} = {toml_value(v)}" for k, v in row.items()]
        lines.append("")
    (scenes / "catalog.toml").write_text("\n".join(lines), encoding="utf-8")


def make_project(root: Path, names: list[str]) -> Path:
    scenes = root / "scenes"
    scenes.mkdir(parents=True)
    for f in TEST_SCENES.glob("*.py"):
        shutil.copy(f, scenes / f.name)
    write_catalog(scenes, names)
    return root


def request(root: Path, *, names: tuple[str, ...] = (), jobs: int = 1, force: bool = False,
            quality: Quality = TINY) -> run.Request:  # fmt: skip
    return run.Request(
        scenes_dir=root / "scenes", renders_dir=root / "renders", cache_dir=root / ".cache",
        quality=quality, names=names, jobs=jobs, force=force,
    )  # fmt: skip


def render(root: Path, **kw: Any) -> tuple[int, str]:
    out = io.StringIO()
    code = run.render(request(root, **kw), stream=out)
    return code, out.getvalue()


def out_dir(root: Path) -> Path:
    return TINY.out_dir(root / "renders")


def manifest(root: Path) -> dict[str, Any]:
    return json.loads((out_dir(root) / "manifest.json").read_text())


def statuses(log: str) -> dict[str, str]:
    """clip → status from the summary table at the end of a run's output."""
    table = log.split("------")[-1].strip().splitlines()[:-1]
    found = {}
    for line in table:
        name, rest = line.split(None, 1)
        found[name] = "up to date" if rest.startswith("up to date") else rest.split()[0]
    return found


def decode(path: Path) -> tuple[dict[str, Any], np.ndarray]:
    """Metadata and all frames (N, H, W, 3) of a video, through the bundled ffmpeg."""
    import imageio_ffmpeg

    gen = imageio_ffmpeg.read_frames(str(path))
    meta = next(gen)
    w, h = meta["size"]
    frames = np.stack([np.frombuffer(f, np.uint8).reshape(h, w, 3) for f in gen])
    return meta, frames
