"""The hyperplane arrangement under a polyhedral spline: its planes, cells and galleries (exact).

A spline table is *polyhedral* when every break is affine. Its breaks then define an affine
hyperplane arrangement; the open cells of the arrangement (nonempty sign vectors) refine the
pieces, so every cell carries one polynomial per output. Two nonempty cells whose sign vectors
differ in exactly one plane are adjacent (their union with the wall is convex, so the wall meets
it in an open piece of the plane), and between any two cells there is a *minimal gallery*: a
chain of adjacent cells crossing each separating plane exactly once (greedy flips always find
one: some wall of the current cell separates it from the target).

Everything is exact: witnesses are rational points checked exactly, emptiness comes with Farkas
multipliers.

Examples
--------
>>> from splinesym.spline import Spline
>>> sp = Spline.from_pieces(["x", "y"], ["f"], ["x", "y"],
...     [([(0, 1), (1, 1)], ["x*y"]), ([(0, -1)], ["0"]), ([(0, 1), (1, -1)], ["0"])])
>>> arr = arrangement(sp)
>>> len(arr.planes), len(arr.signs)
(2, 4)
>>> arr.gallery(arr.index[(1, 1)], arr.index[(-1, -1)])
[(0, 2), (1, 3)]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from ..cells.decision import check_witness
from ..cells.linear import affine_witness, farkas_multipliers
from ..errors import InvalidInputError, InvalidSplineTableError
from ..poly import Poly, PolyRing, to_fraction
from ..spline import Spline

__all__ = ["is_polyhedral", "plane_key", "Arrangement", "arrangement", "sign_cells"]


def is_polyhedral(sp: Spline) -> bool:
    """All breaks affine (degree ≤ 1): the pieces are unions of cells of an arrangement."""
    return all(b.total_degree() <= 1 for b in sp.breaks)


def plane_key(g: Poly) -> tuple[tuple, Fraction]:
    """``(key, c)`` with ``g = c · plane`` where ``plane`` is ``g`` scaled so that its first
    coefficient (in a fixed monomial order) is 1: equal keys mean the same hyperplane."""
    items = sorted((tuple(e), to_fraction(c)) for e, c in zip(g.monoms(), g.coeffs(), strict=True))
    lead = next(c for e, c in reversed(items) if any(e))
    return tuple((e, c / lead) for e, c in items), lead


@dataclass
class Arrangement:
    """Planes (one representative break per distinct hyperplane), cells and their polynomials.

    Attributes
    ----------
    ring : PolyRing
    planes : list of Poly
        Representative affine polynomials (taken from the spline's breaks).
    signs : list of tuple
        ``signs[c][k]`` is the sign (+1/−1) of plane ``k`` on cell ``c``.
    witnesses : list of tuple
        An exact rational point inside each cell.
    index : dict
        Sign vector → cell number.
    piece : list of int
        The piece of the spline containing each cell.
    """

    ring: PolyRing
    planes: list[Poly]
    signs: list[tuple[int, ...]] = field(default_factory=list)
    witnesses: list[tuple[Fraction, ...]] = field(default_factory=list)
    index: dict = field(default_factory=dict)
    piece: list[int] = field(default_factory=list)
    keys: dict = field(default_factory=dict)

    def separating(self, a: int, b: int) -> list[int]:
        """Planes with different signs on cells ``a`` and ``b``."""
        return [k for k, (s, t) in enumerate(zip(self.signs[a], self.signs[b], strict=True))
                if s != t]

    def gallery(self, a: int, b: int) -> list[tuple[int, int]]:
        """A minimal gallery from ``a`` to ``b`` as ``(plane crossed, cell reached)`` steps."""
        cur, todo, out = a, set(self.separating(a, b)), []
        while todo:
            for k in sorted(todo):
                s = list(self.signs[cur])
                s[k] = -s[k]
                nxt = self.index.get(tuple(s))
                if nxt is not None:
                    out.append((k, nxt))
                    todo.discard(k)
                    cur = nxt
                    break
            else:  # pragma: no cover - impossible for a hyperplane arrangement
                raise InvalidSplineTableError("no minimal gallery between two cells", "breaks")
        return out

    def plane_of(self, g: Poly) -> tuple[int, Fraction] | None:
        """``(k, c)`` with ``g = c · planes[k]``, or None when ``g`` is not one of the planes."""
        if g.total_degree() != 1:
            return None
        key, lead = plane_key(g)
        got = self.keys.get(key)
        if got is None:
            return None
        k, lead_k = got
        return k, lead / lead_k

    def region_empty(self, conds) -> dict | None:
        """Farkas evidence that affine strict conditions have no common point, else None."""
        lam = farkas_multipliers(conds)
        if lam is None:
            return None
        return {"by": "farkas", "multipliers": [str(v) for v in lam]}


def sign_cells(ring: PolyRing, planes: list[Poly]) -> tuple[list, list]:
    """Nonempty sign vectors of the planes with exact witnesses (plane by plane)."""
    n = ring.nvars
    cells: list[tuple[tuple[int, ...], tuple[Fraction, ...]]] = [((), tuple([Fraction(0)] * n))]
    for k, h in enumerate(planes):
        nxt = []
        for sig, w in cells:
            conds = [(planes[j], s) for j, s in enumerate(sig)]
            for s in (1, -1):
                c2 = [*conds, (h, s)]
                if check_witness(c2, w):
                    nxt.append(((*sig, s), w))
                    continue
                pt, _ = affine_witness(c2, n)
                if pt is not None and check_witness(c2, pt):
                    nxt.append(((*sig, s), tuple(pt)))
                elif farkas_multipliers(c2) is None:
                    raise InvalidInputError(f"cannot decide a cell of plane {k} exactly",
                                            "breaks")
        cells = nxt
    return [s for s, _ in cells], [w for _, w in cells]


def arrangement(sp: Spline) -> Arrangement:
    """The arrangement of the spline's (affine) breaks, its cells and the piece of each cell.

    Raises
    ------
    InvalidInputError
        When a break is not affine.
    InvalidSplineTableError
        When a cell lies in no piece (a gap in the table).
    """
    if not is_polyhedral(sp):
        raise InvalidInputError("the partition is not polyhedral (a break is not affine)",
                                "breaks")
    R = sp.ring
    planes: list[Poly] = []
    keys: dict = {}
    for b in sp.breaks:
        if b.total_degree() < 1:
            continue
        key, lead = plane_key(b)
        if key not in keys:
            keys[key] = (len(planes), lead)
            planes.append(b)
    signs, wits = sign_cells(R, planes)
    arr = Arrangement(R, planes, signs, wits, {s: i for i, s in enumerate(signs)}, [], keys)
    for w in wits:
        got = [i for i, p in enumerate(sp.pieces) if check_witness(sp.conditions(p.region), w)]
        if not got:
            raise InvalidSplineTableError(f"the pieces leave a gap: no piece contains the point "
                                          f"({', '.join(str(c) for c in w)})", "pieces")
        arr.piece.append(got[0])
    return arr
