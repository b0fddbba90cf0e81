"""Every transformer component as a spline.

For each component (masked, multi-head with WO and scale, biases, cross attention, encoder block,
decoder block, 2-layer encoder, 1+1-layer transformer) the expansion is compared with the exact
forward pass at hundreds of random rational points: every point lies in exactly one piece, the
piece's value is the forward pass, and every witness checks exactly. The forward pass itself is
checked against an independent, loop-by-loop reference implementation of docs/DESIGN.md §2.
"""

import json
import random
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oracle import assert_matches_oracle, random_point

from splinesym import expand_model, model_from_dict
from splinesym.cells import check_witness
from splinesym.cli import main
from splinesym.nn.expand import attained_degree, verify_expansion
from splinesym.nn.forward import evaluate_model
from splinesym.nn.zoo import random_model

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "models"


# ----------------------------------------------------------------------------------------------
# an independent reference: docs/DESIGN.md §2 written out with loops over Fractions
def _mat(rows):
    return [[Fraction(v) for v in r] for r in rows]


def _mul(A, B):
    return [[sum((A[i][k] * B[k][j] for k in range(len(B))), Fraction(0))
             for j in range(len(B[0]))] for i in range(len(A))]


def _add_row(A, b):
    return [[a + Fraction(v) for a, v in zip(row, b)] for row in A]


def _add(A, B):
    return [[a + b for a, b in zip(r, s)] for r, s in zip(A, B)]


def _relu(v):
    return v if v > 0 else Fraction(0)


def ref_attention(att, Zq, Zkv):
    outs = []
    scale = Fraction(att.get("scale", 1))
    for h in att["heads"]:
        Q, K, V = _mul(Zq, _mat(h["WQ"])), _mul(Zkv, _mat(h["WK"])), _mul(Zkv, _mat(h["WV"]))
        if "bQ" in h:
            Q, K, V = _add_row(Q, h["bQ"]), _add_row(K, h["bK"]), _add_row(V, h["bV"])
        out = []
        for i in range(len(Zq)):
            row = [Fraction(0)] * len(V[0])
            for j in range(len(Zkv)):
                if att.get("mask", "none") == "causal" and j > i:
                    continue       # masked entries contribute 0
                a = _relu(scale * sum(q * k for q, k in zip(Q[i], K[j])))
                row = [r + a * v for r, v in zip(row, V[j])]
            out.append(row)
        outs.append(out)
    H = [sum((o[i] for o in outs), []) for i in range(len(Zq))]    # concatenate by columns
    return _mul(H, _mat(att["WO"])) if "WO" in att else H


def ref_ffn(f, Z):
    P = _mul(Z, _mat(f["W1"]))
    if "b1" in f:
        P = _add_row(P, f["b1"])
    out = _mul([[_relu(v) for v in r] for r in P], _mat(f["W2"]))
    return _add_row(out, f["b2"]) if "b2" in f else out


def ref_block(b, Z, memory=None):
    res = b.get("residual", True)
    on = (lambda k: res) if isinstance(res, bool) else (lambda k: res.get(k, True))
    if "self_attention" in b:
        A = ref_attention(b["self_attention"], Z, Z)
        Z = _add(Z, A) if on("attention") else A
    if "cross_attention" in b:
        C = ref_attention(b["cross_attention"], Z, memory)
        Z = _add(Z, C) if on("cross") else C
    if "ffn" in b:
        F = ref_ffn(b["ffn"], Z)
        Z = _add(Z, F) if on("ffn") else F
    return Z


def ref_model(d, point):
    n, k = d["tokens"], d["dim"]
    X = [point[i * k:(i + 1) * k] for i in range(n)]
    Z = _mul(X, _mat(d["embed"])) if "embed" in d else X
    for b in d.get("encoder", []):
        Z = ref_block(b, Z)
    if d.get("decoder"):
        memory = Z
        tk = d["target_dim"]
        off = n * k
        Z = [point[off + i * tk: off + (i + 1) * tk] for i in range(d["target_tokens"])]
        if "target_embed" in d:
            Z = _mul(Z, _mat(d["target_embed"]))
        for b in d["decoder"]:
            Z = ref_block(b, Z, memory)
    if "readout" in d:
        Z = _mul(Z, _mat(d["readout"]))
    return [v for row in Z for v in row]


