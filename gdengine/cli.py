"""`gdengine` command line: one sub-command per job, each registered by its subpackage."""

from __future__ import annotations

import argparse
import sys

from gdengine.errors import GdengineError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gdengine", description="Gradient descent, computed exactly and rendered as video."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    from gdengine.cluster import cli as cluster_cli
    from gdengine.core import cli as core_cli
    from gdengine.pipeline import cli as pipeline_cli
    from gdengine.slides import cli as slides_cli

    core_cli.add_commands(sub)
    pipeline_cli.add_commands(sub)
    slides_cli.add_commands(sub)
    cluster_cli.add_commands(sub)  # adds its options to render: after the pipeline's commands
    return parser


def main(argv: list[str] | None = None) -> int:
    from gdengine.core.cli import join_formula_values

    parser = build_parser()
    args = parser.parse_args(join_formula_values(sys.argv[1:] if argv is None else argv))
    from gdengine.pipeline.procs import interrupt_on_sigterm

    interrupt_on_sigterm()
    try:
        return int(args.func(args) or 0)
    except GdengineError as err:
        print(f"gdengine: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("gdengine: interrupted", file=sys.stderr)
        return 130
