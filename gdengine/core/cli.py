"""``gdengine descend`` and ``gdengine list``: the engine from the command line."""

from __future__ import annotations

import argparse
import json
import numpy as np

from gdengine.errors import GdengineError

_HYPER_FLAGS = ("lr", "momentum", "dampening", "weight_decay", "alpha", "eps", "lr_decay",
                "initial_accumulator_value")


FORMULA_OPTIONS = ("--landscape", "-l")


def join_formula_values(argv: list[str]) -> list[str]:
    """``--landscape -x^2+y^2`` → ``--landscape=-x^2+y^2``: argparse would take a value that
    starts with a minus for an option, so a formula typed that way is joined to its flag."""
    out = list(argv)
    for i in range(len(out) - 1):
        if out[i] in FORMULA_OPTIONS and out[i + 1].startswith("-") and out[i + 1][1:2] not in ("-", ""):
            if not out[i + 1].lstrip("-").replace(".", "", 1).isdigit():
                out[i], out[i + 1] = f"{out[i]}={out[i + 1]}", None
    return [a for a in out if a is not None]


def add_commands(subparsers) -> None:
    p = subparsers.add_parser(
        "descend", help="run an optimizer on a landscape and print where it ends",
        description="Run gradient descent and report updates, final point and status.")
    p.add_argument("--landscape", "-l", default="parabola",
                   help="landscape name (gdengine list landscapes) or a formula in x, y, e.g. "
                        "'x^2 + 10*y^2'; one that starts with a minus works as typed or as "
                        "--landscape=-x^2+y^2")
    p.add_argument("--window", type=float, nargs="+", default=None, metavar="LO_HI",
                   help="a formula's window: LO HI for every axis, or X0 X1 Y0 Y1 (default -3 3)")
    p.add_argument("--optimizer", "-o", default="gd", help="optimizer name (gdengine list optimizers)")
    p.add_argument("--start", "-s", type=float, nargs="+", action="append", metavar="X",
                   help="start point, one number per dimension; repeat for several particles")
    p.add_argument("--steps", type=int, default=1000, help="maximum number of updates (default 1000)")
    p.add_argument("--tol", type=float, default=None, help="stop when the gradient norm is below this")
    p.add_argument("--stop-loss", type=float, default=None, help="stop when the loss is below this")
    for name in _HYPER_FLAGS:
        p.add_argument("--" + name.replace("_", "-"), type=float, default=None, dest=name)
    p.add_argument("--betas", type=float, nargs=2, metavar=("B1", "B2"), default=None)
    for flag in ("nesterov", "amsgrad", "centered"):
        p.add_argument("--" + flag, action="store_true", default=None)
    p.add_argument("--no-bias-correction", dest="bias_correction", action="store_false", default=None,
                   help="Adam without bias correction (teaching variant)")
    p.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                   help="landscape parameter, e.g. --param kappa=50")
    p.add_argument("--batch-size", type=int, default=None, help="mini-batch size (data landscapes)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--order", default="shuffle", help="sample order: shuffle or cycle")
    p.add_argument("--json", action="store_true", help="print JSON instead of a summary")
    p.add_argument("--out", default=None, help="save the trajectory (.npz)")
    p.add_argument("--cache", action="store_true", help="reuse a cached result")
    p.set_defaults(func=cmd_descend)

    q = subparsers.add_parser("list", help="list landscapes or optimizers",
                              description="Show landscape names with formulas, or optimizers with hyper-parameters.")
    q.add_argument("what", choices=("landscapes", "optimizers"))
    q.set_defaults(func=cmd_list)


def _parse_value(text: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def cmd_descend(args) -> int:
    import gdengine.core as gd

    params = {}
    for item in args.param:
        key, sep, val = item.partition("=")
        if not sep or not key:
            raise GdengineError(f"--param expects KEY=VALUE, got {item!r}")
        params[key] = _parse_value(val)
    if args.window is not None:
        if args.landscape in gd.landscapes():
            raise GdengineError(f"--window applies to formulas; {args.landscape!r} is a named "
                                "landscape with its own domain")
        if len(args.window) not in (2, 4):
            raise GdengineError(f"--window takes LO HI or X0 X1 Y0 Y1, got {len(args.window)} numbers")
        w = args.window
        params["window"] = w if len(w) == 2 else [w[:2], w[2:]]
    land = gd.landscape(args.landscape, **params)
    hyper = {k: getattr(args, k) for k in _HYPER_FLAGS if getattr(args, k) is not None}
    for k in ("nesterov", "amsgrad", "centered", "bias_correction"):
        if getattr(args, k) is not None:
            hyper[k] = getattr(args, k)
    if args.betas is not None:
        hyper["betas"] = tuple(args.betas)
    opt = gd.optimizer(args.optimizer, **hyper)
    if args.start is None:
        starts = land.start.reshape(1, -1)
    else:
        dims = {len(s) for s in args.start}
        if dims != {land.dim}:
            raise GdengineError(
                f"--start needs {land.dim} number(s) for {land.name!r} ({land.dim}-D), "
                f"got {', '.join(str(len(s)) for s in args.start)}")
        starts = np.array(args.start, dtype=float)
    traj = gd.descend(land, opt, starts, args.steps, tol=args.tol, stop_loss=args.stop_loss,
                      cache=args.cache, batch_size=args.batch_size, seed=args.seed,
                      order=args.order)
    if args.out:
        path = traj.save(args.out)
    with np.errstate(all="ignore"):  # grads are finite, their norm may still overflow
        gnorm = np.nan_to_num(np.linalg.norm(traj.grads[-1], axis=1))
    rows = [{
        "updates": int(traj.stopped_at[b]),
        "final": traj.final[b].tolist(),
        "value": float(traj.final_value[b]),
        "grad_norm": float(gnorm[b]),
        "status": str(traj.status[b]),
        "basin": int(traj.basin[b]),
    } for b in range(traj.B)]
    if args.json:
        out = {"landscape": land.name, "optimizer": opt.name,
               "hyper": opt.spec["hyper"], "steps_run": traj.T}
        if len(rows) == 1:
            out.update(rows[0])
        else:
            out["particles"] = rows
        if args.out:
            out["out"] = str(path)
        print(json.dumps(out, allow_nan=False))
        return 0
    hyp = ", ".join(f"{k}={v}" for k, v in hyper.items()) or "defaults"
    print(f"{land.name} ({land.formula_text}) · {opt.name} ({hyp})")
    for r in rows:
        pt = ", ".join(f"{v:.6g}" for v in r["final"])
        print(f"  {r['status']:<9} after {r['updates']} updates at ({pt}): "
              f"f = {r['value']:.6g}, |grad| = {r['grad_norm']:.3g}")
    if args.out:
        print(f"saved {path}")
    return 0


def cmd_list(args) -> int:
    import gdengine.core as gd

    if args.what == "landscapes":
        for name in gd.landscapes():
            land = gd.landscape(name)
            print(f"{name:<18} {land.dim}-D  {land.formula_text}")
        print("or any formula in x (1-D) or x and y (2-D), e.g. --landscape 'x^2 + 10*y^2' "
              "--window -3 3")
    else:
        for name in gd.optimizers():
            hyp = ", ".join(f"{k}={v}" for k, v in gd.hyper_defaults(name).items())
            print(f"{name:<10} {hyp}")
    return 0
