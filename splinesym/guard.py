"""The top-level guard of the ``splinesym`` command: options checked before work, one error
contract, signals and the hard deadline.

:func:`run_guarded` parses the arguments, range-checks every numeric option, checks input and
output paths before any work, applies ``--limit`` caps, installs the signal handlers and the
``--time-limit`` backstop, runs the command and turns *any* exception into one line on stderr
and the exit status of :func:`splinesym.errors.exit_status` (a traceback only with ``--debug``).

Examples
--------
>>> from splinesym.cli import build_parser
>>> run_guarded(["expand", "--time-limit", "nan"], build_parser)
2
"""

from __future__ import annotations

import argparse
import math
import os
import stat
import sys
import time
import traceback
import warnings
from pathlib import Path

import numpy as np

from .errors import (
    DeadlineExceeded,
    InvalidInputError,
    OptionError,
    SplinesymError,
    exit_status,
)

__all__ = ["run_guarded", "add_common_arguments", "validate_options", "RANGES"]

#: numeric options by ``dest``: (lowest, lowest allowed itself?, what it means)
RANGES: dict[str, tuple[float, bool, str]] = {
    "time_limit": (0, False, "a positive number of seconds"),
    "solver_timeout": (0, True, "seconds >= 0 (0 disables the solver)"),
    "z3_timeout": (0, True, "seconds >= 0 (0 disables z3)"),
    "wall_time": (0, True, "seconds >= 0"),
    "max_cells": (1, True, "a positive integer"),
    "max_terms": (1, True, "a positive integer"),
    "points": (0, True, "an integer >= 0"),
    "rationalize": (0, False, "a positive tolerance"),
    "jobs": (1, True, "a positive integer"),
    "seed": (0, True, "an integer >= 0"),
    "samples": (1, True, "a positive integer"),
    "batch": (1, True, "a positive integer"),
    "trials": (1, True, "a positive integer"),
    "probe_rounds": (0, True, "an integer >= 0"),
    "margin_search": (0, True, "an integer >= 0"),
    "resolution": (2, True, "an integer >= 2"),
}
#: upper bounds (seconds: a year; counts: 10^12)
_UPPER = {"time_limit": 3.2e7, "solver_timeout": 3.2e7, "z3_timeout": 3.2e7, "wall_time": 3.2e7,
          "max_cells": 10**12, "max_terms": 10**9, "points": 10**7, "jobs": 4096,
          "seed": 2**63 - 1, "rationalize": 1e300, "samples": 10**9, "batch": 10**8,
          "trials": 10**6, "probe_rounds": 10**6, "margin_search": 10**7,
          "resolution": 4000}
INPUT_DESTS = ("input", "model", "file", "resume", "pieces")
OUTPUT_DESTS = ("out", "certificate", "state")
_PROCESS_START = time.monotonic()


def add_common_arguments(p: argparse.ArgumentParser) -> None:
    """``--debug`` and ``--limit NAME=N`` on every command."""
    from .limits import DEFAULTS

    p.add_argument("--debug", action="store_true",
                   help="show the traceback of an internal error")
    p.add_argument("--limit", action="append", default=[], metavar="NAME=N",
                   help="raise an input cap (repeatable); caps and defaults: "
                        + ", ".join(f"{k}={v}" for k, v in DEFAULTS.items()))


def _option_name(dest: str) -> str:
    return "--" + dest.replace("_", "-")


def validate_options(args: argparse.Namespace) -> dict:
    """Range-check numeric options and check paths before any work; the ``--limit`` caps."""
    from .limits import parse_limit

    for dest, value in vars(args).items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        name = _option_name(dest)
        if isinstance(value, float) and not math.isfinite(value):
            raise OptionError(f"must be a finite number, got {value!r}", name)
        if dest in RANGES:
            low, closed, what = RANGES[dest]
            if value < low or (value == low and not closed):
                raise OptionError(f"must be {what}, got {value:g}", name)
            if value > _UPPER[dest]:
                raise OptionError(f"must be at most {_UPPER[dest]:g}, got {value:g}", name)
    caps = dict(parse_limit(t) for t in getattr(args, "limit", None) or [])
    inputs = [(d, getattr(args, d)) for d in INPUT_DESTS if getattr(args, d, None)]
    for d, path in inputs:
        _check_input_path(path, d)
    outs = [(d, getattr(args, d)) for d in OUTPUT_DESTS if getattr(args, d, None)]
    for d, path in outs:
        # the state file may be the one resumed from (continue and update it in place)
        _check_output_path(path, _option_name(d),
                           [i for i in inputs if not (d == "state" and i[0] == "resume")])
    for k, (d, path) in enumerate(outs):
        for d0, path0 in outs[:k]:
            if _same(path0, path):
                raise OptionError(f"{_option_name(d0)} and {_option_name(d)} are the same file "
                                  f"{path!r}", _option_name(d))
    return caps


def _same(a, b) -> bool:
    try:
        if os.path.exists(a) and os.path.exists(b):
            return os.path.samefile(a, b)
    except OSError:
        pass
    return os.path.realpath(a) == os.path.realpath(b)


