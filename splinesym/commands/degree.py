"""``splinesym degree``: attained degrees per cell without expansion (interpolation on lines).

Exit status: 0 on success, 2 on bad input or options.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

NAME = "degree"
HELP = ("attained degree of a ReLU model per visited cell, without expanding it: exact "
        "interpolation on random lines inside cells (label 'interpolated (exact on a line)'), "
        "with the structural bound")
EXAMPLES = """examples:
  splinesym degree examples/models/encoder2.json                 # attained degrees vs the bound
  splinesym degree examples/models/encoder_4x4_2head.json --points 40 --seed 1
  splinesym degree model.json --format json --out degrees.json --jobs 2
"""



def add_arguments(p: argparse.ArgumentParser) -> None:
    from ..numeric.options import add_parallel_options

    p.add_argument("model", metavar="MODEL", help="a splinesym.model/1 file (numeric weights)")
    p.add_argument("--points", type=int, default=20, metavar="N",
                   help="random rational points, one line through each (default 20)")
    add_parallel_options(p)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--out", metavar="FILE", help="write the report here (atomically)")
    p.add_argument("--drop-layernorm", action="store_true",
                   help="drop layer normalisation (not piecewise polynomial) and say so loudly")


def report_text(rep: dict, title: str, max_cells: int = 40) -> str:
    """The degree report as text."""
    groups = list(rep["bound"])
    lines = [title, f"method: {rep['label']} -- {rep['note']}",
             f"points: {rep['points']} (seed {rep['seed']}), cells visited: "
             f"{rep['cells_visited']} (sampled: cells not visited are not reported)",
             "attained degree (max over visited cells): " + ", ".join(
                 f"{g} {rep['attained'][g]}" for g in groups),
             "structural bound (all weights):          " + ", ".join(
                 f"{g} {rep['bound'][g]}" for g in groups),
             "interpolant equals the exact restriction over Q[t] on every line: "
             + ("yes" if rep["interpolation_agrees_with_restriction"] else "NO"),
             "per cell (activation pattern of the ReLU arguments in forward order, + / -):"]
    for c in rep["cells"][:max_cells]:
        degs = ", ".join(f"{g} {c['degrees'][g]}" for g in groups)
        pat = c["pattern"] if len(c["pattern"]) <= 64 else c["pattern"][:61] + "..."
        lines.append(f"  {pat}  points {c['points']:>3}  degree {degs}")
    if len(rep["cells"]) > max_cells:
        lines.append(f"  ... {len(rep['cells']) - max_cells} more cells (--format json lists "
                     "all)")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    from ..errors import InvalidInputError
    from ..io.jsonio import write_atomic
    from ..io.model_io import read_model
    from ..numeric.degree import degree_survey
    from ..numeric.options import check_parallel_options, positive_int

    check_parallel_options(args)
    positive_int(args.points, "--points")
    model = read_model(args.model, drop_layernorm=args.drop_layernorm)
    if model.symbols():
        raise InvalidInputError("the model has weight symbols; splinesym degree needs numbers "
                                "(the structural bound for all weights: splinesym certify)",
                                "weights", args.model)
    t0 = time.monotonic()
    try:
        rep = degree_survey(model, points=args.points, seed=args.seed, jobs=args.jobs,
                            scheduler=args.scheduler)
    except InvalidInputError as exc:
        raise exc.located(source=args.model) from None
    if model.dropped_layernorm:
        rep["note"] += "; LAYER NORMALISATION DROPPED: " + ", ".join(model.dropped_layernorm)
    if args.format == "json":
        text = json.dumps({"model": args.model, **rep}, indent=1) + "\n"
    else:
        text = report_text(rep, f"model: {args.model}")
    if args.out:
        write_atomic(args.out, text)
    else:
        print(text, end="")
    print(f"splinesym degree: {time.monotonic() - t0:.2f} s", file=sys.stderr)
    return 0
