"""The ``splinesym`` command.

Exit status (the one error contract, :func:`splinesym.errors.exit_status`): 0 complete (and
certified where that applies); 1 a check failed or the input is not a spline; 2 bad input or bad
options (one line on stderr naming the file, the field and the problem; no traceback; no output
file); 3 a limit stopped the work (partial output written and labelled with what is missing);
130 interrupted (128 + the signal number); 70 an internal error (one line; ``--debug`` shows the
traceback).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from .clihelp import EXAMPLES, HelpFormatter, complete_help
from .commands import COMMANDS
from .errors import OptionError

__all__ = ["main", "build_parser"]


def build_parser() -> tuple[argparse.ArgumentParser, dict]:
    from . import __version__

    parser = _OneLineParser(
        prog="splinesym", formatter_class=HelpFormatter, epilog=EXAMPLES,
        description="Exact verification that ReLU transformers are splines.")
    parser.add_argument("--version", action="version", version=f"splinesym {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_OneLineParser)
    modules = {}
    for name in COMMANDS:
        mod = importlib.import_module(f"splinesym.commands.{name}")
        p = sub.add_parser(mod.NAME, help=mod.HELP, description=mod.HELP,
                           formatter_class=HelpFormatter,
                           epilog=getattr(mod, "EXAMPLES", None))
        mod.add_arguments(p)
        from .guard import add_common_arguments

        add_common_arguments(p)
        complete_help(p)
        modules[mod.NAME] = mod
    return parser, modules


class _OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (raised as OptionError, exit status 2)."""

    def error(self, message: str):
        usage = " ".join(self.format_usage().split())
        raise OptionError(f"{message} ({usage}; see '{self.prog} --help')")


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit status (never raises, never prints a traceback unless
    ``--debug`` is given)."""
    from .guard import run_guarded

    program = argv is None
    status = run_guarded(list(sys.argv[1:] if program else argv), build_parser, program=program)
    if program:
        # as a program: leave at once (tearing down millions of objects can take seconds, and
        # a limit or an interrupt must end the process promptly); outputs are already closed
        import os

        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(status)
    return status


if __name__ == "__main__":
    sys.exit(main())
