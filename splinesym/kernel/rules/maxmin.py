"""``identity`` by ``maxmin-cells``: ``max_i min_j p_ij`` equals the spline on every piece."""

from __future__ import annotations

from .. import schema as sc
from ..base import CHECKED, TRUSTED, Malformed, need, weakest
from ..poly import key, padd
from . import signs
from .cells import farkas

METHOD = "maxmin-cells"
MAX_TREE = 100


def read(ev: dict, p: str, S) -> dict:
    sp = S.need_spline(p)
    if S.maxmin is None:
        raise Malformed(p, "a maxmin-cells identity needs subject.maxmin")
    names = sc.names_list(sc.get(ev, "variables", p), f"{p}.variables", 1)
    out = {"names": names, "output": sc.string(sc.get(ev, "output", p), f"{p}.output", 200),
           "output_index": sc.optional(ev, "output_index", sc.integer, p, 0)}
    out["terms"] = [[sc.poly(x, f"{p}.terms[{i}][{j}]", names) for j, x in
                     enumerate(sc.lst(t, f"{p}.terms[{i}]", 1))]
                    for i, t in enumerate(sc.lst(sc.get(ev, "terms", p), f"{p}.terms", 1))]
    out["pieces"] = []
    for i, pc in enumerate(sc.lst(sc.get(ev, "pieces", p), f"{p}.pieces", 1)):
        pp = f"{p}.pieces[{i}]"
        pc = sc.obj(pc, pp)
        reg = []
        for j, x in enumerate(sc.lst(sc.get(pc, "region", pp), f"{pp}.region")):
            x = sc.lst(x, f"{pp}.region[{j}]", 2, 2)
            reg.append((sc.poly(x[0], f"{pp}.region[{j}][0]", names),
                        sc.sign(x[1], f"{pp}.region[{j}][1]")))
        out["pieces"].append({
            "piece": sc.integer(sc.get(pc, "piece", pp), f"{pp}.piece", 0, len(sp.pieces) - 1),
            "region": reg, "value": sc.poly(sc.get(pc, "value", pp), f"{pp}.value", names),
            "tree": _node(sc.get(pc, "tree", pp), f"{pp}.tree", names, 0)})
    return out


def _node(nd, p: str, names: list, depth: int) -> tuple:
    if depth > MAX_TREE:
        raise Malformed(p, "tree nested too deeply")
    nd = sc.obj(nd, p)
    if "split" in nd:
        return ("split", sc.poly(nd["split"], f"{p}.split", names),
                _node(sc.get(nd, "pos", p), f"{p}.pos", names, depth + 1),
                _node(sc.get(nd, "neg", p), f"{p}.neg", names, depth + 1))
    if "empty" in nd:
        e = sc.obj(nd["empty"], f"{p}.empty")
        if e.get("by") == "farkas":
            return ("empty", sc.numbers(sc.get(e, "multipliers", f"{p}.empty"),
                                        f"{p}.empty.multipliers"))
        if e.get("by") == "solver":
            return ("empty", None)
        raise Malformed(f"{p}.empty.by", "expected 'farkas' or 'solver'")
    lf = sc.obj(sc.get(nd, "leaf", p), f"{p}.leaf")
    lp = f"{p}.leaf"
    tops = [(sc.integer(sc.get(sc.obj(e, f"{lp}.top_signs[{i}]"), "entry", lp),
                        f"{lp}.top_signs[{i}].entry", 0),
             signs.read(e, f"{lp}.top_signs[{i}]", names))
            for i, e in enumerate(sc.lst(sc.get(lf, "top_signs", lp), f"{lp}.top_signs", 1))]
    below = []
    for i, e in enumerate(sc.lst(sc.get(lf, "below", lp), f"{lp}.below")):
        ep = f"{lp}.below[{i}]"
        e = sc.obj(e, ep)
        below.append((sc.integer(sc.get(e, "term", ep), f"{ep}.term", 0),
                      sc.integer(sc.get(e, "entry", ep), f"{ep}.entry", 0),
                      signs.read(e, ep, names)))
    return ("leaf", sc.integer(sc.get(lf, "top", lp), f"{lp}.top", 0),
            sc.integer(sc.get(lf, "equal", lp), f"{lp}.equal", 0), tops, below)


