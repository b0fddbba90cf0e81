"""Univariate polynomials over Q (coefficient lists, lowest degree first): the kernel's one copy.

Restriction of a multivariate polynomial to a line, evaluation, derivative, rigorous Taylor
bounds on an interval, Euclid's gcd and Sturm root counting.

>>> p = [Fraction(-2), Fraction(0), Fraction(1)]          # t**2 - 2
>>> sturm_count(p, Fraction(0), Fraction(2)), sturm_count(p, None, None)
(1, 2)
>>> lo, hi = bounds(p, Fraction(1), Fraction(2)); lo <= -1 and hi >= 2
True
"""

from __future__ import annotations

from fractions import Fraction


def trim(a: list) -> list:
    a = list(a)
    while a and a[-1] == 0:
        a.pop()
    return a


def restrict(p: dict, p0, d) -> list:
    """Coefficients in ``t`` of ``p(p0 + t*d)`` (exact)."""
    out: list = [Fraction(0)]
    lines = [[Fraction(a), Fraction(b)] for a, b in zip(p0, d)]
    for e, c in p.items():
        term = [Fraction(c)]
        for lin, k in zip(lines, e):
            for _ in range(k):
                term = mul(term, lin)
        out = add(out, term)
    return trim(out)


def add(a: list, b: list) -> list:
    n = max(len(a), len(b))
    return [(a[i] if i < len(a) else 0) + (b[i] if i < len(b) else 0) for i in range(n)]


def mul(a: list, b: list) -> list:
    if not a or not b:
        return []
    out = [Fraction(0)] * (len(a) + len(b) - 1)
    for i, x in enumerate(a):
        if x:
            for j, y in enumerate(b):
                out[i + j] += x * y
    return out


def value(a: list, t) -> Fraction:
    v = Fraction(0)
    for c in reversed(a):
        v = v * t + c
    return v


def deriv(a: list) -> list:
    return trim([a[i] * i for i in range(1, len(a))])


def bounds(a: list, lo: Fraction, hi: Fraction) -> tuple[Fraction, Fraction]:
    """``(m, M)`` with ``m <= a(t) <= M`` for every ``t`` in ``[lo, hi]``.

    Lemma (Taylor form): ``a(t) = sum_i b_i (t - c)^i`` with ``c`` the midpoint, and
    ``|t - c| <= r`` on the interval, so ``|a(t) - b_0| <= sum_{i>0} |b_i| r^i``.
    """
    c, r = (lo + hi) / 2, (hi - lo) / 2
    coeffs, taylor = list(a), []
    while coeffs:
        acc, new = Fraction(0), []
        for x in reversed(coeffs):
            acc = acc * c + x
            new.append(acc)
        taylor.append(new[-1])
        coeffs = list(reversed(new[:-1]))
    if not taylor:
        return Fraction(0), Fraction(0)
    spread = sum((abs(b) * r**i for i, b in enumerate(taylor) if i), Fraction(0))
    return taylor[0] - spread, taylor[0] + spread


def rem(a: list, b: list) -> list:
    """Remainder of ``a`` divided by ``b != 0``."""
    a, b = trim(a), trim(b)
    while len(a) >= len(b) and a:
        f, k = a[-1] / b[-1], len(a) - len(b)
        for i, c in enumerate(b):
            a[i + k] -= f * c
        a = trim(a)
    return a


def gcd_degree(a: list, b: list) -> int:
    """Degree of ``gcd(a, b)`` (Euclid over Q); -1 when both are zero."""
    a, b = trim(a), trim(b)
    while b:
        a, b = b, rem(a, b)
    return len(a) - 1


def _sign_at(a: list, t, side: int) -> int:
    if t is None:  # at -inf (side < 0) or +inf (side > 0)
        s = 1 if a[-1] > 0 else -1
        return s if side > 0 or (len(a) - 1) % 2 == 0 else -s
    v = value(a, t)
    return (v > 0) - (v < 0)


def sturm_count(p: list, lo, hi) -> int | None:
    """Number of distinct real roots of ``p != 0`` in the open interval ``(lo, hi)``
    (``None`` = infinite end); ``None`` when ``lo`` or ``hi`` is itself a root.

    Lemma (Sturm): for the sequence ``p0 = p, p1 = p', p_{i+1} = -rem(p_{i-1}, p_i)``, the number
    of distinct roots in ``(a, b)`` (``a``, ``b`` not roots) is ``V(a) - V(b)``, ``V`` counting
    sign changes (zeros dropped).
    """
    p = trim(p)
    if len(p) <= 1:
        return 0
    seq = [p, deriv(p)]
    while True:
        r = rem(seq[-2], seq[-1])
        if not r:
            break
        seq.append([-c for c in r])
    for t in (lo, hi):
        if t is not None and value(p, t) == 0:
            return None

    def changes(t, side):
        sg = [x for x in (_sign_at(q, t, side) for q in seq) if x]
        return sum(1 for a, b in zip(sg, sg[1:]) if a != b)

    return changes(lo, -1) - changes(hi, 1)
