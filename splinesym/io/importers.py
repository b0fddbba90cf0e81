"""Importing classical splines so they can be certified: scipy and sympy objects.

Every importer returns a :class:`~splinesym.spline.Spline` whose ``notes`` say exactly how the
numbers were obtained:

* **exact conversion** (the default): every float becomes the rational it is
  (``Fraction(float)``). Nothing is lost, but float coefficients computed by scipy rarely make the
  pieces agree *exactly* at the knots, so such a spline is often certified as discontinuous at
  the 1e-16 level (continuity -1: honestly not a spline).
* **rationalise** (``rationalize=TOL``): every number is replaced by the simplest rational within
  ``TOL``. For interpolants the importer then rebuilds the interpolant *exactly* from the
  rationalised data: :class:`scipy.interpolate.CubicSpline` by solving its linear system in exact
  arithmetic with the given ``bc_type`` (scipy does not store it: the default is scipy's
  ``"not-a-knot"``), cubic Hermite splines (``CubicHermiteSpline``, ``PchipInterpolator``,
  ``Akima1DInterpolator``) from their knot values and slopes. The exact interpolant is compared
  with scipy's coefficients and the deviation is reported (a large deviation is an error: wrong
  ``bc_type``).
* :class:`scipy.interpolate.BSpline`: the B-spline basis is expanded exactly (Cox–de Boor in
  rationals), so a B-spline is exactly ``C^(k - multiplicity)`` at each knot whatever its
  coefficients are.
* sympy ``Piecewise`` (in one or more variables, with polynomial conditions; ``Max``, ``Min``,
  ``Abs`` and ``Heaviside`` are rewritten as ``Piecewise``): the sign-changing irreducible factors
  of the conditions become the breaks, every realised cell is found with a witness, and the first
  branch whose condition holds there gives the piece.

Outside the interval of definition of a univariate spline (scipy extrapolates by default; sympy's
``interpolating_spline`` is undefined there) the first and last pieces are extended, and the
notes say so: only interior knots are breaks.

Examples
--------
>>> import sympy
>>> x = sympy.Symbol("x")
>>> sp = from_sympy(sympy.Piecewise((x**2, x < 1), (2*x - 1, True)))
>>> [sp.ring.format(b) for b in sp.breaks], sorted(sp.ring.format(p.values[0]) for p in sp.pieces)
(['x - 1'], ['2*x - 1', 'x**2'])
>>> simplest_rational(0.3333333333333333, 1e-9)
Fraction(1, 3)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

import numpy as np

from ..errors import InvalidInputError
from ..poly import Poly, PolyRing, primitive_integer_form
from ..region import Region
from ..spline import Piece, Spline

__all__ = ["simplest_rational", "interval_spline", "from_ppoly", "from_bpoly",
           "from_cubic_spline", "from_hermite", "from_bspline", "from_scipy", "from_sympy",
           "cubic_interpolant", "read_npz"]


# ----------------------------------------------------------------------------------------------
def simplest_rational(value, tol) -> Fraction:
    """The rational with the smallest denominator in ``[value - tol, value + tol]``.

    >>> simplest_rational(2.7182818, 1e-3)
    Fraction(87, 32)
    """
    v = Fraction(value)
    t = abs(Fraction(tol))
    if t == 0:
        return v
    lo, hi = v - t, v + t
    return _simplest_between(lo, hi)


def _simplest_between(lo: Fraction, hi: Fraction) -> Fraction:
    """Smallest-denominator rational in the closed interval ``[lo, hi]`` (continued fractions)."""
    if lo <= 0 <= hi:
        return Fraction(0)
    if hi < 0:
        return -_simplest_between(-hi, -lo)
    fl = math.floor(lo)
    if fl == lo:
        return Fraction(fl)
    if fl + 1 <= hi:
        return Fraction(fl + 1)
    return fl + 1 / _simplest_between(1 / (hi - fl), 1 / (lo - fl))


def _num(v, rationalize) -> Fraction:
    f = float(v)
    if not math.isfinite(f):
        raise InvalidInputError(f"{v!r} is not a finite number", "coefficients")
    return simplest_rational(f, rationalize) if rationalize else Fraction(f)


def _how(rationalize) -> str:
    return (f"numbers rationalised to the simplest rational within {rationalize:g}"
            if rationalize else "floats converted exactly (Fraction(float))")


# ----------------------------------------------------------------------------------------------
def interval_spline(knots: Sequence[Fraction], pieces: Sequence[Sequence[Poly]], ring: PolyRing,
                    outputs: Sequence[str], notes: Sequence[str] = ()) -> Spline:
    """A univariate spline from interior knots ``k_1 < ... < k_{m-1}`` and ``m`` pieces.

    Piece ``j`` lives on ``(k_j, k_{j+1})`` (the first and last are unbounded). Breaks are
    ``x - k_i`` in normal form.

    >>> R = PolyRing(["x"])
    >>> sp = interval_spline([Fraction(1)], [[R.parse("x")], [R.parse("1")]], R, ["f"])
    >>> sp.evaluate([3]), sp.evaluate([0])
    ([Fraction(1, 1)], [Fraction(0, 1)])
    """
    knots = [Fraction(k) for k in knots]
    if any(b <= a for a, b in zip(knots, knots[1:], strict=False)):
        raise InvalidInputError("knots must be strictly increasing", "knots")
    if len(pieces) != len(knots) + 1:
        raise InvalidInputError(f"{len(knots)} interior knots need {len(knots) + 1} pieces",
                                "pieces")
    x = ring.gens()[0]
    breaks = [primitive_integer_form(x - ring.const(k))[0] for k in knots]
    out = []
    m = len(knots)
    for j, vals in enumerate(pieces):
        reg = {}
        if j > 0:
            reg[j - 1] = 1
        if j < m:
            reg[j] = -1
        if m == 0:
            w = Fraction(0)
        elif j == 0:
            w = knots[0] - 1
        elif j == m:
            w = knots[-1] + 1
        else:
            w = (knots[j - 1] + knots[j]) / 2
        out.append(Piece(Region(reg), tuple(vals), (w,), "witness"))
    return Spline(ring, list(ring.names), list(outputs), breaks, out,
                  [[f"knot {k}"] for k in knots], True, list(notes))


def _local_poly(ring: PolyRing, coeffs_desc: Sequence[Fraction], x0: Fraction) -> Poly:
    """``sum c_j (x - x0)^(k-j)`` from coefficients in descending powers."""
    x = ring.gens()[0]
    u = x - ring.const(x0)
    p = ring.zero()
    for c in coeffs_desc:
        p = p * u + ring.const(c)
    return p


def _output_names(shape: tuple[int, ...], name: str) -> list[str]:
    n = int(np.prod(shape)) if shape else 1
    return [name] if n == 1 and not shape else [f"{name}_{i + 1}" for i in range(n)]


def _outside_note(obj, lo, hi) -> str:
    """What the import does outside the base interval ``[lo, hi]``, and what scipy does there.

    A spline on R needs a value everywhere: the end pieces are always extended (the polynomial
    extrapolation scipy uses with ``extrapolate=True``). scipy's own answer differs for
    ``extrapolate=False`` (NaN) and ``'periodic'`` (the base interval repeated), and the note
    says so.
    """
    ext = getattr(obj, "extrapolate", True)
    base = f"outside [{lo}, {hi}] the end pieces are extended"
    if ext == "periodic":
        return (base + " (scipy's extrapolate='periodic' repeats the base interval instead: "
                "the two agree only on the base interval)")
    if ext is None or ext is False or (isinstance(ext, (bool, np.bool_)) and not ext):
        return (base + " (scipy's extrapolate=False gives NaN there instead: the two agree "
                "only on the base interval)")
    return base + " (scipy extrapolates the same way)"


def _increasing_intervals(x: np.ndarray) -> tuple[list[int], bool]:
    """Indices of the nonempty intervals of breakpoints ``x`` in increasing order of position,
    and whether ``x`` is descending (scipy allows both orders and zero-length intervals)."""
    desc = bool(x[0] > x[-1])
    idx = [i for i in range(len(x) - 1) if x[i] != x[i + 1]]
    return (idx[::-1] if desc else idx), desc


def from_ppoly(pp, *, rationalize: float | None = None, variable: str = "x",
               output: str = "f") -> Spline:
    """A :class:`scipy.interpolate.PPoly` (any degree, any trailing shape) as a spline.

    The coefficients ``c[j, i]`` of ``(x - x_i)^(k - j)`` are converted exactly, or
    rationalised with ``rationalize``; the pieces are extended beyond the end knots.
    Breakpoints may be descending; zero-length intervals (repeated breakpoints) are dropped,
    as scipy never evaluates them.

    >>> from scipy.interpolate import PPoly
    >>> sp = from_ppoly(PPoly([[1.0, 2.0, 3.0]], [0.0, 1.0, 1.0, 2.0]))
    >>> sp.evaluate([Fraction(3, 2)])
    [Fraction(3, 1)]
    """
    x = np.asarray(pp.x, dtype=float)
    c = np.asarray(pp.c, dtype=float)
    if c.ndim < 2 or c.shape[1] != len(x) - 1:
        raise InvalidInputError("PPoly coefficients do not match its breakpoints", "c")
    ring = PolyRing([variable])
    outs = _output_names(c.shape[2:], output)
    C = c.reshape(c.shape[0], c.shape[1], -1)
    xs = [_num(v, rationalize) for v in x]
    idx, desc = _increasing_intervals(x)
    if not idx:
        raise InvalidInputError("the PPoly has no interval of positive length", "x")
    pieces = [[_local_poly(ring, [_num(v, rationalize) for v in C[:, i, o]], xs[i])
               for o in range(C.shape[2])] for i in idx]
    ends = [min(xs[i], xs[i + 1]) for i in idx] + [max(xs[idx[-1]], xs[idx[-1] + 1])]
    knots = ends[1:-1]
    notes = [f"imported from scipy {type(pp).__name__} ({len(idx)} intervals"
             + (", descending breakpoints" if desc else "")
             + (f", {c.shape[1] - len(idx)} zero-length interval(s) dropped"
                if len(idx) < c.shape[1] else "")
             + f", degree {c.shape[0] - 1}): {_how(rationalize)}",
             _outside_note(pp, ends[0], ends[-1])]
    return interval_spline(knots, pieces, ring, outs, notes)


def from_bpoly(bp, *, rationalize: float | None = None, variable: str = "x",
               output: str = "f") -> Spline:
    """A :class:`scipy.interpolate.BPoly` (Bernstein basis on each interval) as a spline.

    On ``[x_i, x_{i+1}]`` with ``t = (x - x_i) / (x_{i+1} - x_i)`` the value is
    ``sum_a c[a, i] binom(k, a) t^a (1 - t)^(k - a)``; it is expanded in exact arithmetic.

    >>> from scipy.interpolate import BPoly
    >>> sp = from_bpoly(BPoly([[0.0], [2.0], [0.0]], [0.0, 2.0]))   # 4 t (1 - t), t = x / 2
    >>> sp.evaluate([Fraction(1)])
    [Fraction(1, 1)]
    """
    x = np.asarray(bp.x, dtype=float)
    c = np.asarray(bp.c, dtype=float)
    if c.ndim < 2 or c.shape[1] != len(x) - 1:
        raise InvalidInputError("BPoly coefficients do not match its breakpoints", "c")
    ring = PolyRing([variable])
    X = ring.gens()[0]
    C = c.reshape(c.shape[0], c.shape[1], -1)
    k = c.shape[0] - 1
    xs = [_num(v, rationalize) for v in x]
    idx, desc = _increasing_intervals(x)
    if not idx:
        raise InvalidInputError("the BPoly has no interval of positive length", "x")
    pieces = []
    for i in idx:
        t = (X - ring.const(xs[i])) * ring.const(1 / (xs[i + 1] - xs[i]))
        one_t = ring.const(1) - t
        basis = [ring.const(math.comb(k, a)) * t ** a * one_t ** (k - a) for a in range(k + 1)]
        pieces.append([sum((ring.const(_num(C[a, i, o], rationalize)) * basis[a]
                            for a in range(k + 1)), ring.zero()) for o in range(C.shape[2])])
    ends = [min(xs[i], xs[i + 1]) for i in idx] + [max(xs[idx[-1]], xs[idx[-1] + 1])]
    notes = [f"imported from scipy BPoly ({len(idx)} intervals, degree {k}): Bernstein basis "
             f"expanded exactly; {_how(rationalize)}", _outside_note(bp, ends[0], ends[-1])]
    return interval_spline(ends[1:-1], pieces, ring, _output_names(c.shape[2:], output), notes)


# ----------------------------------------------------------------------------------------------
def _solve(rows: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction]:
    n = len(rows)
    M = [list(r) + [b] for r, b in zip(rows, rhs, strict=True)]
    for col in range(n):
        piv = next((i for i in range(col, n) if M[i][col] != 0), None)
        if piv is None:
            raise InvalidInputError("the interpolation system is singular", "bc_type")
        M[col], M[piv] = M[piv], M[col]
        inv = 1 / M[col][col]
        M[col] = [v * inv for v in M[col]]
        for i in range(n):
            if i != col and M[i][col] != 0:
                f = M[i][col]
                M[i] = [a - f * b for a, b in zip(M[i], M[col], strict=True)]
    return [M[i][n] for i in range(n)]


def _bc_end(e, bc_type):
    """One end's condition: ``"not-a-knot"`` or ``(order, value)`` (scipy's per-end forms)."""
    if isinstance(e, str):
        named = {"natural": (2, Fraction(0)), "clamped": (1, Fraction(0)),
                 "not-a-knot": "not-a-knot"}
        if e not in named:
            raise InvalidInputError(f"unknown boundary condition {e!r} in bc_type {bc_type!r} "
                                    f"(per end: not-a-knot, natural, clamped or (order, value))",
                                    "bc_type")
        return named[e]
    try:
        o, v = e
        v = Fraction(v) if isinstance(v, (int, Fraction)) else Fraction(float(v))
    except (TypeError, ValueError):
        raise InvalidInputError(f"bad bc_type {bc_type!r}: an end is a name or (order, value) "
                                f"with a scalar value", "bc_type") from None
    if o not in (1, 2):
        raise InvalidInputError("boundary derivative orders must be 1 or 2", "bc_type")
    return int(o), v


def _bc(bc_type):
    """scipy's ``bc_type``: a name for both ends, ``'periodic'``, or a pair of per-end forms."""
    if isinstance(bc_type, str):
        if bc_type == "periodic":
            return "periodic", "periodic"
        if bc_type not in ("natural", "clamped", "not-a-knot"):
            raise InvalidInputError(f"unknown bc_type {bc_type!r} (not-a-knot, natural, "
                                    f"clamped, periodic, or a pair of per-end conditions "
                                    f"((order, value) or a name))", "bc_type")
        end = _bc_end(bc_type, bc_type)
        return end, end
    try:
        e1, e2 = bc_type
    except (TypeError, ValueError):
        raise InvalidInputError(f"bad bc_type {bc_type!r}", "bc_type") from None
    return _bc_end(e1, bc_type), _bc_end(e2, bc_type)


