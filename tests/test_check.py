"""The kernel through ``splinesym check``: certificates verify, tampered ones fail, bad ones are
refused with exit 2, and it runs standalone under ``python -S -I``."""

import ast
import copy
import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
import sympy

from splinesym import default_model
from splinesym.certify import certify_model, certify_spline
from splinesym.cli import main
from splinesym.io.importers import from_sympy
from splinesym.kernel import (
    CHECKED,
    FAILED,
    RECORDED,
    TESTED,
    TRUSTED,
    UNVERIFIED,
    check_certificate,
)

ROOT = Path(__file__).resolve().parent.parent
KERNEL = ROOT / "splinesym" / "kernel"


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


def statuses(rep):
    return [r[0] for r in rep.results]


def test_certificates_check(tmp_path, attention_cert, cubic_cert, capsys):
    assert run_check(tmp_path, attention_cert, "--strict") == 0
    out = capsys.readouterr().out
    assert "STATEMENT HOLDS (checked)" in out and "FAILED" not in out
    assert run_check(tmp_path, cubic_cert, "--strict") == 0
    rep = check_certificate(attention_cert)
    assert rep.ok and set(statuses(rep)) == {CHECKED}
    kinds = [c["kind"] for c in attention_cert["statement"]]
    assert kinds == ["cells-nonempty", "degree", "model-equals-spline", "continuity"]


def test_json_report(tmp_path, cubic_cert, capsys):
    assert run_check(tmp_path, cubic_cert, "--format", "json") == 0
    d = json.loads(capsys.readouterr().out)
    assert d["exit"] == 0 and d["status"] == CHECKED and d["statement"]


def test_certificate_file_written_by_cli_checks(tmp_path):
    cert = tmp_path / "c.json"
    assert main(["certify", "--sympy", "Max(x - 1, 0)**4", "--certificate", str(cert)]) == 0
    assert main(["check", str(cert), "--strict"]) == 0


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
    assert f"claim {idx[0]} ({kind}): FAILED [rule " in out


@pytest.mark.parametrize("which", ["first", "last"])
def test_tampering_segment_and_rational_wall_points(attention_cert, which):
    walls = claims_of(attention_cert, "continuity", "wall")
    for kind in ("rational", "segment"):
        sel = [i for i in walls
               if attention_cert["claims"][i]["evidence"]["wall_point"]["type"] == kind]
        i = sel[0] if which == "first" else sel[-1]
        cert = copy.deepcopy(attention_cert)
        wp = cert["claims"][i]["evidence"]["wall_point"]
        key = "point" if kind == "rational" else "p0"
        wp[key][-1] = str(Fraction(wp[key][-1]) + Fraction(1, 5))
        rep = check_certificate(cert)
        assert not rep.ok and rep.results[i][0] == FAILED


def test_tampering_the_subject_spline_fails(tmp_path, cubic_cert):
    cert = copy.deepcopy(cubic_cert)
    cert["subject"]["spline"]["pieces"][1]["values"][0] += " + x**4/100"
    assert run_check(tmp_path, cert) == 1


def test_discontinuity_claims_check_and_a_false_smoothness_fails(tmp_path):
    x = sympy.Symbol("x")
    cert = certify_spline(from_sympy(sympy.Piecewise((x, x < 1), (x + 2, True)))).certificate()
    assert run_check(tmp_path, cert) == 0
    assert {"kind": "continuity", "value": -1} in cert["statement"]
    i = claims_of(cert, "continuity", "wall")[0]
    assert cert["claims"][i]["value"] == -1
    cert["claims"][i]["value"] = 0
    cert["claims"][i]["evidence"]["outputs"][0]["order"] = 0
    assert run_check(tmp_path, cert) == 1


SPLINE_XY = {"format": "splinesym.spline/1", "variables": ["x", "y"], "outputs": ["f"],
             "breaks": ["x", "y", "x + y - 1"], "pieces": [{"region": [], "values": ["x"]}]}


def test_statuses_solver_word_and_missing_witness_are_not_checked(tmp_path):
    region = [[0, "-"], [1, "-"], [2, "+"]]
    cert = {"format": "splinesym.certificate/1", "subject": {"spline": SPLINE_XY},
            "statement": [{"kind": "cell", "region": region, "value": "empty"}],
            "claims": [
                {"kind": "cell", "value": "empty", "evidence": {"region": region,
                                                                "solver": "z3"}},
                {"kind": "cell", "value": "empty", "evidence": {"region": region,
                                                                "multipliers": [1, 1, 1]}},
                {"kind": "cell", "value": "nonempty", "evidence": {"piece": 0}},
                {"kind": "identity", "value": True, "evidence": {
                    "method": "expand", "lhs": "(x + y)**2", "rhs": "x**2 + 2*x*y + y**2"}},
                {"kind": "measurement", "value": 0.1, "evidence": {"summary": "a float"}}]}
    rep = check_certificate(cert)
    assert statuses(rep) == [TRUSTED, CHECKED, UNVERIFIED, CHECKED, RECORDED]
    assert rep.ok and rep.status == CHECKED and rep.clauses[0][4] == [1]
    cert["claims"][1]["evidence"]["multipliers"] = [1, 2, 1]
    cert["claims"][3]["evidence"]["rhs"] = "x**2 + y**2"
    rep = check_certificate(cert)
    assert statuses(rep)[1::2] == [FAILED, FAILED]
    # with the Farkas claim failed, the statement rests on the solver's word only
    del cert["claims"][3]
    cert["claims"][1]["evidence"]["multipliers"] = [0, 0, 0]
    assert run_check(tmp_path, cert) == 1
    del cert["claims"][1]
    assert check_certificate(cert).status == TRUSTED
    assert run_check(tmp_path, cert) == 0
    assert run_check(tmp_path, cert, "--strict") == 1


