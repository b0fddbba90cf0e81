"""The small independent checker of ``splinesym.certificate/1`` files.

This module re-verifies every claim of a certificate from its evidence with exact rational
arithmetic. It deliberately imports **nothing** from splinesym (only ``fractions``, ``json``,
``re``, ``sys`` and ``argparse`` from the standard library): it has its own polynomial parser, its
own polynomial arithmetic over the rationals (a polynomial is a ``dict`` mapping exponent tuples to
``int`` or :class:`fractions.Fraction` coefficients), its own interval bounds and its own forward
pass of the model format. It can be run without the package at all:
``python splinesym/check.py FILE``.

What each claim kind means and how it is re-verified:

``cell``
    ``nonempty``: the witness point satisfies every strict sign condition of the region (and the
    recorded break values are the exact values there). ``empty`` with ``multipliers``: Farkas,
    ``sum(l_k s_k g_k)`` is a constant ``<= 0`` with ``l >= 0`` not all zero. ``empty`` with a
    solver's word only, or a nonempty cell without a witness, is *reported as trusted/unverified*,
    never as checked.
    With ``on_break`` (and ``break_multiplier`` ``mu``), the set is the part of the wall
    ``{g_k = 0}`` where the region holds: ``sum(l_j s_j g_j) + mu g_k`` must be a constant
    ``<= 0``, which shows that two pieces with opposite signs on ``g_k`` never meet along it.
``degree``
    The exact total degree (in the input variables) of every output polynomial of every piece is
    recomputed; the claimed maximum must match. A structural bound, when given with the model, is
    recomputed from the model's shape and the maximum must not exceed it.
``continuity`` (scope ``wall``)
    Across the break ``g`` between pieces ``a`` and ``b``: for each output, ``P_a - P_b`` equals
    ``g**(r+1) * Q`` exactly (so the spline is ``C^r`` across the wall), and ``g`` does not divide
    ``Q`` (so it is not ``C^(r+1)``): either ``Q`` is nonzero at a regular point of the wall, or the
    remainder of ``Q`` divided by ``g`` is nonzero. The wall point is rational (``g(w) = 0``,
    ``grad g(w) != 0``, every other condition of both regions strict at ``w``) or a segment
    ``p(t) = p0 + t (p1 - p0)``, ``t`` in ``[lo, hi]``, on which ``g(p(t))`` changes sign with a
    nonzero derivative (one simple root) while every other condition holds on the whole interval
    (exact interval bounds). Order ``-1`` means discontinuous: not a spline.
``continuity`` (scope ``spline``)
    The minimum of the referenced wall claims. The checker also recomputes every *candidate
    pair* (two pieces with opposite signs on one break that agree on every other break they
    both mention) and reports which are accounted for by a wall claim or a not-a-wall claim;
    when the certificate says ``complete``, an unaccounted pair is a failure. That the pieces
    themselves cover the space comes from the cell enumeration (the report says so).
``identity``
    ``expand``: two polynomials are equal after expansion. ``model-local``: the checker runs its
    own symbolic forward pass of the model at a piece's witness (each ReLU decided by the sign of
    its argument there) and gets exactly the piece's polynomials, which proves that the model
    equals the piece near the witness. ``model-points``: the model (own exact forward pass) and
    the piece agree at the listed points (a spot check: reported as *tested*, not as a proof).
``measurement``
    Floating-point measurements (a SoftPlus gap, for instance): recorded, *not* checked.

Evidence may also record exact values derived from a point (the break values at a cell
witness, the condition and quotient values at a wall point, the piece values at an identity
point): the checker recomputes them and requires equality, so that changing any coordinate of a
certificate is detected even where the changed claim would happen to hold as well.

Exit status of the command line: 0 when no claim fails, 1 when any claim fails, 2 when the
certificate cannot be read (one line on stderr).

Examples
--------
>>> cert = {"format": "splinesym.certificate/1",
...   "subject": {"spline": {"format": "splinesym.spline/1", "variables": ["x"],
...       "outputs": ["f"], "breaks": ["x"],
...       "pieces": [{"region": [[0, "+"]], "values": ["x**2"]},
...                  {"region": [[0, "-"]], "values": ["0"]}]}},
...   "claims": [{"kind": "degree", "value": 2, "evidence": {"pieces": [[2], [-1]]}},
...              {"kind": "continuity", "value": 1, "evidence": {"scope": "wall", "break": 0,
...                "pieces": [0, 1], "outputs": [{"order": 1, "quotient": "1"}],
...                "wall_point": {"type": "rational", "point": ["0"]}}}]}
>>> rep = check_certificate(cert)
>>> [r.status for r in rep.results], rep.ok
(['checked', 'checked'], True)
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from fractions import Fraction

FORMAT = "splinesym.certificate/1"
SPLINE_FORMAT = "splinesym.spline/1"
MODEL_FORMAT = "splinesym.model/1"

#: statuses a claim can get; only FAILED makes the check fail
CHECKED = "checked"
TESTED = "tested"
TRUSTED = "trusted (solver)"
UNVERIFIED = "unverified"
RECORDED = "recorded (not checked)"
FAILED = "FAILED"

KINDS = ("cell", "degree", "continuity", "identity", "measurement")

__all__ = ["CertificateFormatError", "check_certificate", "check_file", "CheckReport",
           "ClaimResult", "parse_poly", "main"]


class CertificateFormatError(ValueError):
    """The certificate cannot be read: malformed JSON, unknown format, unknown claim kind..."""


class ClaimFailed(Exception):
    """Raised inside a claim check: the claim does not hold (message says why)."""


# ----------------------------------------------------------------------------------------------
# exact polynomials: dict {exponent tuple: Fraction}, zero coefficients never stored
def _clean(p: dict) -> dict:
    return {e: c for e, c in p.items() if c != 0}


def padd(p: dict, q: dict) -> dict:
    out = dict(p)
    for e, c in q.items():
        v = out.get(e, 0) + c
        if v:
            out[e] = v
        else:
            out.pop(e, None)
    return out


def padd_into(acc: dict, q: dict, sign: int = 1) -> dict:
    """``acc += sign * q`` in place (returns ``acc``)."""
    for e, c in q.items():
        v = acc.get(e, 0) + (c if sign > 0 else -c)
        if v:
            acc[e] = v
        else:
            acc.pop(e, None)
    return acc


def pneg(p: dict) -> dict:
    return {e: -c for e, c in p.items()}


def psub(p: dict, q: dict) -> dict:
    return padd(p, pneg(q))


def pscale(p: dict, c: Fraction) -> dict:
    return {e: v * c for e, v in p.items()} if c else {}


def pmul(p: dict, q: dict) -> dict:
    if len(p) == 1 or len(q) == 1:
        if len(q) != 1:
            p, q = q, p
        ((e2, c2),) = q.items()
        if not any(e2):
            return {e: c * c2 for e, c in p.items()} if c2 else {}
        return {tuple(a + b for a, b in zip(e, e2, strict=False)): c * c2
                for e, c in p.items()} if c2 else {}
    out: dict = {}
    for e1, c1 in p.items():
        for e2, c2 in q.items():
            e = tuple(a + b for a, b in zip(e1, e2, strict=False))
            v = out.get(e, 0) + c1 * c2
            if v:
                out[e] = v
            else:
                out.pop(e, None)
    return out


def ppow(p: dict, k: int, n: int) -> dict:
    if len(p) == 1:
        ((e, c),) = p.items()
        return {tuple(a * k for a in e): c**k}
    out = pconst(Fraction(1), n)
    base = p
    while k:
        if k & 1:
            out = pmul(out, base)
        k >>= 1
        if k:
            base = pmul(base, base)
    return out


def _small(c):
    """Integral coefficients are kept as ``int`` (much faster than ``Fraction``)."""
    c = Fraction(c)
    return c.numerator if c.denominator == 1 else c


def pconst(c, n: int) -> dict:
    c = _small(c)
    return {(0,) * n: c} if c else {}


def pvar(i: int, n: int) -> dict:
    return {tuple(1 if j == i else 0 for j in range(n)): 1}


def peval(p: dict, point) -> Fraction:
    """Exact value at a rational point, in integer arithmetic (one division at the end)."""
    if not p:
        return Fraction(0)
    pts = [Fraction(x) for x in point]
    n = len(pts)
    top = [max(e[i] for e in p) for i in range(n)]
    nums = [[x.numerator**k for k in range(t + 1)] for x, t in zip(pts, top, strict=False)]
    dens = [[x.denominator**k for k in range(t + 1)] for x, t in zip(pts, top, strict=False)]
    cden = 1
    for c in p.values():
        d = c.denominator if isinstance(c, Fraction) else 1
        cden = cden * d // _gcd(cden, d)
    total = 0
    for e, c in p.items():
        term = c * cden
        term = term.numerator if isinstance(term, Fraction) else term
        for i, k in enumerate(e):
            t = top[i]
            if t:
                term *= nums[i][k] * dens[i][t - k]
        total += term
    den = cden
    for i, t in enumerate(top):
        if t:
            den *= dens[i][t]
    return Fraction(total, den)


def _gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return a


def pderiv(p: dict, i: int) -> dict:
    out: dict = {}
    for e, c in p.items():
        if e[i]:
            ne = e[:i] + (e[i] - 1,) + e[i + 1:]
            out[ne] = out.get(ne, 0) + c * e[i]
    return _clean(out)


def pdegree(p: dict, indices) -> int:
    """Total degree counting only the variables at ``indices`` (-1 for zero)."""
    if not p:
        return -1
    return max(sum(e[i] for i in indices) for e in p)


def pdivides_remainder(q: dict, g: dict) -> dict:
    """Remainder of ``q`` divided by ``g`` (lex order): zero iff ``g`` divides ``q``.

    For a single divisor this is the normal form modulo the principal ideal ``(g)``, whose
    generator is a Groebner basis by itself, so the remainder is zero exactly when ``g | q``.
    """
    if not g:
        raise ClaimFailed("division by the zero polynomial")
    lt = max(g)
    lc = g[lt]
    p = dict(q)
    rem: dict = {}
    steps = 0
    while p:
        steps += 1
        if steps > 200000:
            raise ClaimFailed("polynomial division too long for the checker")
        e = max(p)
        c = p[e]
        if all(a >= b for a, b in zip(e, lt, strict=False)):
            shift = tuple(a - b for a, b in zip(e, lt, strict=False))
            f = Fraction(c) / lc
            for ge, gc in g.items():
                ne = tuple(a + b for a, b in zip(ge, shift, strict=False))
                v = p.get(ne, 0) - f * gc
                if v:
                    p[ne] = v
                else:
                    p.pop(ne, None)
        else:
            rem[e] = c
            del p[e]
    return rem


# univariate polynomials: list of Fractions, index = degree
def ucompose_affine(p: dict, p0, d) -> list:
    """Coefficients in ``t`` of ``p(p0 + t d)``."""
    out = [Fraction(0)]
    for e, c in p.items():
        term = [Fraction(c)]
        for j, k in enumerate(e):
            lin = [Fraction(p0[j]), Fraction(d[j])]
            for _ in range(k):
                term = _umul(term, lin)
        out = _uadd(out, term)
    return out


def _uadd(a: list, b: list) -> list:
    n = max(len(a), len(b))
    return [(a[i] if i < len(a) else 0) + (b[i] if i < len(b) else 0) for i in range(n)]


def _umul(a: list, b: list) -> list:
    out = [Fraction(0)] * (len(a) + len(b) - 1)
    for i, x in enumerate(a):
        if x:
            for j, y in enumerate(b):
                out[i + j] += x * y
    return out


def ueval(a: list, t: Fraction) -> Fraction:
    v = Fraction(0)
    for c in reversed(a):
        v = v * t + c
    return v


def uderiv(a: list) -> list:
    return [a[i] * i for i in range(1, len(a))] or [Fraction(0)]


def ubounds(a: list, lo: Fraction, hi: Fraction) -> tuple[Fraction, Fraction]:
    """Rigorous bounds of the univariate polynomial on ``[lo, hi]`` (Taylor form at the centre)."""
    c = (lo + hi) / 2
    r = (hi - lo) / 2
    # Taylor coefficients at c by repeated synthetic division
    coeffs = list(a)
    taylor = []
    while coeffs:
        acc = Fraction(0)
        new = []
        for x in reversed(coeffs):
            acc = acc * c + x
            new.append(acc)
        taylor.append(new[-1])
        coeffs = list(reversed(new[:-1]))
    spread = sum(abs(b) * r**i for i, b in enumerate(taylor) if i)
    return taylor[0] - spread, taylor[0] + spread


# ----------------------------------------------------------------------------------------------
# the parser (sympy syntax: numbers, names, + - * / ** ^, parentheses)
_TOKEN = re.compile(r"\s*(?:(\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)"
                    r"|([A-Za-z_][A-Za-z_0-9]*)|(\*\*|[-+*/()^]))")


class _Tokens:
    def __init__(self, text: str):
        self.text = text
        self.toks: list[tuple[str, str]] = []
        pos = 0
        end = len(text.rstrip())
        while pos < end:
            m = _TOKEN.match(text, pos)
            if not m or m.end() == pos:
                bad = text[pos:].strip()[:1]
                raise CertificateFormatError(f"bad character {bad!r} in polynomial {text!r}")
            if m.group(1):
                self.toks.append(("num", m.group(1)))
            elif m.group(2):
                self.toks.append(("name", m.group(2)))
            else:
                op = m.group(3)
                self.toks.append(("op", "**" if op == "^" else op))
            pos = m.end()
        self.i = 0

    def peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self):
        t = self.peek()
        self.i += 1
        return t


def parse_poly(text, names) -> dict:
    """Parse a polynomial string over the variables ``names`` into a coefficient dict.

    >>> parse_poly("3/2*x**2 - x*y + 1", ["x", "y"]) == {(2, 0): Fraction(3, 2),
    ...     (1, 1): Fraction(-1), (0, 0): Fraction(1)}
    True
    """
    names = list(names)
    n = len(names)
    if isinstance(text, int) and not isinstance(text, bool):
        return pconst(text, n)
    if not isinstance(text, str):
        raise CertificateFormatError(f"expected a polynomial string, got {text!r}")
    index = {v: i for i, v in enumerate(names)}
    tk = _Tokens(text)
    if not tk.toks:
        raise CertificateFormatError("empty polynomial string")

    def expr():
        p = dict(term())
        while (t := tk.peek()) and t[0] == "op" and t[1] in "+-":
            tk.take()
            padd_into(p, term(), 1 if t[1] == "+" else -1)
        return p

    def simple_term():
        """``[-]c*v**k*w*...`` parsed straight into one monomial, or None (generic path)."""
        start = tk.i
        sign = 1
        coef = 1
        exps = [0] * n
        want_factor = True
        while want_factor:
            t = tk.peek()
            if t is None:
                break
            if t == ("op", "-") and tk.i == start:
                sign = -1
                tk.take()
                continue
            if t[0] == "num":
                tk.take()
                try:
                    coef *= _small(Fraction(t[1]))
                except (ValueError, ZeroDivisionError):
                    raise CertificateFormatError(f"bad number {t[1]!r} in {text!r}") from None
            elif t[0] == "name" and t[1] in index:
                tk.take()
                k = 1
                if tk.peek() == ("op", "**"):
                    tk.take()
                    e = tk.take()
                    if not e or e[0] != "num" or not e[1].isdigit() or int(e[1]) > 10000:
                        tk.i = start
                        return None
                    k = int(e[1])
                exps[index[t[1]]] += k
            else:
                tk.i = start
                return None
            nxt = tk.peek()
            if nxt == ("op", "*"):
                after = tk.toks[tk.i + 1] if tk.i + 1 < len(tk.toks) else None
                if after is None or after[0] == "op":
                    tk.i = start
                    return None
                tk.take()
                continue
            if nxt is None or nxt in (("op", "+"), ("op", "-"), ("op", ")")):
                want_factor = False
            elif nxt == ("op", "/"):
                nd = tk.toks[tk.i + 1] if tk.i + 1 < len(tk.toks) else None
                if nd is None or nd[0] != "num":
                    tk.i = start
                    return None
                tk.take()
                tk.take()
                try:
                    coef = _small(Fraction(coef) / Fraction(nd[1]))
                except (ValueError, ZeroDivisionError):
                    raise CertificateFormatError(f"bad division in {text!r}") from None
                nxt = tk.peek()
                if nxt == ("op", "*"):
                    tk.take()
                    continue
                if nxt is None or nxt in (("op", "+"), ("op", "-"), ("op", ")")):
                    want_factor = False
                else:
                    tk.i = start
                    return None
            else:
                tk.i = start
                return None
        if tk.i == start:
            return None
        coef = sign * coef
        return {tuple(exps): coef} if coef else {}

    def term():
        fast = simple_term()
        if fast is not None:
            return fast
        p = unary()
        while (t := tk.peek()) and t[0] == "op" and t[1] in ("*", "/"):
            tk.take()
            q = unary()
            if t[1] == "*":
                p = pmul(p, q)
            else:
                if any(any(e) for e in q) or not q:
                    raise CertificateFormatError(f"division by a non-constant or zero in {text!r}")
                p = pscale(p, 1 / Fraction(q[(0,) * n]))
        return p

    def unary():
        t = tk.peek()
        if t and t[0] == "op" and t[1] in "+-":
            tk.take()
            p = unary()
            return pneg(p) if t[1] == "-" else p
        return power()

    def power():
        base = atom()
        t = tk.peek()
        if t and t[0] == "op" and t[1] == "**":
            tk.take()
            e = tk.take()
            if not e or e[0] != "num" or not e[1].isdigit():
                raise CertificateFormatError(f"exponents must be nonnegative integers in {text!r}")
            k = int(e[1])
            if k > 10000:
                raise CertificateFormatError(f"exponent too large in {text!r}")
            return ppow(base, k, n)
        return base

    def atom():
        t = tk.take()
        if t is None:
            raise CertificateFormatError(f"unexpected end of {text!r}")
        kind, val = t
        if kind == "num":
            try:
                return pconst(Fraction(val), n)
            except (ValueError, ZeroDivisionError):
                raise CertificateFormatError(f"bad number {val!r} in {text!r}") from None
        if kind == "name":
            if val not in index:
                raise CertificateFormatError(f"unknown variable {val!r} in {text!r}")
            return pvar(index[val], n)
        if val == "(":
            p = expr()
            c = tk.take()
            if c != ("op", ")"):
                raise CertificateFormatError(f"missing ')' in {text!r}")
            return p
        raise CertificateFormatError(f"unexpected {val!r} in {text!r}")

    p = expr()
    if tk.peek() is not None:
        raise CertificateFormatError(f"unexpected {tk.peek()[1]!r} in {text!r}")
    return p


def _num(v, what: str) -> Fraction:
    if isinstance(v, bool):
        raise CertificateFormatError(f"{what}: expected a number, got {v!r}")
    if isinstance(v, (int, float)):
        return Fraction(v)
    if isinstance(v, str):
        try:
            return Fraction(v.strip())
        except (ValueError, ZeroDivisionError):
            pass
    raise CertificateFormatError(f"{what}: expected a number, got {v!r}")


def _point(v, n: int, what: str) -> list[Fraction]:
    if not isinstance(v, list) or len(v) != n:
        raise CertificateFormatError(f"{what}: expected {n} coordinates")
    return [_num(x, what) for x in v]


# ----------------------------------------------------------------------------------------------
# the subject: a spline (and maybe the model it came from)
class Subject:
    """The spline a certificate talks about, parsed with the checker's own parser."""

    def __init__(self, data):
        if not isinstance(data, dict):
            raise CertificateFormatError("subject must be an object")
        self.raw = data
        self.model = data.get("model")
        sp = data.get("spline")
        self.spline = None
        if sp is None:
            self.names: list[str] = list(data.get("variables") or [])
            self.variables = list(self.names)
            return
        if not isinstance(sp, dict) or sp.get("format") != SPLINE_FORMAT:
            raise CertificateFormatError(f"subject.spline must be a {SPLINE_FORMAT} object")
        try:
            self.variables = [str(v) for v in sp["variables"]]
            self.outputs = [str(v) for v in sp["outputs"]]
            self.parameters = [str(v) for v in sp.get("parameters", [])]
            self.names = self.variables + self.parameters
            self.breaks = [parse_poly(b, self.names) for b in sp["breaks"]]
            self.pieces = []
            for i, pd in enumerate(sp["pieces"]):
                region = {}
                for k, s in pd["region"]:
                    if not isinstance(k, int) or not 0 <= k < len(self.breaks):
                        raise CertificateFormatError(f"piece {i}: bad break index {k!r}")
                    region[k] = 1 if s in ("+", 1) else -1
                vals = [parse_poly(v, self.names) for v in pd["values"]]
                if len(vals) != len(self.outputs):
                    raise CertificateFormatError(f"piece {i}: wrong number of values")
                self.pieces.append((region, vals))
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, CertificateFormatError):
                raise
            raise CertificateFormatError(f"subject.spline is malformed ({exc!r})") from None
        self.spline = sp

    @property
    def nvars(self) -> int:
        return len(self.names)

    def need_spline(self):
        if self.spline is None:
            raise CertificateFormatError("this claim needs subject.spline")

    def piece(self, i) -> tuple[dict, list]:
        self.need_spline()
        if not isinstance(i, int) or not 0 <= i < len(self.pieces):
            raise CertificateFormatError(f"no piece {i!r}")
        return self.pieces[i]

    def region_from(self, reg) -> dict:
        if not isinstance(reg, list):
            raise CertificateFormatError("region must be a list of [break, sign] pairs")
        out = {}
        for item in reg:
            if not isinstance(item, list) or len(item) != 2:
                raise CertificateFormatError("region must be a list of [break, sign] pairs")
            k, s = item
            if not isinstance(k, int) or not 0 <= k < len(self.breaks):
                raise CertificateFormatError(f"bad break index {k!r}")
            out[k] = 1 if s in ("+", 1) else -1
        return out


