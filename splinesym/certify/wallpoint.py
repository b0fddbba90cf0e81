"""Points on a wall: where a break vanishes while the other conditions of two pieces hold.

A wall between two pieces across the irreducible break ``g`` is real when some point ``w`` has
``g(w) = 0``, ``grad g(w) != 0`` and every other condition of both regions strictly: near ``w``
one side of ``{g = 0}`` lies in one piece and the other side in the other. This module finds such
points exactly.

* A **rational** point when it can: rational roots of ``g`` along segments between points of the
  two pieces (affine breaks always give one), or solving ``g = 0`` for a variable in which ``g``
  has degree 1 after rounding the other coordinates.
* Otherwise a **segment** witness: rational endpoints ``p0, p1`` and a rational parameter interval
  ``[lo, hi]`` on which ``g(p0 + t (p1 - p0))`` changes sign with a derivative bounded away from 0
  (so exactly one simple root, a regular point of the wall) while every other condition holds on
  the whole interval, by exact interval bounds (Taylor form at the centre). This is how quadric
  walls without rational points (``x**2 - x*y - y**2``, say) are certified.

The search is numeric (floats propose, exact arithmetic disposes); z3 is the last resort, and its
``unsat`` (no wall point: the pieces are not neighbours) is reported as the solver's word.

Examples
--------
>>> from splinesym.poly import PolyRing
>>> R = PolyRing(["x", "y"])
>>> g = R.parse("x**2 - x*y - y**2")
>>> wp = find_wall_point(R, g, [(R.parse("y"), 1)], [(2, 1), (0, 1)])
>>> wp.kind, wp.check(R, g, [(R.parse("y"), 1)])
('segment', True)
>>> find_wall_point(R, R.parse("x - 1"), [], [(0, 0), (2, 0)]).point
(Fraction(1, 1), Fraction(0, 1))
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import flint
import numpy as np

from ..poly import FloatEvaluator, Poly, PolyRing, scaled_floats, to_fmpq, to_fraction

__all__ = ["WallPoint", "find_wall_point", "line_poly", "interval_bounds", "no_wall_farkas",
           "check_no_wall"]

_T = flint.fmpq_mpoly_ctx.get(("t",), "lex")


@dataclass(frozen=True)
class WallPoint:
    """A certified point of a wall (see the module docstring).

    Attributes
    ----------
    kind : str
        ``rational`` or ``segment``.
    point : tuple of Fraction or None
        The point (``rational``).
    p0, p1 : tuple of Fraction or None
        Segment endpoints (``segment``).
    t : tuple of Fraction or None
        Parameter interval ``(lo, hi)`` holding the unique simple root (``segment``).
    method : str
        How it was found.
    """

    kind: str
    point: tuple[Fraction, ...] | None = None
    p0: tuple[Fraction, ...] | None = None
    p1: tuple[Fraction, ...] | None = None
    t: tuple[Fraction, Fraction] | None = None
    method: str = ""

    def approx(self) -> list[float]:
        """A floating-point approximation of the point."""
        if self.kind == "rational":
            return [float(v) for v in self.point]
        tm = (self.t[0] + self.t[1]) / 2
        return [float(a + tm * (b - a)) for a, b in zip(self.p0, self.p1, strict=False)]

    def to_json(self) -> dict:
        from ..io.jsonio import number_to_json

        if self.kind == "rational":
            return {"type": "rational", "point": [number_to_json(v) for v in self.point]}
        return {"type": "segment", "p0": [number_to_json(v) for v in self.p0],
                "p1": [number_to_json(v) for v in self.p1],
                "t": [number_to_json(self.t[0]), number_to_json(self.t[1])],
                "meaning": "g(p0 + t*(p1 - p0)) has exactly one simple root for t in [lo, hi]; "
                           "every other condition holds on the whole interval"}

    def describe(self) -> str:
        if self.kind == "rational":
            return "(" + ", ".join(str(v) for v in self.point) + ")"
        approx = ", ".join(f"{v:.6g}" for v in self.approx())
        width = float(self.t[1] - self.t[0])
        return f"algebraic point ~({approx}) isolated on a segment (t-interval width {width:.1e})"

    def check(self, ring: PolyRing, g: Poly, conds: Sequence[tuple[Poly, int]]) -> bool:
        """Re-verify exactly (the independent checker does the same with its own code)."""
        if self.kind == "rational":
            pt = [to_fmpq(v) for v in self.point]
            if g(*pt) != 0:
                return False
            if all(g.derivative(i)(*pt) == 0 for i in range(ring.nvars)):
                return False
            return all(s * c(*pt) > 0 for c, s in conds)
        lo, hi = self.t
        h = line_poly(g, self.p0, self.p1)
        if not h(to_fmpq(lo)) * h(to_fmpq(hi)) < 0:
            return False
        a, b = interval_bounds(h.derivative(), lo, hi)
        if not (a > 0 or b < 0):
            return False
        for c, s in conds:
            a, b = interval_bounds(line_poly(c, self.p0, self.p1), lo, hi)
            if not ((s > 0 and a > 0) or (s < 0 and b < 0)):
                return False
        return True


def line_poly(p: Poly, p0: Sequence[Fraction], p1: Sequence[Fraction]) -> flint.fmpq_poly:
    """``t -> p(p0 + t (p1 - p0))`` as a univariate ``fmpq_poly``."""
    t = _T.gens()[0]
    args = [_T.constant(to_fmpq(a)) + t * to_fmpq(Fraction(b) - Fraction(a))
            for a, b in zip(p0, p1, strict=False)]
    u = p.compose(*args, ctx=_T) if args else _T.constant(p.coeffs()[0] if not p.is_zero() else 0)
    d = u.to_dict()
    deg = max((e[0] for e in d), default=0)
    coeffs = [flint.fmpq(0)] * (deg + 1)
    for e, c in d.items():
        coeffs[e[0]] = c
    return flint.fmpq_poly(coeffs)


def interval_bounds(h: flint.fmpq_poly, lo: Fraction, hi: Fraction) -> tuple[Fraction, Fraction]:
    """Rigorous lower and upper bounds of ``h`` on ``[lo, hi]`` (Taylor form at the centre)."""
    c = to_fmpq((Fraction(lo) + Fraction(hi)) / 2)
    r = (Fraction(hi) - Fraction(lo)) / 2
    shifted = h(flint.fmpq_poly([c, 1]))
    co = [to_fraction(v) for v in shifted.coeffs()] or [Fraction(0)]
    spread = sum(abs(b) * r**i for i, b in enumerate(co) if i)
    return co[0] - spread, co[0] + spread


# ----------------------------------------------------------------------------------------------
def _exact_ok(g: Poly, conds, pt: Sequence[Fraction], nvars: int) -> bool:
    args = [to_fmpq(v) for v in pt]
    if g(*args) != 0:
        return False
    if all(g.derivative(i)(*args) == 0 for i in range(nvars)):
        return False
    return all(s * c(*args) > 0 for c, s in conds)


def _round(x: float, bits: int) -> Fraction:
    return Fraction(round(x * (1 << bits)), 1 << bits)


class _Search:
    """Floats propose wall points, exact arithmetic disposes."""

    def __init__(self, ring: PolyRing, g: Poly, conds, nonzero, rng):
        self.ring = ring
        self.n = ring.nvars
        self.g = g
        self.conds = list(conds)
        self.nonzero = [q for q in nonzero if q is not None and not q.is_zero()]
        self.rng = rng
        polys = [g] + [c for c, _ in self.conds]
        self.ev = FloatEvaluator(polys, self.n)
        self.grad = FloatEvaluator([g.derivative(i) for i in range(self.n)], self.n)
        self.signs = np.array([s for _, s in self.conds], dtype=float)
        self.deg1 = [i for i in range(self.n) if g.degrees()[i] == 1]

    def q_ok(self, pt) -> bool:
        """Some quotient of ``nonzero`` is nonzero at ``pt``: the kernel's exact-order rule
        needs one output of minimal order whose quotient does not vanish at the wall point."""
        if not self.nonzero:
            return True
        args = [to_fmpq(v) for v in pt]
        return any(q(*args) != 0 for q in self.nonzero)

    # -- float helpers ----------------------------------------------------------------------
    def margins(self, pts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(|g|, min signed margin of the other conditions) at each point."""
        v = self.ev(pts)
        gv = np.abs(v[:, 0])
        if self.conds:
            m = (v[:, 1:] * self.signs).min(axis=1)
        else:
            m = np.full(len(pts), np.inf)
        return gv, m

    def newton(self, pts: np.ndarray, iters: int = 30) -> np.ndarray:
        x = np.array(pts, dtype=float)
        for _ in range(iters):
            gv = self.ev(x)[:, 0]
            G = self.grad(x)
            nrm = (G**2).sum(axis=1)
            nrm[nrm == 0] = np.inf
            x = x - (gv / nrm)[:, None] * G
        return x

    # -- exact constructions ----------------------------------------------------------------
    def rational_by_solving(self, x: np.ndarray) -> WallPoint | None:
        """Round all coordinates but one in which g has degree 1, solve g = 0 for that one."""
        g = self.g
        for j in self.deg1:
            A = g.derivative(j)
            zero_j = [self.ring.gens()[i] if i != j else self.ring.const(0)
                      for i in range(self.n)]
            B = g.compose(*zero_j, ctx=self.ring.ctx)
            for bits in (0, 1, 2, 3, 4, 6, 8, 12, 16, 20, 26, 32, 40, 52):
                pt = [_round(float(v), bits) for v in x]
                args = [to_fmpq(v) for v in pt]
                a = A(*args)
                if a == 0:
                    continue
                pt[j] = to_fraction(-B(*args) / a)
                if _exact_ok(g, self.conds, pt, self.n) and self.q_ok(pt):
                    return WallPoint("rational", tuple(pt), method=f"solve for variable {j}")
        return None

    def on_segment(self, p0, p1, method: str) -> list[WallPoint]:
        """Wall points on the segment [p0, p1]: rational roots first, then isolated ones."""
        h = line_poly(self.g, p0, p1)
        if h.degree() < 1:
            return []
        out: list[WallPoint] = []
        _, facs = h.factor()
        approx_roots = []
        for f, _m in facs:
            if f.degree() == 1:
                co = f.coeffs()
                t = to_fraction(-co[0] / co[1])
                if 0 < t < 1:
                    pt = tuple(Fraction(a) + t * (Fraction(b) - Fraction(a))
                               for a, b in zip(p0, p1, strict=False))
                    if _exact_ok(self.g, self.conds, pt, self.n) and self.q_ok(pt):
                        out.append(WallPoint("rational", pt, method=f"{method}, rational root"))
                continue
            co = scaled_floats(f.coeffs())
            try:
                roots = np.roots(co[::-1])
            except np.linalg.LinAlgError:
                continue
            for r in roots:
                if abs(r.imag) < 1e-9 and 0 < r.real < 1:
                    approx_roots.append(float(r.real))
        if out:
            return out
        P0 = np.array([float(v) for v in p0])
        P1 = np.array([float(v) for v in p1])
        for tr in approx_roots:
            x = P0 + tr * (P1 - P0)
            _, m = self.margins(x[None, :])
            if not m[0] > 0:
                continue
            wp = self.rational_by_solving(x)
            if wp is not None:
                return [wp]
            wp = self.isolate(p0, p1, tr, method)
            if wp is not None:
                return [wp]
        return []

    def isolate(self, p0, p1, tr: float, method: str) -> WallPoint | None:
        """A segment witness around the approximate root ``tr`` of g on [p0, p1]."""
        h = line_poly(self.g, p0, p1)
        dh = h.derivative()
        cl = [(line_poly(c, p0, p1), s) for c, s in self.conds]
        ql = [line_poly(q, p0, p1) for q in self.nonzero]
        t0 = Fraction(tr)
        lo = hi = None
        for k in range(8, 60, 4):
            eps = Fraction(1, 1 << k)
            a, b = max(t0 - eps * 1024, Fraction(0)), min(t0 + eps * 1024, Fraction(1))
            ha, hb = h(to_fmpq(a)), h(to_fmpq(b))
            if ha * hb < 0:
                lo, hi = a, b
        if lo is None:
            return None
        hlo = h(to_fmpq(lo))
        good = None
        for _ in range(400):
            ok = True
            a, b = interval_bounds(dh, lo, hi)
            if not (a > 0 or b < 0):
                ok = False
            if ok:
                for c, s in cl:
                    a, b = interval_bounds(c, lo, hi)
                    if not ((s > 0 and a > 0) or (s < 0 and b < 0)):
                        ok = False
                        break
            if ok and (not ql or any((lambda ab: ab[0] > 0 or ab[1] < 0)(
                    interval_bounds(q, lo, hi)) for q in ql)):
                good = (lo, hi)
                break
            mid = (lo + hi) / 2
            hm = h(to_fmpq(mid))
            if hm == 0:
                pt = tuple(Fraction(x) + mid * (Fraction(y) - Fraction(x))
                           for x, y in zip(p0, p1, strict=False))
                if _exact_ok(self.g, self.conds, pt, self.n) and self.q_ok(pt):
                    return WallPoint("rational", pt, method=f"{method}, bisection hit a root")
                return None
            if hlo * hm < 0:
                hi = mid
            else:
                lo, hlo = mid, hm
            if good is not None and hi - lo < (good[1] - good[0]) / (1 << 40):
                break
        if good is None:
            return None
        return WallPoint("segment", p0=tuple(Fraction(v) for v in p0),
                         p1=tuple(Fraction(v) for v in p1), t=good,
                         method=f"{method}, isolated root")

    def from_approx(self, x: np.ndarray, method: str) -> WallPoint | None:
        """Exact wall point near the float point ``x`` (which is close to the wall)."""
        wp = self.rational_by_solving(x)
        if wp is not None:
            return wp
        G = self.grad(x[None, :])[0]
        nrm = float(np.sqrt((G**2).sum()))
        if not np.isfinite(nrm) or nrm == 0:
            return None
        v = G / nrm
        for bits in (24, 36, 48):
            c = [_round(float(t), bits) for t in x]
            for k in (6, 10, 16, 24):
                step = [_round(float(t), bits + k) / (1 << k) for t in v]
                p0 = tuple(ci - si for ci, si in zip(c, step, strict=False))
                p1 = tuple(ci + si for ci, si in zip(c, step, strict=False))
                h = line_poly(self.g, p0, p1)
                if h(0) * h(1) < 0:
                    wp = self.on_segment(p0, p1, method)
                    if wp:
                        return wp[0]
        return None


