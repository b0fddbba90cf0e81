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
exact rational arithmetic (the polynomial primitives of the independent checker
:mod:`splinesym.check`), never the code that produced it. That the pieces cover the space (their
union is dense) is the spline's own claim (its cell enumeration); it is not re-derived here.

Examples
--------
>>> from splinesym.spline import Spline
>>> from splinesym.io.maxmin_io import maxmin_from_dict
>>> sp = Spline.from_pieces(["x"], ["f"], ["x"], [([(0, 1)], ["x**2"]), ([(0, -1)], ["2*x**2"])])
>>> mm = maxmin_from_dict({"format": "splinesym.maxmin/1", "variables": ["x"], "outputs": [
...     {"name": "f", "max_of_mins": [["x**2"], ["2*x**2", "x**2 - x - x**3"]]}]})
>>> res = certify_maxmin(mm, sp)
>>> res.certified, [verify_maxmin_claim(c)[0] for c in res.claims]
(True, ['checked'])
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

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
        claims.append(_claim(out, o, pieces))
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
            if piece.witness is None:
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


def _claim(mm: MaxMin, o: int, pieces) -> dict:
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
                            "own claim)"}}


def certificate_dict(mm: MaxMin, sp: Spline, claims: list[dict]) -> dict:
    """A ``splinesym.certificate/1`` object with the spline and the max–min as the subject."""
    from ..io.maxmin_io import maxmin_to_dict
    from ..io.spline_io import spline_to_dict

    return {"format": "splinesym.certificate/1",
            "subject": {"spline": spline_to_dict(sp), "maxmin": maxmin_to_dict(mm, stats=False)},
            "claims": claims}


# ----------------------------------------------------------------------------------------------
# the verifier: exact arithmetic on coefficient dicts (the independent checker's primitives)
def _ck():
    from .. import check as ck

    return ck


class ClaimFailure(Exception):
    pass


def _need(cond, why):
    if not cond:
        raise ClaimFailure(why)


def _fr(v) -> Fraction:
    return Fraction(str(v)) if not isinstance(v, (int, Fraction)) else Fraction(v)


def verify_sign(conds, q: dict, rel: int, ev: dict, names, trusted: list) -> None:
    """Check one sign proof: ``rel·q ≥ 0`` on ``{s·g > 0 for (g, s) in conds}``."""
    ck = _ck()
    n = len(names)
    by = ev.get("by")
    if by == "zero":
        _need(q == {}, "claimed zero, but the difference is not the zero polynomial")
        return
    if by == "product":
        prod = ck.pconst(_fr(ev["const"]), n)
        c = _fr(ev["const"])
        _need(c != 0, "zero constant")
        sign = 1 if c > 0 else -1
        for f in ev["factors"]:
            fp = ck.parse_poly(f["poly"], names)
            m = int(f["power"])
            _need(m >= 1, "bad power")
            prod = ck.pmul(prod, ck.ppow(fp, m, n))
            sf = _factor_sign(conds, fp, f["why"], names)
            if m % 2:
                sign *= sf
        _need(ck.psub(prod, q) == {}, "the factors do not multiply out to the difference")
        _need(sign == rel, "the factors give the wrong sign")
        return
    if by == "sum":
        tot = {}
        for p in ev["parts"]:
            pp = ck.parse_poly(p["poly"], names)
            tot = ck.padd(tot, pp)
            verify_sign(conds, pp, rel, p, names, trusted)
        _need(ck.psub(tot, q) == {}, "the parts do not add up to the difference")
        return
    if by == "farkas":
        _check_farkas_dicts([*conds, (q, -rel)], [_fr(v) for v in ev["multipliers"]], n)
        return
    if by == "solver":
        trusted.append(ev.get("note", "solver"))
        return
    raise ClaimFailure(f"unknown sign evidence {by!r}")