# ----------------------------------------------------------------------------------------------
class ClaimResult:
    """The verdict on one claim."""

    def __init__(self, index: int, kind: str, status: str, message: str):
        self.index, self.kind, self.status, self.message = index, kind, status, message

    def line(self) -> str:
        return f"claim {self.index} ({self.kind}): {self.status}: {self.message}"

    def __repr__(self) -> str:
        return f"ClaimResult({self.index}, {self.kind!r}, {self.status!r})"


class CheckReport:
    """All verdicts; ``ok`` is False when any claim failed."""

    def __init__(self, results: list[ClaimResult], subject_line: str):
        self.results = results
        self.subject_line = subject_line

    @property
    def ok(self) -> bool:
        return all(r.status != FAILED for r in self.results)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.results:
            out[r.status] = out.get(r.status, 0) + 1
        return out

    def text(self) -> str:
        lines = [self.subject_line, *[r.line() for r in self.results]]
        c = self.counts()
        summary = ", ".join(f"{n} {k}" for k, n in sorted(c.items()))
        lines.append(f"{'ALL CLAIMS HOLD' if self.ok else 'SOME CLAIMS FAIL'}: {summary}")
        if c.get(TRUSTED) or c.get(UNVERIFIED) or c.get(TESTED) or c.get(RECORDED):
            lines.append("note: only 'checked' claims were re-verified exactly from their "
                         "evidence; 'tested' = agreement at sample points, 'trusted (solver)' = "
                         "a solver's word, 'unverified' = no evidence to check")
        return "\n".join(lines)


