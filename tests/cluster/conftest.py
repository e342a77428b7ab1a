"""A Dask scheduler and workers on loopback, started as a user would (separate processes)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


class Loopback:
    """A scheduler on 127.0.0.1 and the worker processes added to it."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        tmp.mkdir(parents=True, exist_ok=True)
        self.procs: list[subprocess.Popen[bytes]] = []
        file = tmp / "scheduler.json"
        self.scheduler = self._spawn(
            ["-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0",
             "--no-dashboard", "--scheduler-file", str(file)], "scheduler")  # fmt: skip
        deadline = time.monotonic() + 60
        while not (file.is_file() and file.stat().st_size):
            assert time.monotonic() < deadline, "the scheduler did not start"
            time.sleep(0.1)
        self.address = json.loads(file.read_text())["address"]

    def add_worker(self, name: str, pythonpath: Path | None = None) -> subprocess.Popen[bytes]:
        """One worker process (one thread, no nanny: killing it removes it for good)."""
        env = {"PYTHONPATH": str(pythonpath)} if pythonpath else {}
        return self._spawn(["-m", "distributed.cli.dask_worker", self.address, "--nthreads", "1",
                            "--no-nanny", "--no-dashboard", "--name", name], name, env)  # fmt: skip

    def wait_for_workers(self, n: int) -> None:
        from distributed import Client

        with Client(self.address, timeout=30) as client:
            client.wait_for_workers(n, timeout=60)

    def _spawn(self, args: list[str], name: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        log = (self.tmp / f"{name}.log").open("wb")
        proc = subprocess.Popen([sys.executable, *args], cwd=self.tmp, stdout=log, stderr=log,
                                env={**os.environ, **(env or {})}, start_new_session=True)  # fmt: skip
        self.procs.append(proc)
        return proc

    def close(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.kill()
            proc.wait()


@pytest.fixture
def loopback(tmp_path):
    cluster = Loopback(tmp_path / "cluster")
    yield cluster
    cluster.close()