# ----------------------------------------------------------------------------------------------
# the components, tiny and seeded: (kind, options, seed)
COMPONENTS = {
    "attention_2x2": ("attention", dict(tokens=2, dim=2), 0),
    "masked_3x1": ("masked", dict(tokens=3, dim=1), 0),
    "masked_2x2": ("masked", dict(tokens=2, dim=2), 0),
    "multihead_wo_scale": ("multihead", dict(tokens=2, dim=2), 0),
    "biases": ("biases", dict(tokens=2, dim=2, rational=True), 0),
    "cross_y2x1_x2x2": ("cross", dict(tokens=2, dim=2, target_tokens=2, target_dim=1), 0),
    "cross_y2x2_x2x1": ("cross", dict(tokens=2, dim=1, target_tokens=2, target_dim=2), 1),
    "encoder_block_2x2": ("encoder_block", dict(tokens=2, dim=2, hidden=1), 0),
    "encoder_block_3x1": ("encoder_block", dict(tokens=3, dim=1, hidden=2), 0),
    "decoder_block": ("decoder_block", dict(tokens=2, dim=1, hidden=1), 1),
    "encoder_2_layers": ("encoder", dict(tokens=2, dim=1, layers=2, hidden=1), 0),
    "transformer_1_1": ("transformer", dict(tokens=2, dim=1, layers=1, hidden=1), 3),
}

_CACHE: dict = {}


def expanded(name):
    if name not in _CACHE:
        kind, opts, seed = COMPONENTS[name]
        d = random_model(kind, seed=seed, **opts)
        m = model_from_dict(d)
        _CACHE[name] = (d, m, expand_model(m, time_limit=240))
    return _CACHE[name]


@pytest.mark.parametrize("name", sorted(COMPONENTS))
def test_component_expansion_equals_forward_pass(name):
    d, m, sp = expanded(name)
    assert sp.complete, sp.notes
    assert all(p.status == "witness" for p in sp.pieces)
    # the shared oracle: 300 random rational points, one piece each, exact values, witnesses
    assert_matches_oracle(m, sp, 300, seed=7)
    # again with points of all sizes, re-drawn off the walls (and the witnesses re-checked)
    r = verify_expansion(m, sp, points=300, seed=11)
    assert r["mismatches"] == [] and r["located"] == {1: 300}
    assert r["witnesses_checked"] == len(sp.pieces) and r["witnesses_failed"] == 0
    for p in sp.pieces:
        assert check_witness(sp.conditions(p.region), p.witness)
    # and against the loop-by-loop reference, at the witnesses
    for p in sp.pieces[:40]:
        vals = [sp.ring.evaluate(v, p.witness) for v in p.values]
        assert vals == ref_model(d, list(p.witness))


@pytest.mark.parametrize("name", sorted(COMPONENTS))
def test_component_degree_within_structural_bound(name):
    d, m, sp = expanded(name)
    got, bound = attained_degree(sp, m), sp.stats["structural_degree"]
    assert all(got[g] <= bound[g] for g in ("joint", "x", "y")), (got, bound)


@pytest.mark.parametrize("kind", ["attention", "masked", "multihead", "biases", "cross", "ffn",
                                  "encoder_block", "decoder_block", "encoder", "decoder",
                                  "transformer"])
def test_forward_pass_matches_reference(kind):
    rng = random.Random(kind)
    for seed in range(3):
        d = random_model(kind, seed=seed, tokens=3, dim=2, target_tokens=2, target_dim=3,
                         layers=2, hidden=3, rational=True, nonzero=False)
        m = model_from_dict(d)
        for _ in range(5):
            pt = random_point(rng, len(m.variables()))
            assert evaluate_model(m, pt) == ref_model(d, pt)


def test_masked_token_sees_only_the_past():
    d, m, sp = expanded("masked_3x1")
    # out1 depends on x1 only, out2 on x1, x2; no break comes from a masked (query, key) pair
    for p in sp.pieces:
        assert all(e[1] == 0 and e[2] == 0 for e in p.values[0].monoms())
        assert all(e[2] == 0 for e in p.values[1].monoms())
    labels = [lb for lbs in sp.break_labels for lb in lbs]
    assert labels and not any("(query 1, key 2)" in lb or "(query 1, key 3)" in lb
                              or "(query 2, key 3)" in lb for lb in labels)


