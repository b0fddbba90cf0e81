"""``continuity`` claims: exact order across one wall, and the spline's order over all walls."""

from __future__ import annotations

from fractions import Fraction

from .. import schema as sc
from .. import univariate as U
from ..base import CHECKED, FAILED, Malformed, need, weakest
from ..poly import padd, pdegree, pderiv, peval, pmul, ppow

INF = float("inf")


def read(c: dict, path: str, S) -> dict:
    sp = S.need_spline(path)
    p = f"{path}.evidence"
    ev = sc.obj(sc.get(c, "evidence", path), p)
    out = {"value": sc.order(c.get("value"), f"{path}.value"), "scope": ev.get("scope", "wall")}
    if out["scope"] == "spline":
        out["walls"] = [sc.integer(r, f"{p}.walls[{i}]", 0) for i, r in
                        enumerate(sc.lst(sc.get(ev, "walls", p), f"{p}.walls"))]
        out["not_walls"] = [sc.integer(r, f"{p}.not_walls[{i}]", 0) for i, r in
                            enumerate(sc.lst(ev.get("not_walls", []), f"{p}.not_walls"))]
        out["complete"] = sc.boolean(ev.get("complete", False), f"{p}.complete")
        return out
    if out["scope"] != "wall":
        raise Malformed(f"{p}.scope", "expected 'wall' or 'spline'")
    out["k"] = sc.integer(sc.get(ev, "break", p), f"{p}.break", 0, len(sp.breaks) - 1)
    out["pieces"] = sc.pair_of_pieces(sc.get(ev, "pieces", p), f"{p}.pieces", len(sp.pieces))
    out["break_poly"] = sc.optional(ev, "break_polynomial", sc.poly, p, sp.names)
    outs = sc.lst(sc.get(ev, "outputs", p), f"{p}.outputs", len(sp.outputs), len(sp.outputs))
    out["outputs"] = []
    for j, o in enumerate(outs):
        op = f"{p}.outputs[{j}]"
        o = sc.obj(o, op)
        name = o.get("output", j)  # an int index (never a bool or float) or the name
        if not (name == sp.outputs[j] or (type(name) is int and name == j)):
            raise Malformed(f"{op}.output", f"expected {j} or {sp.outputs[j]!r}")
        r = sc.order(sc.get(o, "order", op), f"{op}.order")
        q = None if r == INF else sc.poly(sc.get(o, "quotient", op), f"{op}.quotient", sp.names)
        out["outputs"].append((r, q))
    out["wall_point"] = _read_point(sc.obj(sc.get(ev, "wall_point", p), f"{p}.wall_point"),
                                    f"{p}.wall_point", sp.nvars)
    return out


def _read_point(wp: dict, p: str, n: int) -> dict:
    vals = sc.optional(wp, "values", sc.obj, p, default={})
    if wp.get("type") == "rational":
        return {"type": "rational", "point": sc.numbers(sc.get(wp, "point", p), f"{p}.point", n),
                "conditions": _opt_nums(vals, "conditions", f"{p}.values"),
                "quotients": _opt_nums(vals, "quotients", f"{p}.values")}
    if wp.get("type") == "segment":
        t = sc.numbers(sc.get(wp, "t", p), f"{p}.t", 2)
        return {"type": "segment", "p0": sc.numbers(sc.get(wp, "p0", p), f"{p}.p0", n),
                "p1": sc.numbers(sc.get(wp, "p1", p), f"{p}.p1", n), "t": t,
                "g_at_ends": _opt_nums(vals, "g_at_ends", f"{p}.values"),
                "conditions_at_lo": _opt_nums(vals, "conditions_at_lo", f"{p}.values")}
    raise Malformed(f"{p}.type", "expected 'rational' or 'segment'")


def _opt_nums(d: dict, key: str, p: str):
    v = d.get(key)
    if v is None:
        return None
    return [None if x is None else sc.number(x, f"{p}.{key}[{i}]")
            for i, x in enumerate(sc.lst(v, f"{p}.{key}"))]