def _points_in(search: _Search, conds_side, center: np.ndarray, rng, count: int) -> np.ndarray:
    """Random float points near ``center`` satisfying the conditions of one side (floats)."""
    n = search.n
    scale = max(1.0, float(np.abs(center).max()))
    pts = [center + rng.normal(size=(count, n)) * scale * s for s in (0.05, 0.3, 1.0)]
    P = np.vstack(pts)
    polys = [c for c, _ in conds_side]
    if not polys:
        return P
    ev = FloatEvaluator(polys, n)
    s = np.array([sg for _, sg in conds_side], dtype=float)
    ok = (ev(P) * s > 0).all(axis=1)
    return P[ok]


def find_wall_point(ring: PolyRing, g: Poly, conds: Sequence[tuple[Poly, int]],
                    hints: Sequence[Sequence] = (), *, nonzero: Sequence[Poly] = (),
                    side_conditions: tuple | None = None, time_limit: float = 10.0,
                    z3_timeout: float = 2.0, seed: int = 0) -> WallPoint | None:
    """An exact point of ``{g = 0}`` where every condition of ``conds`` holds strictly.

    Parameters
    ----------
    ring : PolyRing
    g : Poly
        The break (irreducible).
    conds : sequence of (Poly, sign)
        The other conditions of both neighbouring regions.
    hints : sequence of points
        Points of the two pieces (their witnesses): segments between them are tried first.
    nonzero : sequence of Poly
        Quotients that should preferably not vanish at the point.
    side_conditions : (conds_a, conds_b), optional
        Full conditions of each piece, to sample more points on each side.
    time_limit : float
        Seconds for the numeric search.
    z3_timeout : float
        Seconds for z3 as the last resort (0 disables it).

    Returns
    -------
    WallPoint or None
        None when no point was found (the caller reports the pair as undecided, or as not
        neighbours when :func:`no_wall_by_solver` says so).
    """
    from ..cells.budget import clamp_time

    t_end = time.monotonic() + clamp_time(time_limit)
    rng = np.random.default_rng(seed)
    S = _Search(ring, g, conds, nonzero, rng)
    hints = [tuple(Fraction(v) for v in h) for h in hints if h is not None]
    # 1. segments between the hints (the two pieces' witnesses)
    for i in range(len(hints)):
        for j in range(i + 1, len(hints)):
            wps = S.on_segment(hints[i], hints[j], "segment between the pieces' witnesses")
            if wps:
                return wps[0]
    # 2. more points on both sides, segments between them, and Newton projections
    if time.monotonic() >= t_end:
        return _z3_stage(ring, g, conds, S, z3_timeout)
    centers = [np.array([float(v) for v in h]) for h in hints] or [np.zeros(S.n)]
    side_a, side_b = side_conditions if side_conditions else (conds, conds)
    A = np.vstack([_points_in(S, side_a, c, rng, 200) for c in centers])
    B = np.vstack([_points_in(S, side_b, c, rng, 200) for c in centers])
    if len(A) and len(B) and time.monotonic() < t_end:
        # vectorised: random pairs (a, b) on opposite sides of g, bisection on all at once
        ia = rng.integers(len(A), size=400)
        ib = rng.integers(len(B), size=400)
        ga = S.ev(A)[:, 0]
        gb = S.ev(B)[:, 0]
        keep = (ga[ia] * gb[ib]) < 0
        Pa, Pb = A[ia[keep]][:60], B[ib[keep]][:60]
        if len(Pa):
            lo = np.zeros(len(Pa))
            hi = np.ones(len(Pa))
            sa = np.sign(S.ev(Pa)[:, 0])
            for _ in range(60):
                mid = (lo + hi) / 2
                gm = S.ev(Pa + mid[:, None] * (Pb - Pa))[:, 0]
                same = np.sign(gm) == sa
                lo = np.where(same, mid, lo)
                hi = np.where(same, hi, mid)
            X = Pa + ((lo + hi) / 2)[:, None] * (Pb - Pa)
            _, m = S.margins(X)
            for i in np.argsort(-m):
                if not m[i] > 0 or time.monotonic() > t_end:
                    break
                wp = S.from_approx(X[i], "segment between sampled points")
                if wp is not None:
                    return wp
    if time.monotonic() < t_end:
        P = np.vstack([A, B]) if len(A) + len(B) else rng.normal(size=(400, S.n)) * 3
        X = S.newton(P)
        gv, m = S.margins(X)
        order = np.argsort(-np.where(gv < 1e-9, m, -np.inf))
        for i in order[:20]:
            if not (gv[i] < 1e-9 and m[i] > 0) or time.monotonic() > t_end:
                break
            wp = S.from_approx(X[i], "Newton projection onto the break")
            if wp is not None:
                return wp
    return _z3_stage(ring, g, conds, S, z3_timeout)


