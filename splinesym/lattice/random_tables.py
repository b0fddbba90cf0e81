"""Random continuous spline tables on hyperplane arrangements (for tests, proofs and benchmarks).

:func:`random_arrangement` draws integer affine breaks: ``generic``, ``concurrent`` (all through
one point), ``parallel`` (pairs sharing a normal) or ``mixed``. :func:`random_spline_table` then
draws a spline on its cells in one of two ways:

``space``
    a random element of the whole space of ``C^r`` splines of degree ``≤ d`` on the cells:
    unknown coefficients on every cell, and for every pair of adjacent cells (across the plane
    ``h``) the linear conditions that the difference and its first ``r`` derivatives across
    ``h`` vanish at enough random rational points of the wall; an exact null space (flint
    ``fmpq_mat``) and random integer combinations of its basis. This reaches splines outside
    ``p₀ + Σ Π ReLU(lᵢ)·q`` (e.g. on three concurrent lines).
``relu``
    ``p₀ + Σ_S Π_{i∈S} ReLU(h_i)^{r+1}·q_S`` (|S| ≤ 2).

Cells with one polynomial are merged into larger pieces (a piece is a set of sign conditions;
conditions are dropped while every cell matching the smaller set has the same polynomial), so the
pieces are cells or unions of cells, as in a user's table.

Examples
--------
>>> sp = random_spline_table(2, 3, 2, seed=1, kind="concurrent")
>>> sp.nvars, len(sp.breaks) <= 3, all(b.total_degree() == 1 for b in sp.breaks)
(2, True, True)
"""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

from ..poly import PolyRing
from ..spline import Spline

__all__ = ["random_arrangement", "random_spline_table", "NAMES"]

NAMES = ("x", "y", "z", "w")


def random_arrangement(n: int, m: int, rng: random.Random, kind: str = "generic") -> list[str]:
    """``m`` distinct integer affine breaks in ``n`` variables, as strings."""
    names = NAMES[:n]
    out: list[tuple] = []
    center = [rng.randint(-2, 2) for _ in range(n)]
    tries = 0
    while len(out) < m and tries < 1000:
        tries += 1
        if n == 1:
            a, c = [1], rng.randint(-4, 4)
        else:
            a = [rng.randint(-3, 3) for _ in range(n)]
            if not any(a):
                continue
            if kind == "concurrent" or (kind == "mixed" and len(out) % 3 == 1):
                c = -sum(ai * pi for ai, pi in zip(a, center, strict=True))
            elif (kind == "parallel" or kind == "mixed") and out and len(out) % 2 == 1:
                a = list(out[-1][0])
                c = out[-1][1] + rng.choice([-3, -2, -1, 1, 2, 3])
            else:
                c = rng.randint(-3, 3)
        key = _normal_key(a, c)
        if any(_normal_key(b, d) == key for b, d in out):
            continue
        out.append((tuple(a), c))
    return [" + ".join([*(f"({ai})*{v}" for ai, v in zip(a, names, strict=True) if ai),
                        f"({c})"]) for a, c in out]


def _normal_key(a, c):
    lead = next(x for x in a if x)
    return tuple(Fraction(x, lead) for x in a), Fraction(c, lead)


def _monomials(n: int, d: int) -> list[tuple[int, ...]]:
    return [e for e in itertools.product(range(d + 1), repeat=n) if sum(e) <= d]


def _mono_val(e, pt) -> Fraction:
    v = Fraction(1)
    for k, x in zip(e, pt, strict=True):
        v *= x ** k
    return v


def _deriv_val(e, pt, j: int, r: int) -> Fraction:
    """``∂^r/∂x_j^r`` of the monomial at ``pt``."""
    if e[j] < r:
        return Fraction(0)
    c = 1
    for i in range(r):
        c *= e[j] - i
    e2 = list(e)
    e2[j] -= r
    return c * _mono_val(e2, pt)


def _wall_points(h, n: int, rng: random.Random, count: int) -> list[list[Fraction]]:
    coef = [h.coeffs()[i] for i in range(len(h.coeffs()))]
    monos = [tuple(m) for m in h.monoms()]
    a = [Fraction(0)] * n
    c = Fraction(0)
    for e, v in zip(monos, coef, strict=True):
        v = Fraction(int(v.p), int(v.q))
        if any(e):
            a[e.index(1)] = v
        else:
            c = v
    j = max(range(n), key=lambda i: abs(a[i]))
    pts = []
    for _ in range(count):
        pt = [Fraction(rng.randint(-40, 40), rng.randint(1, 7)) for _ in range(n)]
        pt[j] = (-c - sum(a[i] * pt[i] for i in range(n) if i != j)) / a[j]
        pts.append(pt)
    return pts, j


def _nullspace(rows: list[list[Fraction]], ncols: int) -> list[list[Fraction]]:
    import flint

    if not rows:
        return [[Fraction(int(i == k)) for i in range(ncols)] for k in range(ncols)]
    M = flint.fmpq_mat(len(rows), ncols, [flint.fmpq(x.numerator, x.denominator)
                                          for r in rows for x in r])
    R, rank = M.rref()
    piv = []
    for i in range(rank):
        piv.append(next(j for j in range(ncols) if R[i, j] != 0))
    free = [j for j in range(ncols) if j not in piv]
    basis = []
    for f in free:
        v = [Fraction(0)] * ncols
        v[f] = Fraction(1)
        for i, p in enumerate(piv):
            x = R[i, f]
            v[p] = -Fraction(int(x.p), int(x.q))
        basis.append(v)
    return basis


