"""``splinesym check``: re-verify a certificate with the kernel (:mod:`splinesym.kernel`).

The kernel imports nothing from splinesym; this command and ``python -m splinesym.kernel`` share
one entry point (:func:`splinesym.kernel.cli.run`) with the same options. Exit status: 0 when
the certificate's statement holds (under ``--strict``: exactly), 1 when a claim fails or the
claims do not cover the statement (the report names the claim and the rule), 2 when the
certificate cannot be read (one line on stderr).
"""

from __future__ import annotations

import argparse

NAME = "check"
HELP = ("re-verify a splinesym.certificate/1 file with the trusted kernel (exit 0: its statement "
        "holds, 1: it does not, 2: unreadable)")
EXAMPLES = """examples:
  splinesym check cert.json            # 0: every claim holds, 1: some fail, 2: unreadable
  splinesym check cert.json --strict   # also fail on claims that rest on a solver's word
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    from ..kernel.cli import add_arguments as kernel_arguments

    kernel_arguments(p)
    p.add_argument("--time-limit", type=float, default=600.0, metavar="S",
                   help="seconds for the whole check (default 600); when it runs out the check "
                        "stops with exit status 3 and says so (issue 9)")


def run(args: argparse.Namespace) -> int:
    from ..kernel.cli import run as kernel_run

    return kernel_run(args)