def test_cross_attention_degrees_and_labels():
    d, m, sp = expanded("cross_y2x1_x2x2")
    nx = m.tokens * m.dim
    from splinesym.poly import poly_degree_in

    ys = list(range(nx, len(sp.variables)))
    xs = list(range(nx))
    assert max(poly_degree_in(v, xs) for p in sp.pieces for v in p.values) == 2
    assert max(poly_degree_in(v, ys) for p in sp.pieces for v in p.values) == 1
    assert all("decoder 1 cross-attention head 1 (query" in lb
               for lbs in sp.break_labels for lb in lbs)


def test_multihead_is_sum_over_heads_through_wo():
    # two heads with WO = [I; I] give the sum of the two single-head attentions
    h1 = {"WQ": [[1, 2], [0, 1]], "WK": [[1, 0], [1, 1]], "WV": [[1, 0], [0, 2]]}
    h2 = {"WQ": [[0, 1], [1, 0]], "WK": [[2, 0], [0, -1]], "WV": [[-1, 1], [0, 1]]}

    def model(heads, wo=None, scale=1):
        att = {"heads": heads, "scale": scale}
        if wo:
            att["WO"] = wo
        return model_from_dict({"format": "splinesym.model/1", "tokens": 2, "dim": 2,
                                "encoder": [{"self_attention": att, "residual": False}]})

    both = model([h1, h2], [[1, 0], [0, 1], [1, 0], [0, 1]], "1/3")
    one, two = model([h1], scale="1/3"), model([h2], scale="1/3")
    sp1, sp2 = expand_model(one), expand_model(two)
    rng = random.Random(3)
    for _ in range(100):
        pt = random_point(rng, 4)
        want = [a + b for a, b in zip(sp1.evaluate(pt), sp2.evaluate(pt))]
        assert evaluate_model(both, pt) == want
    # the expansion of the two-head layer itself is checked in
    # test_component_expansion_equals_forward_pass[multihead_wo_scale]


def test_biases_make_affine_and_quadratic_breaks():
    d, m, sp = expanded("biases")
    # biased scores are quadrics with linear and constant terms
    assert any(b.total_degree() == 2 and any(sum(e) < 2 for e in b.monoms())
               for b in sp.breaks)


def test_residual_switches():
    base = random_model("encoder_block", seed=5, tokens=2, dim=1, hidden=1)
    for res in ({"attention": False, "ffn": True}, {"attention": True, "ffn": False}, False):
        d = json.loads(json.dumps(base))
        d["encoder"][0]["residual"] = res
        m = model_from_dict(d)
        sp = expand_model(m)
        assert sp.complete
        assert_matches_oracle(m, sp, 100, seed=1)
        rng = random.Random(2)
        for _ in range(20):
            pt = random_point(rng, 2)
            assert evaluate_model(m, pt) == ref_model(d, pt)


def test_embed_and_readout():
    d = json.loads((EXAMPLES / "embed_readout.json").read_text())
    m = model_from_dict(d)
    sp = expand_model(m)
    assert sp.complete and sp.outputs == ["out1_1", "out2_1"]
    assert_matches_oracle(m, sp, 200, seed=3)
    for p in sp.pieces:
        assert [sp.ring.evaluate(v, p.witness) for v in p.values] == ref_model(d, p.witness)


def test_merge_keeps_the_function_and_the_labels():
    kind, opts, seed = COMPONENTS["encoder_block_3x1"]
    m = model_from_dict(random_model(kind, seed=seed, **opts))
    raw = expand_model(m, merge=False)
    merged = expand_model(m)
    assert len(merged.pieces) <= len(raw.pieces)
    assert merged.stats["cells_before_merge"] == len(raw.pieces)
    assert_matches_oracle(m, merged, 150, seed=5)
    # every merged region is again a sign condition on the (re-indexed) breaks with a witness
    for p in merged.pieces:
        assert p.status == "witness" and check_witness(merged.conditions(p.region), p.witness)
    assert all(lbs for lbs in merged.break_labels)


