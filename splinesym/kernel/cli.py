"""The one entry point of ``splinesym check`` and ``python -m splinesym.kernel``."""

from __future__ import annotations

import argparse
import json
import sys

from .base import FAILED, UNVERIFIED, Malformed, show
from .grammar import digits_to_int
from .verify import Report, check_certificate

MAX_BYTES = 512 * 1024 * 1024


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help="a splinesym.certificate/1 file")
    p.add_argument("--strict", action="store_true",
                   help="also fail (exit 1) unless the statement and every claim are checked "
                        "exactly (no solver's word, no sample test, nothing unverified)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--quiet", action="store_true", help="print only failures and the verdict")


def exact_float(text: str) -> float:
    """A JSON float literal as a float, refused when the float is not the literal's value up
    to rounding: a nonzero literal that underflows to 0 (``1e-400``) or overflows to inf would
    otherwise make the kernel check a different number than the file states."""
    v = float(text)
    if v in (float("inf"), float("-inf")) or (v == 0 and any(c in "123456789"
                                                              for c in text.split("e")[0]
                                                              .split("E")[0])):
        raise ValueError(f"the number {text[:40]} is out of the range of a float")
    return v


def unique_keys(pairs: list) -> dict:
    """A JSON object whose keys are distinct (a repeated key is ambiguous: readers differ on
    which one counts, so a certificate could state one thing and prove another)."""
    out = dict(pairs)
    if len(out) != len(pairs):
        seen = set()
        dup = next(k for k, _ in pairs if k in seen or seen.add(k))
        raise ValueError(f"the key {dup[:40]!r} occurs twice in one object")
    return out


def load(path: str):
    """Read and parse a certificate file; every failure is :class:`Malformed`."""
    try:  # parse_float/object_pairs_hook: see exact_float and unique_keys
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise Malformed("", f"cannot read the file: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise Malformed("", f"the file is larger than {MAX_BYTES} bytes")

    def bad_constant(name):
        raise ValueError(f"{name} is not a number")

    def capped_int(text):  # deliberate: at most CAPS.max_digits digits, whatever sys says
        return (-1 if text.startswith("-") else 1) * digits_to_int(text.lstrip("-"))

    try:
        return json.loads(data.decode("utf-8"), parse_constant=bad_constant,
                          parse_int=capped_int, parse_float=exact_float,
                          object_pairs_hook=unique_keys)
    except UnicodeDecodeError:
        raise Malformed("", "not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise Malformed("", f"malformed JSON at line {exc.lineno} column {exc.colno}: "
                            f"{exc.msg}") from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise Malformed("", f"unreadable JSON ({type(exc).__name__}: {show(exc)})") from None


def text(rep: Report, strict: bool, quiet: bool) -> str:
    lines = [rep.S.describe()]
    for c, (st, rule, msg) in zip(rep.claims, rep.results):
        if not quiet or st == FAILED:
            tag = f" [rule {rule}]" if rule else ""
            lines.append(f"claim {c.index} ({c.kind}): {st}{tag}: {msg}")
    for i, (t, st, rule, msg, _) in enumerate(rep.clauses):
        if st == UNVERIFIED:  # not established: the statement fails (exit 1)
            st, rule, msg = FAILED, "statement", f"only unverified claims cover it ({msg})"
        if not quiet or st == FAILED:
            tag = f" [rule {rule}]" if rule else ""
            lines.append(f"statement {i}: {t}: {st}{tag}: {msg}")
    if rep.partial:
        lines.append(f"PARTIAL: {rep.partial}")
    code = rep.exit_code(strict)
    nfail = sum(1 for r in rep.results if r[0] == FAILED)
    if code == 0:
        lines.append(f"STATEMENT HOLDS ({rep.status}); all {len(rep.results)} claims hold")
    elif rep.ok and strict and rep.status != "unverified":
        lines.append(f"STRICT: FAILED: the statement is only {rep.status}, or some claim is not "
                     f"checked exactly")
    elif rep.ok:
        lines.append("FAILED: the statement rests on unverified claims only")
    else:
        lines.append(f"FAILED: {nfail} claim(s) fail; statement: {rep.status}")
    return "\n".join(lines)


def as_json(rep: Report, strict: bool) -> str:
    return json.dumps({
        "exit": rep.exit_code(strict), "status": rep.status, "partial": rep.partial,
        "claims": [{"index": c.index, "kind": c.kind, "status": st, "rule": rule,
                    "message": msg} for c, (st, rule, msg) in zip(rep.claims, rep.results)],
        "statement": [{"clause": t, "status": st, "rule": rule, "message": msg,
                       "claims": used} for t, st, rule, msg, used in rep.clauses]}, indent=1)


def run(args, out=None, err=None) -> int:
    """Check ``args.file``; print the report; return the exit code (0, 1 or 2)."""
    out, err = out or sys.stdout, err or sys.stderr
    try:
        rep = check_certificate(load(args.file))
    except Malformed as exc:
        print(f"{args.file}: {exc}", file=err)
        return 2
    except (RecursionError, MemoryError, ValueError, ArithmeticError) as exc:
        print(f"{args.file}: cannot be checked ({type(exc).__name__})", file=err)
        return 2
    if args.format == "json":
        print(as_json(rep, args.strict), file=out)
    else:
        print(text(rep, args.strict, args.quiet), file=out)
    return rep.exit_code(args.strict)


def main(argv=None, prog: str = "python -m splinesym.kernel") -> int:
    ap = argparse.ArgumentParser(prog=prog, description="re-verify a splinesym certificate "
                                 "(exit 0: the statement holds, 1: it does not, 2: unreadable)")
    add_arguments(ap)
    return run(ap.parse_args(argv))
