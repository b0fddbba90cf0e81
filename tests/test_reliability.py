"""Issue 9: exactness on large numbers, honest partial results, signals, files, determinism."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from fractions import Fraction
from pathlib import Path

import pytest

from splinesym import model_from_dict
from splinesym.cli import main
from splinesym.errors import DeadlineExceeded, Interrupted, exit_status
from splinesym.io.jsonio import read_json, write_atomic
from splinesym.nn.expand import expand_model
from splinesym.nn.forward import evaluate_model

ROOT = Path(__file__).resolve().parents[1]
MODELS = ROOT / "examples" / "models"


def _ffn(w):
    return {"format": "splinesym.model/1", "tokens": 1, "dim": 1,
            "encoder": [{"ffn": {"W1": [[w, -1]], "W2": [[1], [1]]}, "residual": False}]}


# -- exact numbers stay exact ----------------------------------------------------------------------
@pytest.mark.parametrize("w, value", [
    ("7" * 5000, Fraction(int("7" * 5000))),
    ("1e5000", Fraction(10) ** 5000),
    (1e155, Fraction(1e155)),
    ("1e155", Fraction(10) ** 155),
    ("1e-400", Fraction(1, 10**400)),
])
def test_large_weights_expand_exactly(w, value, tmp_path):
    path = tmp_path / "m.json"
    text = json.dumps(_ffn(w))
    if isinstance(w, str) and w.isdigit():
        text = text.replace(f'"{w}"', w)        # a 5,000-digit JSON integer, not a string
    path.write_text(text)
    m = model_from_dict(read_json(path))
    assert m.encoder[0].ffn.W1[0][0] == value
    sp = expand_model(m)
    assert sp.complete
    x = Fraction(3, 7)
    assert sp.evaluate([x]) == evaluate_model(m, [x]) == [max(value * x, 0) + max(-x, 0)]
    out = tmp_path / "sp.json"
    assert main(["expand", "--model", str(path), "--format", "json", "--out", str(out)]) == 0


def test_float_literal_outside_the_double_range_is_exact(tmp_path):
    path = tmp_path / "m.json"
    path.write_text(json.dumps(_ffn(1)).replace("[[1, -1]]", "[[1e400, -1]]"))
    m = model_from_dict(read_json(path))
    assert m.encoder[0].ffn.W1[0][0] == Fraction(10) ** 400


def test_100k_unary_minus_parse_iteratively(tmp_path, capsys):
    sp = {"format": "splinesym.spline/1", "variables": ["x"], "outputs": ["f"], "breaks": [],
          "pieces": [{"region": [], "values": ["-" * 100_000 + "x"]}]}
    path = tmp_path / "s.json"
    path.write_text(json.dumps(sp))
    assert main(["certify", str(path)]) == 0
    assert "Traceback" not in capsys.readouterr().err


# -- honest partial results ------------------------------------------------------------------------
def test_certify_stopped_by_a_limit_gives_no_verdict_and_exit_3(tmp_path, capsys):
    cert = tmp_path / "c.json"
    rc = main(["certify", str(MODELS / "attention_3x3.json"), "--max-cells", "40",
               "--time-limit", "15", "--wall-time", "0.2", "--z3-timeout", "0.2",
               "--format", "json", "--certificate", str(cert)])
    cap = capsys.readouterr()
    assert rc == 3
    d = json.loads(cap.out)
    assert d["complete"] is False and d["not_decided"]
    assert "single polynomial" not in d["verdict"] and d["verdict"].startswith("INCOMPLETE")
    c = json.loads(cert.read_text())
    assert c["produced_by"]["complete"] is False
    assert "single polynomial" not in c["produced_by"]["verdict"]
    assert len(cap.err.strip().splitlines()) == 1 and "INCOMPLETE" in cap.err


def test_incomplete_expand_exits_3_and_labels_the_output(tmp_path, capsys):
    out = tmp_path / "sp.json"
    rc = main(["expand", "--model", str(MODELS / "attention_3x3.json"), "--max-cells", "20",
               "--format", "json", "--out", str(out)])
    assert rc == 3
    d = json.loads(out.read_text())
    assert d["complete"] is False
    assert "INCOMPLETE" in capsys.readouterr().err
    rc = main(["expand", "--model", str(MODELS / "attention_3x3.json"), "--max-cells", "20",
               "--format", "latex"])
    assert rc == 3 and capsys.readouterr().out.startswith("% INCOMPLETE")


def test_maxmin_of_an_incomplete_expansion_is_not_exit_0(tmp_path, capsys):
    rc = main(["maxmin", str(MODELS / "attention_3x3.json"), "--method", "table",
               "--time-limit", "4"])
    err = capsys.readouterr().err
    assert rc in (1, 3) and "Traceback" not in err


def test_encode_json_is_clean_and_uncertified_is_not_0(tmp_path, capsys):
    sp = {"format": "splinesym.spline/1", "variables": ["x"], "outputs": ["f"],
          "breaks": ["x"], "pieces": [{"region": [[0, "+"]], "values": ["x**2"]},
                                     {"region": [[0, "-"]], "values": ["0"]}]}
    path = tmp_path / "s.json"
    path.write_text(json.dumps(sp))
    out = tmp_path / "enc.json"
    assert main(["encode", str(path), "--out", str(out), "--json", "--points", "5"]) == 0
    rep = json.loads(capsys.readouterr().out)       # nothing but JSON on stdout
    assert rep["outcome"] == "certified"


# -- the error contract ----------------------------------------------------------------------
def test_exit_status_mapping():
    from splinesym.errors import (
        BudgetExhaustedError,
        DiscontinuityError,
        InvalidInputError,
        TableGapError,
        TableOverlapError,
    )

    assert exit_status(TableOverlapError("x")) == exit_status(TableGapError("x")) == 2
    assert exit_status(DiscontinuityError("x")) == 1
    assert exit_status(BudgetExhaustedError("x")) == exit_status(DeadlineExceeded()) == 3
    assert exit_status(Interrupted(signal.SIGTERM)) == 143
    assert exit_status(InvalidInputError("x")) == 2
    assert exit_status(ZeroDivisionError()) == 70


def test_internal_error_is_one_line_with_debug_hint(monkeypatch, capsys):
    from splinesym.commands import expand

    def boom(args):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(expand, "run", boom)
    assert main(["expand"]) == 70
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--debug" in err[0] and "ZeroDivisionError" in err[0]
    assert main(["expand", "--debug"]) == 70
    assert "Traceback" in capsys.readouterr().err


def test_deadline_backstop_raises_in_pure_python():
    from splinesym.signals import guarded

    t0 = time.monotonic()
    with pytest.raises(DeadlineExceeded), guarded(deadline=0.3):
        while True:
            sum(range(1000))
    assert time.monotonic() - t0 < 2


# -- files -----------------------------------------------------------------------------------------
def test_atomic_write_respects_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "a.txt", "x")
        assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o644
        os.umask(0o077)
        write_atomic(tmp_path / "b.txt", "x")
        assert (tmp_path / "b.txt").stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(old)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]


def test_inputs_are_never_modified(tmp_path):
    src = tmp_path / "m.json"
    src.write_text((MODELS / "attention.json").read_text())
    before = (src.read_bytes(), src.stat().st_mtime_ns)
    assert main(["certify", str(src), "--out", str(tmp_path / "r.txt"),
                 "--certificate", str(tmp_path / "c.json")]) == 0
    assert (src.read_bytes(), src.stat().st_mtime_ns) == before


# -- signals (real processes) ----------------------------------------------------------------------
def _env(**kw):
    return {**os.environ, "PYTHONPATH": str(ROOT), **kw}


Z3_SCRIPT = textwrap.dedent("""
    import sys, time, z3
    from splinesym.signals import guarded, z3_check
    x, y, z, w = z3.Reals("x y z w")
    s = z3.SolverFor("QF_NRA"); s.set("timeout", 120000)
    s.add(x**7*y**3 + z**5*w - 3*x*y*z*w + 17*x**2 - 11 > 0, x*x + y*y + z*z + w*w < 1/1000,
          x**3*y**5*z - w**9 > 1/7, x*y*z*w*(x+y+z+w)**3 < -1/3)
    print("solving", flush=True)
    try:
        with guarded():
            z3_check(s)
        print("not interrupted", flush=True)
    except KeyboardInterrupt as e:
        print("interrupted", type(e).__name__, flush=True)
        sys.exit(130)
