"""Every continuous spline on a hyperplane partition as a certified max–min (gallery separators).

Refine the pieces to the cells of the arrangement of the (affine) breaks
(:mod:`splinesym.lattice.arrangement`); cell ``C`` carries the polynomial ``p_C``. For two cells
``C ≠ D`` take a minimal gallery ``C = c_0, c_1, …, c_r = D``; step ``t`` crosses the plane
``h_t``, which separates ``C`` from ``D`` (``s_t h_t > 0`` on ``C``, ``< 0`` on ``D``, with
``s_t = ±1``). Continuity across the wall gives ``p_{c_t} − p_{c_{t−1}} = h_t·Q_t`` (``h_t`` is
irreducible and ``p_{c_t} − p_{c_{t−1}}`` vanishes on an open piece of ``h_t = 0``). With
``U_t = |Q_t|`` when ``Q_t`` is a constant and ``U_t = 1 + Q_t²`` otherwise, the separator

    q_CD = p_D + Σ_t s_t·h_t·U_t

satisfies ``q_CD − p_D = Σ_t (s_t h_t)·U_t ≤ 0`` on ``D`` and, telescoping
``p_D − p_C = Σ_t (s_t h_t)(s_t Q_t)``, ``q_CD − p_C = Σ_t (s_t h_t)(U_t + s_t Q_t) ≥ 0`` on
``C`` (``1 + Q² ± Q = (Q ± 1/2)² + 3/4``). Hence, with ``T_C = min(p_C, q_CD : p_D ≠ p_C)``,

    f = max_C T_C

exactly, everywhere (equality on every open cell, then by continuity): this is Mahé's
separation argument made explicit, and it proves the Pierce–Birkhoff property for every
hyperplane partition (Lai & Lim 2025, arXiv 2507.07976, prove it by another route), any number of
variables, any degree, any smoothness, generic or not, bounded or unbounded cells. Degrees:
entries have degree ≤ max(d, 2d − 1); piecewise-linear tables get linear entries.

Pruning (exact, combinatorial): ``q_CD`` also lies below ``p_{D'}`` on every cell ``D'`` with the
same polynomial as ``D`` on the far side of all the gallery's planes, so one separator serves
them all; and term ``T_C`` equals ``p_X`` on every cell ``X`` with ``p_X = p_C`` on ``C``'s side of
all the planes its separators use, so a greedy cover keeps only the terms some cell needs as its
top. The certificate (``maxmin-cells``) is written directly from these facts: each piece is split
by the planes it does not fix (empty sides by Farkas multipliers) down to cells, and every sign
fact is a sum of products ``(plane)·(sum of squares)`` — no solver, nothing trusted.

Examples
--------
>>> from splinesym.spline import Spline
>>> sp = Spline.from_pieces(["x", "y"], ["f"], ["x", "y"],
...     [([(0, 1), (1, 1)], ["x*y"]), ([(0, -1)], ["0"]), ([(0, 1), (1, -1)], ["0"])])
>>> mm, cert = hyperplane_maxmin(sp)
>>> cert.certified, mm.size()["terms"]
(True, 3)
>>> from fractions import Fraction as F
>>> [mm.evaluate([F(a), F(b)])[0] for a, b in [(2, 3), (-1, 5), (2, -7)]]
[Fraction(6, 1), Fraction(0, 1), Fraction(0, 1)]
>>> from splinesym.io.maxmin_io import maxmin_to_dict
>>> from splinesym.io.spline_io import spline_to_dict
>>> from splinesym.lattice.certify import verify_maxmin_claim
>>> subject = {"spline": spline_to_dict(sp), "maxmin": maxmin_to_dict(mm)}
>>> verify_maxmin_claim(cert.claims[0], subject)[0]
'checked'
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from fractions import Fraction

from ..errors import InvalidSplineTableError, SplinesymError
from ..poly import Poly, to_fmpq, to_fraction
from ..spline import Spline
from .arrangement import Arrangement, arrangement
from .certify import CertifyResult, maxmin_claim
from .expr import MaxMin, fmt, pkey
from .signs import SignProver

__all__ = ["hyperplane_maxmin", "Separator"]


@dataclass
class Separator:
    """``poly = p_target + Σ s·h_k·U`` with the gallery steps ``(k, s, Q)``."""

    poly: Poly
    steps: list[tuple[int, int, Poly]]


class _Builder:
    """One output: separators, terms and the certificate trees."""

    def __init__(self, sp: Spline, arr: Arrangement, o: int, galleries: dict, prover=None):
        self.sp, self.arr, self.o, self.R = sp, arr, o, sp.ring
        self.vals = [sp.pieces[p].values[o] for p in arr.piece]
        self.vkeys = [pkey(v) for v in self.vals]
        self.galleries = galleries
        self.quot: dict = {}
        self.prover = prover
        self.cell_of = {k: i for i, k in reversed(list(enumerate(self.vkeys)))}
        self._conds: dict = {}
        self._facts: dict = {}

    # -- separators ----------------------------------------------------------------------------
    def q_step(self, a: int, b: int, k: int) -> Poly:
        got = self.quot.get((a, b))
        if got is None:
            h = self.arr.planes[k]
            got, rem = divmod(self.vals[b] - self.vals[a], h)
            if not rem.is_zero():
                raise InvalidSplineTableError(
                    f"not a spline: output {self.sp.outputs[self.o]} is discontinuous across "
                    f"{fmt(self.R, h)} = 0 (cells at {_pt(self.arr, a)} and {_pt(self.arr, b)})",
                    "pieces")
            self.quot[(a, b)] = got
        return got

    def separator(self, c: int, d: int) -> Separator:
        gal = self.galleries.get((c, d))
        if gal is None:
            gal = self.galleries[(c, d)] = self.arr.gallery(c, d)
        q = self.vals[d]
        steps = []
        prev = c
        for k, nxt in gal:
            Q = self.q_step(prev, nxt, k)
            s = self.arr.signs[c][k]
            q = q + self.arr.planes[k] * to_fmpq(Fraction(s)) * _bound(Q, self.R)
            steps.append((k, s, Q))
            prev = nxt
        return Separator(q, steps)

    # -- piece polynomials as separators (Ovchinnikov's candidates), proven exactly ----------------
    def leaf_conds(self, x: int) -> list:
        """The conditions of cell ``x``'s leaf in the certificate tree (piece, then splits)."""
        got = self._conds.get(x)
        if got is None:
            piece = self.sp.pieces[self.arr.piece[x]]
            conds = list(self.sp.conditions(piece.region))
            fixed = set()
            for g, _ in conds:
                pk = self.arr.plane_of(g)
                if pk is not None:
                    fixed.add(pk[0])
            for k, h in enumerate(self.arr.planes):
                if k not in fixed:
                    conds.append((h, self.arr.signs[x][k]))
            got = self._conds[x] = conds
        return got

    def fact(self, x: int, e: int, rel: int):
        """Evidence that ``rel·(p_e − p_x) ≥ 0`` on cell ``x`` (exact, no solver), or None."""
        key = (x, self.vkeys[e], rel)
        if key not in self._facts:
            ev = None
            if self.prover is not None:
                ev = self.prover.prove(self.leaf_conds(x), self.vals[e] - self.vals[x], rel,
                                       solver=False)
            self._facts[key] = ev
        return self._facts[key]

    def term(self, c: int):
        """Entries of ``T_c`` (p_c first), their separators (None: a piece polynomial) and, per
        target cell, the entry below it."""
        arr = self.arr
        entries: list = [self.vals[c]]
        seps: list[Separator | None] = [None]
        used: dict[str, int] = {self.vkeys[c]: 0}
        below: dict[int, int] = {}
        ncell = len(arr.signs)
        targets = [d for d in range(ncell) if self.vkeys[d] != self.vkeys[c]]
        targets.sort(key=lambda d: (len(arr.separating(c, d)), d))
        reps = list({self.vkeys[e]: e for e in targets}.values())
        above = [e for e in reps if self.fact(c, e, 1) is not None] if self.prover else []
        for d in targets:
            if d in below:
                continue
            if self.prover is not None and self.fact(d, c, -1) is not None:
                below[d] = 0
                continue
            cands = sorted(above, key=lambda e: (self.vkeys[e] not in used, e))
            e = next((e for e in cands if self.fact(d, e, -1) is not None), None)
            if e is not None:
                if self.vkeys[e] not in used:
                    used[self.vkeys[e]] = len(entries)
                    entries.append(self.vals[e])
                    seps.append(None)
                below[d] = used[self.vkeys[e]]
                continue
            sep = self.separator(c, d)
            j = len(entries)
            entries.append(sep.poly)
            seps.append(sep)
            for d2 in targets:
                if (d2 not in below and self.vkeys[d2] == self.vkeys[d]
                        and all(arr.signs[d2][k] == -s for k, s, _ in sep.steps)):
                    below[d2] = j
        return entries, seps, below

    def can_top(self, c: int, x: int, term) -> bool:
        """Is ``T_c`` equal to ``p_x`` on cell ``x`` (every entry provably ``≥ p_x`` there)?"""
        if self.vkeys[c] != self.vkeys[x]:
            return False
        entries, seps, _ = term
        for p, sep in zip(entries[1:], seps[1:], strict=True):
            if sep is None:
                if self.fact(x, self.cell_of[pkey(p)], 1) is None:
                    return False
            elif any(self.arr.signs[x][k] != s for k, s, _ in sep.steps):
                return False
        return True

    # -- term selection ------------------------------------------------------------------------
    def build(self, prune: bool):
        ncell = len(self.arr.signs)
        terms = [self.term(c) for c in range(ncell)]
        if prune:
            tops = [{c for c in range(ncell) if c == x or self.can_top(c, x, terms[c])}
                    for x in range(ncell)]
            kept = _cover(tops, ncell)
        else:
            tops = [{x} for x in range(ncell)]
            kept = list(range(ncell))
        top_of = {x: next(i for i, c in enumerate(kept) if c in tops[x])
                  for x in range(ncell)}
        return [terms[c] for c in kept], kept, top_of

    # -- evidence ------------------------------------------------------------------------------
    def evidence(self, sep: Separator | None, v: Poly, poly: Poly, condmap: dict, top: bool):
        """Sign evidence for ``poly − v`` (``≥ 0`` when ``top``, else ``≤ 0``) on a cell."""
        R = self.R
        if sep is None or pkey(poly) == pkey(v):
            return {"by": "zero"}
        parts = []
        for k, s, Q in sep.steps:
            i, c, g = condmap[k]
            if Q.is_constant():
                w = abs(_cval(Q)) + (s * _cval(Q) if top else 0)
                if w == 0:
                    continue
                factors = [{"poly": fmt(R, g), "power": 1, "why": {"cond": i}}]
                const = Fraction(s) * w / c
                W = R.const(w)
            else:
                shift = R.const(Fraction(s, 2)) if top else R.zero()
                W = R.const(1) + Q * Q + (Q * to_fmpq(Fraction(s)) if top else R.zero())
                sos = {"scale": "1", "const": "3/4" if top else "1",
                       "squares": [["1", fmt(R, Q + shift)]]}
                factors = [{"poly": fmt(R, g), "power": 1, "why": {"cond": i}},
                           {"poly": fmt(R, W), "power": 1, "why": {"sos": sos}}]
                const = Fraction(s) / c
            summand = self.arr.planes[k] * to_fmpq(Fraction(s)) * W
            parts.append({"poly": fmt(R, summand), "by": "product", "const": str(const),
                          "factors": factors})
        if not parts:
            return {"by": "zero"}
        if len(parts) == 1:
            return {k: v for k, v in parts[0].items() if k != "poly"}
        return {"by": "sum", "parts": parts}


