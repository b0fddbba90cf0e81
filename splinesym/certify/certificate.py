"""Building ``splinesym.certificate/1`` objects: claims, each with its value and evidence.

The claims a certification produces, in order:

* one ``cell`` claim per piece: ``nonempty`` with the witness and the exact break values there
  (or, without a witness, the piece's status: reported by the checker as unverified);
* one ``cell`` claim ``empty`` per sign pattern shown empty during the expansion (its region,
  and a product certificate, Farkas multipliers, or the solver's trusted word);
* one ``degree`` claim: the per-piece degrees, the maximum, the model's structural bound;
* with a model, one ``identity`` claim (method ``model-local``): at each witness the checker
  recomputes the model's polynomial with its own forward pass and compares it with the piece;
* one ``continuity`` claim per wall (scope ``wall``): the orders per output, the quotients, the
  wall point;
* one ``continuity`` claim for the whole spline (scope ``spline``): the minimum over the walls.

The subject (the spline, and the model when there is one) is embedded, so a certificate is
self-contained, and its ``statement`` lists what it proves (the clauses established in full; a
``partial`` field says what is not). ``splinesym check`` (the kernel :mod:`splinesym.kernel`)
verifies it without importing any of the code that produced it.

Examples
--------
>>> from splinesym.spline import Spline
>>> from splinesym.certify import certify_spline
>>> sp = Spline.from_pieces(["x"], ["f"], ["x"], [([(0, 1)], ["x**3"]), ([(0, -1)], ["0"])])
>>> cert = certify_spline(sp).certificate()
>>> [(c["kind"], c["value"]) for c in cert["claims"]]
[('cell', 'nonempty'), ('cell', 'nonempty'), ('degree', 3), ('continuity', 2), ('continuity', 2)]
>>> [c["kind"] for c in cert["statement"]]
['cells-nonempty', 'degree', 'continuity']
>>> from splinesym.kernel import check_certificate
>>> check_certificate(cert).exit_code(strict=True)
0
"""

from __future__ import annotations

import json

from ..io.jsonio import number_to_json, write_atomic
from ..io.spline_io import spline_to_dict
from .smoothness import INF, order_json

__all__ = ["build_certificate", "write_certificate", "local_certificate", "identity_point",
           "FORMAT"]

FORMAT = "splinesym.certificate/1"


def _cell_claims(sp) -> list[dict]:
    out = []
    if sp.parameters:
        # symbolic weights: pieces are all sign patterns, none is claimed to be realised
        return out
    for i, p in enumerate(sp.pieces):
        ev: dict = {"piece": i}
        d = p.decision
        if p.witness is None and d is not None and d.evidence is not None and d.empty:
            out.append({"kind": "cell", "value": "empty", "evidence": {**ev, **d.evidence}})
            continue
        if p.witness is not None:
            w = list(p.witness)
            ev["witness"] = [number_to_json(v) for v in w]
            ev["break_values"] = [number_to_json(sp.ring.evaluate(sp.breaks[k], w))
                                  for k, _ in sorted(p.region)]
            ev["values"] = [number_to_json(sp.ring.evaluate(v, w)) for v in p.values]
            ev["method"] = "exact evaluation of every break at the witness"
        else:
            ev["status"] = p.status
            if p.note:
                ev["note"] = p.note
        out.append({"kind": "cell", "value": "nonempty", "evidence": ev})
    out.extend(_empty_claim(region, d) for region, d in getattr(sp, "empty", ()))
    return out


def _empty_claim(region, d) -> dict:
    """A sign pattern shown empty: product certificate, Farkas multipliers or the solver's
    (trusted) word."""
    ev: dict = {"region": [[k, "+" if s > 0 else "-"] for k, s in region]}
    if d.evidence is not None:
        ev.update(d.evidence)
    elif d.multipliers is not None:
        ev["multipliers"] = [number_to_json(v) for v in d.multipliers]
        ev["method"] = "Farkas"
    else:
        ev["solver"] = f"{d.method or 'solver'} ({d.status}; trusted, not re-checked)"
    return {"kind": "cell", "value": "empty", "evidence": ev}