# ---- rules -----------------------------------------------------------------------------------
def quotient(D: dict, g: dict, r: int, Q: dict, n: int, j: int) -> None:
    """Rule ``quotient``. Lemma: ``P_a - P_b = g^(r+1) Q`` exactly means the difference and its
    derivatives of order ``<= r`` vanish on ``g = 0``: the spline is ``C^r`` across the wall."""
    need(bool(Q), "quotient", f"output {j}: the quotient is zero")
    need(pdegree(g) * (r + 1) <= max(pdegree(D), 0), "quotient",
         f"output {j}: g^{r + 1} has a higher degree than P_a - P_b")
    need(padd(D, pmul(ppow(g, r + 1, n), Q), -1) == {}, "quotient",
         f"output {j}: P_a - P_b != g^{r + 1} * Q")


def rational_point(g: dict, conds: list, w: list, quots: list, cl: dict) -> list[bool]:
    """Rule ``wall-point``. Lemma: ``g(w) = 0`` with ``grad g(w) != 0`` and every other
    condition of both pieces strict at ``w``: ``w`` is a regular point of the wall between the
    two pieces. Returns, per quotient, whether it is nonzero at ``w``."""
    n = len(w)
    need(peval(g, w) == 0, "wall-point", "the wall point is not on the break")
    need(any(peval(pderiv(g, i), w) for i in range(n)), "wall-point",
         "the break is singular at the wall point (zero gradient)")
    cv = [peval(h, w) for h, _ in conds]
    for i, ((_, s), v) in enumerate(zip(conds, cv)):
        need(s * v > 0, "wall-point", f"condition {i} of the neighbouring pieces fails there")
    qv = [None if q is None else peval(q, w) for q in quots]
    _same(cl["wall_point"]["conditions"], cv, "condition values at the wall point")
    _same(cl["wall_point"]["quotients"], qv, "quotient values at the wall point")
    return [v is not None and v != 0 for v in qv]


def segment_point(g: dict, conds: list, wp: dict, quots: list) -> list[bool]:
    """Rule ``wall-segment``. Lemma: on ``p(t) = p0 + t (p1 - p0)``, ``t`` in ``[lo, hi]``,
    ``g(p(t))`` changes sign and its derivative is bounded away from 0 (Taylor bounds), so it
    has exactly one simple root ``t*`` (a regular point of the wall); conditions and quotients
    bounded away from 0 on the whole interval hold (are nonzero) at ``p(t*)``."""
    p0, p1 = wp["p0"], wp["p1"]
    lo, hi = wp["t"]
    need(lo < hi, "wall-segment", "empty parameter interval")
    d = [b - a for a, b in zip(p0, p1)]
    h = U.restrict(g, p0, d)
    ends = [U.value(h, lo), U.value(h, hi)]
    need(ends[0] * ends[1] < 0, "wall-segment", "the break does not change sign on the segment")
    plo = [a + lo * b for a, b in zip(p0, d)]
    _same(wp["g_at_ends"], ends, "values of the break at the interval ends")
    _same(wp["conditions_at_lo"], [peval(c, plo) for c, _ in conds], "condition values at lo")
    dlo, dhi = U.bounds(U.deriv(h), lo, hi)
    need(dlo > 0 or dhi < 0, "wall-segment", "the derivative may vanish on the interval")
    for i, (c, s) in enumerate(conds):
        blo, bhi = U.bounds(U.restrict(c, p0, d), lo, hi)
        need(blo > 0 if s > 0 else bhi < 0, "wall-segment",
             f"condition {i} is not shown on the whole interval")
    out = []
    for q in quots:
        qlo, qhi = U.bounds(U.restrict(q, p0, d), lo, hi) if q is not None else (0, 0)
        out.append(qlo > 0 or qhi < 0)
    return out


def _same(recorded, exact, what: str) -> None:
    need(recorded is None or recorded == exact, "recorded-values",
         f"recorded {what} differ from the exact ones")


