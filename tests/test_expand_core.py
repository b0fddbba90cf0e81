"""Attention and FFN expansions against the exact forward pass, degenerate weights."""

import random
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oracle import assert_matches_oracle

from splinesym import default_model, expand_model, model_from_dict
from splinesym.cells import zaslavsky_count


def att_model(WQ, WK, WV, residual=False, tokens=2, **extra):
    head = {"WQ": WQ, "WK": WK, "WV": WV, **extra}
    return model_from_dict({"format": "splinesym.model/1", "tokens": tokens, "dim": len(WQ),
                            "encoder": [{"self_attention": {"heads": [head]},
                                         "residual": residual}]})


def ffn_model(W1, W2, b1=None, b2=None, residual=False, tokens=1):
    f = {"W1": W1, "W2": W2}
    if b1 is not None:
        f["b1"] = b1
    if b2 is not None:
        f["b2"] = b2
    return model_from_dict({"format": "splinesym.model/1", "tokens": tokens, "dim": len(W1),
                            "encoder": [{"ffn": f, "residual": residual}]})


def rational(rng, lo=-3, hi=3):
    return f"{rng.randint(lo * 4, hi * 4)}/{rng.choice([1, 2, 4])}"


def mat(rng, r, c):
    return [[rational(rng) for _ in range(c)] for _ in range(r)]


def test_default_example_is_a_cubic_spline():
    m = default_model()
    sp = expand_model(m)
    assert sp.complete and sp.max_degree() == 3
    assert all(p.status == "witness" for p in sp.pieces)
    assert_matches_oracle(m, sp, 300)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10**6), st.booleans())
def test_random_attention_matches_forward(seed, residual):
    rng = random.Random(seed)
    m = att_model(mat(rng, 2, 2), mat(rng, 2, 2), mat(rng, 2, 2), residual)
    sp = expand_model(m, solver_timeout=5)
    assert_matches_oracle(m, sp, 150, seed)
    assert sp.max_degree() <= 3


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10**6), st.integers(1, 5), st.integers(1, 3), st.booleans())
def test_random_ffn_matches_forward(seed, hidden, dim, residual):
    rng = random.Random(seed)
    m = ffn_model(mat(rng, dim, hidden), mat(rng, hidden, dim),
                  [rational(rng) for _ in range(hidden)], [rational(rng) for _ in range(dim)],
                  residual)
    sp = expand_model(m, merge=False)
    assert sp.complete
    assert_matches_oracle(m, sp, 150, seed)
    assert all(p.status == "witness" for p in sp.pieces)
    zs = sp.stats.get("arrangements")
    if zs:
        assert zs[0]["regions_witnessed"] == zs[0]["zaslavsky"] == len(sp.pieces)


def test_wq_equals_wk_breaks_coincide():
    W = [[1, 2], [-1, 1]]
    m = att_model(W, W, [[1, 0], [0, 1]])
    sp = expand_model(m)
    # S12 = x1 A x2 and S21 = x2 A x1 with A = W W^T symmetric: one break, and the diagonal
    # forms x_i A x_i are positive definite, so they never change sign
    assert len(sp.breaks) == 1
    assert len(sp.break_labels[0]) == 2
    assert len(sp.stats["sign_definite_factors"]) == 2
    assert_matches_oracle(m, sp, 200)


def test_rank_one_product_factors_into_affine_breaks():
    # WQ WK^T = u v^T: S_ij = (x_i.u)(x_j.v), every quadric factors
    m = att_model([[1], [2]], [[1], [-1]], [[1, 0], [0, 1]])
    sp = expand_model(m)
    assert all(b.total_degree() == 1 for b in sp.breaks)
    assert len(sp.breaks) == 4
    assert sp.complete
    assert_matches_oracle(m, sp, 200)


