"""THE polynomial grammar of splinesym: one iterative parser, with caps, for kernel and library.

Language (sympy syntax restricted to polynomials over Q)::

    expr   := term (("+" | "-") term)*
    term   := unary (("*" | "/") unary)*
    unary  := ("+" | "-") unary | power
    power  := atom (("**" | "^") INT)?          -- one power only: x**2**3 is rejected
    atom   := NUM | NAME | "(" expr ")"
    NUM    := DIGITS ["." DIGITS?] [EXP] | "." DIGITS [EXP]      (ASCII digits only)
    EXP    := ("e" | "E") ["+" | "-"] DIGITS
    INT    := DIGITS

A NAME must be one of the given variable names; a divisor must be a nonzero constant. The parser
is a shunting-yard loop with explicit stacks (no recursion), and every input is bounded by the
caps of :class:`Caps` (string length, digits of a literal, exponent, parenthesis depth, terms,
total degree and the work of one multiplication), each failing with a clear message.

>>> parse_polynomial("3/2*x**2 - x*y + 1", ["x", "y"]) == {(2, 0): Fraction(3, 2),
...     (1, 1): -1, (0, 0): 1}
True
>>> parse_polynomial("x - -", ["x"])
Traceback (most recent call last):
...
splinesym.kernel.grammar.GrammarError: cannot parse polynomial 'x - -': unexpected end
"""

from __future__ import annotations

import re
from fractions import Fraction

from .poly import pconst, pdegree, pneg, pvar, small

__all__ = ["Caps", "CAPS", "GrammarError", "parse_polynomial", "parse_rational", "digits_to_int"]


class GrammarError(ValueError):
    """A polynomial (or number) string is not in the language, or exceeds a cap."""


class Caps:
    """Limits on one polynomial string and on the polynomial it denotes (all parameters)."""

    def __init__(self, max_length: int = 1_000_000, max_digits: int = 4000,
                 max_exponent: int = 10_000, max_depth: int = 200, max_terms: int = 200_000,
                 max_degree: int = 10_000, max_work: int = 20_000_000):
        self.max_length = max_length
        self.max_digits = max_digits
        self.max_exponent = max_exponent
        self.max_depth = max_depth
        self.max_terms = max_terms
        self.max_degree = max_degree
        self.max_work = max_work


CAPS = Caps()

_TOKEN = re.compile(r"[ \t\r\n]*(?:([0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?"
                    r"|\.[0-9]+(?:[eE][-+]?[0-9]+)?)"
                    r"|([A-Za-z_][A-Za-z_0-9]*)|(\*\*|\^|[-+*/()]))", re.ASCII)
_NUMBER = re.compile(r"([0-9]*)(?:\.([0-9]*))?(?:[eE]([-+]?[0-9]+))?", re.ASCII)
_RATIONAL = re.compile(r"[ \t]*([-+]?)([0-9.eE+-]+?)(?:/([0-9]+))?[ \t]*", re.ASCII)
_PREC = {"+": 1, "-": 1, "*": 2, "/": 2, "u+": 3, "u-": 3}


def _short(text: str) -> str:
    return repr(text if len(text) <= 80 else text[:77] + "...")


def digits_to_int(digits: str, caps: Caps = CAPS) -> int:
    """An ASCII digit string as an int, at most ``caps.max_digits`` digits (independent of
    Python's global int-string limit: long strings are converted in chunks)."""
    if len(digits) > caps.max_digits:
        raise GrammarError(f"a number has {len(digits)} digits (cap {caps.max_digits})")
    out = 0
    for i in range(0, len(digits), 1000):
        chunk = digits[i:i + 1000]
        out = out * 10 ** len(chunk) + int(chunk)
    return out


def _literal(text: str, caps: Caps) -> Fraction:
    m = _NUMBER.fullmatch(text)
    if not m or not (m.group(1) or m.group(2)):
        raise GrammarError(f"bad number {_short(text)}")
    whole, frac, exp = m.group(1) or "", m.group(2) or "", m.group(3)
    mant = digits_to_int(whole + frac or "0", caps)
    e = 0
    if exp is not None:
        if len(exp.lstrip("+-")) > 6 or abs(int(exp)) > caps.max_digits:
            raise GrammarError(f"the exponent of {_short(text)} exceeds the cap {caps.max_digits}")
        e = int(exp)
    e -= len(frac)
    if e >= 0:
        return Fraction(mant * 10**e)
    return Fraction(mant, 10**-e)


