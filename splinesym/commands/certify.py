"""``splinesym certify``: degree and smoothness of a spline (or of the spline a model computes),
with a certificate that ``splinesym check`` re-verifies independently.

Exit status: 0 when the subject is a spline (its degree and smoothness are certified), 1 when it
is certified *not* to be a spline (discontinuous: the report says where), 2 on bad input
(overlapping pieces or gaps in a table included), 3 when a limit stopped the work (the report
says what was established and what was not decided; no verdict about the whole subject).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..errors import DiscontinuityError, InvalidInputError

NAME = "certify"
HELP = ("certify the degree of every piece and the exact order of continuity across every wall "
        "of a spline or of a ReLU model; optionally write a checkable certificate")
EXAMPLES = """examples:
  splinesym certify my_model.json --certificate cert.json   # expanded, then certified
  splinesym certify spline.json --format json
  splinesym certify --sympy "Piecewise((x**2, x < 0), (x, True))"
  splinesym certify data.npz --rationalize 1e-12 --bc-type natural
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("input", nargs="?", metavar="INPUT",
                   help="a splinesym.model/1 or splinesym.spline/1 JSON file, or a .npz file "
                        "(x,c: PPoly; t,c,k: BSpline; x,y[,dydx]: exact cubic interpolant); "
                        "default: the built-in example model")
    p.add_argument("--sympy", metavar="EXPR",
                   help="certify a sympy expression instead (Piecewise with polynomial "
                        "conditions, Max/Min/Abs allowed), e.g. \"Piecewise((x**2, x < 0), "
                        "(x, True))\"")
    p.add_argument("--variables", metavar="NAMES",
                   help="comma-separated variable order for --sympy (default: sorted names)")
    p.add_argument("--rationalize", type=float, metavar="TOL", default=None,
                   help="replace imported floats by the simplest rational within TOL (and "
                        "re-interpolate interpolants exactly); default: exact conversion")
    p.add_argument("--bc-type", default="not-a-knot",
                   choices=("not-a-knot", "natural", "clamped", "periodic"),
                   help="boundary conditions of the cubic interpolant of .npz x,y data "
                        "(default: scipy's not-a-knot)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--certificate", metavar="FILE",
                   help="write a splinesym.certificate/1 file (check it with splinesym check)")
    p.add_argument("--out", metavar="FILE", help="write the report here (atomically)")
    p.add_argument("--time-limit", type=float, default=300.0, metavar="S",
                   help="seconds for expansion plus wall search (default 300)")
    p.add_argument("--max-cells", type=int, default=None, metavar="N",
                   help="most sign patterns to examine when expanding a model")
    p.add_argument("--solver-timeout", type=float, default=10.0, metavar="S",
                   help="seconds z3 may spend on one cell when expanding (default 10)")
    p.add_argument("--wall-time", type=float, default=10.0, metavar="S",
                   help="seconds of numeric search for one wall point (default 10)")
    p.add_argument("--wall-solver-timeout", "--z3-timeout", dest="z3_timeout", type=float,
                   default=2.0, metavar="S",
                   help="seconds z3 may spend on one wall (0 disables it; --z3-timeout is the "
                        "former name)")
    p.add_argument("--drop-layernorm", action="store_true",
                   help="drop layer normalisation (not piecewise polynomial) and say so loudly")
    from .certify_numeric import add_numeric_arguments

    add_numeric_arguments(p)


def load_subject(args):
    """(spline or None, model or None, description) from the command-line arguments."""
    from ..io import importers
    from ..io.jsonio import read_json
    from ..io.spline_io import spline_from_dict
    from ..nn.model import model_from_dict

    if args.sympy is not None:
        if args.input:
            raise InvalidInputError("give either INPUT or --sympy, not both", "input")
        from ..io.safe_sympy import parse_sympy_expression

        expr = parse_sympy_expression(args.sympy, "--sympy")
        names = [v.strip() for v in args.variables.split(",")] if args.variables else None
        return importers.from_sympy(expr, names), None, f"sympy expression {args.sympy}"
    if not args.input:
        from ..io.model_io import default_model

        return None, default_model(), ("model: built-in default (ReLU attention, 2 tokens x 2 "
                                       "features)")
    path = args.input
    from ..io.npz_model import is_model_npz, read_npz_model

    if is_model_npz(path):  # model weights (tokens, dim, encoder.0....)
        return None, read_npz_model(path, rationalize=args.rationalize,
                                    drop_layernorm=args.drop_layernorm), f"model {path}"
    if Path(path).suffix.lower() == ".npz":
        sp = importers.read_npz(path, rationalize=args.rationalize, bc_type=args.bc_type)
        return sp, None, f"{path} ({sp.notes[0]})"
    data = read_json(path)
    fmt = data.get("format") if isinstance(data, dict) else None
    try:
        if fmt == "splinesym.model/1":
            return None, model_from_dict(data, drop_layernorm=args.drop_layernorm), \
                f"model {path}"
        if fmt == "splinesym.spline/1" or (isinstance(fmt, str)
                                            and fmt.startswith("splinesym.spline/")):
            from ..lattice.from_table import validate_table

            sp = spline_from_dict(data)
            # the one table validator (overlaps and gaps: exit 2); a discontinuity is found
            # and reported by the certification itself (exit 1)
            try:
                validate_table(sp, time_limit=max(1.0, args.time_limit / 4))
            except DiscontinuityError:
                pass
            return sp, None, f"spline {path}"
    except InvalidInputError as exc:
        raise exc.located(source=str(path)) from None
    raise InvalidInputError(f"not a spline or a model: format is {fmt!r} (expected "
                            f"'splinesym.model/1' or 'splinesym.spline/1')", "format",
                            str(path))


def run(args: argparse.Namespace) -> int:
    from ..certify import certify_model, certify_spline
    from ..certify.certificate import write_certificate
    from ..io.jsonio import write_atomic

    sp, model, source = load_subject(args)
    if args.numeric or args.pieces:
        if model is None:
            raise InvalidInputError("--numeric needs a model (a splinesym.model/1 file)",
                                    "--numeric")
        from .certify_numeric import run_numeric

        return run_numeric(args, model, source)
    if model is not None:
        try:
            cert = certify_model(model, source=source, time_limit=args.time_limit,
                                 max_cells=args.max_cells, solver_timeout=args.solver_timeout,
                                 wall_time=args.wall_time, wall_solver_timeout=args.z3_timeout)
        except InvalidInputError as exc:
            raise exc.located(source=args.input) from None
    else:
        cert = certify_spline(sp, source=source, time_limit=args.time_limit,
                              wall_time=args.wall_time, solver_timeout=args.z3_timeout)
    if args.certificate:
        write_certificate(cert.certificate(), args.certificate)
    if args.format == "json":
        d = cert.to_dict()
        if args.certificate:
            d["certificate"] = str(args.certificate)
        text = json.dumps(d, indent=1) + "\n"
    else:
        text = cert.text() + "\n"
        if args.certificate:
            text += f"certificate written to {args.certificate} (check: splinesym check " \
                    f"{args.certificate})\n"
    if args.out:
        write_atomic(args.out, text)
    else:
        print(text, end="")
    if not cert.is_spline:
        return 1
    if not cert.complete:
        import sys

        print("splinesym certify: INCOMPLETE: a limit stopped the work; no verdict about the "
              "whole subject (the report lists what was established and what was not decided)",
              file=sys.stderr)
        return 3
    return 0
