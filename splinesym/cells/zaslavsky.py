"""Zaslavsky's theorem: the number of regions of a real affine hyperplane arrangement is
``|chi(-1)|``, where ``chi(t) = sum over consistent subsets S of (-1)^|S| t^(n - rank S)``
(Whitney's formula). Computed exactly by a depth-first walk over consistent subsets.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from ..poly import Poly

__all__ = ["characteristic_polynomial", "zaslavsky_count"]


def _affine_row(p: Poly, nvars: int) -> list[Fraction]:
    row = [Fraction(0)] * (nvars + 1)
    for e, c in zip(p.monoms(), p.coeffs()):
        v = Fraction(int(c.p), int(c.q))
        if not any(e):
            row[nvars] = v
        else:
            row[list(e).index(1)] = v
    return row


def characteristic_polynomial(hyperplanes: Sequence[Poly], nvars: int,
                              max_subsets: int = 2_000_000) -> list[int] | None:
    """Coefficients ``c[k]`` of ``t^k`` in ``chi(t)``, or None past ``max_subsets`` subsets.

    Examples
    --------
    >>> from splinesym.poly import PolyRing
    >>> R = PolyRing(["x", "y"])
    >>> characteristic_polynomial([R.parse(s) for s in ("x", "y", "x + y - 1")], 2)
    [3, -3, 1]
    """
    rows = [_affine_row(h, nvars) for h in hyperplanes]
    coeffs = [0] * (nvars + 1)
    visited = 0

    def reduce(row, basis):
        row = list(row)
        for piv, brow in basis:
            if row[piv]:
                f = row[piv]
                row = [a - f * b for a, b in zip(row, brow)]
        return row

    stack = [(0, (), 0)]
    while stack:
        start, basis, size = stack.pop()
        visited += 1
        if visited > max_subsets:
            return None
        coeffs[nvars - len(basis)] += -1 if size % 2 else 1
        for j in range(start, len(rows)):
            r = reduce(rows[j], basis)
            piv = next((i for i in range(nvars) if r[i]), None)
            if piv is None:
                if r[nvars]:
                    continue  # inconsistent: no superset is consistent either
                stack.append((j + 1, basis, size + 1))
                continue
            inv = 1 / r[piv]
            r = [v * inv for v in r]
            newbasis = []
            for p2, b in basis:
                if b[piv]:
                    f = b[piv]
                    b = [a - f * c for a, c in zip(b, r)]
                newbasis.append((p2, b))
            newbasis.append((piv, r))
            stack.append((j + 1, tuple(newbasis), size + 1))
    return coeffs


def zaslavsky_count(hyperplanes: Sequence[Poly], nvars: int,
                    max_subsets: int = 2_000_000) -> int | None:
    """Number of regions ``|chi(-1)|`` of the arrangement (None if too many subsets to walk).

    >>> from splinesym.poly import PolyRing
    >>> R = PolyRing(["x", "y"])
    >>> zaslavsky_count([R.parse(s) for s in ("x", "y", "x + y - 1")], 2)
    7
    """
    chi = characteristic_polynomial(hyperplanes, nvars, max_subsets)
    if chi is None:
        return None
    return abs(sum(c * (-1) ** k for k, c in enumerate(chi)))
