"""Certify: exact degrees and exact orders of continuity across every wall."""

import json
from fractions import Fraction

import numpy as np
import pytest
import sympy
from scipy.interpolate import CubicHermiteSpline, CubicSpline, make_interp_spline

from splinesym import default_model
from splinesym.certify import (
    INF,
    certify_model,
    certify_spline,
    find_wall_point,
    local_polynomials,
    order_across,
)
from splinesym.cli import main
from splinesym.io.importers import from_cubic_spline, from_hermite, from_scipy, from_sympy
from splinesym.nn.model import model_from_dict
from splinesym.poly import PolyRing
from splinesym.spline import Spline

x = sympy.Symbol("x")
X = [0, 1, 2, 3, 4, 5, 6]
Y = [0, 1, 0, 2, 1, 3, -1]


def wall_orders(cert):
    return {cert.spline.ring.format(cert.spline.breaks[w.break_index]): w.continuity
            for w in cert.smoothness.walls}


def test_sympy_cubic_interpolating_spline_is_C2_not_C3_at_every_knot():
    sp = from_sympy(sympy.interpolating_spline(3, x, X, [sympy.Rational(v) for v in Y]))
    c = certify_spline(sp)
    orders = wall_orders(c)
    # sympy's cubic interpolant uses the knots X[2:-2] (not-a-knot by construction)
    assert orders == {"x - 2": 2, "x - 3": 2, "x - 4": 2}
    assert c.continuity == 2 and c.degree.maximum == 3 and c.is_spline
    assert "C^2 and not C^3" in c.verdict()


def test_scipy_cubic_spline_is_C2_not_C3_at_every_interior_knot():
    xs = np.array([0.0, 1.0, 2.5, 3.0, 4.0, 5.5])
    ys = np.array([0.0, 1.0, -0.5, 2.0, 1.0, 3.0])
    cs = CubicSpline(xs, ys, bc_type="natural")
    sp = from_cubic_spline(cs, rationalize=1e-9, bc_type="natural")
    c = certify_spline(sp)
    assert sorted(wall_orders(c).values()) == [2, 2, 2, 2]
    assert len(c.smoothness.walls) == len(xs) - 2
    assert "exact re-interpolation" in sp.notes[0]
    # the exact interpolant reproduces scipy's values
    for t in (0.3, 2.7, 5.0):
        assert abs(float(sp.evaluate([Fraction(t)])[0]) - float(cs(t))) < 1e-9


def test_scipy_cubic_spline_float_coefficients_are_honestly_not_exact():
    cs = CubicSpline([0.0, 1.0, 2.5, 3.0, 4.0], [0.0, 1.0, -0.5, 2.0, 1.0], bc_type="natural")
    c = certify_spline(from_scipy(cs))
    assert c.continuity < 2  # float rounding breaks exact C^2


def test_scipy_cubic_spline_wrong_bc_type_is_refused():
    from splinesym.errors import InvalidInputError

    cs = CubicSpline([0.0, 1.0, 2.5, 3.0, 4.0], [0.0, 1.0, -0.5, 2.0, 1.0], bc_type="natural")
    with pytest.raises(InvalidInputError, match="bc_type"):
        from_cubic_spline(cs, rationalize=1e-9, bc_type="clamped")


def test_cubic_hermite_spline_is_C1():
    hs = CubicHermiteSpline([0, 1, 2, 3, 4], [0, 1, 0, 2, 1], [1, -1, 2, 0, 3])
    c = certify_spline(from_hermite(hs, rationalize=1e-12))
    assert c.continuity == 1
    assert set(wall_orders(c).values()) == {1}


def test_linear_interpolation_is_C0():
    b = make_interp_spline([0, 1, 2, 3, 4], [0, 2, 1, 3, 0], k=1)
    c = certify_spline(from_scipy(b))
    assert set(wall_orders(c).values()) == {0}
    c2 = certify_spline(from_sympy(sympy.interpolating_spline(1, x, X, Y)))
    assert c2.continuity == 0 and len(c2.smoothness.walls) == len(X) - 2


def test_jump_is_continuity_minus_one_at_the_right_place():
    sp = from_sympy(sympy.Piecewise((x**2, x < 1), (x + 3, True)))
    c = certify_spline(sp)
    assert not c.is_spline and c.continuity == -1
    (w,) = c.smoothness.discontinuities()
    assert sp.ring.format(sp.breaks[w.break_index]) == "x - 1"
    assert w.point.kind == "rational" and w.point.point == (Fraction(1),)
    assert c.jumps(w) == {"f": Fraction(3)}  # (1 + 3) - 1**2
    assert "NOT A SPLINE" in c.verdict() and "x - 1" in c.verdict()


def test_fourth_power_of_relu_is_C3():
    sp = from_sympy(sympy.Max(x - 1, 0) ** 4 + x**2)
    c = certify_spline(sp)
    assert wall_orders(c) == {"x - 1": 3}
    assert c.degree.maximum == 4


def test_relu_attention_is_C0_at_every_wall():
    c = certify_model(default_model())
    assert c.smoothness.walls and c.smoothness.complete
    assert all(w.continuity == 0 for w in c.smoothness.walls)
    assert c.degree.maximum == 3 and c.degree.bound == 3 and c.degree.attained
    assert len(c.identity_points) == len(c.spline.pieces)
    kinds = {w.point.kind for w in c.smoothness.walls}
    assert kinds == {"rational", "segment"}  # x1_1**2 - x1_1*x1_2 - x1_2**2 has no rational point