def _z3_stage(ring, g, conds, S, z3_timeout):
    """3. z3 proposes a point of the wall; the exact constructions dispose."""
    if z3_timeout > 0:
        x = _z3_point(ring, g, conds, z3_timeout)
        if x is not None:
            return S.from_approx(x, "z3 model")
    return None


def _z3_point(ring: PolyRing, g: Poly, conds, timeout: float) -> np.ndarray | None:
    import z3

    from ..cells.budget import clamp_time
    from ..cells.solver import to_z3
    from ..signals import z3_check

    timeout = clamp_time(timeout)
    if timeout <= 0:
        return None
    zv = [z3.Real(n) for n in ring.names]
    s = z3.SolverFor("QF_NRA")
    s.set("timeout", max(1, int(timeout * 1000)))
    s.add(to_z3(g, zv) == 0)
    for c, sg in conds:
        e = to_z3(c, zv)
        s.add(e > 0 if sg > 0 else e < 0)
    try:
        if z3_check(s) != z3.sat:
            return None
    except z3.Z3Exception:
        return None
    m = s.model()
    out = []
    for v in zv:
        val = m.eval(v, model_completion=True)
        if z3.is_rational_value(val):
            out.append(float(Fraction(val.as_fraction())))
        elif z3.is_algebraic_value(val):
            out.append(float(Fraction(val.approx(30).as_fraction())))
        else:
            out.append(0.0)
    return np.array(out)


