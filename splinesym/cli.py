"""The ``splinesym`` command.

Bad input exits with status 2 and one line on stderr naming the file, the field and the problem;
no traceback and no output file.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from collections.abc import Sequence

from .commands import COMMANDS
from .errors import SplinesymError

__all__ = ["main", "build_parser"]


EXAMPLES = """examples:
  splinesym expand                                   # the built-in model (ReLU attention)
  splinesym expand --model my_model.json --format json --out spline.json
  splinesym certify my_model.json --certificate cert.json && splinesym check cert.json
  splinesym maxmin spline.json --out f.maxmin.json --format json
  splinesym encode f.maxmin.json --out encoder.json --verify
  splinesym plot --out cells.png

'splinesym COMMAND --help' describes every option of a command, with its default.
Progress is shown on stderr when it is a terminal (--quiet turns it off).
"""

#: help for options a command module left without one (shared meanings, one name each)
GENERIC_HELP = {
    "out": "write the result to this file (atomically) instead of stdout",
    "time_limit": "seconds for the whole computation; what is left undone is reported",
    "solver_timeout": "seconds z3 may spend on one question (a cell, a sign fact)",
    "json": "print the report as JSON",
    "quiet": "no progress display on stderr",
}


FORMATS = {"text": "text (readable)", "latex": "latex (a complete LaTeX document)",
           "json": "json (the file formats of docs/FORMATS.md)"}


class HelpFormatter(argparse.ArgumentDefaultsHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Every option with its default; the epilog (examples) printed as written."""

    def _get_help_string(self, action):
        text = action.help or GENERIC_HELP.get(action.dest, "")
        if action.nargs == 0 or action.default is False or action.default is argparse.SUPPRESS:
            return text
        if action.default is None:
            if "default" in text or not action.option_strings:
                return text
            return text + " (default: none)"
        text = re.sub(r"\s*\(default:? [^;()]*\)|\s*\(default\)", "", text)
        text = re.sub(r"\(default:? [^;()]*; ", "(", text)
        return super()._get_help_string(argparse.Namespace(**{**vars(action), "help": text}))


def _add_common(p: argparse.ArgumentParser) -> None:
    """``--quiet`` on every command (unless it has its own)."""
    if not any("--quiet" in a.option_strings for a in p._actions):
        p.add_argument("--quiet", action="store_true", help=GENERIC_HELP["quiet"])
    for a in p._actions:
        if not a.help and a.dest == "format" and a.choices:
            a.help = "output format: " + ", ".join(FORMATS.get(c, c) for c in a.choices)
        if not a.help and a.dest in GENERIC_HELP:
            a.help = GENERIC_HELP[a.dest]


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
        _add_common(p)
        modules[mod.NAME] = mod
        modules[(mod.NAME, "parser")] = p
    return parser, modules


def main(argv: Sequence[str] | None = None) -> int:
    parser, modules = build_parser()
    args, extra = parser.parse_known_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    if extra:  # the subcommand's usage, not the top level's
        modules[(args.command, "parser")].error(f"unrecognized arguments: {' '.join(extra)}")
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
