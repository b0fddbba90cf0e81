"""Exact multivariate polynomials over Q as plain dictionaries (the kernel's only copy).

A polynomial in ``n`` variables is a ``dict`` mapping exponent tuples (length ``n``) to nonzero
``int`` or :class:`fractions.Fraction` coefficients; the zero polynomial is ``{}``. Nothing here
imports anything but the standard library.

>>> x, y = pvar(0, 2), pvar(1, 2)
>>> pmul(padd(x, y), psub(x, y)) == psub(pmul(x, x), pmul(y, y))
True
>>> peval(padd(x, pconst(Fraction(1, 2), 2)), [1, 5])
Fraction(3, 2)
"""

from __future__ import annotations

from fractions import Fraction


def small(c):
    """A rational as ``int`` when integral (much faster than ``Fraction``), else ``Fraction``."""
    c = Fraction(c)
    return c.numerator if c.denominator == 1 else c


def pconst(c, n: int) -> dict:
    """The constant polynomial ``c`` in ``n`` variables."""
    c = small(c)
    return {(0,) * n: c} if c else {}


def pvar(i: int, n: int) -> dict:
    """The ``i``-th of ``n`` variables."""
    return {tuple(1 if j == i else 0 for j in range(n)): 1}


def padd(p: dict, q: dict, sign: int = 1) -> dict:
    """``p + sign*q`` (a new dict)."""
    out = dict(p)
    for e, c in q.items():
        v = out.get(e, 0) + (c if sign > 0 else -c)
        if v:
            out[e] = v
        else:
            out.pop(e, None)
    return out


def pneg(p: dict) -> dict:
    """``-p``."""
    return {e: -c for e, c in p.items()}


def psub(p: dict, q: dict) -> dict:
    """``p - q``."""
    return padd(p, q, -1)


def pscale(p: dict, c) -> dict:
    """``c*p`` for a rational ``c``."""
    c = small(c)
    return {e: small(v * c) for e, v in p.items()} if c else {}


def pmul(p: dict, q: dict) -> dict:
    """``p*q``."""
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
    return {e: small(c) for e, c in out.items()}


def ppow(p: dict, k: int, n: int) -> dict:
    """``p**k`` for an integer ``k >= 0`` (``p**0 = 1``, also for ``p = 0``)."""
    out = pconst(1, n)
    base = p
    while k:
        if k & 1:
            out = pmul(out, base)
        k >>= 1
        if k:
            base = pmul(base, base)
    return out


def pdegree(p: dict, indices=None) -> int:
    """Total degree counting only the variables at ``indices`` (all by default); -1 for zero."""
    if not p:
        return -1
    if indices is None:
        return max(sum(e) for e in p)
    return max(sum(e[i] for i in indices) for e in p)


def is_const(p: dict) -> bool:
    """True when ``p`` is a constant (zero included)."""
    return all(not any(e) for e in p)


def const_value(p: dict) -> Fraction:
    """The value of a constant polynomial."""
    return Fraction(sum(p.values(), 0))


def peval(p: dict, point) -> Fraction:
    """Exact value of ``p`` at a rational point."""
    pts = [Fraction(v) for v in point]
    total = Fraction(0)
    for e, c in p.items():
        term = Fraction(c)
        for x, k in zip(pts, e):
            if k:
                term *= x**k
        total += term
    return total


def pderiv(p: dict, i: int) -> dict:
    """Partial derivative in variable ``i``."""
    out: dict = {}
    for e, c in p.items():
        if e[i]:
            ne = e[:i] + (e[i] - 1,) + e[i + 1:]
            out[ne] = small(out.get(ne, 0) + c * e[i])
    return {e: c for e, c in out.items() if c}


def premainder(q: dict, g: dict, max_steps: int = 200000) -> dict | None:
    """Remainder of ``q`` divided by ``g != 0`` in lex order; ``None`` if ``max_steps`` is hit.

    Lemma: ``{g}`` is a Groebner basis of the principal ideal ``(g)``, so the normal form of
    ``q`` modulo ``g`` is zero exactly when ``g`` divides ``q``.
    """
    lt = max(g)
    lc = Fraction(g[lt])
    p = dict(q)
    rem: dict = {}
    for _ in range(max_steps):
        if not p:
            return rem
        e = max(p)
        c = p.pop(e)
        if all(a >= b for a, b in zip(e, lt)):
            shift = tuple(a - b for a, b in zip(e, lt))
            f = Fraction(c) / lc
            for ge, gc in g.items():
                if ge == lt:
                    continue
                ne = tuple(a + b for a, b in zip(ge, shift))
                v = p.get(ne, 0) - f * gc
                if v:
                    p[ne] = small(v)
                else:
                    p.pop(ne, None)
        else:
            rem[e] = c
    return None


def key(p: dict) -> tuple:
    """A canonical hashable form of ``p`` (sorted exponent/coefficient pairs)."""
    return tuple(sorted((e, Fraction(c)) for e, c in p.items()))
