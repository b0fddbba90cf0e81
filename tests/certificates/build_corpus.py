"""Builds the hand-made part of the certificate corpus: ``python build_corpus.py`` (here).

``honest/hand_*.json``: small certificates of TRUE statements, one of every claim and evidence
kind (the rest of ``honest/`` are files written by the commands). ``false/*.json``: certificates
of FALSE statements; each carries ``corpus_note`` (ignored by the kernel) saying why the
statement is false, established independently of the certificate (a counterexample point or a
one-line argument), and ``corpus_strict`` when only ``--strict`` can reject it (it rests on a
solver's word, which the kernel reports as trusted, never as checked). ``malformed/``: files the
kernel must refuse with exit 2 (or 1), never 0, never a traceback.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
C = "splinesym.certificate/1"


def spline(variables, outputs, breaks, pieces, **extra):
    return {"format": "splinesym.spline/1", "variables": variables, "outputs": outputs,
            "breaks": breaks, "pieces": [{"region": r, "values": v} for r, v in pieces], **extra}


def cert(subject, claims, statement, **extra):
    return {"format": C, "subject": subject, "statement": statement, "claims": claims, **extra}


def cell(piece, witness, values=None):
    ev = {"piece": piece, "witness": witness}
    if values is not None:
        ev["break_values"] = values
    return {"kind": "cell", "value": "nonempty", "evidence": ev}


def wall(k, a, b, outputs, point, value=None):
    return {"kind": "continuity", "value": min(o["order"] for o in outputs) if value is None
            else value, "evidence": {"scope": "wall", "break": k, "pieces": [a, b],
                                     "outputs": outputs, "wall_point": point}}


def rat(*pt):
    return {"type": "rational", "point": list(pt)}


# ---- honest, hand-made -----------------------------------------------------------------------
RELU_MODEL = {"format": "splinesym.model/1", "tokens": 1, "dim": 1,
              "encoder": [{"ffn": {"W1": [[1]], "W2": [[1]]}, "residual": False}]}


def relu_model_cert():
    sp = spline(["x1_1"], ["out1_1"], ["x1_1"], [([[0, "+"]], ["x1_1"]), ([[0, "-"]], ["0"])])
    claims = [cell(0, ["1"], ["1"]), cell(1, ["-1/2"], ["-1/2"]),
              {"kind": "degree", "value": 1, "evidence": {"pieces": [[1], [-1]],
                                                          "degree_in": ["x1_1"],
                                                          "structural_bound": 1}},
              {"kind": "identity", "value": "model = spline near each witness",
               "evidence": {"method": "model-local", "points": [
                   {"piece": 0, "point": ["1"], "values": ["1"]},
                   {"piece": 1, "point": ["-1/2"], "values": ["0"]}]}},
              {"kind": "identity", "value": "model = spline at points (a test)",
               "evidence": {"method": "model-points", "points": [{"piece": 0, "point": ["3"]}]}},
              wall(0, 0, 1, [{"output": 0, "order": 0, "quotient": "1"}], rat("0")),
              {"kind": "continuity", "value": 0, "evidence": {"scope": "spline", "walls": [5],
                                                              "complete": True}},
              {"kind": "identity", "value": "(x+1)^2", "evidence": {
                  "method": "expand", "lhs": "(x1_1 + 1)**2", "rhs": "x1_1**2 + 2*x1_1 + 1"}},
              {"kind": "degree", "value": 2, "evidence": {"polynomials": ["x*y + 1", "y"],
                                                          "variables": ["x", "y"]}},
              {"kind": "measurement", "value": {"gap": 0.5}, "evidence": {"summary": "a float"}}]
    st = [{"kind": "cells-nonempty"},
          {"kind": "degree", "value": 1, "degree_in": ["x1_1"], "bound": 1},
          {"kind": "model-equals-spline"}, {"kind": "continuity", "value": 0}]
    return cert({"spline": sp, "model": RELU_MODEL}, claims, st)


def jump_spline():
    """f = x + 1 on x > 0, x on x < 0 (a jump of 1 at 0), plus a C^1 kink g = x**2 or 0."""
    return spline(["x", "y"], ["f"], ["x", "y - 2", "x + y + 5"],
                  [([[0, "+"], [1, "-"]], ["x + 1"]), ([[0, "-"], [1, "-"]], ["x"]),
                   ([[1, "+"]], ["x + 1"])])


def walls_cert():
    """Farkas, Farkas on a wall, a segment wall point, a discontinuity found and stated."""
    sp = jump_spline()
    claims = [cell(0, ["1", "0"]), cell(1, ["-1", "0"]), cell(2, ["0", "3"]),
              wall(0, 0, 1, [{"output": "f", "order": -1, "quotient": "1"}],
                   {"type": "segment", "p0": ["-1", "0"], "p1": ["1", "0"], "t": ["1/4", "3/4"]}),
              # x > 0, y > 2, x + y + 5 < 0 is empty: x + (y - 2) - (x + y + 5) = -7
              {"kind": "cell", "value": "empty", "evidence": {
                  "region": [[0, "+"], [1, "+"], [2, "-"]], "multipliers": [1, 1, 1]}},
              # pieces 0 (y < 2) and 2 (y > 2) meet along y = 2 ...
              wall(1, 2, 0, [{"output": "f", "order": "inf"}], rat("1", "2"), value="inf"),
              # ... pieces 1 and 2 too
              wall(1, 2, 1, [{"output": "f", "order": -1, "quotient": "1"}], rat("-1", "2")),
              {"kind": "continuity", "value": -1, "evidence": {
                  "scope": "spline", "walls": [3, 5, 6], "complete": True}}]
    st = [{"kind": "cells-nonempty"}, {"kind": "continuity", "value": -1},
          {"kind": "cell", "region": [[0, "+"], [1, "+"], [2, "-"]], "value": "empty"}]
    return cert({"spline": sp}, claims, st)


def not_wall_cert():
    """f = relu-like in x with breaks y = 1 and y = -1: pieces 0 (x > 0, y > 1) and 2 (x < 0,
    y < -1) have opposite signs on x only, but never meet along x = 0 (Farkas on the wall)."""
    sp = spline(["x", "y"], ["f"], ["x", "y - 1", "y + 1"],
                [([[0, "+"], [1, "+"]], ["x"]), ([[0, "+"], [1, "-"]], ["x"]),
                 ([[0, "-"], [2, "-"]], ["0"]), ([[0, "-"], [2, "+"]], ["0"])])
    claims = [cell(0, ["1", "2"]), cell(1, ["1", "0"]), cell(2, ["-1", "-2"]),
              cell(3, ["-1", "0"]),
              wall(1, 0, 1, [{"output": 0, "order": "inf"}], rat("1", "1"), value="inf"),
              # on x = 0 the other conditions y > 1 and y < -1 exclude each other
              {"kind": "cell", "value": "empty", "evidence": {
                  "on_break": 0, "pieces": [0, 2], "region": [[1, "+"], [2, "-"]],
                  "multipliers": [1, 1], "break_multiplier": 0}},
              wall(0, 0, 3, [{"output": 0, "order": 0, "quotient": "1"}], rat("0", "2")),
              wall(0, 1, 2, [{"output": 0, "order": 0, "quotient": "1"}], rat("0", "-2")),
              wall(0, 1, 3, [{"output": 0, "order": 0, "quotient": "1"}], rat("0", "0")),
              wall(2, 3, 2, [{"output": 0, "order": "inf"}], rat("-1", "-1"), value="inf"),
              {"kind": "continuity", "value": 0, "evidence": {
                  "scope": "spline", "walls": [4, 6, 7, 8, 9], "not_walls": [5],
                  "complete": True}}]
    st = [{"kind": "cells-nonempty"}, {"kind": "continuity", "value": 0}]
    return cert({"spline": sp}, claims, st)


def psatz_cert():
    """x > 0, y > 0, x*y + 1 < 0 is empty: fact x*y >= 0, then -(x*y + 1) + x*y + 1 = 0."""
    sp = spline(["x", "y"], ["f"], ["x", "y", "x*y + 1", "x**2 + 1"], [([], ["0"])])
    ev = {"region": [[0, "+"], [1, "+"], [2, "-"]], "method": "psatz",
          "facts": [{"poly": "x*y", "multiplier": {"conditions": [], "square": "1"},
                     "terms": [{"c": "1", "conditions": [[0, 1], [1, 1]]}]}],
          "terms": [{"c": 1, "conditions": [[2, 1]]}, {"c": 1, "facts": [[0, 1]]},
                    {"c": "1"}]}
    ev2 = {"region": [[3, "-"]], "method": "psatz",
           "terms": [{"c": 1, "conditions": [[3, 1]]}, {"c": 1, "square": "x"}, {"c": 1}]}
    # a fact with a multiplier: x > 0 gives x * (x*y) = x**2 * y >= 0 ... so x*y >= 0
    ev3 = {"region": [[0, "+"], [1, "+"], [2, "-"]], "method": "psatz",
           "facts": [{"poly": "x*y", "multiplier": {"conditions": [[0, 1]], "square": "2"},
                      "terms": [{"c": 4, "conditions": [[1, 1]], "square": "x"}]}],
           "terms": [{"c": 1, "conditions": [[2, 1]]}, {"c": 1, "facts": [[0, 1]]},
                     {"c": 1, "square": "1"}]}
    claims = [{"kind": "cell", "value": "empty", "evidence": e} for e in (ev, ev2, ev3)]
    st = [{"kind": "cell", "region": ev["region"], "value": "empty"},
          {"kind": "cell", "region": ev2["region"], "value": "empty"}]
    return cert({"spline": sp}, claims, st)


def maxmin_subject():
    """f = x**3 + 1 on x > 0, 1 on x < 0 = max(min(x**3 + 1, ...), 1, x)."""
    sp = spline(["x"], ["f"], ["x"], [([[0, "+"]], ["x**3 + 1"]), ([[0, "-"]], ["1"])])
    terms = [["x**3 + 1", "x**3 + x**2 + 2", "x**3 + x**2 - x + 3", "x**4 + x**3 + 1",
              "x**4 + x**3 + x**2 + 2"], ["1"], ["x"]]
    mm = {"format": "splinesym.maxmin/1", "variables": ["x"],
          "outputs": [{"name": "f", "max_of_mins": terms}]}
    return sp, mm, terms


def prod(const, *factors):
    return {"by": "product", "const": const,
            "factors": [{"poly": p, "power": m, "why": w} for p, m, w in factors]}


def maxmin_cert():
    sp, mm, terms = maxmin_subject()
    top0 = [{"entry": 0, "by": "zero"},
            {"entry": 1, **prod(1, ("x**2 + 1", 1, {"sos": {"scale": 1, "const": 1,
                                                             "squares": [[1, "x"]]}}))},
            {"entry": 2, **prod(1, ("x**2 - x + 2", 1, {"sturm": True}))},
            {"entry": 3, **prod(1, ("x", 4, {"even": True}))},
            {"entry": 4, "by": "sum", "parts": [
                {"poly": "x**4", **prod(1, ("x", 4, {"even": True}))},
                {"poly": "x**2 + 1", **prod(1, ("x**2 + 1", 1, {"sos": {
                    "scale": 1, "const": 1, "squares": [[1, "x"]]}}))}]}]
    leaf0 = {"leaf": {"witness": ["1"], "top": 0, "equal": 0, "top_signs": top0, "below": [
        {"term": 1, "entry": 0, **prod(-1, ("x", 3, {"cond": 0}))},
        {"term": 2, "entry": 0, **prod(-1, ("x**3 - x + 1", 1, {"sturm": True}))}]}}
    tree0 = {"split": "x + 1", "pos": leaf0,
             "neg": {"empty": {"by": "farkas", "multipliers": [1, 1]}}}
    leaf1 = {"leaf": {"witness": ["-1"], "top": 1, "equal": 0,
                      "top_signs": [{"entry": 0, "by": "zero"}], "below": [
        {"term": 0, "entry": 0, **prod(1, ("x", 3, {"cond": 0}))},
        {"term": 2, "entry": 0, "by": "farkas", "multipliers": [1, 1]}]}}
    claim = {"kind": "identity", "value": "max-min = spline on every piece (output f)",
             "evidence": {"method": "maxmin-cells", "output": "f", "output_index": 0,
                          "variables": ["x"], "terms": terms, "pieces": [
                              {"piece": 0, "region": [["x", "+"]], "value": "x**3 + 1",
                               "tree": tree0},
                              {"piece": 1, "region": [["x", "-"]], "value": "1", "tree": leaf1}]}}
    return cert({"spline": sp, "maxmin": mm}, [claim], [{"kind": "maxmin"}])


def relu_maxmin(terms, pieces_ev, regions=None):
    sp = spline(["x"], ["f"], ["x"], [([[0, "+"]], ["x"]), ([[0, "-"]], ["0"])])
    mm = {"format": "splinesym.maxmin/1", "variables": ["x"],
          "outputs": [{"name": "f", "max_of_mins": terms}]}
    claim = {"kind": "identity", "value": "max-min = spline", "evidence": {
        "method": "maxmin-cells", "output": "f", "variables": ["x"], "terms": terms,
        "pieces": pieces_ev}}
    return cert({"spline": sp, "maxmin": mm}, [claim], [{"kind": "maxmin"}])


def honest_relu_maxmin():
    return relu_maxmin([["x"], ["0"]], [
        {"piece": 0, "region": [["x", "+"]], "value": "x", "tree": {"leaf": {
            "top": 0, "equal": 0, "top_signs": [{"entry": 0, "by": "zero"}],
            "below": [{"term": 1, "entry": 0, **prod(-1, ("x", 1, {"cond": 0}))}]}}},
        {"piece": 1, "region": [["x", "-"]], "value": "0", "tree": {"leaf": {
            "top": 1, "equal": 0, "top_signs": [{"entry": 0, "by": "zero"}],
            "below": [{"term": 0, "entry": 0, **prod(1, ("x", 1, {"cond": 0}))}]}}}])


def measurements_cert():
    return cert({"model": RELU_MODEL}, [{"kind": "measurement", "value": 1,
                                        "evidence": {"summary": "a float"}}],
                [{"kind": "measurements"}])


def _record(c: dict) -> dict:
    """Add the exact recorded values (break values at witnesses, values at wall and identity
    points) that the kernel recomputes, computed here with the library's own arithmetic."""
    from fractions import Fraction

    from splinesym.poly import PolyRing

    sp = c["subject"].get("spline")
    if sp is None:
        return c
    R = PolyRing(sp["variables"] + sp.get("parameters", []))
    br = [R.parse(b) for b in sp["breaks"]]

    def ev(p, pt):
        return str(R.evaluate(p, [Fraction(v) for v in pt]))

    def region_of(e):
        reg = sp["pieces"][e["piece"]]["region"] if "piece" in e else e["region"]
        return sorted((k, s) for k, s in reg)

    for cl in c["claims"]:
        e = cl["evidence"]
        if cl["kind"] == "cell" and e.get("witness") is not None:
            e["break_values"] = [ev(br[k], e["witness"]) for k, _ in region_of(e)]
            if "piece" in e:
                e["values"] = [ev(R.parse(v), e["witness"])
                               for v in sp["pieces"][e["piece"]]["values"]]
        if cl["kind"] == "identity" and e.get("method") in ("model-local", "model-points"):
            for q in e["points"]:
                q["values"] = [ev(R.parse(v), q["point"])
                               for v in sp["pieces"][q["piece"]]["values"]]
                q["break_values"] = [ev(br[k], q["point"]) for k, _ in region_of(q)]
        if cl["kind"] == "continuity" and e.get("scope", "wall") == "wall":
            a, b, k = e["pieces"][0], e["pieces"][1], e["break"]
            others = sorted({(j, s) for j, s in sp["pieces"][a]["region"] +
                             sp["pieces"][b]["region"] if j != k})
            wp = e["wall_point"]
            if wp["type"] == "rational":
                wp["values"] = {"conditions": [ev(br[j], wp["point"]) for j, _ in others],
                                "quotients": [None if o["order"] == "inf" else
                                              ev(R.parse(o["quotient"]), wp["point"])
                                              for o in e["outputs"]]}
            else:
                lo, hi = (Fraction(t) for t in wp["t"])

                def at(t, wp=wp):
                    return [Fraction(x) + t * (Fraction(y) - Fraction(x))
                            for x, y in zip(wp["p0"], wp["p1"])]
                wp["values"] = {"g_at_ends": [ev(br[k], at(lo)), ev(br[k], at(hi))],
                                "conditions_at_lo": [ev(br[j], at(lo)) for j, _ in others]}
    return c


