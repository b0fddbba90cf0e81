"""Differential tests: every kernel routine against its library counterpart (or sympy)."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from splinesym.certify.local import ZeroAtPointError, local_polynomials
from splinesym.certify.smoothness import _candidates
from splinesym.errors import PolynomialSyntaxError
from splinesym.io.spline_io import spline_to_dict
from splinesym.kernel import grammar, univariate
from splinesym.kernel.grammar import Caps, GrammarError, parse_polynomial
from splinesym.kernel.model import NumOps, PolyOps, forward, read_model, structural_bound
from splinesym.kernel.poly import pvar
from splinesym.kernel.rules.walls import candidates
from splinesym.kernel.subject import Spline as KSpline
from splinesym.nn.expand import expand_model, structural_degree
from splinesym.nn.forward import evaluate_model
from splinesym.nn.model import model_from_dict
from splinesym.nn.zoo import KINDS, random_model
from splinesym.poly import PolyRing

NAMES = ["x", "y"]
R = PolyRing(NAMES)
TOKENS = ["x", "y", "2", "13", "0", "3/4", "+", "-", "*", "/", "**", "^", "(", ")", " ", "1.5",
          "2e2", "z", "$", "**2", "(x + 1)"]


def both(text):
    """(kernel result or 'error', library result or 'error') as coefficient dicts."""
    try:
        k = {tuple(e): Fraction(c) for e, c in parse_polynomial(text, NAMES).items()}
    except GrammarError:
        k = "error"
    try:
        p = R.parse(text)
        lib = {tuple(int(a) for a in e): Fraction(int(c.p), int(c.q))
               for e, c in zip(p.monoms(), p.coeffs())}
    except PolynomialSyntaxError:
        lib = "error"
    return k, lib


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=12))
def test_library_and_kernel_accept_the_same_language_with_the_same_meaning(toks):
    k, lib = both("".join(toks))
    assert k == lib


INT_TOKENS = ["x", "y", "2", "3", "7", "+", "-", "*", "**2", "**3", "(", ")", "/5", "^2"]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(INT_TOKENS), min_size=1, max_size=14))
def test_accepted_strings_mean_what_sympy_says(toks):
    text = "".join(toks)
    k, _ = both(text)
    if k == "error":
        return
    x, y = sympy.symbols("x y")
    expr = sympy.sympify(text.replace("^", "**"), locals={"x": x, "y": y})
    want = {e: Fraction(int(c.p), int(c.q)) for e, c in
            sympy.Poly(expr, x, y, domain="QQ").as_dict().items() if c != 0}
    assert k == want


@pytest.mark.parametrize("bad", ["-", "x - -", "x/2*", "x**+2", "x**2**3", "2x", "x)", "(x",
                                 "x/y", "x/(y - y)", "١", "x**²", ""])
def test_both_reject(bad):
    assert both(bad) == ("error", "error")


def test_caps_are_enforced_with_clear_messages():
    for text, caps, why in [("x**20", Caps(max_exponent=10), "exponent"),
                            ("(" * 6 + "x" + ")" * 6, Caps(max_depth=5), "nested"),
                            ("123456", Caps(max_digits=5), "digits"),
                            ("x + y + 1", Caps(max_length=5), "characters"),
                            ("(x + y + 1)**3", Caps(max_terms=5), "terms"),
                            ("x**3*y**3", Caps(max_degree=5), "degree")]:
        with pytest.raises(GrammarError, match=why):
            parse_polynomial(text, NAMES, caps)
    assert grammar.digits_to_int("9" * 3000) == 10**3000 - 1
    assert grammar.parse_rational("-2.5e-1/3") == Fraction(-1, 12)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.lists(st.integers(-5, 5), min_size=2, max_size=7),
       st.integers(-6, 6), st.integers(1, 8))
def test_sturm_counts_agree_with_sympy(coeffs, lo, width):
    if not any(coeffs[1:]):
        return
    t = sympy.Symbol("t")
    P = sympy.Poly(sum(c * t**i for i, c in enumerate(coeffs)), t)
    a, b = Fraction(lo, 2), Fraction(lo, 2) + Fraction(width, 2)
    got = univariate.sturm_count([Fraction(c) for c in coeffs], a, b)
    if P.eval(sympy.Rational(a.numerator, a.denominator)) == 0 or \
            P.eval(sympy.Rational(b.numerator, b.denominator)) == 0:
        assert got is None
        return
    sq = sympy.Poly(sympy.sqf_part(P.as_expr()), t)
    want = sq.count_roots(sympy.Rational(a.numerator, a.denominator),
                          sympy.Rational(b.numerator, b.denominator))
    assert got == want
    assert univariate.sturm_count([Fraction(c) for c in coeffs], None, None) == \
        len(set(sympy.real_roots(P)))


def _rational_point(rng, n):
    return [Fraction(rng.randint(-40, 40), rng.randint(1, 7)) for _ in range(n)]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_forward_pass_and_structural_bound_agree_with_the_library(kind):
    for seed in range(3):
        d = random_model(kind, seed=seed, tokens=2, dim=2 if kind != "transformer" else 1,
                         layers=2 if kind in ("encoder", "decoder") else 1)
        lib = model_from_dict(d)
        km = read_model(d, "model")
        assert structural_bound(km) == {k: structural_degree(lib)[k] for k in ("joint", "x", "y")}
        assert km.variables == lib.variables() and km.outputs == lib.output_names()
        rng = random.Random(seed)
        n = len(km.variables)
        for _ in range(5):
            pt = _rational_point(rng, n)
            assert forward(km, list(pt), NumOps()) == evaluate_model(lib, pt)
            try:
                loc = local_polynomials(lib, pt)
            except ZeroAtPointError:
                continue
            ring = PolyRing(km.variables)
            got = forward(km, [pvar(i, n) for i in range(n)], PolyOps(n, pt))
            assert [ring.from_terms(p) if p else ring.zero() for p in got] == \
                [ring.embed(v, loc.ring) for v in loc.values]


@pytest.mark.parametrize("name", ["embed_readout", "transformer", "decoder", "cross"])
def test_example_models_forward(name):
    import json
    from pathlib import Path

    d = json.loads((Path(__file__).resolve().parent.parent / "examples" / "models" /
                    f"{name}.json").read_text())
    lib, km = model_from_dict(d), read_model(d, "model")
    rng = random.Random(3)
    for _ in range(5):
        pt = _rational_point(rng, len(km.variables))
        assert forward(km, pt, NumOps()) == evaluate_model(lib, pt)


@pytest.mark.parametrize("kind", ["attention", "masked", "biases", "ffn", "cross"])
def test_candidate_wall_pairs_agree_with_the_library(kind):
    d = random_model(kind, seed=1, tokens=2, dim=1)
    sp = expand_model(model_from_dict(d))
    ks = KSpline(spline_to_dict(sp), "spline")
    got = set(candidates(ks)[0])
    want = {(k, a, b) for k, a, b, _, _ in _candidates(sp)}
    assert got == want and candidates(ks)[1] is None