""")


def test_ctrl_c_stops_z3_within_a_second(tmp_path):
    p = subprocess.Popen([sys.executable, "-c", Z3_SCRIPT], stdout=subprocess.PIPE, text=True,
                         env=_env(), cwd=tmp_path)
    assert p.stdout.readline().strip() == "solving"
    time.sleep(1.0)
    t0 = time.monotonic()
    p.send_signal(signal.SIGINT)
    out, _ = p.communicate(timeout=60)
    assert time.monotonic() - t0 < 1.5
    assert p.returncode == 130 and "Interrupted" in out


@pytest.mark.parametrize("sig, status", [
    (signal.SIGINT, 130), pytest.param(signal.SIGTERM, 143, marks=pytest.mark.slow)])
def test_signal_ends_a_command_promptly_leaving_no_file(sig, status, tmp_path):
    out = tmp_path / "o.txt"
    p = subprocess.Popen([sys.executable, "-m", "splinesym.cli", "certify",
                          str(MODELS / "attention_3x3.json"), "--out", str(out),
                          "--certificate", str(tmp_path / "c.json")],
                         stderr=subprocess.PIPE, text=True, env=_env(), cwd=tmp_path)
    time.sleep(10)   # past the imports (the handlers are installed when the command starts)
    t0 = time.monotonic()
    p.send_signal(sig)
    _, err = p.communicate(timeout=60)
    assert time.monotonic() - t0 < 1.5
    assert p.returncode == status
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


# -- determinism -----------------------------------------------------------------------------------
def test_same_input_same_bytes_across_hash_seeds(tmp_path):
    runs = []
    for seed in ("0", "12345"):
        r = subprocess.run([sys.executable, "-m", "splinesym.cli", "certify",
                            str(MODELS / "attention.json"), "--format", "json"],
                           capture_output=True, text=True, env=_env(PYTHONHASHSEED=seed),
                           cwd=tmp_path, timeout=300)
        assert r.returncode == 0, r.stderr
        d = json.loads(r.stdout)
        d.pop("seconds")
        d["notes"] = [n for n in d["notes"] if " s" not in n]
        runs.append(json.dumps(d, sort_keys=True))
    assert runs[0] == runs[1]


def test_expand_bytes_identical_across_hash_seeds(tmp_path):
    outs = []
    for seed in ("0", "7"):
        r = subprocess.run([sys.executable, "-m", "splinesym.cli", "expand", "--model",
                            str(MODELS / "masked.json"), "--format", "latex"],
                           capture_output=True, env=_env(PYTHONHASHSEED=seed), cwd=tmp_path,
                           timeout=300)
        assert r.returncode == 0
        outs.append(r.stdout)
    assert outs[0] == outs[1]


def test_a_limit_before_any_cell_is_exit_3_not_a_crash(capsys):
    # found by examples/bench_limits.py: a budget used up before the first stage was split left
    # no cell at all, and the forward pass failed (IndexError) or returned a 0-piece "spline"
    rc = main(["expand", "--model", str(MODELS / "encoder2.json"), "--time-limit", "0.01"])
    err = capsys.readouterr().err
    assert rc == 3 and len(err.strip().splitlines()) == 1 and "no piece was decided" in err
