"""Smoothness across every wall: the exact order of continuity, with evidence.

Two pieces ``a`` and ``b`` are neighbours across the irreducible break ``g`` when their regions
have opposite signs on ``g``, agree on every other break both mention, and some regular point of
``{g = 0}`` satisfies all their other conditions strictly (a wall point, :mod:`.wallpoint`).
Across such a wall the spline is ``C^r`` and not ``C^(r+1)`` exactly when ``g^(r+1)`` divides
``P_a - P_b`` and ``g^(r+2)`` does not (docs/DESIGN.md §5): the evidence is the quotient
``Q = (P_a - P_b) / g^(r+1)`` and the fact that ``g`` does not divide ``Q`` (``Q`` nonzero at the
wall point, or a nonzero remainder). Order ``-1`` means the pieces disagree on the wall: the
function is discontinuous there and is **not a spline**. Identical pieces give ``inf``.

For vector-valued splines the order of a wall is the minimum over the outputs (each output's own
order is reported too).

Examples
--------
>>> from splinesym.spline import Spline
>>> sp = Spline.from_pieces(["x"], ["f"], ["x - 1"],
...     [([(0, 1)], ["(x - 1)**4 + x"]), ([(0, -1)], ["x"])])
>>> rep = smoothness_report(sp)
>>> [(w.break_index, w.pieces, w.continuity) for w in rep.walls], rep.continuity
([(0, (0, 1), 3)], 3)
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from ..poly import Poly
from ..spline import Spline
from .wallpoint import WallPoint, find_wall_point, no_wall_by_solver, no_wall_farkas

__all__ = ["OutputOrder", "Wall", "SmoothnessReport", "order_across", "smoothness_report",
           "INF"]

#: the order of continuity across a "wall" between two equal polynomials
INF = float("inf")


@dataclass
class OutputOrder:
    """Order of continuity of one output across one wall.

    ``order`` is ``r`` (an int >= -1) or :data:`INF`; ``quotient`` is ``Q`` with
    ``P_a - P_b = g^(r+1) Q`` (None for INF).
    """

    output: str
    order: int | float
    quotient: Poly | None


@dataclass
class Wall:
    """A wall between two neighbouring pieces, its order of continuity and the evidence."""

    break_index: int
    pieces: tuple[int, int]
    outputs: list[OutputOrder]
    point: WallPoint
    conditions: list = field(default_factory=list)

    @property
    def continuity(self) -> int | float:
        return min(o.order for o in self.outputs)

    @property
    def discontinuous(self) -> bool:
        return self.continuity == -1


@dataclass
class SmoothnessReport:
    """Every wall of a spline with its exact order of continuity.

    Attributes
    ----------
    walls : list of Wall
        Neighbouring pairs with a certified wall point.
    undecided : list of (break, piece a, piece b)
        Candidate pairs (opposite signs on one break, compatible elsewhere) for which no wall
        point was found and z3 did not rule one out: possibly missed walls.
    not_walls : list of (break, piece a, piece b)
        Candidate pairs shown never to meet along the break: by exact multipliers
        (``not_wall_evidence[pair] = ("farkas", multipliers, mu, region items)``, re-checkable)
        or by z3 (``("z3", region items)``: the solver's word).
    notes : list of str
    seconds : float
    """

    walls: list[Wall]
    undecided: list[tuple[int, int, int]]
    not_walls: list[tuple[int, int, int]]
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    complete: bool = True
    not_wall_evidence: dict = field(default_factory=dict)

    @property
    def continuity(self) -> int | float | None:
        """Minimum order over all walls (None when there is no wall at all)."""
        return min((w.continuity for w in self.walls), default=None)

    @property
    def is_spline(self) -> bool:
        return all(not w.discontinuous for w in self.walls)

    def discontinuities(self) -> list[Wall]:
        return [w for w in self.walls if w.discontinuous]


def order_across(Pa: Poly, Pb: Poly, g: Poly) -> tuple[int | float, Poly | None]:
    """``(r, Q)`` with ``Pa - Pb = g^(r+1) Q`` and ``g`` not dividing ``Q``; ``(INF, None)`` when
    ``Pa == Pb``.

    >>> from splinesym.poly import PolyRing
    >>> R = PolyRing(["x", "y"])
    >>> r, Q = order_across(R.parse("(x - y)**3*(x + 1)"), R.parse("0"), R.parse("x - y"))
    >>> r, R.format(Q)
    (2, 'x + 1')
    """
    D = Pa - Pb
    if D.is_zero():
        return INF, None
    k = 0
    while True:
        q, rem = divmod(D, g)
        if not rem.is_zero():
            return k - 1, D
        D = q
        k += 1


def _candidates(sp: Spline) -> list[tuple[int, int, int, list, list]]:
    """(break k, piece on the + side, piece on the - side, other conditions, their
    ``(break, sign)`` items): pieces with opposite signs on ``k`` that agree elsewhere."""
    out = []
    plus: dict[int, list[int]] = {}
    minus: dict[int, list[int]] = {}
    for i, p in enumerate(sp.pieces):
        for k, s in p.region:
            (plus if s > 0 else minus).setdefault(k, []).append(i)
    for k in range(len(sp.breaks)):
        for a in plus.get(k, []):
            ra = sp.pieces[a].region.as_dict()
            for b in minus.get(k, []):
                rb = sp.pieces[b].region.as_dict()
                merged = dict(ra)
                ok = True
                for j, s in rb.items():
                    if j == k:
                        continue
                    if merged.get(j, s) != s:
                        ok = False
                        break
                    merged[j] = s
                if not ok:
                    continue
                merged.pop(k)
                conds = [(sp.breaks[j], s) for j, s in sorted(merged.items())]
                out.append((k, a, b, conds, sorted(merged.items())))
    return out


def smoothness_report(sp: Spline, *, time_limit: float | None = None,
                      wall_time: float = 10.0, z3_timeout: float = 2.0) -> SmoothnessReport:
    """Find every wall of ``sp`` and its exact order of continuity.

    Parameters
    ----------
    sp : Spline
        A spline with numeric coefficients (symbolic weights are refused: the walls depend on
        the weights).
    time_limit : float, optional
        Seconds for the whole search; candidate pairs left when it runs out are ``undecided``.
    wall_time : float
        Seconds of numeric search for one wall point.
    z3_timeout : float
        Seconds z3 may spend on one candidate (finding a point, or showing there is none).
    """
    from ..cells.budget import clamp_time

    time_limit = clamp_time(time_limit)
    t0 = time.monotonic()
    notes: list[str] = []
    if sp.parameters:
        return SmoothnessReport([], [], [], ["symbolic weights: the walls depend on the weights; "
                                             "smoothness is certified on numeric instances"],
                                0.0, False)
    R = sp.ring
    walls: list[Wall] = []
    undecided: list[tuple[int, int, int]] = []
    not_walls: list[tuple[int, int, int]] = []
    cands = _candidates(sp)
    evidence: dict = {}
    for k, a, b, conds, region in cands:
        g = sp.breaks[k]
        outs = []
        for name, Pa, Pb in zip(sp.outputs, sp.pieces[a].values, sp.pieces[b].values, strict=False):
            r, Q = order_across(Pa, Pb, g)
            outs.append(OutputOrder(name, r, Q))
        left = None if time_limit is None else time_limit - (time.monotonic() - t0)
        if left is not None and left <= 0:
            undecided.append((k, a, b))
            continue
        wt = wall_time if left is None else min(wall_time, left)
        pa, pb = sp.pieces[a], sp.pieces[b]
        low = min(o.order for o in outs)
        # the kernel needs a wall point where some quotient of the lowest order is nonzero
        nonzero = [o.quotient for o in outs if o.order == low and o.quotient is not None]
        # cheap first: the segment between the two witnesses, then exact "no wall" multipliers
        wp = find_wall_point(R, g, conds, [pa.witness, pb.witness],
                             nonzero=nonzero, time_limit=0.0,
                             z3_timeout=0.0)
        if wp is None:
            fk = no_wall_farkas(g, conds)
            if fk is not None:
                not_walls.append((k, a, b))
                evidence[(k, a, b)] = ("farkas", fk[0], fk[1], region)
                continue
            wp = find_wall_point(R, g, conds, [pa.witness, pb.witness],
                                 nonzero=nonzero,
                                 side_conditions=(sp.conditions(pa.region),
                                                  sp.conditions(pb.region)),
                                 time_limit=wt, z3_timeout=0.0)
        if wp is None:
            if no_wall_by_solver(R, g, conds, z3_timeout):
                not_walls.append((k, a, b))
                evidence[(k, a, b)] = ("z3", region)
                continue
            wp = find_wall_point(R, g, conds, [pa.witness, pb.witness],
                                 nonzero=nonzero, time_limit=0.5,
                                 z3_timeout=z3_timeout)
        if wp is None:
            undecided.append((k, a, b))
            continue
        walls.append(Wall(k, (a, b), outs, wp, conds))
    complete = sp.complete and not undecided
    if undecided:
        notes.append(f"{len(undecided)} candidate pair(s) of pieces with no wall point found and "
                     f"none ruled out: possibly missed walls")
    nz3 = sum(1 for v in evidence.values() if v[0] == "z3")
    if not_walls:
        notes.append(f"{len(not_walls)} candidate pair(s) never meet along their break "
                     f"({len(not_walls) - nz3} by exact multipliers"
                     + (f", {nz3} by z3: trusted, not re-checked)" if nz3 else ")"))
    if not sp.complete:
        notes.append("the spline's cell enumeration is incomplete: walls may be missing")
    return SmoothnessReport(walls, undecided, not_walls, notes,
                            round(time.monotonic() - t0, 3), complete, evidence)


def format_order(r) -> str:
    """``'inf'`` for :data:`INF`, else the integer as a string."""
    return "inf" if r == INF else str(int(r))


def order_json(r):
    return "inf" if r == INF else int(r)
