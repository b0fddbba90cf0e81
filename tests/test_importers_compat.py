"""Importers against the libraries they import from (compatibility hardening).

Every scipy spline kind is compared with scipy's own evaluation (scipy in float at float points,
the import exactly at the same points converted exactly), and, where the import claims exactness,
exactly with an independent exact construction: sympy's ``bspline_basis`` (B-splines),
``interpolating_spline`` (not-a-knot cubic), and a second-derivative ("moments") solver written
here for the other boundary conditions. The certified orders of continuity are checked against the
known facts (C^2 cubic interpolation, C^1 Hermite / PCHIP / Akima, C^(k - m) B-splines, step
functions are not splines).
"""

from __future__ import annotations

import random
from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import interpolate as si

from splinesym.certify import certify_spline
from splinesym.cli import main
from splinesym.errors import AmbiguousPointError, InvalidInputError
from splinesym.io.importers import cubic_interpolant, from_scipy, from_sympy

X = sympy.Symbol("x")


def _float_points(lo, hi, n=41, seed=0):
    rng = np.random.default_rng(seed)
    return np.concatenate([np.linspace(lo, hi, n), rng.uniform(lo, hi, n)])


def _agree(sp, f, pts, rtol=1e-12):
    """``sp`` (exact, at the exact float points) agrees with scipy's float evaluation ``f``."""
    for t in pts:
        ref = np.asarray(f(t), dtype=float).reshape(-1)
        if np.isnan(ref).any():
            continue
        try:
            got = np.array([float(v) for v in sp.evaluate([Fraction(float(t))])])
        except AmbiguousPointError:  # a knot of a discontinuous spline
            continue
        scale = 1 + np.abs(ref).max()
        assert np.abs(got - ref).max() <= rtol * scale, (t, got, ref)


def _orders(c):
    return sorted({w.continuity for w in c.smoothness.walls})


# ----------------------------------------------------------------------------------------------
# an independent exact cubic spline: second derivatives M_i ("moments"), not slopes
def _moments_spline(xs, ys, bc):
    """Exact C^2 cubic interpolant by its knot second derivatives; returns f(t) for rational t.

    Equations (i interior): h_{i-1} M_{i-1} + 2 (h_{i-1} + h_i) M_i + h_i M_{i+1}
    = 6 (d_i - d_{i-1}); bc 'natural' M_0 = M_n = 0; ('clamped', a, b) end slopes a, b;
    'not-a-knot': third derivative continuous at x_1 and x_{n-1}; 'periodic'.
    """
    n = len(xs) - 1
    h = [xs[i + 1] - xs[i] for i in range(n)]
    d = [(ys[i + 1] - ys[i]) / h[i] for i in range(n)]
    M = sympy.symbols(f"M0:{n + 1}")
    eqs = [h[i - 1] * M[i - 1] + 2 * (h[i - 1] + h[i]) * M[i] + h[i] * M[i + 1]
           - 6 * (d[i] - d[i - 1]) for i in range(1, n)]
    if bc == "natural":
        eqs += [M[0], M[n]]
    elif bc == "not-a-knot":
        eqs += [(M[1] - M[0]) / h[0] - (M[2] - M[1]) / h[1],
                (M[n - 1] - M[n - 2]) / h[n - 2] - (M[n] - M[n - 1]) / h[n - 1]]
    elif bc == "periodic":
        # slope continuity across the period and M_0 = M_n
        eqs += [M[0] - M[n],
                d[0] - h[0] * (2 * M[0] + M[1]) / 6 - (d[n - 1] + h[n - 1] * (M[n - 1] + 2 * M[n])
                                                       / 6)]
    else:
        _, a, b = bc
        eqs += [d[0] - h[0] * (2 * M[0] + M[1]) / 6 - a,
                d[n - 1] + h[n - 1] * (M[n - 1] + 2 * M[n]) / 6 - b]
    sol = sympy.solve(eqs, M, dict=True)[0]
    m = [sympy.Rational(sol[v]) for v in M]

    def f(t):
        i = max(0, min(n - 1, sum(1 for v in xs[1:-1] if t >= v)))
        a, b = xs[i + 1] - t, t - xs[i]
        return (m[i] * a**3 / 6 + m[i + 1] * b**3 / 6) / h[i] \
            + (ys[i] / h[i] - m[i] * h[i] / 6) * a + (ys[i + 1] / h[i] - m[i + 1] * h[i] / 6) * b
    return f


