"""Sums of squares for quadratic polynomials: an exact certificate that ``q >= 0`` everywhere.

A polynomial of degree at most 2 is ``m^T G m`` with ``m = (x_1, ..., x_n, 1)``. An exact
LDL^T elimination of the symmetric Gram matrix ``G`` either finds ``q = sum d_i (l_i . m)^2`` with
every ``d_i >= 0`` (so ``{q < 0}`` is empty; the identity is checked exactly) or shows ``G`` is not
positive semidefinite.

Examples
--------
>>> from splinesym.poly import PolyRing
>>> R = PolyRing(["x", "y"])
>>> cert = quadratic_sos(R.parse("x**2 - 2*x*y + 2*y**2 + 1"), R)
>>> [d for d, _ in cert]
[Fraction(1, 1), Fraction(1, 1), Fraction(1, 1)]
>>> check_sos(R.parse("x**2 - 2*x*y + 2*y**2 + 1"), cert, R)
True
>>> quadratic_sos(R.parse("x*y"), R) is None
True
"""

from __future__ import annotations

from fractions import Fraction

from ..poly import Poly, PolyRing, to_fraction

__all__ = ["quadratic_sos", "check_sos", "sos_polynomial"]

SOS = list[tuple[Fraction, list[Fraction]]]


def _gram(q: Poly, n: int) -> list[list[Fraction]]:
    G = [[Fraction(0)] * (n + 1) for _ in range(n + 1)]
    for e, c in zip(q.monoms(), q.coeffs()):
        c = to_fraction(c)
        idx = [i for i in range(n) for _ in range(int(e[i]))]
        if len(idx) == 0:
            G[n][n] += c
        elif len(idx) == 1:
            G[idx[0]][n] += c / 2
            G[n][idx[0]] += c / 2
        else:
            i, j = idx
            if i == j:
                G[i][i] += c
            else:
                G[i][j] += c / 2
                G[j][i] += c / 2
    return G


def quadratic_sos(q: Poly, ring: PolyRing) -> SOS | None:
    """``[(d_i, l_i)]`` with ``q = sum d_i (l_i . (x, 1))^2`` and ``d_i >= 0``, or None when ``q``
    is not a nonnegative quadratic (degree > 2 included)."""
    if q.is_zero() or q.total_degree() > 2:
        return None
    n = ring.nvars
    G = _gram(q, n)
    out: SOS = []
    for k in range(n + 1):
        d = G[k][k]
        if d < 0:
            return None
        if d == 0:
            if any(G[k][j] != 0 for j in range(n + 1)):
                return None
            continue
        row = [G[k][j] / d for j in range(n + 1)]
        out.append((d, row))
        for i in range(n + 1):
            if row[i]:
                for j in range(n + 1):
                    G[i][j] -= d * row[i] * row[j]
    return out if check_sos(q, out, ring) else None


def sos_polynomial(cert: SOS, ring: PolyRing) -> Poly:
    """The polynomial ``sum d_i (l_i . (x, 1))^2``."""
    gens = list(ring.gens()) + [ring.const(1)]
    total = ring.zero()
    for d, row in cert:
        lin = ring.zero()
        for c, g in zip(row, gens):
            if c:
                lin += g * ring.const(c)
        total += lin * lin * ring.const(d)
    return total


def check_sos(q: Poly, cert: SOS, ring: PolyRing) -> bool:
    """Exactly: every ``d_i >= 0`` and the squares add up to ``q``."""
    return all(d >= 0 for d, _ in cert) and sos_polynomial(cert, ring) == q