def _rand_poly(R, n: int, d: int, rng: random.Random, dens: float = 0.7):
    p = R.zero()
    if d < 0:
        return p
    for e in _monomials(n, d):
        if rng.random() < dens:
            p += _mono_poly(R, e) * R.const(rng.randint(-3, 3))
    return p


def _mono_poly(R, e):
    p = R.const(1)
    for g, k in zip(R.gens(), e, strict=True):
        p = p * g ** k
    return p


def _space_values(R, planes, signs, n, d, r, rng):
    """A random element of the C^r spline space on the cells (exact null space)."""
    monos = _monomials(n, d)
    nm = len(monos)
    ncols = nm * len(signs)
    index = {s: i for i, s in enumerate(signs)}
    per_wall = len(_monomials(n - 1, d)) + 3
    rows = []
    for a, sa in enumerate(signs):
        for k in range(len(planes)):
            if sa[k] < 0:
                continue
            sb = list(sa)
            sb[k] = -1
            b = index.get(tuple(sb))
            if b is None:
                continue
            pts, j = _wall_points(planes[k], n, rng, per_wall)
            for pt in pts:
                for i in range(r + 1):
                    row = [Fraction(0)] * ncols
                    for t, e in enumerate(monos):
                        v = _deriv_val(e, pt, j, i)
                        row[a * nm + t] = v
                        row[b * nm + t] = -v
                    rows.append(row)
    basis = _nullspace(rows, ncols)
    vec = [Fraction(0)] * ncols
    for v in basis:
        c = rng.randint(-2, 2)
        if c:
            vec = [x + c * y for x, y in zip(vec, v, strict=True)]
    den = 1
    for x in vec:
        den = den * x.denominator // _gcd(den, x.denominator)
    vals = []
    for c in range(len(signs)):
        p = R.zero()
        for t, e in enumerate(monos):
            x = vec[c * nm + t] * den
            if x:
                p += _mono_poly(R, e) * R.const(x)
        vals.append(p)
    return vals


def _gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return a


def _relu_values(R, planes, signs, n, d, r, rng):
    """``p0 + Σ_S Π ReLU(h_i)^(r+1) q_S`` (|S| ≤ 2) on every cell."""
    e = r + 1
    terms = [((), _rand_poly(R, n, d, rng))]
    for k in range(len(planes)):
        terms.append(((k,), _rand_poly(R, n, d - e, rng)))
    for k, l in itertools.combinations(range(len(planes)), 2):
        if rng.random() < 0.5:
            terms.append(((k, l), _rand_poly(R, n, d - 2 * e, rng)))
    vals = []
    for sg in signs:
        p = R.zero()
        for S, q in terms:
            if all(sg[k] > 0 for k in S):
                f = q
                for k in S:
                    f = f * planes[k] ** e
                p += f
        vals.append(p)
    return vals


def _merge(signs, vals) -> list[tuple[list, int]]:
    """Pieces as (region, cell) pairs: cells of one polynomial merged while possible."""
    keys = [str(v) for v in vals]
    done: set[int] = set()
    pieces = []
    for c, sg in enumerate(signs):
        if c in done:
            continue
        region = dict(enumerate(sg))
        for k in list(region):
            trial = {i: s for i, s in region.items() if i != k}
            match = [x for x, s2 in enumerate(signs) if all(s2[i] == s for i, s in trial.items())]
            if all(keys[x] == keys[c] and (x not in done or x == c) for x in match):
                region = trial
        match = [x for x, s2 in enumerate(signs) if all(s2[i] == s for i, s in region.items())]
        done.update(match)
        pieces.append((sorted(region.items()), c))
    return pieces


def random_spline_table(n: int, m: int, d: int, *, seed: int = 0, kind: str = "generic",
                        smooth: int = 0, mode: str = "space") -> Spline:
    """A random continuous (``C^smooth``) spline of degree ``≤ d`` on ``m`` affine breaks.

    Parameters
    ----------
    n, m, d : int
        Variables (1–4), breaks, degree of the pieces.
    kind : str
        ``generic``, ``concurrent``, ``parallel`` or ``mixed`` arrangement.
    smooth : int
        ``r`` of ``C^r`` (the walls divide the jumps to the power ``r + 1``).
    mode : str
        ``space`` (random element of the spline space) or ``relu`` (ReLU formula).
    """
    from .arrangement import sign_cells

    rng = random.Random(seed)
    breaks = random_arrangement(n, m, rng, kind)
    R = PolyRing(list(NAMES[:n]))
    planes = [R.parse(b) for b in breaks]
    signs, _ = sign_cells(R, planes)
    make = _space_values if mode == "space" else _relu_values
    vals = make(R, planes, signs, n, d, smooth, rng)
    pieces = [([(k, s) for k, s in region], [R.format(vals[c])]) for region, c in
              _merge(signs, vals)]
    return Spline.from_pieces(list(NAMES[:n]), ["f"], breaks, pieces)
