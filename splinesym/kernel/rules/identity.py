"""``identity`` claims: polynomial identities by expansion, the model against the spline
(``model-local``, ``model-points``), and max-min against the spline (``maxmin-cells``)."""

from __future__ import annotations

from .. import schema as sc
from ..base import CHECKED, TESTED, UNVERIFIED, Malformed, need, show
from ..model import NumOps, PolyOps, forward
from ..poly import padd, peval, pvar
from . import maxmin


def read(c: dict, path: str, S) -> dict:
    p = f"{path}.evidence"
    ev = sc.obj(sc.get(c, "evidence", path), p)
    method = ev.get("method")
    if method == "expand":
        names = sc.optional(ev, "variables", sc.names_list, p)
        if names is None:
            names = S.need_spline(p).names
        lhs, rhs = sc.get(ev, "lhs", p), sc.get(ev, "rhs", p)
        if isinstance(lhs, str) or isinstance(rhs, str):
            lhs, rhs = [lhs], [rhs]
        lhs = sc.lst(lhs, f"{p}.lhs", 1)
        rhs = sc.lst(rhs, f"{p}.rhs", len(lhs), len(lhs))
        return {"method": method, "pairs": [
            (sc.poly(a, f"{p}.lhs[{i}]", names), sc.poly(b, f"{p}.rhs[{i}]", names))
            for i, (a, b) in enumerate(zip(lhs, rhs))]}
    if method in ("model-local", "model-points"):
        sp = S.need_spline(p)
        if S.model is None:
            raise Malformed(p, "this identity needs subject.model")
        pts = []
        for i, e in enumerate(sc.lst(sc.get(ev, "points", p), f"{p}.points", 1)):
            ep = f"{p}.points[{i}]"
            e = sc.obj(e, ep)
            piece = sc.integer(sc.get(e, "piece", ep), f"{ep}.piece", 0, len(sp.pieces) - 1)
            pts.append((piece,
                        sc.numbers(sc.get(e, "point", ep), f"{ep}.point", len(sp.variables)),
                        (sc.optional(e, "values", sc.numbers, ep, len(sp.outputs)),
                         sc.optional(e, "break_values", sc.numbers, ep,
                                     len(sp.pieces[piece][0])))))
        return {"method": method, "points": pts}
    if method == maxmin.METHOD:
        return {"method": method, **maxmin.read(ev, p, S)}
    raise Malformed(f"{p}.method", f"unknown identity method {method!r}")


def expand(pairs: list) -> None:
    """Rule ``expand``. Lemma: two polynomials are equal iff their difference expands to 0."""
    for i, (a, b) in enumerate(pairs):
        need(padd(a, b, -1) == {}, "expand", f"entry {i}: lhs - rhs does not expand to zero")


def model_matches(S) -> None:
    """Rule ``model-names``: the spline's variables and outputs are the model's, in order, so
    that positions mean the same thing in both."""
    m, sp = S.model, S.spline
    need(sp.variables == m.variables, "model-names", "the spline's variables are not the "
         "model's x{i}_{k} (then y{i}_{k}) in row-major order")
    need(sp.outputs == m.outputs, "model-names", "the spline's outputs are not the model's "
         "out{i}_{k} in row-major order")
    need(m.relu_only, "model-names", "the kernel evaluates ReLU models only")


def recorded_values(S, piece: int, pt: list, recorded) -> None:
    """Rule ``recorded-values``: values recorded with a point (the piece's polynomials and its
    region's breaks there) equal the exact ones, so that any change of the point is seen."""
    sp = S.spline
    region, vals = sp.pieces[piece]
    rv, rb = recorded
    need(rv is None or rv == [peval(v, pt) for v in vals], "recorded-values",
         f"recorded values of piece {piece} differ from the exact ones")
    need(rb is None or rb == [peval(g, pt) for g, _ in sp.conds(region)], "recorded-values",
         f"recorded break values of piece {piece} differ from the exact ones")


def model_local(S, piece: int, pt: list, recorded) -> None:
    """Rule ``model-local``. Lemma: at a point where no ReLU argument vanishes, every ReLU
    keeps its branch on a neighbourhood, so the model equals the branch polynomial there; if
    that polynomial is the piece's and the point is inside the piece, model and piece agree
    on an open set around the point."""
    sp = S.spline
    region, vals = sp.pieces[piece]
    for k, s in region.items():
        need(s * peval(sp.breaks[k], pt) > 0, "model-local", f"the point is not inside piece "
             f"{piece}")
    recorded_values(S, piece, pt, recorded)
    n = len(sp.variables)
    got = forward(S.model, [pvar(i, n) for i in range(n)], PolyOps(n, pt))
    need(all(padd(a, b, -1) == {} for a, b in zip(got, vals)), "model-local",
         f"the model's polynomial at the point differs from piece {piece}")


def model_point(S, piece: int, pt: list) -> None:
    """Rule ``model-point`` (a test, not a proof): exact values agree at the point."""
    region = S.spline.pieces[piece][0]
    need(all(s * peval(S.spline.breaks[k], pt) > 0 for k, s in region.items()), "model-point",
         f"the point is not inside piece {piece}")
    got = forward(S.model, list(pt), NumOps())
    want = [peval(v, pt) for v in S.spline.pieces[piece][1]]
    need(got == want, "model-point", f"model and piece {piece} differ at the point: "
         f"{show(got)} != {show(want)}")


def check(cl: dict, ctx) -> tuple[str, str]:
    S = ctx.S
    if cl["method"] == "expand":
        expand(cl["pairs"])
        return CHECKED, f"{len(cl['pairs'])} polynomial identity(ies) expand to zero"
    if cl["method"] == maxmin.METHOD:
        return maxmin.check(cl, ctx)
    if S.model.symbolic or S.spline.parameters:
        return UNVERIFIED, "symbolic weights: the kernel's forward pass needs numbers"
    model_matches(S)
    for piece, pt, rec in cl["points"]:
        if cl["method"] == "model-local":
            model_local(S, piece, pt, rec)
        else:
            model_point(S, piece, pt)
            recorded_values(S, piece, pt, rec)
    pieces = len({p for p, _, _ in cl["points"]})
    if cl["method"] == "model-points":
        return TESTED, f"model and spline agree at {len(cl['points'])} points (a test)"
    return CHECKED, (f"the kernel's forward pass equals the piece near each of "
                     f"{len(cl['points'])} points ({pieces} pieces)")