def _degree_claim(cert) -> dict:
    dg = cert.degree
    ev: dict = {"pieces": dg.per_piece, "degree_in": list(cert.spline.variables),
                "method": "exact total degree of every output polynomial of every piece"}
    if dg.attained_by is not None:
        ev["attained_by"] = {"piece": dg.attained_by[0], "output": dg.attained_by[1]}
    if dg.structural is not None:
        ev["structural_bound"] = dg.structural["joint"]
        ev["bound_key"] = "joint"
    return {"kind": "degree", "value": dg.maximum, "evidence": ev}


def _not_wall_claim(k: int, a: int, b: int, ev: tuple) -> dict:
    """Pieces a and b have opposite signs on break k but never meet along it."""
    region = [[j, "+" if s > 0 else "-"] for j, s in ev[-1]]
    e: dict = {"on_break": k, "region": region, "pieces": [a, b],
               "meaning": f"no point of g{k} = 0 satisfies the other conditions of pieces {a} "
                          f"and {b}: they are not neighbours across g{k}"}
    if ev[0] == "farkas":
        e["multipliers"] = [number_to_json(v) for v in ev[1]]
        e["break_multiplier"] = number_to_json(ev[2])
    else:
        e["solver"] = "z3 (unsat)"
    return {"kind": "cell", "value": "empty", "evidence": e}


def _group_degree_claims(cert) -> list[dict]:
    """Degrees in X alone and in Y alone, for models with a decoder."""
    model = cert.model
    if model is None or not getattr(model, "decoder", None) or cert.degree.structural is None:
        return []
    from ..poly import poly_degree_in

    sp = cert.spline
    out = []
    for key, prefix in (("x", "x"), ("y", "y")):
        which = [n for n in sp.variables if n.startswith(prefix)]
        idx = [sp.variables.index(n) for n in which]
        per = [[int(poly_degree_in(v, idx)) for v in p.values] for p in sp.pieces]
        out.append({"kind": "degree", "value": max((d for r in per for d in r), default=-1),
                    "evidence": {"pieces": per, "degree_in": which,
                                 "structural_bound": cert.degree.structural[key],
                                 "bound_key": key,
                                 "method": f"exact total degree in the {key} variables alone"}})
    return out


def _wall_claim(cert, w) -> dict:
    R = cert.spline.ring
    outs = []
    for o in w.outputs:
        if o.order == INF:
            outs.append({"output": o.output, "order": "inf"})
        else:
            outs.append({"output": o.output, "order": int(o.order),
                         "quotient": R.format(o.quotient)})
    wp = w.point.to_json()
    wp["values"] = _wall_point_values(R, cert.spline.breaks[w.break_index], w)
    return {"kind": "continuity", "value": order_json(w.continuity),
            "evidence": {"scope": "wall", "break": w.break_index, "pieces": list(w.pieces),
                         "break_polynomial": R.format(cert.spline.breaks[w.break_index]),
                         "outputs": outs, "wall_point": wp,
                         "method": "P_a - P_b = g^(r+1) * Q exactly, g does not divide Q; "
                                   + w.point.method}}


def _wall_point_values(R, g, w) -> dict:
    """Exact values the checker recomputes at the wall point (so that any change of a
    coordinate is detected even where it would leave the claim true)."""
    conds = w.conditions
    if w.point.kind == "rational":
        pt = list(w.point.point)
        return {"conditions": [number_to_json(R.evaluate(c, pt)) for c, _ in conds],
                "quotients": [None if o.quotient is None else
                              number_to_json(R.evaluate(o.quotient, pt)) for o in w.outputs]}
    p0, p1, (lo, hi) = w.point.p0, w.point.p1, w.point.t

    def at(t):
        return [a + t * (b - a) for a, b in zip(p0, p1, strict=True)]

    return {"g_at_ends": [number_to_json(R.evaluate(g, at(lo))),
                          number_to_json(R.evaluate(g, at(hi)))],
            "conditions_at_lo": [number_to_json(R.evaluate(c, at(lo))) for c, _ in conds]}


