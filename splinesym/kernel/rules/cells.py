"""``cell`` claims: a region is nonempty (witness) or empty (Farkas, Farkas on a wall, psatz)."""

from __future__ import annotations

from .. import schema as sc
from ..base import CHECKED, TRUSTED, UNVERIFIED, Malformed, need, show, sign_char
from ..poly import const_value, is_const, padd, pdegree, peval, pmul, ppow, pscale

MAX_EXP = 100


def read(c: dict, path: str, S) -> dict:
    sp = S.need_spline(path)
    ev = sc.obj(sc.get(c, "evidence", path), f"{path}.evidence")
    p = f"{path}.evidence"
    out: dict = {"value": c.get("value")}
    if ev.get("piece") is not None:
        out["piece"] = sc.integer(ev["piece"], f"{p}.piece", 0, len(sp.pieces) - 1)
        out["region"] = sp.pieces[out["piece"]][0]
    else:
        out["piece"] = None
        out["region"] = sc.region(sc.get(ev, "region", p), f"{p}.region", len(sp.breaks))
    if out["value"] == "nonempty":
        out["witness"] = sc.optional(ev, "witness", sc.numbers, p, sp.nvars)
        out["break_values"] = sc.optional(ev, "break_values", sc.numbers, p, len(out["region"]))
        out["values"] = None if out["piece"] is None else sc.optional(
            ev, "values", sc.numbers, p, len(sp.outputs))
        return out
    if out["value"] != "empty":
        raise Malformed(f"{path}.value", "a cell claim's value is 'nonempty' or 'empty'")
    out["on_break"] = sc.optional(ev, "on_break", sc.integer, p, 0, len(sp.breaks) - 1)
    out["pieces"] = sc.optional(ev, "pieces", sc.pair_of_pieces, p, len(sp.pieces))
    if ev.get("method") == "psatz":
        out["method"] = "psatz"
        out["psatz"] = _read_psatz(ev, p, sp, out["region"])
    elif ev.get("multipliers") is not None:
        out["method"] = "farkas"
        out["multipliers"] = sc.numbers(ev["multipliers"], f"{p}.multipliers",
                                        len(out["region"]))
        out["break_multiplier"] = sc.number(ev.get("break_multiplier", 0),
                                            f"{p}.break_multiplier")
    else:
        out["method"] = "solver"  # no checkable evidence: a solver's (or anyone's) word
        out["solver"] = sc.string(ev.get("solver", "a solver"), f"{p}.solver", 200)
    return out


def _read_term(t, path: str, sp, region: dict, nfacts: int) -> tuple:
    t = sc.obj(t, path)
    c = sc.number(sc.get(t, "c", path), f"{path}.c")
    conds = []
    for i, ke in enumerate(sc.lst(t.get("conditions", []), f"{path}.conditions")):
        ke = sc.lst(ke, f"{path}.conditions[{i}]", 2, 2)
        k = sc.integer(ke[0], f"{path}.conditions[{i}][0]", 0, len(sp.breaks) - 1)
        conds.append((k, sc.integer(ke[1], f"{path}.conditions[{i}][1]", -MAX_EXP, MAX_EXP)))
    facts = []
    for i, je in enumerate(sc.lst(t.get("facts", []), f"{path}.facts")):
        je = sc.lst(je, f"{path}.facts[{i}]", 2, 2)
        facts.append((sc.integer(je[0], f"{path}.facts[{i}][0]", -1, 10**6),
                      sc.integer(je[1], f"{path}.facts[{i}][1]", -MAX_EXP, MAX_EXP)))
    square = sc.poly(t.get("square", "1"), f"{path}.square", sp.names)
    return c, conds, facts, square


def _read_psatz(ev: dict, p: str, sp, region: dict) -> dict:
    facts = []
    for j, f in enumerate(sc.lst(ev.get("facts", []), f"{p}.facts", 0, 1000)):
        fp = f"{p}.facts[{j}]"
        f = sc.obj(f, fp)
        mult = sc.obj(sc.get(f, "multiplier", fp), f"{fp}.multiplier")
        mterm = _read_term({"c": 1, **mult}, f"{fp}.multiplier", sp, region, 0)
        facts.append({"poly": sc.poly(sc.get(f, "poly", fp), f"{fp}.poly", sp.names),
                      "mconds": mterm[1], "mfacts": mterm[2], "msquare": mterm[3],
                      "terms": [_read_term(t, f"{fp}.terms[{i}]", sp, region, j) for i, t in
                                enumerate(sc.lst(sc.get(f, "terms", fp), f"{fp}.terms"))]})
    terms = [_read_term(t, f"{p}.terms[{i}]", sp, region, len(facts))
             for i, t in enumerate(sc.lst(sc.get(ev, "terms", p), f"{p}.terms"))]
    return {"facts": facts, "terms": terms}


# ---- rules -----------------------------------------------------------------------------------
def witness(conds: list, w: list, recorded) -> None:
    """Rule ``witness``. Lemma: a point where every strict condition ``s_k g_k > 0`` holds lies
    in the region, so the region is nonempty. Recorded values must equal the exact ones."""
    vals = [peval(g, w) for g, _ in conds]
    need(recorded is None or recorded == vals, "witness",
         "recorded break values differ from the exact values at the witness")
    for i, ((_, s), v) in enumerate(zip(conds, vals)):
        need(s * v > 0, "witness", f"the witness violates condition {i} (g {sign_char(s)} 0; "
             f"value {show(v)})")


