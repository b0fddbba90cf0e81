"""Proving ``q ≥ 0`` (or ``q ≤ 0``) on a region, with evidence a small checker re-verifies.

A region is a list of strict conditions ``(g, s)`` meaning ``s·g > 0``. :class:`SignProver` tries,
cheapest and most checkable first:

``zero``
    ``q`` is the zero polynomial.
``product``
    ``q = c · Π f_k^{m_k}`` where every odd factor has a known sign on the region: it is one of
    the region's conditions (``cond``), a sum of squares ``f = scale·(c0 + Σ w·s²)`` with
    ``c0, w ≥ 0`` (``sos``; found from the construction's families of :class:`HintBook`, or by an
    exact LDLᵀ of the Gram matrix of a quadratic), or, in one variable, a polynomial with no root
    in the interval the region's affine conditions define (``sturm``).
``sum``
    ``q = Σ q_t`` (the summands the entry came from) with each ``q_t`` proven alone.
``farkas``
    Multipliers ``λ ≥ 0`` showing that the region together with ``q < 0`` is empty (exact; the
    Veronese lift for non-affine conditions).
``solver``
    z3 said the region with ``q < 0`` is empty (trusted, and reported as such).

Evidence is plain JSON (polynomials as strings in the ring's variables); see
:func:`splinesym.lattice.certify.verify_sign` for the check.

Examples
--------
>>> from splinesym.poly import PolyRing
>>> R = PolyRing(["x", "y"])
>>> sp = SignProver(R)
>>> ev = sp.prove([(R.parse("x"), 1)], R.parse("x*y**2 + x"), 1)
>>> ev["by"], [sorted(f["why"]) for f in ev["factors"]]
('product', [['cond'], ['sos']])
>>> sp.prove([(R.parse("x"), 1)], R.parse("x*y"), 1) is None
True
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from ..cells.linear import exact_solve, farkas_multipliers
from ..poly import Poly, PolyRing, is_affine, to_fmpq, to_fraction
from ..region import factor_normalized
from .expr import HintBook, fmt, pkey

__all__ = ["SignProver", "region_interval", "sturm_count", "gram_sos", "AffineRegion"]

Conds = Sequence[tuple[Poly, int]]


def _fs(v) -> str:
    v = Fraction(v)
    return str(v.numerator) if v.denominator == 1 else f"{v.numerator}/{v.denominator}"


def _const(p: Poly) -> Fraction:
    return Fraction(0) if p.is_zero() else to_fraction(p.coeffs()[0])


# ----------------------------------------------------------------------------------------------
# one variable: intervals and Sturm sequences over Fractions (coefficient lists, low degree first)
def region_interval(conds: Conds) -> tuple[Fraction | None, Fraction | None]:
    """The open interval ``(lo, hi)`` (``None`` = infinite) cut out by the affine conditions of a
    univariate region (non-affine conditions are ignored: the region lies inside)."""
    lo = hi = None
    for g, s in conds:
        if g.is_zero() or g.total_degree() != 1:
            continue
        a = b = Fraction(0)
        for e, c in zip(g.monoms(), g.coeffs(), strict=True):
            if e[0] == 1:
                a = to_fraction(c)
            else:
                b = to_fraction(c)
        root = -b / a
        if s * a > 0:
            lo = root if lo is None else max(lo, root)
        else:
            hi = root if hi is None else min(hi, root)
    return lo, hi


def _ucoeffs(p: Poly) -> list[Fraction]:
    d = 0 if p.is_zero() else p.total_degree()
    out = [Fraction(0)] * (d + 1)
    for e, c in zip(p.monoms(), p.coeffs(), strict=True):
        out[e[0]] = to_fraction(c)
    return out


def _trim(a: list) -> list:
    a = list(a)
    while a and a[-1] == 0:
        a.pop()
    return a


def _urem(a: list, b: list) -> list:
    a = _trim(a)
    b = _trim(b)
    while len(a) >= len(b) and a:
        f = a[-1] / b[-1]
        k = len(a) - len(b)
        for i, c in enumerate(b):
            a[i + k] -= f * c
        a = _trim(a)
    return a


def _ueval(a: list, t: Fraction) -> Fraction:
    v = Fraction(0)
    for c in reversed(a):
        v = v * t + c
    return v


def _sign_at(a: list, t: Fraction | None, side: int) -> int:
    """Sign of ``a`` at ``t`` (``None``: at ``side·∞``)."""
    a = _trim(a)
    if not a:
        return 0
    if t is None:
        lead = a[-1]
        deg = len(a) - 1
        s = (lead > 0) - (lead < 0)
        return s if (side > 0 or deg % 2 == 0) else -s
    v = _ueval(a, t)
    return (v > 0) - (v < 0)


def sturm_count(coeffs: list[Fraction], lo: Fraction | None, hi: Fraction | None) -> int | None:
    """Number of distinct real roots in the open interval ``(lo, hi)`` (Sturm's theorem), or
    None when an endpoint is a root."""
    p = _trim(coeffs)
    if len(p) <= 1:
        return 0
    dp = _trim([i * c for i, c in enumerate(p)][1:])
    seq = [p, dp]
    while True:
        r = _urem(seq[-2], seq[-1])
        if not r:
            break
        seq.append([-c for c in r])

    def variations(t, side):
        signs = [_sign_at(q, t, side) for q in seq]
        if t is not None and signs[0] == 0:
            return None
        signs = [s for s in signs if s]
        return sum(1 for a, b in zip(signs, signs[1:], strict=False) if a != b)

    va, vb = variations(lo, -1), variations(hi, 1)
    if va is None or vb is None:
        return None
    return va - vb


def _inner_point(lo, hi) -> Fraction:
    if lo is None and hi is None:
        return Fraction(0)
    if lo is None:
        return hi - 1
    if hi is None:
        return lo + 1
    return (lo + hi) / 2


# ----------------------------------------------------------------------------------------------
# quadratics: exact LDL^T of the Gram matrix
def gram_sos(ring: PolyRing, q: Poly) -> tuple[int, list[tuple[Fraction, Poly]]] | None:
    """``q`` (total degree ≤ 2) as ``sign · Σ d_k ℓ_k²`` with ``d_k ≥ 0`` and affine ``ℓ_k``, or
    None when ``q`` is indefinite. Returns ``(sign, [(d_k, ℓ_k)])``.

    >>> R = PolyRing(["x", "y"])
    >>> s, sq = gram_sos(R, R.parse("x**2 - x*y + y**2 + 1"))
    >>> s, [(str(d), fmt(R, l)) for d, l in sq]
    (1, [('1', '1'), ('1', 'x - 1/2*y'), ('3/4', 'y')])
    """
    n = ring.nvars
    if q.is_zero() or q.total_degree() > 2:
        return None
    G = [[Fraction(0)] * (n + 1) for _ in range(n + 1)]
    for e, c in zip(q.monoms(), q.coeffs(), strict=True):
        c = to_fraction(c)
        idx = [i for i, k in enumerate(e) for _ in range(k)]
        if not idx:
            G[0][0] += c
        elif len(idx) == 1:
            G[0][idx[0] + 1] += c / 2
            G[idx[0] + 1][0] += c / 2
        elif idx[0] == idx[1]:
            G[idx[0] + 1][idx[0] + 1] += c
        else:
            a, b = idx[0] + 1, idx[1] + 1
            G[a][b] += c / 2
            G[b][a] += c / 2
    for sign in (1, -1):
        M = [[sign * v for v in row] for row in G]
        out = []
        ok = True
        basis = [ring.const(1), *ring.gens()]
        for k in range(n + 1):
            d = M[k][k]
            if d < 0:
                ok = False
                break
            if d == 0:
                if any(M[k][j] != 0 for j in range(k + 1, n + 1)):
                    ok = False
                    break
                continue
            lin = ring.zero()
            for j in range(k, n + 1):
                if M[k][j]:
                    lin += basis[j] * to_fmpq(M[k][j] / d)
            out.append((d, lin))
            for i in range(k + 1, n + 1):
                f = M[i][k] / d
                if f:
                    for j in range(k + 1, n + 1):
                        M[i][j] -= f * M[k][j]
        if ok:
            return sign, out
    return None


# ----------------------------------------------------------------------------------------------
class AffineRegion:
    """Affine strict conditions, prepared for exact Farkas decisions of affine facts.

    ``farkas(q, rel)`` solves ``rel·q = Σ λ_k s_k g_k + μ``: with linearly independent condition
    gradients the solution is unique, so ``λ, μ ≥ 0`` decides the fact (Farkas' lemma on a
    nonempty region). Returns ``(multipliers over conds + [(q, −rel)], decided)``.

    >>> R = PolyRing(["x", "y"])
    >>> A = AffineRegion([(R.parse("x"), 1), (R.parse("y - x"), 1)])
    >>> A.farkas(R.parse("y + 1"), 1)
    ([Fraction(1, 1), Fraction(1, 1), Fraction(1, 1)], True)
    >>> A.farkas(R.parse("x - y"), 1)
    (None, True)
    """

    def __init__(self, conds: Conds):
        import flint

        self.m = m = len(conds)
        self.const = [Fraction(0)] * m
        self.monos: dict[tuple, int] = {}
        entries = []
        for k, (g, sg) in enumerate(conds):
            for e, c in zip(g.monoms(), g.coeffs(), strict=True):
                v = c * sg
                if any(e):
                    entries.append((self.monos.setdefault(tuple(e), len(self.monos)), k, v))
                else:
                    self.const[k] = to_fraction(v)
        nr = len(self.monos)
        self.piv = None
        if nr < m or m == 0:
            return
        G = flint.fmpq_mat(nr, m)
        for r, k, v in entries:
            G[r, k] = v
        self.G = G
        R, rank = G.transpose().rref()
        if rank < m:
            return
        piv = []
        for i in range(m):
            piv.append(next(j for j in range(nr) if R[i, j] != 0))
        B = flint.fmpq_mat(m, m)
        for i, r in enumerate(piv):
            for k in range(m):
                B[i, k] = G[r, k]
        self.piv = piv
        self.inv = B.inv()

    def farkas(self, q: Poly, rel: int):
        import flint

        if self.piv is None or not is_affine(q):
            return None, False
        nr = len(self.monos)
        rhs = flint.fmpq_mat(nr, 1)
        t0 = Fraction(0)
        for e, c in zip(q.monoms(), q.coeffs(), strict=True):
            if any(e):
                r = self.monos.get(tuple(e))
                if r is None:
                    return None, True   # q moves in a direction no condition controls
                rhs[r, 0] = c * rel
            else:
                t0 = to_fraction(c) * rel
        b = flint.fmpq_mat(self.m, 1, [rhs[r, 0] for r in self.piv])
        lam = self.inv * b
        if self.G * lam != rhs:
            return None, True            # not in the span: unbounded below on the region
        lam = [to_fraction(lam[i, 0]) for i in range(self.m)]
        mu = t0 - sum((x * c for x, c in zip(lam, self.const, strict=True)), Fraction(0))
        if all(x >= 0 for x in lam) and mu >= 0:
            return [*lam, Fraction(1)], True
        return None, True


# ----------------------------------------------------------------------------------------------
class SignProver:
    """Proves sign facts on regions; see the module docstring for the kinds of evidence.

    Parameters
    ----------
    ring : PolyRing
    hints : HintBook, optional
        Families of sums of squares recorded by a construction.
    solver_timeout : float
        Seconds for z3 on one fact (0 disables the solver).
    """

    def __init__(self, ring: PolyRing, hints: HintBook | None = None, *,
                 solver_timeout: float = 5.0):
        self.ring = ring
        self.hints = hints or HintBook()
        self.solver_timeout = solver_timeout
        self._family_cache: dict = {}
        self._affine: dict = {}
        self._ck: list = []
        self.counts: dict[str, int] = {}

    # -- public ------------------------------------------------------------------------------
    def prove(self, conds: Conds, q: Poly, rel: int, parts: dict | None = None,
              *, solver: bool = True, ckeys: Sequence[str] | None = None) -> dict | None:
        """Evidence that ``rel·q ≥ 0`` on the region, or None.

        ``parts`` maps slot paths (tuples) to polynomials summing to ``q``: the summands ``q``
        came from, grouped hierarchically by path prefix when ``q`` alone has no proof.
        """
        self._ck = list(ckeys) if ckeys is not None else [pkey(g) for g, _ in conds]
        ev = self._prove_alone(conds, q, rel)
        if ev is None and parts:
            ev = self._prove_parts(conds, {k: v for k, v in parts.items() if not v.is_zero()},
                                   rel, 0)
        decided = False
        if ev is None and is_affine(q) and conds and all(is_affine(g) for g, _ in conds):
            key = tuple(self._ck) + tuple(sg for _, sg in conds)
            reg = self._affine.get(key)
            if reg is None:
                if len(self._affine) > 4096:
                    self._affine.clear()
                reg = self._affine[key] = AffineRegion(conds)
            lam, decided = reg.farkas(q, rel)
            if lam is not None:
                ev = {"by": "farkas", "multipliers": [_fs(v) for v in lam]}
        if ev is None and not decided and self._lift_ok(conds, q):
            lam = farkas_multipliers([*conds, (q, -rel)])
            if lam is not None:
                ev = {"by": "farkas", "multipliers": [_fs(v) for v in lam]}
        if ev is None and not decided and solver and self.solver_timeout > 0:
            from ..cells.solver import z3_decide

            ans, _ = z3_decide(self.ring, [*conds, (q, -rel)], self.solver_timeout,
                               linear=is_affine(q) and all(is_affine(g) for g, _ in conds))
            if ans == "unsat":
                ev = {"by": "solver", "note": "z3 real arithmetic: the region with the opposite "
                      "sign is empty (trusted, not re-checked)"}
        if ev is not None:
            self.counts[ev["by"]] = self.counts.get(ev["by"], 0) + 1
        return ev

    def sign_of_factor(self, conds: Conds, f: Poly) -> tuple[int, dict] | None:
        """A proven sign (+1/−1, meaning ``±f ≥ 0``) of a single polynomial on the region."""
        self._ck = [pkey(g) for g, _ in conds]
        return self._justify(conds, f)

    # -- internals -----------------------------------------------------------------------------
    def _prove_parts(self, conds: Conds, parts: dict, rel: int, depth: int) -> dict | None:
        keys = list(parts)
        if len(keys) < 2:
            return None
        longest = max(len(k) for k in keys)
        for L in range(1, longest + 1):
            groups: dict = {}
            for k in keys:
                groups.setdefault(k[:L], {})[k] = parts[k]
            if len(groups) >= 2:
                break
        else:
            return None
        sub = []
        for g in groups.values():
            tot = self.ring.zero()
            for v in g.values():
                tot += v
            if tot.is_zero():
                continue
            e = self._prove_alone(conds, tot, rel)
            if e is None and len(g) > 1 and depth < 6:
                e = self._prove_parts(conds, g, rel, depth + 1)
            if e is None:
                return None
            sub.append({"poly": fmt(self.ring, tot), **e})
        if not sub:
            return {"by": "zero"}
        return sub[0] if len(sub) == 1 else {"by": "sum", "parts": sub}

    @staticmethod
    def _lift_ok(conds, q) -> bool:
        return q.total_degree() <= 2 or all(is_affine(g) for g, _ in conds)

    def _prove_alone(self, conds: Conds, q: Poly, rel: int, peel: int = 1) -> dict | None:
        if q.is_zero():
            return {"by": "zero"}
        got = self._product(conds, q)
        if got is not None and got[0] == rel:
            return got[1]
        if peel <= 0 or (q.total_degree() <= 1 and all(is_affine(g) for g, _ in conds)):
            return None  # affine: Farkas (complete) does it
        # q = lam*g + r with lam*s*rel > 0 for a condition (g, s): subtract conditions
        qm = {tuple(e): to_fraction(c) for e, c in zip(q.monoms(), q.coeffs(), strict=True)}
        for k, (g, s) in enumerate(conds):
            if g.is_constant() or g.total_degree() > q.total_degree():
                continue
            tried = set()
            for e, c in zip(g.monoms(), g.coeffs(), strict=True):
                e = tuple(e)
                if e not in qm or not any(e):
                    continue
                lam = qm[e] / to_fraction(c)
                if lam in tried or lam * s * rel <= 0:
                    continue
                tried.add(lam)
                r = q - g * to_fmpq(lam)
                er = self._prove_alone(conds, r, rel, peel - 1)
                if er is not None:
                    first = {"poly": fmt(self.ring, g * to_fmpq(lam)), "by": "product",
                             "const": _fs(lam),
                             "factors": [{"poly": fmt(self.ring, g), "power": 1,
                                          "why": {"cond": k}}]}
                    rest = [] if r.is_zero() else [{"poly": fmt(self.ring, r), **er}]
                    return {"by": "sum", "parts": [first, *rest]}
        return None

    def _product(self, conds: Conds, q: Poly) -> tuple[int, dict] | None:
        R = self.ring
        r = q
        factors: list[list] = []
        sign = 1
        for k, (g, s) in enumerate(conds):
            if g.is_constant():
                continue
            m = 0
            while True:
                quo, rem = divmod(r, g)
                if not rem.is_zero():
                    break
                r = quo
                m += 1
            if m:
                factors.append([g, m, {"cond": k}])
                if m % 2:
                    sign *= s
        if r.is_constant():
            c = _const(r)
        else:
            j = self._justify(conds, r)
            if j is not None:
                s, why = j
                factors.append([r, 1, why])
                sign *= s
                c = Fraction(1)
            else:
                c, fs = factor_normalized(r)
                for f, m in fs:
                    if m % 2 == 0:
                        factors.append([f, m, {"even": True}])
                        continue
                    fk = pkey(f)
                    k = next((i for i, gk in enumerate(self._ck) if gk == fk), None)
                    if k is not None:
                        factors.append([f, m, {"cond": k}])
                        sign *= conds[k][1]
                        continue
                    j = self._justify(conds, f)
                    if j is None:
                        return None
                    s, why = j
                    factors.append([f, m, why])
                    sign *= s
        if c == 0:
            return None
        if c < 0:
            sign = -sign
        ev = {"by": "product", "const": _fs(c),
              "factors": [{"poly": fmt(R, f), "power": m, "why": why} for f, m, why in factors]}
        return sign, ev

    def _justify(self, conds: Conds, f: Poly) -> tuple[int, dict] | None:
        """Sign of a (non-constant) polynomial on the region: cond, sos or sturm."""
        fk = pkey(f)
        for k, gk in enumerate(self._ck):
            if gk == fk:
                return conds[k][1], {"cond": k}
        fam = self._family(f)
        if fam is not None:
            return fam
        if f.total_degree() == 2:
            got = gram_sos(self.ring, f)
            if got is not None:
                s, sq = got
                return s, {"sos": {"scale": str(s), "const": "0",
                                   "squares": [[_fs(d), fmt(self.ring, l)] for d, l in sq]}}
        if self.ring.nvars == 1:
            lo, hi = region_interval(conds)
            cnt = sturm_count(_ucoeffs(f), lo, hi)
            if cnt == 0:
                v = _ueval(_ucoeffs(f), _inner_point(lo, hi))
                return (1 if v > 0 else -1), {"sturm": True}
        return None

    def _family(self, f: Poly) -> tuple[int, dict] | None:
        key = pkey(f)
        if key in self._family_cache:
            return self._family_cache[key]
        out = None
        for c0, sq in self.hints.families:
            out = self._match_family(f, c0, sq)
            if out is not None:
                break
        self._family_cache[key] = out
        return out

    def _match_family(self, f: Poly, c0: Fraction, sq) -> tuple[int, dict] | None:
        R = self.ring
        K = R.const(c0)
        for w, e in sq:
            K += e * e * to_fmpq(w)
        if K.total_degree() != f.total_degree():
            return None
        # f = lam*K + sum a_e e + mu
        cols = [K, *[e for _, e in sq], R.const(1)]
        monos: dict[tuple, int] = {}
        for p in [f, *cols]:
            for e in p.monoms():
                monos.setdefault(tuple(e), len(monos))
        rows = [[Fraction(0)] * len(cols) for _ in monos]
        rhs = [Fraction(0)] * len(monos)
        for j, p in enumerate(cols):
            for e, c in zip(p.monoms(), p.coeffs(), strict=True):
                rows[monos[tuple(e)]][j] += to_fraction(c)
        for e, c in zip(f.monoms(), f.coeffs(), strict=True):
            rhs[monos[tuple(e)]] = to_fraction(c)
        sol = exact_solve(rows, rhs, [Fraction(0)] * len(cols))
        if sol is None or sol[0] == 0:
            return None
        lam, a, mu = sol[0], sol[1:-1], sol[-1]
        C = c0 + mu / lam
        squares = []
        for (w, e), ae in zip(sq, a, strict=True):
            shift = ae / (2 * w * lam)
            C -= w * shift * shift
            squares.append([_fs(w), fmt(R, e + R.const(shift))])
        if C < 0:
            return None
        sign = 1 if lam > 0 else -1
        return sign, {"sos": {"scale": _fs(lam), "const": _fs(C), "squares": squares}}