def cubic_interpolant(x: Sequence[Fraction], y: Sequence[Fraction],
                      bc_type="not-a-knot") -> list[Fraction]:
    """Exact knot slopes of the C^2 cubic interpolant of ``(x, y)`` with scipy's ``bc_type``.

    >>> s = cubic_interpolant([0, 1, 2], [0, 1, 0], "natural")
    >>> s
    [Fraction(3, 2), Fraction(0, 1), Fraction(-3, 2)]
    """
    x = [Fraction(v) for v in x]
    y = [Fraction(v) for v in y]
    n = len(x) - 1
    if n < 1:
        raise InvalidInputError("need at least two data points", "x")
    h = [x[i + 1] - x[i] for i in range(n)]
    if any(v <= 0 for v in h):
        raise InvalidInputError("x must be strictly increasing", "x")
    d = [(y[i + 1] - y[i]) / h[i] for i in range(n)]
    left, right = _bc(bc_type)
    if n == 1:  # scipy: a not-a-knot end of a single interval is the slope of the chord
        left = (1, d[0]) if left == "not-a-knot" else left
        right = (1, d[0]) if right == "not-a-knot" else right
    if left == right == "not-a-knot" and n == 2:
        # scipy: three points give the parabola through them
        a = (d[1] - d[0]) / (x[2] - x[0])  # parabola y = y0 + d0 (t - x0) + a (t - x0)(t - x1)
        return [d[0] + a * (x[0] - x[1]), d[0] + a * (x[1] - x[0]),
                d[0] + a * (2 * x[2] - x[0] - x[1])]
    N = n + 1
    rows = [[Fraction(0)] * N for _ in range(N)]
    rhs = [Fraction(0)] * N
    for i in range(1, n):
        rows[i][i - 1] = h[i]
        rows[i][i] = 2 * (h[i - 1] + h[i])
        rows[i][i + 1] = h[i - 1]
        rhs[i] = 3 * (h[i] * d[i - 1] + h[i - 1] * d[i])
    if left == "periodic":
        if y[0] != y[-1]:
            raise InvalidInputError("periodic boundary conditions need y[0] == y[-1]", "y")
        rows[0][0], rows[0][n] = Fraction(1), Fraction(-1)
        # f''(x0) on the first interval == f''(xn) on the last
        rows[n] = [Fraction(0)] * N
        rows[n][0] = -4 / h[0]
        rows[n][1] = -2 / h[0]
        rows[n][n - 1] += -2 / h[n - 1]   # += : with n <= 2 the columns coincide
        rows[n][n] += -4 / h[n - 1]
        rhs[n] = -6 * d[0] / h[0] - 6 * d[n - 1] / h[n - 1]
        return _solve(rows, rhs)
    if left == "not-a-knot":
        # third derivative continuous at x1: (s0 + s1 - 2 d0)/h0^2 = (s1 + s2 - 2 d1)/h1^2
        rows[0][0] = 1 / h[0] ** 2
        rows[0][1] = 1 / h[0] ** 2 - 1 / h[1] ** 2
        rows[0][2] = -1 / h[1] ** 2
        rhs[0] = 2 * d[0] / h[0] ** 2 - 2 * d[1] / h[1] ** 2
    elif left[0] == 1:
        rows[0][0] = Fraction(1)
        rhs[0] = left[1]
    else:
        rows[0][0], rows[0][1] = Fraction(2), Fraction(1)
        rhs[0] = 3 * d[0] - left[1] * h[0] / 2
    if right == "not-a-knot":
        rows[n][n - 2] = 1 / h[n - 2] ** 2
        rows[n][n - 1] = 1 / h[n - 2] ** 2 - 1 / h[n - 1] ** 2
        rows[n][n] = -1 / h[n - 1] ** 2
        rhs[n] = 2 * d[n - 2] / h[n - 2] ** 2 - 2 * d[n - 1] / h[n - 1] ** 2
    elif right[0] == 1:
        rows[n][n] = Fraction(1)
        rhs[n] = right[1]
    else:
        rows[n][n - 1], rows[n][n] = Fraction(1), Fraction(2)
        rhs[n] = 3 * d[n - 1] + right[1] * h[n - 1] / 2
    return _solve(rows, rhs)


