"""Symbolic weights.

Any weight entry may be a name. The expansion then gives, for each sign pattern of the breaks,
polynomials in the inputs whose coefficients are polynomials in the weight symbols; nothing can be
decided without numbers, so every pattern is kept, labelled ``undecided``, and the output says
so. Since the patterns cover (a dense subset of) inputs x weights, a degree bound shown on every
pattern holds for every weight. Each expansion is also checked at random points with random
weights against the exact forward pass of the model with those weights bound.
"""

import json

import sympy

from splinesym import expand_model, model_from_dict
from splinesym.cli import main
from splinesym.nn.expand import attained_degree, piece_degrees, verify_expansion
from splinesym.nn.model import bind_weights


def sym(prefix, r, c):
    return [[f"{prefix}{i}{j}" for j in range(1, c + 1)] for i in range(1, r + 1)]


def model(blocks, tokens=2, dim=1, **extra):
    return model_from_dict({"format": "splinesym.model/1", "tokens": tokens, "dim": dim,
                            "encoder": blocks, **extra})


def check_symbolic(m, sp, bound_x, points=60):
    # every pattern kept and labelled undecided, the output says it is per sign pattern
    assert sp.parameters == m.symbols()
    assert all(p.status == "undecided" for p in sp.pieces)
    assert not sp.complete
    assert any("symbolic weights" in n for n in sp.notes)
    # the degree in the inputs, pattern by pattern, never exceeds the bound, and attains it
    per = piece_degrees(sp, m)
    assert all(d["x"] <= bound_x for d in per)
    assert max(d["x"] for d in per) == bound_x
    assert sp.stats["structural_degree"]["x"] == bound_x
    # coefficients (as polynomials in the inputs) are polynomials in the weight symbols
    xs = [sympy.Symbol(v) for v in sp.variables]
    ws = {sympy.Symbol(w) for w in sp.parameters}
    for p in sp.pieces:
        for v in p.values:
            e = sp.ring.to_sympy(v)
            if e == 0:
                continue
            poly = sympy.Poly(e, *xs)
            for c in poly.coeffs():
                assert c.free_symbols <= ws and c.is_polynomial(*ws)
    # the sign patterns partition inputs x weights: random inputs *and* random weights
    r = verify_expansion(m, sp, points=points, seed=5)
    assert r["mismatches"] == [] and r["located"] == {1: points}


def test_attention_2x1_every_pattern_is_cubic():
    m = model([{"self_attention": {"heads": [{"WQ": [["a"]], "WK": [["b"]],
                                              "WV": [["c"]]}]}, "residual": False}])
    sp = expand_model(m, merge=False)
    R = sp.ring
    # breaks: the factors of the scores a*b*x_i*x_j (the squares x_i^2 never change sign)
    assert sorted(R.format(b) for b in sp.breaks) == ["a", "b", "x1_1", "x2_1"]
    assert len(sp.pieces) == 2 ** 4
    check_symbolic(m, sp, 3)
    # on the pattern where every break is positive all four scores fire:
    #   out_i = a b c x_i (x1^2 + x2^2)
    allpos = [p for p in sp.pieces if all(s > 0 for _, s in p.region)][0]
    assert R.format(allpos.values[0]) == "x1_1**3*a*b*c + x1_1*x2_1**2*a*b*c"
    assert R.format(allpos.values[1]) == "x1_1**2*x2_1*a*b*c + x2_1**3*a*b*c"
    # a*b < 0 (a > 0, b < 0) with x1, x2 of opposite signs: only the cross scores fire
    idx = {R.format(b): k for k, b in enumerate(sp.breaks)}
    p = [p for p in sp.pieces if p.region.sign(idx["a"]) > 0 and p.region.sign(idx["b"]) < 0
         and p.region.sign(idx["x1_1"]) > 0 and p.region.sign(idx["x2_1"]) < 0][0]
    assert [R.format(v) for v in p.values] == ["x1_1*x2_1**2*a*b*c", "x1_1**2*x2_1*a*b*c"]


def test_attention_2x2_full_symbolic_matrices():
    head = {"WQ": sym("q", 2, 2), "WK": sym("k", 2, 2), "WV": sym("v", 2, 2)}
    m = model([{"self_attention": {"heads": [head]}, "residual": False}], dim=2)
    assert len(m.symbols()) == 12
    sp = expand_model(m)
    check_symbolic(m, sp, 3, points=40)
    # the four scores are irreducible in inputs and weights: four breaks, 16 patterns
    assert len(sp.breaks) == 4 and len(sp.pieces) == 16
    assert all(any(e[:4] != (0, 0, 0, 0) for e in b.monoms()) for b in sp.breaks)