def identity_point(sp, i: int, pt) -> dict:
    """A point of piece ``i`` with the exact values there (piece polynomials, region breaks),
    which the kernel recomputes: any change of a coordinate is detected."""
    return {"piece": i, "point": [number_to_json(v) for v in pt],
            "values": [number_to_json(sp.ring.evaluate(v, list(pt)))
                       for v in sp.pieces[i].values],
            "break_values": [number_to_json(sp.ring.evaluate(sp.breaks[k], list(pt)))
                             for k, _ in sorted(sp.pieces[i].region)]}


def build_certificate(cert) -> dict:
    """The certificate of a :class:`~splinesym.certify.report.Certification`."""
    from .. import __version__

    sp = cert.spline
    subject: dict = {"spline": spline_to_dict(sp), "source": cert.source}
    if cert.model is not None:
        from ..nn.model import model_to_dict

        subject["model"] = model_to_dict(cert.model)
    claims = _cell_claims(sp)
    claims.append(_degree_claim(cert))
    claims.extend(_group_degree_claims(cert))
    if cert.identity_points:
        claims.append({"kind": "identity", "value": "the model equals each piece near its witness",
                       "evidence": {"method": "model-local",
                                    "points": [identity_point(sp, i, pt)
                                               for i, pt in cert.identity_points]}})
    first_wall = len(claims)
    for w in cert.smoothness.walls:
        claims.append(_wall_claim(cert, w))
    refs = list(range(first_wall, len(claims)))
    first_not = len(claims)
    for (k, a, b), ev in cert.smoothness.not_wall_evidence.items():
        claims.append(_not_wall_claim(k, a, b, ev))
    not_refs = list(range(first_not, len(claims)))
    if refs:
        claims.append({"kind": "continuity", "value": order_json(cert.smoothness.continuity),
                       "evidence": {"scope": "spline", "walls": refs, "not_walls": not_refs,
                                    "complete": bool(cert.smoothness.complete),
                                    "undecided_pairs": [[k, a, b] for k, a, b in
                                                        cert.smoothness.undecided]}})
    notes = [*cert.notes, *sp.notes, *cert.smoothness.notes]
    statement, missing = _statement(cert, claims)
    out = {"format": FORMAT, "subject": subject, "statement": statement, "claims": claims,
           "notes": notes, "produced_by": {"tool": "splinesym", "version": __version__,
                                           "verdict": str(cert.verdict),
                                           "complete": cert.complete}}
    if missing:
        out["partial"] = "not established: " + "; ".join(missing)
    return out


def _degree_clauses(claims: list[dict], with_model: bool) -> list[dict]:
    out = []
    for c in claims:
        ev = c["evidence"]
        if c["kind"] != "degree" or "polynomials" in ev:
            continue
        cl = {"kind": "degree", "value": c["value"], "degree_in": ev["degree_in"]}
        if with_model and ev.get("structural_bound") is not None:
            cl["bound"] = ev["structural_bound"]
            cl["bound_key"] = ev.get("bound_key", "joint")
        out.append(cl)
    return out


def _statement(cert, claims: list[dict]) -> tuple[list[dict], list[str]]:
    """What the certificate proves (one clause per fact established in full) and what it does
    not (the ``partial`` label): a budget or a failed search never yields a full statement."""
    sp = cert.spline
    clauses, missing = [], []
    if not sp.parameters and all(p.witness is not None for p in sp.pieces):
        clauses.append({"kind": "cells-nonempty"})
    elif not sp.parameters:
        missing.append("some pieces have no witness point")
    clauses += _degree_clauses(claims, cert.model is not None)
    if cert.model is not None and not sp.parameters:
        if {i for i, _ in cert.identity_points} == set(range(len(sp.pieces))):
            clauses.append({"kind": "model-equals-spline"})
        else:
            missing.append("the model is not compared with every piece")
    sm = cert.smoothness
    if sm.walls and sm.complete:
        clauses.append({"kind": "continuity", "value": order_json(sm.continuity)})
    elif sm.walls or sm.undecided or not sm.complete:
        missing.append("continuity: not every wall was decided")
    if not sp.complete:
        missing.append("the spline's cell enumeration is incomplete (pieces may be missing)")
    return clauses, missing