def _hermite_pieces(ring, x, y, s) -> list[Poly]:
    out = []
    for i in range(len(x) - 1):
        h = x[i + 1] - x[i]
        d = (y[i + 1] - y[i]) / h
        c2 = (3 * d - 2 * s[i] - s[i + 1]) / h
        c3 = (s[i] + s[i + 1] - 2 * d) / h**2
        out.append(_local_poly(ring, [c3, c2, s[i], y[i]], x[i]))
    return out


def _knot_data(sp, rationalize, derivative: bool):
    """Knots, values (and slopes) of a scipy cubic, per output, rationalised."""
    x = np.asarray(sp.x, dtype=float)
    if x[0] > x[-1]:
        raise InvalidInputError("descending breakpoints are not supported here", "x")
    c = np.asarray(sp.c, dtype=float)
    C = c.reshape(c.shape[0], c.shape[1], -1)
    last = np.asarray(sp(x[-1]), dtype=float).reshape(-1)
    xs = [_num(v, rationalize) for v in x]
    ys = [[_num(v, rationalize) for v in list(C[-1, :, o]) + [last[o]]]
          for o in range(C.shape[2])]
    ss = None
    if derivative:
        dlast = np.asarray(sp.derivative()(x[-1]), dtype=float).reshape(-1)
        ss = [[_num(v, rationalize) for v in list(C[-2, :, o]) + [dlast[o]]]
              for o in range(C.shape[2])]
    return xs, ys, ss, c.shape[2:]


