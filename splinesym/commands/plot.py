"""``splinesym plot``: a picture of the cells of a 2-D slice, or of the restriction to a line."""

from __future__ import annotations

import argparse
from fractions import Fraction

from ..errors import InvalidInputError

NAME = "plot"
HELP = ("draw the cells of a 2-D slice of a spline or model (coloured by sign pattern, break "
        "curves, witnesses, degree per cell), or with --along its restriction to a line")
EXAMPLES = """examples:
  splinesym plot --out cells.png       # the built-in model: x1_1, x2_1 with x1_2 = 1, x2_2 = -1
  splinesym plot --model examples/models/attention_3x3.json --x x1_1 --y x2_1 \\
      --fix x1_2=1 --fix x2_2=-1 --out cells.png
  splinesym plot spline.json --x x --y y --xlim -2 2 --ylim -2 2 --out slice.pdf
  splinesym plot --along 1,-1,0,1 --direction 1,1,1,0 --out line.png   # with knots and model
"""


def _numbers(text: str, what: str) -> list[Fraction]:
    from ..limits import check_decimal_literal

    try:
        out = []
        for v in text.split(","):
            check_decimal_literal(v.strip(), what)   # 1e999999999 is refused, not computed
            out.append(Fraction(v.strip()))
        return out
    except InvalidInputError:
        raise
    except (ValueError, ZeroDivisionError):
        raise InvalidInputError(f"expected comma-separated rationals, got {text!r}",
                                what) from None


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("input", nargs="?", metavar="SPLINE",
                   help="a splinesym.spline/1 file (or a model file); default: the built-in "
                        "model")
    p.add_argument("--model", metavar="FILE", help="a splinesym.model/1 file (JSON or .npz)")
    p.add_argument("--x", metavar="VAR", help="horizontal variable (default: the first)")
    p.add_argument("--y", metavar="VAR", help="vertical variable (default: the second)")
    p.add_argument("--fix", action="append", default=[], metavar="VAR=VALUE",
                   help="value of another variable in the slice (repeatable; unset ones are 0)")
    p.add_argument("--xlim", nargs=2, type=float, default=(-3.0, 3.0), metavar=("LO", "HI"),
                   help="horizontal range")
    p.add_argument("--ylim", nargs=2, type=float, default=(-3.0, 3.0), metavar=("LO", "HI"),
                   help="vertical range")
    p.add_argument("--resolution", type=int, default=300, metavar="N",
                   help="grid points per axis for the colouring")
    p.add_argument("--along", metavar="P", help="plot the restriction to the line P + t*D "
                   "instead (P: comma-separated rationals, one per variable)")
    p.add_argument("--direction", metavar="D", help="direction D of --along")
    p.add_argument("--t", nargs=2, type=float, default=(-2.0, 2.0), metavar=("LO", "HI"),
                   help="range of t for --along")
    p.add_argument("--output", type=int, default=0, metavar="K",
                   help="which output to plot with --along (0-based)")
    p.add_argument("--out", metavar="FILE", default="cells.png",
                   help="image file (PNG, PDF or SVG by the suffix; written atomically)")
    p.add_argument("--time-limit", type=float, default=300.0, metavar="S",
                   help="seconds for expanding a model")


def _image_formats() -> set[str]:
    from matplotlib.backend_bases import FigureCanvasBase

    return set(FigureCanvasBase.get_supported_filetypes())


def _check_line(sp, point, direction, output) -> None:
    """``--along``/``--direction`` have one entry per variable; ``--output`` exists."""
    n = len(sp.variables)
    for name, v in (("--along", point), ("--direction", direction)):
        if len(v) != n:
            raise InvalidInputError(f"has {len(v)} entries, the spline has {n} variables "
                                    f"({', '.join(sp.variables)})", name)
    if output >= len(sp.outputs):
        raise InvalidInputError(f"output {output} does not exist (the spline has "
                                f"{len(sp.outputs)})", "--output")


def _check_ranges(args: argparse.Namespace) -> None:
    """``--xlim``, ``--ylim``, ``--t``: finite with LO < HI; ``--output`` >= 0 (before work)."""
    import math
    import os

    for name in ("xlim", "ylim", "t"):
        lo, hi = getattr(args, name)
        if not (math.isfinite(lo) and math.isfinite(hi)) or abs(lo) > 1e300 or abs(hi) > 1e300:
            raise InvalidInputError(f"must be finite numbers, got {lo!r} {hi!r}", f"--{name}")
        if not lo < hi:
            raise InvalidInputError(f"needs LO < HI, got {lo:g} {hi:g}", f"--{name}")
    if args.output < 0:
        raise InvalidInputError(f"must be an integer >= 0, got {args.output}", "--output")
    if args.direction and not args.along:
        raise InvalidInputError("--direction needs --along", "--direction")
    if args.along and not args.direction:
        raise InvalidInputError("--along needs --direction", "--direction")
    for item in args.fix:
        if "=" not in item:
            raise InvalidInputError(f"expected VAR=VALUE, got {item!r}", "--fix")
        _numbers(item.partition("=")[2], "--fix")
    suffix = os.path.splitext(args.out)[1].lstrip(".").lower()
    if suffix and suffix not in _image_formats():
        raise InvalidInputError(f"unknown image format {suffix!r} (known: "
                                f"{', '.join(sorted(_image_formats()))})", "--out")
    if args.along:
        _numbers(args.along, "--along")
        if not any(_numbers(args.direction, "--direction")):
            raise InvalidInputError("the direction must not be the zero vector", "--direction")


def run(args: argparse.Namespace) -> int:
    _check_ranges(args)
    import os
    import tempfile

    import matplotlib

    matplotlib.use("Agg")
    from ..api import _subject, as_model
    from ..io.model_io import default_model
    from ..nn.expand import expand_model
    from ..plot import plot_along, plot_cells

    src = args.model or args.input
    if src is None:
        sp, model = None, default_model()
        if not (args.x or args.y or args.fix):  # the picture of the README
            args.x, args.y, args.fix = "x1_1", "x2_1", ["x1_2=1", "x2_2=-1"]
    else:
        sp, model = _subject(src)
    if sp is None:
        sp = expand_model(as_model(model), time_limit=args.time_limit)
    fixed = {}
    for item in args.fix:
        name, _, val = item.partition("=")
        if not _:
            raise InvalidInputError(f"expected VAR=VALUE, got {item!r}", "--fix")
        fixed[name.strip()] = _numbers(val, "--fix")[0]
    suffix = os.path.splitext(args.out)[1] or ".png"
    fd, tmp = tempfile.mkstemp(suffix=suffix, dir=os.path.dirname(os.path.abspath(args.out)))
    os.close(fd)
    try:
        if args.along:
            if not args.direction:
                raise InvalidInputError("--along needs --direction", "--direction")
            point, direction = _numbers(args.along, "--along"), _numbers(args.direction,
                                                                          "--direction")
            _check_line(sp, point, direction, args.output)
            plot_along(model if model is not None else sp, point, direction, t=args.t,
                       output=args.output, out=tmp)
        else:
            plot_cells(sp, x=args.x, y=args.y, fixed=fixed, xlim=args.xlim, ylim=args.ylim,
                       resolution=args.resolution, out=tmp)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, args.out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    print(f"picture written to {args.out} ({len(sp.pieces)} pieces, {len(sp.breaks)} breaks)")
    return 0
