"""Command-line options of the fast path shared by several commands, and their validation.

``--seed`` (non-negative integer), ``--jobs`` (positive integer) and ``--scheduler`` (a Dask
scheduler address). Bad values raise :class:`~splinesym.errors.InvalidInputError` naming the
option (the CLI turns that into one line on stderr and exit status 2).

>>> import argparse
>>> p = argparse.ArgumentParser()
>>> add_parallel_options(p)
>>> check_parallel_options(p.parse_args(["--jobs", "2"])).jobs
2
"""

from __future__ import annotations

import argparse

from ..errors import InvalidInputError

__all__ = ["add_parallel_options", "check_parallel_options", "positive_int"]


def add_parallel_options(p: argparse.ArgumentParser, seed: bool = True) -> None:
    """Add ``--seed``, ``--jobs`` and ``--scheduler``."""
    if seed:
        p.add_argument("--seed", type=int, default=0, metavar="N",
                       help="seed of every random choice (default 0); per-task seeds derive "
                            "from it and the task index, so results do not depend on --jobs "
                            "or --scheduler")
    p.add_argument("--jobs", type=int, default=1, metavar="N",
                   help="run independent tasks on N local processes (default 1: serial); "
                        "the output is byte-identical to the serial run")
    p.add_argument("--scheduler", metavar="ADDRESS", default=None,
                   help="run the tasks on a Dask cluster (e.g. tcp://host:8786; needs "
                        "pip install 'splinesym[dask]'); byte-identical output")


def positive_int(value, option: str, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        what = "a positive integer" if minimum == 1 else f"an integer >= {minimum}"
        raise InvalidInputError(f"must be {what}, got {value!r}", option)
    return value


def check_parallel_options(args: argparse.Namespace) -> argparse.Namespace:
    """Validate the options added by :func:`add_parallel_options` (returns ``args``)."""
    if hasattr(args, "seed"):
        positive_int(args.seed, "--seed", 0)
    positive_int(args.jobs, "--jobs")
    if args.scheduler is not None and not str(args.scheduler).strip():
        raise InvalidInputError("must be a scheduler address such as tcp://host:8786",
                                "--scheduler")
    if args.scheduler is not None and args.jobs != 1:
        raise InvalidInputError("give either --jobs or --scheduler, not both", "--jobs")
    return args