def _deviation(ring, pieces_per_output, sp) -> float:
    """Largest |exact coefficient - scipy coefficient| (local power basis)."""
    c = np.asarray(sp.c, dtype=float)
    C = c.reshape(c.shape[0], c.shape[1], -1)
    worst = 0.0
    x = [Fraction(float(v)) for v in sp.x]
    for o, pieces in enumerate(pieces_per_output):
        for i, p in enumerate(pieces):
            # re-expand around the float knot and compare coefficient by coefficient
            shifted = ring.substitute(p, {ring.names[0]: ring.gens()[0] + ring.const(x[i])})
            k = c.shape[0] - 1
            for j in range(k + 1):
                power = k - j
                coef = 0.0
                for e, cf in zip(shifted.monoms(), shifted.coeffs(), strict=False):
                    if int(e[0]) == power:
                        coef = float(cf.p) / float(cf.q)
                worst = max(worst, abs(coef - C[j, i, o]))
    return worst


def _assemble(ring, xs, per_output, outs, notes) -> Spline:
    m = len(xs) - 1
    pieces = [[per_output[o][i] for o in range(len(per_output))] for i in range(m)]
    return interval_spline(xs[1:-1], pieces, ring, outs, notes)


_BC_NAMES = ("not-a-knot", "natural", "clamped", "periodic")


def _bc_per_output(bc_type, o: int, nout: int):
    """The boundary conditions of output ``o``: scipy allows arrays of boundary values, one per
    output (flattened trailing shape)."""
    if isinstance(bc_type, str) or bc_type is None:
        return bc_type
    try:
        ends = list(bc_type)
        if len(ends) != 2:
            raise ValueError
    except (TypeError, ValueError):
        raise InvalidInputError(f"bad bc_type {bc_type!r}", "bc_type") from None
    out = []
    for e in ends:
        if isinstance(e, str):
            out.append(e)
            continue
        try:
            order, v = e
            arr = np.asarray(v, dtype=float).reshape(-1)
        except (TypeError, ValueError):
            raise InvalidInputError(f"bad bc_type {bc_type!r}", "bc_type") from None
        if arr.size not in (1, nout):
            raise InvalidInputError(f"boundary values of shape {np.shape(v)} do not match "
                                    f"{nout} output(s)", "bc_type")
        out.append((order, Fraction(float(arr[0 if arr.size == 1 else o]))))
    return tuple(out)