def _factor_sign(conds, f: dict, why: dict, names) -> int:
    ck = _ck()
    n = len(names)
    if "cond" in why:
        k = int(why["cond"])
        _need(0 <= k < len(conds), "condition index out of range")
        _need(ck.psub(conds[k][0], f) == {}, "factor is not the named condition")
        return conds[k][1]
    if why.get("even"):
        return 1  # only used with an even power
    if "sos" in why:
        s = why["sos"]
        scale, c0 = _fr(s["scale"]), _fr(s["const"])
        _need(c0 >= 0 and scale != 0, "bad sum of squares constants")
        tot = ck.pconst(c0, n)
        for w, e in s["squares"]:
            w = _fr(w)
            _need(w >= 0, "negative weight in a sum of squares")
            ep = ck.parse_poly(e, names)
            tot = ck.padd(tot, ck.pscale(ck.pmul(ep, ep), w))
        _need(ck.psub(ck.pscale(tot, scale), f) == {}, "sum of squares does not expand to "
              "the factor")
        return 1 if scale > 0 else -1
    if why.get("sturm"):
        _need(n == 1, "sturm evidence needs one variable")
        deg = max((e[0] for e in f), default=0)
        coeffs = [Fraction(0)] * (deg + 1)
        for e, c in f.items():
            coeffs[e[0]] = Fraction(c)
        lo, hi = _interval_dicts(conds)
        _need(_sturm_roots(coeffs, lo, hi) == 0, "the factor has a root in the interval")
        t = (Fraction(0) if lo is None and hi is None else hi - 1 if lo is None
             else lo + 1 if hi is None else (lo + hi) / 2)
        v = _uval(coeffs, t)
        _need(v != 0, "zero at the inner point")
        return 1 if v > 0 else -1
    raise ClaimFailure(f"unknown factor justification {why!r}")


def _uval(a, t):
    v = Fraction(0)
    for c in reversed(a):
        v = v * t + c
    return v


def _sturm_roots(p, lo, hi):
    """Distinct real roots of ``p`` (coefficients, low degree first) in ``(lo, hi)``; None
    when an endpoint is a root (the verifier's own Sturm sequence)."""
    def trim(a):
        a = list(a)
        while a and a[-1] == 0:
            a.pop()
        return a

    def rem(a, b):
        a = trim(a)
        while len(a) >= len(b) and a:
            f = a[-1] / b[-1]
            k = len(a) - len(b)
            for i, c in enumerate(b):
                a[i + k] -= f * c
            a = trim(a)
        return a

    p = trim(p)
    if len(p) <= 1:
        return 0
    seq = [p, trim([i * c for i, c in enumerate(p)][1:])]
    while True:
        r = rem(seq[-2], trim(seq[-1]))
        if not r:
            break
        seq.append([-c for c in r])

    def sign(a, t, side):
        a = trim(a)
        if not a:
            return 0
        if t is None:
            s = 1 if a[-1] > 0 else -1
            return s if (side > 0 or (len(a) - 1) % 2 == 0) else -s
        v = _uval(a, t)
        return (v > 0) - (v < 0)

    def var(t, side):
        sg = [sign(q, t, side) for q in seq]
        if t is not None and sg[0] == 0:
            return None
        sg = [x for x in sg if x]
        return sum(1 for a, b in zip(sg, sg[1:], strict=False) if a != b)

    va, vb = var(lo, -1), var(hi, 1)
    return None if va is None or vb is None else va - vb


def _interval_dicts(conds):
    lo = hi = None
    for g, s in conds:
        if not g or max(sum(e) for e in g) != 1:
            continue
        a = sum((Fraction(c) for e, c in g.items() if e[0] == 1), Fraction(0))
        b = sum((Fraction(c) for e, c in g.items() if e[0] == 0), Fraction(0))
        r = -b / a
        if s * a > 0:
            lo = r if lo is None else max(lo, r)
        else:
            hi = r if hi is None else min(hi, r)
    return lo, hi


def _check_farkas_dicts(conds, lam, n):
    ck = _ck()
    _need(len(lam) == len(conds), "wrong number of multipliers")
    _need(all(x >= 0 for x in lam) and any(lam), "multipliers must be >= 0 and not all 0")
    tot = {}
    for (g, s), x in zip(conds, lam, strict=True):
        if x:
            tot = ck.padd(tot, ck.pscale(g, x * s))
    _need(all(not any(e) for e in tot), "the combination is not a constant")
    _need(sum(tot.values(), Fraction(0)) <= 0, "the combination is a positive constant")