def parse_rational(text: str, caps: Caps = CAPS) -> Fraction:
    """A number string: ``[+-]NUM`` or ``[+-]NUM/INT`` (exact; the divisor nonzero).

    >>> parse_rational("-3/4"), parse_rational("0.125"), parse_rational("1e-2")
    (Fraction(-3, 4), Fraction(1, 8), Fraction(1, 100))
    """
    if not isinstance(text, str) or len(text) > 2 * caps.max_digits + 20:
        raise GrammarError("a number string is too long or not a string")
    m = _RATIONAL.fullmatch(text)
    if not m:
        raise GrammarError(f"bad number {_short(text)}")
    v = _literal(m.group(2), caps)
    if m.group(3) is not None:
        d = digits_to_int(m.group(3), caps)
        if d == 0:
            raise GrammarError(f"zero denominator in {_short(text)}")
        v /= d
    return -v if m.group(1) == "-" else v


def _tokens(text: str, caps: Caps) -> list:
    out = []
    pos = 0
    end = len(text.rstrip(" \t\r\n"))
    while pos < end:
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            where = len(text) - len(text[pos:].lstrip(" \t\r\n"))
            raise GrammarError(f"cannot parse polynomial {_short(text)} at position {where}: "
                               f"unexpected character {text[where:where + 1]!r}")
        if m.group(1):
            out.append(("num", m.group(1), m.start(1)))
        elif m.group(2):
            out.append(("name", m.group(2), m.start(2)))
        else:
            op = m.group(3)
            out.append(("op", "**" if op == "^" else op, m.start(3)))
        pos = m.end()
    return out


class _Builder:
    """Arithmetic with the caps checked after every step."""

    def __init__(self, text: str, n: int, caps: Caps):
        self.text, self.n, self.caps = text, n, caps

    def error(self, why: str, pos=None) -> GrammarError:
        where = f" at position {pos}" if pos is not None else ""
        return GrammarError(f"cannot parse polynomial {_short(self.text)}{where}: {why}")

    def check(self, p: dict, pos) -> dict:
        if len(p) > self.caps.max_terms:
            raise self.error(f"more than {self.caps.max_terms} terms", pos)
        if p and pdegree(p) > self.caps.max_degree:
            raise self.error(f"total degree above {self.caps.max_degree}", pos)
        return p

    def mul(self, p: dict, q: dict, pos) -> dict:
        if len(p) == 1 and len(q) == 1:  # the common case: building one monomial
            ((e1, c1),), ((e2, c2),) = p.items(), q.items()
            e = tuple(a + b for a, b in zip(e1, e2))
            if sum(e) > self.caps.max_degree:
                raise self.error(f"total degree above {self.caps.max_degree}", pos)
            return {e: c1 * c2}
        if len(p) * len(q) > self.caps.max_work:
            raise self.error(f"a product of {len(p)} by {len(q)} terms exceeds the work cap", pos)
        if p and q and pdegree(p) + pdegree(q) > self.caps.max_degree:
            raise self.error(f"total degree above {self.caps.max_degree}", pos)
        if len(q) > len(p):
            p, q = q, p
        out: dict = {}
        for e2, c2 in q.items():
            for e1, c1 in p.items():
                e = tuple(a + b for a, b in zip(e1, e2))
                v = out.get(e, 0) + c1 * c2
                if v:
                    out[e] = v
                else:
                    out.pop(e, None)
        return self.check({e: small(c) for e, c in out.items()}, pos)

    def power(self, p: dict, k: int, pos) -> dict:
        if k > self.caps.max_exponent:
            raise self.error(f"exponent {k} above the cap {self.caps.max_exponent}", pos)
        if p and pdegree(p) * k > self.caps.max_degree:
            raise self.error(f"total degree above {self.caps.max_degree}", pos)
        if len(p) > 1:  # the k - 1 products, estimated before any is computed (issue 9)
            work, terms, d = 0, 1, pdegree(p)
            nv = sum(1 for j in range(self.n) if any(e[j] for e in p))
            mono = 1   # monomials of degree <= i d in nv variables: C(nv + i d, nv), updated
            for i in range(1, k):
                m = i * d
                for j in range(m - d + 1, m + 1):
                    mono = mono * (nv + j) // j
                terms = min(terms * len(p), mono)   # terms of p**i
                work += terms * len(p)
                if work > self.caps.max_work:
                    raise self.error(f"the power ({len(p)} terms)**{k} exceeds the work cap "
                                     f"({self.caps.max_work} term products)", pos)
        out = pconst(1, self.n)
        for _ in range(k) if len(p) > 1 else ():
            out = self.mul(out, p, pos)
        if len(p) <= 1:
            if not p:
                return out if k == 0 else {}
            ((e, c),) = p.items()
            c = Fraction(c)
            digits = max(c.numerator.bit_length(), c.denominator.bit_length()) * k * 0.30103
            if digits > 10 * self.caps.max_digits:   # (10**10000)**10000 (issue 9)
                raise self.error(f"the power would have about {digits:.0f} digits (cap "
                                 f"{10 * self.caps.max_digits})", pos)
            return {tuple(a * k for a in e): c**k}
        return out

    def reduce(self, vals: list, op: str, pos) -> None:
        if op in ("u+", "u-"):
            if op == "u-":
                vals[-1] = pneg(vals[-1])
            return
        b = vals.pop()
        a = vals.pop()
        if op in ("+", "-"):
            if op == "+" and len(b) > len(a):
                a, b = b, a
            for e, c in b.items():  # in place: values on the stack are never shared
                v = a.get(e, 0) + (c if op == "+" else -c)
                if v:
                    a[e] = v
                else:
                    a.pop(e, None)
            if len(a) > self.caps.max_terms:  # a sum never raises the degree
                raise self.error(f"more than {self.caps.max_terms} terms", pos)
            vals.append(a)
        elif op == "*":
            vals.append(self.mul(a, b, pos))
        else:
            if not b or any(any(e) for e in b):
                raise self.error("division by a non-constant or by zero", pos)
            c = Fraction(next(iter(b.values())))
            vals.append({e: small(v / c) for e, v in a.items()})