def _reinterpolate(ring, cs, xs, ys, bc_type):
    """Exact C^2 pieces per output with ``bc_type`` and their deviation from scipy's."""
    per = []
    for o, y in enumerate(ys):
        s = cubic_interpolant(xs, y, _bc_per_output(bc_type, o, len(ys)))
        per.append(_hermite_pieces(ring, xs, y, s))
    return per, _deviation(ring, per, cs)


def _end_slopes_bc(cs, rationalize):
    """Per-output clamped conditions with scipy's own end slopes, rationalised."""
    x = np.asarray(cs.x, dtype=float)
    d = cs.derivative()
    lo = np.asarray(d(x[0]), dtype=float).reshape(-1)
    hi = np.asarray(d(x[-1]), dtype=float).reshape(-1)
    return [((1, _num(a, rationalize)), (1, _num(b, rationalize))) for a, b in zip(lo, hi,
                                                                                   strict=True)]


def from_cubic_spline(cs, *, rationalize: float | None = None, bc_type=None,
                      variable: str = "x", output: str = "f") -> Spline:
    """A :class:`scipy.interpolate.CubicSpline` as an exact spline.

    Without ``rationalize`` the float coefficients are converted exactly (usually not exactly
    continuous). With it, the knots and data are rationalised and the interpolant is recomputed
    exactly: an exactly C^2 spline. scipy does not store the ``bc_type``: pass it, or leave it
    ``None`` and the importer uses the one of ``not-a-knot``, ``natural``, ``clamped``,
    ``periodic`` that reproduces scipy's coefficients best, or else (explicit
    ``((order, value), (order, value))`` conditions) clamped conditions with scipy's own end
    slopes, rationalised. The notes say which. The deviation from scipy's coefficients is
    reported; with an explicit ``bc_type`` more than ``1e-6`` relative is an error.
    """
    if not rationalize:
        return from_ppoly(cs, variable=variable, output=output)
    ring = PolyRing([variable])
    xs, ys, _, trailing = _knot_data(cs, rationalize, False)
    scale = max(1.0, float(np.abs(np.asarray(cs.c, dtype=float)).max()))
    how = f"bc_type={bc_type!r}"
    if bc_type is None:
        best = None
        for name in _BC_NAMES:
            try:
                per, dev = _reinterpolate(ring, cs, xs, ys, name)
            except InvalidInputError:
                continue
            if dev <= 1e-6 * scale and (best is None or dev < best[2]):
                best = (name, per, dev)
        if best is not None:
            how = f"bc_type={best[0]!r} (detected: it reproduces scipy's coefficients)"
            per, dev = best[1], best[2]
        else:
            per, dev = [], 0.0
            for y, bc in zip(ys, _end_slopes_bc(cs, rationalize), strict=True):
                per.append(_hermite_pieces(ring, xs, y, cubic_interpolant(xs, y, bc)))
            dev = _deviation(ring, per, cs)
            how = ("clamped at scipy's own end slopes, rationalised (no named bc_type "
                   "reproduces the spline; pass bc_type to choose)")
    else:
        per, dev = _reinterpolate(ring, cs, xs, ys, bc_type)
    if dev > 1e-6 * scale:
        raise InvalidInputError(
            f"re-interpolating the rationalised data with {how} does not "
            f"reproduce the CubicSpline (coefficients differ by {dev:.3g}): pass the bc_type "
            f"it was built with", "bc_type")
    notes = [f"imported from scipy CubicSpline: exact re-interpolation (C^2) of the data "
             f"rationalised within {rationalize:g}, {how}; agrees with scipy's "
             f"float coefficients to {dev:.2g}",
             _outside_note(cs, xs[0], xs[-1])]
    return _assemble(ring, xs, per, _output_names(trailing, output), notes)


def from_hermite(hs, *, rationalize: float | None = None, variable: str = "x",
                 output: str = "f") -> Spline:
    """A cubic Hermite spline (``CubicHermiteSpline``, ``PchipInterpolator``,
    ``Akima1DInterpolator``): with ``rationalize``, rebuilt exactly from its rationalised knot
    values and slopes, hence exactly C^1; without it, its float coefficients converted exactly."""
    if not rationalize:
        return from_ppoly(hs, variable=variable, output=output)
    ring = PolyRing([variable])
    xs, ys, ss, trailing = _knot_data(hs, rationalize, True)
    per = [_hermite_pieces(ring, xs, y, s) for y, s in zip(ys, ss, strict=True)]
    dev = _deviation(ring, per, hs)
    notes = [f"imported from scipy {type(hs).__name__}: exact cubic Hermite interpolant of the "
             f"knot values and slopes rationalised within {rationalize:g}; agrees with scipy's "
             f"float coefficients to {dev:.2g}",
             _outside_note(hs, xs[0], xs[-1])]
    return _assemble(ring, xs, per, _output_names(trailing, output), notes)


