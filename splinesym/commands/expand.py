"""``splinesym expand``: a model written out as an exact piecewise polynomial."""

from __future__ import annotations

import argparse
import json

from ..display import spline_latex, spline_text
from ..errors import InvalidInputError
from ..io.jsonio import write_atomic
from ..io.model_io import default_model, read_model_rationalized
from ..io.spline_io import spline_to_dict
from ..nn.expand import expand_model

NAME = "expand"
HELP = "expand a ReLU model into an exact spline, cell by cell with evidence"
EXAMPLES = """examples:
  splinesym expand                                  # the built-in model, as text
  splinesym expand --model examples/models/ffn_12x4.json --format json --out ffn.json
  splinesym expand --model my_model.json --format latex --out spline.tex   # pdflatex spline.tex
  splinesym expand --model weights.npz --rationalize 1e-6 --time-limit 60 --max-cells 5000
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", metavar="FILE",
                   help="splinesym.model/1 file (default: the built-in example, ReLU attention "
                        "with 2 tokens x 2 features)")
    p.add_argument("--format", choices=("text", "latex", "json"), default="text")
    p.add_argument("--time-limit", type=float, default=300.0, metavar="S",
                   help="seconds for the whole expansion (default 300); undecided cells are "
                        "reported, never dropped")
    p.add_argument("--max-cells", type=int, default=None, metavar="N",
                   help="most sign patterns to examine")
    p.add_argument("--solver-timeout", type=float, default=10.0, metavar="S",
                   help="seconds z3 may spend on one cell (default 10)")
    p.add_argument("--no-merge", action="store_true", help="keep equal neighbouring pieces apart")
    p.add_argument("--drop-layernorm", action="store_true",
                   help="drop layer normalisation (not piecewise polynomial) and say so loudly")
    p.add_argument("--out", metavar="FILE", help="write the result here (atomically)")
    p.add_argument("--rationalize", type=float, default=None, metavar="TOL",
                   help="replace every float weight of the model by the simplest rational within "
                        "TOL (continued fractions) and report the conversion; default: floats "
                        "are converted exactly")

    g = p.add_argument_group("fast path (incremental, parallel, sampled)")
    g.add_argument("--incremental", action="store_true",
                   help="expand cell by cell (depth first): when a budget stops the work, every "
                        "finished cell is kept and written, the rest listed by region, and the "
                        "resumable state saved (see --state); implied by --state, --resume, "
                        "--jobs and --scheduler")
    g.add_argument("--state", metavar="FILE",
                   help="with the incremental expansion: write the resumable state "
                        "(splinesym.expansion-state/1) here (default when stopped: OUT.state)")
    g.add_argument("--resume", metavar="FILE",
                   help="continue an incremental expansion from its state file")
    g.add_argument("--numeric", action="store_true",
                   help="do not expand: a sampled census of the cells instead (as splinesym "
                        "cells), labelled 'sampled'")
    from ..numeric.options import add_parallel_options
    from .cells import add_census_options

    add_census_options(g)
    add_parallel_options(g)


def _incremental(args: argparse.Namespace) -> bool:
    return bool(args.incremental or args.state or args.resume or args.jobs != 1
                or args.scheduler)


def _incomplete(sp) -> str:
    why = "; ".join(n for n in sp.notes if n.startswith("budget")) or "a limit was reached"
    und = sum(1 for p in sp.pieces if p.status == "undecided")
    return (f"INCOMPLETE ({why}): {len(sp.pieces)} piece(s) listed, {und} of them undecided, "
            f"{len(sp.unexpanded)} region(s) not expanded; the pieces do not cover what is "
            f"missing")


def run(args: argparse.Namespace) -> int:
    if args.numeric or _incremental(args):
        from .expand_fast import run_fast

        return run_fast(args)
    conversion = None
    if args.model:
        model, conversion = read_model_rationalized(args.model, args.rationalize,
                                                    drop_layernorm=args.drop_layernorm)
        title = f"model: {args.model}"
    else:
        model = default_model()
        title = "model: built-in default (ReLU attention, 2 tokens x 2 features)"
    try:
        sp = expand_model(model, time_limit=args.time_limit, max_cells=args.max_cells,
                          solver_timeout=args.solver_timeout, merge=not args.no_merge)
    except InvalidInputError as exc:
        raise exc.located(source=args.model) from None
    if conversion:
        sp.notes.insert(0, conversion)
    if args.format == "json":
        d = spline_to_dict(sp)
        d["stats"] = sp.stats
        text = json.dumps(d, indent=1) + "\n"
    elif args.format == "latex":
        text = spline_latex(sp, document=True)
        if not sp.complete and not sp.parameters or sp.unexpanded:
            text = f"% {_incomplete(sp)}\n" + text
    else:
        text = spline_text(sp, title) + "\n"
    if args.out:
        write_atomic(args.out, text)
    else:
        print(text, end="")
    from ..certify.report import spline_stopped

    if spline_stopped(sp):
        import sys

        print(f"splinesym expand: {_incomplete(sp)}; --incremental keeps every finished cell "
              f"and saves a state to continue from (--state, --resume)", file=sys.stderr)
        return 3
    return 0
