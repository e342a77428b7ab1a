"""Interruptions and bad input: nothing truncated is ever published, the next run repairs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gdengine.errors import GdengineError
from gdengine.pipeline.manifest import file_sha256

from .helpers import HERE, make_project, manifest, out_dir, render, statuses, write_catalog

pytestmark = pytest.mark.slow
ROOT = HERE.parents[1]

RUNNER = """
import sys
from pathlib import Path
from gdengine.pipeline import run
from tests.pipeline.helpers import request
try:
    sys.exit(run.render(request(Path(sys.argv[1]))))
except KeyboardInterrupt:
    sys.exit(130)
"""


@pytest.fixture
def slow_sweep(tmp_path):
    """A published sweep clip, then its catalog changed so the next render is slow (3 s)."""
    root = make_project(tmp_path, ["sweep"])
    assert render(root)[0] == 0
    write_catalog(root / "scenes", ["sweep"], {"sweep": {"params": {"seconds": 3.0, "delay": 0.1}}})
    return root


def _start(root: Path) -> subprocess.Popen[str]:
    """The render as a terminal starts it: its own process group, and SIGINT deliverable (a
    test suite started in the background inherits SIGINT ignored, and then only ffmpeg, which
    installs its own handler, would hear the Ctrl-C)."""
    return subprocess.Popen(
        [sys.executable, "-c", RUNNER, str(root)], cwd=ROOT, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip


def _wait_for_frames(root: Path, timeout: float = 30.0) -> Path:
    """Block until the worker has encoded some frames; return its work folder."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for work in out_dir(root).glob(".work-sweep-*"):
            master = work / "gif_master.mov"
            if master.is_file() and master.stat().st_size > 0:
                return work
        time.sleep(0.05)
    raise AssertionError("the render never started writing frames")


def _processes_mentioning(text: str) -> list[int]:
    pids = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and text in (proc / "cmdline").read_bytes().decode(errors="replace"):
                pids.append(int(proc.name))
        except OSError:
            pass
    return pids


def _published(root: Path) -> dict[str, str]:
    return {p.name: file_sha256(p) for p in out_dir(root).glob("sweep.*")}


@pytest.mark.parametrize("how", ["kill -9", "ctrl-c"])
def test_interrupted_render_keeps_old_files_and_next_run_repairs(slow_sweep, how):
    root = slow_sweep
    before, old_manifest = _published(root), manifest(root)
    proc = _start(root)
    work = _wait_for_frames(root)
    if how == "kill -9":
        proc.kill()  # the runner only; its worker and ffmpeg must die with it
    else:
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    code = proc.wait(timeout=30)
    assert code == (-signal.SIGKILL if how == "kill -9" else 130)

    deadline = time.monotonic() + 10
    while _processes_mentioning(str(out_dir(root))) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _processes_mentioning(str(out_dir(root))) == [], "a worker outlived the run"
    assert _published(root) == before  # the old clip, intact, under its published names
    assert manifest(root) == old_manifest
    if how == "ctrl-c":
        assert not work.exists()  # cleaned up on the way out

    code, log = render(root)  # the next run repairs: renders the new version, clears leftovers
    assert code == 0 and statuses(log) == {"sweep": "rendered"}
    assert manifest(root)["clips"][0]["frames"] == 30
    assert not list(out_dir(root).glob(".work-*")) and not list(out_dir(root).glob(".*.tmp-*"))


def test_sigterm_mid_clip_leaves_no_work_folder(slow_sweep):
    """``timeout`` or a CI cancel signals the whole process group with SIGTERM: the run
    cleans up as for Ctrl-C (exit 130, no ``.work-*`` folder, the old clip intact)."""
    root = slow_sweep
    before = _published(root)
    proc = subprocess.Popen(
        [sys.executable, "-m", "gdengine", "render", "--scenes-dir", str(root / "scenes"),
         "--renders-dir", str(root / "renders"), "--cache-dir", str(root / ".cache"), "--quality", "preview"],
        cwd=ROOT, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    renders = root / "renders" / "preview"
    while not list(renders.glob(".work-sweep-*/gif_master.mov")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(renders.glob(".work-sweep-*")), "the render never started"
    os.killpg(proc.pid, signal.SIGTERM)
    assert proc.wait(timeout=30) == 130
    assert not list(renders.glob(".work-*"))
    assert _published(root) == before


@pytest.mark.parametrize("damage", ["corrupt", "deleted"])
def test_damaged_manifest_is_rebuilt_from_records_without_rerendering(tmp_path, damage):
    root = make_project(tmp_path, ["moving_dot", "sweep"])
    assert render(root)[0] == 0
    published, old = _published(root), manifest(root)
    path = out_dir(root) / "manifest.json"
    if damage == "corrupt":
        path.write_text('{"format": 1, "clips": [', encoding="utf-8")
    else:
        path.unlink()
    code, log = render(root)
    assert code == 0 and statuses(log) == {"moving_dot": "up to date", "sweep": "up to date"}
    assert manifest(root) == old and _published(root) == published
    assert "moving_dot" in (out_dir(root) / "index.html").read_text(encoding="utf-8")


def _cli(*args: str, renders: Path, scenes: Path) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "gdengine", "render", "--scenes-dir", str(scenes),
           "--renders-dir", str(renders), "--cache-dir", str(renders.parent / ".cache"), *args]  # fmt: skip
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--quality", "ultra"], "unknown quality 'ultra'; valid qualities: preview, hd, full, 4k"),
        (["--scenes", "sweep nope"], "unknown scene(s) nope; valid: moving_dot, moving_dot_default, sweep"),
        (["--jobs", "0"], "--jobs must be 1 or more, got 0"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_touches_nothing(tmp_path, args, expected):
    root = make_project(tmp_path, ["moving_dot", "moving_dot_default", "sweep"])
    result = _cli(*args, renders=root / "renders", scenes=root / "scenes")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"gdengine: error: {expected}"]
    assert not (root / "renders").exists() and not (root / ".cache").exists()


def test_missing_catalog_is_one_line(tmp_path):
    result = _cli(renders=tmp_path / "renders", scenes=tmp_path / "scenes")
    assert result.returncode == 2 and "no clip catalog" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_second_concurrent_run_is_refused(slow_sweep):
    proc = _start(slow_sweep)
    try:
        _wait_for_frames(slow_sweep)
        with pytest.raises(GdengineError, match="another render is running"):
            render(slow_sweep)
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=30)
