"""Statuses, the two exceptions of the kernel, and small helpers shared by the rules."""

from __future__ import annotations

from fractions import Fraction

CHECKED = "checked"
TRUSTED = "trusted (solver)"
TESTED = "tested"
UNVERIFIED = "unverified"
RECORDED = "recorded (not checked)"
FAILED = "FAILED"

#: weakest first; a claim's status is the weakest status of everything it uses. UNVERIFIED is
#: strictly below RECORDED: a measurements clause must never hide an unverified clause
_RANK = {FAILED: 0, UNVERIFIED: 1, RECORDED: 2, TESTED: 3, TRUSTED: 4, CHECKED: 5}


def weakest(*statuses: str) -> str:
    """The weakest of the given statuses (``checked`` for none)."""
    out = CHECKED
    for s in statuses:
        if _RANK[s] < _RANK[out]:
            out = s
    return out


class Malformed(Exception):
    """The certificate cannot be read (exit 2): ``field`` is a path into the document."""

    def __init__(self, field: str, problem: str):
        self.field, self.problem = field, problem
        super().__init__(f"{field}: {problem}" if field else problem)


class Fail(Exception):
    """A rule's precondition or conclusion does not hold (exit 1)."""

    def __init__(self, rule: str, why: str):
        self.rule, self.why = rule, why
        super().__init__(f"[rule {rule}] {why}")


def need(cond, rule: str, why: str) -> None:
    """Raise :class:`Fail` unless ``cond``."""
    if not cond:
        raise Fail(rule, why)


def show(x) -> str:
    """A number or object for a message, never failing on huge integers."""
    try:
        s = str(x)
    except ValueError:
        return "<a number too long to print>"
    return s if len(s) <= 60 else s[:57] + "..."


def sign_char(s: int) -> str:
    return ">" if s > 0 else "<"


def frac(x) -> Fraction:
    return x if isinstance(x, Fraction) else Fraction(x)