def no_wall_by_solver(ring: PolyRing, g: Poly, conds, timeout: float) -> bool:
    """True when z3 says ``{g = 0} ∩ {conds}`` is empty (the solver's word: trusted)."""
    if timeout <= 0:
        return False
    import z3

    from ..cells.budget import clamp_time
    from ..cells.solver import to_z3
    from ..signals import z3_check

    timeout = clamp_time(timeout)
    if timeout <= 0:
        return False
    zv = [z3.Real(n) for n in ring.names]
    s = z3.SolverFor("QF_NRA")
    s.set("timeout", max(1, int(timeout * 1000)))
    s.add(to_z3(g, zv) == 0)
    for c, sg in conds:
        e = to_z3(c, zv)
        s.add(e > 0 if sg > 0 else e < 0)
    try:
        return z3_check(s) == z3.unsat
    except z3.Z3Exception:
        return False


def check_no_wall(g: Poly, conds, multipliers, mu) -> bool:
    """Exactly: ``l >= 0``, not all 0, and ``sum(l_k s_k g_k) + mu g`` is a constant ``<= 0``.

    Then no point of ``{g = 0}`` satisfies every ``s_k g_k > 0``: there the combination would be
    positive.
    """
    if len(multipliers) != len(conds) or any(v < 0 for v in multipliers) or not any(multipliers):
        return False
    comb = g * to_fmpq(Fraction(mu))
    for (c, s), lam in zip(conds, multipliers, strict=True):
        if lam:
            comb = comb + c * to_fmpq(Fraction(lam) * s)
    if comb.is_zero():
        return True
    return comb.is_constant() and to_fraction(comb.coeffs()[0]) <= 0


