"""Progress of a render run: a live display on a terminal, log lines otherwise (CI, pipes)."""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from typing import Any, TextIO

LOG_INTERVAL = 10.0  # seconds between progress lines per clip in log mode


@dataclass
class Outcome:
    name: str
    status: str  # "rendered" | "up to date" | "failed"
    detail: str = ""


def wants_live(stream: TextIO) -> bool:
    """A live display only on an interactive terminal, and never under CI."""
    ci = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
    return stream.isatty() and not ci and os.environ.get("TERM") != "dumb"


def fmt_seconds(seconds: float) -> str:
    seconds = max(0.0, seconds)
    if seconds < 60:
        return f"{seconds:.1f} s"
    return f"{int(seconds // 60)} min {int(seconds % 60):02d} s"


@dataclass
class _Clock:
    started: float = field(default_factory=time.monotonic)
    frames: int = 0
    total: int | None = None
    last_log: float = 0.0

    def eta(self) -> float | None:
        if not self.total or not self.frames:
            return None
        elapsed = time.monotonic() - self.started
        return elapsed * max(0, self.total - self.frames) / self.frames


class LogReporter:
    """Plain lines: start, a progress line every ``LOG_INTERVAL`` s, end of each clip."""

    def __init__(self, stream: TextIO = sys.stdout) -> None:
        self.out = stream
        self.clocks: dict[str, _Clock] = {}

    def __enter__(self) -> LogReporter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.out.flush()

    def line(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def start(self, name: str, total: int | None, why: str) -> None:
        self.clocks[name] = _Clock(total=total, last_log=time.monotonic())
        self.line(f"{name}: rendering ({why})")

    def progress(self, name: str, frames: int, total: int | None) -> None:
        clock = self.clocks[name]
        clock.frames, clock.total = frames, total or clock.total
        now = time.monotonic()
        if now - clock.last_log >= LOG_INTERVAL:
            clock.last_log = now
            of = f"/{clock.total}" if clock.total else ""
            eta = clock.eta()
            tail = f", ETA {fmt_seconds(eta)}" if eta is not None else ""
            self.line(f"{name}: {frames}{of} frames, {fmt_seconds(now - clock.started)} elapsed{tail}")

    def stage(self, name: str, stage: str) -> None:
        pass

    def finish(self, outcome: Outcome) -> None:
        self.line(f"{outcome.name}: {outcome.status}" + (f" — {outcome.detail}" if outcome.detail else ""))


class LiveReporter(LogReporter):
    """A rich progress bar per clip: frames done of total, elapsed, ETA."""

    def __init__(self, stream: TextIO = sys.stdout) -> None:
        super().__init__(stream)
        from rich.console import Console
        from rich.progress import (
            BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
            TimeRemainingColumn,
        )  # fmt: skip

        self.console = Console(file=stream)
        self.bars = Progress(
            TextColumn("{task.description:<28}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("frames"), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            TextColumn("{task.fields[stage]}"), console=self.console, transient=False,
        )  # fmt: skip
        self.tasks: dict[str, Any] = {}
        self.frames: dict[str, int] = {}

    def __enter__(self) -> LiveReporter:
        self.bars.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bars.stop()

    def line(self, text: str) -> None:
        self.bars.console.print(text, highlight=False, markup=False)

    def start(self, name: str, total: int | None, why: str) -> None:
        self.tasks[name] = self.bars.add_task(name, total=total, stage=f"({why})")

    def progress(self, name: str, frames: int, total: int | None) -> None:
        self.frames[name] = frames
        if total:
            self.bars.update(self.tasks[name], completed=frames, total=max(total, frames))
        else:
            self.bars.update(self.tasks[name], completed=frames)

    def stage(self, name: str, stage: str) -> None:
        self.bars.update(self.tasks[name], stage=stage)

    def finish(self, outcome: Outcome) -> None:
        task = self.tasks.get(outcome.name)
        if task is not None:
            done = max(1, self.frames.get(outcome.name, 0))
            self.bars.update(task, total=done, completed=done, stage=outcome.status)
        if outcome.status == "failed":
            self.line(f"{outcome.name}: failed — {outcome.detail}")


def summary(outcomes: list[Outcome]) -> str:
    """The end-of-run table: every selected clip with its status and one-line detail."""
    width = max([len(o.name) for o in outcomes] + [4])
    lines = [f"{'clip':<{width}}  {'status':<10}  detail", f"{'-' * width}  {'-' * 10}  {'-' * 6}"]
    lines += [f"{o.name:<{width}}  {o.status:<10}  {o.detail}" for o in outcomes]
    counts = {s: sum(o.status == s for o in outcomes) for s in ("rendered", "up to date", "failed")}
    lines.append(", ".join(f"{n} {s}" for s, n in counts.items()))
    return "\n".join(lines)