def _dyadic_data(rng, n, periodic=False):
    xs = [0]
    for _ in range(n - 1):
        xs.append(xs[-1] + Fraction(rng.randint(1, 8), 4))
    ys = [Fraction(rng.randint(-16, 16), 8) for _ in range(n)]
    if periodic:
        ys[-1] = ys[0]
    return xs, ys


@pytest.mark.parametrize("bc", ["not-a-knot", "natural", "clamped", "periodic", "explicit"])
def test_cubic_spline_rationalised_is_the_exact_interpolant(bc):
    rng = random.Random(bc)
    for n in (4, 5, 7):
        xs, ys = _dyadic_data(rng, n, bc == "periodic")
        scipy_bc = ((1, 0.5), (1, -1.25)) if bc == "explicit" else bc
        ref_bc = ("clamped", Fraction(1, 2), Fraction(-5, 4)) if bc == "explicit" else (
            ("clamped", 0, 0) if bc == "clamped" else bc)
        cs = si.CubicSpline([float(v) for v in xs], [float(v) for v in ys], bc_type=scipy_bc)
        sp = from_scipy(cs, rationalize=1e-12)  # bc_type detected (or end slopes)
        f = _moments_spline([sympy.Rational(v) for v in xs], [sympy.Rational(v) for v in ys],
                            ref_bc)
        for k in range(-3, 4 * int(xs[-1]) + 4):
            t = Fraction(k, 4) + Fraction(1, 7)
            assert sympy.Rational(sp.evaluate([t])[0]) == f(sympy.Rational(t)), (n, t)
        c = certify_spline(sp)
        assert c.is_spline and c.continuity >= 2
        # C^2 and not C^3 at some knot (the third derivative jumps), C^inf at a not-a-knot knot
        # (4 points, not-a-knot: one cubic through them, C^inf at both knots)
        assert _orders(c) == ([float("inf")] if (bc, n) == ("not-a-knot", 4) else
                              sorted({2} | ({float("inf")} if bc == "not-a-knot" else set())))
        out = 0 if bc == "periodic" else 1  # scipy repeats the period outside: see the note
        _agree(sp, cs, _float_points(float(xs[0]) - out, float(xs[-1]) + out))
        if bc == "periodic":
            assert "repeats the base interval" in sp.notes[-1]


def test_not_a_knot_matches_sympy_interpolating_spline_exactly():
    rng = random.Random(5)
    for n in (4, 6):
        xs, ys = _dyadic_data(rng, n)
        cs = si.CubicSpline([float(v) for v in xs], [float(v) for v in ys])
        sp = from_scipy(cs, rationalize=1e-12, bc_type="not-a-knot")
        ref = from_sympy(sympy.interpolating_spline(3, X, [sympy.Rational(v) for v in xs],
                                                    [sympy.Rational(v) for v in ys]))
        for k in range(1, 40):
            t = xs[0] + (xs[-1] - xs[0]) * Fraction(k, 40)
            assert sp.evaluate([t]) == ref.evaluate([t])


@settings(max_examples=25, deadline=None, derandomize=True)
@given(st.integers(2, 7), st.sampled_from(["not-a-knot", "natural", "clamped", "periodic",
                                           ("natural", (1, 0.5)), ((1, -2.0), "not-a-knot"),
                                           ((2, 1.0), (1, 0.0))]), st.integers(0, 10**6))
def test_cubic_interpolant_slopes_match_scipy(n, bc, seed):
    rng = random.Random(seed)
    xs, ys = _dyadic_data(rng, n, bc == "periodic")
    fx, fy = [float(v) for v in xs], [float(v) for v in ys]
    try:
        ref = si.CubicSpline(fx, fy, bc_type=bc).derivative()(fx)
    except ValueError:
        with pytest.raises(InvalidInputError):
            cubic_interpolant(xs, ys, bc)
        return
    got = [float(v) for v in cubic_interpolant(xs, ys, bc)]
    assert np.allclose(got, ref, rtol=1e-10, atol=1e-10)