def check_certificate(cert) -> CheckReport:
    """Re-verify every claim of a parsed certificate.

    Raises
    ------
    CertificateFormatError
        When the certificate cannot be read (wrong format, unknown claim kind, malformed data).
    """
    if not isinstance(cert, dict):
        raise CertificateFormatError("top level must be a JSON object")
    fmt = cert.get("format")
    if fmt != FORMAT:
        if isinstance(fmt, str) and fmt.startswith("splinesym.certificate/"):
            raise CertificateFormatError(f"unknown version {fmt!r} (this checker reads {FORMAT})")
        raise CertificateFormatError(f"not a certificate: format is {fmt!r}, expected {FORMAT!r}")
    subject = Subject(cert.get("subject", {}))
    claims = cert.get("claims")
    if not isinstance(claims, list):
        raise CertificateFormatError("claims must be a list")
    for i, c in enumerate(claims):
        if not isinstance(c, dict) or "kind" not in c:
            raise CertificateFormatError(f"claim {i}: expected an object with a 'kind'")
        if c["kind"] not in KINDS:
            raise CertificateFormatError(f"claim {i}: unknown claim kind {c['kind']!r} "
                                         f"(known: {', '.join(KINDS)})")
        if "value" not in c or not isinstance(c.get("evidence"), dict):
            raise CertificateFormatError(f"claim {i}: needs 'value' and an 'evidence' object")
    results: list[ClaimResult] = []
    for i, c in enumerate(claims):
        fn = _CHECKS[c["kind"]]
        try:
            status, msg = fn(subject, c, claims, results)
        except ClaimFailed as exc:
            status, msg = FAILED, str(exc)
        except (ZeroDivisionError, OverflowError) as exc:
            status, msg = FAILED, f"arithmetic error: {exc}"
        results.append(ClaimResult(i, c["kind"], status, msg))
    sub = "subject: "
    if subject.spline is not None:
        sub += (f"spline in {', '.join(subject.variables)} with {len(subject.pieces)} pieces, "
                f"{len(subject.breaks)} breaks")
    else:
        sub += "no spline"
    if isinstance(subject.model, dict):
        sub += "; with its model"
    return CheckReport(results, sub)


