"""Any spline given as a table of pieces: validation, then separators built from its walls.

Validation (:func:`validate_table`) refuses what is not a spline: two pieces that overlap (a
rational point in both), two pieces that touch across a wall where their values differ (the wall
polynomial does not divide the difference: discontinuous), and — for small arrangements — a cell
of the breaks that no piece covers.

Construction (:func:`table_maxmin`): ``f = max_i T_i`` with ``T_i = min(p_i, q_ij : j ≠ i)`` where
each separator satisfies ``q_ij ≥ p_i`` on ``P_i`` and ``q_ij ≤ p_j`` on ``P_j``. Candidates, in
order: nothing (``p_i ≤ p_j`` on ``P_j``); ``p_j`` (``p_j ≥ p_i`` on ``P_i``, Ovchinnikov's
choice); and for a wall ``h`` (positive on ``P_i``, negative on ``P_j``) dividing
``p_i − p_j = h·Q``: ``q_ij = p_j + h·(1 + Q²)`` (identity 2). The result is kept only when
:func:`~splinesym.lattice.certify.certify_maxmin` certifies it. When some pair has no separator
the answer says so plainly: no representation found, and what is known
(:func:`~splinesym.lattice.theory.known_theory`): every spline in ≤ 2 variables is a max–min
(Mahé 1984), so is every spline on a hyperplane partition (Lai & Lim 2025, arXiv 2507.07976;
built by :mod:`splinesym.lattice.hyperplane`); for semialgebraic partitions the conjecture is
claimed false in general (Lai, Lim & Ren, counterexamples in 5–8, 30 and 72 variables).

Examples
--------
>>> from splinesym.spline import Spline
>>> sp = Spline.from_pieces(["x"], ["f"], ["x"], [([(0, 1)], ["x**2"]), ([(0, -1)], ["2*x**2"])])
>>> mm = table_maxmin(sp)
>>> [[mm.ring.format(p) for p in t] for t in mm.terms[0]]
[['x**2'], ['2*x**2', '-x**3 + x**2 - x']]
"""

from __future__ import annotations

import time
from fractions import Fraction

from ..cells import Budget, Decider, enumerate_regions
from ..cells.budget import clamp_time
from ..errors import (
    BudgetExhaustedError,
    DiscontinuityError,
    NoRepresentationError,
    TableGapError,
    TableOverlapError,
)
from ..poly import is_affine, to_fmpq
from ..region import BreakTable
from ..spline import Spline
from .certify import decide_conditions
from .expr import HintBook, MaxMin, pkey
from .signs import SignProver
from .theory import known_theory
from .walls import wall_point

__all__ = ["validate_table", "table_maxmin", "NoRepresentationError", "known_theory"]




def validate_table(sp: Spline, *, gap_check_limit: int = 14, solver_timeout: float = 2.0,
                   time_limit: float = 30.0, deadline: float | None = None) -> list:
    """Check that a table is a spline; returns notes on what was (not) checked.

    With ``deadline`` (a ``time.monotonic()`` value) the pairwise checks stop there, with a note
    saying which pairs were not checked.

    Raises
    ------
    InvalidSplineTableError
        Overlapping pieces, a discontinuity across a wall, or an uncovered cell.
    """
    R = sp.ring
    notes = []
    P = sp.pieces
    if not P:
        raise TableGapError("the table has no pieces", "pieces")
    # with a ``deadline`` (a construction follows) the check stops there and says what it left
    # out; alone, it must finish within ``time_limit`` or decide nothing
    end = None if deadline is not None else time.monotonic() + (clamp_time(time_limit) or 0.0)
    for i in range(len(P)):
        if end is not None and time.monotonic() > end:
            raise BudgetExhaustedError(
                f"the table check (overlaps, continuity, gaps of {len(P)} pieces) did not "
                f"finish within the time limit: nothing was decided about the table")
        if deadline is not None and time.monotonic() > deadline:
            notes.append(f"time limit: overlaps and continuity checked only for pairs of pieces "
                         f"with a first index < {i} (of {len(P)})")
            break
        ci = P[i].region.as_dict()
        for j in range(i + 1, len(P)):
            cj = P[j].region.as_dict()
            opp = [k for k, s in ci.items() if cj.get(k, s) != s]
            if not opp:
                conds = sp.conditions(P[i].region) + sp.conditions(P[j].region)
                st, pt = decide_conditions(R, conds, [P[i].witness, P[j].witness],
                                           solver_timeout)
                if st == "witness":
                    raise TableOverlapError(
                        f"pieces {i} and {j} overlap (both contain the point "
                        f"({', '.join(str(c) for c in pt)}))", "pieces")
                continue
            if len(opp) != 1:
                continue
            g = sp.breaks[opp[0]]
            rest = {**{k: s for k, s in ci.items() if k != opp[0]},
                    **{k: s for k, s in cj.items() if k != opp[0]}}
            base = [(sp.breaks[k], s) for k, s in rest.items()]
            sides = [decide_conditions(R, [*base, (g, s)], [P[i].witness, P[j].witness],
                                       solver_timeout) for s in (1, -1)]
            if [st for st, _ in sides] != ["witness", "witness"]:
                continue
            convex = is_affine(g) and all(is_affine(b) for b, _ in base)
            for o, name in enumerate(sp.outputs):
                d = P[i].values[o] - P[j].values[o]
                if divmod(d, g)[1].is_zero():
                    continue
                # on a convex rest region the two sides touch along the wall; otherwise they
                # touch only where a wall point satisfies the rest strictly
                wp = None if convex else wall_point(g, base, [pt for _, pt in sides])
                if convex or (wp is not None and d(*[to_fmpq(c) for c in wp]) != 0):
                    where = ("" if wp is None else
                             f" at the wall point ({', '.join(str(c) for c in wp)})")
                    raise DiscontinuityError(
                        f"not a spline: output {name} is discontinuous across the wall "
                        f"{R.format(g)} = 0 between pieces {i} and {j}{where} (they differ by "
                        f"{R.format(d)}, which {R.format(g)} does not divide)", "pieces")
                notes.append(f"continuity of output {name} between pieces {i} and {j} across "
                             f"{R.format(g)} = 0 not decided (non-convex regions; no common "
                             f"wall point found)")
    if len(sp.breaks) <= gap_check_limit:
        table = BreakTable(R)
        for b in sp.breaks:
            table.add(b)
        enum = enumerate_regions(Decider(table, Budget(time_limit=time_limit,
                                                       solver_timeout=solver_timeout)))
        for pat, d in enum.cells.items():
            if not d.nonempty:
                continue
            signs = dict(zip(enum.breaks, pat, strict=True))
            if not any(all(signs.get(k) == s for k, s in p.region) for p in P):
                raise TableGapError(
                    f"the pieces leave a gap: no piece contains the point "
                    f"({', '.join(str(c) for c in d.witness)})", "pieces")
        notes.append("table checked: no overlaps, continuous across every wall between "
                     f"touching pieces, and every one of the {len(enum.cells)} cells of the "
                     "breaks is covered" + ("" if enum.complete else f" ({enum.reason})"))
    else:
        notes.append(f"table checked for overlaps and continuity; coverage not re-checked "
                     f"({len(sp.breaks)} breaks)")
    return notes