def parse_polynomial(text, names, caps: Caps = CAPS) -> dict:
    """Parse ``text`` over the variable ``names`` into ``{exponent tuple: coefficient}``.

    Raises
    ------
    GrammarError
        The string is not in the language (message: position and reason) or exceeds a cap.
    """
    if not isinstance(text, str):
        raise GrammarError(f"expected a polynomial string, got {type(text).__name__}")
    if len(text) > caps.max_length:
        raise GrammarError(f"a polynomial string of {len(text)} characters exceeds the cap "
                           f"{caps.max_length}")
    P = _Parser(text, list(names), caps)
    toks = _tokens(text, caps)
    if not toks:
        raise P.B.error("empty")
    i = 0
    while i < len(toks):
        i = P.operand(toks[i], i + 1) if P.want_operand else P.operator(toks, i)
    return P.finish()


class _Parser:
    """The shunting-yard state: a value stack, an operator stack, what comes next."""

    def __init__(self, text: str, names: list, caps: Caps):
        self.text, self.names, self.caps = text, names, caps
        self.index = {v: i for i, v in enumerate(names)}
        self.B = _Builder(text, len(names), caps)
        self.vals: list = []
        self.ops: list = []
        self.want_operand, self.powered, self.depth = True, False, 0

    def operand(self, tok, nxt: int) -> int:
        kind, val, pos = tok
        n = len(self.names)
        if kind == "num":
            self.vals.append(pconst(_literal_or_error(self.B, val, pos), n))
        elif kind == "name":
            if val not in self.index:
                known = ", ".join(self.names[:12]) + (", ..." if n > 12 else "")
                raise GrammarError(f"unknown variable {val!r} in {_short(self.text)} "
                                   f"(known: {known})")
            self.vals.append(pvar(self.index[val], n))
        elif val == "(":
            self.depth += 1
            if self.depth > self.caps.max_depth:
                raise self.B.error(f"parentheses nested deeper than {self.caps.max_depth}", pos)
            self.ops.append(("(", pos))
            return nxt
        elif val in ("+", "-"):
            self.ops.append(("u" + val, pos))
            return nxt
        else:
            raise self.B.error(f"unexpected {val!r}", pos)
        self.want_operand, self.powered = False, False
        return nxt

    def operator(self, toks: list, i: int) -> int:
        kind, val, pos = toks[i]
        if val == "**":
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if self.powered:
                raise self.B.error("a power of a power needs parentheses", pos)
            if nxt is None or nxt[0] != "num" or not nxt[1].isdigit() or not nxt[1].isascii():
                raise self.B.error("exponents must be nonnegative integers",
                                   nxt[2] if nxt else None)
            self.vals[-1] = self.B.power(self.vals[-1], digits_to_int(nxt[1], self.caps), nxt[2])
            self.powered = True
            return i + 2
        if kind == "op" and val in _PREC:
            while self.ops and self.ops[-1][0] != "(" and _PREC[self.ops[-1][0]] >= _PREC[val]:
                self.B.reduce(self.vals, *self.ops.pop())
            self.ops.append((val, pos))
            self.want_operand = True
        elif val == ")":
            while self.ops and self.ops[-1][0] != "(":
                self.B.reduce(self.vals, *self.ops.pop())
            if not self.ops:
                raise self.B.error("unmatched ')'", pos)
            self.ops.pop()
            self.depth -= 1
            self.powered = False
        else:
            raise self.B.error(f"unexpected {val!r}", pos)
        return i + 1

    def finish(self) -> dict:
        if self.want_operand:
            raise self.B.error("unexpected end")
        while self.ops:
            op, pos = self.ops.pop()
            if op == "(":
                raise self.B.error("missing ')'", pos)
            self.B.reduce(self.vals, op, pos)
        return self.vals[0]


def _literal_or_error(B: _Builder, val: str, pos) -> Fraction:
    try:
        return _literal(val, B.caps)
    except GrammarError as exc:
        raise B.error(str(exc), pos) from None