def test_periodic_three_points_regression():
    # the periodic row used to be overwritten when n <= 2 intervals (columns coincide)
    s = cubic_interpolant([0, 1, 3], [1, 0, 1], "periodic")
    assert s == [Fraction(-1, 2)] * 3


def test_bc_type_detection_and_explicit_mismatch():
    x = np.array([0, 0.5, 1.25, 2, 3.0])
    y = np.array([0, 1, -0.5, 0.25, 2])
    for bc in ("natural", "clamped", "not-a-knot"):
        sp = from_scipy(si.CubicSpline(x, y, bc_type=bc), rationalize=1e-12)
        assert f"bc_type={bc!r} (detected" in sp.notes[0]
    sp = from_scipy(si.CubicSpline(x, y, bc_type=((2, 3.0), (1, -1.0))), rationalize=1e-12)
    assert "end slopes" in sp.notes[0] and certify_spline(sp).continuity == 2
    with pytest.raises(InvalidInputError, match="bc_type"):
        from_scipy(si.CubicSpline(x, y, bc_type="natural"), rationalize=1e-12,
                   bc_type="clamped")
    two = si.CubicSpline(x, np.stack([y, y**2], 1), bc_type=((1, [0.5, 1.0]), (2, [0.0, 1.0])))
    sp = from_scipy(two, rationalize=1e-12, bc_type=((1, [0.5, 1.0]), (2, [0.0, 1.0])))
    _agree(sp, two, _float_points(-1, 4), rtol=1e-10)


# ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["hermite", "pchip", "akima", "makima"])
def test_hermite_family_is_C1_and_agrees(kind):
    x = np.array([0, 0.5, 1.25, 2, 3.0, 3.5])
    y = np.array([0, 1, -0.5, 0.25, 2, 2.0])
    obj = {"hermite": lambda: si.CubicHermiteSpline(x, y, np.cos(x)),
           "pchip": lambda: si.PchipInterpolator(x, y),
           "akima": lambda: si.Akima1DInterpolator(x, y),
           "makima": lambda: si.Akima1DInterpolator(x, y, method="makima")}[kind]()
    sp = from_scipy(obj, rationalize=1e-12)
    c = certify_spline(sp)
    assert c.is_spline and c.continuity == 1 and c.degree.maximum == 3
    _agree(sp, obj, _float_points(-1, 4.5), rtol=1e-10)
    if kind.endswith("akima"):  # scipy answers NaN outside: the note says what is done
        assert "NaN there instead" in sp.notes[-1]
    raw = from_scipy(obj)  # floats converted exactly: agrees to the last bit
    _agree(raw, obj, _float_points(0, 3.5), rtol=1e-15)


@pytest.mark.parametrize("k", range(6))
def test_bspline_every_degree_against_sympy_bspline_basis(k):
    """Exactly: sum c_i B_{i,k}(x) with sympy's own B-spline basis, on dyadic knots."""
    rng = random.Random(k)
    interior = [Fraction(1), Fraction(3, 2), Fraction(3, 2), Fraction(11, 4)]
    t = [Fraction(0)] * (k + 1) + interior + [Fraction(4)] * (k + 1)
    if k == 0:
        t = [Fraction(0), Fraction(1), Fraction(3, 2), Fraction(11, 4), Fraction(4)]
    n = len(t) - k - 1
    c = [Fraction(rng.randint(-8, 8), 4) for _ in range(n)]
    b = si.BSpline(np.array([float(v) for v in t]), np.array([float(v) for v in c]), k)
    sp = from_scipy(b)
    st_ = [sympy.Rational(v) for v in t]
    basis = sympy.bspline_basis_set(k, st_, X)
    for j in range(1, 32, 2):
        v = Fraction(j, 8) - Fraction(1, 33)
        want = sum(sympy.Rational(ci) * bj.subs(X, sympy.Rational(v)) for ci, bj in
                   zip(c, basis))
        assert sympy.Rational(sp.evaluate([v])[0]) == want, (k, v)
    _agree(sp, b, _float_points(-1, 5))
    c_ = certify_spline(sp)
    orders = {sp.ring.format(sp.breaks[w.break_index]): w.continuity
              for w in c_.smoothness.walls}
    if k == 0:
        assert not c_.is_spline and main(["certify", "--sympy", "Piecewise((0, x < 0), "
                                          "(1, True))"]) == 1
        return
    # knot 3/2 has multiplicity 2: at least C^(k-2) (k = 1: discontinuous, not a spline);
    # simple knots at least C^(k-1); exactness for generic coefficients is tested below
    assert orders["2*x - 3"] >= k - 2 and c_.is_spline == (k >= 2)
    for g in ("x - 1", "4*x - 11"):
        assert orders[g] >= k - 1