def table_maxmin(sp: Spline, *, solver_timeout: float = 2.0,
                 deadline: float | None = None) -> MaxMin:
    """Candidate max–min from separators (see the module docstring); certify before use.

    Raises
    ------
    NoRepresentationError
        When some pair of pieces has no separator among the candidates (the message states
        what is known).
    """
    t0 = time.monotonic()
    R = sp.ring
    prover = SignProver(R, solver_timeout=solver_timeout)
    hints = HintBook()
    P = sp.pieces
    all_terms = []
    for o in range(len(sp.outputs)):
        terms = []
        for i, pi in enumerate(P):
            ci = sp.conditions(pi.region)
            vi = pi.values[o]
            t = [vi]
            keys = {pkey(vi)}
            for j, pj in enumerate(P):
                vj = pj.values[o]
                if j == i or pkey(vj) == pkey(vi):
                    continue
                if deadline is not None and time.monotonic() > deadline:
                    raise NoRepresentationError(
                        "time limit reached while searching separators (at pieces "
                        f"{i} and {j}): no max-min representation found; " + known_theory(sp),
                        limit=True)
                cj = sp.conditions(pj.region)
                if prover.prove(cj, vi - vj, -1) is not None:
                    continue
                if prover.prove(ci, vj - vi, 1) is not None:
                    q = vj
                else:
                    q = None
                    for k, pk in enumerate(P):
                        vk = pk.values[o]
                        if k in (i, j) or pkey(vk) in (pkey(vi), pkey(vj)):
                            continue
                        if (prover.prove(ci, vk - vi, 1, solver=False) is not None
                                and prover.prove(cj, vk - vj, -1, solver=False) is not None):
                            q = vk
                            break
                if q is None:
                    dj = pj.region.as_dict()
                    for k, s in pi.region:
                        if dj.get(k) != -s:
                            continue
                        h = sp.breaks[k] * to_fmpq(Fraction(s))
                        Q, rem = divmod(vi - vj, h)
                        if rem.is_zero():
                            q = vj + h * (R.const(1) + Q * Q)
                            hints.add(1, [(Fraction(1), Q)])
                            break
                    if q is None:
                        raise NoRepresentationError(
                            f"pieces {i} and {j} (output {sp.outputs[o]}) have no separator: no "
                            f"max-min representation found by the separator construction; "
                            + known_theory(sp))
                if pkey(q) not in keys:
                    keys.add(pkey(q))
                    t.append(q)
            terms.append(t)
        all_terms.append(terms)
    mm = MaxMin(R, list(sp.outputs), all_terms, "table", hints=hints).absorbed()
    mm.hints = hints
    mm.notes.append("separators from the walls (identity 2) and Ovchinnikov's candidates; "
                    "valid only once certified")
    mm.stats["seconds_construct"] = round(time.monotonic() - t0, 4)
    return mm
