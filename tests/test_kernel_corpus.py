"""The adversarial corpus: honest certificates pass, certificates of false statements fail with
exit 1 naming the claim (or statement clause) and the rule, malformed ones never pass and never
raise; random mutations of honest certificates never raise, and a changed number that the
kernel uses as evidence is always rejected."""

from __future__ import annotations

import copy
import io
import json
from argparse import Namespace
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from splinesym.kernel import CHECKED, Malformed, check_certificate
from splinesym.kernel.cli import run

CORPUS = Path(__file__).resolve().parent / "certificates"
HONEST = sorted((CORPUS / "honest").glob("*.json"))
FALSE = sorted((CORPUS / "false").glob("*.json"))
MALFORMED = sorted((CORPUS / "malformed").glob("*.json"))


def kernel(path, strict=False):
    out, err = io.StringIO(), io.StringIO()
    code = run(Namespace(file=str(path), strict=strict, format="text", quiet=True), out, err)
    return code, out.getvalue(), err.getvalue()


def test_corpus_sizes():
    assert len(HONEST) >= 20 and len(FALSE) >= 40 and len(MALFORMED) >= 30


@pytest.mark.parametrize("path", HONEST, ids=lambda p: p.stem)
def test_honest_certificates_pass(path):
    code, out, err = kernel(path)
    assert code == 0, out + err
    cert = json.loads(path.read_text())
    rep = check_certificate(cert)
    if rep.status == CHECKED and all(r[0] in (CHECKED, "recorded (not checked)")
                                     for r in rep.results):
        assert kernel(path, strict=True)[0] == 0


@pytest.mark.parametrize("path", FALSE, ids=lambda p: p.stem)
def test_false_certificates_fail_naming_claim_and_rule(path):
    cert = json.loads(path.read_text())
    assert cert.get("corpus_note"), "every forged certificate says why its statement is false"
    strict = bool(cert.get("corpus_strict"))
    code, out, err = kernel(path, strict=strict)
    assert code == 1, out + err
    assert any(("FAILED [rule " in line and line.startswith(("claim ", "statement ")))
               or line.startswith("STRICT: FAILED") for line in out.splitlines()), out
    if strict:  # a solver's word: never reported as checked
        assert check_certificate(cert).status != CHECKED


@pytest.mark.parametrize("path", MALFORMED, ids=lambda p: p.stem)
def test_malformed_certificates_never_pass(path):
    code, out, err = kernel(path)
    assert code in (1, 2)
    if code == 2:
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


# ---- mutations -------------------------------------------------------------------------------
#: fields the kernel does not read (descriptions, a leaf's optional witness, a spline piece's
#: own witness/status): changing them is harmless by construction
IGNORED = {"method", "note", "notes", "meaning", "summary", "status", "produced_by", "source",
           "stats", "witness@leaf", "witness@piece", "undecided_pairs", "corpus_note",
           "break_origins", "name", "description", "points@measurement", "digits", "bound",
           "value@measurement", "coverage", "beta", "partial"}
SMALL = [p for p in HONEST if p.stat().st_size < 40_000]


def leaves(obj, path=()):
    yield path, obj
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from leaves(v, (*path, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from leaves(v, (*path, i))


def _is_number(v) -> bool:
    if isinstance(v, bool):
        return False
    if isinstance(v, (int, float)):
        return True
    if isinstance(v, str):
        try:
            Fraction(v)
            return True
        except (ValueError, ZeroDivisionError):
            return False
    return False


def used_as_evidence(cert, path) -> bool:
    """A number under a claim's evidence (or a claim's value) that the kernel reads."""
    if len(path) < 2 or path[0] != "claims":
        return False
    claim = cert["claims"][path[1]]
    if claim["kind"] == "measurement":
        return False
    keys = [k for k in path if isinstance(k, str)]
    if any(k in IGNORED for k in keys):
        return False
    if "leaf" in keys and keys[-1] == "witness":
        return False
    return True


def mutate(value, op: int, r: int):
    if op == 0 and _is_number(value):  # a different number
        v = Fraction(str(value)) if not isinstance(value, float) else Fraction(value)
        return str(v + Fraction(r % 7 + 1, r % 3 + 1) * (1 if r % 2 else -1))
    if op == 1 and _is_number(value):  # a sign flip (or +1 for zero)
        v = Fraction(str(value)) if not isinstance(value, float) else Fraction(value)
        return str(-v) if v else "1"
    return [None, [], {}, "x", 1.5, True, -1, "1/0", "x**", 10**30, "+"][r % 11]


@settings(max_examples=250, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SMALL), st.integers(0, 10**9), st.integers(0, 3), st.integers(0, 10**6),
       st.booleans())
def test_mutations_never_raise_and_evidence_changes_are_rejected(path, pick, op, r, delete):
    cert = json.loads(path.read_text())
    spots = [p for p, _ in leaves(cert) if p]
    where = spots[pick % len(spots)]
    parent = cert
    for k in where[:-1]:
        parent = parent[k]
    old = parent[where[-1]]
    mutant = copy.deepcopy(cert)
    target = mutant
    for k in where[:-1]:
        target = target[k]
    if delete and op == 3:
        if isinstance(target, dict):
            del target[where[-1]]
        else:
            target.pop(where[-1])
    else:
        target[where[-1]] = mutate(old, op, r)
    try:
        rep = check_certificate(json.loads(json.dumps(mutant)))
        code = rep.exit_code()
    except Malformed:
        code = 2
    assert code in (0, 1, 2)
    changed_number = (op in (0, 1) and not delete and _is_number(old)
                      and Fraction(str(target[where[-1]])) != Fraction(str(old)))
    if where[-1] == "square" and op == 1:  # q and -q have the same square: harmless
        changed_number = False
    if changed_number and used_as_evidence(cert, where):
        assert code != 0, f"{path.name}: changing {where} from {old!r} was not detected"