def _expect(cond: bool, why: str) -> None:
    if not cond:
        raise ClaimFailed(why)


# ---- cell ------------------------------------------------------------------------------------
def _check_cell(S: Subject, c, claims, results):
    ev = c["evidence"]
    S.need_spline()
    if "piece" in ev:
        region, _ = S.piece(ev["piece"])
    else:
        region = S.region_from(ev.get("region"))
    conds = [(S.breaks[k], s) for k, s in sorted(region.items())]
    value = c["value"]
    if value == "nonempty":
        if ev.get("witness") is None:
            return UNVERIFIED, f"nonempty by {ev.get('status', 'assertion')}: no witness given"
        w = _point(ev["witness"], S.nvars, "witness")
        vals = [peval(g, w) for g, _ in conds]
        rec = ev.get("break_values")
        if rec is not None:
            _expect(isinstance(rec, list) and len(rec) == len(vals)
                    and all(_num(a, "break_values") == b for a, b in zip(rec, vals, strict=False)),
                    "recorded break values differ from the exact values at the witness")
        for (k, s), v in zip(sorted(region.items()), vals, strict=False):
            _expect(s * v > 0, f"witness violates g{k} {'>' if s > 0 else '<'} 0 "
                    f"(value {v})")
        return CHECKED, f"nonempty: witness satisfies all {len(conds)} strict conditions"
    if value == "empty":
        on = ev.get("on_break")
        where = ""
        if on is not None:
            if not isinstance(on, int) or not 0 <= on < len(S.breaks):
                raise CertificateFormatError(f"bad break index {on!r}")
            _expect(on not in region, f"the region must not constrain g{on} itself")
            if ev.get("pieces") is not None:
                pa, pb = ev["pieces"]
                _expect(_candidate_region(S, on, pa, pb) == region,
                        f"the region is not the other conditions of pieces {pa} and {pb}")
            where = f" on g{on} = 0 (pieces {ev.get('pieces')} are not neighbours there)"
        lam = ev.get("multipliers")
        if lam is None:
            who = ev.get("solver", "a solver")
            return TRUSTED, f"empty{where} according to {who} (not re-checked)"
        lam = [_num(v, "multipliers") for v in lam]
        _expect(len(lam) == len(conds), "one multiplier per condition expected")
        _expect(all(v >= 0 for v in lam) and any(lam), "multipliers must be >= 0, not all 0")
        comb: dict = {}
        for (g, s), v in zip(conds, lam, strict=False):
            comb = padd(comb, pscale(g, v * s))
        if on is not None:
            comb = padd(comb, pscale(S.breaks[on], _num(ev.get("break_multiplier", 0),
                                                         "break_multiplier")))
        _expect(all(not any(e) for e in comb), "the combination is not constant")
        const = comb.get((0,) * S.nvars, Fraction(0))
        _expect(const <= 0, f"the combination is the positive constant {const}")
        return CHECKED, f"empty{where}: Farkas combination is a constant <= 0"
    raise CertificateFormatError(f"cell claim value must be 'nonempty' or 'empty', got {value!r}")


# ---- degree ----------------------------------------------------------------------------------
def _check_degree(S: Subject, c, claims, results):
    ev = c["evidence"]
    value = c["value"]
    if "polynomials" in ev:
        names = ev.get("variables") or S.names
        which = ev.get("degree_in") or names
        idx = [names.index(v) for v in which]
        degs = [pdegree(parse_poly(p, names), idx) for p in ev["polynomials"]]
        _expect(max(degs, default=-1) == value, f"recomputed degree {max(degs)} != {value}")
        return CHECKED, f"degree {value} recomputed from {len(degs)} polynomial(s)"
    S.need_spline()
    which = ev.get("degree_in") or S.variables
    try:
        idx = [S.names.index(v) for v in which]
    except ValueError:
        raise CertificateFormatError(f"degree_in names unknown variables: {which}") from None
    degs = [[pdegree(v, idx) for v in vals] for _, vals in S.pieces]
    claimed = ev.get("pieces")
    if claimed is not None:
        _expect(claimed == degs, "per-piece degrees differ from the recomputed ones")
    top = max((d for row in degs for d in row), default=-1)
    _expect(top == value, f"recomputed maximum degree {top} != claimed {value}")
    scope = "" if list(which) == list(S.variables) else f" in {', '.join(which)} alone"
    msg = f"maximum degree{scope} {top} recomputed over {len(degs)} pieces"
    bound = ev.get("structural_bound")
    if bound is not None:
        if isinstance(S.model, dict):
            rb = structural_bound(S.model)
            key = ev.get("bound_key", "joint")
            _expect(rb.get(key) == bound, f"structural bound recomputed from the model is "
                    f"{rb.get(key)}, certificate says {bound}")
            msg += f"; structural bound {bound} recomputed from the model's shape"
        else:
            msg += f"; structural bound {bound} (no model to recompute it)"
        _expect(top <= bound, f"degree {top} exceeds the structural bound {bound}")
        if top == bound:
            msg += " and attained"
    return CHECKED, msg


def structural_bound(model: dict) -> dict:
    """Degree bounds from the model's shape: attention on queries of degree q and keys/values of
    degree k has degree q + 2k; FFN, embeddings and readout keep degrees; residuals take maxima.
    Degrees are tracked jointly, in X alone and in Y alone."""
    def att(q, kv):
        return tuple(q[i] + 2 * kv[i] for i in range(3))

    def mx(a, b):
        return tuple(max(x, y) for x, y in zip(a, b, strict=False))

    def res(block, key):
        r = block.get("residual")
        if r is None:  # absent or null: on (as the model reader has it)
            return True
        if isinstance(r, dict):
            return r.get(key, True)
        return bool(r)

    def run(block, z, mem):
        if block.get("self_attention") is not None:
            a = att(z, z)
            z = mx(z, a) if res(block, "attention") else a
        if block.get("cross_attention") is not None:
            a = att(z, mem)
            z = mx(z, a) if res(block, "cross") else a
        return z

    z = (1, 1, 0)
    for b in model.get("encoder") or []:
        z = run(b, z, None)
    if model.get("decoder"):
        mem, z = z, (1, 0, 1)
        for b in model["decoder"]:
            z = run(b, z, mem)
    return {"joint": z[0], "x": z[1], "y": z[2]}


# ---- continuity ------------------------------------------------------------------------------
def _candidate_region(S: Subject, k: int, a, b) -> dict | None:
    """The other conditions of pieces a (g_k > 0) and b (g_k < 0), or None if they conflict."""
    ra, _ = S.piece(a)
    rb, _ = S.piece(b)
    if ra.get(k) != 1 or rb.get(k) != -1:
        return None
    out = {}
    for reg in (ra, rb):
        for j, s in reg.items():
            if j == k:
                continue
            if out.get(j, s) != s:
                return None
            out[j] = s
    return out