# ---- rules -----------------------------------------------------------------------------------
def leaf(conds: list, terms: list, v: dict, node: tuple, n: int) -> str:
    """Rule ``maxmin-leaf``. Lemma: if every entry of term ``i`` is ``>= v`` and one equals
    ``v``, then ``min_j p_ij = v``; if every other term has an entry ``<= v``, its minimum is
    ``<= v``; so ``max_i min_j p_ij = v`` on the leaf. Entries and terms are compared as SETS
    of distinct indices with the ones required."""
    _, i, eq, tops, below = node
    need(i < len(terms) and eq < len(terms[i]), "maxmin-leaf", "top term or entry out of range")
    need(padd(terms[i][eq], v, -1) == {}, "maxmin-leaf", "the top entry is not the value")
    ents = [j for j, _ in tops]
    need(len(set(ents)) == len(ents) and set(ents) == set(range(len(terms[i]))), "maxmin-leaf",
         "the top signs do not cover every entry of the top term exactly once")
    others = [t for t, _, _ in below]
    need(len(set(others)) == len(others) and set(others) == set(range(len(terms))) - {i},
         "maxmin-leaf", "the terms shown <= the value are not every other term exactly once")
    sts = [signs.prove(conds, padd(terms[i][j], v, -1), 1, ev, n) for j, ev in tops]
    for t, j, ev in below:
        need(j < len(terms[t]), "maxmin-leaf", f"entry {j} of term {t} does not exist")
        sts.append(signs.prove(conds, padd(terms[t][j], v, -1), -1, ev, n))
    return weakest(*sts)


def tree(conds: list, terms: list, v: dict, root: tuple, n: int) -> str:
    """Rule ``maxmin-tree``. Lemma: a split on a nonzero polynomial ``f`` leaves out only
    ``{f = 0}``, which is nowhere dense; both sides are continuous, so equality on the leaves
    (and on the empty leaves vacuously) gives equality on the whole piece."""
    stack, sts = [(conds, root)], []
    while stack:
        cs, nd = stack.pop()
        if nd[0] == "split":
            need(bool(nd[1]), "maxmin-tree", "a split on the zero polynomial")
            stack.append(([*cs, (nd[1], 1)], nd[2]))
            stack.append(([*cs, (nd[1], -1)], nd[3]))
        elif nd[0] == "empty":
            if nd[1] is None:
                sts.append(TRUSTED)
            else:
                farkas(cs, nd[1])
        else:
            sts.append(leaf(cs, terms, v, nd, n))
    return weakest(*sts)


def coverage(cl: dict, sp, o: int) -> None:
    """Rule ``maxmin-coverage``: the pieces of the evidence are exactly the subject's pieces
    (a SET of distinct indices), each with the subject's region and value for this output."""
    idx = [pc["piece"] for pc in cl["pieces"]]
    need(len(set(idx)) == len(idx), "maxmin-coverage", "a piece occurs twice")
    need(set(idx) == set(range(len(sp.pieces))), "maxmin-coverage",
         f"pieces {sorted(set(range(len(sp.pieces))) - set(idx))[:5]} are not covered")
    for pc in cl["pieces"]:
        region, vals = sp.pieces[pc["piece"]]
        want = sorted((key(g), s) for g, s in sp.conds(region))
        got = sorted((key(g), s) for g, s in pc["region"])
        need(want == got, "maxmin-coverage", f"piece {pc['piece']}: region differs from the "
             f"spline's")
        need(padd(vals[o], pc["value"], -1) == {}, "maxmin-coverage",
             f"piece {pc['piece']}: value differs from the spline's")


def check(cl: dict, ctx) -> tuple[str, str]:
    S = ctx.S
    sp = S.spline
    need(cl["names"] == sp.names == S.maxmin.variables, "maxmin-coverage",
         "the variables differ between the evidence, the spline and the max-min")
    need(cl["output"] in sp.outputs and cl["output"] in S.maxmin.outputs, "maxmin-coverage",
         f"output {cl['output']!r} is not an output of both the spline and the max-min")
    o = sp.outputs.index(cl["output"])
    need(cl["output_index"] in (None, o), "maxmin-coverage", "output_index does not match")
    mm = S.maxmin.outputs[cl["output"]]
    need([[key(p) for p in t] for t in mm] == [[key(p) for p in t] for t in cl["terms"]],
         "maxmin-coverage", "the terms differ from subject.maxmin")
    coverage(cl, sp, o)
    sts = [tree(pc["region"], cl["terms"], pc["value"], pc["tree"], sp.nvars)
           for pc in cl["pieces"]]
    st = weakest(*sts)
    return st, (f"output {cl['output']}: max-min = spline on all {len(sp.pieces)} pieces"
                + ("" if st == CHECKED else "; some steps rest on a solver"))