def from_bspline(b, *, rationalize: float | None = None, variable: str = "x",
                 output: str = "f") -> Spline:
    """A :class:`scipy.interpolate.BSpline`, expanded exactly with the Cox–de Boor recursion.

    The knots and coefficients are converted exactly (or rationalised); the basis is expanded in
    exact arithmetic, so the continuity at a knot of multiplicity ``mu`` is exactly
    ``C^(k - mu)`` whatever the coefficients. The end pieces are extended beyond the base
    interval ``[t_k, t_n]`` (scipy extrapolates by default).
    """
    t = [_num(v, rationalize) for v in np.asarray(b.t, dtype=float)]
    k = int(b.k)
    c = np.asarray(b.c, dtype=float)
    n = len(t) - k - 1
    if n < k + 1 or c.shape[0] < n:
        raise InvalidInputError("inconsistent B-spline: need len(t) - k - 1 >= k + 1 "
                                "coefficients", "t")
    C = c[:n].reshape(n, -1)
    coef = [[_num(v, rationalize) for v in C[:, o]] for o in range(C.shape[1])]
    ring = PolyRing([variable])
    x = ring.gens()[0]
    intervals = [i for i in range(k, n) if t[i] < t[i + 1]]
    if not intervals:
        raise InvalidInputError("the B-spline's base interval is empty", "t")
    pieces = []
    for i in intervals:
        B = {j: (ring.const(1) if j == i else ring.zero()) for j in range(i - k, i + k + 1)}
        for d in range(1, k + 1):
            nb = {}
            for j in range(i - k, i + 1):
                term = ring.zero()
                if t[j + d] != t[j] and not B.get(j, ring.zero()).is_zero():
                    term += (x - ring.const(t[j])) * ring.const(1 / (t[j + d] - t[j])) * B[j]
                if t[j + d + 1] != t[j + 1] and not B.get(j + 1, ring.zero()).is_zero():
                    term += ((ring.const(t[j + d + 1]) - x)
                             * ring.const(1 / (t[j + d + 1] - t[j + 1])) * B[j + 1])
                nb[j] = term
            B = nb
        pieces.append([sum((ring.const(co[j]) * B[j] for j in range(i - k, i + 1)),
                           ring.zero()) for co in coef])
    knots = [t[i] for i in intervals[1:]]
    notes = [f"imported from scipy BSpline (degree {k}, {n} coefficients): basis expanded "
             f"exactly; {_how(rationalize)}",
             _outside_note(b, t[k], t[n])]
    return interval_spline(knots, pieces, ring, _output_names(c.shape[1:], output), notes)


def from_scipy(obj, *, rationalize: float | None = None, bc_type=None,
               variable: str = "x", output: str = "f") -> Spline:
    """Dispatch on the scipy type: CubicSpline, cubic Hermite splines (PCHIP, Akima, makima),
    BSpline (also from ``make_interp_spline``, ``make_lsq_spline``), a ``(t, c, k)`` tuple as
    ``splrep`` returns it, ``UnivariateSpline`` (and its subclasses), PPoly, BPoly.

    ``bc_type`` only matters for a CubicSpline with ``rationalize`` (see
    :func:`from_cubic_spline`; ``None`` detects it).

    >>> from scipy.interpolate import splrep
    >>> sp = from_scipy(splrep([0.0, 1.0, 2.0, 3.0], [0.0, 1.0, 0.0, 1.0], k=1))
    >>> sp.evaluate([Fraction(1, 2)])
    [Fraction(1, 2)]
    """
    from scipy import interpolate as si

    if isinstance(obj, si.CubicSpline):
        return from_cubic_spline(obj, rationalize=rationalize, bc_type=bc_type,
                                 variable=variable, output=output)
    if isinstance(obj, si.CubicHermiteSpline):
        return from_hermite(obj, rationalize=rationalize, variable=variable, output=output)
    if isinstance(obj, si.BSpline):
        return from_bspline(obj, rationalize=rationalize, variable=variable, output=output)
    if isinstance(obj, si.PPoly):
        return from_ppoly(obj, rationalize=rationalize, variable=variable, output=output)
    if isinstance(obj, si.BPoly):
        return from_bpoly(obj, rationalize=rationalize, variable=variable, output=output)
    tck = None
    if isinstance(obj, si.UnivariateSpline):
        tck = obj._eval_args  # (t, c, k): scipy's own evaluation arguments
    elif isinstance(obj, (tuple, list)) and len(obj) == 3 and np.ndim(obj[2]) == 0:
        tck = obj
    if tck is not None:
        t, c, k = tck
        if isinstance(c, list) and c and np.ndim(c[0]) == 1:
            raise InvalidInputError("parametric (splprep) tck tuples are curves, not functions: "
                                    "import each coordinate as BSpline(t, c[i], k)", "input")
        try:
            b = si.BSpline(np.asarray(t, dtype=float), np.asarray(c, dtype=float), int(k))
        except (TypeError, ValueError) as exc:
            raise InvalidInputError(f"not a (t, c, k) B-spline tuple: {exc}", "input") from None
        sp = from_bspline(b, rationalize=rationalize, variable=variable, output=output)
        ext = getattr(obj, "ext", 0)
        if ext != 0:  # UnivariateSpline: 1 zeros, 2 raise, 3 boundary value outside
            sp.notes[-1] = (f"outside [{sp.notes[-1].split('[')[1].split(']')[0]}] the end "
                            f"pieces are extended (scipy's ext={ext} answers differently "
                            f"there: the two agree only on the base interval)")
        return sp
    raise InvalidInputError(f"cannot import {type(obj).__name__}: expected a scipy PPoly, "
                            f"CubicSpline, cubic Hermite spline, BSpline, BPoly, "
                            f"UnivariateSpline or a (t, c, k) tuple", "input")


