"""``gdengine render --scheduler ADDR | --workers N`` and ``gdengine worker``: the cluster's
options on the render command, and a worker process started from a checkout."""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    render = subparsers.choices["render"]
    group = render.add_argument_group("rendering on a Dask cluster")
    group.add_argument("--scheduler", metavar="ADDR", default=None,
                       help="send the units to the Dask scheduler at ADDR (tcp://host:8786); "
                       "its workers need this checkout (make worker SCHEDULER=ADDR)")  # fmt: skip
    group.add_argument("--workers", type=int, metavar="N", default=None,
                       help="start a local Dask cluster of N worker processes and render on it")
    local = render.get_default("func")
    render.set_defaults(func=lambda args: _render(args, local))

    worker = subparsers.add_parser(
        "worker", help="start Dask workers that render for a scheduler (make worker SCHEDULER=ADDR)",
        description="Start worker processes (one thread each) for the Dask scheduler at ADDR. "
        "They must run the same gdengine code and library versions as the client: a worker that "
        "differs is refused when a render connects.",
    )  # fmt: skip
    worker.add_argument("--scheduler", required=True, metavar="ADDR", help="the scheduler, e.g. tcp://host:8786")
    worker.add_argument("--nworkers", type=int, default=None, metavar="N",
                        help="worker processes (default: this machine's cores)")
    worker.set_defaults(func=_worker)


def _render(args: argparse.Namespace, local) -> int:
    if args.scheduler is None and args.workers is None:
        return local(args)
    from gdengine.cluster.client import ClusterRunner, connect
    from gdengine.errors import GdengineError
    from gdengine.pipeline import run

    if args.scheduler is not None and args.workers is not None:
        raise GdengineError("give either --scheduler ADDR (a running cluster) or --workers N (a local one), not both")
    if args.workers is not None and args.workers < 1:
        raise GdengineError(f"--workers must be 1 or more, got {args.workers}")
    req = run.make_request(
        scenes=args.scenes, quality_name=args.quality, jobs=args.jobs,
        scenes_dir=args.scenes_dir, renders_dir=args.renders_dir, cache_dir=args.cache_dir,
        force=args.force, voice=args.voice,
    )  # fmt: skip
    with connect(args.scheduler, args.workers) as client:
        return run.render(req, runner=ClusterRunner(client, req))


def check_reachable(address: str, seconds: float = 5.0) -> None:
    """One line naming the address when nothing listens there (before Dask's own retries)."""
    from urllib.parse import urlsplit

    from gdengine.errors import GdengineError

    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        host = port = None
    if parts.scheme != "tcp" or not host or not port:
        raise GdengineError(f"scheduler address {address!r} is not tcp://HOST:PORT (e.g. tcp://10.0.0.5:8786)")
    try:
        socket.create_connection((host, port), timeout=seconds).close()
    except OSError as err:
        raise GdengineError(f"cannot reach the Dask scheduler at {address} ({err.strerror or type(err).__name__}); "
                            "start one there with `make scheduler`, or check the address and port") from None


def _worker(args: argparse.Namespace) -> int:
    from gdengine.errors import GdengineError

    n = args.nworkers if args.nworkers is not None else len(os.sched_getaffinity(0))
    if n < 1:
        raise GdengineError(f"--nworkers must be 1 or more, got {n}")
    check_reachable(args.scheduler)
    cmd = [sys.executable, "-m", "distributed.cli.dask_worker", args.scheduler,
           "--nworkers", str(n), "--nthreads", "1", "--no-dashboard"]  # fmt: skip
    print(f"gdengine worker: {n} process(es) for {args.scheduler} (Ctrl-C stops them)", file=sys.stderr, flush=True)
    return subprocess.call(cmd)
