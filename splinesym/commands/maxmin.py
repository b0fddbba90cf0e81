"""``splinesym maxmin``: a model or a spline written as max–min of polynomials, certified."""

from __future__ import annotations

import argparse
import json
import sys

from ..errors import InvalidInputError
from ..io.jsonio import write_atomic
from ..io.maxmin_io import maxmin_latex, maxmin_text, maxmin_to_dict
from ..lattice.api import METHODS, build_maxmin, load_input
from ..lattice.from_table import NoRepresentationError

NAME = "maxmin"
HELP = ("write each output of a ReLU model or a spline as max_i min_j p_ij (Pierce-Birkhoff), "
        "certified piece by piece")
EXAMPLES = """examples:
  splinesym maxmin model.json                    # text: f = max(min(...), ...) and sizes
  splinesym maxmin spline.json --format json --out f.maxmin.json --certificate f.cert.json
  splinesym maxmin model.json --method lattice --max-terms 5000
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("input", metavar="INPUT",
                   help="splinesym.model/1 or splinesym.spline/1 file (a splinesym.maxmin/1 file "
                        "is only reformatted)")
    p.add_argument("--method", choices=METHODS, default="auto",
                   help="lattice (models: lattice algebra on the forward pass), hyperplane "
                        "(every spline whose breaks are affine: complete, exact certificate), "
                        "ovchinnikov (piecewise-linear), univariate, table (separators from "
                        "the walls), auto (default: hyperplane whenever the breaks are affine)")
    p.add_argument("--format", choices=("text", "latex", "json"), default="text")
    p.add_argument("--out", metavar="FILE", help="write the result here (atomically)")
    p.add_argument("--certificate", metavar="FILE",
                   help="write the certificate (splinesym.certificate/1) here")
    p.add_argument("--no-certify", action="store_true",
                   help="skip the piece-by-piece certification (and the pruning it allows)")
    p.add_argument("--no-prune", action="store_true",
                   help="keep terms and entries that no proof needs")
    p.add_argument("--max-terms", type=int, default=20000, metavar="N",
                   help="largest intermediate normal form of the lattice method (default 20000)")
    p.add_argument("--time-limit", type=float, default=600.0, metavar="S",
                   help="seconds for the expansion and for the certification (default 600)")
    p.add_argument("--solver-timeout", type=float, default=5.0, metavar="S",
                   help="seconds z3 may spend on one sign fact (default 5; 0 disables z3)")


def run(args: argparse.Namespace) -> int:
    kind, obj = load_input(args.input)
    try:
        res = build_maxmin(kind, obj, method=args.method, certify=not args.no_certify,
                           prune=not args.no_prune, max_terms=args.max_terms,
                           solver_timeout=args.solver_timeout, time_limit=args.time_limit)
    except InvalidInputError as exc:
        raise exc.located(source=args.input) from None
    except NoRepresentationError as exc:
        # not bad input: the construction ended without a certified max-min (exit 1), or a
        # time limit stopped it (exit 3); the message says what is known about existence
        print(f"splinesym maxmin: {args.input}: {exc}", file=sys.stderr)
        return 3 if exc.limit else 1
    mm = res.maxmin
    if args.format == "json":
        d = maxmin_to_dict(mm)
        d["certification"] = res.status()
        text = json.dumps(d, indent=1) + "\n"
    elif args.format == "latex":
        text = maxmin_latex(mm, document=True)
    else:
        text = maxmin_text(mm, f"{kind}: {args.input}") + "\n"
        st = mm.stats
        if "terms_before" in st:
            text += (f"pruning: {st['terms_before']} terms / {st['entries_before']} entries "
                     f"before, {st['terms_after']} / {st['entries_after']} after\n")
        text += f"certification: {res.status()}\n"
        text += f"seconds: {json.dumps(res.seconds)}\n"
    status = 0
    if args.certificate:
        text, status = _write_certificate(res, args, text)
    if args.out:
        write_atomic(args.out, text)
    else:
        print(text, end="")
    return outcome_status(res, "maxmin") or status


def outcome_status(res, command: str) -> int:
    """Exit status of a max-min result: 0 certified (or given, or --no-certify), 1 refuted,
    3 undecided (a limit stopped the certification); one stderr line unless 0."""
    import sys

    out = res.outcome()
    if out in ("certified", "given", "not-run"):
        return 0
    what = ("NOT equal to the spline" if out == "refuted"
            else "NOT certified (a limit stopped the work)")
    print(f"splinesym {command}: max-min {what}: {res.status()}"[:600], file=sys.stderr)
    return 1 if out == "refuted" else 3


def _write_certificate(res, args, text: str) -> tuple[str, int]:
    """Write the certificate of what was established: the full statement only when every
    output is certified; a partial one (labelled) when some are; none when no output is."""
    import sys

    cert = res.certificate()
    if cert is None:
        raise InvalidInputError("no certificate: certification was not run (a max-min input "
                                "or --no-certify)", "--certificate")
    if not cert["claims"]:
        print(f"splinesym maxmin: no certificate written to {args.certificate}: certification "
              f"failed ({res.status()})", file=sys.stderr)
        return text, 1
    write_atomic(args.certificate, json.dumps(cert, indent=1) + "\n")
    from ..lattice.certify import verify_certificate

    checks = verify_certificate(cert)
    if args.format == "text":
        text += (f"certificate {args.certificate}: {len(checks)} claim(s) re-verified by the "
                 f"kernel: " + "; ".join(f"{s} ({m})" for s, m in checks) + "\n")
    if "partial" in cert:
        print(f"splinesym maxmin: the certificate {args.certificate} is PARTIAL: "
              f"{cert['partial']}", file=sys.stderr)
        return text, 1
    return text, 0
