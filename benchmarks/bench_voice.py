"""What narration costs: voice synthesis time per second of speech, per voice.

Synthesises real narration lines from the shipped strings tables (the first ``--lines`` of
each language, in table order) into a private, empty cache, ``--runs`` times (each run with a
fresh cache, so nothing is a cache hit), and prints the median wall and CPU seconds per
second of speech produced (the real-time factor; below 1 means faster than speaking), and
the one-off cost of loading the voice in a fresh process (each clip renders in one). The
cache hit (the same lines again, as every re-render does) is measured in the same run as the
baseline. Child processes (espeak-ng) count in CPU time.

Usage (``make bench`` runs the defaults):
    .venv/bin/python benchmarks/bench_voice.py [--lines 12] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gdengine.strings import StringsTable  # noqa: E402
from gdengine.voice import lines as voice_lines  # noqa: E402
from gdengine.voice.voices import DEFAULT_VOICE, voice_for  # noqa: E402


def narration_lines(language: str, count: int) -> list[str]:
    """The first ``count`` narration lines of ``language`` with no placeholders left."""
    out: list[str] = []
    for path in sorted((ROOT / "scenes" / "strings").glob("*.toml")):
        table = StringsTable.load(path)
        for lines in table.narrations.get(language, {}).values():
            out += [x for x in lines if "{" not in x]
    return out[:count]


def cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def synthesize(texts: list[str], voice, cache: Path) -> tuple[float, float, float]:
    """(wall s, CPU s, seconds of speech) to synthesise ``texts`` into ``cache``."""
    voice_lines.configure(cache_dir=cache)
    wall, c = time.perf_counter(), cpu()
    speech = sum(voice_lines.synthesized(t, voice).seconds for t in texts)
    return time.perf_counter() - wall, cpu() - c, speech


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=12)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"{'voice':<14} {'load s':>7} {'lines':>5} {'speech s':>9} {'wall s/speech s':>16} {'CPU s/speech s':>15} "
          f"{'cache hit ms/line':>18}")
    for language, name in DEFAULT_VOICE.items():
        voice = voice_for(language, name)
        texts = narration_lines(language, args.lines)
        with tempfile.TemporaryDirectory() as tmp:  # the first line of a process loads the voice
            load = synthesize(texts[:1], voice, Path(tmp))[0] - synthesize(texts[:1], voice, Path(tmp) / "again")[0]
        cold, hot = [], []
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as tmp:
                cold.append(synthesize(texts, voice, Path(tmp)))
                hot.append(synthesize(texts, voice, Path(tmp)))
        speech = cold[0][2]
        wall = statistics.median(w for w, _, _ in cold) / speech
        cpu_rate = statistics.median(c for _, c, _ in cold) / speech
        hit = statistics.median(w for w, _, _ in hot) / len(texts) * 1000
        print(f"{name + ' (' + language + ')':<14} {load:>7.2f} {len(texts):>5} {speech:>9.1f} {wall:>16.3f} {cpu_rate:>15.3f} "
              f"{hit:>18.2f}")


if __name__ == "__main__":
    main()
