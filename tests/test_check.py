"""The independent checker: certificates verify, tampered ones fail, bad ones are refused."""

import ast
import copy
import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
import sympy

import splinesym.check as checker
from splinesym import default_model
from splinesym.certify import certify_model, certify_spline
from splinesym.cli import main
from splinesym.io.importers import from_sympy

CHECK_PY = Path(checker.__file__)


@pytest.fixture(scope="module")
def attention_cert():
    return certify_model(default_model()).certificate()


@pytest.fixture(scope="module")
def cubic_cert():
    x = sympy.Symbol("x")
    sp = from_sympy(sympy.interpolating_spline(3, x, [0, 1, 2, 3, 4, 5], [0, 1, 0, 2, 1, 3]))
    return certify_spline(sp).certificate()


def run_check(tmp_path, cert, *extra):
    p = tmp_path / "cert.json"
    p.write_text(json.dumps(cert))
    return main(["check", str(p), *extra])


def claims_of(cert, kind, scope=None):
    return [i for i, c in enumerate(cert["claims"]) if c["kind"] == kind
            and (scope is None or c["evidence"].get("scope", "wall") == scope)]


def test_certificates_check(tmp_path, attention_cert, cubic_cert, capsys):
    assert run_check(tmp_path, attention_cert) == 0
    out = capsys.readouterr().out
    assert "ALL CLAIMS HOLD" in out and "FAILED" not in out
    assert run_check(tmp_path, cubic_cert) == 0
    rep = checker.check_certificate(attention_cert)
    assert rep.ok and set(r.status for r in rep.results) == {checker.CHECKED}


def test_certificate_file_written_by_cli_checks(tmp_path):
    cert = tmp_path / "c.json"
    assert main(["certify", "--sympy", "Max(x - 1, 0)**4", "--certificate", str(cert)]) == 0
    assert main(["check", str(cert)]) == 0


def _tamper_wall_point(c):
    wp = c["evidence"]["wall_point"]
    if wp["type"] == "rational":
        wp["point"][0] = str(Fraction(wp["point"][0]) + Fraction(1, 7))
    else:
        wp["t"][1] = str(Fraction(wp["t"][1]) + Fraction(1, 3))


def _tamper_quotient(c):
    o = next(o for o in c["evidence"]["outputs"] if o["order"] != "inf")
    o["quotient"] = o["quotient"] + " + 1/1000"


def _tamper_witness(c):
    c["evidence"]["witness"][0] = str(Fraction(c["evidence"]["witness"][0]) + 1)


TAMPERS = {
    "degree value": ("degree", None, lambda c: c.__setitem__("value", c["value"] + 1)),
    "degree per piece": ("degree", None,
                         lambda c: c["evidence"]["pieces"][0].__setitem__(0, 2)),
    "structural bound": ("degree", None,
                         lambda c: c["evidence"].__setitem__("structural_bound", 2)),
    "wall value": ("continuity", "wall", lambda c: c.__setitem__("value", 1)),
    "wall order of an output": ("continuity", "wall", lambda c: next(
        o for o in c["evidence"]["outputs"] if o["order"] != "inf").__setitem__("order", 1)),
    "quotient coefficient": ("continuity", "wall", _tamper_quotient),
    "wall point coordinate": ("continuity", "wall", _tamper_wall_point),
    "wall pieces": ("continuity", "wall", lambda c: c["evidence"]["pieces"].reverse()),
    "spline continuity": ("continuity", "spline", lambda c: c.__setitem__("value", 1)),
    "cell witness coordinate": ("cell", None, _tamper_witness),
    "cell break value": ("cell", None, lambda c: c["evidence"]["break_values"].__setitem__(
        0, "12345")),
    "identity point": ("identity", None, lambda c: c["evidence"]["points"][0].__setitem__(
        "piece", 1)),
}


@pytest.mark.parametrize("name", sorted(TAMPERS))
def test_tampering_any_claim_fails(tmp_path, attention_cert, name, capsys):
    kind, scope, fn = TAMPERS[name]
    cert = copy.deepcopy(attention_cert)
    idx = claims_of(cert, kind, scope)
    assert idx
    fn(cert["claims"][idx[0]])
    assert run_check(tmp_path, cert) == 1
    out = capsys.readouterr().out
    assert f"claim {idx[0]} ({kind}): FAILED" in out