# ----------------------------------------------------------------------------------------------
def from_sympy(exprs, variables: Sequence[str] | None = None, *, outputs: Sequence[str] | None
               = None, extend: bool = True) -> Spline:
    """A sympy ``Piecewise`` (or a list of expressions, one per output) as a spline.

    Parameters
    ----------
    exprs : sympy expression or sequence of them
        Polynomial branches with polynomial conditions (``<``, ``<=``, ``>``, ``>=``, ``&``, ``|``,
        ``~``; ``Eq`` holds on no open set, ``Ne`` almost everywhere). ``Max``, ``Min``, ``Abs``
        and ``Heaviside`` are rewritten as ``Piecewise`` first.
    variables : sequence of str, optional
        Variable order (default: the free symbols, sorted by name).
    outputs : sequence of str, optional
        Output names (default ``f`` or ``f_1, f_2, ...``).
    extend : bool
        For one variable: on unbounded end intervals where no branch applies (sympy's
        ``interpolating_spline`` is undefined outside the data), extend the neighbouring piece
        and say so. Otherwise a cell where no branch applies is an error.
    """
    import sympy

    from ..cells import Budget, enumerate_cells
    from ..piecewise import Engine

    single = not isinstance(exprs, (list, tuple))
    exprs = [exprs] if single else list(exprs)
    try:
        exprs = [_safe_sympify(e) for e in exprs]
        # variables are real: Abs, Max, ... rewrite as Piecewise only for real symbols
        real = {s: sympy.Symbol(s.name, real=True) for e in exprs for s in e.free_symbols}
        back = {v: k for k, v in real.items()}
        exprs = [sympy.piecewise_fold(e.subs(real).rewrite(sympy.Piecewise)).subs(back)
                 for e in exprs]
    except (sympy.SympifyError, TypeError) as exc:
        raise InvalidInputError(f"not a sympy expression: {exc}", "expression") from None
    syms = set().union(*(e.free_symbols for e in exprs))
    if variables is None:
        variables = sorted(str(s) for s in syms)
    variables = list(variables)
    missing = {str(s) for s in syms} - set(variables)
    if missing:
        raise InvalidInputError(f"symbols {sorted(missing)} are not among the variables "
                                f"{variables}", "variables")
    if not variables:
        raise InvalidInputError("the expression has no variables", "expression")
    ring = PolyRing(variables)
    outs = list(outputs) if outputs else (["f"] if len(exprs) == 1 else
                                          [f"f_{i + 1}" for i in range(len(exprs))])
    branches = []  # per output: [(poly value, condition tree)]
    atoms: list = []
    for e in exprs:
        if isinstance(e, sympy.Piecewise):
            br = [(_to_poly(ring, v, "branch"), _cond(ring, c, atoms)) for v, c in e.args]
        else:
            br = [(_to_poly(ring, e, "expression"), True)]
        branches.append(br)
    eng = Engine(ring, Budget(solver_timeout=5.0))
    for p in atoms:
        if not p.is_constant():
            eng.sign_factorization(p)
    idx = list(range(len(eng.table.polys)))
    enum = enumerate_cells(eng.decider, Region(), idx, base_connected=True)
    cells = []
    undefined = []
    for pat, d in enum.cells.items():
        reg = enum.region(pat)
        if d.witness is None:
            raise InvalidInputError(f"a cell of the conditions could not be decided "
                                    f"({d.status})", "conditions")
        at = _generic_point(ring, [(eng.table.polys[k], sg) for k, sg in reg], d.witness,
                            atoms)
        vals = []
        for br in branches:
            v = next((val for val, cond in br if _holds(ring, cond, at)), None)
            vals.append(v)
        if any(v is None for v in vals):
            undefined.append((pat, reg, d, vals))
        else:
            cells.append((pat, reg, d, vals))
    notes = [f"imported from sympy: {len(eng.table.polys)} break(s) from the conditions, "
             f"{len(enum.cells)} cell(s)"]
    if undefined:
        if not (extend and ring.nvars == 1):
            pt = ", ".join(str(v) for v in undefined[0][2].witness)
            raise InvalidInputError(f"no branch of the Piecewise applies on the cell containing "
                                    f"({pt})", "conditions")
        _refuse_interior_gaps(ring, eng.table.polys, branches)
        for pat, reg, d, vals in undefined:
            nb = _nearest_defined(d.witness[0], cells)
            cells.append((pat, reg, d, [v if v is not None else nv
                                        for v, nv in zip(vals, nb, strict=True)]))
        notes.append("outside the interval where the Piecewise is defined, the end pieces are "
                     "extended")
    pieces = [Piece(reg, tuple(vals), d.witness, d.status) for _, reg, d, vals in cells]
    sp = Spline(ring, variables, outs, list(eng.table.polys), pieces,
                [list(lb) for lb in eng.table.labels], enum.complete, notes)
    return sp.merge()


def _safe_sympify(e):
    """A sympy object from a string (whitelisted, never evaluated) or a sympy/number object."""
    import sympy

    from .safe_sympy import parse_sympy_expression

    if isinstance(e, str):
        return parse_sympy_expression(e)
    if isinstance(e, (sympy.Basic, int, Fraction)) and not isinstance(e, bool):
        return sympy.sympify(e)   # already an object: sympify only wraps it, nothing is parsed
    raise InvalidInputError(f"expected a sympy expression or a string, got {type(e).__name__}",
                            "expression")


def _generic_point(ring: PolyRing, conditions, witness, atoms) -> tuple:
    """A point of the cell where no condition polynomial vanishes.

    A condition factor that never changes sign (``x**2 + y**2`` at the origin) is no break, so
    it may vanish at the cell's witness; it vanishes only on a nowhere dense set, so a nearby
    point of the open cell decides the branch that holds almost everywhere on the cell.
    """
    import random

    from ..cells import check_witness

    live = [a for a in atoms if not a.is_constant()]
    if all(ring.evaluate(a, witness) != 0 for a in live):
        return tuple(witness)
    rng = random.Random(0)
    for j in range(1, 60):
        eps = Fraction(1, 2 ** j)
        for _ in range(8):
            pt = tuple(Fraction(w) + eps * rng.randint(-7, 7) for w in witness)
            if check_witness(conditions, pt) and all(ring.evaluate(a, pt) != 0 for a in live):
                return pt
    raise InvalidInputError("a condition vanishes at a cell's witness point and at every point "
                            "tried near it: cannot decide the branch there", "conditions")


