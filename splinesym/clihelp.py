"""Help texts of the ``splinesym`` command: every option with its default, examples at the end.

Kept apart from :mod:`splinesym.cli` (which runs commands) so that both stay small.
"""

from __future__ import annotations

import argparse
import re

__all__ = ["EXAMPLES", "GENERIC_HELP", "FORMATS", "HelpFormatter", "complete_help",
           "subparser"]

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


def complete_help(p: argparse.ArgumentParser) -> None:
    """``--quiet`` on every command (unless it has its own); help for options left without."""
    if not any("--quiet" in a.option_strings for a in p._actions):
        p.add_argument("--quiet", action="store_true", help=GENERIC_HELP["quiet"])
    for a in p._actions:
        if not a.help and a.dest == "format" and a.choices:
            a.help = "output format: " + ", ".join(FORMATS.get(c, c) for c in a.choices)
        if not a.help and a.dest in GENERIC_HELP:
            a.help = GENERIC_HELP[a.dest]


def subparser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser | None:
    """The parser of the subcommand ``name`` (for its usage in error messages)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action.choices.get(name)
    return None