def test_order_across_and_identical_pieces():
    R = PolyRing(["x", "y"])
    g = R.parse("x**2 + y - 1")
    r, Q = order_across(R.parse("(x**2 + y - 1)**2 * (x + y)"), R.parse("0"), g)
    assert r == 1 and R.format(Q) == "x + y"
    assert order_across(R.parse("x"), R.parse("x"), g) == (INF, None)
    r, Q = order_across(R.parse("x + 1"), R.parse("x"), g)
    assert r == -1


def test_wall_point_on_a_quadric_without_rational_points():
    R = PolyRing(["x", "y"])
    g = R.parse("x**2 - 2*y**2")
    wp = find_wall_point(R, g, [(R.parse("x"), 1), (R.parse("y"), 1)], [(2, 1), (1, 1)])
    assert wp.kind == "segment"
    assert wp.check(R, g, [(R.parse("x"), 1), (R.parse("y"), 1)])
    # the isolated root is near (sqrt 2, 1) * s
    a, b = wp.approx()
    assert abs(a - 2**0.5 * b) < 1e-9


def test_two_variable_piecewise_with_polynomial_conditions():
    y = sympy.Symbol("y")
    expr = sympy.Piecewise((x * y, x**2 + y**2 < 1), (x * y + (x**2 + y**2 - 1) ** 3, True))
    c = certify_spline(from_sympy(expr))
    assert wall_orders(c) == {"x**2 + y**2 - 1": 2}
    assert c.degree.maximum == 6


def test_structural_bound_and_local_polynomials_three_layers():
    h = {"WQ": [[1]], "WK": [[1]], "WV": [[1]]}
    m = model_from_dict({"format": "splinesym.model/1", "tokens": 2, "dim": 1,
                         "encoder": [{"self_attention": {"heads": [h]}, "residual": False}] * 3})
    loc = local_polynomials(m, [Fraction(2), Fraction(-3)])
    assert loc.degree == 27
    c = certify_model(m)
    assert c.degree.maximum == 27 and c.degree.attained


def test_symbolic_weights_degree_only():
    m = model_from_dict({"format": "splinesym.model/1", "tokens": 2, "dim": 1,
                         "encoder": [{"self_attention": {"heads": [{"WQ": [["a"]], "WK": [["b"]],
                                                                    "WV": [["c"]]}]},
                                      "residual": False}]})
    c = certify_model(m, smoothness=False)
    assert c.degree.maximum == 3
    assert "every value of the weight symbols" in c.verdict()


def test_cli_certify_json_fields(tmp_path):
    out = tmp_path / "r.json"
    rc = main(["certify", "--sympy", "Piecewise((x**3, x < 0), (0, True))", "--format", "json",
               "--out", str(out)])
    assert rc == 0
    d = json.loads(out.read_text())
    assert d["degree"] == 3 and d["continuity"] == 2
    (w,) = d["walls"]
    assert w["break"] == "x" and w["continuity"] == 2 and len(w["pieces"]) == 2
    assert w["witness"]["type"] == "rational"


def test_cli_certify_discontinuous_exit_1(capsys):
    rc = main(["certify", "--sympy", "Piecewise((1, x < 2), (0, True))"])
    assert rc == 1
    assert "NOT A SPLINE" in capsys.readouterr().out


@pytest.mark.parametrize("content, message", [
    ('{"format": "splinesym.certificate/1", "claims": []}', "not a spline or a model"),
    ("[1, 2", "malformed JSON"),
    ('{"format": "splinesym.spline/1", "variables": ["x"], "outputs": ["f"], "breaks": ["x"],'
     ' "pieces": [{"region": [[3, "+"]], "values": ["x"]}]}', "out of range"),
])
def test_cli_certify_bad_input_exit_2(tmp_path, capsys, content, message):
    p = tmp_path / "in.json"
    p.write_text(content)
    assert main(["certify", str(p)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err and "in.json" in err


def test_cli_certify_non_polynomial_sympy_exit_2(capsys):
    assert main(["certify", "--sympy", "Piecewise((exp(x), x < 0), (1, True))"]) == 2
    assert "not a polynomial" in capsys.readouterr().err


def test_vector_valued_spline_minimum_over_outputs():
    sp = Spline.from_pieces(["x"], ["f", "g"], ["x"],
                            [([(0, 1)], ["x**3", "x"]), ([(0, -1)], ["0", "0"])])
    c = certify_spline(sp)
    (w,) = c.smoothness.walls
    assert [o.order for o in w.outputs] == [2, 0] and w.continuity == 0


def test_reducible_breaks_are_refined_first():
    sp = Spline.from_pieces(["x"], ["f"], ["x**2 - 1"],
                            [([(0, 1)], ["(x**2 - 1)**2"]), ([(0, -1)], ["0"])])
    c = certify_spline(sp)
    assert sorted(wall_orders(c)) == ["x + 1", "x - 1"]
    assert set(wall_orders(c).values()) == {1}
    assert any("reducible" in n for n in c.notes)
    from splinesym.kernel import check_certificate
    assert check_certificate(c.certificate()).exit_code() == 0
