"""Max–min forms: the lattice algebra, the constructions, certification and its verifier."""

from __future__ import annotations

import functools
import json
import random
from fractions import Fraction
from pathlib import Path

import pytest

from splinesym.errors import InvalidInputError, InvalidSplineTableError
from splinesym.io.maxmin_io import maxmin_from_dict, maxmin_to_dict
from splinesym.lattice.api import build_maxmin
from splinesym.lattice.certify import certify_maxmin, verify_certificate, verify_maxmin_claim
from splinesym.lattice.expr import flatten, leaf, maximum, minimum, relu
from splinesym.lattice.from_table import table_maxmin
from splinesym.nn.expand import expand_model
from splinesym.nn.forward import evaluate_model
from splinesym.nn.model import model_from_dict
from splinesym.poly import PolyRing
from splinesym.spline import Spline


def rand_points(n, count=300, seed=0, scale=40):
    rng = random.Random(seed)
    return [[Fraction(rng.randint(-scale * 7, scale * 7), rng.randint(1, 7)) for _ in range(n)]
            for _ in range(count)]


def assert_equal_everywhere(mm, sp, count=300, seed=0):
    """The max-min equals the spline exactly at ``count`` random rational points."""
    for pt in rand_points(sp.nvars, count, seed):
        assert mm.evaluate(pt) == sp.evaluate(pt), pt


def assert_certified(res):
    assert res.certified, res.status()
    for c in res.certification.claims:
        status, msg = verify_maxmin_claim(c, res.certificate()["subject"])
        assert status in ("checked", "trusted (solver)"), msg


SQUARE = Spline.from_pieces(["x"], ["f"], ["x"], [([(0, 1)], ["x**2"]), ([(0, -1)], ["2*x**2"])])
RELU_XY = Spline.from_pieces(["x", "y"], ["f"], ["x"], [([(0, 1)], ["x*y"]), ([(0, -1)], ["0"])])


def natural_cubic(ys):
    """The natural C^2 cubic interpolation spline through (k, ys[k]), extended outside."""
    n = len(ys)
    # second derivatives M (M_0 = M_{n-1} = 0), unit spacing: tridiagonal solve in Q
    a = [Fraction(1)] * n
    b = [Fraction(4)] * n
    rhs = [Fraction(0)] * n
    for i in range(1, n - 1):
        rhs[i] = 6 * (ys[i + 1] - 2 * ys[i] + ys[i - 1])
    M = [Fraction(0)] * n
    c = [Fraction(0)] * n
    d = [Fraction(0)] * n
    for i in range(1, n - 1):
        m = b[i] - (a[i] * c[i - 1] if i > 1 else 0)
        c[i] = Fraction(1) / m
        d[i] = (rhs[i] - (a[i] * d[i - 1] if i > 1 else 0)) / m
    for i in range(n - 2, 0, -1):
        M[i] = d[i] - c[i] * M[i + 1]
    R = PolyRing(["x"])
    x = R.gens()[0]
    polys = []
    for i in range(n - 1):
        u, v = R.const(i + 1) - x, x - R.const(i)
        p = (u**3 * R.const(M[i] / 6) + v**3 * R.const(M[i + 1] / 6)
             + u * R.const(ys[i] - M[i] / 6) + v * R.const(ys[i + 1] - M[i + 1] / 6))
        polys.append(R.format(p))
    breaks = [f"x - {k}" for k in range(1, n - 1)]
    pieces = []
    for i, p in enumerate(polys):
        reg = []
        if i > 0:
            reg.append((i - 1, 1))
        if i < len(polys) - 1:
            reg.append((i, -1))
        pieces.append((reg, [p]))
    return Spline.from_pieces(["x"], ["f"], breaks, pieces)


# ----------------------------------------------------------------------------------------------
def test_identity_1_symbolically_by_cases():
    """ReLU(g)·l = max(min(g l, g K), min(0, -g K)), K = 1 + l^2: the DAG and its flat form."""
    R = PolyRing(["g", "l"])
    f = relu(leaf(R, "g")) * leaf(R, "l")
    mm = flatten([f], ["f"])
    assert [[R.format(p) for p in t] for t in mm.terms[0]] == [
        ["g*l", "g*l**2 + g"], ["0", "-g*l**2 - g"]]
    for g, l in rand_points(2, 400, seed=3):
        want = (g * l) if g > 0 else 0
        assert mm.evaluate([g, l]) == [want] == [f.evaluate([g, l])]