def _bound(Q: Poly, R) -> Poly:
    if Q.is_constant():
        return R.const(abs(_cval(Q)))
    return R.const(1) + Q * Q


def _cval(Q: Poly) -> Fraction:
    return to_fraction(Q.coeffs()[0]) if not Q.is_zero() else Fraction(0)


def _pt(arr: Arrangement, c: int) -> str:
    return "(" + ", ".join(str(v) for v in arr.witnesses[c]) + ")"


def _cover(tops: list[set[int]], ncell: int) -> list[int]:
    """Greedy cover of the cells by terms that can be their top."""
    todo = set(range(ncell))
    chosen: list[int] = []
    while todo:
        best = max(range(ncell), key=lambda c: (sum(1 for x in todo if c in tops[x]), -c))
        hit = {x for x in todo if best in tops[x]}
        if not hit:  # pragma: no cover - every cell is covered by its own term
            raise SplinesymError("internal: a cell has no top term")
        chosen.append(best)
        todo -= hit
    return sorted(chosen)


# ----------------------------------------------------------------------------------------------
# certificate trees
class _Trees:
    """Split each piece by the planes it leaves free, down to cells; leaves carry the proofs."""

    def __init__(self, b: _Builder, terms, top_of):
        self.b, self.terms, self.top_of = b, terms, top_of
        self.leaves = self.splits = self.empties = 0

    def piece_tree(self, conds: list, v: Poly) -> dict:
        arr = self.b.arr
        fixed: dict[int, int] = {}
        for g, s in conds:
            got = arr.plane_of(g)
            if got is None:
                if g.total_degree() < 1 and s * _cval(g) <= 0:
                    return self._empty(conds)
                continue
            k, c = got
            sk = s if c > 0 else -s
            if fixed.get(k, sk) != sk:
                return self._empty(conds)
            fixed[k] = sk
        return self.node(list(conds), fixed, v)

    def _empty(self, conds) -> dict:
        ev = self.b.arr.region_empty(conds)
        if ev is None:
            raise SplinesymError("internal: an empty region without Farkas multipliers")
        self.empties += 1
        return {"empty": ev}

    def node(self, conds: list, fixed: dict, v: Poly) -> dict:
        arr = self.b.arr
        cells = [x for x, sg in enumerate(arr.signs)
                 if all(sg[k] == s for k, s in fixed.items())]
        if not cells:
            return self._empty(conds)
        free = [k for k in range(len(arr.planes)) if k not in fixed]
        if not free:
            return self.leaf(conds, cells[0], v)
        k = free[0]
        self.splits += 1
        h = arr.planes[k]
        return {"split": fmt(self.b.R, h),
                "pos": self.node([*conds, (h, 1)], {**fixed, k: 1}, v),
                "neg": self.node([*conds, (h, -1)], {**fixed, k: -1}, v)}

    def leaf(self, conds: list, x: int, v: Poly) -> dict:
        b = self.b
        if pkey(v) != b.vkeys[x]:
            raise SplinesymError("internal: a cell's polynomial differs from its piece's")
        condmap = {}
        for i, (g, _s) in enumerate(conds):
            got = b.arr.plane_of(g)
            if got is not None and got[0] not in condmap:
                condmap[got[0]] = (i, got[1], g)
        if [(pkey(g), s) for g, s in conds] != [(pkey(g), s) for g, s in b.leaf_conds(x)]:
            raise SplinesymError("internal: leaf conditions differ from the planned ones")
        ti = self.top_of[x]
        entries, seps, below = self.terms[ti]

        def ev(p, sep, top):
            if sep is None and pkey(p) != pkey(v):
                got = b.fact(x, b.cell_of[pkey(p)], 1 if top else -1)
                if got is None:
                    raise SplinesymError("internal: a planned sign fact has no proof")
                return got
            return b.evidence(sep, v, p, condmap, top)

        top_signs = [{"entry": j, **ev(p, seps[j], True)} for j, p in enumerate(entries)]
        low = []
        for t, (ents, sps, blw) in enumerate(self.terms):
            if t == ti:
                continue
            j = 0 if pkey(ents[0]) == pkey(v) else blw[x]
            low.append({"term": t, "entry": j, **ev(ents[j], sps[j], False)})
        self.leaves += 1
        return {"leaf": {"witness": [str(c) for c in b.arr.witnesses[x]], "top": ti,
                         "equal": 0, "top_signs": top_signs, "below": low}}


