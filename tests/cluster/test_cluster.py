"""Rendering on a Dask cluster over loopback: the same files as a local render, a worker
killed mid-clip, an unreachable scheduler, a worker running other code."""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import Future
from pathlib import Path

import pytest

from gdengine.cluster import tasks
from gdengine.cluster.client import ClusterRunner, connect
from gdengine.pipeline import run
from gdengine.pipeline.manifest import file_sha256
from gdengine.pipeline.quality import Quality

from tests.pipeline.helpers import decode, make_project, manifest, out_dir, request, statuses, write_catalog

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
NARRATED = ROOT / "tests" / "voice" / "scenes"
TINY = Quality("tiny", 320, 180, 10)
UNITS = ["moving_dot", "sweep", "beats"]


def published(folder: Path) -> dict[str, str]:
    return {p.name: file_sha256(p) for p in sorted(folder.iterdir())
            if p.is_file() and p.suffix in (".mp4", ".gif", ".png", ".vtt", ".srt")}  # fmt: skip


def render_with(req: run.Request, runner) -> tuple[int, str]:
    out = io.StringIO()
    return run.render(req, out, runner=runner), out.getvalue()


def render_on(address: str, req: run.Request) -> tuple[int, str]:
    with connect(address) as client:
        return render_with(req, ClusterRunner(client, req))


def narrated_request(root: Path) -> run.Request:
    shutil.copytree(NARRATED, root / "scenes")
    return run.Request(scenes_dir=root / "scenes", renders_dir=root / "renders",
                       cache_dir=root / ".cache", quality=TINY)  # fmt: skip


class InlineClient:
    """A stand-in for ``distributed.Client`` that runs each task here, recording payloads."""

    def __init__(self) -> None:
        self.payloads: list[dict] = []

    def submit(self, fn, payload, **kw):
        self.payloads.append(payload)
        future: Future = Future()
        try:
            future.set_result(fn(payload))
        except BaseException as err:  # noqa: BLE001
            future.set_exception(err)
        return future


def test_narrated_units_ship_their_voice_lines_and_publish_the_same_bytes(tmp_path):
    """Each task carries the scene's files and the lines the client synthesised, so the
    worker never synthesises; what comes back is byte for byte the local render."""
    local = narrated_request(tmp_path / "local")
    assert render_with(local, None)[0] == 0
    remote = narrated_request(tmp_path / "remote")
    client = InlineClient()
    code, log = render_with(remote, ClusterRunner(client, remote))
    assert code == 0, log
    assert published(TINY.out_dir(remote.renders_dir)) == published(TINY.out_dir(local.renders_dir))
    by_unit = {p["spec"]["name"]: p for p in client.payloads}
    assert set(by_unit) == {"narrated", "narrated.zh"}
    for unit, payload in by_unit.items():
        assert set(payload["scene_files"]) >= {"narrated.py", "strings/narrated.toml"}
        doc = json.loads((TINY.out_dir(remote.renders_dir) / "manifest.json").read_text())
        entry = next(c for c in doc["clips"] if c["unit"] == unit)
        assert len(payload["voice_lines"]) == len(entry["lines"]) >= 2  # one WAV per spoken line
        assert all(data[:4] == b"RIFF" for data in payload["voice_lines"].values())
    # nothing left behind in the output folder: no work folders, no temporary files
    assert not [p for p in TINY.out_dir(remote.renders_dir).iterdir() if p.name.startswith(".work-")]


def test_a_task_refuses_a_worker_running_other_code(tmp_path):
    root = make_project(tmp_path, ["sweep"])
    req = request(root)
    client = InlineClient()
    runner = ClusterRunner(client, req)
    runner._identity = {**runner._identity, "gdengine code": "0" * 32}
    code, log = render_with(req, runner)
    assert code == 1
    assert "runs different code from the client (gdengine code differ)" in log
    assert not list(out_dir(root).glob("sweep.*"))


def test_units_render_on_two_workers_like_a_local_render(tmp_path, loopback):
    """A Manim clip as one task, a 3-D-protocol clip split in frame ranges: the files are the
    local render's, byte for byte (parts are closed GOPs joined without re-encoding)."""
    loopback.add_worker("w1")
    loopback.add_worker("w2")
    loopback.wait_for_workers(2)
    long_sweep = {"sweep": {"params": {"seconds": 24.5}}}  # 245 frames: three 10 s parts, three tasks
    local = make_project(tmp_path / "local", UNITS)
    write_catalog(local / "scenes", UNITS, long_sweep)
    assert render_with(request(local), None)[0] == 0
    remote = make_project(tmp_path / "remote", UNITS)
    write_catalog(remote / "scenes", UNITS, long_sweep)
    code, log = render_on(loopback.address, request(remote))
    assert "245 frames" in log and "(3 parts rendered apart, joined)" in log, log
    assert code == 0, log
    assert statuses(log) == dict.fromkeys(UNITS, "rendered")
    assert published(out_dir(remote)) == published(out_dir(local))
    strip = lambda c: {k: v for k, v in c.items() if k not in ("render_seconds", "cpu_seconds")}  # noqa: E731
    assert [strip(c) for c in manifest(remote)["clips"]] == [strip(c) for c in manifest(local)["clips"]]
    # a second run has nothing to do
    code, log = render_on(loopback.address, request(remote))
    assert statuses(log) == dict.fromkeys(UNITS, "up to date")


