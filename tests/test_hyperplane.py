"""Splines on hyperplane partitions: the complete gallery-separator max–min, certified and encoded.

Every table is checked three ways: the certificate passes ``splinesym check --strict`` (the CLI),
the max–min agrees with the table at random rational points evaluated *independently* (the
checker's own parser and Fraction arithmetic on the JSON files, not flint), and for small tables
the compiled encoder's expansion equals the table (``encode --verify``).
"""

from __future__ import annotations

import json
import random
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from splinesym.cli import main
from splinesym.io.maxmin_io import maxmin_to_dict
from splinesym.io.spline_io import spline_to_dict, write_spline
from splinesym.kernel.grammar import parse_polynomial as parse_poly
from splinesym.kernel.poly import peval
from splinesym.lattice.api import build_maxmin, encode
from splinesym.lattice.hyperplane import hyperplane_maxmin
from splinesym.lattice.random_tables import random_spline_table
from splinesym.nn.forward import evaluate_model
from splinesym.spline import Spline


# ----------------------------------------------------------------------------------------------
# independent evaluation (JSON + the checker's Fraction arithmetic)
def eval_table(d: dict, pt) -> Fraction | None:
    names = d["variables"]
    brk = [parse_poly(b, names) for b in d["breaks"]]
    vals = [peval(b, pt) for b in brk]
    if any(v == 0 for v in vals):
        return None
    for p in d["pieces"]:
        if all(vals[k] * (1 if s in ("+", 1) else -1) > 0 for k, s in p["region"]):
            return peval(parse_poly(p["values"][0], names), pt)
    raise AssertionError(f"no piece contains {pt}")


def eval_maxmin(d: dict, pt) -> Fraction:
    names = d["variables"]
    terms = d["outputs"][0]["max_of_mins"]
    return max(min(peval(parse_poly(p, names), pt) for p in t) for t in terms)


def rand_pt(rng, n):
    return [Fraction(rng.randint(-300, 300), rng.randint(1, 9)) for _ in range(n)]


def check_table(sp: Spline, tmp_path, npoints: int = 40, seed: int = 0, **kw):
    """Build with ``maxmin --method auto`` semantics; strict CLI check; independent points."""
    res = build_maxmin("spline", sp, **kw)
    assert res.certified, res.status()
    cert = tmp_path / "c.json"
    cert.write_text(json.dumps(res.certificate()))
    assert main(["check", "--strict", str(cert)]) == 0
    td, md = spline_to_dict(sp), maxmin_to_dict(res.maxmin)
    rng = random.Random(seed)
    for _ in range(npoints):
        pt = rand_pt(rng, sp.nvars)
        want = eval_table(td, pt)
        if want is not None:
            assert eval_maxmin(md, pt) == want, pt
    return res


# ----------------------------------------------------------------------------------------------
# explicit non-generic tables
# the Courant (hat) function of the ray (1, 0) on three concurrent lines: continuous and
# piecewise linear, but not in p0 + a·ReLU(y) + b·ReLU(x - y) + c·ReLU(x + y) (dimension 5 < 6)
HAT = Spline.from_pieces(["x", "y"], ["f"], ["y", "x - y", "x + y"], [
    ([(0, 1), (1, 1)], ["x - y"]), ([(0, -1), (2, 1)], ["x + y"]),
    ([(0, 1), (1, -1)], ["0"]), ([(0, -1), (2, -1)], ["0"])])


def test_courant_hat_on_concurrent_lines(tmp_path):
    res = check_table(HAT, tmp_path, 100)
    assert res.method == "hyperplane" and res.maxmin.max_degree() == 1
    x = Spline.from_pieces(["x", "y"], ["f"], ["y", "x - y", "x + y"], [
        ([(0, 1), (1, 1)], ["(x - y)*(x**2 + 1)"]), ([(0, -1), (2, 1)], ["(x + y)*(x**2 + 1)"]),
        ([(0, 1), (1, -1)], ["0"]), ([(0, -1), (2, -1)], ["0"])])
    check_table(x, tmp_path, 100)