HONEST = {"hand_relu_model": relu_model_cert, "hand_walls_jump": walls_cert,
          "hand_not_wall": not_wall_cert, "hand_psatz": psatz_cert,
          "hand_maxmin_signs": maxmin_cert, "hand_relu_maxmin": honest_relu_maxmin,
          "hand_measurements": measurements_cert}


# ---- false -----------------------------------------------------------------------------------
def forge(base, note, edit, strict=False):
    c = copy.deepcopy(base)
    edit(c)
    c["corpus_note"] = note
    if strict:
        c["corpus_strict"] = True
    return c


def _set(path, value):
    def edit(c):
        obj = c
        for k in path[:-1]:
            obj = obj[k]
        obj[path[-1]] = value
    return edit


def _seq(*edits):
    def edit(c):
        for e in edits:
            e(c)
    return edit


def false_corpus() -> dict:
    F: dict = {}
    rm = honest_relu_maxmin()
    leaf0 = rm["claims"][0]["evidence"]["pieces"][0]

    def relu_is_x(c):
        c["subject"]["maxmin"]["outputs"][0]["max_of_mins"] = [["x"]]
        ev = c["claims"][0]["evidence"]
        ev["terms"] = [["x"]]
        lf = copy.deepcopy(leaf0)
        lf["tree"]["leaf"]["below"] = []
        ev["pieces"] = [lf, copy.deepcopy(lf)]

    F["maxmin_duplicate_piece"] = forge(rm, "relu(x) != x at x = -1 (relu = 0, x = -1); the "
                                        "evidence names piece 0 twice and never piece 1",
                                        relu_is_x)

    def parity(c):
        terms = [["x", "-x"], ["0"]]
        c["subject"]["maxmin"]["outputs"][0]["max_of_mins"] = terms
        ev = c["claims"][0]["evidence"]
        ev["terms"] = terms
        t0 = ev["pieces"][0]["tree"]["leaf"]
        t0["top_signs"].append({"entry": 1, **prod(2, ("-x", 1, {"even": True}))})
        t1 = ev["pieces"][1]["tree"]["leaf"]
        t1["below"] = [{"term": 0, "entry": 1, **prod(-1, ("x", 1, {"cond": 0}))}]

    F["maxmin_parity_odd_power"] = forge(rm, "max(min(x, -x), 0) = 0 != relu(x) = 1 at x = 1; "
                                         "'even' evidence on the odd power (-x)^1", parity)

    def drop_below(c):
        c["claims"][0]["evidence"]["pieces"][1]["tree"]["leaf"]["below"] = []

    F["maxmin_missing_below"] = forge(rm, "stated relu = max(x, 0) but the forged piece-1 leaf "
                                      "omits term x; with terms [[x],[0]] unchanged this is "
                                      "true, so the terms are changed to [[x + 1], [0]]: "
                                      "max(x + 1, 0) = 1/2 != 0 at x = -1/2",
                                      _seq(_set(["subject", "maxmin", "outputs", 0, "max_of_mins"],
                                                [["x + 1"], ["0"]]),
                                           lambda c: c["claims"][0]["evidence"].__setitem__(
                                               "terms", [["x + 1"], ["0"]]), drop_below))

    def zero_split(c):
        terms = [["x"]]
        c["subject"]["maxmin"]["outputs"][0]["max_of_mins"] = terms
        ev = c["claims"][0]["evidence"]
        ev["terms"] = terms
        ev["pieces"][0]["tree"]["leaf"]["below"] = []
        ev["pieces"][1]["tree"] = {"split": "0", "pos": {"empty": {"by": "farkas",
                                                                   "multipliers": [0, 1]}},
                                   "neg": {"empty": {"by": "farkas", "multipliers": [0, 1]}}}

    F["maxmin_split_on_zero"] = forge(rm, "max-min [[x]] = x != relu(x) = 0 at x = -1; piece 1 "
                                      "is 'covered' by a split on the zero polynomial",
                                      zero_split)
    F["maxmin_terms_differ"] = forge(rm, "subject.maxmin is max(x + 1, 0) (1/2 != relu(-1/2) = "
                                     "0) while the evidence proves max(x, 0)",
                                     _set(["subject", "maxmin", "outputs", 0, "max_of_mins"],
                                          [["x + 1"], ["0"]]))

    def wrong_value(c):
        c["subject"]["spline"]["pieces"][1]["values"] = ["x"]
    F["maxmin_spline_value_changed"] = forge(rm, "the subject spline is now x everywhere; "
                                             "max(x, 0) = 0 != -1 at x = -1", wrong_value)

    def sturm_root(c):
        terms = [["x", "x**2 - 3*x + 2 + x"], ["0"]]
        c["subject"]["maxmin"]["outputs"][0]["max_of_mins"] = terms
        ev = c["claims"][0]["evidence"]
        ev["terms"] = terms
        ev["pieces"][0]["tree"]["leaf"]["top_signs"].append(
            {"entry": 1, **prod(1, ("x**2 - 3*x + 2", 1, {"sturm": True}))})
        ev["pieces"][1]["tree"]["leaf"]["below"][0]["entry"] = 0

    F["maxmin_sturm_with_root"] = forge(rm, "at x = 3/2 min(x, x**2 - 2*x + 2) = 5/4 - ... = "
                                        "x**2-2x+2 = 5/4 < 3/2 = relu(3/2); x**2 - 3x + 2 has "
                                        "roots 1 and 2 in (0, inf)", sturm_root)

    def neg_sos(c):
        terms = [["x", "2*x - x**2"], ["0"]]
        c["subject"]["maxmin"]["outputs"][0]["max_of_mins"] = terms
        ev = c["claims"][0]["evidence"]
        ev["terms"] = terms
        ev["pieces"][0]["tree"]["leaf"]["top_signs"].append(
            {"entry": 1, **prod(1, ("x - x**2", 1, {"sos": {"scale": 1, "const": 0, "squares": [
                [-1, "x"], [1, "x"], [-1, "x"]]}}))})

    F["maxmin_sos_negative_weight"] = forge(rm, "at x = 3: min(3, 6 - 9) = -3 != relu(3) = 3; "
                                            "x - x**2 is not a sum of squares", neg_sos)

    def region_changed(c):
        c["claims"][0]["evidence"]["pieces"][1]["region"] = [["x + 1", "-"]]
        c["claims"][0]["evidence"]["pieces"][1]["tree"]["leaf"]["below"][0].update(
            prod(1, ("x + 1", 1, {"cond": 0}), ("1", 1, {"sos": {"scale": 1, "const": 1,
                                                                 "squares": []}})))
        terms = [["x + 1"], ["0"]]
        c["subject"]["maxmin"]["outputs"][0]["max_of_mins"] = terms
        c["claims"][0]["evidence"]["terms"] = terms

    F["maxmin_region_changed"] = forge(rm, "max(x + 1, 0) = 1/2 != relu(-1/2) = 0; the evidence "
                                       "proves piece 1 on x < -1 instead of x < 0",
                                       region_changed)

    def partial_outputs(c):
        sp = c["subject"]["spline"]
        sp["outputs"] = ["f", "g"]
        for p in sp["pieces"]:
            p["values"].append("5")
        c["subject"]["maxmin"]["outputs"].append({"name": "g", "max_of_mins": [["x"]]})

    F["maxmin_statement_all_outputs"] = forge(rm, "output g: max-min [[x]] = 0 != 5; the "
                                              "statement covers every output but only f has "
                                              "a claim", partial_outputs)

    # cells, witnesses, Farkas, psatz
    rc = relu_model_cert()
    F["witness_on_boundary"] = forge(
        rc, "piece 1 is x < 0 and the stated 'every piece nonempty' needs it; the witness 0 "
        "is on the boundary (the statement is made false by setting piece 1 to x < 0 and "
        "x > 0)", _seq(_set(["subject", "spline", "pieces", 1, "region"],
                            [[0, "-"]]), _set(["claims", 1, "evidence"],
                                              {"piece": 1, "witness": ["0"]}),
                       lambda c: c["subject"]["spline"]["breaks"].append("x1_1 + 0*x1_1 - 0"),
                       _set(["subject", "spline", "breaks", 1], "-x1_1"),
                       _set(["subject", "spline", "pieces", 1, "region"], [[0, "-"], [1, "-"]])))
    F["zero_claims"] = forge(rc, "a certificate with no claims proves nothing, so its "
                             "statement (degree 1, C^0, ...) is unsupported; made false by "
                             "stating degree 5 (relu has degree 1)", _seq(
                                 _set(["claims"], []),
                                 _set(["statement"], [{"kind": "degree", "value": 5}])))
    F["no_statement"] = forge(rc, "no statement and no claims: states nothing (relu has degree "
                              "1, not 7, as the leftover note claims)", _seq(
                                  _set(["claims"], []), _set(["statement"], []),
                                  _set(["notes"], ["degree 7"])))
    F["degree_understated"] = forge(
        rc, "piece 0 is x1_1**2 (degree 2), the claim says degree 1",
        _seq(_set(["subject", "spline", "pieces", 0, "values"], ["x1_1**2"]),
             _set(["claims", 2, "evidence", "pieces"], [[1], [-1]])))
    F["degree_bound_understated"] = forge(
        rc, "the model's structural bound is 1 (an FFN keeps the degree), not 0; and the "
        "degree is 1 > 0", _seq(_set(["claims", 2, "evidence", "structural_bound"], 0),
                                _set(["statement", 1, "bound"], 0)))
    F["statement_degree_wrong"] = forge(rc, "relu has degree 1, the statement says 2",
                                        _set(["statement", 1, "value"], 2))
    F["model_local_wrong_piece"] = forge(
        rc, "the model is relu(x) = x at x = 1 but piece 0 now says 2*x1_1",
        _seq(_set(["subject", "spline", "pieces", 0, "values"], ["2*x1_1"]),
             _set(["claims", 3, "evidence", "points", 0, "values"], ["2"]),
             _set(["claims", 5, "evidence", "outputs", 0, "quotient"], "2")))
    F["model_local_point_outside"] = forge(
        rc, "piece 1 (x < 0) now says x1_1, but relu = 0 there; the point 1 is not in piece 1",
        _seq(_set(["subject", "spline", "pieces", 1, "values"], ["x1_1"]),
             _set(["claims", 3, "evidence", "points", 1], {"piece": 1, "point": ["1"]})))
    F["model_points_only"] = forge(
        rc, "piece 1 now says x1_1 (relu = 0 for x < 0); the model is only compared at a "
        "point of piece 0, which is not a proof", _seq(
            _set(["subject", "spline", "pieces", 1, "values"], ["x1_1"]),
            _set(["claims", 3, "evidence", "method"], "model-points"),
            _set(["claims", 3, "evidence", "points"], [{"piece": 0, "point": ["2"]}])))

    def two_var_model(c):
        c["subject"]["model"]["dim"] = 2
        c["subject"]["model"]["encoder"][0]["ffn"]["W1"] = [[1], [0]]
    F["model_variables_mismatch"] = forge(
        rc, "the model now has inputs x1_1, x1_2 but the spline only x1_1: the spline is not "
        "the model's function of both inputs", two_var_model)

    wc = walls_cert()
    F["farkas_negative_multiplier"] = forge(
        wc, "x > 0, y > 2, x + y + 5 > 0 is nonempty (x = 1, y = 3)",
        _seq(_set(["claims", 4, "evidence", "region"], [[0, "+"], [1, "+"], [2, "+"]]),
             _set(["claims", 4, "evidence", "multipliers"], [1, 1, -1]),
             _set(["statement", 2, "region"], [[0, "+"], [1, "+"], [2, "+"]])))
    F["farkas_all_zero"] = forge(
        wc, "x > 0, y > 2, x + y + 5 > 0 is nonempty (x = 1, y = 3)",
        _seq(_set(["claims", 4, "evidence", "region"], [[0, "+"], [1, "+"], [2, "+"]]),
             _set(["claims", 4, "evidence", "multipliers"], [0, 0, 0]),
             _set(["statement", 2, "region"], [[0, "+"], [1, "+"], [2, "+"]])))
    F["farkas_not_constant"] = forge(
        wc, "x > 0, y > 2, x + y + 5 > 0 is nonempty (x = 1, y = 3)",
        _seq(_set(["claims", 4, "evidence", "region"], [[0, "+"], [1, "+"], [2, "+"]]),
             _set(["claims", 4, "evidence", "multipliers"], [1, 0, 0]),
             _set(["statement", 2, "region"], [[0, "+"], [1, "+"], [2, "+"]])))
    F["empty_by_solver_only"] = forge(
        wc, "x > 0, y > 2, x + y + 5 > 0 is nonempty (x = 1, y = 3); only a solver's word",
        _seq(_set(["claims", 4, "evidence"], {"region": [[0, "+"], [1, "+"], [2, "+"]],
                                              "solver": "z3 (unsat)"}),
             _set(["statement", 2, "region"], [[0, "+"], [1, "+"], [2, "+"]])), strict=True)
    F["jump_claimed_continuous"] = forge(
        wc, "f jumps by 1 across x = 0 (x + 1 vs x at y = 0) and across y = 2 for x < 0; "
        "both walls are claimed C^0 with quotients 1 and -1, and the spline C^0",
        _seq(_set(["claims", 3, "value"], 0),
             _set(["claims", 3, "evidence", "outputs", 0], {"order": 0, "quotient": "1"}),
             _set(["claims", 6, "value"], 0),
             _set(["claims", 6, "evidence", "outputs", 0], {"order": 0, "quotient": "-1"}),
             _set(["claims", 7, "value"], 0), _set(["statement", 1, "value"], 0)))
    F["jump_quotient_wrong"] = forge(
        wc, "f jumps by 1 across x = 0, claimed C^0 with the wrong quotient 1 (x * 1 != 1)",
        _seq(_set(["claims", 3, "value"], 0),
             _set(["claims", 3, "evidence", "outputs", 0], {"order": 0, "quotient": "1"}),
             _set(["claims", 7, "value"], 0), _set(["statement", 1, "value"], 0)))
    F["jump_hidden_by_missing_wall"] = forge(
        wc, "f jumps across x = 0 (pieces 0|1) and across y = 2 (pieces 2|1); the wall claims "
        "are dropped and the spline is said to be C^inf", _seq(
            _set(["claims", 7, "evidence", "walls"], [5]), _set(["claims", 7, "value"], "inf"),
            _set(["statement", 1, "value"], "inf")))
    F["jump_hidden_by_solver_not_wall"] = forge(
        wc, "f jumps across x = 0 between pieces 0 and 1 (they meet at (0, 0)); a solver "
        "'says' they do not meet", _seq(
            _set(["claims", 3], {"kind": "cell", "value": "empty", "evidence": {
                "on_break": 0, "pieces": [0, 1], "region": [[1, "-"]], "solver": "z3"}}),
            _set(["claims", 6], {"kind": "cell", "value": "empty", "evidence": {
                "on_break": 1, "pieces": [2, 1], "region": [[0, "-"]], "solver": "z3"}}),
            _set(["claims", 7, "evidence"], {"scope": "spline", "walls": [5],
                                             "not_walls": [3, 6], "complete": True}),
            _set(["claims", 7, "value"], "inf"), _set(["statement", 1, "value"], "inf")),
        strict=True)
    F["wall_point_off_wall"] = forge(
        wc, "pieces 2|1 across y = 2: the stated order C^inf is false (x + 1 vs x); the wall "
        "point (1, 2) is on piece 0's side (x > 0)", _seq(
            _set(["claims", 6, "evidence", "outputs", 0], {"order": "inf"}),
            _set(["claims", 6, "value"], "inf"), _set(["claims", 6, "evidence", "wall_point"],
                                                      rat("-1", "3")),
            _set(["claims", 7, "value"], -1)))
    F["segment_without_sign_change"] = forge(
        wc, "f jumps across x = 0, claimed 'inf' there; the segment does not cross x = 0",
        _seq(_set(["claims", 3, "evidence", "outputs", 0], {"order": "inf"}),
             _set(["claims", 3, "value"], "inf"),
             _set(["claims", 3, "evidence", "wall_point", "t"], ["3/4", "1"])))
    F["wall_pieces_same_side"] = forge(
        wc, "pieces 0 and 2 are both ... 0 has y < 2, 2 has y > 2 but both have x > 0 at the "
        "claimed break x: not across x; f jumps across x = 0 (pieces 0|1), hidden", _seq(
            _set(["claims", 3, "evidence", "pieces"], [0, 2]),
            _set(["claims", 3, "evidence", "outputs", 0], {"order": "inf"}),
            _set(["claims", 3, "value"], "inf")))

    nw = not_wall_cert()
    F["not_wall_wrong_multipliers"] = forge(
        nw, "piece 2 is now x < 0, y < 1 (value 0 -> 1): pieces 0 and 2 ... made simple: piece "
        "3 (x < 0, y > -1) now has value 1, so f jumps by 1 at (0, 0) and (0, 2); the stated "
        "C^0 is false; the wall claims for it are replaced by bogus not-wall Farkas claims",
        _seq(_set(["subject", "spline", "pieces", 3, "values"], ["1"]),
             _set(["claims", 6], {"kind": "cell", "value": "empty", "evidence": {
                 "on_break": 0, "pieces": [0, 3], "region": [[1, "+"], [2, "+"]],
                 "multipliers": [0, 0], "break_multiplier": 0}}),
             _set(["claims", 8], {"kind": "cell", "value": "empty", "evidence": {
                 "on_break": 0, "pieces": [1, 3], "region": [[1, "-"], [2, "+"]],
                 "multipliers": [1, 1], "break_multiplier": 5}}),
             _set(["claims", 9, "evidence", "outputs", 0], {"order": -1, "quotient": "1"}),
             _set(["claims", 9, "value"], -1),
             _set(["claims", 10, "evidence", "walls"], [4, 7, 9]),
             _set(["claims", 10, "evidence", "not_walls"], [5, 6, 8])))
    F["not_wall_region_not_the_pair"] = forge(
        nw, "piece 3 now has value 1: f jumps by 1 at (0, 2) between pieces 0 and 3; the "
        "not-wall claim for that pair shows a different region (y > 1, y < -1) empty", _seq(
            _set(["subject", "spline", "pieces", 3, "values"], ["1"]),
            _set(["claims", 6], {"kind": "cell", "value": "empty", "evidence": {
                "on_break": 0, "pieces": [0, 3], "region": [[1, "+"], [2, "-"]],
                "multipliers": [1, 1], "break_multiplier": 0}}),
            _set(["claims", 8, "evidence", "outputs", 0], {"order": -1, "quotient": "-1"}),
            _set(["claims", 8, "value"], -1),
            _set(["claims", 9, "evidence", "outputs", 0], {"order": -1, "quotient": "1"}),
            _set(["claims", 9, "value"], -1),
            _set(["claims", 10, "evidence", "walls"], [4, 7, 8, 9]),
            _set(["claims", 10, "evidence", "not_walls"], [5, 6])))
    F["coverage_duplicate_reference"] = forge(
        nw, "piece 1 is now 2*x: across y = 1 pieces 0|1 differ by x (a jump at (1, 1)); that "
        "wall claim is dropped and wall 6 is listed twice to keep the count", _seq(
            _set(["subject", "spline", "pieces", 1, "values"], ["2*x"]),
            _set(["claims", 7, "evidence", "outputs", 0], {"order": 0, "quotient": "2"}),
            _set(["claims", 8, "evidence", "outputs", 0], {"order": 0, "quotient": "2"}),
            _set(["claims", 10, "evidence", "walls"], [6, 6, 7, 8, 9])))

    def dup_break(c):
        sp = jump_spline()
        sp["breaks"] = ["x", "2*x"]
        sp["pieces"] = [{"region": [[0, "+"], [1, "+"]], "values": ["x + 1"]},
                        {"region": [[0, "-"], [1, "-"]], "values": ["x"]}]
        c["subject"] = {"spline": sp}
        c["claims"] = [cell(0, ["1", "0"]), cell(1, ["-1", "0"]),
                       {"kind": "continuity", "value": "inf", "evidence": {
                           "scope": "spline", "walls": [], "complete": True}}]
        c["statement"] = [{"kind": "cells-nonempty"}, {"kind": "continuity", "value": "inf"}]
    F["coverage_duplicate_break"] = forge(wc, "f = x + 1 for x > 0, x for x < 0 jumps at x = 0;"
                                          " the break is listed twice (x, 2x) so that no "
                                          "candidate pair exists", dup_break)

    def overlap(c):
        sp = spline(["x"], ["f"], ["x", "x - 1"], [([[0, "+"]], ["x"]), ([[1, "+"]], ["0"])])
        c["subject"] = {"spline": sp}
        c["claims"] = [cell(0, ["1/2"]), cell(1, ["2"]),
                       {"kind": "continuity", "value": "inf", "evidence": {
                           "scope": "spline", "walls": [], "complete": True}}]
        c["statement"] = [{"kind": "cells-nonempty"}, {"kind": "continuity", "value": "inf"}]
    F["coverage_overlapping_pieces"] = forge(wc, "pieces x > 0 (value x) and x > 1 (value 0) "
                                             "overlap and disagree at x = 2: not a function, "
                                             "let alone C^inf", overlap)

    def kink_exact_wrong(c):
        sp = spline(["x"], ["f"], ["x"], [([[0, "+"]], ["x**2"]), ([[0, "-"]], ["0"])])
        c["subject"] = {"spline": sp}
        c["claims"] = [cell(0, ["1"]), cell(1, ["-1"]),
                       wall(0, 0, 1, [{"output": 0, "order": 0, "quotient": "x"}], rat("0")),
                       {"kind": "continuity", "value": 0, "evidence": {
                           "scope": "spline", "walls": [2], "complete": True}}]
        c["statement"] = [{"kind": "cells-nonempty"}, {"kind": "continuity", "value": 0}]
    F["continuity_not_exact"] = forge(wc, "x**2 on x > 0, 0 on x < 0 is C^1 (x**2 = x**2 * 1), "
                                      "so 'exactly C^0' is false; the quotient x vanishes at "
                                      "the wall point", kink_exact_wrong)

    def singular(c):
        sp = spline(["x", "y"], ["f"], ["x**2 - y**2"], [([[0, "+"]], ["x**2 - y**2"]),
                                                        ([[0, "-"]], ["0"])])
        c["subject"] = {"spline": sp}
        c["claims"] = [cell(0, ["1", "0"]), cell(1, ["0", "1"]),
                       wall(0, 0, 1, [{"output": 0, "order": 1, "quotient": "1/(x**2-y**2)"}],
                            rat("0", "0"))]
        c["statement"] = [{"kind": "cells-nonempty"}]
        c["claims"][2]["evidence"]["outputs"][0]["quotient"] = "0"
    F["wall_quotient_zero"] = forge(wc, "claims exactly C^1 across x**2 = y**2 where f - 0 = g "
                                    "(order exactly 0): the quotient is the zero polynomial and "
                                    "the point (0, 0) is singular", singular)

    ps = psatz_cert()
    F["psatz_negative_c"] = forge(ps, "x > 0 is nonempty (x = 1); c = -1 makes x - x = 0",
                                  _seq(_set(["claims"], [{"kind": "cell", "value": "empty",
                                                          "evidence": {
                                       "region": [[0, "+"]], "method": "psatz", "terms": [
                                           {"c": 1, "conditions": [[0, 1]]},
                                           {"c": "-1", "conditions": [[0, 1]]}]}}]),
                                       _set(["statement"], [{"kind": "cell", "region":
                                                             [[0, "+"]], "value": "empty"}])))
    F["psatz_zero_term"] = forge(ps, "x > 0 is nonempty (x = 1); the only term is 0 (square 0)",
                                 _seq(_set(["claims"], [{"kind": "cell", "value": "empty",
                                                         "evidence": {
                                      "region": [[0, "+"]], "method": "psatz", "terms": [
                                          {"c": 1, "conditions": [[0, 1]], "square": "0"}]}}]),
                                      _set(["statement"], [{"kind": "cell", "region":
                                                            [[0, "+"]], "value": "empty"}])))
    F["psatz_condition_outside_region"] = forge(
        ps, "x > 0 is nonempty (x = 1); the proof uses y > 0 (break 1), not in the region",
        _seq(_set(["subject", "spline", "breaks", 1], "-x - 1"),
             _set(["claims"], [{"kind": "cell", "value": "empty", "evidence": {
                 "region": [[0, "+"]], "method": "psatz", "terms": [
                     {"c": 1, "conditions": [[0, 1]]}, {"c": 1, "conditions": [[1, 1]]},
                     {"c": 1}]}}]),
             _set(["statement"], [{"kind": "cell", "region": [[0, "+"]], "value": "empty"}])))
    F["psatz_zero_multiplier"] = forge(
        ps, "x > 0 is nonempty; 'fact' -1 >= 0 is 'proved' with the multiplier 0**2",
        _seq(_set(["claims"], [{"kind": "cell", "value": "empty", "evidence": {
            "region": [[0, "+"]], "method": "psatz",
            "facts": [{"poly": "-1", "multiplier": {"conditions": [], "square": "0"},
                       "terms": []}],
            "terms": [{"c": 1, "facts": [[0, 1]]}, {"c": 1}]}}]),
             _set(["statement"], [{"kind": "cell", "region": [[0, "+"]], "value": "empty"}])))
    F["psatz_circular_fact"] = forge(
        ps, "x > 0 is nonempty; 'fact' 0: -1 >= 0 is proved from itself",
        _seq(_set(["claims"], [{"kind": "cell", "value": "empty", "evidence": {
            "region": [[0, "+"]], "method": "psatz",
            "facts": [{"poly": "-1", "multiplier": {"conditions": [], "square": "1"},
                       "terms": [{"c": 1, "facts": [[0, 1]]}]}],
            "terms": [{"c": 1, "facts": [[0, 1]]}, {"c": 1}]}}]),
             _set(["statement"], [{"kind": "cell", "region": [[0, "+"]], "value": "empty"}])))
    F["psatz_multiplier_uses_fact"] = forge(
        ps, "x > 0, y > 0 is nonempty (1, 1); fact 0 '0 >= 0' is true, but fact 1 '-1 >= 0' "
        "is 'proved' with the multiplier fact 0 (which is 0): 0 * (-1) = 0",
        _seq(_set(["claims"], [{"kind": "cell", "value": "empty", "evidence": {
            "region": [[0, "+"], [1, "+"]], "method": "psatz",
            "facts": [{"poly": "0", "multiplier": {"conditions": [], "square": "1"},
                       "terms": []},
                      {"poly": "-1", "multiplier": {"conditions": [], "facts": [[0, 1]],
                                                    "square": "1"}, "terms": []}],
            "terms": [{"c": 1, "facts": [[1, 1]]}, {"c": 1}]}}]),
             _set(["statement"], [{"kind": "cell", "region": [[0, "+"], [1, "+"]],
                                   "value": "empty"}])))
    F["psatz_exponent_zero"] = forge(
        ps, "x > 0 is nonempty; the exponent 0 turns the condition into 1 and then -1 * ...",
        _seq(_set(["claims"], [{"kind": "cell", "value": "empty", "evidence": {
            "region": [[0, "+"]], "method": "psatz",
            "terms": [{"c": 1, "conditions": [[0, 0]]}, {"c": 1, "conditions": [[0, 0]],
                                                        "square": "x"},
                      {"c": 1, "conditions": [[0, 1]]}]}}]),
             _set(["statement"], [{"kind": "cell", "region": [[0, "+"]], "value": "empty"}])))

    F["identity_expand_false"] = forge(rc, "(x + 1)**2 != x**2 + 1 at x = 1 (4 != 2); the "
                                       "identity is the only thing the statement needs "
                                       "besides the true clauses -- so the statement is made "
                                       "to rest on it: ... claim fails", _set(
                                           ["claims", 7, "evidence", "rhs"], "x1_1**2 + 1"))
    F["degree_polys_false"] = forge(rc, "x*y + 1 has degree 2, claimed 1",
                                    _set(["claims", 8, "value"], 1))
    F["cells_nonempty_no_witness"] = forge(
        rc, "piece 1 is now x1_1 < 0 and x1_1 > 1 (empty), yet 'every piece is nonempty'",
        _seq(lambda c: c["subject"]["spline"]["breaks"].append("x1_1 - 1"),
             _set(["subject", "spline", "pieces", 1, "region"], [[0, "-"], [1, "+"]]),
             _set(["claims", 1, "evidence"], {"piece": 1, "status": "given"})))
    att = json.loads((HERE / "honest" / "certify_model_attention.json").read_text())
    deg = next(i for i, c in enumerate(att["claims"]) if c["kind"] == "degree")
    sdeg = next(i for i, c in enumerate(att["statement"]) if c["kind"] == "degree")
    F["attention_degree_two"] = forge(
        att, "ReLU attention on 2 tokens x 2 features has cubic pieces (degree 3 recomputed "
        "from the expansion), not degree 2", _seq(
            _set(["claims", deg, "value"], 2), _set(["statement", sdeg, "value"], 2),
            _set(["statement", sdeg, "bound"], 2),
            _set(["claims", deg, "evidence", "structural_bound"], 2)))
    spl = max(i for i, c in enumerate(att["claims"]) if c["kind"] == "continuity")
    scon = next(i for i, c in enumerate(att["statement"]) if c["kind"] == "continuity")
    F["attention_claimed_c1"] = forge(
        att, "ReLU attention is exactly C^0 across its walls (quotients nonzero at regular wall "
        "points), not C^1", _seq(_set(["claims", spl, "value"], 1),
                                 _set(["statement", scon, "value"], 1)))
    ident = next(i for i, c in enumerate(att["claims"]) if c["kind"] == "identity")

    def change_weight(c):
        h = c["subject"]["model"]["encoder"][0]["self_attention"]["heads"][0]
        h["WV"][0][0] = (int(h["WV"][0][0]) if isinstance(h["WV"][0][0], int) else 1) + 1
    F["attention_model_changed"] = forge(
        att, "one entry of WV changed: the model's output differs from the spline at every "
        "witness where that value row is used (checked by the library's forward pass)",
        change_weight)
    del ident
    F.update(review_forgeries())
    return F


