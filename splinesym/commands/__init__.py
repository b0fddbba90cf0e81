"""Subcommands of the ``splinesym`` CLI, one module each.

A command module defines ``NAME``, ``HELP``, ``add_arguments(parser)`` and ``run(args) -> int``.
Listed in :data:`COMMANDS` in the order ``splinesym --help`` shows them.
"""

COMMANDS = ("expand", "certify", "check", "maxmin", "encode", "degree", "cells", "plot")