def candidate_pairs(S: Subject) -> list[tuple[int, int, int]]:
    """Every (k, a, b): piece a has g_k > 0, piece b has g_k < 0, and they agree elsewhere."""
    out = []
    for k in range(len(S.breaks)):
        plus = [i for i, (r, _) in enumerate(S.pieces) if r.get(k) == 1]
        minus = [i for i, (r, _) in enumerate(S.pieces) if r.get(k) == -1]
        for a in plus:
            for b in minus:
                if _candidate_region(S, k, a, b) is not None:
                    out.append((k, a, b))
    return out


def _order_value(v):
    if v == "inf":
        return float("inf")
    if isinstance(v, bool) or not isinstance(v, int) or v < -1:
        raise CertificateFormatError(f"continuity order must be an integer >= -1 or 'inf', "
                                     f"got {v!r}")
    return v


def _check_continuity(S: Subject, c, claims, results):
    ev = c["evidence"]
    scope = ev.get("scope", "wall")
    if scope == "spline":
        refs = ev.get("walls")
        if not isinstance(refs, list):
            raise CertificateFormatError("scope 'spline' needs a list 'walls' of claim indices")
        vals = []
        for r in refs:
            if not isinstance(r, int) or not 0 <= r < len(results):
                raise CertificateFormatError(f"wall reference {r!r} is not an earlier claim")
            rc = claims[r]
            _expect(rc["kind"] == "continuity" and rc["evidence"].get("scope", "wall") == "wall",
                    f"claim {r} is not a wall continuity claim")
            _expect(results[r].status == CHECKED, f"wall claim {r} did not check")
            vals.append(_order_value(rc["value"]))
        got = min(vals, default=float("inf"))
        claimed = _order_value(c["value"])
        _expect(got == claimed, f"minimum over the {len(vals)} walls is {_fmt_order(got)}, "
                f"claimed {_fmt_order(claimed)}")
        # which candidate pairs (opposite signs on one break, agreeing elsewhere) are covered?
        covered: dict = {}
        for r in refs:
            e = claims[r]["evidence"]
            covered[(e.get("break"), *e.get("pieces", [None, None]))] = "wall"
        for r in ev.get("not_walls", []):
            if not isinstance(r, int) or not 0 <= r < len(results):
                raise CertificateFormatError(f"not-wall reference {r!r} is not an earlier claim")
            rc = claims[r]
            e = rc["evidence"]
            _expect(rc["kind"] == "cell" and rc["value"] == "empty" and "on_break" in e,
                    f"claim {r} is not a not-a-wall claim")
            _expect(results[r].status in (CHECKED, TRUSTED), f"not-a-wall claim {r} failed")
            covered[(e["on_break"], *e.get("pieces", [None, None]))] = (
                "exact" if results[r].status == CHECKED else "solver")
        cands = candidate_pairs(S)
        missing = [p for p in cands if p not in covered]
        by_solver = sum(1 for p in cands if covered.get(p) == "solver")
        if ev.get("complete", False):
            _expect(not missing, f"completeness is claimed but {len(missing)} candidate pair(s) "
                                 f"are neither walls nor shown apart, e.g. {missing[:3]}")
        verdict = ("NOT A SPLINE (discontinuous)" if got == -1 else f"C^{_fmt_order(got)}")
        acc = (f"{len(cands) - len(missing)} of {len(cands)} candidate pairs accounted for "
               f"({len(vals)} walls, {len(cands) - len(missing) - len(vals) - by_solver} shown "
               f"not to meet exactly" + (f", {by_solver} by a solver" if by_solver else "")
               + ")")
        if missing:
            acc += f"; {len(missing)} unaccounted (possibly missed walls)"
        return CHECKED, (f"{verdict}: minimum over {len(vals)} checked walls; {acc}; that the "
                         f"pieces cover the space is taken from the cell enumeration")
    if scope != "wall":
        raise CertificateFormatError(f"unknown continuity scope {scope!r}")
    S.need_spline()
    k = ev.get("break")
    if not isinstance(k, int) or not 0 <= k < len(S.breaks):
        raise CertificateFormatError(f"bad break index {k!r}")
    pa, pb = ev.get("pieces", [None, None])
    ra, va = S.piece(pa)
    rb, vb = S.piece(pb)
    g = S.breaks[k]
    _expect(k in ra and k in rb and ra[k] == -rb[k],
            f"pieces {pa} and {pb} are not on opposite sides of g{k}")
    others: dict = {}
    for reg in (ra, rb):
        for j, s in reg.items():
            if j == k:
                continue
            _expect(others.get(j, s) == s, f"pieces {pa} and {pb} disagree on g{j}")
            others[j] = s
    outs = ev.get("outputs")
    if not isinstance(outs, list) or len(outs) != len(va):
        raise CertificateFormatError("one 'outputs' entry per output expected")
    orders = []
    quotients = []
    n = S.nvars
    for j, o in enumerate(outs):
        if not isinstance(o, dict):
            raise CertificateFormatError("outputs entries must be objects")
        D = psub(va[j], vb[j])
        r = _order_value(o.get("order"))
        if r == float("inf"):
            _expect(not D, f"output {j}: the pieces differ, yet order 'inf' is claimed")
            orders.append(r)
            quotients.append(None)
            continue
        Q = parse_poly(o.get("quotient"), S.names)
        _expect(bool(Q), f"output {j}: the quotient must be nonzero")
        _expect(psub(D, pmul(ppow(g, r + 1, n), Q)) == {},
                f"output {j}: P_a - P_b != g^{r + 1} * Q")
        orders.append(r)
        quotients.append(Q)
    # the wall point
    wp = ev.get("wall_point")
    if not isinstance(wp, dict):
        raise CertificateFormatError("wall_point must be an object")
    conds = [(S.breaks[j], s) for j, s in sorted(others.items())]
    nonzero_at_wall = _check_wall_point(S, g, conds, wp, quotients)
    for j, Q in enumerate(quotients):
        if Q is None or nonzero_at_wall[j]:
            continue
        _expect(bool(pdivides_remainder(Q, g)),
                f"output {j}: g divides the quotient, so the order is higher than claimed")
    wall_order = min(orders)
    claimed = _order_value(c["value"])
    _expect(wall_order == claimed, f"orders per output give {_fmt_order(wall_order)}, "
            f"claimed {_fmt_order(claimed)}")
    where = wp.get("type")
    if claimed == -1:
        verdict = "discontinuous (C^-1): not a spline"
    elif claimed == float("inf"):
        verdict = "same polynomial on both sides (C^inf)"
    else:
        verdict = f"exactly C^{claimed}"
    return CHECKED, f"g{k} between pieces {pa}|{pb}: {verdict}; {where} wall point checked"


def _fmt_order(v) -> str:
    return "inf" if v == float("inf") else str(v)


def _same(recorded, exact, what: str) -> None:
    """Recorded values (when given) must be exactly the recomputed ones."""
    if recorded is None:
        return
    ok = isinstance(recorded, list) and len(recorded) == len(exact) and all(
        (r is None and e is None) or (r is not None and e is not None and _num(r, what) == e)
        for r, e in zip(recorded, exact, strict=False))
    _expect(ok, f"recorded {what} differ from the exact ones")