def test_lattice_algebra_matches_pointwise():
    R = PolyRing(["x", "y"])
    x, y = leaf(R, "x"), leaf(R, "y")
    e = maximum(x * y - 1, minimum(x, y * 2)) * 3 - relu(x - y) * y
    e = e + minimum(x, y + 1) * (x - 2)          # lattice x polynomial (identity 4)
    e = e + relu(y) * relu(x - 1)                # lattice x lattice
    mm = flatten([e], ["f"])
    for pt in rand_points(2, 200, seed=5):
        assert mm.evaluate(pt) == [e.evaluate(pt)]


def test_maxmin_format_round_trip_and_unknown_variable():
    d = {"format": "splinesym.maxmin/1", "variables": ["x", "y"],
         "outputs": [{"name": "f", "max_of_mins": [["x*y", "x*(1 + y**2)"],
                                                   ["0", "-x*(1 + y**2)"]]}]}
    mm = maxmin_from_dict(d)
    again = maxmin_from_dict(maxmin_to_dict(mm))
    for pt in rand_points(2, 50):
        assert again.evaluate(pt) == mm.evaluate(pt)
    d["outputs"][0]["max_of_mins"][1][0] = "z"
    with pytest.raises(InvalidInputError, match="unknown variable 'z'"):
        maxmin_from_dict(d)


def test_square_example_all_constructions():
    for method in ("univariate", "table"):
        res = build_maxmin("spline", SQUARE, method=method)
        assert_certified(res)
        assert_equal_everywhere(res.maxmin, SQUARE)
    # the table construction reproduces docs/DESIGN.md §6's max(x^2, min(2x^2, x^2 - x - x^3))
    mm = table_maxmin(SQUARE)
    assert [[mm.ring.format(p) for p in t] for t in mm.terms[0]] == [
        ["x**2"], ["2*x**2", "-x**3 + x**2 - x"]]


def test_relu_times_y_from_table_and_from_model():
    res = build_maxmin("spline", RELU_XY)
    assert res.method == "hyperplane"  # an affine break: the complete construction
    assert_certified(res)
    assert_equal_everywhere(res.maxmin, RELU_XY)
    res = build_maxmin("spline", RELU_XY, method="table")
    assert res.method == "table"
    assert_certified(res)
    assert_equal_everywhere(res.maxmin, RELU_XY)
    m = model_from_dict({"format": "splinesym.model/1", "tokens": 1, "dim": 2, "encoder": [
        {"self_attention": {"heads": [{"WQ": [[1], [0]], "WK": [[0], [0]], "bK": [1],
                                       "WV": [[0], [1]]}]}, "residual": False}]})
    res = build_maxmin("model", m)
    assert res.method == "lattice"
    assert_certified(res)
    for pt in rand_points(2, 300, seed=1):
        assert res.maxmin.evaluate(pt) == evaluate_model(m, pt) == [max(pt[0], 0) * pt[1]]


ABS_MODEL = {"format": "splinesym.model/1", "tokens": 1, "dim": 2, "encoder": [
    {"ffn": {"W1": [[1, -1, 0, 0, 1, -1], [0, 0, 1, -1, -1, 1]],
             "W2": [[1], [1], [1], [1], [-1], [-1]]}, "residual": False}]}


@pytest.mark.parametrize("method", ["lattice", "ovchinnikov", "table"])
def test_abs_sum_cpwl(method):
    """|x| + |y| - |x - y| by three constructions."""
    m = model_from_dict(ABS_MODEL)
    res = build_maxmin("model", m, method=method)
    assert_certified(res)
    for x, y in rand_points(2, 300, seed=2):
        assert res.maxmin.evaluate([x, y]) == [abs(x) + abs(y) - abs(x - y)]


def random_ffn(nin, hidden, seed):
    rng = random.Random(seed)
    W1 = [[rng.randint(-3, 3) for _ in range(hidden)] for _ in range(nin)]
    b1 = [rng.randint(-2, 2) for _ in range(hidden)]
    W2 = [[rng.randint(-3, 3)] for _ in range(hidden)]
    return model_from_dict({"format": "splinesym.model/1", "tokens": 1, "dim": nin, "encoder": [
        {"ffn": {"W1": W1, "b1": b1, "W2": W2, "b2": [rng.randint(-2, 2)]},
         "residual": False}]})