def write_certificate(cert_dict: dict, path) -> None:
    """Write a certificate atomically."""
    write_atomic(path, json.dumps(cert_dict, indent=1) + "\n")


def local_certificate(model, point, *, source: str = "model") -> tuple[dict, object]:
    """A certificate about the one cell of ``model`` that contains ``point``.

    The subject is a one-piece spline: its region is given by every ReLU argument's sign at
    ``point`` and its value is the model's polynomial there (:func:`.local.local_polynomials`).
    Claims: the point is in the cell; the exact degree (jointly, and in X and in Y alone for a
    decoder) against the structural bounds recomputed from the model's shape; and the identity
    (the checker recomputes the polynomial with its own forward pass). Together they show that
    the model has a piece of that degree, i.e. a lower bound that needs no full expansion.

    Returns
    -------
    (dict, LocalPolynomials)
    """
    from dataclasses import replace as _replace

    from ..nn.expand import structural_degree
    from ..nn.model import model_to_dict
    from ..poly import poly_degree_in, primitive_integer_form
    from ..region import Region, poly_key
    from ..spline import Piece, Spline
    from .local import local_polynomials

    loc = local_polynomials(model, point)
    R = loc.ring
    breaks, index, region = [], {}, {}
    for p, sg in loc.conditions:
        q, c = primitive_integer_form(p)
        key = poly_key(q)
        s = sg if c > 0 else -sg
        if key not in index:
            index[key] = len(breaks)
            breaks.append(q)
        region[index[key]] = s
    names = model.variables()
    piece = Piece(Region(region), tuple(loc.values), tuple(loc.point), "witness")
    sp = Spline(R, names, model.output_names(), breaks, [piece], [[] for _ in breaks], False,
                [f"one cell only: the open set around {[str(v) for v in loc.point]} where every "
                 f"ReLU argument keeps its sign"])
    bounds = structural_degree(model)
    claims = _cell_claims(sp)
    groups = [("joint", names)]
    if model.decoder:
        groups += [("x", [n for n in names if n.startswith("x")]),
                   ("y", [n for n in names if n.startswith("y")])]
    for key, which in groups:
        idx = [names.index(n) for n in which]
        degs = [int(poly_degree_in(v, idx)) for v in loc.values]
        claims.append({"kind": "degree", "value": max(degs),
                       "evidence": {"pieces": [degs], "degree_in": which,
                                    "structural_bound": bounds[key], "bound_key": key,
                                    "method": "exact degree of the model's polynomial on "
                                              "this cell"}})
    claims.append({"kind": "identity", "value": "the model equals the piece near the point",
                   "evidence": {"method": "model-local",
                                "points": [identity_point(sp, 0, loc.point)]}})
    statement = [{"kind": "cells-nonempty"},
                 *[{"kind": "degree", "value": c["value"], "degree_in": c["evidence"]["degree_in"],
                    "bound": c["evidence"]["structural_bound"],
                    "bound_key": c["evidence"]["bound_key"]}
                   for c in claims if c["kind"] == "degree"],
                 {"kind": "model-equals-spline"}]
    cert = {"format": FORMAT,
            "subject": {"spline": spline_to_dict(_replace(sp)), "model": model_to_dict(model),
                        "source": source},
            "statement": statement, "claims": claims, "notes": list(sp.notes),
            "produced_by": {"tool": "splinesym", "kind": "local certificate"}}
    return cert, loc