def check_wall(cl: dict, ctx) -> tuple[str, str]:
    """Rules ``quotient``, ``wall-point``/``wall-segment`` and ``exact-order``. Lemma: every
    output is ``C^(r_j)`` across the wall (quotient rule), so the wall is ``C^r`` with ``r =
    min r_j``; one output of order ``r`` whose quotient is nonzero at a regular wall point has
    a nonzero jump in its ``(r+1)``-th normal derivative there, so the order is exactly ``r``
    (``-1``: a jump, not a spline). Per-output orders above ``r`` are lower bounds."""
    sp, k, (a, b) = ctx.S.spline, cl["k"], cl["pieces"]
    g = sp.breaks[k]
    need(cl["break_poly"] is None or cl["break_poly"] == g, "wall",
         "break_polynomial is not the subject's break")
    region = ctx.pair_region(k, a, b)
    if region is None:
        region = ctx.pair_region(k, b, a)
    need(region is not None, "wall", f"pieces {a} and {b} are not across g{k} from each other")
    quots = []
    for j, (r, q) in enumerate(cl["outputs"]):
        D = padd(sp.pieces[a][1][j], sp.pieces[b][1][j], -1)
        if r == INF:
            need(D == {}, "quotient", f"output {j}: the pieces differ, yet order 'inf'")
        else:
            quotient(D, g, r, q, sp.nvars, j)
        quots.append(q)
    wp = cl["wall_point"]
    conds = sp.conds(region)
    if wp["type"] == "rational":
        nz = rational_point(g, conds, wp["point"], quots, cl)
    else:
        nz = segment_point(g, conds, wp, quots)
    got = min(r for r, _ in cl["outputs"])
    need(got == cl["value"], "exact-order", f"the orders per output give {_fmt(got)}, the "
         f"claim says {_fmt(cl['value'])}")
    need(got == INF or any(ok for (r, _), ok in zip(cl["outputs"], nz) if r == got),
         "exact-order", f"no output of order {_fmt(got)} has its quotient shown nonzero at the "
         f"wall point")
    verdict = {-1: "discontinuous (C^-1): not a spline", INF: "same polynomial (C^inf)"}.get(
        got, f"exactly C^{got}")
    return CHECKED, f"g{k} between pieces {a}|{b}: {verdict}; {wp['type']} wall point checked"


def _fmt(v) -> str:
    return "inf" if v == INF else str(v)


def _ref(ctx, r: int, me: int, kind: str):
    need(r < me, "coverage", f"claim {r} is not an earlier claim")
    other = ctx.claims[r]
    ok = (other.kind == "continuity" and other.ev["scope"] == "wall") if kind == "wall" else (
        other.kind == "cell" and other.ev["value"] == "empty"
        and other.ev.get("on_break") is not None and other.ev.get("pieces") is not None)
    need(ok, "coverage", f"claim {r} is not a {kind} claim")
    st = ctx.results[r][0]
    need(st != FAILED, "coverage", f"claim {r} failed")
    if kind == "wall":
        k, (a, b) = other.ev["k"], other.ev["pieces"]
    else:
        k, (a, b) = other.ev["on_break"], other.ev["pieces"]
    if ctx.S.spline.pieces[a][0].get(k) == -1:
        a, b = b, a
    return (k, a, b), st


def check_spline(cl: dict, ctx) -> tuple[str, str]:
    """Rule ``coverage``. Lemma: two pieces can share a boundary of dimension ``n-1`` only
    across a break on which they have opposite signs; if they have opposite signs on two
    coprime breaks their common boundary has codimension ``>= 2``. So when the pieces are
    pairwise disjoint (opposite signs on a common break, or rule ``disjoint-interval``), the
    breaks are pairwise coprime (rule ``coprime``), and every pair with exactly one opposite
    sign (a *candidate pair*) is a checked wall or shown not to meet on the break, the
    spline's order is the minimum over the walls. Every reference is distinct."""
    me = ctx.current
    refs = [(r, "wall") for r in cl["walls"]] + [(r, "not-wall") for r in cl["not_walls"]]
    need(len({r for r, _ in refs}) == len(refs), "coverage", "a claim is referenced twice")
    covered, statuses, orders = set(), [], []
    cands = set(ctx.candidates()[0])
    for r, kind in refs:
        key, st = _ref(ctx, r, me, kind)
        need(key in cands, "coverage", f"claim {r}: {key} is not a candidate wall pair")
        need(key not in covered, "coverage", f"the pair {key} is accounted for twice")
        covered.add(key)
        statuses.append(st)
        if kind == "wall":
            orders.append(ctx.claims[r].value)
    got = min(orders, default=INF)
    need(got == cl["value"], "coverage", f"the minimum over the listed walls is {_fmt(got)}, "
         f"the claim says {_fmt(cl['value'])}")
    status = weakest(*statuses)
    msg = f"C^{_fmt(got)}: minimum over {len(orders)} walls; {len(covered)} of {len(cands)} " \
          f"candidate pairs accounted for"
    if not cl["complete"]:
        return status, msg + " (INCOMPLETE: the certificate does not claim every wall)"
    missing = sorted(cands - covered)
    need(not missing, "coverage", f"{len(missing)} candidate pair(s) unaccounted for, e.g. "
         f"{missing[:3]}")
    problem = ctx.candidates()[1]
    need(problem is None, "coverage", problem or "")
    return status, msg + "; pieces pairwise disjoint, breaks pairwise coprime"