def test_parallel_planes_c1_in_three_variables(tmp_path):
    # ReLU(x)^2 - ReLU(x - 1)^2 + ReLU(y + z)^2*y: parallel planes x = 0, x = 1 and y + z = 0
    sp = Spline.from_pieces(["x", "y", "z"], ["f"], ["x", "x - 1", "y + z"], [
        ([(0, -1), (2, 1)], ["(y + z)**2*y"]), ([(0, -1), (2, -1)], ["0"]),
        ([(0, 1), (1, -1), (2, 1)], ["x**2 + (y + z)**2*y"]), ([(0, 1), (1, -1), (2, -1)],
                                                              ["x**2"]),
        ([(1, 1), (2, 1)], ["2*x - 1 + (y + z)**2*y"]), ([(1, 1), (2, -1)], ["2*x - 1"])])
    res = check_table(sp, tmp_path, 60)
    assert res.method == "hyperplane"


def test_pruning_keeps_it_exact_and_not_larger(tmp_path):
    sp = random_spline_table(2, 3, 2, seed=5, kind="mixed")
    full, c1 = hyperplane_maxmin(sp, prune=False, pieces_first=False)
    small, c2 = hyperplane_maxmin(sp)
    assert small.size()["entries"] <= full.size()["entries"]
    assert small.size()["terms"] <= full.size()["terms"]
    from splinesym.lattice.certify import verify_maxmin_claim
    for cert, mm in ((c1, full), (c2, small)):
        subject = {"spline": spline_to_dict(sp), "maxmin": maxmin_to_dict(mm)}
        assert [verify_maxmin_claim(c, subject)[0] for c in cert.claims] == ["checked"]


def test_a_discontinuous_table_is_refused():
    sp = Spline.from_pieces(["x", "y"], ["f"], ["x"], [([(0, 1)], ["y"]), ([(0, -1)], ["0"])])
    with pytest.raises(Exception, match="discontinuous"):
        build_maxmin("spline", sp, method="hyperplane", validate=False)


def test_the_theory_message_is_current():
    from splinesym.lattice.theory import known_theory

    assert "claimed false" in known_theory(nvars=8, polyhedral=False)
    assert "7pocheR/Pierce-Birkhoff" in known_theory(nvars=6, polyhedral=False)
    assert "open" in known_theory(nvars=3, polyhedral=False)
    assert "Lai & Lim" in known_theory(nvars=5, polyhedral=True)
    assert "Mahe" in known_theory(nvars=2, polyhedral=False)


# ----------------------------------------------------------------------------------------------
# random tables (hypothesis)
TABLES = st.tuples(st.sampled_from([1, 2, 3]), st.integers(2, 4), st.integers(1, 3),
                   st.sampled_from(["generic", "concurrent", "parallel", "mixed"]),
                   st.sampled_from([(0, "space"), (1, "space"), (0, "relu"), (1, "relu")]),
                   st.integers(0, 10_000))


def _random_case(case, tmp_path):
    n, m, d, kind, (smooth, mode), seed = case
    if n == 3 and m == 4 and d == 3:
        m = 3  # the largest class runs in the slow test
    sp = random_spline_table(n, m, d, seed=seed, kind=kind, smooth=smooth, mode=mode)
    check_table(sp, tmp_path, 25, seed=seed)


@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=TABLES)
def test_random_tables_get_a_strictly_checked_maxmin(case, tmp_path):
    _random_case(case, tmp_path)


@pytest.mark.slow
@settings(max_examples=120, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=TABLES)
def test_random_tables_get_a_strictly_checked_maxmin_many(case, tmp_path):
    _random_case(case, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["generic", "concurrent", "parallel"])
@pytest.mark.parametrize("smooth", [0, 1])
def test_largest_class_three_variables_four_planes_cubic(kind, smooth, tmp_path):
    sp = random_spline_table(3, 4, 3, seed=11, kind=kind, smooth=smooth)
    check_table(sp, tmp_path, 25)


# ----------------------------------------------------------------------------------------------
# encoders: compile, exact forward pass at random points, and the round trip
def check_encoder(sp: Spline, npoints: int = 60, time_limit: float | None = 600.0):
    res = build_maxmin("spline", sp)
    enc = encode(res, verify=True, points=0, time_limit=time_limit)
    rng = random.Random(3)
    td = spline_to_dict(sp)
    for _ in range(npoints):
        pt = rand_pt(rng, sp.nvars)
        want = eval_table(td, pt)
        if want is not None:
            assert evaluate_model(enc.model, pt) == [want], pt
    assert enc.roundtrip["equal"] and enc.roundtrip["complete"], enc.roundtrip
    return enc


@pytest.mark.parametrize("n,m,d,kind", [(2, 3, 1, "concurrent"), (2, 4, 1, "parallel"),
                                        (1, 3, 2, "generic")])
def test_encoder_round_trip(n, m, d, kind):
    check_encoder(random_spline_table(n, m, d, seed=2, kind=kind))