def _check_wall_point(S: Subject, g, conds, wp, quotients) -> list[bool]:
    """Verify the wall point; return, per quotient, whether it was shown nonzero there."""
    n = S.nvars
    kind = wp.get("type")
    if kind == "rational":
        w = _point(wp.get("point"), n, "wall_point.point")
        _expect(peval(g, w) == 0, "the wall point is not on the break")
        grad = [peval(pderiv(g, i), w) for i in range(n)]
        _expect(any(grad), "the break is singular at the wall point (zero gradient)")
        cv = [peval(j, w) for j, _ in conds]
        for (_, s), v in zip(conds, cv, strict=True):
            _expect(s * v > 0, "a condition of the neighbouring pieces fails at the wall point")
        qv = [None if Q is None else peval(Q, w) for Q in quotients]
        rec = wp.get("values")
        if rec is not None:
            _same(rec.get("conditions"), cv, "condition values at the wall point")
            _same(rec.get("quotients"), qv, "quotient values at the wall point")
        return [v is not None and v != 0 for v in qv]
    if kind == "segment":
        p0 = _point(wp.get("p0"), n, "wall_point.p0")
        p1 = _point(wp.get("p1"), n, "wall_point.p1")
        t = wp.get("t")
        if not isinstance(t, list) or len(t) != 2:
            raise CertificateFormatError("wall_point.t must be [lo, hi]")
        lo, hi = _num(t[0], "t"), _num(t[1], "t")
        _expect(lo < hi, "empty parameter interval")
        d = [b - a for a, b in zip(p0, p1, strict=False)]
        h = ucompose_affine(g, p0, d)
        _expect(ueval(h, lo) * ueval(h, hi) < 0, "the break does not change sign on the segment")
        rec = wp.get("values")
        if rec is not None:
            plo = [a + lo * b for a, b in zip(p0, d, strict=True)]
            _same(rec.get("g_at_ends"), [ueval(h, lo), ueval(h, hi)],
                  "values of the break at the interval ends")
            _same(rec.get("conditions_at_lo"), [peval(j, plo) for j, _ in conds],
                  "condition values at the start of the interval")
        dlo, dhi = ubounds(uderiv(h), lo, hi)
        _expect(dlo > 0 or dhi < 0,
                "cannot show a simple root: the derivative may vanish on the interval")
        for j, s in conds:
            blo, bhi = ubounds(ucompose_affine(j, p0, d), lo, hi)
            _expect((s > 0 and blo > 0) or (s < 0 and bhi < 0),
                    "a condition of the neighbouring pieces is not shown on the whole interval")
        out = []
        for Q in quotients:
            if Q is None:
                out.append(False)
                continue
            qlo, qhi = ubounds(ucompose_affine(Q, p0, d), lo, hi)
            out.append(qlo > 0 or qhi < 0)
        return out
    raise CertificateFormatError(f"unknown wall point type {kind!r} (rational or segment)")


# ---- identity --------------------------------------------------------------------------------
def _check_identity(S: Subject, c, claims, results):
    ev = c["evidence"]
    method = ev.get("method")
    if method == "expand":
        names = ev.get("variables") or S.names
        lhs, rhs = ev.get("lhs"), ev.get("rhs")
        if isinstance(lhs, str):
            lhs, rhs = [lhs], [rhs]
        if not isinstance(lhs, list) or not isinstance(rhs, list) or len(lhs) != len(rhs):
            raise CertificateFormatError("identity needs lhs and rhs (strings or equal lists)")
        for i, (a, b) in enumerate(zip(lhs, rhs, strict=False)):
            _expect(psub(parse_poly(a, names), parse_poly(b, names)) == {},
                    f"entry {i}: lhs - rhs does not expand to zero")
        return CHECKED, f"{len(lhs)} polynomial identit{'y' if len(lhs) == 1 else 'ies'} " \
                        f"expand to zero"
    if method in ("model-local", "model-points"):
        if not isinstance(S.model, dict):
            raise CertificateFormatError("this identity needs subject.model")
        S.need_spline()
        entries = ev.get("points")
        if not isinstance(entries, list) or not entries:
            raise CertificateFormatError("identity needs a nonempty list 'points'")
        nx = len(S.variables)
        if S.parameters:
            return UNVERIFIED, "symbolic weights: the checker's forward pass needs numbers"
        for e in entries:
            if not isinstance(e, dict):
                raise CertificateFormatError("points entries must be objects")
            region, vals = S.piece(e.get("piece"))
            pt = _point(e.get("point"), nx, "point")
            for k, s in region.items():
                _expect(s * peval(S.breaks[k], pt) > 0,
                        f"point {e.get('point')} is not inside piece {e.get('piece')}")
            _same(e.get("values"), [peval(v, pt) for v in vals], "piece values at the point")
            if method == "model-points":
                got = model_forward(S.model, pt, Fraction(1), _NumOps())
                want = [peval(v, pt) for v in vals]
                _expect(got == want, f"model and piece {e.get('piece')} differ at "
                        f"{e.get('point')}: {got} != {want}")
            else:
                ops = _PolyOps(nx, pt)
                got = model_forward(S.model, [pvar(i, nx) for i in range(nx)], None, ops)
                _expect(len(got) == len(vals) and all(psub(a, b) == {} for a, b in
                                                      zip(got, vals, strict=False)),
                        f"the model's polynomial at {e.get('point')} differs from piece "
                        f"{e.get('piece')}")
        if method == "model-points":
            return TESTED, (f"model (checker's own exact forward pass) and spline agree at "
                            f"{len(entries)} points: a spot check, not a proof")
        return CHECKED, (f"at {len(entries)} witness points the checker's own symbolic forward "
                         f"pass gives exactly the piece polynomials (the model equals each piece "
                         f"near its witness)")
    if method == MAXMIN_METHOD:
        status, msg = verify_maxmin_claim(c, S.raw)
        if status == "FAILED":
            raise ClaimFailed(msg)
        return (CHECKED if status == "checked" else TRUSTED), msg
    raise CertificateFormatError(f"unknown identity method {method!r}")


def _check_measurement(S, c, claims, results):
    ev = c["evidence"]
    return RECORDED, str(ev.get("summary", "floating-point measurement"))


# ---- identity: max-min = spline, cell by cell (method "maxmin-cells") -----------------------
# Written for splinesym.lattice (which builds these certificates) and kept here so that the
# checker stays self-contained: only exact arithmetic and this module's own polynomials.
MAXMIN_METHOD = "maxmin-cells"


class ClaimFailure(Exception):
    pass


def _need(cond, why):
    if not cond:
        raise ClaimFailure(why)


def _fr(v) -> Fraction:
    return Fraction(str(v)) if not isinstance(v, (int, Fraction)) else Fraction(v)


def verify_sign(conds, q: dict, rel: int, ev: dict, names, trusted: list) -> None:
    """Check one sign proof: ``rel·q ≥ 0`` on ``{s·g > 0 for (g, s) in conds}``."""
    n = len(names)
    by = ev.get("by")
    if by == "zero":
        _need(q == {}, "claimed zero, but the difference is not the zero polynomial")
        return
    if by == "product":
        prod = pconst(_fr(ev["const"]), n)
        c = _fr(ev["const"])
        _need(c != 0, "zero constant")
        sign = 1 if c > 0 else -1
        for f in ev["factors"]:
            fp = parse_poly(f["poly"], names)
            m = int(f["power"])
            _need(m >= 1, "bad power")
            prod = pmul(prod, ppow(fp, m, n))
            sf = _factor_sign(conds, fp, f["why"], names)
            if m % 2:
                sign *= sf
        _need(psub(prod, q) == {}, "the factors do not multiply out to the difference")
        _need(sign == rel, "the factors give the wrong sign")
        return
    if by == "sum":
        tot = {}
        for p in ev["parts"]:
            pp = parse_poly(p["poly"], names)
            tot = padd(tot, pp)
            verify_sign(conds, pp, rel, p, names, trusted)
        _need(psub(tot, q) == {}, "the parts do not add up to the difference")
        return
    if by == "farkas":
        _check_farkas_dicts([*conds, (q, -rel)], [_fr(v) for v in ev["multipliers"]], n)
        return
    if by == "solver":
        trusted.append(ev.get("note", "solver"))
        return
    raise ClaimFailure(f"unknown sign evidence {by!r}")


