"""``gdengine slides``: the command behind ``make slides``."""

from __future__ import annotations

import argparse


def add_commands(subparsers) -> None:
    from gdengine.pipeline.quality import DEFAULT_QUALITY, QUALITIES

    p = subparsers.add_parser(
        "slides", help="presenter decks: each rendered clip as reveal.js slides, one per beat",
        description="Write renders/slides/<name>.html (renders/<Q>/slides/ for other qualities; "
        "<name>.<lang>.html past the first language): each rendered clip cut at its recorded beat "
        "times, one slide per beat with its narration and subtitles, playable from disk. "
        "Unchanged clips keep their decks. Exit 2 when a clip is not rendered at that quality.")
    p.add_argument("--scenes", action="append", metavar="NAMES", help="clip names or scene-file stems (default: all)")
    p.add_argument("--lang", default=None, help="only this language (default: every catalog language)")
    p.add_argument("--quality", default=DEFAULT_QUALITY, metavar="Q", help=f"one of {', '.join(QUALITIES)} (default {DEFAULT_QUALITY})")
    p.add_argument("--scenes-dir", default="scenes", help=argparse.SUPPRESS)
    p.add_argument("--renders-dir", default="renders", help=argparse.SUPPRESS)
    p.set_defaults(func=_slides)


def _slides(args: argparse.Namespace) -> int:
    from pathlib import Path

    from gdengine.pipeline.quality import quality
    from gdengine.slides import build

    names = [n for s in args.scenes or [] for n in s.replace(",", " ").split()]
    return build.write_decks(names, quality(args.quality), Path(args.scenes_dir), Path(args.renders_dir),
                             language=args.lang)
