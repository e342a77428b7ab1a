"""``gdengine render``, ``lint`` and ``sheet``: the commands behind ``make render`` and ``make sheets``."""

from __future__ import annotations

import argparse

from gdengine.pipeline.quality import DEFAULT_QUALITY, QUALITIES


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "render",
        help="render the clips of scenes/catalog.toml into renders/ (only what changed)",
        description="Render the gallery: MP4, GIF and poster per clip, manifest.json and "
        "index.html. Clips whose inputs did not change are skipped.",
    )
    p.add_argument(
        "--scenes", action="append", metavar="NAMES",
        help="clip names or scene-file stems, space or comma separated (default: all)",
    )  # fmt: skip
    p.add_argument(
        "--quality", default=DEFAULT_QUALITY, metavar="Q",
        help=f"one of {', '.join(QUALITIES)} (default {DEFAULT_QUALITY}; others write to renders/<Q>/)",
    )  # fmt: skip
    p.add_argument("--jobs", type=int, default=None, help="clips rendered at once on this machine (default: one per CPU core)")
    p.add_argument("--force", action="store_true", help="re-render even up-to-date clips")
    p.add_argument("--voice", default=None, metavar="V", help='narration voice for every clip: "none" renders silent clips (default: each clip\'s own, "auto")')
    p.add_argument("--scenes-dir", default="scenes", help=argparse.SUPPRESS)
    p.add_argument("--renders-dir", default="renders", help=argparse.SUPPRESS)
    p.add_argument("--cache-dir", default=".cache", help=argparse.SUPPRESS)
    p.set_defaults(func=_render)

    script = subparsers.add_parser(
        "script", help="print a clip's narration as a recording script (beat, lines, time)",
        description="The narration of one clip in one language, beat by beat, with the beat's "
        "length and the voice's length from the last render: what to record as "
        "voice/<clip>/<lang>/<beat>.wav.",
    )
    script.add_argument("clip", metavar="CLIP", help="a clip name from scenes/catalog.toml")
    script.add_argument("--lang", default=None, help="language code (default: the catalog's first)")
    script.add_argument("--quality", default=DEFAULT_QUALITY, metavar="Q", help=f"whose render to time (default {DEFAULT_QUALITY})")
    script.add_argument("--scenes-dir", default="scenes", help=argparse.SUPPRESS)
    script.add_argument("--renders-dir", default="renders", help=argparse.SUPPRESS)
    script.set_defaults(func=_script)

    lint = subparsers.add_parser(
        "lint",
        help="check clips' layout (overlap, offframe, tiny, two-captions, covers-data, empty, reading-time)",
        description="Run clips for the layout linter only (nothing encoded or written) and print "
        "one line per finding. Exit 0 clean, 1 findings, 2 bad input or a failing scene. "
        "Either catalog clips (--scenes) or one scene file: gdengine lint FILE.py ENTRY.",
    )
    lint.add_argument("target", nargs="*", metavar="FILE.py ENTRY", help="a scene file and its entry (instead of catalog clips)")
    lint.add_argument("--scenes", action="append", metavar="NAMES", help="clip names or scene-file stems (default: all)")
    lint.add_argument("--quality", default=DEFAULT_QUALITY, metavar="Q", help=f"one of {', '.join(QUALITIES)} (default {DEFAULT_QUALITY})")
    lint.add_argument("--scenes-dir", default="scenes", help=argparse.SUPPRESS)
    lint.add_argument("--cache-dir", default=".cache", help=argparse.SUPPRESS)
    lint.set_defaults(func=_lint)

    sheet = subparsers.add_parser(
        "sheet",
        help="storyboard sheets: one frame per beat of rendered clips, tiled and labelled",
        description="Write renders/sheets/<name>.png (renders/<Q>/sheets/ for other qualities): "
        "one frame per beat of the published MP4, labelled with the beat id and its start time. "
        "Exit 2 when a clip is not rendered at that quality.",
    )
    sheet.add_argument("clips", nargs="*", metavar="CLIP", help="clip names or scene-file stems (default: all)")
    sheet.add_argument("--quality", default=DEFAULT_QUALITY, metavar="Q", help=f"one of {', '.join(QUALITIES)} (default {DEFAULT_QUALITY})")
    sheet.add_argument("--scenes-dir", default="scenes", help=argparse.SUPPRESS)
    sheet.add_argument("--renders-dir", default="renders", help=argparse.SUPPRESS)
    sheet.set_defaults(func=_sheet)


def _render(args: argparse.Namespace) -> int:
    from gdengine.pipeline import run

    req = run.make_request(
        scenes=args.scenes, quality_name=args.quality, jobs=args.jobs,
        scenes_dir=args.scenes_dir, renders_dir=args.renders_dir, cache_dir=args.cache_dir,
        force=args.force, voice=args.voice,
    )  # fmt: skip
    return run.render(req)


def _lint(args: argparse.Namespace) -> int:
    from pathlib import Path

    from gdengine.errors import GdengineError
    from gdengine.pipeline import lint

    if args.target:
        if len(args.target) != 2 or args.scenes:
            raise GdengineError("lint takes either FILE.py ENTRY or --scenes NAMES, e.g. gdengine lint scenes/ball_downhill.py BallDownhill")
        return lint.lint_file(args.target[0], args.target[1], args.quality, Path(args.cache_dir))
    names = [n for s in args.scenes or [] for n in s.replace(",", " ").split()]
    return lint.lint_catalog(names, args.quality, Path(args.scenes_dir), Path(args.cache_dir))


def _sheet(args: argparse.Namespace) -> int:
    from pathlib import Path

    from gdengine.pipeline import sheets
    from gdengine.pipeline.quality import quality

    names = [n for s in args.clips for n in s.replace(",", " ").split()]
    return sheets.write_sheets(names, quality(args.quality), Path(args.scenes_dir), Path(args.renders_dir))


def _script(args: argparse.Namespace) -> int:
    from pathlib import Path

    from gdengine.pipeline import script

    return script.print_script(args.clip, args.lang, args.quality, Path(args.scenes_dir), Path(args.renders_dir))
