"""Sign facts ``rel * q >= 0`` on a region ``{s_k g_k > 0}`` (used by ``maxmin-cells``)."""

from __future__ import annotations

from fractions import Fraction

from .. import schema as sc
from .. import univariate as U
from ..base import CHECKED, TRUSTED, Malformed, need, weakest
from ..poly import padd, pdegree, pmul, ppow, pscale
from .cells import farkas

MAX_DEPTH = 60


def read(ev, p: str, names: list, depth: int = 0) -> dict:
    """Normalise one piece of sign evidence (``by``: zero, product, sum, farkas, solver)."""
    if depth > MAX_DEPTH:
        raise Malformed(p, "sign evidence nested too deeply")
    ev = sc.obj(ev, p)
    by = ev.get("by")
    if by in ("zero", "solver"):
        return {"by": by}
    if by == "farkas":
        return {"by": by, "multipliers": sc.numbers(sc.get(ev, "multipliers", p),
                                                     f"{p}.multipliers")}
    if by == "sum":
        parts = []
        for i, x in enumerate(sc.lst(sc.get(ev, "parts", p), f"{p}.parts", 1)):
            xp = f"{p}.parts[{i}]"
            parts.append((sc.poly(sc.get(sc.obj(x, xp), "poly", xp), f"{xp}.poly", names),
                          read(x, xp, names, depth + 1)))
        return {"by": by, "parts": parts}
    if by == "product":
        factors = []
        for i, f in enumerate(sc.lst(sc.get(ev, "factors", p), f"{p}.factors")):
            fp = f"{p}.factors[{i}]"
            f = sc.obj(f, fp)
            factors.append((sc.poly(sc.get(f, "poly", fp), f"{fp}.poly", names),
                            sc.integer(sc.get(f, "power", fp), f"{fp}.power", 1, 1000),
                            _why(sc.get(f, "why", fp), f"{fp}.why", names)))
        return {"by": by, "const": sc.number(sc.get(ev, "const", p), f"{p}.const"),
                "factors": factors}
    raise Malformed(f"{p}.by", f"unknown sign evidence {by!r}")


def _why(w, p: str, names: list) -> tuple:
    w = sc.obj(w, p)
    if "cond" in w:
        return ("cond", sc.integer(w["cond"], f"{p}.cond", 0))
    if w.get("even") is True:
        return ("even",)
    if "sos" in w:
        s = sc.obj(w["sos"], f"{p}.sos")
        sq = []
        for i, x in enumerate(sc.lst(sc.get(s, "squares", f"{p}.sos"), f"{p}.sos.squares")):
            x = sc.lst(x, f"{p}.sos.squares[{i}]", 2, 2)
            sq.append((sc.number(x[0], f"{p}.sos.squares[{i}][0]"),
                       sc.poly(x[1], f"{p}.sos.squares[{i}][1]", names)))
        return ("sos", sc.number(sc.get(s, "scale", f"{p}.sos"), f"{p}.sos.scale"),
                sc.number(sc.get(s, "const", f"{p}.sos"), f"{p}.sos.const"), sq)
    if w.get("sturm") is True:
        return ("sturm",)
    raise Malformed(p, "unknown factor justification (cond, even, sos or sturm)")


# ---- rules -----------------------------------------------------------------------------------
def prove(conds: list, q: dict, rel: int, ev: dict, n: int) -> str:
    """Check ``rel * q >= 0`` on ``{s g > 0 for (g, s) in conds}``; returns the status."""
    by = ev["by"]
    if by == "zero":
        need(q == {}, "sign-zero", "the difference is not the zero polynomial")
        return CHECKED
    if by == "solver":
        return TRUSTED
    if by == "farkas":
        farkas([*conds, (q, -rel)], ev["multipliers"])
        return CHECKED
    if by == "sum":
        return sign_sum(conds, q, rel, ev["parts"], n)
    return product(conds, q, rel, ev["const"], ev["factors"], n)


def sign_sum(conds, q, rel, parts, n) -> str:
    """Rule ``sign-sum``. Lemma: a sum of terms each with ``rel * term >= 0`` has the same
    property; the parts must add up to ``q`` exactly."""
    total: dict = {}
    sts = []
    for poly, ev in parts:
        total = padd(total, poly)
        sts.append(prove(conds, poly, rel, ev, n))
    need(padd(total, q, -1) == {}, "sign-sum", "the parts do not add up to the difference")
    return weakest(*sts)