def _factor_sign(conds, f: dict, why: dict, names) -> int:
    n = len(names)
    if "cond" in why:
        k = int(why["cond"])
        _need(0 <= k < len(conds), "condition index out of range")
        _need(psub(conds[k][0], f) == {}, "factor is not the named condition")
        return conds[k][1]
    if why.get("even"):
        return 1  # only used with an even power
    if "sos" in why:
        s = why["sos"]
        scale, c0 = _fr(s["scale"]), _fr(s["const"])
        _need(c0 >= 0 and scale != 0, "bad sum of squares constants")
        tot = pconst(c0, n)
        for w, e in s["squares"]:
            w = _fr(w)
            _need(w >= 0, "negative weight in a sum of squares")
            ep = parse_poly(e, names)
            tot = padd(tot, pscale(pmul(ep, ep), w))
        _need(psub(pscale(tot, scale), f) == {}, "sum of squares does not expand to "
              "the factor")
        return 1 if scale > 0 else -1
    if why.get("sturm"):
        _need(n == 1, "sturm evidence needs one variable")
        deg = max((e[0] for e in f), default=0)
        coeffs = [Fraction(0)] * (deg + 1)
        for e, c in f.items():
            coeffs[e[0]] = Fraction(c)
        lo, hi = _interval_dicts(conds)
        _need(_sturm_roots(coeffs, lo, hi) == 0, "the factor has a root in the interval")
        t = (Fraction(0) if lo is None and hi is None else hi - 1 if lo is None
             else lo + 1 if hi is None else (lo + hi) / 2)
        v = _uval(coeffs, t)
        _need(v != 0, "zero at the inner point")
        return 1 if v > 0 else -1
    raise ClaimFailure(f"unknown factor justification {why!r}")


def _uval(a, t):
    v = Fraction(0)
    for c in reversed(a):
        v = v * t + c
    return v


def _sturm_roots(p, lo, hi):
    """Distinct real roots of ``p`` (coefficients, low degree first) in ``(lo, hi)``; None
    when an endpoint is a root (the verifier's own Sturm sequence)."""
    def trim(a):
        a = list(a)
        while a and a[-1] == 0:
            a.pop()
        return a

    def rem(a, b):
        a = trim(a)
        while len(a) >= len(b) and a:
            f = a[-1] / b[-1]
            k = len(a) - len(b)
            for i, c in enumerate(b):
                a[i + k] -= f * c
            a = trim(a)
        return a

    p = trim(p)
    if len(p) <= 1:
        return 0
    seq = [p, trim([i * c for i, c in enumerate(p)][1:])]
    while True:
        r = rem(seq[-2], trim(seq[-1]))
        if not r:
            break
        seq.append([-c for c in r])

    def sign(a, t, side):
        a = trim(a)
        if not a:
            return 0
        if t is None:
            s = 1 if a[-1] > 0 else -1
            return s if (side > 0 or (len(a) - 1) % 2 == 0) else -s
        v = _uval(a, t)
        return (v > 0) - (v < 0)

    def var(t, side):
        sg = [sign(q, t, side) for q in seq]
        if t is not None and sg[0] == 0:
            return None
        sg = [x for x in sg if x]
        return sum(1 for a, b in zip(sg, sg[1:], strict=False) if a != b)

    va, vb = var(lo, -1), var(hi, 1)
    return None if va is None or vb is None else va - vb


def _interval_dicts(conds):
    lo = hi = None
    for g, s in conds:
        if not g or max(sum(e) for e in g) != 1:
            continue
        a = sum((Fraction(c) for e, c in g.items() if e[0] == 1), Fraction(0))
        b = sum((Fraction(c) for e, c in g.items() if e[0] == 0), Fraction(0))
        r = -b / a
        if s * a > 0:
            lo = r if lo is None else max(lo, r)
        else:
            hi = r if hi is None else min(hi, r)
    return lo, hi


def _check_farkas_dicts(conds, lam, n):
    _need(len(lam) == len(conds), "wrong number of multipliers")
    _need(all(x >= 0 for x in lam) and any(lam), "multipliers must be >= 0 and not all 0")
    tot = {}
    for (g, s), x in zip(conds, lam, strict=True):
        if x:
            tot = padd(tot, pscale(g, x * s))
    _need(all(not any(e) for e in tot), "the combination is not a constant")
    _need(sum(tot.values(), Fraction(0)) <= 0, "the combination is a positive constant")


def verify_maxmin_claim(claim: dict, subject: dict | None = None) -> tuple[str, str]:
    """Re-verify one ``maxmin-cells`` identity claim.

    Returns ``(status, message)`` with status ``checked``, ``trusted (solver)`` (some step is
    z3's word) or ``FAILED``. With ``subject`` (the certificate's subject) the pieces are also
    compared with ``subject.spline``'s regions and values.
    """
    try:
        ev = claim["evidence"]
        _need(ev.get("method") == MAXMIN_METHOD, f"not a {MAXMIN_METHOD} claim")
        names = list(ev["variables"])
        n = len(names)
        terms = [[parse_poly(p, names) for p in t] for t in ev["terms"]]
        _need(terms and all(terms), "empty max-min")
        trusted: list[str] = []
        nleaves = 0
        if subject and isinstance(subject.get("spline"), dict):
            spd = subject["spline"]
            brks = [parse_poly(b, names) for b in spd["breaks"]]
            o = int(ev.get("output_index", spd["outputs"].index(ev["output"])))
            _need(len(ev["pieces"]) == len(spd["pieces"]), "not every piece of the spline is "
                  "covered")
            for pc in ev["pieces"]:
                sp_piece = spd["pieces"][int(pc["piece"])]
                want = sorted((str(parse_poly(spd["breaks"][k], names)),
                               1 if s in ("+", 1) else -1) for k, s in sp_piece["region"])
                got = sorted((str(parse_poly(g, names)), 1 if s == "+" else -1)
                             for g, s in pc["region"])
                _need(want == got, f"piece {pc['piece']}: region differs from the spline's")
                _need(psub(parse_poly(sp_piece["values"][o], names),
                              parse_poly(pc["value"], names)) == {},
                      f"piece {pc['piece']}: value differs from the spline's")
            del brks
        if subject and isinstance(subject.get("maxmin"), dict):
            mmd = subject["maxmin"]
            outd = next(x for x in mmd["outputs"] if x["name"] == ev["output"])
            _need([[str(parse_poly(p, mmd["variables"])) for p in t]
                   for t in outd["max_of_mins"]] == [[str(p) for p in t] for t in terms],
                  "the terms differ from subject.maxmin")

        def walk(node, conds, v):
            nonlocal nleaves
            if "split" in node:
                f = parse_poly(node["split"], names)
                walk(node["pos"], [*conds, (f, 1)], v)
                walk(node["neg"], [*conds, (f, -1)], v)
                return
            if "empty" in node:
                e = node["empty"]
                if e.get("by") == "farkas":
                    _check_farkas_dicts(conds, [_fr(x) for x in e["multipliers"]], n)
                elif e.get("by") == "solver":
                    trusted.append("empty region (z3)")
                else:
                    raise ClaimFailure("unknown emptiness evidence")
                return
            lf = node["leaf"]
            nleaves += 1
            if lf.get("witness") is not None:
                pt = [_fr(x) for x in lf["witness"]]
                _need(all(s * peval(g, pt) > 0 for g, s in conds), "witness not in region")
            i = int(lf["top"])
            _need(0 <= i < len(terms), "top term out of range")
            _need(psub(terms[i][int(lf["equal"])], v) == {}, "top entry is not the value")
            seen = set()
            for e in lf["top_signs"]:
                j = int(e["entry"])
                verify_sign(conds, psub(terms[i][j], v), 1, e, names, trusted)
                seen.add(j)
            _need(seen == set(range(len(terms[i]))), "not every entry of the top term is "
                  "shown >= the value")
            others = set()
            for b in lf["below"]:
                t, j = int(b["term"]), int(b["entry"])
                _need(t != i and 0 <= t < len(terms), "bad term index")
                verify_sign(conds, psub(terms[t][j], v), -1, b, names, trusted)
                others.add(t)
            _need(others == set(range(len(terms))) - {i}, "some term is not shown <= the value")

        for pc in ev["pieces"]:
            conds = [(parse_poly(g, names), 1 if s == "+" else -1) for g, s in pc["region"]]
            walk(pc["tree"], conds, parse_poly(pc["value"], names))
    except ClaimFailure as exc:
        return "FAILED", str(exc)
    except (KeyError, TypeError, ValueError, IndexError, StopIteration) as exc:
        return "FAILED", f"malformed evidence: {exc!r}"
    msg = (f"output {ev['output']}: {len(ev['pieces'])} pieces, {nleaves} leaves, every leaf "
           f"proven exactly")
    if trusted:
        return "trusted (solver)", msg + f"; {len(trusted)} step(s) rest on z3's word"
    return "checked", msg


