"""Linear programming tiers: HiGHS (through scipy) proposes, exact rational arithmetic disposes.

* :func:`affine_witness` maximises the normalised margin of affine conditions and returns a rational
  point that satisfies them exactly (checked), or ``None``.
* :func:`farkas_multipliers` looks for nonnegative multipliers with ``sum(l_k s_k g_k)`` a constant
  ``<= 0``, treating every monomial as an independent coordinate (the Veronese lift; for affine
  conditions this is Motzkin's transposition theorem and is complete). The float multipliers are
  rebuilt exactly on their support and returned only when :func:`check_farkas` accepts them.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import numpy as np
from scipy.optimize import linprog

from ..poly import Poly, scaled_floats, to_fraction
from .decision import check_farkas, check_witness

__all__ = ["affine_witness", "farkas_multipliers", "rationalize_point", "exact_solve"]


def rationalize_point(x: Sequence[float], conditions: Sequence[tuple[Poly, int]],
                      max_bits: int = 48) -> tuple[Fraction, ...] | None:
    """A rational point near ``x`` that satisfies ``conditions`` exactly, preferring small
    denominators (powers of two), or None when none within ``max_bits`` bits works."""
    x = [float(v) for v in x]
    if not all(np.isfinite(x)):
        return None
    for bits in (0, 1, 2, 3, 4, 6, 8, 10, 12, 16, 20, 24, 32, 40, max_bits):
        scale = 1 << bits
        pt = tuple(Fraction(round(v * scale), scale) for v in x)
        if check_witness(conditions, pt):
            return pt
    pt = tuple(Fraction(v) for v in x)
    return pt if check_witness(conditions, pt) else None


def _affine_rows(conditions, nvars):
    A = np.zeros((len(conditions), nvars))
    b = np.zeros(len(conditions))
    for r, (g, s) in enumerate(conditions):
        for e, c in zip(g.monoms(), scaled_floats(g.coeffs())):
            val = c * s
            d = sum(e)
            if d == 0:
                b[r] += val
            else:
                A[r, list(e).index(1)] += val
    return A, b


def affine_witness(conditions: Sequence[tuple[Poly, int]], nvars: int,
                   box: float = 1e4) -> tuple[tuple[Fraction, ...] | None, float]:
    """Maximise t subject to ``s_k g_k(x) >= t * |grad g_k|``, ``t <= 1``, ``|x_i| <= box``.

    Returns ``(point, t)``: a verified rational point when ``t > 0`` and rounding succeeds.
    """
    if not conditions:
        return tuple(Fraction(0) for _ in range(nvars)), 1.0
    A, b = _affine_rows(conditions, nvars)
    norms = np.linalg.norm(A, axis=1)
    norms[norms == 0] = 1.0
    # variables (x, t); constraint: -(A x)/n + t <= b/n
    A_ub = np.hstack([-A / norms[:, None], np.ones((len(conditions), 1))])
    b_ub = b / norms
    c = np.zeros(nvars + 1)
    c[-1] = -1.0
    bounds = [(-box, box)] * nvars + [(None, 1.0)]
    res = linprog(c, A_ub=A_ub, b_ub=b_ub, bounds=bounds, method="highs")
    if res.status != 0 or res.x is None:
        return None, float("nan")
    t = float(res.x[-1])
    if t <= 1e-12:
        return None, t
    return rationalize_point(res.x[:nvars], conditions), t


def _monomial_system(conditions):
    monos: dict[tuple[int, ...], int] = {}
    entries = []
    consts = []
    for k, (g, s) in enumerate(conditions):
        c0 = Fraction(0)
        for e, c in zip(g.monoms(), g.coeffs()):
            e = tuple(e)
            if not any(e):
                c0 = to_fraction(c) * s
                continue
            j = monos.setdefault(e, len(monos))
            entries.append((j, k, to_fraction(c) * s))
        consts.append(c0)
    return monos, entries, consts


def exact_solve(rows: list[list[Fraction]], rhs: list[Fraction],
                guess: list[Fraction]) -> list[Fraction] | None:
    """A solution of ``rows @ x = rhs`` in exact rationals; free variables take ``guess``.

    Returns None when the system is inconsistent.
    """
    m = len(rows)
    n = len(guess)
    M = [list(r) + [rhs[i]] for i, r in enumerate(rows)]
    pivots = []
    r = 0
    for col in range(n):
        piv = next((i for i in range(r, m) if M[i][col] != 0), None)
        if piv is None:
            continue
        M[r], M[piv] = M[piv], M[r]
        inv = 1 / M[r][col]
        M[r] = [v * inv for v in M[r]]
        for i in range(m):
            if i != r and M[i][col] != 0:
                f = M[i][col]
                M[i] = [a - f * b for a, b in zip(M[i], M[r])]
        pivots.append(col)
        r += 1
        if r == m:
            break
    for i in range(r, m):
        if M[i][n] != 0:
            return None
    x = list(guess)
    free = [j for j in range(n) if j not in pivots]
    for i, col in enumerate(pivots):
        x[col] = M[i][n] - sum(M[i][j] * x[j] for j in free)
    return x


def farkas_multipliers(conditions: Sequence[tuple[Poly, int]]) -> tuple[Fraction, ...] | None:
    """Exact Farkas multipliers proving the conditions infeasible, or None if none were found.

    Examples
    --------
    >>> from splinesym.poly import PolyRing
    >>> R = PolyRing(["x", "y"])
    >>> conds = [(R.parse("x + y - 1"), 1), (R.parse("x"), -1), (R.parse("y"), -1)]
    >>> farkas_multipliers(conds)
    (Fraction(1, 3), Fraction(1, 3), Fraction(1, 3))
    """
    m = len(conditions)
    if m == 0:
        return None
    monos, entries, consts = _monomial_system(conditions)
    nm = len(monos)
    # floats of each condition scaled by one power of two (huge weights never overflow)
    by_k: dict[int, list] = {k: [consts[k]] for k in range(m)}
    for _j, k, v in entries:
        by_k[k].append(v)
    fl = {k: iter(scaled_floats(vs)) for k, vs in by_k.items()}
    fconst = {k: next(fl[k]) for k in range(m)}
    fentries = [(j, k, next(fl[k])) for j, k, _v in entries]
    norms = np.zeros(m)
    for _j, k, v in fentries:
        norms[k] += v ** 2
    norms = np.sqrt(norms)
    for k in range(m):
        if norms[k] == 0:
            norms[k] = max(abs(fconst[k]), 1.0)
    A_eq = np.zeros((nm + 1, m))
    for j, k, v in fentries:
        A_eq[j, k] = v / norms[k]
    A_eq[nm, :] = 1.0
    b_eq = np.zeros(nm + 1)
    b_eq[nm] = 1.0
    cvec = np.array([fconst[k] / norms[k] for k in range(m)])
    res = linprog(cvec, A_eq=A_eq, b_eq=b_eq, bounds=[(0, None)] * m, method="highs-ds")
    if res.status != 0 or res.x is None or res.fun > 1e-9:
        return None
    lam = res.x
    support = [k for k in range(m) if lam[k] > 1e-10]
    if not support:
        return None
    # exact: rows = monomial equations restricted to the support, plus the normalisation
    rows = [[Fraction(0)] * len(support) for _ in range(nm)]
    pos = {k: i for i, k in enumerate(support)}
    for j, k, v in entries:
        if k in pos:
            rows[j][pos[k]] = v
    rows.append([Fraction(1)] * len(support))
    rhs = [Fraction(0)] * nm + [Fraction(1)]
    scaled = np.array([lam[k] / norms[k] for k in support])
    scaled = scaled / scaled.sum()
    guess = [Fraction(float(v)).limit_denominator(10**6) for v in scaled]
    sol = exact_solve(rows, rhs, guess)
    if sol is None:
        return None
    full = [Fraction(0)] * m
    for k, v in zip(support, sol):
        full[k] = v
    return tuple(full) if check_farkas(conditions, full) else None