def test_encoder_round_trip_hat(tmp_path):
    enc = check_encoder(HAT)
    assert enc.info["degree"] == 1


@pytest.mark.slow
@pytest.mark.parametrize("n,m,d,kind,smooth", [
    (2, 2, 2, "generic", 0), (2, 2, 2, "concurrent", 1), (2, 3, 1, "mixed", 0),
    (2, 4, 1, "generic", 0), (1, 4, 2, "generic", 1), (2, 3, 2, "parallel", 0)])
def test_encoder_round_trip_slow(n, m, d, kind, smooth):
    # no time limit: degree 2 in two variables takes minutes (the expansion of the tournament)
    check_encoder(random_spline_table(n, m, d, seed=4, kind=kind, smooth=smooth),
                  time_limit=None)


def test_encoder_round_trip_two_variables_degree_2_three_planes():
    # odd pairs (ReLU(z) - ReLU(-z) = z) never split: the p_ij and the products are no breaks
    enc = check_encoder(random_spline_table(2, 3, 2, seed=4, kind="parallel"))
    assert enc.roundtrip["odd_pair_identities"] > 0 and enc.roundtrip["pieces_compared"] > 3


def test_cli_encode_certificate_degree_2_is_strictly_checked(tmp_path):
    src, out, cert = tmp_path / "t.json", tmp_path / "enc.json", tmp_path / "rt.cert.json"
    write_spline(random_spline_table(2, 2, 2, seed=4), src)
    assert main(["encode", str(src), "--out", str(out), "--verify", "--points", "20",
                 "--certificate", str(cert)]) == 0
    assert main(["check", "--strict", str(cert)]) == 0
    claim = json.loads(cert.read_text())["claims"][0]
    assert claim["evidence"]["method"] == "model-local" and len(claim["evidence"]["points"]) > 3


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["generic", "concurrent", "parallel"])
@pytest.mark.parametrize("smooth", [0, 1])
def test_encoder_round_trip_two_variables_degree_2_four_planes(kind, smooth):
    check_encoder(random_spline_table(2, 4, 2, seed=4, kind=kind, smooth=smooth),
                  time_limit=None)


def test_cli_maxmin_and_encode_on_a_table(tmp_path):
    src = tmp_path / "hat.json"
    write_spline(HAT, src)
    cert = tmp_path / "hat.cert.json"
    assert main(["maxmin", str(src), "--certificate", str(cert)]) == 0
    assert main(["check", "--strict", str(cert)]) == 0
    out = tmp_path / "enc.json"
    assert main(["encode", str(src), "--out", str(out), "--verify"]) == 0


# ----------------------------------------------------------------------------------------------
# a published counterexample (semialgebraic, 8 variables): the answer ends cleanly, never claims
# a representation, and says what that work says
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PB8 = EXAMPLES / "splines" / "pb_counterexample8.spline.json"
sys.path.insert(0, str(EXAMPLES))


def test_pb_counterexample8_fixture_matches_the_published_formulas():
    from make_pb_counterexample8 import build

    assert json.loads(PB8.read_text()) == json.loads(json.dumps(build()))


def test_maxmin_on_the_8_variable_counterexample_ends_cleanly(capsys, tmp_path):
    cert = tmp_path / "never.json"
    code = main(["maxmin", str(PB8), "--time-limit", "15", "--solver-timeout", "0.5",
                 "--certificate", str(cert)])
    out, err = capsys.readouterr()
    assert code in (1, 3), (code, out, err)
    assert "no max-min representation found" in err
    assert "claimed false" in err and "7pocheR/Pierce-Birkhoff" in err
    assert "NO representation" in err          # the table's source, echoed
    assert "certified" not in out + err.replace("no representation is claimed", "")
    assert not cert.exists() and out == ""


def test_encode_round_trip_stopped_by_the_time_limit_exits_3(tmp_path, capsys):
    src, out = tmp_path / "t.json", tmp_path / "enc.json"
    # compiles in about a second; its round trip by expansion takes many minutes
    write_spline(random_spline_table(2, 4, 2, seed=4), src)
    code = main(["encode", str(src), "--out", str(out), "--verify", "--time-limit", "20",
                 "--points", "5"])
    assert code == 3 and out.exists()
    err = capsys.readouterr().err   # the round trip stopped at a checkpoint or by the backstop
    assert ("INCOMPLETE" in err and "round trip" in err) or "time limit of 20 s reached" in err