def test_a_worker_killed_mid_clip_reruns_its_task_on_the_other(tmp_path, loopback):
    from distributed import Client

    workers = [loopback.add_worker("w1"), loopback.add_worker("w2")]
    loopback.wait_for_workers(2)
    root = make_project(tmp_path, ["sweep", "beats"])
    write_catalog(root / "scenes", ["sweep", "beats"], {"sweep": {"params": {"seconds": 4.0, "delay": 0.1}}})
    result: dict = {}
    thread = threading.Thread(target=lambda: result.update(zip(("code", "log"), render_on(loopback.address, request(root)))))
    thread.start()
    with Client(loopback.address, timeout=30) as watcher:
        deadline = time.monotonic() + 60
        busy = None
        while busy is None:
            assert time.monotonic() < deadline, "the sweep task never started"
            busy = next((w for w, keys in watcher.processing().items() if any("render-sweep-" in k for k in keys)), None)
            time.sleep(0.05)
        pid = watcher.run(os.getpid, workers=[busy])[busy]
    time.sleep(1.5)  # the worker's render process is writing frames
    os.kill(pid, 9)
    thread.join(timeout=180)
    assert not thread.is_alive()
    assert result["code"] == 0, result["log"]
    assert sum(w.poll() is None for w in workers) == 1
    doc = manifest(root)
    assert [c["unit"] for c in doc["clips"]] == ["sweep", "beats"]
    sweep = doc["clips"][0]
    assert sweep["frames"] == 40
    assert len(decode(out_dir(root) / "sweep.mp4")[1]) == 40  # nothing truncated
    for record in sweep["files"].values():
        assert file_sha256(out_dir(root) / record["file"]) == record["sha256"]
    assert not [p for p in out_dir(root).iterdir() if p.name.startswith(".work-")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gdengine", "render", "--quality", "preview", *args,
         "--scenes-dir", str(root / "scenes"), "--renders-dir", str(root / "renders"), "--cache-dir", str(root / ".cache")],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_an_unreachable_scheduler_is_one_line_naming_it_and_exit_2(tmp_path):
    root = make_project(tmp_path, ["sweep"])
    address = f"tcp://127.0.0.1:{_free_port()}"
    result = _cli(root, "--scheduler", address)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and address in lines[0] and "make scheduler" in lines[0], result.stderr
    assert not (root / "renders").exists()


def test_a_worker_running_other_code_is_refused_in_one_line(tmp_path, loopback):
    other = tmp_path / "other"
    shutil.copytree(ROOT / "gdengine", other / "gdengine", ignore=shutil.ignore_patterns("__pycache__"))
    (other / "scenes" / "strings").mkdir(parents=True)
    shutil.copy(ROOT / "scenes" / "strings" / "optimizers.toml", other / "scenes" / "strings")
    edited = other / "gdengine" / "core" / "optimizers.py"
    edited.write_text(edited.read_text() + "\n# a worker one commit behind\n")
    loopback.add_worker("stale", pythonpath=other)
    loopback.wait_for_workers(1)
    root = make_project(tmp_path / "project", ["sweep"])
    result = _cli(root, "--scheduler", loopback.address)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "runs different code from this checkout (gdengine code differ)" in lines[0], result.stderr
    assert not (root / "renders").exists()


def test_gdengine_worker_joins_a_scheduler_and_renders(tmp_path, loopback):
    """What ``make worker SCHEDULER=...`` runs: worker processes that take units."""
    log = (tmp_path / "gdengine-worker.log").open("wb")
    worker = subprocess.Popen([sys.executable, "-m", "gdengine", "worker", "--scheduler", loopback.address, "--nworkers", "1"],
                              cwd=ROOT, stdout=log, stderr=log, start_new_session=True)  # fmt: skip
    loopback.procs.append(worker)
    loopback.wait_for_workers(1)
    root = make_project(tmp_path / "project", ["beats"])
    code, log_text = render_on(loopback.address, request(root))
    assert code == 0 and statuses(log_text) == {"beats": "rendered"}, log_text
    os.killpg(worker.pid, 9)


@pytest.mark.parametrize("address, says", [
    (None, "cannot reach the Dask scheduler at tcp://127.0.0.1:{port}"),
    ("somewhere", "is not tcp://HOST:PORT"),
])  # fmt: skip
def test_a_worker_for_no_scheduler_is_one_line(address, says):
    port = _free_port()
    address = address or f"tcp://127.0.0.1:{port}"
    result = subprocess.run([sys.executable, "-m", "gdengine", "worker", "--scheduler", address],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)  # fmt: skip
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2 and len(lines) == 1 and says.format(port=port) in lines[0], result.stderr