def no_wall_farkas(g: Poly, conds) -> tuple[tuple[Fraction, ...], Fraction] | None:
    """Multipliers proving that ``{g = 0}`` meets no point where every condition holds.

    Looks for ``l >= 0`` (sum 1) and a free ``mu`` with ``sum(l_k s_k g_k) + mu g`` a constant
    ``<= 0``, every monomial an independent coordinate (exact for affine conditions, the
    Veronese lift otherwise). The float LP solution is rebuilt exactly on its support and
    returned only when :func:`check_no_wall` accepts it.

    >>> from splinesym.poly import PolyRing
    >>> R = PolyRing(["x", "y"])
    >>> no_wall_farkas(R.parse("x - y"), [(R.parse("x"), 1), (R.parse("y"), -1)]) is None
    False
    """
    from scipy.optimize import linprog

    from ..cells.linear import exact_solve

    m = len(conds)
    if m == 0:
        return None
    polys = [(c, s) for c, s in conds] + [(g, 1)]
    monos: dict[tuple, int] = {}
    entries = []
    consts = [Fraction(0)] * (m + 1)
    for k, (c, s) in enumerate(polys):
        for e, v in zip(c.monoms(), c.coeffs(), strict=True):
            e = tuple(int(x) for x in e)
            val = to_fraction(v) * s
            if not any(e):
                consts[k] = val
                continue
            entries.append((monos.setdefault(e, len(monos)), k, val))
    nm = len(monos)
    # variables: l_0..l_{m-1} >= 0, mu+ >= 0, mu- >= 0
    A = np.zeros((nm + 1, m + 2))
    for j, k, v in entries:
        A[j, k if k < m else m] += float(v)
        if k == m:
            A[j, m + 1] -= float(v)
    A[nm, :m] = 1.0
    b = np.zeros(nm + 1)
    b[nm] = 1.0
    cost = np.array([float(consts[k]) for k in range(m)] + [float(consts[m]), -float(consts[m])])
    try:
        res = linprog(cost, A_eq=A, b_eq=b, bounds=[(0, None)] * (m + 2), method="highs")
    except ValueError:
        return None
    if res.status != 0 or res.x is None or res.fun > 1e-9:
        return None
    x = res.x
    support = [k for k in range(m) if x[k] > 1e-10]
    if not support:
        return None
    cols = support + ["mu"]
    rows = [[Fraction(0)] * len(cols) for _ in range(nm)]
    for j, k, v in entries:
        if k < m and k in support:
            rows[j][support.index(k)] += v
        elif k == m:
            rows[j][-1] += v
    rows.append([Fraction(1)] * len(support) + [Fraction(0)])
    rhs = [Fraction(0)] * nm + [Fraction(1)]
    guess = [Fraction(float(x[k])).limit_denominator(10**6) for k in support]
    guess.append(Fraction(float(x[m] - x[m + 1])).limit_denominator(10**6))
    sol = exact_solve(rows, rhs, guess)
    if sol is None:
        return None
    lam = [Fraction(0)] * m
    for k, v in zip(support, sol[:-1], strict=True):
        lam[k] = v
    mu = sol[-1]
    return (tuple(lam), mu) if check_no_wall(g, conds, lam, mu) else None
