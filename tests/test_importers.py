"""Importers: scipy and sympy splines become exact splinesym splines, and say how."""

from fractions import Fraction

import numpy as np
import pytest
import sympy
from scipy.interpolate import (
    BSpline,
    CubicSpline,
    PchipInterpolator,
    PPoly,
    make_interp_spline,
)

from splinesym.certify import certify_spline
from splinesym.cli import main
from splinesym.errors import InvalidInputError
from splinesym.io.importers import (
    cubic_interpolant,
    from_bspline,
    from_ppoly,
    from_scipy,
    from_sympy,
    read_npz,
    simplest_rational,
)

x, y = sympy.symbols("x y")


def test_simplest_rational():
    assert simplest_rational(0.1, 1e-12) == Fraction(1, 10)
    assert simplest_rational(-2.5000001, 1e-6) == Fraction(-5, 2)
    assert simplest_rational(3.14159, 0.01) == Fraction(22, 7)
    assert simplest_rational(0.3, 0) == Fraction(0.3)


def test_ppoly_exact_conversion_and_evaluation():
    pp = PPoly(np.array([[1.0, -2.0], [0.5, 0.0], [0.0, 0.25]]), np.array([0.0, 1.0, 3.0]))
    sp = from_ppoly(pp)
    for t in (-1.0, 0.5, 2.0, 4.0):
        assert float(sp.evaluate([Fraction(t)])[0]) == pytest.approx(float(pp(t)))
    assert "converted exactly" in sp.notes[0] and "extended" in sp.notes[1]
    assert [sp.ring.format(b) for b in sp.breaks] == ["x - 1"]


def test_ppoly_vector_valued_and_descending():
    c = np.zeros((2, 2, 2))
    c[0, :, 0] = [1, 1]
    c[1, :, 1] = [2, 3]
    sp = from_ppoly(PPoly(c, np.array([0.0, 1.0, 2.0])))
    assert sp.outputs == ["f_1", "f_2"]
    pp = PPoly(np.array([[1.0, 2.0]]), np.array([2.0, 1.0, 0.0]))
    sp = from_ppoly(pp)
    assert sp.evaluate([Fraction(1, 2)]) == [Fraction(2)]
    assert sp.evaluate([Fraction(3, 2)]) == [Fraction(1)]


def test_cubic_interpolant_matches_scipy_for_every_bc_type():
    xs = [0, 1, Fraction(5, 2), 3, 4]
    ys = [0, 1, Fraction(-1, 2), 2, 0]
    for bc in ("not-a-knot", "natural", "clamped", "periodic", ((1, 2.0), (2, -1.0))):
        s = cubic_interpolant(xs, ys, bc)
        cs = CubicSpline([float(v) for v in xs], [float(v) for v in ys], bc_type=bc)
        ref = cs.derivative()([float(v) for v in xs])
        assert np.allclose([float(v) for v in s], ref, atol=1e-12), bc


def test_cubic_spline_small_cases():
    for n in (2, 3):
        xs, ys = [0.0, 1.0, 3.0][:n], [1.0, 0.0, 2.0][:n]
        cs = CubicSpline(xs, ys)
        sp = from_scipy(cs, rationalize=1e-12)
        for t in (0.5, 2.0):
            assert float(sp.evaluate([Fraction(t)])[0]) == pytest.approx(float(cs(t)))


def test_pchip_is_exactly_C1_after_rationalising():
    p = PchipInterpolator([0.0, 1.0, 2.0, 3.0], [0.0, 1.0, 0.5, 2.0])
    c = certify_spline(from_scipy(p, rationalize=1e-12))
    assert c.continuity >= 1 and c.degree.maximum == 3


def test_bspline_knot_multiplicity_sets_the_continuity():
    t = np.array([0, 0, 0, 0, 1, 2, 2, 3, 3, 3, 4, 4, 4, 4.0])
    b = BSpline(t, np.array([1.0, -1, 2, 0, 3, 1, -2, 1, 2, 0]), 3)
    sp = from_bspline(b)
    c = certify_spline(sp)
    orders = {sp.ring.format(sp.breaks[w.break_index]): w.continuity for w in c.smoothness.walls}
    assert orders == {"x - 1": 2, "x - 2": 1, "x - 3": 0}
    for v in (0.3, 1.7, 2.5, 3.9):
        assert float(sp.evaluate([Fraction(v)])[0]) == pytest.approx(float(b(v)))


def test_bspline_vector_coefficients():
    b = make_interp_spline([0, 1, 2, 3], np.array([[0, 1], [1, 0], [0, 2], [2, 2.0]]), k=2)
    sp = from_scipy(b)
    assert len(sp.outputs) == 2
    got = [float(v) for v in sp.evaluate([Fraction(3, 2)])]
    assert got == pytest.approx(list(b(1.5)))


def test_sympy_piecewise_two_variables_and_max():
    sp = from_sympy(sympy.Max(x, y, 0))
    assert sp.max_degree() == 1 and len(sp.pieces) == 3
    assert sp.evaluate([Fraction(-1), Fraction(2)]) == [Fraction(2)]
    sp = from_sympy([sympy.Abs(x), sympy.Piecewise((y, x > 0), (0, True))], outputs=["a", "b"])
    assert sp.outputs == ["a", "b"] and sp.evaluate([-2, 5]) == [2, 0]


def test_sympy_interpolating_spline_extends_end_pieces():
    sp = from_sympy(sympy.interpolating_spline(3, x, [0, 1, 2, 3, 4], [0, 1, 0, 2, 1]))
    assert any("extended" in n for n in sp.notes)
    assert sp.evaluate([Fraction(-1)]) is not None and sp.evaluate([Fraction(10)]) is not None


def test_sympy_errors():
    with pytest.raises(InvalidInputError, match="not a polynomial"):
        from_sympy(sympy.Piecewise((sympy.sin(x), x > 0), (0, True)))
    with pytest.raises(InvalidInputError, match="no branch"):
        from_sympy(sympy.Piecewise((x, (x > 0) & (y > 0))))
    with pytest.raises(InvalidInputError, match="not among the variables"):
        from_sympy(x + y, ["x"])


def test_from_scipy_rejects_other_objects():
    with pytest.raises(InvalidInputError, match="cannot import"):
        from_scipy(object())


def test_npz_inputs(tmp_path):
    p = tmp_path / "data.npz"
    np.savez(p, x=np.array([0.0, 1.0, 2.0, 3.5, 5.0]), y=np.array([0.0, 1.0, 0.0, 2.0, 1.0]))
    sp = read_npz(p, bc_type="natural")
    c = certify_spline(sp)
    assert {w.continuity for w in c.smoothness.walls} == {2}
    q = tmp_path / "pp.npz"
    np.savez(q, x=np.array([0.0, 1.0, 2.0]), c=np.array([[1.0, 1.0], [0.0, 1.0], [0.0, 1.0]]))
    assert main(["certify", str(q)]) == 0
    b = tmp_path / "b.npz"
    np.savez(b, t=np.array([0, 0, 1, 2, 2.0]), c=np.array([1.0, -1.0, 2.0]), k=1)
    assert main(["certify", str(b), "--format", "json"]) == 0
    bad = tmp_path / "bad.npz"
    np.savez(bad, z=np.array([1.0]))
    with pytest.raises(InvalidInputError, match="unrecognised npz"):
        read_npz(bad)
    assert main(["certify", str(bad)]) == 2