def _refuse_interior_gaps(ring: PolyRing, breaks, branches) -> None:
    """In one variable, no branch may be missing between the smallest and the largest break
    root (sympy gives ``nan`` there, and nothing sensible extends into a bounded gap)."""
    import sympy

    if not breaks:
        return
    t = sympy.Symbol(ring.names[0])
    prod = sympy.Integer(1)
    for b in breaks:
        prod *= ring.to_sympy(b)
    iv = sympy.Poly(prod, t).intervals(eps=sympy.Rational(1, 10**6))
    ends = [(Fraction(int(a.p), int(a.q)), Fraction(int(b.p), int(b.q))) for (a, b), _ in iv]
    for (_, hi), (lo, _) in zip(ends, ends[1:], strict=False):
        pt = ((hi + lo) / 2,)
        if any(ring.evaluate(b, pt) == 0 for b in breaks):
            continue  # cannot happen for disjoint isolating intervals; stay safe
        if any(next((v for v, c in br if _holds(ring, c, pt)), None) is None
               for br in branches):
            raise InvalidInputError(f"no branch of the Piecewise applies at x = {pt[0]}, between "
                                    f"two breaks (sympy gives nan there): only the unbounded "
                                    f"end intervals are extended", "conditions")


def _nearest_defined(x: Fraction, cells) -> list:
    best = min(cells, key=lambda c: abs(c[2].witness[0] - x))
    return best[3]


def _to_poly(ring: PolyRing, expr, what: str) -> Poly:
    try:
        return ring.from_sympy(expr)
    except InvalidInputError as exc:
        raise InvalidInputError(f"{what} {expr} is not a polynomial: {exc.problem}",
                                what) from None


_RELS = {"<": lambda v: v < 0, "<=": lambda v: v <= 0, ">": lambda v: v > 0,
         ">=": lambda v: v >= 0, "==": lambda v: v == 0, "!=": lambda v: v != 0}


def _cond(ring: PolyRing, c, atoms: list):
    import sympy

    if c is sympy.true or c is True:
        return True
    if c is sympy.false or c is False:
        return False
    if isinstance(c, sympy.And):
        return ("and", [_cond(ring, a, atoms) for a in c.args])
    if isinstance(c, sympy.Or):
        return ("or", [_cond(ring, a, atoms) for a in c.args])
    if isinstance(c, sympy.Not):
        return ("not", [_cond(ring, c.args[0], atoms)])
    if isinstance(c, sympy.core.relational.Relational):
        p = _to_poly(ring, c.lhs - c.rhs, "condition")
        atoms.append(p)
        return ("rel", c.rel_op, p)
    if isinstance(c, (sympy.Xor, sympy.Implies, sympy.Equivalent, sympy.ITE, sympy.Nand,
                      sympy.Nor)):
        return _cond(ring, sympy.to_nnf(c, simplify=False), atoms)
    raise InvalidInputError(f"unsupported condition {c}", "conditions")


def _holds(ring: PolyRing, cond, point) -> bool:
    if cond is True or cond is False:
        return cond
    op = cond[0]
    if op == "and":
        return all(_holds(ring, c, point) for c in cond[1])
    if op == "or":
        return any(_holds(ring, c, point) for c in cond[1])
    if op == "not":
        return not _holds(ring, cond[1][0], point)
    v = ring.evaluate(cond[2], point)
    if v == 0 and cond[1] not in ("==", "!="):
        raise InvalidInputError("a condition vanishes at a cell's witness point: cannot decide "
                                "the branch there", "conditions")
    return _RELS[cond[1]](v)


# ----------------------------------------------------------------------------------------------
def read_npz(path, *, rationalize: float | None = None, bc_type="not-a-knot") -> Spline:
    """A spline from a numpy ``.npz`` file.

    Recognised contents: ``x`` and ``c`` (a PPoly: ``c[j, i]`` multiplies ``(x - x_i)^(k-j)``);
    ``t``, ``c`` and ``k`` (a BSpline); ``x`` and ``y`` (data: the exact C^2 cubic interpolant
    with ``bc_type``, as scipy's CubicSpline defines it; ``dydx`` too: the cubic Hermite
    interpolant).
    """
    import io
    import zipfile

    from scipy import interpolate as si

    from .jsonio import read_text_file

    raw = read_text_file(path, binary=True)   # regular files only, size cap, never blocks
    try:
        with np.load(io.BytesIO(raw), allow_pickle=False) as z:
            data = {k: np.asarray(z[k]) for k in z.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, AttributeError) as exc:
        raise InvalidInputError(f"cannot read npz file: {exc}", source=str(path)) from None
    try:
        if {"t", "c", "k"} <= set(data):
            return from_bspline(si.BSpline(data["t"], data["c"], int(data["k"])),
                                rationalize=rationalize)
        if {"x", "c"} <= set(data):
            return from_ppoly(si.PPoly(data["c"], data["x"]), rationalize=rationalize)
        if {"x", "y"} <= set(data):
            xs = [_num(v, rationalize) for v in data["x"]]
            ys = [_num(v, rationalize) for v in data["y"]]
            ring = PolyRing(["x"])
            if "dydx" in data:
                ss = [_num(v, rationalize) for v in data["dydx"]]
                how = "cubic Hermite interpolant of (x, y, dydx)"
            else:
                ss = cubic_interpolant(xs, ys, bc_type)
                how = f"C^2 cubic interpolant of (x, y) with bc_type={bc_type!r}"
            notes = [f"exact {how}: {_how(rationalize)}",
                     f"outside [{xs[0]}, {xs[-1]}] the end pieces are extended"]
            return _assemble(ring, xs, [_hermite_pieces(ring, xs, ys, ss)], ["f"], notes)
    except InvalidInputError as exc:
        raise exc.located(source=str(path)) from None
    except ValueError as exc:
        raise InvalidInputError(str(exc), source=str(path)) from None
    raise InvalidInputError(f"unrecognised npz contents {sorted(data)} (expected x,c or t,c,k or "
                            f"x,y[,dydx])", source=str(path))