def test_bspline_multiplicities_certified_exactly():
    # generic coefficients: the order is exactly k - multiplicity at every knot
    for k in (2, 3, 4, 5):
        for m in range(1, k + 1):
            t = [0.0] * (k + 1) + [1.0] * m + [2.0] + [3.0] * (k + 1)
            n = len(t) - k - 1
            c = np.array([(-1) ** i * (i + 1) ** 2 / 4 for i in range(n)])
            sp = from_scipy(si.BSpline(np.array(t), c, k))
            cert = certify_spline(sp)
            orders = {sp.ring.format(sp.breaks[w.break_index]): w.continuity
                      for w in cert.smoothness.walls}
            assert orders["x - 1"] == k - m, (k, m, orders)
            assert orders["x - 2"] == k - 1, (k, m, orders)


def test_make_interp_and_lsq_and_splrep():
    xx = np.linspace(0, 4, 9)
    for k in (1, 3, 5):
        b = si.make_interp_spline(xx, np.sin(xx), k=k)
        sp = from_scipy(b)
        _agree(sp, b, _float_points(-1, 5))
        assert certify_spline(sp).continuity == k - 1
    for bc in ("natural", "clamped"):
        b = si.make_interp_spline(xx, np.sin(xx), k=3, bc_type=bc)
        _agree(from_scipy(b), b, _float_points(-1, 5))
    xs = np.linspace(0, 4, 40)
    t = np.r_[[0.0] * 4, 1, 2, 3, [4.0] * 4]
    b = si.make_lsq_spline(xs, np.sin(xs), t, k=3)
    _agree(from_scipy(b), b, _float_points(-1, 5))
    tck = si.splrep(xs, np.sin(xs), s=0)
    sp = from_scipy(tck)
    _agree(sp, lambda v: si.splev(v, tck), _float_points(-1, 5))
    us = si.UnivariateSpline(xs, np.cos(xs), s=0.01, ext=1)
    sp = from_scipy(us)
    _agree(sp, us, _float_points(0, 4))
    assert "ext=1" in sp.notes[-1]
    with pytest.raises(InvalidInputError, match="parametric"):
        from_scipy(si.splprep([xs, np.sin(xs)], s=0)[0])


def test_ppoly_shapes_orders_and_extrapolation():
    rng = np.random.default_rng(3)
    cases = [si.PPoly(rng.normal(size=(3, 4)), [0, 1, 1, 2, 3]),        # repeated breakpoint
             si.PPoly(rng.normal(size=(3, 3)), [3, 2, 1, 0]),           # descending
             si.PPoly(rng.normal(size=(3, 3, 2, 2)), [0, 1, 2, 3]),     # trailing shape (2, 2)
             si.PPoly(rng.normal(size=(4, 2)), [0, 1, 2], extrapolate=False),
             si.PPoly(rng.normal(size=(2, 1)), [0, 1])]
    for pp in cases:
        sp = from_scipy(pp)
        assert len(sp.outputs) == int(np.prod(pp.c.shape[2:]))
        _agree(sp, pp, _float_points(-1, 4), rtol=1e-14)
    assert "NaN there instead" in from_scipy(cases[3]).notes[-1]
    assert "1 zero-length" in from_scipy(cases[0]).notes[0]
    # order computed from the coefficients: (x - 1)^3 jump gives exactly C^2
    pp = si.PPoly(np.array([[0.0, 1.0], [0.0, 0.0], [0.0, 0.0], [1.0, 1.0]]), [0, 1, 2])
    assert certify_spline(from_scipy(pp)).continuity == 2
    step = si.PPoly(np.array([[1.0, 2.0]]), [0, 1, 2])
    assert not certify_spline(from_scipy(step)).is_spline
    with pytest.raises(InvalidInputError, match="positive length"):
        from_scipy(si.PPoly(np.zeros((2, 1)), [1.0, 1.0]))