def review_forgeries() -> dict:
    """Forgeries found by the adversarial review of the kernel (2026-12)."""
    F: dict = {}
    empty = [[0, "+"], [1, "+"], [2, "-"]]
    F["unverified_hidden_by_measurements"] = forge(
        walls_cert(), "x > 0, y > 2, x + y + 5 < 0 is empty; the clause saying it is nonempty "
        "rests on a claim without a witness, and a measurements clause ranked as weak as "
        "'unverified' hid it", _seq(
            _set(["statement"], [{"kind": "measurements"},
                                 {"kind": "cell", "region": empty, "value": "nonempty"}]),
            _set(["claims"], [{"kind": "measurement", "value": {"x": 1},
                               "evidence": {"summary": "a float"}},
                              {"kind": "cell", "value": "nonempty",
                               "evidence": {"region": empty}}])))
    return F


# ---- malformed -------------------------------------------------------------------------------
def malformed_corpus() -> dict:
    rc = relu_model_cert()
    M: dict = {}

    def m(name, edit):
        c = copy.deepcopy(rc)
        edit(c)
        M[name] = c

    m("format_version", _set(["format"], "splinesym.certificate/2"))
    m("claims_not_list", _set(["claims"], {"0": 1}))
    m("claim_kind_unknown", _set(["claims", 0, "kind"], "magic"))
    m("witness_wrong_length", _set(["claims", 0, "evidence", "witness"], ["1", "2"]))
    m("witness_bool", _set(["claims", 0, "evidence", "witness"], [True]))
    m("witness_nan_string", _set(["claims", 0, "evidence", "witness"], ["nan"]))
    m("piece_index_float", _set(["claims", 0, "evidence", "piece"], 0.0))
    m("piece_index_out_of_range", _set(["claims", 0, "evidence", "piece"], 7))
    m("break_not_polynomial", _set(["subject", "spline", "breaks", 0], "x1_1 +* 2"))
    m("break_unknown_variable", _set(["subject", "spline", "breaks", 0], "z"))
    m("break_constant", _set(["subject", "spline", "breaks", 0], "3"))
    m("region_duplicate_break", _set(["subject", "spline", "pieces", 0, "region"],
                                     [[0, "+"], [0, "-"]]))
    m("region_bad_sign", _set(["subject", "spline", "pieces", 0, "region"], [[0, "*"]]))
    m("values_wrong_count", _set(["subject", "spline", "pieces", 0, "values"], []))
    m("wall_point_type", _set(["claims", 5, "evidence", "wall_point", "type"], "algebraic"))
    m("order_too_large", _set(["claims", 5, "value"], 10**9))
    m("order_string", _set(["claims", 5, "evidence", "outputs", 0, "order"], "zero"))
    m("model_unknown_field", _set(["subject", "model", "layernorm"], True))
    m("model_ragged", _set(["subject", "model", "encoder", 0, "ffn", "W1"], [[1, 2], [3]]))
    m("model_shape", _set(["subject", "model", "encoder", 0, "ffn", "W2"], [[1], [2]]))
    m("statement_kind", _set(["statement"], [{"kind": "everything"}]))
    m("statement_not_list", _set(["statement"], "all good"))
    m("huge_exponent", _set(["claims", 7, "evidence", "lhs"], "x1_1**99999999"))
    m("deep_parentheses", _set(["claims", 7, "evidence", "lhs"], "(" * 500 + "1" + ")" * 500))
    m("number_too_long", _set(["claims", 0, "evidence", "witness"], ["1" * 5000]))
    m("identity_method", _set(["claims", 7, "evidence", "method"], "trust-me"))
    m("subject_not_object", _set(["subject"], []))
    m("multiplier_bool", _set(["claims", 0], {"kind": "cell", "value": "empty", "evidence": {
        "piece": 0, "multipliers": [True]}}))
    m("cell_value", _set(["claims", 0, "value"], "maybe"))
    m("wall_output_bool", _set(["claims", 5, "evidence", "outputs", 0, "output"], False))
    # "degree 1 on piece 1" would be read as checked, but the kernel only knew the maximum
    m("statement_unknown_field", _set(["statement"], [
        {"kind": "degree", "value": 1, "degree_in": ["x1_1"], "piece": 1}]))
    # a clause naming piece 0 (x > 0) and the region x < 0: which one is stated?
    m("statement_piece_region_differ", _set(["statement"], [
        {"kind": "cell", "piece": 0, "region": [[0, "-"]], "value": "nonempty"}]))
    m("sign_evidence_unknown", lambda c: None)
    mm = honest_relu_maxmin()
    mm["claims"][0]["evidence"]["pieces"][0]["tree"]["leaf"]["below"][0]["by"] = "magic"
    M["sign_evidence_unknown"] = mm
    deep = honest_relu_maxmin()
    node = {"empty": {"by": "farkas", "multipliers": [1]}}
    for _ in range(150):
        node = {"split": "x", "pos": node, "neg": {"empty": {"by": "solver"}}}
    deep["claims"][0]["evidence"]["pieces"][0]["tree"] = node
    M["tree_too_deep"] = deep
    return M


