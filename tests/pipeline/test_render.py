"""End to end: tiny clips rendered into a temporary project, then checked file by file."""

from __future__ import annotations

import re
import resource
import struct
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from gdengine.pipeline.manifest import file_sha256

from .helpers import TINY, decode, make_project, manifest, out_dir, render, statuses, write_catalog

pytestmark = pytest.mark.slow
ALL = ["moving_dot", "moving_dot_default", "sweep", "broken", "bad_param", "ghost"]
GOOD = ["moving_dot", "moving_dot_default", "sweep"]


@pytest.fixture(scope="module")
def gallery(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("gallery"), ALL)
    code, log = render(root, jobs=2)
    return root, code, log


def test_failures_are_isolated_and_reported(gallery):
    root, code, log = gallery
    assert code == 1
    assert statuses(log) == {
        "moving_dot": "rendered", "moving_dot_default": "rendered", "sweep": "rendered",
        "broken": "failed", "bad_param": "failed", "ghost": "failed",
    }  # fmt: skip
    assert "RuntimeError: boom at beat 2" in log
    assert "unknown parameter(s) secnds" in log and "seconds" in log
    assert "ghost.py does not exist" in log
    assert [c["name"] for c in manifest(root)["clips"]] == GOOD  # catalog order, good ones only
    names = {p.name for p in out_dir(root).iterdir()}
    assert not any(n.startswith(("broken", "bad_param", "ghost", ".work-")) for n in names)


def test_mp4_is_web_ready_h264_with_expected_frames(gallery):
    root, _, _ = gallery
    for name, seconds in (("moving_dot", 0.6 + 0.4), ("moving_dot_default", 1.0 + 0.4), ("sweep", 0.8)):
        path = out_dir(root) / f"{name}.mp4"
        meta, frames = decode(path)
        assert meta["codec"] == "h264" and meta["pix_fmt"].startswith("yuv420p")
        assert tuple(meta["size"]) == (TINY.width, TINY.height)
        assert meta["fps"] == TINY.fps
        assert abs(len(frames) - seconds * TINY.fps) <= 1
        assert frames.reshape(len(frames), -1).std(axis=1).min() > 5  # not blank
        assert np.abs(frames[1:].astype(int) - frames[:-1]).mean(axis=(1, 2, 3)).max() > 1  # moves
        data = path.read_bytes()
        assert data.index(b"moov") < data.index(b"mdat")  # +faststart


def test_dot_moves_left_to_right(gallery):
    root, _, _ = gallery
    _, frames = decode(out_dir(root) / "moving_dot.mp4")
    centroid = [np.argwhere(f.min(axis=2) > 200)[:, 1].mean() for f in frames[:3]]
    assert centroid[0] < TINY.width / 3 and centroid[0] < centroid[1] < centroid[2]


def test_gif_is_small_looping_animation(gallery):
    root, _, _ = gallery
    with Image.open(out_dir(root) / "moving_dot.gif") as gif:
        assert gif.n_frames > 5 and gif.info.get("loop") == 0
        assert gif.size == (TINY.width, TINY.height)


def test_poster_is_the_marked_frame(gallery):
    root, _, _ = gallery
    red = np.asarray(Image.open(out_dir(root) / "moving_dot.png").convert("RGB")).astype(int)
    assert red.shape == (TINY.height, TINY.width, 3)
    assert red[..., 0].mean() > 150 and red[..., 1].mean() < 120  # the red full-frame square
    sweep = np.asarray(Image.open(out_dir(root) / "sweep.png").convert("RGB"))
    bar = np.flatnonzero(sweep.min(axis=(0, 2)) == 255)
    assert abs(bar.mean() - TINY.width / 2) < 0.1 * TINY.width  # the middle frame