def test_empty_refinements_are_pruned_with_core_labels():
    d, m, sp = expanded("transformer_1_1")
    dec = sp.stats["decisions"]
    assert any(k.startswith("empty-") for k in dec)
    assert set(k.split(":")[0] for k in dec) <= {"witness", "empty-farkas", "empty-psatz",
                                                 "empty-solver", "undecided"}
    stages = [s["stage"] for s in sp.stats["stages"]]
    assert stages == ["encoder 1 self-attention head 1", "encoder 1 FFN",
                      "decoder 1 self-attention head 1", "decoder 1 cross-attention head 1",
                      "decoder 1 FFN"]


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10**6), st.sampled_from(["masked", "multihead", "biases", "cross"]))
def test_random_attention_variants(seed, kind):
    d = random_model(kind, seed=seed, tokens=2, dim=2, target_tokens=2, target_dim=1,
                     rational=True, nonzero=False)
    m = model_from_dict(d)
    sp = expand_model(m, time_limit=60)
    assert sp.complete
    assert_matches_oracle(m, sp, 100, seed=seed)
    assert sp.max_degree() <= 3


# ----------------------------------------------------------------------------------------------
# the CLI on one example model of every kind
FAST_EXAMPLES = ["attention", "masked", "multihead", "cross", "decoder", "embed_readout",
                 "symbolic_attention", "ffn_12x4"]
SLOW_EXAMPLES = ["encoder2", "transformer"]


def _cli_expand(name, capsys):
    path = EXAMPLES / f"{name}.json"
    assert main(["expand", "--model", str(path), "--time-limit", "200"]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("name", FAST_EXAMPLES)
def test_cli_expand_examples(name, capsys):
    out = _cli_expand(name, capsys)
    assert "summary:" in out and "structural degree bound" in out
    if name == "ffn_12x4":
        assert "FFN unit" in out
    elif name == "decoder":
        assert "decoder 1 self-attention head 1 (query 2, key 1)" in out
        assert "decoder 1 cross-attention head 1 (query" in out
        assert "decoder 1 FFN unit 1 (token" in out
    elif name == "symbolic_attention":
        assert "weight symbols: a, b, c" in out and "symbolic weights" in out
    else:
        assert "self-attention head 1 (query" in out or "cross-attention" in out
    if name == "multihead":
        assert "head 2 (query" in out


@pytest.mark.slow
@pytest.mark.parametrize("name", SLOW_EXAMPLES)
def test_cli_expand_slow_examples(name, capsys):
    out = _cli_expand(name, capsys)
    assert "complete: yes" in out and "max degree 9" in out
    assert "encoder 1 self-attention head 1 (query 1, key 2)" in out
    assert "FFN unit 1 (token 1)" in out


def test_cross_attention_multihead_with_wo_biases_scale_and_mask():
    def head(a, b, c):
        return {"WQ": [[a, 1]], "WK": [[1, b], [0, 1]], "WV": [[c], [1]], "bQ": [1, -1],
                "bK": [0, 2],
                "bV": ["1/2"]}

    d = {"format": "splinesym.model/1", "tokens": 2, "dim": 1, "target_tokens": 2,
         "target_dim": 1, "embed": [[1, -1]],
         "decoder": [{"cross_attention": {"heads": [head(1, 2, -1), head(-2, 1, 3)],
                                          "WO": [[1], [2]], "scale": "1/3", "mask": "causal"},
                      "residual": True}],
         "readout": [[2]]}
    m = model_from_dict(d)
    sp = expand_model(m)
    assert sp.complete and sp.stats["structural_degree"] == {"joint": 3, "x": 2, "y": 1}
    assert attained_degree(sp, m)["joint"] <= 3
    assert_matches_oracle(m, sp, 200, seed=4)
    rng = random.Random(9)
    for _ in range(20):
        pt = random_point(rng, 4)
        assert evaluate_model(m, pt) == ref_model(d, pt)
    # query 1 sees key 1 only
    assert not any("(query 1, key 2)" in lb for lbs in sp.break_labels for lb in lbs)
