"""Product (Positivstellensatz-style) emptiness certificates: an LP proposes, exact arithmetic
disposes.

On an open cell with conditions ``f_k = s_k g_k > 0`` (and, optionally, *facts*: polynomials
``h_j`` known to be ``>= 0`` on the cell), look for rationals ``c_a >= 0``, not all zero, with

    sum_a  c_a * prod_k f_k^{a_k} * prod_j h_j^{b_j}  ==  0        identically.

Every term is ``>= 0`` on the cell and a nonzero polynomial cannot vanish on a nonempty open set,
so the cell is empty (the degree-0 Farkas certificate is the case of products of one factor).

The search is an LP over the products of at most ``K`` factors (HiGHS through scipy, dual
simplex for a vertex, i.e. a small support). **Columns are scaled** to unit norm first: products
of conditions have coefficients spread over many orders of magnitude, and unscaled systems are
misjudged infeasible. The float solution only proposes a support; the coefficients are then
recomputed exactly (the rational null space of the support's columns, flint ``fmpz_mat``) and
the identity is expanded exactly before anything is returned.

Examples
--------
>>> from splinesym.poly import PolyRing
>>> R = PolyRing(["x", "y"])
>>> x, y = R.gens()
>>> sol = product_certificate([x, y, -x * y], R, max_factors=3)
>>> [(str(c), a) for c, a, _ in sol]
[('1', (0, 0, 1)), ('1', (1, 1, 0))]
>>> R = PolyRing(["x", "y"]); x, y = R.gens()    # x > 1, y > x**2, y < 0: uses the square x**2
>>> [(str(c), a, str(q)) for c, a, q in product_certificate([x - 1, y - x**2, -y], R)]
[('1', (0, 1, 0), '1'), ('1', (0, 0, 1), '1'), ('1', (0, 0, 0), 'x')]
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from fractions import Fraction
from itertools import combinations_with_replacement

import flint
import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csc_matrix

from ..poly import Poly, PolyRing, to_fraction

__all__ = ["product_certificate", "exponent_product", "MAX_COLUMNS"]

#: the LP never gets more product columns than this
MAX_COLUMNS = 8000

Solution = list[tuple[Fraction, tuple[int, ...], Poly]]


def exponent_product(factors: Sequence[Poly], exps: Sequence[int], ring: PolyRing) -> Poly:
    """``prod factors[i] ** exps[i]`` (the empty product is 1)."""
    out = ring.const(1)
    for f, e in zip(factors, exps):
        if e:
            out = out * f**e
    return out


def _columns(factors, ring, max_factors, max_columns, deadline):
    """The products of 1..K factors (multisets), built incrementally; stops at the deadline."""
    n = len(factors)
    prods: dict[tuple[int, ...], Poly] = {}
    exps: list[tuple[int, ...]] = []
    polys: list[Poly] = []
    for size in range(1, max_factors + 1):
        for combo in combinations_with_replacement(range(n), size):
            if len(exps) >= max_columns or (deadline is not None and time.monotonic() > deadline):
                return exps, polys
            base = prods.get(combo[:-1])
            p = factors[combo[-1]] if base is None else base * factors[combo[-1]]
            prods[combo] = p
            e = [0] * n
            for i in combo:
                e[i] += 1
            exps.append(tuple(e))
            polys.append(p)
    return exps, polys


def _square_columns(polys, ring, nfac, max_columns):
    """Squares of monomials up to half the largest degree: ``m**2`` as extra columns."""
    if not polys:
        return [], [], []
    half = max(p.total_degree() for p in polys) // 2
    n = ring.nvars
    gens = ring.gens()
    mons = [ring.const(1)]
    out_e, out_p, out_q = [], [], []
    frontier = [(ring.const(1), 0)]
    seen = set()
    for _deg in range(half):
        new = []
        for m, last in frontier:
            for i in range(last, n):
                q = m * gens[i]
                key = str(q)
                if key in seen:
                    continue
                seen.add(key)
                new.append((q, i))
                mons.append(q)
                if len(mons) > max_columns:
                    return out_e, out_p, out_q
        frontier = new
    for q in mons[1:]:
        out_e.append((0,) * nfac)
        out_p.append(q * q)
        out_q.append(q)
    return out_e, out_p, out_q


def _relation_columns(relations, ring, top: int, max_columns: int):
    """``rel * m`` for monomials ``m`` with ``deg(rel * m) <= top`` (free-sign columns)."""
    out = []
    gens = ring.gens()
    for rel in relations:
        room = min(top - rel.total_degree(), 4)
        if room < 0:
            continue
        mons = [ring.const(1)]
        frontier = [(ring.const(1), 0)]
        for _ in range(room):
            new = []
            for m, last in frontier:
                for i in range(last, len(gens)):
                    new.append((m * gens[i], i))
            mons.extend(m for m, _ in new)
            frontier = new
            if len(mons) > max_columns:
                break
        out.extend(rel * m for m in mons[:max_columns])
    return out


def _float_system(polys):
    """Sparse float matrix (monomial x column), each column scaled to unit 2-norm."""
    rows: dict[tuple[int, ...], int] = {}
    r_idx, c_idx, vals = [], [], []
    norms = np.zeros(len(polys))
    for j, p in enumerate(polys):
        cs = [float(c) for c in p.coeffs()]
        nrm = float(np.sqrt(sum(v * v for v in cs))) or 1.0
        norms[j] = nrm
        for e, v in zip(p.monoms(), cs):
            r_idx.append(rows.setdefault(tuple(e), len(rows)))
            c_idx.append(j)
            vals.append(v / nrm)
    A = csc_matrix((vals, (r_idx, c_idx)), shape=(len(rows), len(polys)))
    return A, norms


def _lp_support(polys, seconds: float | None, nfree: int = 0) -> list[int] | None:
    """Float LP: a vertex of ``{c : A c = 0, sum c = 1}`` (scaled columns; the last ``nfree``
    columns are free, the others ``>= 0`` and normalised); its support."""
    A, _ = _float_system(polys)
    m, n = A.shape
    from scipy.sparse import vstack

    norm_row = np.ones((1, n))
    if nfree:
        norm_row[0, n - nfree:] = 0.0
    A_eq = vstack([A, csc_matrix(norm_row)]).tocsc()
    b_eq = np.zeros(m + 1)
    b_eq[m] = 1.0
    opts = {"presolve": True}
    if seconds is not None:
        opts["time_limit"] = max(0.05, seconds)
    try:
        bounds = [(0, None)] * (n - nfree) + [(None, None)] * nfree
        res = linprog(np.zeros(n), A_eq=A_eq, b_eq=b_eq, bounds=bounds, method="highs-ds",
                      options=opts)
    except ValueError:
        return None
    if res.status != 0 or res.x is None:
        return None
    x = np.abs(res.x)
    support = [j for j in range(n) if x[j] > 1e-9 * max(1.0, x.max())]
    return support or None


def _exact_kernel(polys: Sequence[Poly]) -> list[list[Fraction]]:
    """A basis of the rational null space of the columns ``polys`` (coefficient vectors)."""
    rows: dict[tuple[int, ...], int] = {}
    cols = []
    for p in polys:
        d = {}
        for e, c in zip(p.monoms(), p.coeffs()):
            d[rows.setdefault(tuple(e), len(rows))] = to_fraction(c)
        cols.append(d)
    scale = []
    for d in cols:
        scale.append(math.lcm(*(v.denominator for v in d.values())) if d else 1)
    M = [[0] * len(cols) for _ in range(len(rows))]
    for j, d in enumerate(cols):
        for i, v in d.items():
            M[i][j] = int(v * scale[j])
    X, nullity = flint.fmpz_mat(M).nullspace()
    basis = []
    for t in range(int(nullity)):
        basis.append([Fraction(int(X[j, t]) * scale[j]) for j in range(len(cols))])
    return basis


def _nonnegative_in(basis: list[list[Fraction]], guess: np.ndarray,
                    signed: list[bool]) -> list[Fraction] | None:
    """A vector of the span of ``basis``, ``>= 0`` and not all 0 on the ``signed`` entries,
    near ``guess`` if the span is larger than a line."""
    def ok(v):
        part = [a for a, sg in zip(v, signed) if sg]
        return all(a >= 0 for a in part) and any(part)

    if not basis:
        return None
    if len(basis) == 1:
        v = basis[0]
        if ok([-a for a in v]):
            v = [-a for a in v]
        return v if ok(v) else None
    B = np.array([[float(a) for a in b] for b in basis]).T
    y, *_ = np.linalg.lstsq(B, guess, rcond=None)
    for den in (10**3, 10**6, 10**9):
        yq = [Fraction(float(t)).limit_denominator(den) for t in y]
        v = [sum(yq[t] * basis[t][j] for t in range(len(basis))) for j in range(B.shape[0])]
        if ok(v):
            return v
    return None


def _solve_on_support(polys, support, nsigned: int) -> list[Fraction] | None:
    sub = [polys[j] for j in support]
    basis = _exact_kernel(sub)
    if not basis:
        return None
    A, norms = _float_system(sub)
    guess = np.ones(len(sub)) / norms   # any positive vector: only the sign pattern matters
    return _nonnegative_in(basis, guess, [j < nsigned for j in support])


def product_certificate(factors: Sequence[Poly], ring: PolyRing, *, max_factors: int = 2,
                        seconds: float | None = None,
                        max_columns: int = MAX_COLUMNS,
                        with_squares: bool = True,
                        relations: Sequence[Poly] = ()) -> Solution | None:
    """Nonnegative rationals ``c_a`` with ``sum c_a prod factors^a == 0`` exactly, or None.

    Parameters
    ----------
    factors : sequence of Poly
        Polynomials positive (or nonnegative) on the set in question.
    ring : PolyRing
    max_factors : int
        Largest number of factors in one product (``K``).
    seconds : float, optional
        Time for building the columns and the LP.
    with_squares : bool
        Also offer squares of monomials ``m**2`` (up to half the largest degree) as terms.
    relations : sequence of Poly
        Polynomials known to vanish on the set (``rel * m`` columns of either sign; they are
        left out of the returned terms, whose sum is then ``-sum rel * m``: the caller checks
        the identity where the relations vanish identically).

    Returns
    -------
    list of (Fraction, exponent tuple, Poly) or None
        The terms ``(c, a, q)`` with ``c > 0`` meaning ``c * prod factors^a * q**2``; the
        identity has been expanded exactly.
    """
    if not factors:
        return None
    t0 = time.monotonic()
    deadline = None if seconds is None else t0 + seconds
    exps, polys = _columns(list(factors), ring, max_factors, max_columns, deadline)
    if not polys:
        return None
    squares = [ring.const(1)] * len(polys)
    if with_squares:
        e2, p2, q2 = _square_columns(polys, ring, len(factors), max_columns)
        exps, polys, squares = exps + e2, polys + p2, squares + q2
    nsigned = len(polys)
    top = max(p.total_degree() for p in polys)
    free = _relation_columns(relations, ring, top, max_columns) if relations else []
    left = None if seconds is None else seconds - (time.monotonic() - t0)
    if left is not None and left <= 0:
        return None
    allp = polys + free
    support = _lp_support(allp, left, len(free))
    if support is None:
        return None
    c = _solve_on_support(allp, support, nsigned)
    if c is None:
        return None
    total = ring.zero()
    for cj, j in zip(c, support):
        if cj:
            total += allp[j] * ring.const(cj)
    sol = [(cj, exps[j], squares[j]) for cj, j in zip(c, support) if cj and j < nsigned]
    return sol if total.is_zero() and sol else None