RAW = {"not_json.json": "{this is not json", "nan.json": '{"format": NaN}',
       "top_list.json": "[1, 2, 3]", "empty.json": "",
       "deep_json.json": "[" * 100000 + "]" * 100000,
       "huge_int.json": '{"format": "splinesym.certificate/1", "subject": {}, "claims": [], '
                        '"statement": [], "x": ' + "9" * 5000 + "}",
       "latin1.json": None}


def raw_forgeries() -> dict:
    """Texts a JSON reader could take two ways: a repeated key (Python keeps the last, a human
    or another reader the first) and a float literal that underflows to 0 (the model's bias
    1e-400 would be checked as 0, so the model checked is not the model stated)."""
    text = json.dumps(relu_model_cert())
    dup = text.replace('{"kind": "cells-nonempty"}', '{"kind": "degree", "value": 7, '
                       '"kind": "cells-nonempty"}', 1)
    tiny = text.replace('"W2": [[1]]', '"W2": [[1]], "b2": [1e-400]', 1)
    assert dup != text and tiny != text
    return {"duplicate_key.json": dup, "float_underflow.json": tiny}


def main() -> None:
    for name, fn in HONEST.items():
        (HERE / "honest" / f"{name}.json").write_text(json.dumps(_record(fn()), indent=1)
                                                      + "\n")
    for name, c in false_corpus().items():
        (HERE / "false" / f"{name}.json").write_text(json.dumps(c, indent=1) + "\n")
    for name, c in malformed_corpus().items():
        (HERE / "malformed" / f"{name}.json").write_text(json.dumps(c, indent=1) + "\n")
    for name, text in raw_forgeries().items():
        (HERE / "malformed" / name).write_text(text + "\n")
    for name, text in RAW.items():
        p = HERE / "malformed" / name
        if text is None:
            p.write_bytes(b'{"format": "\xe9"}')
        else:
            p.write_text(text)


if __name__ == "__main__":
    main()
