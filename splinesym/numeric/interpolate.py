"""The segment of a line that stays in a cell, and exact interpolation on it.

:func:`segment_radius` returns a dyadic radius ``r`` such that no break restriction has a real
root in ``[-r, r]``, proved exactly by Descartes' rule of signs after a Moebius transformation of
each side (exact root exclusion, in the spirit of Vincent--Collins--Akritas isolation).
:func:`interpolation_nodes` puts ``B + 1`` rational nodes in that
segment; the caller re-verifies exactly that each node has the activation pattern of the point
(the proof that the interpolated values come from one polynomial), and
:func:`interpolate` returns the unique polynomial of degree <= B through the values (Newton's
divided differences in exact rationals).

Examples
--------
>>> import flint
>>> segment_radius([flint.fmpq_poly([-3, 10]), flint.fmpq_poly([1, 1, 1])])
Fraction(1, 4)
>>> nodes = interpolation_nodes(2, Fraction(1))
>>> nodes
[Fraction(-1, 2), Fraction(0, 1), Fraction(1, 2)]
>>> interpolate(nodes, [t * t + 1 for t in nodes])
x^2 + 1
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import flint

__all__ = ["segment_radius", "interpolation_nodes", "interpolate"]


def _variations(p: flint.fmpq_poly) -> int:
    signs = [c > 0 for c in p.coeffs() if c != 0]
    return sum(1 for a, b in zip(signs, signs[1:]) if a != b)


def no_root_between_0_and(s: flint.fmpq_poly, r: Fraction) -> bool:
    """True if ``s`` certainly has no root in ``(0, r]`` (Descartes' rule of signs).

    With ``q(x) = s(r x)``, the roots of ``q`` in ``(0, 1)`` correspond to the positive roots of
    ``(1 + y)^d q(1 / (1 + y))``; no sign variation in its coefficients means none. A True is a
    proof; a False may be inconclusive (the caller shrinks ``r``). ``s(r) != 0`` is checked too.
    """
    d = s.degree()
    if d < 1:
        return True
    rr = flint.fmpq(r.numerator, r.denominator)
    if s(rr) == 0:
        return False
    q = flint.fmpq_poly([c * rr**k for k, c in enumerate(s.coeffs())])
    rev = flint.fmpq_poly(list(reversed(q.coeffs())))
    shifted = rev(flint.fmpq_poly([1, 1]))
    # the reversal drops the factor t^(d - deg rev); positive roots are unaffected
    return _variations(shifted) == 0


def segment_radius(breaks: Sequence[flint.fmpq_poly], default: Fraction = Fraction(1),
                   max_halvings: int = 200) -> Fraction:
    """A power of two ``r <= default``: no break restriction has a real root in ``[-r, r]``.

    Proved exactly for every break by Descartes' rule of signs on ``(0, r]`` and on
    ``[-r, 0)`` (:func:`no_root_between_0_and`), halving ``r`` until every test passes. A
    break that vanishes at 0 is an error of the caller.
    """
    live = [b for b in breaks if b.degree() >= 1]
    if any(b(0) == 0 for b in live):
        raise ValueError("a break restriction vanishes at t = 0")
    neg = [b(flint.fmpq_poly([0, -1])) for b in live]
    r = Fraction(default)
    for _ in range(max_halvings):
        if all(no_root_between_0_and(b, r) for b in live) and \
                all(no_root_between_0_and(b, r) for b in neg):
            return r
        r /= 2
    raise ValueError("no root-free segment found around t = 0")


def interpolation_nodes(bound: int, radius: Fraction) -> list[Fraction]:
    """``bound + 1`` distinct rational nodes in ``(-radius, radius)``, symmetric about 0."""
    n = bound + 1
    return [radius * Fraction(2 * i - (n - 1), n + 1) for i in range(n)]


def interpolate(nodes: Sequence, values: Sequence) -> flint.fmpq_poly:
    """The polynomial of degree < len(nodes) through ``(nodes[i], values[i])``, exactly."""
    xs = [flint.fmpq(Fraction(x).numerator, Fraction(x).denominator)
          if not isinstance(x, flint.fmpq) else x for x in nodes]
    coef = [v if isinstance(v, flint.fmpq) else flint.fmpq(Fraction(v).numerator,
                                                            Fraction(v).denominator)
            for v in values]
    n = len(xs)
    if len(set(map(str, xs))) != n:
        raise ValueError("interpolation nodes must be distinct")
    for j in range(1, n):
        for i in range(n - 1, j - 1, -1):
            coef[i] = (coef[i] - coef[i - 1]) / (xs[i] - xs[i - j])
    p = flint.fmpq_poly([coef[n - 1]])
    for i in range(n - 2, -1, -1):
        p = p * flint.fmpq_poly([-xs[i], 1]) + coef[i]
    return p