def test_manifest_records_files_params_and_versions(gallery):
    import gdengine

    root, _, _ = gallery
    doc = manifest(root)
    assert doc["engine_version"] == gdengine.__version__
    by = {c["name"]: c for c in doc["clips"]}
    dot = by["moving_dot"]
    assert dot["params"] == {"seconds": 0.6}
    assert by["sweep"]["params"] == {"seconds": 0.8, "delay": 0.0}  # defaults filled in
    assert dot["source"] == "scenes/moving_dot.py" and dot["quality"] == "tiny"
    assert dot["title"] == "Title of moving_dot"
    assert abs(dot["duration"] - dot["frames"] / TINY.fps) < 1e-9
    for clip in by.values():
        for record in clip["files"].values():
            path = out_dir(root) / record["file"]
            assert record["bytes"] == path.stat().st_size and record["sha256"] == file_sha256(path)


def test_gallery_page_lists_every_clip(gallery):
    root, _, _ = gallery
    html = (out_dir(root) / "index.html").read_text()
    for name in GOOD:
        assert re.search(rf'<source src="{name}\.mp4\?v=[0-9a-f]{{12}}" type="video/mp4">', html)
        assert f'href="{name}.gif?v=' in html and f'poster="{name}.png?v=' in html
    assert "What moving_dot shows &amp; why &lt;it&gt; matters." in html  # escaped
    assert "Duration 1.0 s" in html and "<th>seconds</th><td><code>0.6</code>" in html


# --- incremental -------------------------------------------------------------------------
@pytest.fixture
def fresh(tmp_path):
    root = make_project(tmp_path, GOOD)
    code, _ = render(root)
    assert code == 0
    return root


def test_second_run_is_a_fast_noop_without_manim(fresh):
    before = {p.name: p.stat().st_mtime_ns for p in out_dir(fresh).iterdir()}
    script = (
        "import sys, time; t = time.monotonic()\n"
        "from gdengine.pipeline import run\n"
        "from tests.pipeline.helpers import request\n"
        f"code = run.render(request(__import__('pathlib').Path({str(fresh)!r})))\n"
        "heavy = [m for m in ('manim', 'pyvista', 'vtk', 'torch') if m in sys.modules]\n"
        "print('RESULT', code, heavy, file=sys.stderr)\n"
    )
    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    wall = time.monotonic() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    code, heavy = out.stderr.split("RESULT")[1].split(maxsplit=1)
    assert code == "0" and heavy.strip() == "[]"
    # The budget is 2 s wall on an idle 2-core box; CPU time is what we control and does not
    # depend on how busy the shared test machine is, so it gets the strict bound.
    assert cpu < 1.5, f"no-op run used {cpu:.2f} s of CPU"
    assert wall < 6.0, f"no-op run took {wall:.2f} s"
    assert statuses(out.stdout) == dict.fromkeys(GOOD, "up to date"), out.stdout
    assert {p.name: p.stat().st_mtime_ns for p in out_dir(fresh).iterdir()} == before


def test_only_what_changed_is_rebuilt(fresh):
    (fresh / "scenes" / "sweep.py").write_text((fresh / "scenes" / "sweep.py").read_text() + "\n# edit\n")
    _, log = render(fresh)
    assert statuses(log) == {"moving_dot": "up to date", "moving_dot_default": "up to date", "sweep": "rendered"}
    assert "sweep: rendering (source changed)" in log

    write_catalog(fresh / "scenes", GOOD, {"moving_dot": {"params": {"seconds": 0.3}}})
    _, log = render(fresh)
    assert statuses(log)["moving_dot"] == "rendered" and "params changed" in log
    assert statuses(log)["moving_dot_default"] == "up to date"
    assert manifest(fresh)["clips"][0]["frames"] == round((0.3 + 0.4) * TINY.fps)


def test_damaged_or_missing_output_is_repaired(fresh):
    gif = out_dir(fresh) / "sweep.gif"
    gif.write_bytes(gif.read_bytes()[:100])  # truncated by hand
    (out_dir(fresh) / "moving_dot.png").unlink()
    _, log = render(fresh)
    assert statuses(log) == {"moving_dot": "rendered", "moving_dot_default": "up to date", "sweep": "rendered"}
    assert "output files missing or changed" in log
    assert manifest(fresh)["clips"][2]["files"]["gif"]["sha256"] == file_sha256(gif)


