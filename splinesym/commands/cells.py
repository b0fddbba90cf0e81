"""``splinesym cells``: a sampled census of a model's cells, each with an exact witness.

Exit status: 0 on success (the census is labelled ``sampled``: never a complete list), 2 on bad
input or options.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

NAME = "cells"
HELP = ("sampled census of the cells (activation patterns) of a ReLU model: vectorised sign "
        "evaluation, wall-crossing probes, every cell with an exactly checked rational witness, "
        "and an estimate of how many remain (labelled 'sampled', never complete)")
EXAMPLES = """examples:
  splinesym cells examples/models/attention_3x3.json     # a sampled census (labelled so)
  splinesym cells model.json --samples 200000 --seed 3 --format json --out census.json
  splinesym expand --model model.json --numeric                 # the same through expand
"""



def add_census_options(p: argparse.ArgumentParser) -> None:
    """``--samples``, ``--batch``, ``--probe-rounds`` (shared with ``expand --numeric``)."""
    p.add_argument("--samples", type=int, default=1_000_000, metavar="N",
                   help="random points (default 1000000)")
    p.add_argument("--batch", type=int, default=100_000, metavar="N",
                   help="points per task (default 100000)")
    p.add_argument("--probe-rounds", type=int, default=8, metavar="N",
                   help="rounds of wall-crossing probes from the witnessed cells (default 8; "
                        "0: random sampling only)")
    p.add_argument("--margin-search", type=int, default=256, metavar="N",
                   help="most missing one-flip neighbours searched by margin maximisation per "
                        "round (default 256; 0: none)")


def add_arguments(p: argparse.ArgumentParser) -> None:
    from ..numeric.options import add_parallel_options

    p.add_argument("model", metavar="MODEL", help="a splinesym.model/1 file (numeric weights)")
    add_census_options(p)
    add_parallel_options(p)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--out", metavar="FILE", help="write the result here (atomically)")
    p.add_argument("--drop-layernorm", action="store_true",
                   help="drop layer normalisation (not piecewise polynomial) and say so loudly")


def census_text(rep: dict, title: str, max_cells: int = 40) -> str:
    """The census as text."""
    e = rep["estimates"]
    lines = [title,
             f"SAMPLED census (label '{rep['label']}'): not a complete list of cells",
             f"{rep['samples']} random points (seed {rep['seed']}), {rep['breaks_per_point']} "
             f"ReLU arguments per point, {rep['probe_rounds']} probe rounds",
             f"cells with an exactly checked witness: {rep['cells_witnessed']} "
             f"({rep['cells_by_sampling']} by sampling, {rep['cells_by_probes']} by "
             f"wall-crossing probes); float patterns with no exact witness: "
             f"{rep['unverified_patterns']}",
             f"estimate of what remains (random sample only): Chao1 {e['chao1']} cells "
             f"(about {e['estimated_unseen']} unseen), Good-Turing coverage "
             f"{e['good_turing_coverage']}, singletons {e['singletons']}, doubletons "
             f"{e['doubletons']}",
             "rarefaction (points -> expected distinct patterns): " + ", ".join(
                 f"{m} -> {v}" for m, v in e["rarefaction"]),
             "cells (activation pattern in forward order, hits in the random sample, witness):"]
    for c in rep["cells"][:max_cells]:
        pat = c["pattern"] if len(c["pattern"]) <= 48 else c["pattern"][:45] + "..."
        w = ", ".join(c["witness"])
        lines.append(f"  {pat}  {c['count']:>8}  ({w if len(w) < 80 else w[:77] + '...'})")
    if len(rep["cells"]) > max_cells:
        lines.append(f"  ... {len(rep['cells']) - max_cells} more cells (--format json lists "
                     "all)")
    return "\n".join(lines) + "\n"


def run_census(args: argparse.Namespace, model, source: str) -> str:
    """Validate the census options, run the census, return the text to write."""
    from ..errors import InvalidInputError
    from ..numeric.census import cell_census
    from ..numeric.options import check_parallel_options, positive_int

    check_parallel_options(args)
    positive_int(args.samples, "--samples")
    positive_int(args.batch, "--batch")
    positive_int(args.probe_rounds, "--probe-rounds", 0)
    positive_int(args.margin_search, "--margin-search", 0)
    if model.symbols():
        raise InvalidInputError("the model has weight symbols; a census needs numbers",
                                "weights", source)
    t0 = time.monotonic()
    try:
        rep = cell_census(model, samples=args.samples, batch=args.batch, seed=args.seed,
                          jobs=args.jobs, scheduler=args.scheduler,
                          probe_rounds=args.probe_rounds, margin_search=args.margin_search)
    except InvalidInputError as exc:
        raise exc.located(source=source) from None
    dt = time.monotonic() - t0
    print(f"splinesym: census {dt:.2f} s, {rep['samples'] * rep['breaks_per_point'] / dt:.3g} "
          "sign evaluations/s overall", file=sys.stderr)
    if getattr(args, "format", "text") == "json":
        return json.dumps({"model": source, **rep}, indent=1) + "\n"
    return census_text(rep, f"model: {source}")


def run(args: argparse.Namespace) -> int:
    from ..io.jsonio import write_atomic
    from ..io.model_io import read_model

    model = read_model(args.model, drop_layernorm=args.drop_layernorm)
    text = run_census(args, model, args.model)
    if args.out:
        write_atomic(args.out, text)
    else:
        print(text, end="")
    return 0
