"""The decision tiers, applied cheapest first, with a cache and counters."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from fractions import Fraction

import numpy as np

from .. import progress
from ..poly import Poly, is_affine
from ..region import BreakTable, Region
from .budget import Budget
from .decision import (
    EMPTY_FARKAS,
    EMPTY_PSATZ,
    EMPTY_SOLVER,
    EMPTY_SOS,
    UNDECIDED,
    WITNESS,
    Decision,
    check_witness,
)
from .evidence import Term, check_psatz, psatz_evidence
from .linear import affine_witness, farkas_multipliers
from .psatz import product_certificate
from .sample import SampleCloud, local_points, maximize_margin
from .solver import z3_decide
from .sos import quadratic_sos

__all__ = ["Decider"]


class Decider:
    """Decides sign conditions on the breaks of one :class:`BreakTable`.

    Parameters
    ----------
    table : BreakTable
        The breaks; regions refer to them by index.
    budget : Budget
        Shared time/cell budget; z3 gets at most ``budget.solver_seconds()`` per cell.
    symbolic : bool
        With symbolic weights nothing can be decided: every pattern is ``undecided``.
    sample_size : int
        Size of the shared sample cloud.

    Examples
    --------
    >>> from splinesym.poly import PolyRing
    >>> R = PolyRing(["x", "y"])
    >>> T = BreakTable(R)
    >>> a, b = T.add(R.parse("x")), T.add(R.parse("x - y - 1"))
    >>> d = Decider(T, Budget())
    >>> d.decide(Region({a: -1, b: 1})).status
    'witness'
    >>> d.decide(Region({a: 1, b: -1})).status
    'witness'
    """

    def __init__(self, table: BreakTable, budget: Budget, *, symbolic: bool = False,
                 sample_size: int = 20000, seed: int = 0, large_sample: int = 200000):
        self.table = table
        self.budget = budget
        self.symbolic = symbolic
        self.nvars = table.ring.nvars
        self.cloud = SampleCloud(self.nvars, sample_size, seed)
        self.large_sample = large_sample
        #: try z3 briefly before the margin search when there are at most this many variables
        self.quick_solver_vars = 4
        self.quick_solver_seconds = 0.5
        self.rng = np.random.default_rng(seed + 1)
        self.cache: dict[Region, Decision] = {}
        self.counts: Counter[str] = Counter()
        #: score systems (:class:`.structure.ScoreSystem`) valid on the cell being refined
        self.structure: Sequence = ()
        #: products of at most this many factors before the margin search, then after it
        self.psatz_factors = (3, 4)
        #: seconds the product-certificate tier may spend on one region (each pass)
        self.psatz_seconds = 20.0
        #: seconds the score-space witness search may spend on one region
        self.witness_seconds = 3.0

    # ------------------------------------------------------------------------------------------
    def decide(self, region: Region, hints: Sequence[Sequence[Fraction]] = (),
               solver: bool = True) -> Decision:
        """Decide whether ``region`` is nonempty. Results are cached per region."""
        got = self.cache.get(region)
        if got is not None and (got.status != UNDECIDED or not solver):
            return got
        d = self._decide(region, hints, solver)
        self.cache[region] = d
        self.counts[f"{d.status}:{d.method}"] += 1
        progress.report(decided=d.status)
        return d

    def _decide(self, region: Region, hints, solver: bool) -> Decision:
        conds = self.table.conditions(region)
        if self.symbolic:
            return Decision(UNDECIDED, method="symbolic",
                            note="symbolic weights: sign patterns are not decided")
        if not conds:
            return Decision(WITNESS, tuple(Fraction(0) for _ in range(self.nvars)), method="hint")
        for h in hints:
            if h is not None and check_witness(conds, h):
                return Decision(WITNESS, tuple(h), method="hint")
        for i in self.cloud.candidates(region.items(), self.table.polys):
            pt = self.cloud.exact_point(i)
            if check_witness(conds, pt):
                return Decision(WITNESS, pt, method="sample")
        affine = all(is_affine(g) for g, _ in conds)
        if affine:
            return self._decide_affine(conds)
        lam = farkas_multipliers(conds)
        if lam is not None:
            return Decision(EMPTY_FARKAS, multipliers=lam, method="lift")
        if len(self.cloud) < self.large_sample:
            self.cloud.extend(self.large_sample)
            for i in self.cloud.candidates(region.items(), self.table.polys):
                pt = self.cloud.exact_point(i)
                if check_witness(conds, pt):
                    return Decision(WITNESS, pt, method="sample")
        if solver and self.nvars <= self.quick_solver_vars:
            # in few variables z3 usually answers at once: a witness, or "unsat" -- which is
            # then turned into a product certificate when one is found (the solver's word,
            # trusted, is the last resort)
            quick = self._solve(conds, float("nan"), linear=False,
                                seconds=min(self.quick_solver_seconds,
                                            self.budget.solver_seconds()))
            if quick.status == WITNESS:
                return quick
            if quick.status == EMPTY_SOLVER:
                cert = self._psatz(region, conds, self.psatz_factors[1])
                return cert if cert is not None else quick
        cert = self._psatz(region, conds, self.psatz_factors[0])
        if cert is not None:
            return cert
        pt, margin = self._search(region, conds, hints)
        if pt is not None:
            return Decision(WITNESS, pt, method="margin")
        if self.structure:
            # thin cells the margin search misses: targets in score space, then x
            from .structure import structure_witness

            pt = self._guarded(structure_witness, self.table, region, self.structure, self.rng,
                               seconds=min(self.witness_seconds, self.budget.remaining()))
            if pt is not None:
                return Decision(WITNESS, pt, method="score-space")
        if not solver:
            return Decision(UNDECIDED, method="deferred", margin=margin)
        return self._last_resort(region, conds, margin)

    def _last_resort(self, region: Region, conds, margin: float) -> Decision:
        """z3 (in the score variables first when the structure is known), with the costlier
        product certificates (K = 4) tried on what z3 does not show nonempty: a certificate
        replaces z3's "unsat", which stays the trusted last word."""
        trusted = self._solve_scores(region) if self.structure else None
        d = None
        if trusted is None:
            d = self._solve(conds, margin, linear=False)
            if d.status == WITNESS:
                return d
            if d.status == EMPTY_SOLVER:
                trusted = d
        cert = self._psatz(region, conds, self.psatz_factors[1], start=self.psatz_factors[0] + 1)
        if cert is not None:
            return cert
        if trusted is not None:
            return trusted
        return d if d is not None else self._solve(conds, margin, linear=False)

    def _solve_scores(self, region: Region) -> Decision | None:
        """z3 on the region relaxed to the score variables (with the structure facts): its
        "unsat" is trusted, not re-checked."""
        from .solver import z3_relaxation
        from .structure import score_problem

        prob = self._guarded(score_problem, self.table, region, self.structure)
        if prob is None:
            return None
        ring, strict, facts, rels = prob
        secs = self.budget.solver_seconds()
        if z3_relaxation(ring, strict, facts, rels, secs) == "unsat":
            return Decision(EMPTY_SOLVER, method="z3-scores",
                            note="z3 said unsat in the score variables, with the proved "
                                 "structure facts (trusted, not re-checked)")
        return None

    def _guarded(self, fn, *args, **kw):
        """Run a structure-tier search; a numerical failure of the search (never of a check)
        only means that this tier found nothing (counted under ``structure-error``)."""
        try:
            return fn(*args, **kw)
        except (ValueError, ArithmeticError, np.linalg.LinAlgError, MemoryError):
            self.counts["structure-error"] += 1
            return None

    def _psatz(self, region: Region, conds, max_k: int, start: int = 2) -> Decision | None:
        """Product certificates: first in the score variables of the current attention head
        (with the structure facts), then over products of the conditions themselves."""
        from .structure import structure_certificate

        t0 = time.monotonic()
        cap = min(self.psatz_seconds, self.budget.remaining())
        if cap <= 0 or start > max_k:
            return None
        ring = self.table.ring
        if self.structure:
            ev = self._guarded(structure_certificate, self.table, region, self.structure,
                               max_factors=max_k, seconds=cap / 2, start=start)
            if ev is not None:
                return Decision(EMPTY_PSATZ, method="structure", evidence=ev,
                                note="product certificate with attention-structure facts")
        keys = [k for k, _ in region]
        factors = [g * s for g, s in conds]
        for K in range(start, max_k + 1):
            left = cap - (time.monotonic() - t0)
            if left <= 0:
                return None
            sol = product_certificate(factors, ring, max_factors=K, seconds=left)
            if sol is None:
                continue
            terms = [Term(c, tuple((keys[i], e) for i, e in enumerate(a) if e), (),
                          None if q == ring.const(1) else q) for c, a, q in sol]
            ev = psatz_evidence(ring, terms)
            if check_psatz(ring, {k: (g, s) for (k, s), (g, _) in zip(region, conds)}, ev):
                return Decision(EMPTY_PSATZ, method=f"psatz-{K}", evidence=ev,
                                note=f"product certificate over products of <= {K} conditions")
        return None

    def _decide_affine(self, conds) -> Decision:
        pt, t = affine_witness(conds, self.nvars)
        if pt is not None:
            return Decision(WITNESS, pt, method="lp")
        lam = farkas_multipliers(conds)
        if lam is not None:
            return Decision(EMPTY_FARKAS, multipliers=lam, method="lp")
        return self._solve(conds, t, linear=True)

    def _search(self, region, conds, hints) -> tuple[tuple[Fraction, ...] | None, float]:
        """Local sampling around the hints, then margin optimisation from the best points of the
        cloud and of the local samples."""
        from ..poly import FloatEvaluator

        ev = FloatEvaluator([g for g, _ in conds], self.nvars)
        s = np.array([sg for _, sg in conds], dtype=float)
        norms = np.sqrt((ev.coef**2).sum(axis=0))
        norms[norms == 0] = 1.0
        centers = [h for h in hints if h is not None]
        local = [local_points(c, 2000, self.rng) for c in centers[:4]]
        if local:
            pts = np.vstack(local)
            lm = (ev(pts) * (s / norms)).min(axis=1)
            best = np.argsort(-lm)[:5]
            for i in best:
                if lm[i] > 0:
                    pt = tuple(Fraction(float(v)) for v in pts[i])
                    if check_witness(conds, pt):
                        return pt, float(lm[i])
            starts = [pts[i] for i in best[:2]]
        else:
            starts = []
        cm = self.cloud.margins(region.items(), self.table.polys)
        starts += [self.cloud.points[i] for i in np.argsort(-cm)[:8]]
        b = self.budget
        deadline = None if b.time_limit is None else b.start + b.time_limit
        pt, margin = maximize_margin(conds, self.nvars, starts, deadline=deadline)
        if pt is None and margin > -1e-9:
            # thin or touching the origin: restart from random directions
            pt, m2 = maximize_margin(conds, self.nvars,
                                     list(self.rng.standard_normal((24, self.nvars))),
                                     deadline=deadline)
            margin = max(margin, m2)
        return pt, margin

    def _solve(self, conds, margin: float, linear: bool, seconds: float | None = None) -> Decision:
        secs = self.budget.solver_seconds() if seconds is None else seconds
        ans, pt = z3_decide(self.table.ring, conds, secs, linear=linear)
        if ans == "sat":
            return Decision(WITNESS, pt, method="z3")
        if ans == "unsat":
            return Decision(EMPTY_SOLVER, method="z3",
                            note="z3 real arithmetic said unsat (trusted, not re-checked)")
        why = "time budget used up" if secs <= 0 else f"z3 gave no answer in {secs:.3g} s"
        return Decision(UNDECIDED, method="z3", margin=margin, note=why)

    # ------------------------------------------------------------------------------------------
    def changes_sign(self, f: Poly) -> tuple[bool, int, Decision | None]:
        """Does the irreducible ``f`` take both signs on open sets?

        Returns ``(wall, sign, evidence)``: when ``wall`` is False, ``f`` has the a.e. sign
        ``sign`` everywhere and ``evidence`` is the decision that its other side is empty.
        Undecided cases count as walls (splitting on them loses nothing).
        """
        if is_affine(f) or self.symbolic:
            return True, 0, None
        ring = self.table.ring
        for sign in (1, -1):   # exact sums of squares for semidefinite quadratics
            cert = quadratic_sos(f * sign, ring)
            if cert is not None:
                self.counts["empty-sos:sos"] += 1
                return False, sign, Decision(EMPTY_SOS, sos=tuple(cert), method="sos",
                                             note=f"{'' if sign > 0 else '-'}f is a sum of "
                                                  "squares")
        T = BreakTable(self.table.ring)
        k = T.add(f)
        sub = Decider.__new__(Decider)
        sub.__dict__.update(self.__dict__)
        sub.table, sub.cache, sub.cloud = T, {}, SampleCloud(self.nvars, 4000)
        sub.large_sample = 20000
        pos = sub.decide(Region({k: 1}))
        neg = sub.decide(Region({k: -1}))
        if pos.nonempty and neg.nonempty:
            return True, 0, None
        if pos.nonempty and neg.empty:
            return False, 1, neg
        if neg.nonempty and pos.empty:
            return False, -1, pos
        return True, 0, None
