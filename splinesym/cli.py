"""The ``splinesym`` command.

Bad input exits with status 2 and one line on stderr naming the file, the field and the problem;
no traceback and no output file.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from .clihelp import EXAMPLES, HelpFormatter, complete_help, subparser
from .commands import COMMANDS
from .errors import SplinesymError

__all__ = ["main", "build_parser"]


def build_parser() -> tuple[argparse.ArgumentParser, dict]:
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="splinesym", formatter_class=HelpFormatter, epilog=EXAMPLES,
        description="Exact verification that ReLU transformers are splines.")
    parser.add_argument("--version", action="version", version=f"splinesym {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    modules = {}
    for name in COMMANDS:
        mod = importlib.import_module(f"splinesym.commands.{name}")
        p = sub.add_parser(mod.NAME, help=mod.HELP, description=mod.HELP,
                           formatter_class=HelpFormatter,
                           epilog=getattr(mod, "EXAMPLES", None))
        mod.add_arguments(p)
        complete_help(p)
        modules[mod.NAME] = mod
    return parser, modules


def main(argv: Sequence[str] | None = None) -> int:
    parser, modules = build_parser()
    args, extra = parser.parse_known_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    if extra:  # the subcommand's usage, not the top level's
        subparser(parser, args.command).error(f"unrecognized arguments: {' '.join(extra)}")
    from .progress import progress_context

    show = sys.stderr.isatty() and not getattr(args, "quiet", False)
    try:
        with progress_context(show):
            return int(modules[args.command].run(args) or 0)
    except SplinesymError as exc:
        msg = exc.one_line() if hasattr(exc, "one_line") else str(exc)
        print(f"splinesym {args.command}: error: {msg}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"splinesym {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
