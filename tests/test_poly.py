from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from splinesym.errors import PolynomialSyntaxError
from splinesym.poly import FloatEvaluator, PolyRing
from splinesym.region import factor_normalized

R = PolyRing(["x", "y", "z"])


@pytest.mark.parametrize("text", ["0", "x", "-x + 1/2", "3/2*x**2*y - 7*z**3 + 1",
                                  "x*y*z - 2/9"])
def test_format_parse_roundtrip(text):
    p = R.parse(text)
    assert R.parse(R.format(p)) == p
    assert R.from_sympy(R.to_sympy(p)) == p


def test_parse_accepts_caret_decimals_parentheses():
    assert R.parse("(x + 1)^2") == R.parse("x**2 + 2*x + 1")
    assert R.parse("0.25*x") == R.parse("1/4*x")
    assert R.parse("-(-x)") == R.parse("x")


@pytest.mark.parametrize("bad", ["x/y", "x + w", "x**-1", "x**y", "(x + 1", "", "x $ 1",
                                 "x/0", "__import__('os')"])
def test_parse_rejects(bad):
    with pytest.raises(PolynomialSyntaxError):
        R.parse(bad)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(0, 3),
                          st.fractions(max_denominator=20)), max_size=6),
       st.lists(st.fractions(max_denominator=9), min_size=3, max_size=3))
def test_evaluate_exact_and_float_agree(terms, point):
    p = R.from_terms({(a, b, c): f for a, b, c, f in terms}) if terms else R.zero()
    exact = R.evaluate(p, point)
    approx = FloatEvaluator([p], 3)([[float(v) for v in point]])[0, 0]
    assert abs(float(exact) - approx) <= 1e-9 * (1 + abs(float(exact)))


def test_factor_normalized_is_primitive_and_positive():
    c, f = factor_normalized(R.parse("-6*x**2 + 6*y**2"))
    assert c == Fraction(-6)
    assert sorted(R.format(q) for q, _ in f) == ["x + y", "x - y"]
    c, f = factor_normalized(R.parse("(1/2*x - 1/3*y)**2"))
    assert f == [(R.parse("3*x - 2*y"), 2)] and c == Fraction(1, 36)
