"""z3's complete real arithmetic as the last exact tier.

A ``sat`` answer comes with a model; its coordinates (possibly algebraic) are approximated by
rationals and checked exactly, so a ``witness`` from z3 is as trustworthy as any other. An
``unsat`` answer is the solver's word: it is labelled ``empty-solver`` and reported as trusted.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import z3

from ..poly import Poly, PolyRing
from ..signals import z3_check
from .decision import check_witness

__all__ = ["z3_decide", "z3_relaxation", "to_z3"]


def to_z3(p: Poly, zvars: Sequence):
    """The polynomial as a z3 arithmetic expression over ``zvars``."""
    terms = []
    for e, c in zip(p.monoms(), p.coeffs()):
        coef = z3.RealVal(Fraction(int(c.p), int(c.q)))
        factors = []
        for v, k in zip(zvars, e):
            factors.extend([v] * int(k))
        if factors:
            mono = factors[0] if len(factors) == 1 else z3.Product(*factors)
            terms.append(mono if (c.p == 1 and c.q == 1) else coef * mono)
        else:
            terms.append(coef)
    if not terms:
        return z3.RealVal(0)
    return terms[0] if len(terms) == 1 else z3.Sum(*terms)


def _value(val, prec: int) -> Fraction:
    if z3.is_rational_value(val):
        return Fraction(val.as_fraction())
    if z3.is_algebraic_value(val):
        return Fraction(val.approx(prec).as_fraction())
    return Fraction(0)


def z3_decide(ring: PolyRing, conditions: Sequence[tuple[Poly, int]], timeout: float,
              linear: bool = False) -> tuple[str, tuple[Fraction, ...] | None]:
    """Decide ``{s_k g_k > 0}`` with z3 within ``timeout`` seconds.

    Returns ``("sat", point)``, ``("unsat", None)`` or ``("unknown", None)``.
    """
    from .budget import clamp_time

    timeout = clamp_time(timeout)
    if timeout <= 0:
        return "unknown", None
    zvars = [z3.Real(n) for n in ring.names]
    solver = z3.SolverFor("QF_LRA" if linear else "QF_NRA")
    solver.set("timeout", max(1, int(timeout * 1000)))
    for g, s in conditions:
        e = to_z3(g, zvars)
        solver.add(e > 0 if s > 0 else e < 0)
    try:
        ans = z3_check(solver)
    except z3.Z3Exception:
        return "unknown", None
    if ans == z3.unsat:
        return "unsat", None
    if ans != z3.sat:
        return "unknown", None
    model = solver.model()
    for prec in (10, 20, 40, 80):
        pt = tuple(_value(model.eval(v, model_completion=True), prec) for v in zvars)
        if check_witness(conditions, pt):
            return "sat", pt
    return "unknown", None


def z3_relaxation(ring: PolyRing, strict: Sequence[Poly], nonneg: Sequence[Poly],
                  zero: Sequence[Poly], timeout: float) -> str:
    """z3 on ``{p > 0 for strict, h >= 0 for nonneg, r == 0 for zero}``: ``"unsat"``,
    ``"sat"`` or ``"unknown"`` (no model: a relaxation's point is not a witness)."""
    if timeout <= 0:
        return "unknown"
    zvars = [z3.Real(n) for n in ring.names]
    solver = z3.SolverFor("QF_NRA")
    solver.set("timeout", max(1, int(timeout * 1000)))
    for p in strict:
        solver.add(to_z3(p, zvars) > 0)
    for h in nonneg:
        solver.add(to_z3(h, zvars) >= 0)
    for r in zero:
        solver.add(to_z3(r, zvars) == 0)
    try:
        ans = solver.check()
    except z3.Z3Exception:
        return "unknown"
    return "unsat" if ans == z3.unsat else ("sat" if ans == z3.sat else "unknown")