def _check_input_path(path, dest: str) -> None:
    if not isinstance(path, str) or dest == "resume":
        return
    try:
        st = os.stat(path)
    except OSError:
        return   # the command's own reader says what is wrong (file not found, ...)
    if stat.S_ISDIR(st.st_mode):
        raise InvalidInputError("is a directory, not a file", source=path)
    if not stat.S_ISREG(st.st_mode):
        raise InvalidInputError("not a regular file (a FIFO, socket or device is not read)",
                                source=path)
    from .limits import check_cap

    check_cap("file_bytes", st.st_size, source=path)


def _check_output_path(path: str, name: str, inputs) -> None:
    if not path or path.endswith(os.sep):
        raise OptionError(f"{path!r} is a directory path, not a file", name)
    p = Path(path)
    if p.is_dir():
        raise OptionError(f"{path!r} is a directory, not a file", name)
    if p.exists() and not p.is_file():
        raise OptionError(f"{path!r} is not a regular file", name)
    folder = p.parent if str(p.parent) else Path(".")
    if not folder.is_dir():
        raise OptionError(f"directory {str(folder)!r} does not exist", name)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OptionError(f"directory {str(folder)!r} is not writable", name)
    for _d, inp in inputs:
        if isinstance(inp, str) and _same(path, inp):
            raise OptionError(f"{path!r} is the input file: refusing to overwrite an input",
                              name)


def _one_line(text: str, limit: int = 600) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _message(exc: BaseException, args) -> str:
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted; nothing half-written (outputs are written atomically)"
    if isinstance(exc, DeadlineExceeded):
        tl = getattr(args, "time_limit", None)
        return (f"time limit of {tl:g} s reached before the work reached a checkpoint: the "
                f"step under way was abandoned and nothing about it was decided (outputs written "
                f"before it are complete); raise --time-limit or make the input smaller")
    if isinstance(exc, SplinesymError):
        msg = exc.one_line() if hasattr(exc, "one_line") else str(exc)
        return "error: " + msg
    if isinstance(exc, RecursionError):
        return "error: the input is nested too deeply (Python's recursion limit)"
    if isinstance(exc, MemoryError):
        return ("error: out of memory: the input is too large for this machine (lower it, or "
                "the caps with --limit)")
    if isinstance(exc, OverflowError):
        return f"error: a number is too large for a floating-point step ({exc})"
    return (f"internal error: {type(exc).__name__}: {exc} (run again with --debug for the "
            f"traceback, and please report it)")


def _deadline(args, age: float) -> float | None:
    tl = getattr(args, "time_limit", None)
    if not isinstance(tl, (int, float)) or isinstance(tl, bool):
        return None
    return max(0.5, tl * 1.05 + 0.5 - age)


def _soft_deadline(args, age: float) -> float | None:
    """Seconds the work may take: the limit counts from the process start (``age`` seconds ago
    for a program, 0 for a call of :func:`splinesym.cli.main`), and 20 % of it is kept for
    assembling and writing the (partial) result."""
    tl = getattr(args, "time_limit", None)
    if not isinstance(tl, (int, float)) or isinstance(tl, bool):
        return None
    return max(0.3, (tl - age) * 0.8)


def _process_age() -> float:
    """Seconds since the process started (imports included), best effort."""
    try:
        with open("/proc/self/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        with open("/proc/uptime") as fh:
            uptime = float(fh.read().split()[0])
        return max(0.0, uptime - int(fields[19]) / ticks)
    except (OSError, ValueError, IndexError):
        return time.monotonic() - _PROCESS_START


def run_guarded(argv: list[str], build_parser, *, program: bool = False) -> int:
    """Parse, validate, run; any exception becomes one stderr line and its exit status.

    ``program``: the time limit counts from the process start (imports included)."""
    from . import signals
    from .cells.budget import deadline
    from .limits import set_limits
    from .progress import progress_context

    debug = "--debug" in argv
    args = None
    command = argv[0] if argv and not argv[0].startswith("-") else None
    try:
        parser, modules = build_parser()
        args, extra = parser.parse_known_args(argv)
        if extra:   # the subcommand's usage, not the top level's
            from .clihelp import subparser

            sub = subparser(parser, args.command) if args.command else None
            (sub or parser).error(f"unrecognized arguments: {' '.join(extra)}")
        if not args.command:
            raise OptionError(f"a command is required ({', '.join(modules)}); see "
                              f"splinesym --help")
        command = args.command
        caps = validate_options(args)
        age = _process_age() if program else 0.0
        with set_limits(**caps), deadline(_soft_deadline(args, age),
                                          getattr(args, "time_limit", None)), \
                signals.guarded(_deadline(args, age)), warnings.catch_warnings(), \
                np.errstate(all="ignore"):
            if not debug:   # stderr carries one line per error; warnings only with --debug
                warnings.simplefilter("ignore")
            with progress_context(sys.stderr.isatty() and not getattr(args, "quiet", False)):
                rc = modules[args.command].run(args)
        return int(rc or 0)
    except SystemExit as exc:   # --help, --version
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    except BaseException as exc:  # noqa: BLE001 - the one place that turns everything into a line
        if debug:
            traceback.print_exc()
        prefix = f"splinesym {command}" if command else "splinesym"
        try:
            sys.stdout.flush()
        except (OSError, ValueError):
            pass
        print(f"{prefix}: {_one_line(_message(exc, args))}", file=sys.stderr)
        return exit_status(exc)
