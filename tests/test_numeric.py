"""The numeric fast path: black-box evaluation, degrees by interpolation on lines, Schwartz--Zippel,
the sampled census, the incremental (resumable) expansion, and parallel / Dask runs giving the
same bytes as the serial run."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import flint
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from splinesym.io.spline_io import spline_to_dict
from splinesym.nn.expand import expand_model, piece_degrees, structural_degree
from splinesym.nn.forward import evaluate_model
from splinesym.nn.model import model_from_dict
from splinesym.nn.zoo import KINDS, random_model
from splinesym.numeric.census import cell_census, richness_estimates
from splinesym.numeric.degree import degree_survey, line_degree
from splinesym.numeric.evaluate import activation_pattern, evaluate_exact
from splinesym.numeric.identity import cell_map, piece_task, schwartz_zippel
from splinesym.numeric.incremental import expand_incremental
from splinesym.numeric.interpolate import interpolate, segment_radius
from splinesym.numeric.state import state_from_dict, state_spline, state_to_dict

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("decoder_block", "decoder", "transformer")


def small_model(kind: str, seed: int):
    if kind in HEAVY:   # one memory token keeps the exact expansion quick
        return model_from_dict(random_model(kind, seed=seed, tokens=1, dim=1, target_tokens=2,
                                            hidden=1, layers=1))
    return model_from_dict(random_model(kind, seed=seed, tokens=2, dim=1, hidden=1, layers=1))


def interior_point(m, sp, piece, rng):
    """The piece's witness, or a point of its region near it where no ReLU argument vanishes
    (a witness may sit on the zero set of an argument that is not a wall, e.g. x1_1**2)."""
    from splinesym.cells.decision import check_witness

    w = list(piece.witness)
    for k in range(200):
        if check_witness(sp.conditions(piece.region), w) and 0 not in activation_pattern(m, w):
            return w
        w = [c + Fraction(rng.randint(-9, 9), 2 ** (k // 10 + 4)) for c in piece.witness]
    raise AssertionError("no interior point found")


def canon(sp):
    return sorted((tuple(sorted((sp.ring.format(sp.breaks[k]), s) for k, s in p.region)),
                   tuple(sp.ring.format(v) for v in p.values)) for p in sp.pieces)


def pattern_str(pat):
    return "".join("+" if s > 0 else "-" for s in pat)


# ------------------------------------------------------------------------------------------
# 1. black-box exact evaluation
@settings(max_examples=15)
@given(st.sampled_from(sorted(KINDS)), st.integers(0, 50), st.randoms(use_true_random=False))
def test_exact_evaluation_matches_the_fraction_oracle(kind, seed, rnd):
    m = small_model(kind, seed)
    pt = [Fraction(rnd.randint(-50, 50), rnd.randint(1, 9)) for _ in m.variables()]
    ev = evaluate_exact(m, pt)
    assert [Fraction(int(v.p), int(v.q)) for v in ev.outputs] == evaluate_model(m, pt)
    assert len(ev.pattern) == len(ev.labels)


def test_mpmath_evaluation_agrees_with_exact_and_handles_softmax():
    from splinesym.numeric.evaluate import evaluate_mpmath

    m = model_from_dict(random_model("encoder", seed=2, tokens=2, dim=1, layers=2))
    pt = [Fraction(3, 7), Fraction(-5, 3)]
    ex, mp = evaluate_exact(m, pt), evaluate_mpmath(m, pt, dps=60)
    assert ex.pattern == mp.pattern
    assert all(abs(float(a) - float(b)) < 1e-40 * max(1, abs(float(a)))
               for a, b in zip(ex.outputs, mp.outputs))
    d = random_model("attention", seed=2, tokens=2, dim=1)
    d["encoder"][0]["self_attention"]["activation"] = "softmax"
    out = evaluate_mpmath(model_from_dict(d), pt, dps=30)
    assert out.pattern == () and len(out.outputs) == 2


def test_pattern_names_the_cell_of_the_expansion():
    m = model_from_dict(random_model("encoder_block", seed=3, tokens=2, dim=1, hidden=2))
    sp = expand_model(m, merge=False)
    pats = [activation_pattern(m, p.witness) for p in sp.pieces]
    assert all(0 not in p for p in pats)
    # the exact engine splits by irreducible factors, so its cells refine the activation
    # regions: cells with one activation pattern carry one polynomial map
    by_pattern: dict = {}
    for pat, p in zip(pats, sp.pieces):
        by_pattern.setdefault(pat, set()).add(tuple(sp.ring.format(v) for v in p.values))
    assert all(len(v) == 1 for v in by_pattern.values())
    assert 1 < len(by_pattern) <= len(pats)


# ------------------------------------------------------------------------------------------
# 2. degrees by exact interpolation on lines
def test_interpolation_and_root_exclusion_are_exact():
    t = flint.fmpq_poly([0, 1])
    p = (t - 3) * (t + flint.fmpq(1, 3)) * (t * t + 1)
    r = segment_radius([p])
    assert r < Fraction(1, 3) and 2 * r >= Fraction(1, 3) / 2
    nodes = [Fraction(i, 7) for i in range(-3, 4)]
    q = flint.fmpq_poly([5, 0, -2, 0, 0, 1, 3])
    assert interpolate(nodes, [q(flint.fmpq(x.numerator, x.denominator)) for x in nodes]) == q


@settings(max_examples=11, deadline=None)
@given(st.sampled_from(sorted(KINDS)), st.integers(0, 30))
def test_line_degree_equals_the_expanded_degree_on_every_piece(kind, seed):
    m = small_model(kind, seed)
    sp = expand_model(m, merge=False)
    assert sp.complete
    bound = structural_degree(m)["joint"]
    rng = random.Random(seed)
    degs = piece_degrees(sp, m)
    got = []
    for p, d in zip(sp.pieces, degs):
        v = [rng.randint(-100, 100) or 1 for _ in m.variables()]
        w = interior_point(m, sp, p, rng)
        ld = line_degree(m, w, v, bound)
        assert ld["agrees"], "interpolant differs from the exact restriction"
        assert ld["pattern"] == activation_pattern(m, w)
        assert max(ld["degrees"]) == d["joint"], (kind, seed, p)
        got.append(max(ld["degrees"]))
    assert max(got) == max(d["joint"] for d in degs)


def test_degree_81_on_a_4_layer_encoder():
    m = model_from_dict(random_model("encoder", seed=1, tokens=2, dim=1, layers=4))
    rep = degree_survey(m, points=6, seed=0)
    assert rep["bound"]["joint"] == 81 and rep["attained"]["joint"] == 81
    assert rep["interpolation_agrees_with_restriction"]
    assert rep["label"] == "interpolated (exact on a line)"


def test_degree_survey_of_a_decoder_reports_x_and_y():
    m = model_from_dict(random_model("cross", seed=2, tokens=2, dim=1))
    rep = degree_survey(m, points=6, seed=1)
    assert rep["bound"] == {"joint": 3, "x": 2, "y": 1}
    assert rep["attained"] == rep["bound"]


# ------------------------------------------------------------------------------------------
# 3. Schwartz--Zippel
def test_schwartz_zippel_detects_a_wrong_piece_and_bounds_the_error():
    m = model_from_dict(random_model("encoder_block", seed=3, tokens=2, dim=1, hidden=2))
    sp = expand_model(m)
    md = json.loads(json.dumps(spline_to_dict(sp)))
    from splinesym.nn.model import model_to_dict

    p = sp.pieces[0]
    task = {"model": model_to_dict(m), "variables": list(sp.variables),
            "values": [sp.ring.format(v) for v in p.values],
            "witness": [str(c) for c in p.witness], "degree": 3, "trials": 10, "seed": 0,
            "index": 0}
    ok = piece_task(task)
    assert ok["equal"] is True and ok["per_point_bound"] == str(Fraction(3, 2**61))
    # a perturbation that vanishes at the witness: only the identity test can see it
    w = p.witness
    bad = dict(task, values=[f"({v}) + (x1_1 - ({w[0]}))**2" for v in task["values"]])
    res = piece_task(bad)
    assert res["equal"] is False and res["method"] == "Schwartz-Zippel"
    pt = [Fraction(c) for c in res["counterexample"]]
    assert cell_map(m, activation_pattern(m, w), pt) != [
        sp.ring.evaluate(sp.ring.parse(v), pt) for v in bad["values"]]
    assert md["complete"]


def test_schwartz_zippel_on_a_known_identity():
    r = schwartz_zippel(lambda x: [(x[0] - x[1]) * (x[0] + x[1])],
                        lambda x: [x[0] ** 2 - x[1] ** 2], nvars=2, degree=2, trials=3)
    assert r["equal"] and r["error_bound"] == str(Fraction(2, 2**61) ** 3)
    r = schwartz_zippel(lambda x: [x[0] * x[1]], lambda x: [x[1] * x[0] + 1], nvars=2,
                        degree=2, trials=3)
    assert r["equal"] is False


# ------------------------------------------------------------------------------------------
# 4. the sampled census
def test_census_finds_the_exact_cells_with_exact_witnesses():
    m = model_from_dict(random_model("attention", seed=5, tokens=2, dim=2))
    sp = expand_model(m, merge=False)
    exact = {pattern_str(activation_pattern(m, p.witness)) for p in sp.pieces}
    c = cell_census(m, samples=60000, batch=20000, seed=0)
    assert c["label"] == "sampled"
    assert {x["pattern"] for x in c["cells"]} == exact
    for x in c["cells"]:
        pt = [Fraction(v) for v in x["witness"]]
        assert pattern_str(evaluate_exact(m, pt).pattern) == x["pattern"]


def test_richness_estimates():
    e = richness_estimates([10, 1, 1, 1, 2], 15)
    assert e["chao1"] == 5 + 9 / 2 and e["singletons"] == 3
    assert e["rarefaction"][-1] == [15, 5.0]


@pytest.mark.slow
def test_census_on_3x3_attention_matches_the_exact_engine():
    m = model_from_dict(json.loads((ROOT / "examples/models/attention_3x3.json").read_text()))
    sp = expand_model(m, merge=False, time_limit=300, solver_timeout=5)
    exact = {pattern_str(activation_pattern(m, p.witness)) for p in sp.pieces
             if p.witness is not None}
    c = cell_census(m, samples=1_000_000, seed=1)
    got = {x["pattern"] for x in c["cells"]}
    assert not (got - exact), "a sampled cell the exact engine does not have"
    assert got == exact


# ------------------------------------------------------------------------------------------
# 5. incremental expansion that keeps what it has, and resume
def test_incremental_expansion_equals_the_exact_engine():
    for kind, seed in (("encoder_block", 2), ("cross", 1), ("masked", 3)):
        m = small_model(kind, seed)
        st = expand_incremental(m)
        assert st.complete
        assert canon(state_spline(st, m, merge=False)) == canon(expand_model(m, merge=False))


def test_budget_keeps_finished_cells_and_resume_gives_the_same_result():
    m = model_from_dict(random_model("encoder", seed=1, tokens=2, dim=1, layers=2, hidden=1))
    full = expand_incremental(m)
    for frac in (0.5, 0.7, 0.9):  # a budget that stops after some cells are finished
        part = expand_incremental(m, max_cells=int(full.patterns * frac))
        if part.finished:
            break
    assert not part.complete and part.finished and part.pending
    sp = state_spline(part, m)
    assert not sp.complete and len(sp.pieces) == len(part.finished) and sp.unexpanded
    for p in sp.pieces:  # every kept cell is right at its witness
        assert [sp.ring.evaluate(v, p.witness) for v in p.values] == \
            evaluate_model(m, p.witness)
    again = state_from_dict(json.loads(json.dumps(state_to_dict(part))))
    done = expand_incremental(m, state=again)
    assert done.complete
    assert json.dumps(spline_to_dict(state_spline(done, m))) == \
        json.dumps(spline_to_dict(state_spline(full, m)))


@pytest.mark.slow
def test_2x2_two_layer_encoder_under_a_budget_keeps_its_finished_cells():
    m = model_from_dict(random_model("encoder", seed=0, tokens=2, dim=2, layers=2, hidden=2))
    st = expand_incremental(m, time_limit=240, solver_timeout=2)
    assert st.finished
    sp = state_spline(st, m)
    assert len(sp.pieces) == len(st.finished)
    for p in sp.pieces:
        if p.witness is not None:
            assert [sp.ring.evaluate(v, p.witness) for v in p.values] == \
                evaluate_model(m, p.witness)
    if not st.complete:
        more = expand_incremental(m, state=state_from_dict(state_to_dict(st)), time_limit=60,
                                  solver_timeout=2)
        assert len(more.finished) >= len(st.finished)


def test_state_reader_rejects_bad_files():
    from splinesym.errors import InvalidInputError

    with pytest.raises(InvalidInputError, match="unknown version"):
        state_from_dict({"format": "splinesym.expansion-state/2"})
    m = random_model("ffn", seed=0, tokens=1, dim=1)
    with pytest.raises(InvalidInputError, match=r"pending\[0\]"):
        state_from_dict({"format": "splinesym.expansion-state/1", "model": m, "finished": [],
                         "pending": [{"region": [["x1_1", "?"]]}]})


# ------------------------------------------------------------------------------------------
# 6. jobs and Dask give the same bytes as the serial run
def _cli(*args, cwd):
    """Run the CLI in this process (its exit status, stdout and stderr)."""
    import contextlib
    import io
    import os

    from splinesym.cli import main

    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main([str(a) for a in args])
            except SystemExit as exc:  # argparse
                code = exc.code
    finally:
        os.chdir(old)
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


def test_jobs_and_dask_give_identical_bytes(tmp_path):
    distributed = pytest.importorskip("distributed")
    m = model_from_dict(random_model("encoder", seed=1, tokens=2, dim=1, layers=2))
    serial = degree_survey(m, points=4, seed=3)
    jobs = degree_survey(m, points=4, seed=3, jobs=2)
    att = model_from_dict(json.loads((ROOT / "examples/models/attention_3x3.json").read_text()))
    kw = {"samples": 50000, "batch": 10000, "seed": 2, "probe_rounds": 2, "margin_search": 8}
    c1 = cell_census(att, **kw)
    c2 = cell_census(att, **kw, jobs=2)
    small = small_model("encoder_block", 2)
    e1 = state_to_dict(expand_incremental(small))
    e2 = state_to_dict(expand_incremental(small, jobs=2))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        dask = degree_survey(m, points=4, seed=3, scheduler=cluster.scheduler_address)
        c3 = cell_census(att, **kw, scheduler=cluster.scheduler_address)
        e3 = state_to_dict(expand_incremental(small, scheduler=cluster.scheduler_address))
    assert json.dumps(serial) == json.dumps(jobs) == json.dumps(dask)
    assert json.dumps(c1) == json.dumps(c2) == json.dumps(c3)
    assert c1["cells_by_probes"] > 0  # the probes (grouped into tasks) ran
    assert json.dumps(e1) == json.dumps(e2) == json.dumps(e3)


def test_cli_degree_cells_and_option_errors(tmp_path):
    model = tmp_path / "enc.json"
    model.write_text(json.dumps(random_model("encoder", seed=1, tokens=2, dim=1, layers=2)))
    r = _cli("degree", str(model), "--points", "5", "--format", "json", "--out", "a.json",
             cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    r = _cli("degree", str(model), "--points", "5", "--format", "json", "--out", "b.json",
             "--jobs", "2", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    assert json.loads((tmp_path / "a.json").read_text())["attained"]["joint"] == 9
    r = _cli("expand", "--model", str(model), "--numeric", "--samples", "20000",
             "--probe-rounds", "1", "--margin-search", "4", cwd=tmp_path)
    assert r.returncode == 0 and "SAMPLED census" in r.stdout
    r = subprocess.run([sys.executable, "-m", "splinesym.cli", "degree", str(model), "--jobs",
                        "0"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 2 and r.stderr.strip() == \
        "splinesym degree: error: --jobs: must be a positive integer, got 0"
    for bad in (["degree", str(model), "--seed", "-1"],
                ["cells", str(model), "--samples", "0"],
                ["expand", "--model", str(model), "--resume", "missing.json"]):
        r = _cli(*bad, cwd=tmp_path)
        assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1, (bad, r.stderr)
    r = _cli("expand", "--model", str(model), "--incremental", "--max-cells", "30",
             "--format", "json", "--out", "part.json", cwd=tmp_path)
    assert r.returncode == 3 and (tmp_path / "part.json.state").exists()
    part = json.loads((tmp_path / "part.json").read_text())
    assert part["complete"] is False and part["unexpanded"]
    r = _cli("expand", "--resume", "part.json.state", "--format", "json", "--out", "done.json",
             cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    r = _cli("expand", "--model", str(model), "--incremental", "--format", "json", "--out",
             "full.json", cwd=tmp_path)
    assert (tmp_path / "done.json").read_bytes() == (tmp_path / "full.json").read_bytes()
    r = _cli("certify", str(model), "--numeric", "--pieces", "full.json", "--points", "3",
             "--trials", "3", cwd=tmp_path)
    assert r.returncode == 0 and " 0 DIFFERENT" in r.stdout, r.stdout + r.stderr
    full = json.loads((tmp_path / "full.json").read_text())
    full["pieces"][0]["values"][0] += " + x1_1**2 - x1_1**2 + 1"
    (tmp_path / "bad.json").write_text(json.dumps(full))
    r = _cli("certify", str(model), "--numeric", "--pieces", "bad.json", "--points", "3",
             "--trials", "3", cwd=tmp_path)
    assert r.returncode == 1 and "1 DIFFERENT" in r.stdout