def verify_certificate(cert: dict) -> list[tuple[str, str]]:
    """Run :func:`verify_maxmin_claim` on every ``maxmin-cells`` claim of a certificate."""
    out = []
    for c in cert.get("claims", []):
        if c.get("kind") == "identity" and c.get("evidence", {}).get("method") == MAXMIN_METHOD:
            out.append(verify_maxmin_claim(c, cert.get("subject")))
    return out


_CHECKS = {"cell": _check_cell, "degree": _check_degree, "continuity": _check_continuity,
           "identity": _check_identity, "measurement": _check_measurement}


# ----------------------------------------------------------------------------------------------
# the checker's own forward pass of splinesym.model/1 (ReLU only), on numbers or polynomials
class _NumOps:
    def const(self, v):
        return v

    def add(self, a, b):
        return a + b

    iadd = add

    def mul(self, a, b):
        return a * b

    def zero(self):
        return Fraction(0)

    def relu(self, v):
        return v if v > 0 else Fraction(0)


class _PolyOps:
    """Polynomials in the inputs; each ReLU takes the branch its argument's sign at ``point``."""

    def __init__(self, n, point):
        self.n, self.point = n, point

    def const(self, v):
        return pconst(v, self.n)

    def add(self, a, b):
        return padd(a, b)

    def iadd(self, acc, b):
        return padd_into(acc, b)

    def mul(self, a, b):
        return pmul(a, b)

    def zero(self):
        return {}

    def relu(self, v):
        s = peval(v, self.point)
        if s == 0 and v:
            raise ClaimFailed("a ReLU argument vanishes at the point: it is on a break")
        return v if s > 0 else {}


def _weight(ops, w, what):
    if not isinstance(w, list):
        raise CertificateFormatError(f"model: {what} must be a list")
    out = []
    for row in w:
        if isinstance(row, list):
            out.append([ops.const(_small(_num(x, what))) for x in row])
        else:
            out.append(ops.const(_small(_num(row, what))))
    return out


def _mm(ops, A, B):
    n, m, p = len(A), len(B), len(B[0])
    if any(len(r) != m for r in A):
        raise CertificateFormatError("model: matrix shapes do not match")
    out = []
    for i in range(n):
        row = []
        for j in range(p):
            acc = ops.zero()
            for k in range(m):
                acc = ops.iadd(acc, ops.mul(A[i][k], B[k][j]))
            row.append(acc)
        out.append(row)
    return out


def _addm(ops, A, B):
    return [[ops.add(a, b) for a, b in zip(ra, rb, strict=False)]
            for ra, rb in zip(A, B, strict=False)]


def _addb(ops, A, b):
    return [[ops.add(a, x) for a, x in zip(r, b, strict=False)] for r in A]


def _attention(ops, att, Zq, Zkv):
    if att.get("activation") not in (None, "relu"):
        raise ClaimFailed("the checker evaluates ReLU attention only")
    scale = ops.const(_num(att.get("scale") if att.get("scale") is not None else 1, "scale"))
    causal = att.get("mask", "none") == "causal"
    outs = []
    for h in att["heads"]:
        Q = _mm(ops, Zq, _weight(ops, h["WQ"], "WQ"))
        K = _mm(ops, Zkv, _weight(ops, h["WK"], "WK"))
        V = _mm(ops, Zkv, _weight(ops, h["WV"], "WV"))
        for key, M in (("bQ", Q), ("bK", K), ("bV", V)):
            if h.get(key) is not None:
                b = _weight(ops, h[key], key)
                M[:] = _addb(ops, M, b)
        A = []
        for i, q in enumerate(Q):
            row = []
            for j, k in enumerate(K):
                if causal and j > i:
                    row.append(ops.zero())
                    continue
                s = ops.zero()
                for a, b in zip(q, k, strict=False):
                    s = ops.iadd(s, ops.mul(a, b))
                row.append(ops.relu(ops.mul(s, scale)))
            A.append(row)
        outs.append(_mm(ops, A, V))
    H = [sum((o[i] for o in outs), []) for i in range(len(outs[0]))]
    if att.get("WO") is not None:
        H = _mm(ops, H, _weight(ops, att["WO"], "WO"))
    return H


def _ffn(ops, f, Z):
    P = _mm(ops, Z, _weight(ops, f["W1"], "W1"))
    if f.get("b1") is not None:
        P = _addb(ops, P, _weight(ops, f["b1"], "b1"))
    H = [[ops.relu(v) for v in r] for r in P]
    out = _mm(ops, H, _weight(ops, f["W2"], "W2"))
    if f.get("b2") is not None:
        out = _addb(ops, out, _weight(ops, f["b2"], "b2"))
    return out


def _res(block, key):
    r = block.get("residual")
    if r is None:  # absent or null: on (as the model reader has it)
        return True
    return r.get(key, True) if isinstance(r, dict) else bool(r)


def _block(ops, b, Z, memory):
    if b.get("self_attention") is not None:
        A = _attention(ops, b["self_attention"], Z, Z)
        Z = _addm(ops, Z, A) if _res(b, "attention") else A
    if b.get("cross_attention") is not None:
        C = _attention(ops, b["cross_attention"], Z, memory)
        Z = _addm(ops, Z, C) if _res(b, "cross") else C
    if b.get("ffn") is not None:
        F = _ffn(ops, b["ffn"], Z)
        Z = _addm(ops, Z, F) if _res(b, "ffn") else F
    return Z


def model_forward(model: dict, point, _unused, ops) -> list:
    """Outputs (row-major) of a ReLU ``splinesym.model/1`` at ``point`` (X then Y, row-major)."""
    if model.get("format") != MODEL_FORMAT:
        raise CertificateFormatError(f"subject.model must be a {MODEL_FORMAT} object")
    try:
        n, d = model["tokens"], model["dim"]
        vals = list(point)
        X = [[vals[i * d + k] for k in range(d)] for i in range(n)]
        Z = X
        if model.get("embed") is not None:
            Z = _mm(ops, Z, _weight(ops, model["embed"], "embed"))
        for b in model.get("encoder") or []:
            Z = _block(ops, b, Z, None)
        if model.get("decoder"):
            tn, td = model["target_tokens"], model["target_dim"]
            Y = [[vals[n * d + i * td + k] for k in range(td)] for i in range(tn)]
            memory, Z = Z, Y
            if model.get("target_embed") is not None:
                Z = _mm(ops, Z, _weight(ops, model["target_embed"], "target_embed"))
            for b in model["decoder"]:
                Z = _block(ops, b, Z, memory)
        if model.get("readout") is not None:
            Z = _mm(ops, Z, _weight(ops, model["readout"], "readout"))
    except (KeyError, IndexError, TypeError) as exc:
        raise CertificateFormatError(f"subject.model is malformed ({exc!r})") from None
    return [v for row in Z for v in row]


# ----------------------------------------------------------------------------------------------
def load(path: str):
    """Read a certificate file; every failure becomes a :class:`CertificateFormatError`."""
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except FileNotFoundError:
        raise CertificateFormatError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CertificateFormatError(f"{path}: cannot read file: {exc}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CertificateFormatError(f"{path}: malformed JSON at line {exc.lineno} column "
                                     f"{exc.colno}: {exc.msg}") from None


def check_file(path: str) -> CheckReport:
    """Read and check a certificate file."""
    cert = load(path)
    try:
        return check_certificate(cert)
    except CertificateFormatError as exc:
        raise CertificateFormatError(f"{path}: {exc}") from None
    except RecursionError:
        raise CertificateFormatError(f"{path}: a polynomial is nested too deeply") from None


def main(argv=None) -> int:
    """``python check.py FILE``: 0 when every claim holds, 1 when any fails, 2 on bad input."""
    ap = argparse.ArgumentParser(prog="check", description="re-verify a splinesym certificate")
    ap.add_argument("file")
    ap.add_argument("--quiet", action="store_true", help="print only failures and the summary")
    args = ap.parse_args(argv)
    try:
        rep = check_file(args.file)
    except CertificateFormatError as exc:
        print(f"check: error: {exc}", file=sys.stderr)
        return 2
    for line in rep.text().splitlines():
        if not args.quiet or FAILED in line or line.startswith(("ALL", "SOME")):
            print(line)
    return 0 if rep.ok else 1


if __name__ == "__main__":
    sys.exit(main())