def test_same_inputs_give_byte_identical_files(fresh):
    before = {c["name"]: c["files"] for c in manifest(fresh)["clips"]}
    code, log = render(fresh, force=True)
    assert code == 0 and statuses(log) == dict.fromkeys(GOOD, "rendered")
    after = {c["name"]: c["files"] for c in manifest(fresh)["clips"]}
    assert after == before


def test_quality_folders_are_separate(fresh):
    from gdengine.pipeline.quality import Quality

    other = Quality("tiny2", 256, 144, 5)
    code, _ = render(fresh, quality=other, names=("sweep",))
    assert code == 0
    small = fresh / "renders" / "tiny2"
    assert (small / "sweep.mp4").is_file() and (small / "manifest.json").is_file()
    _, log = render(fresh)  # the first quality is untouched and still up to date
    assert set(statuses(log).values()) == {"up to date"}


def _mp4_boxes(data: bytes) -> list[bytes]:
    boxes, pos = [], 0
    while pos + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[pos : pos + 8])
        boxes.append(kind)
        pos += size if size else len(data)
    return boxes


def test_published_files_are_complete(fresh):
    for clip in manifest(fresh)["clips"]:
        data = (out_dir(fresh) / clip["files"]["mp4"]["file"]).read_bytes()
        assert _mp4_boxes(data)[:3] == [b"ftyp", b"moov", b"mdat"] or _mp4_boxes(data)[1] == b"moov"


def test_clip_dropped_from_the_catalog_is_removed(fresh):
    write_catalog(fresh / "scenes", ["moving_dot", "sweep"])
    code, log = render(fresh)
    assert code == 0 and "moving_dot_default: removed (no longer in the catalog)" in log
    assert not list(out_dir(fresh).glob("moving_dot_default.*"))
    assert [c["name"] for c in manifest(fresh)["clips"]] == ["moving_dot", "sweep"]
    assert "moving_dot_default" not in (out_dir(fresh) / "index.html").read_text()


def test_text_copies_share_parsed_svg_paths_and_render_identically(tmp_path):
    """The capture's copy speed-up: glyph copies share their parsed path, pixels unchanged."""
    script = (
        "import sys, numpy as np\n"
        "from manim import Text, Scene, Transform\n"
        "from gdengine.pipeline import capture\n"
        "from gdengine.pipeline.memory import MemorySink\n"
        "capture.configure(width=320, height=180, fps=5, cache_dir=__import__('pathlib').Path(sys.argv[2]))\n"
        "if sys.argv[1] == 'manim':\n"
        "    import svgelements; del svgelements.Path.__deepcopy__\n"
        "class T(Scene):\n"
        "    def construct(self):\n"
        "        a = Text('x = 1.8 and 0.36'); self.add(a)\n"
        "        self.play(Transform(a, Text('step 27, x = 0.00435').shift([0, -1, 0])), run_time=1)\n"
        "        c = a.copy()\n"
        "        g = [m for m in a.get_family() if hasattr(m, 'path_obj')]\n"
        "        shared = all(x.path_obj is y.path_obj for x, y in zip(g, [m for m in c.get_family() if hasattr(m, 'path_obj')]))\n"
        "        print('SHARED', shared, file=sys.stderr)\n"
        "rec = MemorySink(); capture.render_scene(T, rec)\n"
        "np.save(sys.argv[3], np.stack(rec.frames))\n"
    )
    runs = {}
    for mode in ("manim", "shared"):
        out = tmp_path / f"{mode}.npy"
        result = subprocess.run(
            [sys.executable, "-c", script, mode, str(tmp_path / "cache"), str(out)],
            cwd=Path(__file__).resolve().parents[2], capture_output=True, text=True, check=True,
        )  # fmt: skip
        runs[mode] = (np.load(out), "SHARED True" in result.stderr)
    assert runs["shared"][1] and not runs["manim"][1]
    assert runs["manim"][0].shape == runs["shared"][0].shape
    assert np.array_equal(runs["manim"][0], runs["shared"][0])
