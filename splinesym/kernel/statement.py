"""What a certificate proves: its ``statement`` clauses, and whether the claims suffice.

Each clause is covered by claims that the rules have already checked; a clause's status is the
weakest status of the claims it uses, and a clause nothing covers fails (rule ``statement``).
"""

from __future__ import annotations

from . import schema as sc
from .base import CHECKED, FAILED, RECORDED, Malformed, need, weakest

KINDS = ("cells-nonempty", "cell", "degree", "continuity", "model-equals-spline", "maxmin",
         "measurements")
#: the fields a clause of each kind may have: any other field (``"piece": 1`` on a degree
#: clause) would change what a reader takes the clause to say without the kernel checking it
FIELDS = {"cell": {"value", "piece", "region"}, "continuity": {"value"}, "maxmin": {"outputs"},
          "degree": {"value", "degree_in", "bound", "bound_key"}}


def read(v, path: str, S) -> list[dict]:
    """Normalise the statement: a nonempty list of clauses."""
    out = []
    for i, c in enumerate(sc.lst(v, path, 0, 10_000)):
        p = f"{path}[{i}]"
        c = sc.obj(c, p)
        kind = c.get("kind")
        if kind not in KINDS:
            raise Malformed(f"{p}.kind", f"unknown statement clause (known: {', '.join(KINDS)})")
        extra = set(c) - {"kind", "note"} - FIELDS.get(kind, set())
        if extra:
            raise Malformed(f"{p}.{min(extra)}", f"not a field of a {kind!r} clause")
        cl = {"kind": kind}
        if kind in ("cells-nonempty", "cell", "degree", "continuity", "model-equals-spline",
                    "maxmin"):
            sp = S.need_spline(p)
        if kind == "cell":
            cl["value"] = c.get("value")
            if cl["value"] not in ("empty", "nonempty"):
                raise Malformed(f"{p}.value", "expected 'empty' or 'nonempty'")
            cl["region"] = _cell_region(c, p, sp)
        elif kind == "degree":
            cl["value"] = sc.integer(sc.get(c, "value", p), f"{p}.value", -1)
            cl["degree_in"] = sc.optional(c, "degree_in", sc.names_list, p, default=sp.variables)
            cl["bound"] = sc.optional(c, "bound", sc.integer, p, -1)
            cl["bound_key"] = c.get("bound_key", "joint")
        elif kind == "continuity":
            cl["value"] = sc.order(sc.get(c, "value", p), f"{p}.value")
        elif kind == "maxmin":
            cl["outputs"] = sc.optional(c, "outputs", sc.names_list, p, 1, default=sp.outputs)
            for o in cl["outputs"]:
                if o not in sp.outputs:
                    raise Malformed(f"{p}.outputs", f"{o!r} is not an output of the spline")
        out.append(cl)
    return out


def _cell_region(c: dict, p: str, sp) -> dict:
    """A cell clause's region: ``piece``'s, or ``region``; when both are given they must be
    the same region (else the clause states one thing and the kernel checks another)."""
    if c.get("piece") is None:
        return sc.region(sc.get(c, "region", p), f"{p}.region", len(sp.breaks))
    region = sp.pieces[sc.integer(c["piece"], f"{p}.piece", 0, len(sp.pieces) - 1)][0]
    if sc.optional(c, "region", sc.region, p, len(sp.breaks), default=region) != region:
        raise Malformed(f"{p}.region", "differs from the region of 'piece'")
    return region


def text(cl: dict) -> str:
    """The clause in words."""
    k = cl["kind"]
    if k == "cells-nonempty":
        return "every piece of the spline is a nonempty open cell"
    if k == "cell":
        return f"the region {sorted(cl['region'].items())} is {cl['value']}"
    if k == "degree":
        b = "" if cl["bound"] is None else (f", within the model's structural bound "
                                            f"{cl['bound']} ({cl['bound_key']})")
        names = ", ".join(cl["degree_in"][:6]) + (", ..." if len(cl["degree_in"]) > 6 else "")
        return f"degree {cl['value']} in ({names}) over every piece{b}"
    if k == "continuity":
        v = "inf" if cl["value"] == float("inf") else cl["value"]
        return (f"exactly C^{v}: the minimum order over every wall between neighbouring pieces"
                if v != -1 else "discontinuous: NOT a spline") + (
            " (that the pieces cover a dense set is the expansion's claim, not re-checked)")
    if k == "model-equals-spline":
        return "the model equals each piece's polynomial on an open set inside that piece"
    if k == "maxmin":
        return f"max-min = spline on every piece, for output(s) {', '.join(cl['outputs'])}"
    return "floating-point measurements only (nothing is proved)"


def _claims(ctx, kind: str, pred):
    return [(c.index, ctx.results[c.index][0]) for c in ctx.claims
            if c.kind == kind and pred(c.ev)]


def _best(found: list, what: str) -> tuple[str, list[int]]:
    ok = [(i, s) for i, s in found if s != FAILED]
    need(ok, "statement", f"no claim that holds covers {what}")
    i, s = max(ok, key=lambda x: (x[1] == CHECKED, x[1] != RECORDED))
    return s, [i]


def cover(cl: dict, ctx) -> tuple[str, list[int]]:
    """Rule ``statement``: the claims that establish this clause, and its status."""
    S, k = ctx.S, cl["kind"]
    if k == "cells-nonempty":
        used, sts = [], []
        for i, (region, _) in enumerate(S.spline.pieces):
            s, u = _best(_claims(ctx, "cell", lambda e, r=region: e["value"] == "nonempty"
                                 and e["region"] == r), f"piece {i}")
            used += u
            sts.append(s)
        return weakest(*sts), used
    if k == "cell":
        return _best(_claims(ctx, "cell", lambda e: e["value"] == cl["value"]
                             and e["region"] == cl["region"] and e.get("on_break") is None),
                     "the cell")
    if k == "degree":
        def ok(e):
            return ("polys" not in e and e["value"] == cl["value"]
                    and set(e["degree_in"]) == set(cl["degree_in"])
                    and (cl["bound"] is None or (e["bound"] == cl["bound"] and S.model is not None
                                                 and e["bound_key"] == cl["bound_key"])))
        return _best(_claims(ctx, "degree", ok), "the degree")
    if k == "continuity":
        need(S.spline.complete, "statement", "the subject spline says it is incomplete "
             "('complete': false), so walls may be missing")
        return _best(_claims(ctx, "continuity", lambda e: e["scope"] == "spline"
                             and e["complete"] and e["value"] == cl["value"]), "every wall")
    if k == "model-equals-spline":
        return _model_cover(ctx)
    if k == "maxmin":
        used, sts = [], []
        for o in cl["outputs"]:
            s, u = _best(_claims(ctx, "identity", lambda e, o=o: e["method"] == "maxmin-cells"
                                 and e["output"] == o), f"output {o}")
            used += u
            sts.append(s)
        return weakest(*sts), used
    found = _claims(ctx, "measurement", lambda e: True)
    need(found, "statement", "no measurement claims")
    return RECORDED, [i for i, _ in found]


def _model_cover(ctx) -> tuple[str, list[int]]:
    covered, used, sts = set(), [], []
    for c in ctx.claims:
        if c.kind == "identity" and c.ev["method"] == "model-local":
            st = ctx.results[c.index][0]
            if st != FAILED:
                covered |= {p for p, _, _ in c.ev["points"]}
                used.append(c.index)
                sts.append(st)
    missing = set(range(len(ctx.S.spline.pieces))) - covered
    need(not missing, "statement", f"pieces {sorted(missing)[:5]} have no model-local point")
    return weakest(*sts), used