def test_bpoly_exact_bernstein_expansion():
    bp = si.BPoly(np.array([[0.0, 1.0], [2.0, 0.5], [1.0, -1.0]]), [0, 1, 3])
    sp = from_scipy(bp)
    # first interval: 0 (1-t)^2 + 2*2 t (1-t) + 1 t^2 with t = x
    assert sp.evaluate([Fraction(1, 2)]) == [Fraction(1) + Fraction(1, 4)]
    _agree(sp, bp, _float_points(-1, 4))
    hermite = si.BPoly.from_derivatives([0, 1, 2], [[1, 0, 2], [0, 1, 1], [2, -1, 0]])
    c = certify_spline(from_scipy(hermite))
    assert c.is_spline and c.continuity == 2
    _agree(from_scipy(hermite), hermite, _float_points(-1, 3))


# ----------------------------------------------------------------------------------------------
def test_sympy_piecewise_shapes_first_match_like_sympy():
    y = sympy.Symbol("y")
    cases = [
        sympy.Piecewise((sympy.Piecewise((X, X < -1), (X**2, True)), X < 1), (2 * X - 1, True)),
        sympy.Piecewise((X**2, X < 2), (X, X < 1), (3 * X - 2, True)),         # overlapping
        sympy.Piecewise((X * y, (X > 0) & (y > 0)), (0, (X <= 0) | (y <= 0))),
        sympy.Piecewise((5, sympy.Eq(X, 1)), (X, True)),
        sympy.Piecewise((X, sympy.Ne(X, 1)), (5, True)),
        sympy.Piecewise((0, 1 >= X), (X - 1, True)),
        sympy.Piecewise((X - 1, 1 < X), (0, True)),
        sympy.Piecewise((X, sympy.Not(X > 1)), (1, True)),
        sympy.Piecewise((X, sympy.Xor(X > 1, X > 2)), (0, True)),
        sympy.Piecewise((X, sympy.Implies(X > 1, y > 0)), (y, True)),
        sympy.Piecewise((X, X**2 + y**2 > 0), (0, True)),                     # vanishes at 0
        sympy.Max(X, 0) ** 2, sympy.Min(X, 1 - X), sympy.Abs(X - y), X * sympy.Heaviside(X),
        sympy.Piecewise((X, sympy.Max(X, 0) > 1), (0, True)),
    ]
    rng = random.Random(1)
    for e in cases:
        sp = from_sympy(e)
        syms = [sympy.Symbol(v) for v in sp.variables]
        for _ in range(30):
            pt = [Fraction(rng.randint(-400, 400), rng.randint(51, 149)) for _ in syms]
            want = e.subs(dict(zip(syms, map(sympy.Rational, pt))))
            assert sympy.Rational(sp.evaluate(pt)[0]) == want, (e, pt)


def test_sympy_refusals_and_non_splines():
    for e, msg in [(sympy.Piecewise((sympy.exp(X), X > 0), (1, True)), "not a polynomial"),
                   (sympy.Piecewise((X, sympy.exp(X) > 2), (0, True)), "not a polynomial"),
                   (sympy.Piecewise((1 / X, X > 1), (1, True)), "not a polynomial"),
                   (sympy.floor(X), "not a polynomial")]:
        with pytest.raises(InvalidInputError, match=msg):
            from_sympy(e)
    assert not certify_spline(from_sympy(sympy.Heaviside(X))).is_spline
    assert main(["certify", "--sympy", "Heaviside(x)"]) == 1
    assert certify_spline(from_sympy(sympy.Max(X, 0) ** 2)).continuity == 1


def test_sympy_gap_between_branches_is_refused_not_filled():
    # sympy gives nan on (0, 1): the gap used to be filled silently with a neighbouring piece
    with pytest.raises(InvalidInputError, match="between two breaks"):
        from_sympy(sympy.Piecewise((X, X < 0), (1 - X, X > 1)))
    with pytest.raises(InvalidInputError, match="between two breaks"):
        from_sympy(sympy.Piecewise((X, X**3 - 3 * X + 1 > 0)))
    sp = from_sympy(sympy.Piecewise((X, (X > 0) & (X < 1))))  # unbounded ends: extended
    assert sp.evaluate([Fraction(5)]) == [5] and "extended" in sp.notes[-1]
