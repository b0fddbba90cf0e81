"""Cell decisions, their labels, and the exact checks of their evidence."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from ..poly import Poly, to_fmpq, to_fraction

WITNESS = "witness"
EMPTY_FARKAS = "empty-farkas"
EMPTY_SOLVER = "empty-solver"
EMPTY_SOS = "empty-sos"
EMPTY_PSATZ = "empty-psatz"
UNDECIDED = "undecided"

#: every label a cell may carry
LABELS = (WITNESS, EMPTY_FARKAS, EMPTY_SOS, EMPTY_PSATZ, EMPTY_SOLVER, UNDECIDED)
#: labels of emptiness with evidence the checker re-verifies exactly
CERTIFIED_EMPTY = (EMPTY_FARKAS, EMPTY_SOS, EMPTY_PSATZ)


@dataclass(frozen=True)
class Decision:
    """Whether a sign condition is realised, how that was decided, and the evidence.

    Attributes
    ----------
    status : str
        One of ``witness``, ``empty-farkas``, ``empty-sos``, ``empty-psatz``, ``empty-solver``,
        ``undecided``.
    witness : tuple of Fraction or None
        A rational point satisfying every condition (status ``witness``).
    multipliers : tuple of Fraction or None
        Farkas multipliers, one per condition (status ``empty-farkas``).
    sos : list or None
        For ``empty-sos`` (the region is ``{q < 0}`` or ``{q > 0}`` for a semidefinite quadratic
        ``q``): ``[(d_i, l_i)]`` with ``s * q = sum d_i (l_i . (x, 1))^2``, ``d_i >= 0``.
    method : str
        The tier that decided: ``hint``, ``sample``, ``lp``, ``lift``, ``margin``, ``z3``, ...
    margin : float or None
        Best normalised margin found (for ``undecided``).
    note : str
        Free text (why undecided, for instance).
    evidence : dict or None
        For ``empty-psatz``: the product certificate in its JSON form
        (:mod:`splinesym.cells.evidence`), condition indices being break indices.
    """

    status: str
    witness: tuple[Fraction, ...] | None = None
    multipliers: tuple[Fraction, ...] | None = None
    sos: tuple | None = None
    method: str = ""
    margin: float | None = None
    note: str = field(default="", compare=False)
    evidence: dict | None = field(default=None, compare=False)

    @property
    def nonempty(self) -> bool:
        return self.status == WITNESS

    @property
    def empty(self) -> bool:
        return self.status in (EMPTY_FARKAS, EMPTY_SOS, EMPTY_PSATZ, EMPTY_SOLVER)


def check_witness(conditions: Sequence[tuple[Poly, int]], point: Sequence) -> bool:
    """Exactly: does ``s * g(point) > 0`` hold for every condition?

    >>> from splinesym.poly import PolyRing
    >>> R = PolyRing(["x"])
    >>> check_witness([(R.parse("x - 1"), 1)], [Fraction(3, 2)])
    True
    """
    args = [to_fmpq(v) for v in point]
    for g, s in conditions:
        v = g(*args) if args else (g.coeffs()[0] if not g.is_zero() else 0)
        if not (v * s > 0):
            return False
    return True


def farkas_combination(conditions: Sequence[tuple[Poly, int]],
                       multipliers: Sequence[Fraction]) -> Poly | None:
    """``sum(l_k * s_k * g_k)`` or None when there are no conditions."""
    total = None
    for (g, s), lam in zip(conditions, multipliers):
        if lam:
            term = g * to_fmpq(Fraction(lam) * s)
            total = term if total is None else total + term
    return total


def check_farkas(conditions: Sequence[tuple[Poly, int]], multipliers: Sequence[Fraction]) -> bool:
    """Exactly: multipliers are >= 0, not all 0, and ``sum(l_k s_k g_k)`` is a constant <= 0.

    Then no point satisfies every ``s_k g_k > 0``: the combination would be positive there.

    >>> from splinesym.poly import PolyRing
    >>> R = PolyRing(["x"])
    >>> conds = [(R.parse("x - 1"), 1), (R.parse("x"), -1)]
    >>> check_farkas(conds, [Fraction(1), Fraction(1)])
    True
    """
    if len(multipliers) != len(conditions):
        return False
    if any(Fraction(m) < 0 for m in multipliers) or not any(multipliers):
        return False
    comb = farkas_combination(conditions, multipliers)
    if comb is None:
        return False
    if comb.is_zero():
        return True
    if not comb.is_constant():
        return False
    return to_fraction(comb.coeffs()[0]) <= 0