def product(conds, q, rel, const, factors, n) -> str:
    """Rule ``sign-product``. Lemma: if ``q = c * prod f_i^m_i`` and each factor with odd
    ``m_i`` has a known (weak) sign on the region, ``q`` has sign ``sign(c) * prod`` of those;
    factors with even power are squares (rule ``parity``: the power must be even)."""
    need(const != 0, "sign-product", "zero constant")
    total, sgn = {(0,) * n: const} if const else {}, (1 if const > 0 else -1)
    for i, (f, m, why) in enumerate(factors):
        need(pdegree(f) * m <= 10_000, "sign-product", f"factor {i}: degree too high")
        total = pmul(total, ppow(f, m, n))
        if why[0] == "even":
            need(m % 2 == 0, "parity", f"factor {i}: 'even' evidence on the odd power {m}")
            continue
        s = factor_sign(conds, f, why, n, i)
        if m % 2:
            sgn *= s
    need(padd(total, q, -1) == {}, "sign-product", "the factors do not multiply out to the "
         "difference")
    need(sgn == rel, "sign-product", "the factors give the wrong sign")
    return CHECKED


def factor_sign(conds, f, why, n, i) -> int:
    """The sign of one factor on the region: a condition of the region (rule ``sign-cond``),
    a scaled sum of squares (``sos``: ``f = scale (c0 + sum w_j e_j^2)``, ``c0, w_j >= 0``), or
    a univariate factor without roots on the region's interval (``sturm``)."""
    if why[0] == "cond":
        k = why[1]
        need(k < len(conds), "sign-cond", f"factor {i}: condition {k} does not exist")
        need(padd(conds[k][0], f, -1) == {}, "sign-cond", f"factor {i} is not condition {k}")
        return conds[k][1]
    if why[0] == "sos":
        return sos(f, *why[1:], n, i)
    return sturm(conds, f, n, i)


def sos(f, scale, c0, squares, n, i) -> int:
    """Rule ``sos``. Lemma: ``c0 + sum w_j e_j^2 >= 0`` when ``c0 >= 0`` and ``w_j >= 0``."""
    need(scale != 0 and c0 >= 0, "sos", f"factor {i}: bad constants")
    total = {(0,) * n: c0} if c0 else {}
    for w, e in squares:
        need(w >= 0, "sos", f"factor {i}: negative weight in a sum of squares")
        total = padd(total, pscale(pmul(e, e), w))
    need(padd(pscale(total, scale), f, -1) == {}, "sos", f"factor {i}: the sum of squares "
         "does not expand to the factor")
    return 1 if scale > 0 else -1


def sturm(conds, f, n, i) -> int:
    """Rule ``sturm``. Lemma: the region lies in the interval ``(lo, hi)`` cut out by its
    affine conditions; a univariate ``f`` without roots there (Sturm's theorem, ends not roots)
    has the sign of its value at one inner point."""
    need(n == 1, "sturm", f"factor {i}: Sturm evidence needs one variable")
    lo = hi = None
    for g, s in conds:
        if pdegree(g) != 1:
            continue
        a, b = Fraction(g.get((1,), 0)), Fraction(g.get((0,), 0))
        r = -b / a
        if s * a > 0:
            lo = r if lo is None else max(lo, r)
        else:
            hi = r if hi is None else min(hi, r)
    need(lo is None or hi is None or lo < hi, "sturm", f"factor {i}: empty interval")
    coeffs = U.trim([Fraction(f.get((k,), 0)) for k in range(max(pdegree(f), 0) + 1)])
    need(bool(coeffs), "sturm", f"factor {i} is zero")
    need(U.sturm_count(coeffs, lo, hi) == 0, "sturm", f"factor {i} has a root in the interval")
    t = (Fraction(0) if lo is None and hi is None else hi - 1 if lo is None
         else lo + 1 if hi is None else (lo + hi) / 2)
    v = U.value(coeffs, t)
    return 1 if v > 0 else -1