def test_unverified_statement_fails():
    cert = {"format": "splinesym.certificate/1", "subject": {"spline": SPLINE_XY},
            "statement": [{"kind": "cells-nonempty"}],
            "claims": [{"kind": "cell", "value": "nonempty", "evidence": {"piece": 0}}]}
    rep = check_certificate(cert)
    assert rep.status == UNVERIFIED and rep.exit_code() == 1


@pytest.mark.parametrize("content, message", [
    ("{oops", "malformed JSON"),
    ('{"format": "splinesym.certificate/9", "claims": []}', "unknown version"),
    ('{"format": "splinesym.spline/1"}', "not a certificate"),
    ('{"format": "splinesym.certificate/1", "subject": {}, "claims": [{"kind": "magic", '
     '"value": 1, "evidence": {}}]}', "unknown claim kind"),
    ('{"format": "splinesym.certificate/1", "subject": {}, "claims": [{"kind": "degree", '
     '"value": 1}]}', "missing field 'evidence'"),
])
def test_bad_certificates_exit_2_with_one_line(tmp_path, capsys, content, message):
    p = tmp_path / "bad.json"
    p.write_text(content)
    assert main(["check", str(p)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err and "bad.json" in err


def test_missing_certificate_exit_2(tmp_path, capsys):
    assert main(["check", str(tmp_path / "nope.json")]) == 2
    err = capsys.readouterr().err   # the CLI's path check or the kernel's loader says it
    assert "nope.json" in err and ("cannot read the file" in err or "file not found" in err)


def test_kernel_imports_only_the_standard_library_and_itself():
    allowed = {"__future__", "argparse", "fractions", "json", "math", "re", "sys", "importlib",
               "os"}
    for path in KERNEL.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                assert {a.name.split(".")[0] for a in node.names} <= allowed, path
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                assert node.module.split(".")[0] in allowed, (path, node.module)


def test_kernel_rule_functions_are_small():
    for path in KERNEL.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef):
                n = node.end_lineno - node.lineno + 1
                assert n <= 45, f"{path.name}:{node.name} has {n} lines"


@pytest.mark.parametrize("entry", ["dir", "shim"])
def test_kernel_runs_standalone_without_the_package(tmp_path, cubic_cert, entry):
    """``python -S -I splinesym/kernel FILE`` and ``python -S -I splinesym/check.py FILE``: no
    site-packages and no current directory on the path, so splinesym cannot be imported."""
    target = KERNEL if entry == "dir" else ROOT / "splinesym" / "check.py"
    p = tmp_path / "c.json"
    p.write_text(json.dumps(cubic_cert))

    def run(*extra):
        return subprocess.run([sys.executable, "-S", "-I", str(target), str(p), *extra],
                              capture_output=True, text=True, cwd=tmp_path)

    r = run("--strict")
    assert r.returncode == 0, r.stderr
    assert "STATEMENT HOLDS (checked)" in r.stdout
    assert json.loads(run("--format", "json").stdout)["exit"] == 0
    bad = copy.deepcopy(cubic_cert)
    bad["claims"][claims_of(bad, "degree")[0]]["value"] = 4
    p.write_text(json.dumps(bad))
    assert run().returncode == 1
    p.write_text("{")
    r = run()
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_model_points_identity_is_a_spot_check(attention_cert):
    cert = copy.deepcopy(attention_cert)
    i = claims_of(cert, "identity")[0]
    cert["claims"][i]["evidence"]["method"] = "model-points"
    rep = check_certificate(cert)
    assert rep.results[i][0] == TESTED
    assert rep.exit_code() == 1  # the statement "model equals the spline" is no longer covered


def test_tampering_an_identity_point_coordinate_fails(attention_cert):
    cert = copy.deepcopy(attention_cert)
    i = claims_of(cert, "identity")[0]
    pt = cert["claims"][i]["evidence"]["points"][0]["point"]
    pt[0] = str(Fraction(pt[0]) + Fraction(1, 1000))
    assert check_certificate(cert).results[i][0] == FAILED


def test_pairs_that_never_meet_are_certified_and_completeness_is_checked():
    from splinesym.spline import Spline

    sp = Spline.from_pieces(["x"], ["f"], ["x", "x - 1"],
                            [([(0, 1), (1, 1)], ["x**2"]), ([(0, -1)], ["0"]),
                             ([(0, 1), (1, -1)], ["x**2"])])
    c = certify_spline(sp)
    assert len(c.smoothness.walls) == 2 and len(c.smoothness.not_walls) == 1
    cert = c.certificate()
    rep = check_certificate(cert)
    assert rep.exit_code(strict=True) == 0
    nw = [i for i, cl in enumerate(cert["claims"]) if "on_break" in cl["evidence"]]
    assert len(nw) == 1 and "on g0 = 0" in rep.results[nw[0]][2]
    assert "3 of 3 candidate pairs accounted for" in rep.results[-1][2]
    bad = copy.deepcopy(cert)
    bad["claims"][nw[0]]["evidence"]["break_multiplier"] = "1"
    assert not check_certificate(bad).ok
    bad = copy.deepcopy(cert)
    bad["claims"][-1]["evidence"]["not_walls"] = []
    rep = check_certificate(bad)
    assert rep.results[-1][0] == FAILED and "unaccounted" in rep.results[-1][2]


def test_kernel_docstring_states_its_size():
    import re

    import splinesym.kernel as k

    total = sum(len(p.read_text().splitlines()) for p in KERNEL.rglob("*.py"))
    stated = int(re.search(r"About ([\d,]+) lines", k.__doc__).group(1).replace(",", ""))
    assert abs(total - stated) <= 0.1 * stated, (total, stated)