@pytest.mark.parametrize("nin,hidden,seed", [(2, 4, 11), (3, 3, 12)])
@pytest.mark.parametrize("method", ["lattice", "ovchinnikov"])
def test_random_cpwl_networks(nin, hidden, seed, method):
    m = random_ffn(nin, hidden, seed)
    sp = expand_model(m)
    res = build_maxmin("model", m, method=method)
    assert_certified(res)
    assert_equal_everywhere(res.maxmin, sp, seed=seed)
    for pt in rand_points(nin, 100, seed=seed):
        assert res.maxmin.evaluate(pt) == evaluate_model(m, pt)


def test_cubic_interpolation_spline_six_knots():
    sp = natural_cubic([Fraction(v) for v in (0, 2, -1, 3, 1, 4)])
    # C^2 across every knot: (x - t)^3 divides the jump
    for k in range(1, len(sp.pieces)):
        a, b = sp.pieces[k - 1].values[0], sp.pieces[k].values[0]
        assert divmod(a - b, sp.breaks[k - 1] ** 3)[1].is_zero()
    res = build_maxmin("spline", sp)
    assert res.method == "univariate"
    assert_certified(res)
    assert res.maxmin.size()["terms"] <= 5 and res.maxmin.max_degree() == 3
    assert_equal_everywhere(res.maxmin, sp)


ATT = {"format": "splinesym.model/1", "tokens": 2, "dim": 1, "encoder": [
    {"self_attention": {"heads": [{"WQ": [[1]], "WK": [[2]], "WV": [[-1]]}]},
     "residual": False}]}
BLOCK = {"format": "splinesym.model/1", "tokens": 2, "dim": 1, "encoder": [
    {"self_attention": {"heads": [{"WQ": [[1]], "WK": [[2]], "WV": [[-1]]}]},
     "ffn": {"W1": [[1, -2]], "b1": [1, "1/2"], "W2": [[1], [-3]]}}]}


def test_attention_two_tokens_every_output():
    m = model_from_dict(ATT)
    res = build_maxmin("model", m)
    assert len(res.maxmin.outputs) == 2
    assert_certified(res)
    sp = expand_model(m)
    assert_equal_everywhere(res.maxmin, sp)
    for pt in rand_points(2, 200, seed=4):
        assert res.maxmin.evaluate(pt) == evaluate_model(m, pt)


@functools.cache
def block_result():
    """The encoder block's certified max-min (shared with test_encode: it takes ~15 s)."""
    return build_maxmin("model", model_from_dict(BLOCK), solver_timeout=2.0)


def test_encoder_block_two_tokens():
    m = model_from_dict(BLOCK)
    res = block_result()
    assert_certified(res)
    st = res.maxmin.stats
    assert st["terms_after"] < st["terms_before"]
    assert_equal_everywhere(res.maxmin, res.spline)
    for pt in rand_points(2, 200, seed=6):
        assert res.maxmin.evaluate(pt) == evaluate_model(m, pt)


def test_certification_detects_a_wrong_maxmin():
    bad = maxmin_from_dict({"format": "splinesym.maxmin/1", "variables": ["x"], "outputs": [
        {"name": "f", "max_of_mins": [["x**2"], ["2*x**2", "x**2 - x"]]}]})
    res = certify_maxmin(bad, SQUARE)
    assert not res.certified and "identity is false" in res.failures[0]


def test_verifier_rejects_tampered_evidence():
    res = build_maxmin("spline", SQUARE, method="table")
    cert = res.certificate()
    assert all(s == "checked" for s, _ in verify_certificate(cert))
    claim = cert["claims"][0]
    claim["evidence"]["terms"][1][1] = "x**2 - x"
    assert verify_maxmin_claim(claim, cert["subject"])[0] == "FAILED"