def test_masked_and_scaled_symbolic():
    m = model([{"self_attention": {"heads": [{"WQ": [["a"]], "WK": [["b"]], "WV": [["c"]]}],
                                   "mask": "causal", "scale": "s"}, "residual": False}],
              tokens=3)
    sp = expand_model(m)
    check_symbolic(m, sp, 3)
    # token 1 only sees itself
    for p in sp.pieces:
        assert all(e[1] == 0 and e[2] == 0 for e in p.values[0].monoms())


def test_encoder_block_every_pattern_within_bound():
    att = {"heads": [{"WQ": [["a"]], "WK": [["b"]], "WV": [["c"]]}]}
    ffn = {"W1": [["u1", "u2"]], "b1": ["e1", "e2"], "W2": [["w1"], ["w2"]]}
    m = model([{"self_attention": att, "ffn": ffn}])
    sp = expand_model(m)
    assert len(m.symbols()) == 9
    check_symbolic(m, sp, 3, points=60)
    # breaks of the FFN mix inputs and weights: u1*z + e1 with z the attention output
    R = sp.ring
    assert any("e1" in R.format(b) and "a*b*c" in R.format(b) for b in sp.breaks)


def test_encoder_block_2x2_with_numeric_and_symbolic_weights():
    att = {"heads": [{"WQ": [["a", 0], [0, 1]], "WK": [[1, 0], [0, "b"]],
                      "WV": [[1, 2], ["c", 1]]}]}
    ffn = {"W1": [[1], ["u"]], "b1": [-1], "W2": [[2, "w"]]}
    m = model([{"self_attention": att, "ffn": ffn}], dim=2)
    sp = expand_model(m)
    check_symbolic(m, sp, 3, points=40)


def test_cross_attention_symbolic_degrees_per_group():
    m = model_from_dict({
        "format": "splinesym.model/1", "tokens": 2, "dim": 1, "target_tokens": 2,
        "target_dim": 1, "decoder": [{"cross_attention": {"heads": [
            {"WQ": [["a"]], "WK": [["b"]], "WV": [["c"]]}]}, "residual": False}]})
    sp = expand_model(m)
    check_symbolic(m, sp, 2)
    assert attained_degree(sp, m) == {"joint": 3, "x": 2, "y": 1}
    assert all(d["y"] <= 1 and d["joint"] <= 3 for d in piece_degrees(sp, m))


def test_bound_weights_give_the_numeric_expansion():
    m = model([{"self_attention": {"heads": [{"WQ": [["a"]], "WK": [[2]], "WV": [["c"]]}]},
                "residual": False}])
    sp = expand_model(m)
    num = bind_weights(m, {"a": 3, "c": "-1/2"})
    assert num.symbols() == []
    spn = expand_model(num)
    assert spn.complete
    r = verify_expansion(m, sp, points=30, seed=1, weights={"a": 3, "c": "-1/2"})
    assert r["mismatches"] == []
    # the numeric pieces are the symbolic ones with the weights substituted
    R = sp.ring
    subs = {"a": 3, "c": -0.5}
    from fractions import Fraction

    subs = {k: Fraction(v) for k, v in subs.items()}
    numeric_values = {tuple(spn.ring.format(v) for v in p.values) for p in spn.pieces}
    symbolic_values = set()
    for p in sp.pieces:
        vals = tuple(R.format(R.substitute(v, subs)) for v in p.values)
        symbolic_values.add(vals)
    assert numeric_values <= symbolic_values


def test_cli_says_per_sign_pattern(tmp_path, capsys):
    path = tmp_path / "sym.json"
    path.write_text(json.dumps({
        "format": "splinesym.model/1", "tokens": 2, "dim": 1,
        "encoder": [{"self_attention": {"heads": [{"WQ": [["a"]], "WK": [["b"]],
                                                   "WV": [["c"]]}]}, "residual": False}]}))
    assert main(["expand", "--model", str(path)]) == 0
    out = capsys.readouterr().out
    assert "weight symbols: a, b, c" in out
    assert "note: symbolic weights: the pieces are all sign patterns" in out
    assert "complete: NO" in out
    assert "status: undecided" in out


def test_two_tokens_two_features_encoder_block_symbolic():
    head = {"WQ": sym("q", 2, 2), "WK": sym("k", 2, 2), "WV": sym("v", 2, 2)}
    ffn = {"W1": sym("u", 2, 1), "b1": ["e"], "W2": sym("w", 1, 2)}
    m = model([{"self_attention": {"heads": [head]}, "ffn": ffn}], dim=2)
    sp = expand_model(m)
    check_symbolic(m, sp, 3, points=30)
