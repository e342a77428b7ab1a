"""``gdengine lint``: run clips for the layout linter alone and print its findings.

Each clip runs in its own worker process (``worker --lint``: no encoder, no pixels drawn
where the renderer can skip them), two at a time. One line per finding; exit 0 when clean,
1 when there are findings, 2 on bad input or when a scene itself fails.
"""

from __future__ import annotations

import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TextIO

from gdengine.errors import GdengineError
from gdengine.pipeline import catalog
from gdengine.pipeline.quality import quality
from gdengine.pipeline.run import default_jobs, run_worker_process


def lint_catalog(names: list[str], quality_name: str, scenes_dir: Path, cache_dir: Path,
                 stream: TextIO | None = None) -> int:  # fmt: skip
    stream = sys.stdout if stream is None else stream  # the current stdout, not the one at import
    q = quality(quality_name)
    clips = catalog.select(catalog.load(scenes_dir), names)
    bad = [c for c in clips if c.problem]
    for clip in bad:
        print(f"{clip.name}: error: {clip.problem}", file=stream)
    languages = catalog.languages(scenes_dir)
    jobs = [
        {**_job(catalog.unit_name(c.name, lang, languages), scenes_dir / c.file, c.entry, c.kind, c.params, q, cache_dir),
         "clip": c.name, "language": lang,
         "recordings": str(scenes_dir.resolve().parent / "voice" / c.name / lang)}
        for c in clips if not c.problem for lang in languages
    ]  # fmt: skip
    code = _run(jobs, stream)
    return 2 if bad else code


def lint_file(path: str, entry: str, quality_name: str, cache_dir: Path, stream: TextIO | None = None) -> int:
    stream = sys.stdout if stream is None else stream
    q = quality(quality_name)
    file = Path(path)
    if not file.is_file() or file.suffix != ".py":
        raise GdengineError(f"{path}: no such scene file; give a .py file and an entry: gdengine lint FILE.py ENTRY")
    kind = catalog.entry_kind(file, entry)
    if kind not in ("manim", "pyvista"):
        raise GdengineError(f"{path}: {kind}")
    return _run([_job(entry, file, entry, kind, {}, q, cache_dir)], stream)


def _job(name: str, file: Path, entry: str, kind: str | None, params: dict[str, Any], q: Any, cache_dir: Path) -> dict[str, Any]:
    return {
        "name": name, "file": str(file.resolve()), "entry": entry, "kind": kind, "params": params,
        "quality": q.as_dict(), "cache_dir": str((cache_dir / "manim").resolve()),
    }  # fmt: skip


def _lint_one(job: dict[str, Any]) -> dict[str, Any]:
    """One clip in a ``worker --lint`` process; its final event (the log is temporary, so a
    failure's reason does not point at it)."""
    with tempfile.TemporaryDirectory(prefix="gdengine-lint-") as tmp:
        return run_worker_process(job, Path(tmp) / "worker.log", put=lambda event: None, lint=True,
                                  cite_log=False)


def _run(jobs: list[dict[str, Any]], stream: TextIO) -> int:
    failed = found = 0
    # as many at once as ``make render`` runs: manim's Text glyph cache is shared by every
    # process, and two processes building the same glyph file at once can read it half-written
    with ThreadPoolExecutor(max_workers=max(1, min(len(jobs), default_jobs()))) as pool:
        for job, result in zip(jobs, pool.map(_lint_one, jobs)):
            if result["event"] == "failed":
                print(f"{job['name']}: error: {result['reason']}", file=stream, flush=True)
                failed += 1
                continue
            for line in result["findings"]:
                print(line, file=stream, flush=True)
            found += len(result["findings"])
    if failed:
        return 2
    return 1 if found else 0