def test_bad_tables_are_refused():
    disc = Spline.from_pieces(["x", "y"], ["f"], ["x"], [([(0, 1)], ["x*y + 1"]),
                                                        ([(0, -1)], ["0"])])
    with pytest.raises(InvalidSplineTableError, match="discontinuous"):
        build_maxmin("spline", disc)
    over = Spline.from_pieces(["x", "y"], ["f"], ["x", "y"], [
        ([(0, 1)], ["x"]), ([(1, 1)], ["x"]), ([(0, -1), (1, -1)], ["0"])])
    with pytest.raises(InvalidSplineTableError, match="overlap"):
        build_maxmin("spline", over)
    gap = Spline.from_pieces(["x"], ["f"], ["x", "x - 1"], [([(0, -1)], ["0"]),
                                                           ([(1, 1)], ["x - 1"])])
    with pytest.raises(InvalidSplineTableError, match="gap"):
        build_maxmin("spline", gap)


@pytest.mark.parametrize("spec", [
    {"format": "splinesym.model/1", "tokens": 2, "dim": 1, "encoder": [
        {"self_attention": {"heads": [{"WQ": [[1]], "WK": [[1]], "WV": [[2]]}],
                            "mask": "causal"}}]},
    {"format": "splinesym.model/1", "tokens": 1, "dim": 1, "target_tokens": 1, "target_dim": 1,
     "decoder": [{"self_attention": {"heads": [{"WQ": [[1]], "WK": [[-1]], "WV": [[1]]}]},
                  "cross_attention": {"heads": [{"WQ": [[1]], "WK": [[1]], "WV": [[1]]}]}}]},
])
def test_lattice_form_of_masked_and_decoder_models(spec):
    """Masked attention and a decoder block with cross attention through the lattice backend:
    the flat max-min equals the exact forward pass (and the certified form the spline)."""
    m = model_from_dict(spec)
    res = build_maxmin("model", m)
    assert_certified(res)
    for pt in rand_points(len(m.variables()), 200, seed=7):
        assert res.maxmin.evaluate(pt) == evaluate_model(m, pt)


def test_sample_pruned_lattice_form_is_certified():
    """A decoder block whose exact lattice form exceeds the term budget: intermediate forms are
    pruned at sample points and the result is kept because it is certified."""
    m = model_from_dict({
        "format": "splinesym.model/1", "tokens": 1, "dim": 1, "target_tokens": 1,
        "target_dim": 1, "decoder": [
            {"self_attention": {"heads": [{"WQ": [[1]], "WK": [[-1]], "WV": [[1]]}]},
             "cross_attention": {"heads": [{"WQ": [[1]], "WK": [[1]], "WV": [[1]]}]},
             "ffn": {"W1": [[1, -1]], "b1": [0, 1], "W2": [[1], [2]]}}]})
    res = build_maxmin("model", m)
    assert res.method == "lattice (sample-pruned, certified)"
    assert_certified(res)
    for pt in rand_points(2, 200, seed=8):
        assert res.maxmin.evaluate(pt) == evaluate_model(m, pt)


def test_splinesym_check_reverifies_maxmin_certificates(tmp_path):
    """`splinesym check` (the independent checker) re-verifies max-min identity claims."""
    import subprocess
    import sys

    spl = {"format": "splinesym.spline/1", "variables": ["x"], "outputs": ["f"],
           "breaks": ["x"],
           "pieces": [{"region": [[0, "+"]], "values": ["x**2"], "witness": ["1"],
                       "status": "witness"},
                      {"region": [[0, "-"]], "values": ["2*x**2"], "witness": ["-1"],
                       "status": "witness"}]}
    src = tmp_path / "sq.json"
    src.write_text(json.dumps(spl))
    cert = tmp_path / "cert.json"
    from splinesym.cli import main

    assert main(["maxmin", str(src), "--certificate", str(cert)]) == 0
    checker = Path(__file__).resolve().parent.parent / "splinesym" / "check.py"
    r = subprocess.run([sys.executable, "-S", "-I", str(checker), str(cert)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "identity): checked" in r.stdout and "STATEMENT HOLDS (checked)" in r.stdout
    bad = json.loads(cert.read_text())
    claim = next(c for c in bad["claims"] if c["kind"] == "identity")
    claim["evidence"]["pieces"][0]["value"] = "3*x**2"
    cert.write_text(json.dumps(bad))
    assert main(["check", str(cert)]) == 1