@pytest.mark.parametrize("which", ["first", "last"])
def test_tampering_segment_and_rational_wall_points(tmp_path, attention_cert, which):
    walls = claims_of(attention_cert, "continuity", "wall")
    for kind in ("rational", "segment"):
        sel = [i for i in walls
               if attention_cert["claims"][i]["evidence"]["wall_point"]["type"] == kind]
        i = sel[0] if which == "first" else sel[-1]
        cert = copy.deepcopy(attention_cert)
        wp = cert["claims"][i]["evidence"]["wall_point"]
        key = "point" if kind == "rational" else "p0"
        wp[key][-1] = str(Fraction(wp[key][-1]) + Fraction(1, 5))
        rep = checker.check_certificate(cert)
        assert not rep.ok and rep.results[i].status == checker.FAILED


def test_tampering_the_subject_spline_fails(tmp_path, cubic_cert):
    cert = copy.deepcopy(cubic_cert)
    cert["subject"]["spline"]["pieces"][1]["values"][0] += " + x**4/100"
    assert run_check(tmp_path, cert) == 1


def test_discontinuity_claims_check_and_a_false_smoothness_fails(tmp_path):
    x = sympy.Symbol("x")
    cert = certify_spline(from_sympy(sympy.Piecewise((x, x < 1), (x + 2, True)))).certificate()
    assert run_check(tmp_path, cert) == 0
    i = claims_of(cert, "continuity", "wall")[0]
    assert cert["claims"][i]["value"] == -1
    cert["claims"][i]["value"] = 0
    cert["claims"][i]["evidence"]["outputs"][0]["order"] = 0
    assert run_check(tmp_path, cert) == 1


def test_solver_word_and_missing_witness_are_not_reported_as_checked():
    cert = {"format": "splinesym.certificate/1",
            "subject": {"spline": {"format": "splinesym.spline/1", "variables": ["x", "y"],
                                   "outputs": ["f"], "breaks": ["x", "y", "x + y - 1"],
                                   "pieces": [{"region": [], "values": ["x"]}]}},
            "claims": [
                {"kind": "cell", "value": "empty",
                 "evidence": {"region": [[0, "-"], [1, "-"], [2, "+"]], "solver": "z3"}},
                {"kind": "cell", "value": "empty",
                 "evidence": {"region": [[0, "-"], [1, "-"], [2, "+"]],
                              "multipliers": [1, 1, 1]}},
                {"kind": "cell", "value": "nonempty", "evidence": {"piece": 0}},
                {"kind": "identity", "value": True,
                 "evidence": {"method": "expand", "lhs": "(x + y)**2",
                              "rhs": "x**2 + 2*x*y + y**2"}},
                {"kind": "measurement", "value": 0.1, "evidence": {"summary": "a float"}},
            ]}
    rep = checker.check_certificate(cert)
    assert [r.status for r in rep.results] == [checker.TRUSTED, checker.CHECKED,
                                               checker.UNVERIFIED, checker.CHECKED,
                                               checker.RECORDED]
    assert rep.ok
    cert["claims"][1]["evidence"]["multipliers"] = [1, 2, 1]
    cert["claims"][3]["evidence"]["rhs"] = "x**2 + y**2"
    rep = checker.check_certificate(cert)
    assert [r.status for r in rep.results][1::2] == [checker.FAILED, checker.FAILED]


def test_strict_mode_rejects_trusted_claims(tmp_path):
    cert = {"format": "splinesym.certificate/1", "subject": {"variables": ["x"]},
            "claims": [{"kind": "cell", "value": "empty",
                        "evidence": {"region": [], "solver": "z3"}}]}
    cert["subject"] = {"spline": {"format": "splinesym.spline/1", "variables": ["x"],
                                  "outputs": ["f"], "breaks": ["x"], "pieces": []}}
    assert run_check(tmp_path, cert) == 0
    assert run_check(tmp_path, cert, "--strict") == 1


