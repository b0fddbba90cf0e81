"""Structure of attention scores: exact facts, and product certificates in the score variables.

The scores of one head are ``sigma_ij = u_i^T A v_j`` with ``u_i`` the (augmented) query rows and
``v_j`` the key rows of the stream on the current cell (polynomials in the inputs; a constant 1
is appended when the head has biases) and ``A = scale * WQ~ WK~^T``. Facts that hold on a cell,
each an exact identity in the input variables (the kernel re-checks it by expansion):

* **Aczel** (reversed Cauchy-Schwarz): if ``q' = eps * sym(A)`` has exactly one positive square
  (exact congruence diagonalisation ``q' = d_1 l_1^2 - sum e_i l_i^2``), then wherever
  ``eps * sigma_uu > 0``, ``h = q(u, v)^2 - q(u, u) q(v, v) >= 0``, by
  ``d_1 a_1^2 q'(u,u) h == sum_{i<j} e_i e_j (a_i b_j - a_j b_i)^2 + q'(u,u) sum e_i b_i^2`` with
  ``a_i = l_i(u)``, ``b_i = l_i(w)``, ``w = q'(u,u) v - q'(u,v) u``.
* **Cauchy-Binet** (as many tokens as the augmented width): ``sign(det A) det S ==
  |det A| det(U)^2 >= 0``, the same for ``sym(A)`` and ``S_sym``, and the identity
  ``det(sym A) det S == det(A) det S_sym``.

The facts are polynomials in the scores; the conditions of the cell that are scores (up to a
constant) become linear factors; the product LP (:func:`.psatz.product_certificate`) runs in the
score variables, and the certificate is translated back into the input variables and checked
there exactly (:func:`.evidence.check_psatz`).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import permutations

from ..poly import Poly, PolyRing, primitive_integer_form, to_fraction
from ..region import Region, poly_key
from .evidence import Fact, Term, check_psatz, psatz_evidence
from .psatz import product_certificate

__all__ = ["ScoreSystem", "diagonalize", "structure_certificate", "score_systems",
           "structure_witness", "score_problem"]

Matrix = tuple[tuple[Fraction, ...], ...]


@dataclass(frozen=True)
class ScoreSystem:
    """The scores ``U A V^T`` of one attention head on one cell.

    ``U`` and ``V`` are rows of polynomials (the same object for self-attention), ``A`` an exact
    matrix that includes the scale; ``label`` says which head.
    """

    U: tuple[tuple[Poly, ...], ...]
    V: tuple[tuple[Poly, ...], ...]
    A: Matrix
    self_attention: bool
    label: str = ""


def diagonalize(M: Sequence[Sequence[Fraction]]) -> list[tuple[Fraction, list[Fraction]]]:
    """Exact congruence diagonalisation: ``x^T M x == sum d_i (l_i . x)^2`` for symmetric ``M``.

    >>> diagonalize([[Fraction(0), Fraction(1)], [Fraction(1), Fraction(0)]])
    [(Fraction(1, 2), [Fraction(1, 1), Fraction(1, 1)]), (Fraction(-1, 2), [Fraction(-1, 1), Fraction(1, 1)])]
    """  # noqa: E501
    n = len(M)
    G = [[Fraction(v) for v in row] for row in M]
    out: list[tuple[Fraction, list[Fraction]]] = []
    while True:
        i = next((i for i in range(n) if G[i][i] != 0), None)
        if i is not None:
            d = G[i][i]
            row = [v / d for v in G[i]]
            out.append((d, row))
            G = [[G[a][b] - d * row[a] * row[b] for b in range(n)] for a in range(n)]
            continue
        pair = next(((i, j) for i in range(n) for j in range(n) if G[i][j] != 0), None)
        if pair is None:
            return out
        i, j = pair
        m = G[i][j]
        ri, rj = list(G[i]), list(G[j])
        out.append((1 / (2 * m), [a + b for a, b in zip(ri, rj)]))
        out.append((-1 / (2 * m), [a - b for a, b in zip(ri, rj)]))
        G = [[G[a][b] - (ri[a] * rj[b] + rj[a] * ri[b]) / m for b in range(n)] for a in range(n)]


def _det(rows: list[list], one):
    """Leibniz determinant (small matrices of polynomials or numbers)."""
    n = len(rows)
    total = one * 0
    for perm in permutations(range(n)):
        sgn = 1
        for a in range(n):
            for b in range(a + 1, n):
                if perm[a] > perm[b]:
                    sgn = -sgn
        p = one
        for a in range(n):
            p = p * rows[a][perm[a]]
        total = total + p if sgn > 0 else total - p
    return total


def _form(ring: PolyRing, M, u, v) -> Poly:
    out = ring.zero()
    for a, ua in enumerate(u):
        for b, vb in enumerate(v):
            if M[a][b]:
                out += ua * vb * ring.const(M[a][b])
    return out


class _Builder:
    """Score variables, condition factors and facts of the score systems on one region."""

    def __init__(self, ring: PolyRing, systems: Sequence[ScoreSystem]):
        self.ring = ring
        self.systems = list(systems)
        names, self.sigma, self.where = [], [], {}
        for s, sy in enumerate(self.systems):
            for i, u in enumerate(sy.U):
                for j, v in enumerate(sy.V):
                    self.where[(s, i, j)] = len(names)
                    names.append(f"t{s}_{i}_{j}")
                    self.sigma.append(_form(ring, sy.A, u, v))
        self.T = PolyRing(names)
        self.tvars = self.T.gens()
        self.factors: list[Poly] = []      # in the score ring
        self.kinds: list[tuple] = []       # ("cond", k) or ("fact", Fact)
        #: score polynomials that vanish identically in the inputs (usable with either sign)
        self.relations: list[Poly] = []

    def t(self, s, i, j) -> Poly:
        return self.tvars[self.where[(s, i, j)]]

    def to_x(self, p: Poly) -> Poly:
        return p.compose(*self.sigma, ctx=self.ring.ctx) if self.sigma else p

    def add_conditions(self, table, region: Region) -> dict[tuple[int, int, int], tuple]:
        """Conditions that are a constant times one score: linear factors ``(s/c) t``."""
        by_key = {}
        for n, sig in enumerate(self.sigma):
            if sig.is_zero() or sig.is_constant():
                continue
            q, c = primitive_integer_form(sig)
            by_key.setdefault(poly_key(q), (n, to_fraction(c)))
        signs = {}
        for k, s in region:
            hit = by_key.get(poly_key(table[k]))
            if hit is None:
                continue
            n, c = hit
            self.factors.append(self.tvars[n] * self.T.const(Fraction(s) / c))
            self.kinds.append(("cond", k))
            signs[n] = (k, s * (1 if c > 0 else -1), abs(c))
        return signs

    def add_fact(self, poly_t: Poly, fact: Fact) -> None:
        self.factors.append(poly_t)
        self.kinds.append(("fact", fact))


def _aczel_facts(b: _Builder, s: int, sy: ScoreSystem, signs) -> None:
    n = len(sy.A)
    sym = [[(sy.A[a][c] + sy.A[c][a]) / 2 for c in range(n)] for a in range(n)]
    R = b.ring
    done: set[tuple[int, int]] = set()
    for eps in (1, -1):
        diag = diagonalize([[eps * v for v in row] for row in sym])
        pos = [(d, l) for d, l in diag if d > 0]
        if len(pos) != 1:
            continue
        d1, l1 = pos[0]
        rest = [(-d, l) for d, l in diag if d < 0]
        qe = [[eps * v for v in row] for row in sym]
        for i in range(len(sy.U)):
            hit = signs.get(b.where[(s, i, i)])
            if hit is None or hit[1] != eps:
                continue
            k, _, absc = hit
            lam = absc                     # q'(u,u) = eps sigma_uu = lam f_k
            u = sy.U[i]
            quu = _form(R, qe, u, u)
            a = [sum((u[m] * R.const(l[m]) for m in range(n) if l[m]), R.zero())
                 for _, l in [(d1, l1), *rest]]
            if a[0].is_zero():
                continue
            for j in range(len(sy.U)):
                if j == i or (min(i, j), max(i, j)) in done:
                    continue
                done.add((min(i, j), max(i, j)))
                v = sy.U[j]
                quv = _form(R, qe, u, v)
                w = [quu * v[m] - quv * u[m] for m in range(n)]
                bb = [sum((w[m] * R.const(l[m]) for m in range(n) if l[m]), R.zero())
                      for _, l in [(d1, l1), *rest]]
                terms = []
                for p in range(1, len(rest) + 1):
                    for r in range(p + 1, len(rest) + 1):
                        sq = a[p] * bb[r] - a[r] * bb[p]
                        if not sq.is_zero():
                            terms.append(Term(rest[p - 1][0] * rest[r - 1][0] / (d1 * lam),
                                              (), (), sq))
                for p in range(1, len(rest) + 1):
                    if not bb[p].is_zero():
                        terms.append(Term(rest[p - 1][0] / d1, ((k, 1),), (), bb[p]))
                ti, tj = b.t(s, i, j), b.t(s, j, i)
                half = b.T.const(Fraction(1, 2))
                h_t = ((ti + tj) * half) ** 2 - b.t(s, i, i) * b.t(s, j, j)
                fact = Fact(b.to_x(h_t), tuple(terms), ((k, 1),), a[0],
                            note=f"Aczel: {sy.label} tokens {i + 1}, {j + 1}")
                b.add_fact(h_t, fact)


def _binet_facts(b: _Builder, s: int, sy: ScoreSystem) -> None:
    n = len(sy.A)
    if not sy.self_attention or len(sy.U) != n or n > 4:
        return
    R, T = b.ring, b.T
    detU = _det([list(r) for r in sy.U], R.const(1))
    if detU.is_zero():
        return
    sym = [[(sy.A[a][c] + sy.A[c][a]) / 2 for c in range(n)] for a in range(n)]
    tm = [[b.t(s, i, j) for j in range(n)] for i in range(n)]
    half = T.const(Fraction(1, 2))
    tsym = [[(tm[i][j] + tm[j][i]) * half for j in range(n)] for i in range(n)]
    dets = []
    for M, tt, what in ((sy.A, tm, "S"), (sym, tsym, "S_sym")):
        dA = _det([list(r) for r in M], Fraction(1))
        dT = _det(tt, T.const(1))
        dets.append((dA, dT))
        if dA == 0:
            continue
        sg = 1 if dA > 0 else -1
        h_t = dT * T.const(sg)
        b.add_fact(h_t, Fact(b.to_x(h_t), (Term(abs(dA), (), (), detU),),
                             note=f"Cauchy-Binet: sign(det A) det {what} >= 0, {sy.label}"))
    (dA, dT), (dAs, dTs) = dets
    if dA != 0 and dAs != 0:
        # an identity in the inputs: in the score variables it may be used with any sign
        eq = dT * T.const(dAs) - dTs * T.const(dA)
        if b.to_x(eq).is_zero():
            b.relations.append(eq)


def _translate(b: _Builder, sol) -> dict:
    """The score-space solution as evidence in the input variables (facts reindexed)."""
    used: dict[int, int] = {}
    facts: list[Fact] = []
    terms = []
    for c, exps, q in sol:
        conds, fs = [], []
        for idx, e in enumerate(exps):
            if not e:
                continue
            kind, what = b.kinds[idx]
            if kind == "cond":
                conds.append((what, e))
            else:
                if idx not in used:
                    used[idx] = len(facts)
                    facts.append(what)
                fs.append((used[idx], e))
        qx = b.to_x(q)
        terms.append(Term(c, tuple(conds), tuple(fs), None if qx == b.ring.const(1) else qx))
    return psatz_evidence(b.ring, terms, facts)


def structure_certificate(table, region: Region, systems: Sequence[ScoreSystem], *,
                          max_factors: int = 3, seconds: float | None = None,
                          start: int = 2) -> dict | None:
    """Psatz evidence that ``region`` is empty, found in the score variables of ``systems``.

    Returns the evidence (in the input variables, checked exactly) or None.
    """
    t0 = time.monotonic()
    b = _Builder(table.ring, systems)
    signs = b.add_conditions(table, region)
    if not signs:
        return None
    nfac = len(b.factors)
    for s, sy in enumerate(b.systems):
        if sy.self_attention:
            _aczel_facts(b, s, sy, signs)
            _binet_facts(b, s, sy)
    if len(b.factors) == nfac:
        return None
    for K in range(start, max_factors + 1):
        left = None if seconds is None else seconds - (time.monotonic() - t0)
        if left is not None and left <= 0:
            return None
        sol = product_certificate(b.factors, b.T, max_factors=K, seconds=left,
                                  relations=b.relations)
        if sol is None:
            continue
        ev = _translate(b, sol)
        conds = {k: (table[k], s) for k, s in region}
        if check_psatz(table.ring, conds, ev):
            return ev
    return None


def _augmented(W, bias) -> list[list[Fraction]] | None:
    rows = [list(r) for r in W]
    if bias is not None:
        flat = list(bias[0]) if bias and isinstance(bias[0], (list, tuple)) else list(bias)
        rows.append(flat)
    if any(isinstance(v, str) for r in rows for v in r):
        return None
    return [[Fraction(v) for v in r] for r in rows]


def score_systems(ring: PolyRing, Zq_values, Zkv_values, head, scale,
                  label: str = "") -> list[list[ScoreSystem]] | None:
    """Per cell, the score system of ``head`` (``Zq``/``Zkv`` given by their per-cell object
    arrays of polynomials); None when a weight is a symbol.

    Biases are absorbed by appending a constant 1 to every stream row:
    ``(z WQ + bQ) (z' WK + bK)^T = (z, 1) WQ~ WK~^T (z', 1)^T``.
    """
    if isinstance(scale, str):
        return None
    bias = head.bQ is not None or head.bK is not None
    dq = len(head.WQ[0]) if head.WQ else 0
    WQ = _augmented(head.WQ, (head.bQ if head.bQ is not None else [0] * dq) if bias else None)
    WK = _augmented(head.WK, (head.bK if head.bK is not None else [0] * dq) if bias else None)
    if WQ is None or WK is None:
        return None
    sc = Fraction(scale)
    A = tuple(tuple(sc * sum((a * b for a, b in zip(WQ[i], WK[j])), Fraction(0))
                    for j in range(len(WK))) for i in range(len(WQ)))
    one = ring.const(1)
    out = []
    for Zq, Zk in zip(Zq_values, Zkv_values):
        U = tuple(tuple(list(Zq[i]) + ([one] if bias else [])) for i in range(Zq.shape[0]))
        V = tuple(tuple(list(Zk[i]) + ([one] if bias else [])) for i in range(Zk.shape[0]))
        same = len(U) == len(V) and all(a == b for ru, rv in zip(U, V) for a, b in zip(ru, rv))
        out.append([ScoreSystem(U, V if not same else U, A, same, label)])
    return out


def _relation_zero(rel_f, T0, T1, steps: int = 60):
    """Bisection on the segment T0 -> T1 (float score vectors) for a zero of ``rel_f``."""
    f0, f1 = rel_f(T0), rel_f(T1)
    if f0 == 0:
        return T0
    if f0 * f1 > 0:
        return None
    lo, hi = 0.0, 1.0
    for _ in range(steps):
        mid = (lo + hi) / 2
        fm = rel_f(T0 + mid * (T1 - T0))
        if fm * f0 > 0:
            lo = mid
        else:
            hi = mid
    return T0 + lo * (T1 - T0)


def structure_witness(table, region: Region, systems: Sequence[ScoreSystem], rng, *,
                      targets: int = 40, seconds: float = 5.0):
    """A witness of ``region`` found in score space: pick score values with the region's signs
    (on the relations between scores, by bisection), solve ``sigma(x) = target`` for ``x`` by
    nonlinear least squares, round, and check exactly. Returns a rational point or None.
    """
    import numpy as np
    from scipy.optimize import least_squares

    from ..poly import FloatEvaluator
    from .linear import rationalize_point

    t0 = time.monotonic()
    b = _Builder(table.ring, systems)
    signs = b.add_conditions(table, region)
    if not signs or len(signs) < len(region):
        return None        # some condition is not a score: targets in score space miss it
    for s, sy in enumerate(b.systems):
        if sy.self_attention:
            _binet_facts(b, s, sy)
    idx = sorted(signs)
    sg = np.array([signs[n][1] for n in idx], dtype=float)
    nv = table.ring.nvars
    ev = FloatEvaluator([b.sigma[n] for n in idx], nv)
    jev = FloatEvaluator([b.sigma[n].derivative(i) for n in idx for i in range(nv)], nv)
    rels = [FloatEvaluator([r], len(b.tvars)) for r in b.relations]
    conds = table.conditions(region)
    ntv = len(b.tvars)

    def full(vals):
        T = rng.standard_normal(ntv)
        T[idx] = vals
        return T

    cand = [full(sg * np.exp(rng.standard_normal(len(idx)))) for _ in range(2 * targets)]
    goals = []
    if rels:
        rf = rels[0]
        for T0, T1 in zip(cand[::2], cand[1::2]):
            z = _relation_zero(lambda T: float(rf(T[None, :])[0, 0]), T0, T1)
            if z is not None:
                goals.append(z[idx])
    else:
        goals = [c[idx] for c in cand[:targets]]
    for goal in goals:
        if time.monotonic() - t0 > seconds:
            return None
        x0 = rng.standard_normal(nv)
        res = least_squares(lambda x, goal=goal: ev(x[None, :])[0] - goal, x0,
                            jac=lambda x: jev(x[None, :])[0].reshape(len(idx), nv),
                            method="trf", xtol=1e-15, ftol=1e-15, gtol=1e-15, max_nfev=200)
        x = res.x
        if (ev(x[None, :])[0] * sg).min() <= 0:
            continue
        pt = rationalize_point(x, conds)
        if pt is not None:
            return pt
    return None


def score_problem(table, region: Region, systems: Sequence[ScoreSystem]):
    """The region relaxed to the score variables: ``(ring, strict conditions, facts >= 0,
    relations == 0)``, all polynomials in the scores, or None when no condition is a score.

    Every point ``x`` of the region maps to scores ``sigma(x)`` satisfying all of them (the
    facts are proved, the relations are identities), so an infeasible relaxation shows the
    region empty.
    """
    b = _Builder(table.ring, systems)
    signs = b.add_conditions(table, region)
    if not signs:
        return None
    nfac = len(b.factors)
    for s, sy in enumerate(b.systems):
        if sy.self_attention:
            _aczel_facts(b, s, sy, signs)
            _binet_facts(b, s, sy)
    return b.T, b.factors[:nfac], b.factors[nfac:], list(b.relations)

