"""``splinesym certify MODEL --numeric``: numeric certification where exact expansion is too
large. Not a command of its own (not listed in ``COMMANDS``).

- the attained degrees per visited cell by exact interpolation on lines (as ``splinesym
  degree``), next to the structural bound;
- with ``--pieces FILE`` (a ``splinesym.spline/1`` file, e.g. a partial expansion): each piece
  with a witness is compared with the model's polynomial map on the witness's cell by
  Schwartz--Zippel at random integer points, with the error bound reported (degree / |S| per
  point); a difference is an exact counterexample.

Exit status: 0 when no piece differs, 1 when a piece differs from the model, 2 on bad input.
"""

from __future__ import annotations

import argparse
import json


def add_numeric_arguments(p: argparse.ArgumentParser) -> None:
    from ..numeric.options import add_parallel_options

    g = p.add_argument_group("numeric certification (no expansion)")
    g.add_argument("--numeric", action="store_true",
                   help="a model too large to expand: degrees by exact interpolation on lines "
                        "and, with --pieces, Schwartz-Zippel identity tests of pieces")
    g.add_argument("--pieces", metavar="FILE",
                   help="with --numeric: a splinesym.spline/1 file whose pieces are compared "
                        "with the model (each piece with a witness)")
    g.add_argument("--points", type=int, default=20, metavar="N",
                   help="with --numeric: random lines for the degree report (default 20)")
    g.add_argument("--trials", type=int, default=20, metavar="N",
                   help="with --numeric: random integer points per identity test (default 20)")
    add_parallel_options(g)


def _identity_report(args, model) -> list[dict]:
    from ..io.spline_io import read_spline
    from ..nn.expand import structural_degree
    from ..nn.model import model_to_dict
    from ..numeric.identity import piece_task
    from ..numeric.parallel import run_tasks

    sp = read_spline(args.pieces)
    if list(sp.variables) != model.variables():
        from ..errors import InvalidInputError

        raise InvalidInputError(f"variables {sp.variables} differ from the model's "
                                f"{model.variables()}", "variables", args.pieces)
    bound = structural_degree(model)["joint"]
    md = model_to_dict(model)
    tasks = [{"model": md, "variables": list(sp.variables),
              "values": [sp.ring.format(v) for v in p.values],
              "witness": [str(c) for c in p.witness],
              "degree": max(bound, sp.piece_degree(p)), "trials": args.trials,
              "seed": args.seed, "index": i}
             for i, p in enumerate(sp.pieces) if p.witness is not None]
    return run_tasks(piece_task, tasks, jobs=args.jobs, scheduler=args.scheduler)


def run_numeric(args: argparse.Namespace, model, source: str) -> int:
    from ..io.jsonio import write_atomic
    from ..numeric.degree import degree_survey
    from ..numeric.options import check_parallel_options, positive_int
    from .degree import report_text

    check_parallel_options(args)
    positive_int(args.points, "--points")
    positive_int(args.trials, "--trials")
    deg = degree_survey(model, points=args.points, seed=args.seed, jobs=args.jobs,
                        scheduler=args.scheduler)
    ident = _identity_report(args, model) if args.pieces else []
    differ = [r for r in ident if r["equal"] is False]
    if args.format == "json":
        text = json.dumps({"subject": source, "degree": deg, "identity": ident}, indent=1) + "\n"
    else:
        text = report_text(deg, source)
        if args.pieces:
            ok = [r for r in ident if r["equal"]]
            text += (f"pieces of {args.pieces} compared with the model (Schwartz-Zippel, "
                     f"{args.trials} random integer points each): {len(ok)} equal, "
                     f"{len(differ)} DIFFERENT, {len(ident) - len(ok) - len(differ)} "
                     "undetermined (witness on a break)\n")
            if ok:
                text += (f"  error probability per piece at most {ok[0]['per_point_bound']}^"
                         f"{args.trials} (degree / |S| per point)\n")
            for r in differ:
                text += f"  piece {r['index']}: differs at {r['counterexample']} (exact)\n"
    if args.out:
        write_atomic(args.out, text)
    else:
        print(text, end="")
    return 1 if differ else 0
