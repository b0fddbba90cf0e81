"""``splinesym check``: re-verify a certificate with the small independent checker.

The work is done by :mod:`splinesym.check`, which imports nothing from splinesym. Exit status: 0
when every claim holds, 1 when any claim fails (the report names it), 2 when the certificate
cannot be read (one line on stderr).
"""

from __future__ import annotations

import argparse

from ..errors import CertificateError

NAME = "check"
HELP = ("re-verify every claim of a splinesym.certificate/1 file with the independent exact "
        "checker (exit 0: all hold, 1: some fail, 2: unreadable)")
EXAMPLES = """examples:
  splinesym check cert.json            # 0: every claim holds, 1: some fail, 2: unreadable
  splinesym check cert.json --strict   # also fail on claims that rest on a solver's word
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help="a splinesym.certificate/1 file")
    p.add_argument("--quiet", action="store_true",
                   help="print only failed claims and the summary")
    p.add_argument("--strict", action="store_true",
                   help="also fail (exit 1) when a claim is only trusted (a solver's word), "
                        "tested at sample points or unverified")


def run(args: argparse.Namespace) -> int:
    from .. import check as checker

    try:
        rep = checker.check_file(args.file)
    except checker.CertificateFormatError as exc:
        raise CertificateError(str(exc)) from None
    for line in rep.text().splitlines():
        if not args.quiet or checker.FAILED in line or line.startswith(("ALL", "SOME")):
            print(line)
    if not rep.ok:
        return 1
    if args.strict and any(r.status not in (checker.CHECKED, checker.RECORDED)
                           for r in rep.results):
        print("strict: some claims are not checked exactly (see above)")
        return 1
    return 0
