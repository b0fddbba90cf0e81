"""``splinesym encode``: a max–min, spline or model compiled into a ReLU encoder."""

from __future__ import annotations

import argparse
import json
import os
import sys

from ..errors import (
    BudgetExhaustedError,
    CheckFailedError,
    InvalidInputError,
    NoRepresentationError,
    OptionError,
)
from ..io.jsonio import write_atomic
from ..io.model_io import write_model
from ..lattice.api import METHODS, build_maxmin, encode, load_input, verify_encoder

NAME = "encode"
HELP = ("compile a max-min, spline or model into a splinesym.model/1 ReLU encoder (1 token); "
        "--verify expands it again and compares piece by piece")
EXAMPLES = """examples:
  splinesym encode f.maxmin.json --out encoder.json
  splinesym encode spline.json --out encoder.json --verify --certificate rt.json
  splinesym check rt.json
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("input", metavar="INPUT",
                   help="splinesym.maxmin/1, splinesym.spline/1 or splinesym.model/1 file")
    p.add_argument("--out", metavar="MODEL.json", required=True,
                   help="where to write the encoder (atomically)")
    p.add_argument("--method", choices=METHODS, default="auto",
                   help="how to get the max-min of a spline or model (see splinesym maxmin)")
    p.add_argument("--verify", action="store_true",
                   help="round trip: expand the compiled encoder and certify it equals the "
                        "original spline piece by piece")
    p.add_argument("--points", type=int, default=200, metavar="N",
                   help="random rational points where the encoder's exact forward pass is "
                        "compared with the max-min (default 200; a test, not the proof)")
    p.add_argument("--certificate", metavar="FILE",
                   help="with --verify: write a certificate (the encoder equals the spline on "
                        "every cell of the common refinement, checked at each witness by the "
                        "checker's own forward pass)")
    p.add_argument("--time-limit", type=float, default=600.0, metavar="S")
    p.add_argument("--solver-timeout", type=float, default=5.0, metavar="S")
    p.add_argument("--json", action="store_true", help="print the report as JSON")


def _generic_count(model, n: int) -> int:
    from fractions import Fraction

    from ..lattice.compile import zero_argument_count

    return zero_argument_count(model, [Fraction(7919 + 13 * i, 1009) for i in range(n)])


def _roundtrip_certificate(model, sp, ref=None) -> dict:
    from ..io.spline_io import spline_to_dict
    from ..lattice.compile import generic_witness, rename_spline
    from ..nn.expand import expand_model
    from ..nn.model import model_to_dict
    from ..poly import PolyRing

    ring = PolyRing(model.variables())
    if ref is None:
        ex = expand_model(model)
        ref = ex._combine(rename_spline(sp, ring, model.output_names()), lambda a, b: list(b))
    else:  # the round trip's own refinement (no second expansion)
        ref = rename_spline(ref, ring, model.output_names())
    base = _generic_count(model, ring.nvars)
    points = [{"piece": i, "point": [str(c) for c in generic_witness(model, ref, p,
                                                                     baseline=base)]}
              for i, p in enumerate(ref.pieces) if p.witness is not None]
    if len(points) != len(ref.pieces):
        return None  # not every cell has a point: the round trip is not established in full
    return {"format": "splinesym.certificate/1",
            "subject": {"spline": spline_to_dict(ref), "model": model_to_dict(model)},
            "statement": [{"kind": "model-equals-spline"}],
            "claims": [{"kind": "identity",
                        "value": "the compiled encoder equals the original spline on every "
                                 "cell of the common refinement",
                        "evidence": {"method": "model-local", "points": points}}]}


def run(args: argparse.Namespace) -> int:
    if args.certificate and not args.verify:   # checked before any work, no file written
        raise OptionError("--certificate needs --verify", "--certificate")
    kind, obj = load_input(args.input)
    try:
        res = build_maxmin(kind, obj, method=args.method, solver_timeout=args.solver_timeout,
                           time_limit=args.time_limit)
    except InvalidInputError as exc:
        raise exc.located(source=args.input) from None
    except NoRepresentationError as exc:
        print(f"splinesym encode: {args.input}: {exc}", file=sys.stderr)
        return 3 if exc.limit else 1
    from ..cells.budget import time_left

    if time_left() <= 0:   # nothing left for compiling: say what was established
        raise BudgetExhaustedError(f"the time limit was reached before the encoder was compiled; "
                                   f"the max-min ({res.method}) is {res.status()}; no encoder "
                                   f"written")
    enc = encode(res, verify=False, points=args.points, time_limit=args.time_limit)
    write_model(enc.model, args.out)   # complete: written before the (long) round trip
    rt = verify_encoder(res, enc, time_limit=args.time_limit) if args.verify else None
    if rt is not None and not rt["equal"] and (rt["complete"] or "difference" in rt):
        os.unlink(args.out)            # a refuted encoder is not left behind
        raise CheckFailedError(f"round trip failed: {json.dumps(rt)}")
    rt_incomplete = rt is not None and not rt["complete"]
    if args.certificate and not rt_incomplete:
        sp = res.spline
        if sp is None:
            from ..lattice.compile import maxmin_spline

            sp = maxmin_spline(res.maxmin)
        cert = _roundtrip_certificate(enc.model, sp, enc.expansion)
        if cert is None:
            raise BudgetExhaustedError("no certificate: some cell of the common refinement has no "
                                       "witness point, so the round trip is not established in "
                                       "full (the encoder was written)")
        write_atomic(args.certificate, json.dumps(cert, indent=1) + "\n")
    report = {"input": args.input, "kind": kind, "method": res.method,
              "maxmin": {k: v for k, v in res.maxmin.size().items() if k != "outputs"},
              "certification": res.status() if kind != "maxmin" else "given max-min",
              "encoder": enc.info, "points_checked_exactly": enc.points_checked,
              "roundtrip": rt, "seconds": {**res.seconds, **enc.seconds}, "out": args.out}
    report["outcome"] = res.outcome() if not rt_incomplete else "undecided"
    if args.json:
        print(json.dumps(report, indent=1))
        return _status(res, rt_incomplete)
    i = enc.info
    print(f"encoder written to {args.out}: {i['blocks']} blocks ({int(i['constant_block'])} "
          f"constant, {i['product_blocks']} product, {i['tournament_blocks']} tournament), "
          f"{i['heads']} heads, stream width {i['width']}, {i['hidden']} FFN hidden units, "
          f"tokens 1, dim {enc.model.dim}")
    s = report["maxmin"]
    print(f"max-min ({res.method}): {s['terms']} terms, {s['entries']} entries, degree "
          f"{s['max_degree']}; {report['certification']}")
    print(f"exact forward pass = max-min at {enc.points_checked} random rational points (test)")
    if rt_incomplete:
        print(f"round trip INCOMPLETE (a limit stopped it): {rt.get('note', '')}; not decided "
              f"whether the encoder equals the spline"
              + ("; no certificate written" if args.certificate else ""))
    elif rt is not None:
        print(f"round trip: the expanded encoder ({rt['model_pieces']} pieces) equals the "
              f"original spline on all {rt['pieces_compared']} cells of the common refinement "
              f"(proof)")
    else:
        print("round trip not run (use --verify)")
    print(f"seconds: {json.dumps(report['seconds'])}")
    return _status(res, rt_incomplete)


def _status(res, rt_incomplete: bool) -> int:
    from .maxmin import outcome_status

    rc = outcome_status(res, "encode")
    if rc == 0 and rt_incomplete:
        import sys

        print("splinesym encode: INCOMPLETE: the round trip was stopped by a limit",
              file=sys.stderr)
        return 3
    return rc
