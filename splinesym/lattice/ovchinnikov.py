"""Continuous piecewise-linear functions as max–min of their own pieces (Ovchinnikov 2002).

For pieces ``P_i`` (convex: affine sign conditions) with affine values ``ℓ_i``::

    S_i = {j : ℓ_j ≥ ℓ_i on P_i}          f = max_i min_{j ∈ S_i} ℓ_j

Membership is decided exactly: ``j ∉ S_i`` when some rational point of ``P_i`` has
``ℓ_j < ℓ_i`` (the piece's witness first, then an LP witness checked exactly); ``j ∈ S_i`` when
Farkas multipliers show that ``P_i ∩ {ℓ_j < ℓ_i}`` is empty (checked exactly), z3 as a last resort.

Examples
--------
>>> from splinesym.spline import Spline
>>> sp = Spline.from_pieces(["x"], ["f"], ["x"], [([(0, 1)], ["x"]), ([(0, -1)], ["-x"])])
>>> mm = ovchinnikov_maxmin(sp)
>>> [[mm.ring.format(p) for p in t] for t in mm.terms[0]]
[['x'], ['-x']]
"""

from __future__ import annotations

import time
from fractions import Fraction

import numpy as np

from ..cells.decision import check_witness
from ..cells.linear import affine_witness, farkas_multipliers
from ..errors import InvalidInputError
from ..poly import is_affine, to_fmpq
from ..spline import Spline
from .expr import MaxMin, pkey
from .signs import AffineRegion

__all__ = ["is_cpwl", "ovchinnikov_maxmin"]


def is_cpwl(sp: Spline) -> bool:
    """Affine breaks and affine values (the setting of Ovchinnikov's theorem)."""
    return (not sp.parameters and all(is_affine(b) for b in sp.breaks)
            and all(is_affine(v) for p in sp.pieces for v in p.values))


def _points_in(conds, w, n: int, rng, count: int = 12) -> list:
    """Rational points of the convex region ``conds`` along random rays from its witness
    ``w`` (cheap probes: a point where ``l_j < l_i`` shows ``j`` is not in ``S_i``)."""
    if w is None or not conds:
        return []
    from ..poly import FloatEvaluator

    polys = [g for g, _ in conds]
    sg = np.array([s for _, s in conds], dtype=float)
    ev = FloatEvaluator(polys, n)
    w0 = np.array([float(c) for c in w])
    U = rng.standard_normal((count, n))
    vals = ev(np.vstack([w0[None, :], w0 + U])) * sg
    g0, G1 = vals[0], vals[1:] - vals[0]               # affine: directional changes
    with np.errstate(divide="ignore", invalid="ignore"):
        lim = np.where(G1 < 0, g0 / -G1, np.inf)
    ts = np.minimum(lim.min(axis=1) * 0.5, 1e4)
    out = []
    for u, t in zip(U, ts, strict=True):
        if not np.isfinite(t) or t <= 0:
            continue
        for bits in (4, 10, 20, 40):
            sc = float(1 << bits)
            pt = tuple(Fraction(round(float(v) * sc), int(sc)) for v in w0 + t * u)
            if check_witness(conds, pt):
                out.append(pt)
                break
    return out


def ovchinnikov_maxmin(sp: Spline, *, solver_timeout: float = 5.0) -> MaxMin:
    """Ovchinnikov's max–min form of a continuous piecewise-linear spline (exact LP).

    Raises
    ------
    InvalidInputError
        When a break or a value is not affine.
    """
    if not is_cpwl(sp):
        raise InvalidInputError("Ovchinnikov's construction needs affine breaks and affine "
                                "pieces (a continuous piecewise-linear function)", "pieces")
    t0 = time.monotonic()
    R = sp.ring
    n = sp.nvars
    lps = 0
    rng = np.random.default_rng(0)
    all_terms = []
    for o in range(len(sp.outputs)):
        comps = {}
        for p in sp.pieces:
            comps.setdefault(pkey(p.values[o]), p.values[o])
        comp_list = list(comps.values())
        comp_keys = list(comps)
        from ..poly import FloatEvaluator

        cf = FloatEvaluator(comp_list, n)
        terms = []
        seen = set()
        for p in sp.pieces:
            conds = sp.conditions(p.region)
            li = p.values[o]
            w = p.witness if p.witness is not None and check_witness(conds, p.witness) else None
            S = []
            ki = pkey(li)
            ii = comp_keys.index(ki)

            def screen(pts, ii=ii, cf=cf):
                V = cf(np.array([[float(c) for c in q] for q in pts]))
                vi = V[:, ii][:, None]
                return [[to_fmpq(c) for c in q] for q in pts], (V - vi) < -1e-9 * (1 + np.abs(vi))

            probe_sets = [screen([tuple(w)])] if w is not None else []
            rays_done = False
            region = None
            for jj, (lj, kj) in enumerate(zip(comp_list, comp_keys, strict=True)):
                if kj == ki:
                    S.append(lj)
                    continue
                d = lj - li

                def excluded(sets, jj=jj, d=d):
                    for probes, low in sets:
                        if low[:, jj].any() and d(*probes[int(np.argmax(low[:, jj]))]) < 0:
                            return True
                    return False

                if excluded(probe_sets):
                    continue
                if not rays_done:
                    rays_done = True
                    pts = _points_in(conds, w, n, rng)
                    if pts:
                        probe_sets.append(screen(pts))
                        if excluded(probe_sets[-1:]):
                            continue
                if region is None:
                    region = AffineRegion(conds)
                lam, decided = region.farkas(d, 1)
                if lam is not None:
                    S.append(lj)
                    continue
                if decided:
                    continue
                lps += 1
                if farkas_multipliers([*conds, (d, -1)]) is not None:
                    S.append(lj)
                    continue
                pt, _ = affine_witness([*conds, (d, -1)], n)
                if pt is not None:
                    probe_sets.append(screen([pt]))
                    continue
                from ..cells.solver import z3_decide

                ans, _ = z3_decide(R, [*conds, (d, -1)], solver_timeout, linear=True)
                if ans == "unsat":
                    S.append(lj)
                elif ans != "sat":
                    raise InvalidInputError(f"could not decide whether {R.format(lj)} >= "
                                            f"{R.format(li)} on a piece", "pieces")
            key = frozenset(map(pkey, S))
            if key not in seen:
                seen.add(key)
                terms.append(S)
        all_terms.append(terms)
    mm = MaxMin(R, list(sp.outputs), all_terms, "ovchinnikov").absorbed()
    mm.notes.append("Ovchinnikov (2002): f = max_i min_{j in S_i} l_j, S_i = {j : l_j >= l_i on "
                    "piece i}, decided by exact LP")
    mm.stats["lps"] = lps
    mm.stats["seconds_construct"] = round(time.monotonic() - t0, 4)
    return mm
