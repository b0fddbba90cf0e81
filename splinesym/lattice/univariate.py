"""Univariate splines as max–min: one short term per piece.

For knots ``t_1 < … < t_m`` and pieces ``p_0, …, p_m`` (``p_k`` on ``(t_k, t_{k+1})``),
continuity gives ``p_k − p_{k−1} = (x − t_k)·Q_k``. With ``U_k ≥ |Q_k|`` a polynomial
(``|c|·s²`` when ``Q_k = c·s²``, else ``1 + Q_k²``)::

    L_i = p_i + (x − t_i)·Σ_{k ≤ i} U_k        R_i = p_i − (x − t_{i+1})·Σ_{k > i} U_k
    f   = max_i min(p_i, L_i, R_i)

On its own piece ``L_i, R_i ≥ p_i``; to the right of ``t_{i+1}``,
``|f − p_i| ≤ (x − t_{i+1})·Σ_{k>i} |Q_k|`` so ``R_i ≤ f`` (and ``L_i ≤ f`` on the left). So
``m + 1`` terms of at most 3 entries, always, with no conjecture.

Examples
--------
>>> from splinesym.spline import Spline
>>> sp = Spline.from_pieces(["x"], ["f"], ["x"], [([(0, 1)], ["x**2"]), ([(0, -1)], ["2*x**2"])])
>>> mm = univariate_maxmin(sp)
>>> [[mm.ring.format(p) for p in t] for t in mm.terms[0]]
[['2*x**2', '-x**3 + 2*x**2 - x'], ['x**2', 'x**3 + x**2 + x']]
>>> mm.evaluate([-3]), mm.evaluate([5])
([Fraction(18, 1)], [Fraction(25, 1)])
"""

from __future__ import annotations

from fractions import Fraction

from ..errors import (
    DiscontinuityError,
    InvalidInputError,
    TableGapError,
    TableOverlapError,
)
from ..poly import Poly, to_fmpq
from ..region import factor_normalized
from ..spline import Spline
from .expr import HintBook, MaxMin, pkey
from .signs import region_interval

__all__ = ["univariate_maxmin", "univariate_pieces"]


def univariate_pieces(sp: Spline) -> list[tuple[Fraction | None, Fraction | None, int]]:
    """The pieces as sorted intervals ``(lo, hi, piece index)`` tiling the line.

    Raises
    ------
    InvalidInputError
        When the spline is not univariate with affine breaks.
    InvalidSplineTableError
        When the intervals overlap or leave a gap.
    """
    if sp.nvars != 1 or sp.parameters:
        raise InvalidInputError("univariate construction needs exactly one variable", "variables")
    if any(b.total_degree() != 1 for b in sp.breaks):
        raise InvalidInputError("univariate construction needs rational knots (affine breaks)",
                                "breaks")
    ivs = []
    for k, p in enumerate(sp.pieces):
        lo, hi = region_interval(sp.conditions(p.region))
        if lo is not None and hi is not None and lo >= hi:
            continue  # empty piece
        ivs.append((lo, hi, k))
    ivs.sort(key=lambda t: (t[0] is not None, t[0] if t[0] is not None else 0))
    for (lo, hi, k), (lo2, hi2, k2) in zip(ivs, ivs[1:], strict=False):
        if hi is None or lo2 is None or hi != lo2:
            what = "overlap" if (hi is None or (lo2 is not None and lo2 < hi)) else "leave a gap"
            cls = TableOverlapError if what == "overlap" else TableGapError
            raise cls(f"pieces {k} and {k2} {what} (intervals ({lo}, {hi}) and ({lo2}, {hi2}))",
                      "pieces")
    if not ivs or ivs[0][0] is not None or ivs[-1][1] is not None:
        raise TableGapError("the pieces do not cover the whole line", "pieces")
    return ivs


def _bound(Q: Poly, R) -> tuple[Poly, Fraction, list]:
    """``U ≥ |Q|`` as (U, constant part, [(w, e)]) with U = c0 + Σ w e²."""
    c, fs = factor_normalized(Q)
    if all(m % 2 == 0 for _, m in fs):
        s = R.const(1)
        for f, m in fs:
            s *= f ** (m // 2)
        w = abs(c)
        return s * s * to_fmpq(w), Fraction(0), [(w, s)]
    return R.const(1) + Q * Q, Fraction(1), [(Fraction(1), Q)]


def univariate_maxmin(sp: Spline) -> MaxMin:
    """Max–min form of a univariate spline with rational knots (see the module docstring).

    Raises
    ------
    InvalidSplineTableError
        When the pieces overlap, leave gaps, or the spline is discontinuous at a knot.
    """
    ivs = univariate_pieces(sp)
    R = sp.ring
    x = R.gens()[0]
    hints = HintBook()
    all_terms = []
    for o, name in enumerate(sp.outputs):
        # merge neighbours with equal polynomials
        seq: list[tuple[Fraction | None, Poly]] = []
        for lo, _hi, k in ivs:
            v = sp.pieces[k].values[o]
            if seq and pkey(seq[-1][1]) == pkey(v):
                continue
            seq.append((lo, v))
        knots = [lo for lo, _ in seq[1:]]
        polys = [v for _, v in seq]
        U, U0, Usq = [], [], []
        for k, t in enumerate(knots, start=1):
            d = polys[k] - polys[k - 1]
            g = x - R.const(t)
            Q, rem = divmod(d, g)
            if not rem.is_zero():
                raise DiscontinuityError(
                    f"output {name} is discontinuous at x = {t}: the pieces differ by "
                    f"{R.format(d)} there", "pieces")
            u, c0, sq = _bound(Q, R)
            U.append(u)
            U0.append(c0)
            Usq.append(sq)
        terms = []
        m = len(knots)
        for i, p in enumerate(polys):
            t = [p]
            if i > 0:
                K = sum(U[:i], R.zero())
                t.append(p + (x - R.const(knots[i - 1])) * K)
                hints.add(sum(U0[:i], Fraction(0)), [s for sq in Usq[:i] for s in sq])
            if i < m:
                K = sum(U[i:], R.zero())
                t.append(p - (x - R.const(knots[i])) * K)
                hints.add(sum(U0[i:], Fraction(0)), [s for sq in Usq[i:] for s in sq])
            terms.append(t)
        all_terms.append(terms)
    mm = MaxMin(R, list(sp.outputs), all_terms, "univariate", hints=hints)
    mm.notes.append("univariate construction: f = max_i min(p_i, L_i, R_i) with knot "
                    "separators (always exists)")
    return mm