def farkas(conds: list, lam: list, extra=None) -> None:
    """Rule ``farkas``. Lemma: if ``l_k >= 0``, not all 0, and ``sum l_k s_k g_k (+ mu g)`` is
    a constant ``<= 0``, the set ``{s_k g_k > 0 for all k}`` (on ``g = 0`` when ``extra =
    (g, mu)`` is given) is empty: there the sum would be ``> 0``."""
    rule = "farkas" if extra is None else "farkas-on-wall"
    need(len(lam) == len(conds), rule, "one multiplier per condition expected")
    need(all(v >= 0 for v in lam), rule, "a multiplier is negative")
    need(any(lam), rule, "all multipliers are zero")
    total: dict = {}
    for (g, s), v in zip(conds, lam):
        total = padd(total, pscale(g, v * s))
    if extra is not None:
        total = padd(total, pscale(extra[0], extra[1]))
    need(is_const(total), rule, "the combination is not a constant")
    need(const_value(total) <= 0, rule, f"the combination is the positive constant "
         f"{show(const_value(total))}")


def _term_poly(term, conds: dict, facts: list, n: int, upto: int, rule: str) -> dict:
    c, cexps, fexps, square = term
    p = pscale(pmul(square, square), c)
    for k, e in cexps:
        need(k in conds, rule, f"condition g{k} is not in the region")
        need(e >= 1, rule, f"exponent {e} of g{k} is not a positive integer")
        need(pdegree(conds[k]) * e <= 10_000, rule, f"g{k}^{e}: degree too high")
        p = pmul(p, ppow(conds[k], e, n))
    for j, e in fexps:
        need(0 <= j < upto, rule, f"fact {j} is not an earlier fact")
        need(e >= 1, rule, f"exponent {e} of fact {j} is not a positive integer")
        need(pdegree(facts[j]) * e <= 10_000, rule, f"fact {j}^{e}: degree too high")
        p = pmul(p, ppow(facts[j], e, n))
    return p


def psatz(sp, region: dict, ev: dict) -> None:
    """Rule ``psatz``. Lemma: on the region every ``f_k = s_k g_k > 0``; a fact ``h_j >= 0``
    holds when ``(prod f_k^e) r^2 h_j = sum TERMs`` with ``r != 0`` (each TERM ``c * prod f^e *
    prod h_i^e * q^2``, ``c >= 0``, only earlier facts): the left factor is ``> 0`` on a dense
    open subset. If ``sum TERMs == 0`` with every ``c >= 0`` and some term with ``c > 0`` and a
    nonzero polynomial, every term vanishes on the region, and a nonzero polynomial cannot
    vanish on a nonempty open set: the region is empty."""
    n, rule = sp.nvars, "psatz"
    conds = {k: pscale(sp.breaks[k], s) for k, s in region.items()}
    facts: list = []
    for j, f in enumerate(ev["facts"]):
        left = _term_poly((1, f["mconds"], f["mfacts"], f["msquare"]), conds, facts, n, j, rule)
        need(bool(f["msquare"]), rule, f"fact {j}: the multiplier's square is zero")
        need(not f["mfacts"], rule, f"fact {j}: the multiplier may use conditions only")
        right = _sum_terms(f["terms"], conds, facts, n, j, rule)
        need(padd(pmul(left, f["poly"]), right, -1) == {}, rule,
             f"fact {j}: the identity (prod f^e) r^2 h = sum of terms does not hold")
        facts.append(f["poly"])
    total = _sum_terms(ev["terms"], conds, facts, n, len(facts), rule)
    need(total == {}, rule, "the terms do not sum to zero")
    need(any(t[0] > 0 and _term_poly(t, conds, facts, n, len(facts), rule) for t in ev["terms"]),
         rule, "no term with c > 0 and a nonzero polynomial")


def _sum_terms(terms, conds, facts, n, upto, rule) -> dict:
    total: dict = {}
    for i, t in enumerate(terms):
        need(t[0] >= 0, rule, f"term {i}: the coefficient c = {show(t[0])} is negative")
        total = padd(total, _term_poly(t, conds, facts, n, upto, rule))
    return total


def check(cl: dict, ctx) -> tuple[str, str]:
    sp = ctx.S.spline
    conds = sp.conds(cl["region"])
    if cl["value"] == "nonempty":
        if cl["witness"] is None:
            return UNVERIFIED, "nonempty: no witness given"
        witness(conds, cl["witness"], cl["break_values"])
        need(cl["values"] is None or cl["values"] == [
            peval(v, cl["witness"]) for v in sp.pieces[cl["piece"]][1]], "recorded-values",
            "recorded values of the piece at the witness differ from the exact ones")
        return CHECKED, f"nonempty: the witness satisfies all {len(conds)} strict conditions"
    k = cl["on_break"]
    where = ""
    if k is not None:
        need(k not in cl["region"], "farkas-on-wall", f"the region must not constrain g{k}")
        if cl["pieces"] is not None:
            need(ctx.pair_region(k, *cl["pieces"]) == cl["region"], "farkas-on-wall",
                 f"the region is not the other conditions of pieces {cl['pieces']} across g{k}")
        where = f" on g{k} = 0"
    if cl["method"] == "solver":
        return TRUSTED, f"empty{where} according to {cl['solver']} (not re-checked)"
    if cl["method"] == "psatz":
        need(k is None, "psatz", "psatz evidence is for open regions, not walls")
        psatz(sp, cl["region"], cl["psatz"])
        return CHECKED, "empty: the Positivstellensatz identity holds exactly"
    farkas(conds, cl["multipliers"], None if k is None else (sp.breaks[k],
                                                              cl["break_multiplier"]))
    return CHECKED, f"empty{where}: the Farkas combination is a constant <= 0"