@pytest.mark.parametrize("content, message", [
    ("{oops", "malformed JSON"),
    ('{"format": "splinesym.certificate/9", "claims": []}', "unknown version"),
    ('{"format": "splinesym.spline/1"}', "not a certificate"),
    ('{"format": "splinesym.certificate/1", "subject": {}, "claims": [{"kind": "magic", '
     '"value": 1, "evidence": {}}]}', "unknown claim kind 'magic'"),
    ('{"format": "splinesym.certificate/1", "subject": {}, "claims": [{"kind": "degree"}]}',
     "needs 'value'"),
])
def test_bad_certificates_exit_2_with_one_line(tmp_path, capsys, content, message):
    p = tmp_path / "bad.json"
    p.write_text(content)
    assert main(["check", str(p)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err and "bad.json" in err


def test_missing_certificate_exit_2(tmp_path, capsys):
    assert main(["check", str(tmp_path / "nope.json")]) == 2
    assert "file not found" in capsys.readouterr().err


def test_checker_imports_only_the_standard_library():
    tree = ast.parse(CHECK_PY.read_text())
    mods = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            mods.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "no relative imports in the checker"
            mods.add(node.module.split(".")[0])
    assert mods <= {"__future__", "argparse", "fractions", "json", "re", "sys"}


def test_checker_runs_standalone_without_the_package(tmp_path, cubic_cert):
    """``python -S -I check.py``: no site-packages, so splinesym cannot even be imported."""
    p = tmp_path / "c.json"
    p.write_text(json.dumps(cubic_cert))
    r = subprocess.run([sys.executable, "-S", "-I", str(CHECK_PY), str(p)],
                       capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "ALL CLAIMS HOLD" in r.stdout
    bad = copy.deepcopy(cubic_cert)
    bad["claims"][claims_of(bad, "degree")[0]]["value"] = 4
    p.write_text(json.dumps(bad))
    r = subprocess.run([sys.executable, "-S", "-I", str(CHECK_PY), str(p)],
                       capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 1


def test_model_points_identity_is_a_spot_check(attention_cert):
    cert = copy.deepcopy(attention_cert)
    i = claims_of(cert, "identity")[0]
    cert["claims"][i]["evidence"]["method"] = "model-points"
    rep = checker.check_certificate(cert)
    assert rep.ok and rep.results[i].status == checker.TESTED


def test_checker_parser_and_division():
    p = checker.parse_poly("(x - y)**2*(x + 1) - 3/2*x", ["x", "y"])
    g = checker.parse_poly("x - y", ["x", "y"])
    assert checker.pdivides_remainder(checker.psub(p, checker.parse_poly("-3/2*x", ["x", "y"])),
                                      g) == {}
    assert checker.pdivides_remainder(p, g) != {}
    with pytest.raises(checker.CertificateFormatError):
        checker.parse_poly("x + z", ["x", "y"])
    lo, hi = checker.ubounds([Fraction(-2), Fraction(0), Fraction(1)], Fraction(1), Fraction(2))
    assert lo <= -1 and hi >= 2  # t**2 - 2 on [1, 2] lies in [-1, 2]


def test_tampering_an_identity_point_coordinate_fails(attention_cert):
    cert = copy.deepcopy(attention_cert)
    i = claims_of(cert, "identity")[0]
    pt = cert["claims"][i]["evidence"]["points"][0]["point"]
    pt[0] = str(Fraction(pt[0]) + Fraction(1, 1000))
    rep = checker.check_certificate(cert)
    assert rep.results[i].status == checker.FAILED


def test_pairs_that_never_meet_are_certified_and_completeness_is_checked(tmp_path):
    from splinesym.spline import Spline

    sp = Spline.from_pieces(["x"], ["f"], ["x", "x - 1"],
                            [([(0, 1), (1, 1)], ["x**2"]), ([(0, -1)], ["0"]),
                             ([(0, 1), (1, -1)], ["x**2"])])
    c = certify_spline(sp)
    assert len(c.smoothness.walls) == 2 and len(c.smoothness.not_walls) == 1
    cert = c.certificate()
    rep = checker.check_certificate(cert)
    assert rep.ok and all(r.status == checker.CHECKED for r in rep.results)
    nw = [i for i, cl in enumerate(cert["claims"]) if "on_break" in cl["evidence"]]
    assert len(nw) == 1 and "not neighbours" in rep.results[nw[0]].message
    assert "3 of 3 candidate pairs accounted for" in rep.results[-1].message
    bad = copy.deepcopy(cert)
    bad["claims"][nw[0]]["evidence"]["break_multiplier"] = "1"
    assert not checker.check_certificate(bad).ok
    bad = copy.deepcopy(cert)
    bad["claims"][-1]["evidence"]["not_walls"] = []
    rep = checker.check_certificate(bad)
    assert rep.results[-1].status == checker.FAILED and "completeness" in rep.results[-1].message
