"""Certifying ``max_i min_j p_ij = spline`` piece by piece, and re-verifying the certificate.

For every output and every piece ``P`` of the spline (value ``v``) the certifier builds a small
decision tree: a node splits its region by the sign of an irreducible polynomial (both children
are kept, so the leaves cover the region up to a nowhere-dense set); a leaf either is empty
(Farkas multipliers, or z3's word) or names

* a *top* term ``i`` with an entry equal to ``v`` and a proof that every entry of term ``i`` is
  ``≥ v`` on the leaf (so ``min_j p_ij = v`` there), and
* for every other term ``t`` an entry ``p_tj`` with a proof that ``p_tj ≤ v`` on the leaf,

so that the max–min equals ``v`` on the leaf. Splits are the irreducible factors of differences
``p − v`` (the common refinement of the spline's breaks and the needed differences, built only
where a proof needs it). The sign proofs are those of :mod:`splinesym.lattice.signs`.

Pruning comes for free: terms that are never a top and entries that no proof uses can be dropped,
and the proofs still hold (a top term keeps its equal entry; every kept term still has its entry
``≤ v``). :func:`certify_maxmin` returns the pruned max–min with its certificate.

The claim (one per output) is plain JSON, kind ``identity`` with ``evidence.method`` =
``"maxmin-cells"``::

    {"kind": "identity", "value": "max-min = spline on every piece (output f)",
     "evidence": {"method": "maxmin-cells", "output": "f", "variables": ["x"],
                  "terms": [["x**2"], ["2*x**2", "x**2 - x - x**3"]],
                  "pieces": [{"piece": 0, "region": [["x", "+"]], "value": "x**2", "tree": NODE}]}}

    NODE = {"split": "g", "pos": NODE, "neg": NODE}
         | {"empty": SIGN-EVIDENCE-OF-EMPTINESS}        # {"by": "farkas", "multipliers": [...]}
         | {"leaf": {"witness": [...] | null, "top": i, "equal": j,
                     "top_signs": [{"entry": j, ...SIGN}],          # every entry of term i, >= v
                     "below": [{"term": t, "entry": j, ...SIGN}]}}  # one per other term, <= v

The conditions of a node are the piece's region followed by the splits on its path; ``cond: k``
in a sign proof refers to that list. :func:`verify_maxmin_claim` re-verifies a claim using only
exact rational arithmetic (the kernel :mod:`splinesym.kernel`), never the code that produced
it. The claim is about the spline's own pieces (every one of them, each exactly once); that
their union is dense is the spline's own claim (its cell enumeration), not re-derived here.

Examples
--------
>>> from splinesym.spline import Spline
>>> from splinesym.io.maxmin_io import maxmin_from_dict
>>> sp = Spline.from_pieces(["x"], ["f"], ["x"], [([(0, 1)], ["x**2"]), ([(0, -1)], ["2*x**2"])])
>>> mm = maxmin_from_dict({"format": "splinesym.maxmin/1", "variables": ["x"], "outputs": [
...     {"name": "f", "max_of_mins": [["x**2"], ["2*x**2", "x**2 - x - x**3"]]}]})
>>> res = certify_maxmin(mm, sp)
>>> res.certified, verify_certificate(certificate_dict(res.maxmin, sp, res.claims))[0][0]
(True, 'checked')
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from ..cells.budget import time_left
from ..cells.decision import check_witness
from ..cells.linear import affine_witness, farkas_multipliers
from ..errors import SplinesymError
from ..poly import Poly, PolyRing, is_affine, to_fmpq, to_fraction
from ..region import factor_normalized
from ..spline import Spline
from .expr import MaxMin, fmt, pkey
from .signs import SignProver, _fs

__all__ = ["certify_maxmin", "CertifyResult", "decide_conditions", "verify_maxmin_claim",
           "verify_certificate", "certificate_dict", "METHOD"]

METHOD = "maxmin-cells"


# ----------------------------------------------------------------------------------------------
def decide_conditions(ring: PolyRing, conds, hints=(), timeout: float = 5.0, seed: int = 0):
    """``("witness", point)``, ``("empty", evidence)`` or ``("undecided", None)`` for a list
    of strict conditions ``(g, s)``."""
    n = ring.nvars
    for h in hints:
        if h is not None and check_witness(conds, h):
            return "witness", tuple(Fraction(v) for v in h)
    if not conds:
        return "witness", tuple(Fraction(0) for _ in range(n))
    affine = all(is_affine(g) for g, _ in conds)
    if affine:
        pt, _ = affine_witness(conds, n)
        if pt is not None:
            return "witness", pt
    lam = farkas_multipliers(conds)
    if lam is not None:
        return "empty", {"by": "farkas", "multipliers": [_fs(v) for v in lam]}
    if not affine:
        from ..cells.sample import maximize_margin
        from ..poly import FloatEvaluator

        rng = np.random.default_rng(seed)
        centers = [np.array([float(v) for v in h]) for h in hints if h is not None]
        pts = [rng.standard_normal((3000, n)) * s for s in (0.3, 1, 3, 10)]
        for c in centers:
            pts.append(c + rng.standard_normal((2000, n)) * 0.05)
        P = np.vstack(pts)
        ev = FloatEvaluator([g for g, _ in conds], n)
        sg = np.array([s for _, s in conds], dtype=float)
        marg = (ev(P) * sg).min(axis=1)
        order = np.argsort(-marg)[:20]
        for i in order:
            if marg[i] <= 0:
                break
            for bits in (2, 6, 10, 16, 24, 40):
                sc = float(1 << bits)
                pt = tuple(Fraction(round(float(v) * sc), int(sc)) for v in P[i])
                if check_witness(conds, pt):
                    return "witness", pt
        pt, _ = maximize_margin(conds, n, [P[i] for i in order[:3]])
        if pt is not None:
            return "witness", pt
    from ..cells.solver import z3_decide

    ans, pt = z3_decide(ring, conds, timeout, linear=affine)
    if ans == "sat":
        return "witness", pt
    if ans == "unsat":
        return "empty", {"by": "solver", "note": "z3: the region is empty (trusted)"}
    return "undecided", None


class _Fail(Exception):
    pass


@dataclass
class CertifyResult:
    """Outcome of :func:`certify_maxmin`.

    Attributes
    ----------
    certified : bool
        Every piece of every output has a complete tree.
    maxmin : MaxMin
        The pruned max–min (the certified one), or the input when not certified.
    claims : list of dict
        One ``identity`` claim per output (only the certified outputs).
    failures : list of str
        Why an output could not be certified (a counterexample point when the identity is
        false there).
    stats : dict
        Terms/entries before and after pruning, leaves, splits, sign proofs by kind, seconds.
    """

    certified: bool
    maxmin: MaxMin
    claims: list[dict] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    stats: dict = field(default_factory=dict)


class _Certifier:
    def __init__(self, mm: MaxMin, sp: Spline, solver_timeout: float, max_depth: int,
                 deadline: float | None):
        self.mm = mm
        self.sp = sp
        self.R = mm.ring
        self.prover = SignProver(mm.ring, mm.hints, solver_timeout=solver_timeout)
        self.solver_timeout = solver_timeout
        self.max_depth = max_depth
        self.deadline = deadline
        self.cache: dict = {}
        self.leaves = 0
        self.splits = 0
        self.empties = 0
        #: with ``defer``, a leaf's top term is chosen at its witness and the proofs that its
        #: entries are >= the value are made after pruning, for the kept entries only
        self.defer = False
        self.pending: list = []

    def finish_pending(self, keep) -> None:
        """Prove the deferred top signs for the entries ``keep[o][term]`` (raise _Fail)."""
        for o, leaf, conds, ckey, v in self.pending:
            i = leaf["top"]
            row = self.mm.terms[o][i]
            evs = []
            for j in sorted(keep[o].get(i, range(len(row)))):
                p = row[j]
                if pkey(p) == pkey(v):
                    evs.append({"entry": j, "by": "zero"})
                    continue
                ev = (self._prove(conds, p, v, 1, False, ckey)
                      or self._prove(conds, p, v, 1, True, ckey))
                if ev is None:
                    raise _Fail(f"deferred top proof failed for entry {fmt(self.R, p)}")
                evs.append({"entry": j, **ev})
            leaf["top_signs"] = evs
        self.pending = []

    # -- proofs --------------------------------------------------------------------------------
    def _prove(self, conds, p: Poly, v: Poly, rel: int, solver: bool = True, ckey=None):
        if ckey is None:
            ckey = tuple((pkey(g), s) for g, s in conds)
        key = (ckey, pkey(p), pkey(v), rel, solver)
        if key in self.cache:
            return self.cache[key]
        q = p - v
        parts = None
        pp, pv = self.mm.parts.get(pkey(p)), self.mm.parts.get(pkey(v))
        if pp is not None and pv is not None:
            zero = self.R.zero()
            parts = {s: pp.get(s, zero) - pv.get(s, zero) for s in dict.fromkeys([*pp, *pv])}
            tot = zero
            for x in parts.values():
                tot += x
            if tot != q:
                parts = None
        ev = self.prover.prove(conds, q, rel, parts, solver=solver,
                               ckeys=[k for k, _ in ckey])
        self.cache[key] = ev
        return ev

    def _time_left(self):
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise _Fail("time limit reached")

    # -- tree ----------------------------------------------------------------------------------
    def node(self, o: int, conds: list, w, v: Poly, depth: int, used: dict) -> dict:
        self._time_left()
        if w is None or not check_witness(conds, w):
            st, x = decide_conditions(self.R, conds, [w] if w is not None else [],
                                      self.solver_timeout)
            if st == "empty":
                self.empties += 1
                return {"empty": x}
            if st != "witness":
                raise _Fail(f"cannot decide whether a region is empty: {self._conds_str(conds)}")
            w = x
        terms = self.mm.terms[o]
        args = [to_fmpq(c) for c in w]
        vals = [[p(*args) for p in t] for t in terms]
        vw = v(*args)
        got = max(min(r) for r in vals)
        if got != vw:
            raise _Fail(f"max-min = {to_fraction(got)} but the spline = {to_fraction(vw)} at "
                        f"{[str(c) for c in w]}: the identity is false")
        vkey = pkey(v)
        ckey = tuple((pkey(g), s) for g, s in conds)
        cands = [i for i, t in enumerate(terms)
                 if min(vals[i]) == vw and any(pkey(p) == vkey for p in t)]
        if not cands:
            raise _Fail(f"no term contains the piece value {fmt(self.R, v)} at a witness")
        tops = used.setdefault("tops", set())
        ents = used.setdefault("entries", {})
        cands.sort(key=lambda i: (i not in tops, len(terms[i])))
        split_q = None
        top = None
        if self.defer:
            i = cands[0]
            eq = next(j for j, p in enumerate(terms[i]) if pkey(p) == vkey)
            top = (i, eq, None)
        for i in ([] if self.defer else cands[:4]):
            evs = []
            eq = None
            for j, p in enumerate(terms[i]):
                if pkey(p) == vkey:
                    if eq is None:
                        eq = j
                    evs.append({"entry": j, "by": "zero"})
                    continue
                ev = (self._prove(conds, p, v, 1, False, ckey)
                      or self._prove(conds, p, v, 1, True, ckey))
                if ev is None:
                    split_q = split_q or (p - v)
                    evs = None
                    break
                evs.append({"entry": j, **ev})
            if evs is not None:
                top = (i, eq, evs)
                break
        below = []
        if top is not None:
            for t, row in enumerate(terms):
                if t == top[0]:
                    continue
                order = sorted((j for j in range(len(row)) if vals[t][j] <= vw),
                               key=lambda j: (j not in ents.get(t, ()), vals[t][j]))
                found = None
                for solver in (False, True):
                    for j in order[:4] if not solver else order[:1]:
                        ev = self._prove(conds, row[j], v, -1, solver, ckey)
                        if ev is not None:
                            found = {"term": t, "entry": j, **ev}
                            break
                    if found is not None:
                        break
                if found is None:
                    if order:
                        split_q = row[order[0]] - v
                    below = None
                    break
                below.append(found)
        if top is not None and below is not None:
            i, eq, evs = top
            tops.add(i)
            ents.setdefault(i, set()).add(eq)
            for b in below:
                ents.setdefault(b["term"], set()).add(b["entry"])
            self.leaves += 1
            leaf = {"witness": [_fs(c) for c in w], "top": i, "equal": eq,
                    "top_signs": evs, "below": below}
            if evs is None:
                self.pending.append((o, leaf, list(conds), ckey, v))
            return {"leaf": leaf}
        if depth >= self.max_depth or split_q is None:
            raise _Fail(f"no proof at depth {depth} in {self._conds_str(conds)}")
        f = self._split_factor(conds, split_q)
        if f is None:
            raise _Fail(f"no polynomial to split on in {self._conds_str(conds)}")
        self.splits += 1
        out = {"split": fmt(self.R, f)}
        fw = f(*args)
        for s, name in ((1, "pos"), (-1, "neg")):
            child_w = w if fw * s > 0 else None
            out[name] = self.node(o, [*conds, (f, s)], child_w, v, depth + 1, used)
        return out

    def _split_factor(self, conds, q: Poly) -> Poly | None:
        have = {pkey(g) for g, _ in conds}
        _, fs = factor_normalized(q)
        for f, m in fs:
            if m % 2 and pkey(f) not in have and not f.is_constant():
                if self.prover.sign_of_factor(conds, f) is None:
                    return f
        return None

    def _conds_str(self, conds) -> str:
        return ", ".join(f"{fmt(self.R, g)} {'>' if s > 0 else '<'} 0" for g, s in conds) \
            or "everywhere"


def certify_maxmin(mm: MaxMin, sp: Spline, *, prune: bool = True, solver_timeout: float = 5.0,
                   time_limit: float | None = None, max_depth: int = 8,
                   _preselected: bool = False, _deferred: bool = False) -> CertifyResult:
    """Certify ``mm = sp`` piece by piece (and prune ``mm`` to what the proofs use).

    Parameters
    ----------
    mm : MaxMin
        Same variables and outputs (in order) as ``sp``.
    sp : Spline
        The spline; its pieces must have a dense union (its own claim).
    prune : bool
        Drop terms that are never a top and entries no proof uses.
    solver_timeout : float
        Seconds z3 may spend on one sign fact or region (0: no solver).
    time_limit : float, optional
        Seconds for the whole certification.
    """
    from ..cells.budget import clamp_time

    time_limit = clamp_time(time_limit)
    t0 = time.monotonic()
    if list(mm.ring.names) != list(sp.variables) or sp.parameters:
        raise SplinesymError(f"max-min variables {list(mm.ring.names)} differ from the spline's "
                             f"{list(sp.variables)}")
    if len(mm.outputs) != len(sp.outputs):
        raise SplinesymError(f"max-min has {len(mm.outputs)} outputs, the spline "
                             f"{len(sp.outputs)}")
    deadline = None if time_limit is None else t0 + time_limit
    if prune and not _preselected:
        small = _preselect(mm, sp)
        if small is not None:
            res = certify_maxmin(small, sp, prune=True, solver_timeout=solver_timeout,
                                 time_limit=time_limit, max_depth=max_depth, _preselected=True)
            if res.certified:
                res.stats["terms_before"] = mm.size()["terms"]
                res.stats["entries_before"] = mm.size()["entries"]
                res.maxmin.stats["terms_before"] = res.stats["terms_before"]
                res.maxmin.stats["entries_before"] = res.stats["entries_before"]
                res.stats["seconds"] = round(time.monotonic() - t0, 3)
                return res
    if prune and not _deferred:
        res = certify_maxmin(mm, sp, prune=True, solver_timeout=solver_timeout,
                             time_limit=time_limit, max_depth=max_depth,
                             _preselected=_preselected, _deferred=True)
        if res.certified:
            return res
    C = _Certifier(mm, sp, solver_timeout, max_depth, deadline)
    C.defer = _deferred
    trees: list[list | None] = []
    useds: list[dict] = []
    failures = []
    for o in range(len(mm.outputs)):
        used: dict = {}
        pieces = []
        try:
            for k, piece in enumerate(sp.pieces):
                conds = sp.conditions(piece.region)
                pieces.append((k, conds, piece.values[o],
                               C.node(o, list(conds), piece.witness, piece.values[o], 0, used)))
        except _Fail as exc:
            failures.append(f"output {mm.outputs[o]}: {exc}")
            pieces = None
        trees.append(pieces)
        useds.append(used)
    if C.pending and not failures:
        keep = [{t: set(e) for t, e in u.get("entries", {}).items()} for u in useds]
        try:
            C.finish_pending(keep)
        except _Fail as exc:
            failures.append(str(exc))
    before = mm.size()
    terms = [list(map(list, ts)) for ts in mm.terms]
    if prune and not failures:
        terms, trees = _prune(mm, trees, useds)
    out = mm.with_terms(terms)
    claims = []
    for o, pieces in enumerate(trees):
        if pieces is None:
            continue
        claims.append(maxmin_claim(out, o, pieces))
    after = out.size()
    stats = {"terms_before": before["terms"], "entries_before": before["entries"],
             "terms_after": after["terms"], "entries_after": after["entries"],
             "leaves": C.leaves, "splits": C.splits, "empty_leaves": C.empties,
             "sign_proofs": dict(C.prover.counts),
             "seconds": round(time.monotonic() - t0, 3)}
    if not failures:
        out.stats.update({k: v for k, v in stats.items() if k != "seconds"})
        out.stats["seconds_certify"] = stats["seconds"]
    return CertifyResult(not failures, out if not failures else mm, claims, failures, stats)


def _preselect(mm: MaxMin, sp: Spline) -> MaxMin | None:
    """The terms that are active at the pieces' witnesses (a greedy cover), or None when that
    would not remove anything. Only a candidate: it is certified like any other max–min."""
    new = []
    shrunk = False
    for o, ts in enumerate(mm.terms):
        cover: list[set[int]] = []
        for piece in sp.pieces:
            if piece.witness is None or time_left() <= 0:   # only an optimisation
                return None
            args = [to_fmpq(c) for c in piece.witness]
            vw = piece.values[o](*args)
            vkey = pkey(piece.values[o])
            cover.append({i for i, t in enumerate(ts)
                          if min(p(*args) for p in t) == vw
                          and any(pkey(p) == vkey for p in t)})
        chosen: list[int] = []
        todo = set(range(len(cover)))
        while todo:
            best = max(range(len(ts)), key=lambda i: (sum(1 for k in todo if i in cover[k]),
                                                      -len(ts[i])))
            hit = {k for k in todo if best in cover[k]}
            if not hit:
                return None
            chosen.append(best)
            todo -= hit
        chosen.sort()
        shrunk |= len(chosen) < len(ts)
        new.append([list(ts[i]) for i in chosen])
    return mm.with_terms(new) if shrunk else None


def _prune(mm: MaxMin, trees, useds):
    new_terms = []
    maps = []
    for o, ts in enumerate(mm.terms):
        used = useds[o]
        tops = sorted(used.get("tops", ()))
        ents = used.get("entries", {})
        tmap = {}
        emap: dict[int, dict[int, int]] = {}
        kept = []
        for t in tops:
            js = sorted(ents.get(t, ()))
            emap[t] = {j: k for k, j in enumerate(js)}
            tmap[t] = len(kept)
            kept.append([ts[t][j] for j in js])
        new_terms.append(kept)
        maps.append((tmap, emap))

    def remap(node, tmap, emap):
        if "split" in node:
            return {"split": node["split"], "pos": remap(node["pos"], tmap, emap),
                    "neg": remap(node["neg"], tmap, emap)}
        if "empty" in node:
            return node
        lf = node["leaf"]
        t = lf["top"]
        em = emap[t]
        return {"leaf": {
            "witness": lf["witness"], "top": tmap[t], "equal": em[lf["equal"]],
            "top_signs": [{**e, "entry": em[e["entry"]]} for e in lf["top_signs"]
                          if e["entry"] in em],
            "below": [{**b, "term": tmap[b["term"]], "entry": emap[b["term"]][b["entry"]]}
                      for b in lf["below"] if b["term"] in tmap]}}

    new_trees = []
    for o, pieces in enumerate(trees):
        tmap, emap = maps[o]
        new_trees.append([(k, c, v, remap(n, tmap, emap)) for k, c, v, n in pieces])
    return new_terms, new_trees


def maxmin_claim(mm: MaxMin, o: int, pieces, coverage: str = "") -> dict:
    """The ``maxmin-cells`` identity claim of output ``o`` from its per-piece proof trees
    (``pieces``: ``(index, conditions, value, tree)``); ``coverage`` adds to the coverage note."""
    R = mm.ring
    return {"kind": "identity",
            "value": f"max-min = spline on every piece (output {mm.outputs[o]})",
            "evidence": {
                "method": METHOD, "output": mm.outputs[o], "output_index": o,
                "variables": list(R.names),
                "terms": [[fmt(R, p) for p in t] for t in mm.terms[o]],
                "pieces": [{"piece": k,
                            "region": [[fmt(R, g), "+" if s > 0 else "-"] for g, s in conds],
                            "value": fmt(R, v), "tree": node}
                           for k, conds, v, node in pieces],
                "coverage": "the pieces of subject.spline (their dense union is the spline's "
                            "own claim)" + coverage}}


def certificate_dict(mm: MaxMin, sp: Spline, claims: list[dict]) -> dict:
    """A ``splinesym.certificate/1`` object with the spline and the max–min as the subject."""
    from ..io.maxmin_io import maxmin_to_dict
    from ..io.spline_io import spline_to_dict

    outputs = [c["evidence"]["output"] for c in claims]
    out = {"format": "splinesym.certificate/1",
           "subject": {"spline": spline_to_dict(sp), "maxmin": maxmin_to_dict(mm, stats=False)},
           "statement": [{"kind": "maxmin", "outputs": outputs}] if outputs else [],
           "claims": claims}
    missing = [o for o in mm.outputs if o not in outputs]
    if missing:
        out["partial"] = f"max-min = spline NOT established for output(s) {', '.join(missing)}"
    return out


# ----------------------------------------------------------------------------------------------
# the verifier is the kernel (splinesym/kernel/), which imports nothing from splinesym
def verify_certificate(cert: dict) -> list[tuple[str, str]]:
    """``(status, message)`` of every ``maxmin-cells`` claim of ``cert``, re-verified by the
    kernel (a certificate the kernel cannot read gives one ``FAILED`` entry)."""
    from ..kernel import FAILED, Malformed, check_certificate

    try:
        rep = check_certificate(cert)
    except Malformed as exc:
        return [(FAILED, f"unreadable: {exc}")]
    return [(st, msg) for c, (st, _, msg) in zip(rep.claims, rep.results, strict=True)
            if c.kind == "identity" and c.ev["method"] == METHOD]


def verify_maxmin_claim(claim: dict, subject: dict) -> tuple[str, str]:
    """Re-verify one ``maxmin-cells`` claim against its subject (spline and max-min) with the
    kernel; ``(status, message)``."""
    cert = {"format": "splinesym.certificate/1", "subject": subject, "claims": [claim],
            "statement": [{"kind": "maxmin", "outputs": [claim["evidence"]["output"]]}]}
    out = verify_certificate(cert)
    return out[0] if out else ("FAILED", "not a maxmin-cells claim")
