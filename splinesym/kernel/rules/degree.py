"""``degree`` claims: exact degrees recomputed, and the model's structural bound."""

from __future__ import annotations

from .. import schema as sc
from ..base import CHECKED, Malformed, need
from ..model import structural_bound
from ..poly import pdegree


def read(c: dict, path: str, S) -> dict:
    p = f"{path}.evidence"
    ev = sc.obj(sc.get(c, "evidence", path), p)
    out = {"value": sc.integer(c.get("value"), f"{path}.value", -1, 10**6)}
    if ev.get("polynomials") is not None:
        names = sc.optional(ev, "variables", sc.names_list, p)
        if names is None:
            names = S.need_spline(p).names
        which = sc.optional(ev, "degree_in", sc.names_list, p, default=names)
        out["polys"] = [sc.poly(x, f"{p}.polynomials[{i}]", names) for i, x in
                        enumerate(sc.lst(ev["polynomials"], f"{p}.polynomials"))]
        out["idx"] = _indices(which, names, f"{p}.degree_in")
        return out
    sp = S.need_spline(p)
    out["degree_in"] = sc.optional(ev, "degree_in", sc.names_list, p, default=sp.variables)
    out["idx"] = _indices(out["degree_in"], sp.names, f"{p}.degree_in")
    out["pieces"] = ev.get("pieces")
    if out["pieces"] is not None:
        out["pieces"] = [[sc.integer(d, f"{p}.pieces[{i}][{j}]", -1) for j, d in
                          enumerate(sc.lst(r, f"{p}.pieces[{i}]"))]
                         for i, r in enumerate(sc.lst(out["pieces"], f"{p}.pieces"))]
    out["bound"] = sc.optional(ev, "structural_bound", sc.integer, p, -1)
    out["bound_key"] = ev.get("bound_key", "joint")
    if out["bound_key"] not in ("joint", "x", "y"):
        raise Malformed(f"{p}.bound_key", "expected 'joint', 'x' or 'y'")
    at = sc.optional(ev, "attained_by", sc.obj, p)
    out["attained_by"] = None if at is None else (
        sc.integer(sc.get(at, "piece", f"{p}.attained_by"), f"{p}.attained_by.piece", 0,
                   len(sp.pieces) - 1),
        sc.integer(sc.get(at, "output", f"{p}.attained_by"), f"{p}.attained_by.output", 0,
                   len(sp.outputs) - 1))
    return out


def _indices(which, names, path) -> list[int]:
    for v in which:
        if v not in names:
            raise Malformed(path, f"{v!r} is not a variable of the subject")
    return [names.index(v) for v in which]


def degrees(cl: dict, sp) -> list[list[int]]:
    """Rule ``degree``. Lemma: the total degree of a polynomial (in a set of variables) is the
    largest exponent sum over its monomials with nonzero coefficient; recomputed exactly for
    every output of every piece, and the claimed maximum must equal the recomputed one."""
    degs = [[pdegree(v, cl["idx"]) for v in vals] for _, vals in sp.pieces]
    need(cl["pieces"] is None or cl["pieces"] == degs, "degree",
         "the recorded per-piece degrees differ from the recomputed ones")
    top = max(d for row in degs for d in row)
    need(top == cl["value"], "degree", f"the recomputed maximum degree is {top}, the claim "
         f"says {cl['value']}")
    if cl["attained_by"] is not None:
        i, o = cl["attained_by"]
        need(degs[i][o] == top, "degree", f"piece {i} output {o} does not attain the degree")
    return degs


def bound(cl: dict, S) -> str:
    """Rule ``structural-bound``. Lemma: see :func:`..model.structural_bound`; the bound is
    recomputed from the embedded model (never taken from the certificate) and must hold."""
    b = cl["bound"]
    if b is None:
        return ""
    if S.model is None:
        need(cl["value"] <= b, "structural-bound", f"degree {cl['value']} exceeds {b}")
        return f"; bound {b} given without a model (not recomputed)"
    rb = structural_bound(S.model)[cl["bound_key"]]
    need(rb == b, "structural-bound", f"the bound recomputed from the model is {rb}, the "
         f"certificate says {b}")
    need(cl["value"] <= b, "structural-bound", f"degree {cl['value']} exceeds the bound {b}")
    return f"; structural bound {b} recomputed from the model" + (
        " and attained" if cl["value"] == b else "")


def check(cl: dict, ctx) -> tuple[str, str]:
    if "polys" in cl:
        top = max((pdegree(p, cl["idx"]) for p in cl["polys"]), default=-1)
        need(top == cl["value"], "degree", f"the recomputed degree is {top}, not {cl['value']}")
        return CHECKED, f"degree {top} recomputed from {len(cl['polys'])} polynomial(s)"
    sp = ctx.S.spline
    degrees(cl, sp)
    return CHECKED, (f"maximum degree {cl['value']} in {len(cl['idx'])} variable(s), recomputed "
                     f"over {len(sp.pieces)} pieces" + bound(cl, ctx.S))