def hyperplane_maxmin(sp: Spline, *, prune: bool = True,
                      pieces_first: bool | None = None) -> tuple[MaxMin, CertifyResult]:
    """The gallery-separator max–min of a spline on a hyperplane partition, with its certificate.

    Parameters
    ----------
    sp : Spline
        Every break affine; no weight symbols.
    prune : bool
        Share separators between cells and keep only the terms some cell needs (exact).
    pieces_first : bool, optional
        Use a piece polynomial as the separator wherever exact sign proofs (no solver) show
        that it works (Ovchinnikov's candidates; always enough for piecewise-linear tables),
        and a gallery separator elsewhere: fewer distinct polynomials, smaller encoders. The
        default (None) does so for piecewise-linear tables and in one variable, where the
        proofs are cheap and succeed; in higher degree they rarely do and cost time.

    Returns
    -------
    (MaxMin, CertifyResult)
        The max–min (method ``hyperplane``) and its ``maxmin-cells`` claims, one per output.

    Raises
    ------
    InvalidInputError
        A break that is not affine.
    InvalidSplineTableError
        A gap or a discontinuity across a wall.
    """
    t0 = time.monotonic()
    arr = arrangement(sp)
    t_arr = time.monotonic() - t0
    galleries: dict = {}
    if pieces_first is None:
        pieces_first = sp.nvars == 1 or all(v.total_degree() <= 1 for p in sp.pieces
                                            for v in p.values if not v.is_zero())
    prover = SignProver(sp.ring, solver_timeout=0) if pieces_first else None
    all_terms, trees_out = [], []
    before_t = before_e = leaves = splits = empties = 0
    for o in range(len(sp.outputs)):
        b = _Builder(sp, arr, o, galleries, prover)
        terms, _kept, top_of = b.build(prune)
        ncell = len(arr.signs)
        before_t += ncell
        distinct = {b.vkeys[d] for d in range(ncell)}
        before_e += sum(len(distinct) for _ in range(ncell))  # p_C + one per other value
        tr = _Trees(b, terms, top_of)
        pieces = []
        for k, piece in enumerate(sp.pieces):
            conds = sp.conditions(piece.region)
            pieces.append((k, conds, piece.values[o], tr.piece_tree(list(conds),
                                                                    piece.values[o])))
        leaves, splits, empties = leaves + tr.leaves, splits + tr.splits, empties + tr.empties
        all_terms.append([list(ents) for ents, _, _ in terms])
        trees_out.append(pieces)
    mm = MaxMin(sp.ring, list(sp.outputs), all_terms, "hyperplane")
    claims = [maxmin_claim(mm, o, pieces, "; the arrangement's cells refine them")
              for o, pieces in enumerate(trees_out)]
    size = mm.size()
    secs = round(time.monotonic() - t0, 3)
    stats = {"cells": len(arr.signs), "planes": len(arr.planes),
             "terms_before": before_t, "entries_before": before_e,
             "terms_after": size["terms"], "entries_after": size["entries"],
             "leaves": leaves, "splits": splits, "empty_leaves": empties,
             "sign_proofs": dict(prover.counts) if prover is not None else {},
             "seconds_arrangement": round(t_arr, 3), "seconds": secs}
    mm.stats.update({k: v for k, v in stats.items() if k != "seconds"})
    mm.notes.append(f"gallery separators on the {len(arr.signs)} cells of {len(arr.planes)} "
                    f"planes (complete for hyperplane partitions; exact certificate, no solver)")
    return mm, CertifyResult(True, mm, claims, [], stats)
