"""Exact rational points on a wall ``g = 0`` where other strict conditions hold.

Used to decide whether two pieces on either side of a non-affine wall really touch: a point
``p`` with ``g(p) = 0``, ``∇g(p) ≠ 0`` and every other condition strict at ``p`` lies in the
closure of both sides (``g`` takes both signs near ``p``).

Examples
--------
>>> from fractions import Fraction as F
>>> from splinesym.poly import PolyRing
>>> R = PolyRing(["x", "y"])
>>> wall_point(R.parse("x*y - 1"), [(R.parse("x"), 1)], [(F(2), F(3)), (F(1), F(0))])
(Fraction(1, 3), Fraction(3, 1))
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from ..cells.decision import check_witness
from ..poly import Poly, to_fmpq

__all__ = ["wall_point"]


def _solve_linear_in(g: Poly, j: int, w: Sequence[Fraction]) -> tuple[Fraction, ...] | None:
    """``w`` with coordinate ``j`` moved so that ``g = 0``, when ``g`` has degree 1 in it."""
    n = len(w)
    if all(e[j] <= 1 for e in g.monoms()) and any(e[j] == 1 for e in g.monoms()):
        pt = [to_fmpq(c) for c in w]
        pt[j] = to_fmpq(0)
        B = g(*pt)
        pt[j] = to_fmpq(1)
        A = g(*pt) - B
        if A == 0:
            return None
        x = -B / A
        return tuple(Fraction(int(x.p), int(x.q)) if k == j else Fraction(w[k])
                     for k in range(n))
    return None


def wall_point(g: Poly, conds, witnesses: Sequence, samples: int = 9):
    """A rational point with ``g = 0``, ``∇g ≠ 0`` and every condition of ``conds`` strict;
    None when none is found (the search moves one coordinate of points on the segments between
    the witnesses, for each coordinate in which ``g`` is linear)."""
    ws = [tuple(Fraction(c) for c in w) for w in witnesses if w is not None]
    n = len(ws[0]) if ws else 0
    cands = list(ws)
    for a, b in zip(ws, ws[1:], strict=False):
        for k in range(1, samples):
            t = Fraction(k, samples)
            cands.append(tuple(x + t * (y - x) for x, y in zip(a, b, strict=True)))
    for w in cands:
        for j in range(n):
            p = _solve_linear_in(g, j, w)
            if p is None or not check_witness(conds, p):
                continue
            args = [to_fmpq(c) for c in p]
            if any(g.derivative(i)(*args) != 0 for i in range(n)):
                return p
    return None