def verify_maxmin_claim(claim: dict, subject: dict | None = None) -> tuple[str, str]:
    """Re-verify one ``maxmin-cells`` identity claim.

    Returns ``(status, message)`` with status ``checked``, ``trusted (solver)`` (some step is
    z3's word) or ``FAILED``. With ``subject`` (the certificate's subject) the pieces are also
    compared with ``subject.spline``'s regions and values.
    """
    ck = _ck()
    try:
        ev = claim["evidence"]
        _need(ev.get("method") == METHOD, f"not a {METHOD} claim")
        names = list(ev["variables"])
        n = len(names)
        terms = [[ck.parse_poly(p, names) for p in t] for t in ev["terms"]]
        _need(terms and all(terms), "empty max-min")
        trusted: list[str] = []
        nleaves = 0
        if subject and isinstance(subject.get("spline"), dict):
            spd = subject["spline"]
            brks = [ck.parse_poly(b, names) for b in spd["breaks"]]
            o = int(ev.get("output_index", spd["outputs"].index(ev["output"])))
            _need(len(ev["pieces"]) == len(spd["pieces"]), "not every piece of the spline is "
                  "covered")
            for pc in ev["pieces"]:
                sp_piece = spd["pieces"][int(pc["piece"])]
                want = sorted((str(ck.parse_poly(spd["breaks"][k], names)),
                               1 if s in ("+", 1) else -1) for k, s in sp_piece["region"])
                got = sorted((str(ck.parse_poly(g, names)), 1 if s == "+" else -1)
                             for g, s in pc["region"])
                _need(want == got, f"piece {pc['piece']}: region differs from the spline's")
                _need(ck.psub(ck.parse_poly(sp_piece["values"][o], names),
                              ck.parse_poly(pc["value"], names)) == {},
                      f"piece {pc['piece']}: value differs from the spline's")
            del brks
        if subject and isinstance(subject.get("maxmin"), dict):
            mmd = subject["maxmin"]
            outd = next(x for x in mmd["outputs"] if x["name"] == ev["output"])
            _need([[str(ck.parse_poly(p, mmd["variables"])) for p in t]
                   for t in outd["max_of_mins"]] == [[str(p) for p in t] for t in terms],
                  "the terms differ from subject.maxmin")

        def walk(node, conds, v):
            nonlocal nleaves
            if "split" in node:
                f = ck.parse_poly(node["split"], names)
                walk(node["pos"], [*conds, (f, 1)], v)
                walk(node["neg"], [*conds, (f, -1)], v)
                return
            if "empty" in node:
                e = node["empty"]
                if e.get("by") == "farkas":
                    _check_farkas_dicts(conds, [_fr(x) for x in e["multipliers"]], n)
                elif e.get("by") == "solver":
                    trusted.append("empty region (z3)")
                else:
                    raise ClaimFailure("unknown emptiness evidence")
                return
            lf = node["leaf"]
            nleaves += 1
            if lf.get("witness") is not None:
                pt = [_fr(x) for x in lf["witness"]]
                _need(all(s * ck.peval(g, pt) > 0 for g, s in conds), "witness not in region")
            i = int(lf["top"])
            _need(0 <= i < len(terms), "top term out of range")
            _need(ck.psub(terms[i][int(lf["equal"])], v) == {}, "top entry is not the value")
            seen = set()
            for e in lf["top_signs"]:
                j = int(e["entry"])
                verify_sign(conds, ck.psub(terms[i][j], v), 1, e, names, trusted)
                seen.add(j)
            _need(seen == set(range(len(terms[i]))), "not every entry of the top term is "
                  "shown >= the value")
            others = set()
            for b in lf["below"]:
                t, j = int(b["term"]), int(b["entry"])
                _need(t != i and 0 <= t < len(terms), "bad term index")
                verify_sign(conds, ck.psub(terms[t][j], v), -1, b, names, trusted)
                others.add(t)
            _need(others == set(range(len(terms))) - {i}, "some term is not shown <= the value")

        for pc in ev["pieces"]:
            conds = [(ck.parse_poly(g, names), 1 if s == "+" else -1) for g, s in pc["region"]]
            walk(pc["tree"], conds, ck.parse_poly(pc["value"], names))
    except ClaimFailure as exc:
        return "FAILED", str(exc)
    except (KeyError, TypeError, ValueError, IndexError, StopIteration) as exc:
        return "FAILED", f"malformed evidence: {exc!r}"
    msg = (f"output {ev['output']}: {len(ev['pieces'])} pieces, {nleaves} leaves, every leaf "
           f"proven exactly")
    if trusted:
        return "trusted (solver)", msg + f"; {len(trusted)} step(s) rest on z3's word"
    return "checked", msg


def verify_certificate(cert: dict) -> list[tuple[str, str]]:
    """Run :func:`verify_maxmin_claim` on every ``maxmin-cells`` claim of a certificate."""
    out = []
    for c in cert.get("claims", []):
        if c.get("kind") == "identity" and c.get("evidence", {}).get("method") == METHOD:
            out.append(verify_maxmin_claim(c, cert.get("subject")))
    return out