def test_zero_weights_have_no_breaks():
    m = att_model([[0, 0], [0, 0]], [[0, 0], [0, 0]], [[1, 2], [3, 4]])
    sp = expand_model(m)
    assert sp.breaks == [] and len(sp.pieces) == 1
    assert all(v.is_zero() for v in sp.pieces[0].values)
    m = ffn_model([[0, 0]], [[1], [1]])
    sp = expand_model(m)
    assert sp.breaks == [] and len(sp.pieces) == 1


def test_zero_row_in_w1():
    # the second input feeds no hidden unit: breaks only involve x1_1
    m = ffn_model([[1, -1, 2], [0, 0, 0]], [[1, 0], [0, 1], [1, 1]], [0, 1, -1])
    sp = expand_model(m, merge=False)
    assert all(sp.ring.degree_in(b, ["x1_2"]) == 0 for b in sp.breaks)
    assert len(sp.pieces) == zaslavsky_count(sp.breaks, 2) == 4
    assert_matches_oracle(m, sp, 200)


def test_zero_hidden_unit_column():
    m = ffn_model([[1, 0], [1, 0]], [[1], [5]], [Fraction(-1), 0])
    sp = expand_model(m)
    assert len(sp.breaks) == 1
    assert_matches_oracle(m, sp, 100)


def test_merge_joins_equal_neighbours():
    # relu(x) - relu(x) + relu(y): the x-break disappears after merging
    m = ffn_model([[1, 1, 0], [0, 0, 1]], [[1], [-1], [1]])
    merged = expand_model(m)
    raw = expand_model(m, merge=False)
    assert len(raw.pieces) == 4 and len(merged.pieces) == 2
    m2 = ffn_model([[1, -1], [0, 0]], [[1], [-1]])   # relu(x) - relu(-x) = x: one piece
    assert len(expand_model(m2).pieces) == 1
    assert len(expand_model(m2, merge=False, odd_pairs=False).pieces) == 2


def test_odd_pairs_never_split():
    # relu(x) - relu(-x) = x exactly: with odd pairs (the default) x is no break at all
    m2 = ffn_model([[1, -1], [0, 0]], [[1], [-1]])
    raw = expand_model(m2, merge=False)
    assert len(raw.pieces) == 1 and raw.breaks == []
    assert raw.stats["odd_pair_identities"][0]["pairs"] == [[1, 2]]
    assert_matches_oracle(m2, raw, 50)
    # the same units with equal outgoing weights are |x|: not odd, x splits
    m3 = ffn_model([[1, -1], [0, 0]], [[1], [1]])
    assert len(expand_model(m3, merge=False).pieces) == 2


def test_ffn_12_by_4_matches_zaslavsky():
    rng = random.Random(2024)
    W1 = [[rng.randint(-5, 5) for _ in range(12)] for _ in range(4)]
    b1 = [rng.randint(-5, 5) for _ in range(12)]
    W2 = [[rng.randint(-5, 5)] for _ in range(12)]
    m = ffn_model(W1, W2, b1)
    sp = expand_model(m, merge=False)
    a = sp.stats["arrangements"][0]
    assert a["regions_witnessed"] == a["zaslavsky"] == len(sp.pieces)
    assert all(p.status == "witness" for p in sp.pieces)
    assert_matches_oracle(m, sp, 100)


def test_time_budget_reports_undecided():
    rng = random.Random(1)
    m = att_model(mat(rng, 3, 3), mat(rng, 3, 3), mat(rng, 3, 3), tokens=2)
    sp = expand_model(m, max_cells=3)
    assert not sp.complete
    assert any("budget" in n for n in sp.notes)
    assert any(p.status == "undecided" for p in sp.pieces)


@pytest.mark.slow
def test_attention_3x3_within_budget():
    rng = random.Random(3)
    m = att_model(mat(rng, 3, 3), mat(rng, 3, 3), mat(rng, 3, 3), tokens=3)
    sp = expand_model(m, time_limit=200, solver_timeout=5, merge=False)
    c = sp.counts()
    assert c.get("witness", 0) >= 480
    assert_matches_oracle(m, sp, 100)