def coprime(g: dict, h: dict, n: int) -> bool:
    """Rule ``coprime``. Lemma: if ``g`` and ``h`` shared a factor ``f``, then on any line
    ``p + t d`` along which both keep their total degree, ``f`` would restrict to a
    nonconstant common factor; a constant univariate gcd therefore proves ``gcd(g, h) = 1``."""
    for m in range(6):
        d = [Fraction((i + 2) ** (m + 1) % 97 + 1) for i in range(n)]
        p0 = [Fraction(i + m + 1, 7 + m) for i in range(n)]
        hg, hh = U.restrict(g, p0, d), U.restrict(h, p0, d)
        if len(hg) - 1 == pdegree(g) and len(hh) - 1 == pdegree(h):
            if U.gcd_degree(hg, hh) == 0:
                return True
    return False


def candidates(sp) -> tuple[list, str | None]:
    """Candidate wall pairs ``(k, a, b)`` (``a`` on the + side), and the first reason (if any)
    why they may not be all the walls: overlapping pieces or breaks not shown coprime."""
    out, problem, cache = [], None, {}
    regs = [r for r, _ in sp.pieces]
    for a in range(len(regs)):
        for b in range(a + 1, len(regs)):
            K = [k for k, s in regs[a].items() if regs[b].get(k) == -s]
            if len(K) == 1:
                k = K[0]
                out.append((k, a, b) if regs[a][k] > 0 else (k, b, a))
            elif problem is not None:
                continue
            elif not K:
                if not disjoint_on_line(sp, regs[a], regs[b]):
                    problem = f"pieces {a} and {b} are not shown disjoint"
            elif not _some_coprime(sp, K, cache):
                problem = f"pieces {a} and {b}: no two of breaks {K} are shown coprime"
    return out, problem


def disjoint_on_line(sp, ra: dict, rb: dict) -> bool:
    """Rule ``disjoint-interval``. Lemma: in one variable, affine strict conditions cut out an
    open interval ``(lo, hi)``; two pieces whose combined conditions give ``lo >= hi`` are
    disjoint. (Pieces with opposite signs on a common break are disjoint anyway.)"""
    if sp.nvars != 1:
        return False
    lo = hi = None
    for k, s in [*ra.items(), *rb.items()]:
        g = sp.breaks[k]
        if pdegree(g) != 1:
            return False
        a, b = Fraction(g.get((1,), 0)), Fraction(g.get((0,), 0))
        r = -b / a
        if s * a > 0:
            lo = r if lo is None else max(lo, r)
        else:
            hi = r if hi is None else min(hi, r)
    return lo is not None and hi is not None and lo >= hi


def _some_coprime(sp, K: list, cache: dict) -> bool:
    for pair in ((min(a, b), max(a, b)) for i, a in enumerate(K) for b in K[i + 1:]):
        if pair not in cache:
            cache[pair] = coprime(sp.breaks[pair[0]], sp.breaks[pair[1]], sp.nvars)
        if cache[pair]:
            return True
    return False


def check(cl: dict, ctx) -> tuple[str, str]:
    return check_spline(cl, ctx) if cl["scope"] == "spline" else check_wall(cl, ctx)

