"""Lattice polynomials: a DAG with max, min, sums and products, and its max–min normal form.

A lattice-polynomial expression is built from polynomials with ``+``, scalar multiples, ``max``,
``min`` and products. Every such expression equals ``max_i min_j p_ij`` for polynomials ``p_ij``
(docs/DESIGN.md §6); :func:`flatten` computes that normal form exactly, using only identities that
hold
pointwise:

1. ``ReLU(g)·l = max(min(g·l, g·K), min(0, −g·K))`` with ``K = 1 + l²``;
2. the switch: ``f = max(min(A, B + F·K), min(B, A − F·K))`` when ``A = f`` where ``F ≥ 0``,
   ``B = f`` where ``F ≤ 0`` and ``|A − B| ≤ |F|·K``;
3. sums ``max_i min_j a_ij + max_k min_l b_kl = max_{i,k} min_{j,l} (a_ij + b_kl)``, negation
   (swaps max and min) and distributivity;
4. products ``F·h`` (``h`` a polynomial): the switch on ``h`` with ``A = max_i min_j f_ij·h`` and
   ``B = max_i min_j (−h)·n_ij`` (``n_ij`` the entries of ``−F`` in normal form) and
   ``K = 2 + Σ e²`` over all those entries; ``F·G`` for two lattice expressions: the switch on
   ``F`` with ``A = max_k min_l (g_kl·F)``, ``B = max_k min_l (n_kl·(−F))``.

Both signs of every node are flattened (``+F`` and ``−F``), so negation never needs the
exponential conversion of a min–max into a max–min. After every step duplicate entries and
dominated terms are dropped (absorption: if the entries of term ``A`` are a subset of those of
term ``B`` then ``min B ≤ min A``, and ``B`` is redundant in a max).

Examples
--------
>>> from splinesym.poly import PolyRing
>>> R = PolyRing(["x", "y"])
>>> x, y = leaf(R, "x"), leaf(R, "y")
>>> f = relu(x) * y
>>> mm = flatten([f], ["f"])
>>> [[R.format(p) for p in t] for t in mm.terms[0]]
[['x*y', 'x*y**2 + x'], ['0', '-x*y**2 - x']]
>>> from fractions import Fraction as F
>>> mm.evaluate([F(2), F(-3)]), f.evaluate([F(2), F(-3)])
([Fraction(-6, 1)], Fraction(-6, 1))
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from ..cells.budget import time_left
from ..errors import BudgetExhaustedError, FlattenTooLargeError, InvalidInputError
from ..poly import Poly, PolyRing, to_fmpq, to_fraction

__all__ = ["LExpr", "leaf", "constant", "relu", "maximum", "minimum", "flatten", "MaxMin",
           "HintBook", "FlattenTooLargeError", "pkey", "fmt"]

_ids = itertools.count(1)


def pkey(p: Poly) -> str:
    """A hashable exact key of a polynomial within one ring (its canonical string; much faster
    than :func:`splinesym.region.poly_key` for polynomials in many variables)."""
    return str(p)


_FMT: dict = {}


def fmt(ring: PolyRing, p: Poly) -> str:
    """``ring.format(p)`` with a cache (formatting large polynomials is slow)."""
    k = (ring.names, str(p))
    got = _FMT.get(k)
    if got is None:
        if len(_FMT) > 200000:
            _FMT.clear()
        # flint's own printing is the same sympy syntax up to "^", and much faster
        got = _FMT[k] = k[1].replace("^", "**")
    return got




# ----------------------------------------------------------------------------------------------
# nodes
class LExpr:
    """A node of a lattice-polynomial DAG. Build with :func:`leaf` and the operators."""

    __slots__ = ("ring", "uid")
    kind = "abstract"

    def __init__(self, ring: PolyRing):
        self.ring = ring
        self.uid = next(_ids)

    # -- operators -------------------------------------------------------------------------
    def __add__(self, other):
        return _add(self, _coerce(self.ring, other))

    __radd__ = __add__

    def __sub__(self, other):
        return _add(self, _scale(_coerce(self.ring, other), Fraction(-1)))

    def __rsub__(self, other):
        return _add(_coerce(self.ring, other), _scale(self, Fraction(-1)))

    def __neg__(self):
        return _scale(self, Fraction(-1))

    def __mul__(self, other):
        if isinstance(other, (int, Fraction)):
            return _scale(self, Fraction(other))
        return _mul(self, _coerce(self.ring, other))

    __rmul__ = __mul__

    def is_leaf(self) -> bool:
        return False

    # -- evaluation -----------------------------------------------------------------------
    def evaluate(self, point: Sequence) -> Fraction:
        """Exact value at a rational point (the DAG is evaluated with a memo)."""
        args = [to_fmpq(Fraction(v)) for v in point]
        return to_fraction(_eval(self, args, {}))

    def count_nodes(self) -> int:
        seen: set[int] = set()
        stack = [self]
        while stack:
            n = stack.pop()
            if n.uid in seen:
                continue
            seen.add(n.uid)
            stack.extend(n.children())
        return len(seen)

    def children(self) -> tuple[LExpr, ...]:
        return ()


class Leaf(LExpr):
    __slots__ = ("poly",)
    kind = "leaf"

    def __init__(self, ring, poly):
        super().__init__(ring)
        self.poly = poly

    def is_leaf(self) -> bool:
        return True

    def __repr__(self):
        return f"Leaf({self.ring.format(self.poly)})"


class _NAry(LExpr):
    __slots__ = ("items",)

    def __init__(self, ring, items):
        super().__init__(ring)
        self.items = tuple(items)

    def children(self):
        return self.items


class Max(_NAry):
    kind = "max"


class Min(_NAry):
    kind = "min"


class Lin(LExpr):
    """``const + Σ c_k·node_k`` (the nodes are not leaves)."""

    __slots__ = ("const", "terms")
    kind = "lin"

    def __init__(self, ring, const, terms):
        super().__init__(ring)
        self.const = const
        self.terms = tuple(terms)

    def children(self):
        return tuple(n for _, n in self.terms)


class ReluProd(LExpr):
    """``ReLU(g)·l`` for polynomials ``g`` and ``l`` (identity 1)."""

    __slots__ = ("g", "l")
    kind = "reluprod"

    def __init__(self, ring, g, l):
        super().__init__(ring)
        self.g = g
        self.l = l


class PolyProd(LExpr):
    """``F·h`` for a lattice expression ``F`` and a polynomial ``h`` (identity 4)."""

    __slots__ = ("f", "h")
    kind = "polyprod"

    def __init__(self, ring, f, h):
        super().__init__(ring)
        self.f = f
        self.h = h

    def children(self):
        return (self.f,)


class LatProd(LExpr):
    """``F·G`` for two lattice expressions (the switch on ``F``)."""

    __slots__ = ("f", "g")
    kind = "latprod"

    def __init__(self, ring, f, g):
        super().__init__(ring)
        self.f = f
        self.g = g

    def children(self):
        return (self.f, self.g)


# ----------------------------------------------------------------------------------------------
# construction
def leaf(ring: PolyRing, p) -> Leaf:
    """A polynomial (a ``Poly``, a string in sympy syntax, or a number) as a lattice leaf."""
    if isinstance(p, str):
        p = ring.parse(p)
    elif isinstance(p, (int, Fraction)):
        p = ring.const(p)
    return Leaf(ring, p)


def constant(ring: PolyRing, v) -> Leaf:
    return Leaf(ring, ring.const(Fraction(v)))


def _coerce(ring, other) -> LExpr:
    if isinstance(other, LExpr):
        return other
    if isinstance(other, Poly):
        return Leaf(ring, other)
    if isinstance(other, (int, Fraction)):
        return Leaf(ring, ring.const(Fraction(other)))
    try:
        return Leaf(ring, ring.const(Fraction(other)))
    except (TypeError, ValueError):
        return NotImplemented


def _as_lin(n: LExpr):
    if isinstance(n, Leaf):
        return n.poly, ()
    if isinstance(n, Lin):
        return n.const, n.terms
    return n.ring.zero(), ((Fraction(1), n),)


def _make_lin(ring, const, terms) -> LExpr:
    merged: dict[int, list] = {}
    for c, n in terms:
        if n.uid in merged:
            merged[n.uid][0] += c
        else:
            merged[n.uid] = [c, n]
    items = tuple((c, n) for c, n in merged.values() if c != 0)
    if not items:
        return Leaf(ring, const)
    if const.is_zero() and len(items) == 1 and items[0][0] == 1:
        return items[0][1]
    return Lin(ring, const, items)


def _add(a: LExpr, b: LExpr) -> LExpr:
    if b is NotImplemented:
        return NotImplemented
    ca, ta = _as_lin(a)
    cb, tb = _as_lin(b)
    return _make_lin(a.ring, ca + cb, ta + tb)


def _scale(a: LExpr, c: Fraction) -> LExpr:
    if a is NotImplemented:
        return NotImplemented
    if isinstance(a, Leaf):
        return Leaf(a.ring, a.poly * to_fmpq(c))
    if c == 0:
        return Leaf(a.ring, a.ring.zero())
    const, terms = _as_lin(a)
    return _make_lin(a.ring, const * to_fmpq(c), tuple((k * c, n) for k, n in terms))


def _relu_arg(n: LExpr):
    """``g`` when ``n`` is ``max(g, 0)`` with ``g`` a polynomial, else None."""
    if isinstance(n, Max) and len(n.items) == 2:
        a, b = n.items
        if isinstance(a, Leaf) and isinstance(b, Leaf):
            if b.poly.is_zero():
                return a.poly
            if a.poly.is_zero():
                return b.poly
    return None


def _mul_poly(f: LExpr, h: Poly) -> LExpr:
    ring = f.ring
    if isinstance(f, Leaf):
        return Leaf(ring, f.poly * h)
    if h.is_zero():
        return Leaf(ring, ring.zero())
    if h.is_constant():
        return _scale(f, to_fraction(h.coeffs()[0]))
    if isinstance(f, Lin):
        out = Leaf(ring, f.const * h)
        for c, n in f.terms:
            out = _add(out, _scale(_mul_poly(n, h), c))
        return out
    g = _relu_arg(f)
    if g is not None:
        return ReluProd(ring, g, h)
    return PolyProd(ring, f, h)


def _mul(a: LExpr, b: LExpr) -> LExpr:
    if b is NotImplemented:
        return NotImplemented
    if isinstance(b, Leaf):
        return _mul_poly(a, b.poly)
    if isinstance(a, Leaf):
        return _mul_poly(b, a.poly)
    if isinstance(a, Lin) or isinstance(b, Lin):
        ca, ta = _as_lin(a)
        cb, tb = _as_lin(b)
        out = Leaf(a.ring, ca * cb)
        for c, n in tb:
            out = _add(out, _scale(_mul_poly(n, ca), c))
        for c, n in ta:
            out = _add(out, _scale(_mul_poly(n, cb), c))
        for (c, n), (d, m) in itertools.product(ta, tb):
            out = _add(out, _scale(LatProd(a.ring, n, m), c * d))
        return out
    return LatProd(a.ring, a, b)


def _lattice(cls, xs: Sequence) -> LExpr:
    xs = list(xs)
    ring = next(x.ring for x in xs if isinstance(x, LExpr))
    items: list[LExpr] = []
    seen: dict = {}
    for x in xs:
        x = _coerce(ring, x)
        for y in (x.items if isinstance(x, cls) else (x,)):
            key = ("p", pkey(y.poly)) if isinstance(y, Leaf) else ("n", y.uid)
            if key not in seen:
                seen[key] = y
                items.append(y)
    if len(items) == 1:
        return items[0]
    return cls(ring, items)


def maximum(*xs) -> LExpr:
    """``max`` of lattice expressions (numbers and polynomials are coerced)."""
    return _lattice(Max, xs)


def minimum(*xs) -> LExpr:
    """``min`` of lattice expressions."""
    return _lattice(Min, xs)


def relu(x: LExpr) -> LExpr:
    """``max(x, 0)``."""
    if isinstance(x, Leaf) and x.poly.is_constant():
        c = to_fraction(x.poly.coeffs()[0]) if not x.poly.is_zero() else Fraction(0)
        return x if c >= 0 else Leaf(x.ring, x.ring.zero())
    return maximum(x, Leaf(x.ring, x.ring.zero()))


def _eval(n: LExpr, args, memo):
    v = memo.get(n.uid)
    if v is not None:
        return v
    if isinstance(n, Leaf):
        v = n.poly(*args) if args else (n.poly.coeffs()[0] if not n.poly.is_zero() else 0)
        v = to_fmpq(to_fraction(v)) if not hasattr(v, "p") else v
    elif isinstance(n, Max):
        v = max(_eval(c, args, memo) for c in n.items)
    elif isinstance(n, Min):
        v = min(_eval(c, args, memo) for c in n.items)
    elif isinstance(n, Lin):
        v = n.const(*args) if args else n.const.coeffs()[0] if not n.const.is_zero() else 0
        for c, m in n.terms:
            v = v + to_fmpq(c) * _eval(m, args, memo)
    elif isinstance(n, ReluProd):
        g = n.g(*args)
        v = g * n.l(*args) if g > 0 else to_fmpq(0)
    elif isinstance(n, PolyProd):
        v = _eval(n.f, args, memo) * n.h(*args)
    elif isinstance(n, LatProd):
        v = _eval(n.f, args, memo) * _eval(n.g, args, memo)
    else:  # pragma: no cover
        raise TypeError(n)
    v = to_fmpq(to_fraction(v)) if not hasattr(v, "p") else v
    memo[n.uid] = v
    return v


# ----------------------------------------------------------------------------------------------
# hints: families of sums of squares that certification can use
@dataclass
class HintBook:
    """Polynomials known to be sums of squares, as families ``K = c0 + Σ w·e²`` (w > 0).

    A polynomial ``r = λ·K + Σ a_e·e`` is then ``λ·((c0 − Σ a_e²/(4 w λ²)) + Σ w (e + a_e/(2wλ))²)``
    — a certificate of its sign when the constant stays ``≥ 0``. Constructions record the
    ``K`` they use (identity 1, the switch, separators) so that the certifier can prove the
    signs of the differences it meets without a solver.
    """

    families: list[tuple[Fraction, list[tuple[Fraction, Poly]]]] = field(default_factory=list)
    _seen: set = field(default_factory=set)

    def add(self, c0, squares: Sequence[tuple[Fraction, Poly]]) -> None:
        sq = [(Fraction(w), e) for w, e in squares if not e.is_zero()]
        key = (Fraction(c0), tuple(sorted((w, pkey(e)) for w, e in sq)))
        if key in self._seen or not sq:
            return
        self._seen.add(key)
        self.families.append((Fraction(c0), sq))

    def merge(self, other: HintBook | None) -> None:
        if other is not None:
            for c0, sq in other.families:
                self.add(c0, sq)


# ----------------------------------------------------------------------------------------------
# normal form
@dataclass
class MaxMin:
    """``f_o = max_i min_j p_oij`` for each output ``o``.

    Attributes
    ----------
    ring : PolyRing
        Ring of the polynomials (the variables).
    outputs : list of str
    terms : list
        ``terms[o][i][j]`` is the polynomial ``p_oij``.
    method : str
        How the form was obtained.
    notes : list of str
    stats : dict
        Sizes and timings (terms before and after pruning, ...).
    hints : HintBook
        Sum-of-squares families used by the construction (in memory only).
    parts : dict
        ``pkey(p) -> {slot: polynomial}``: how an entry decomposes as a sum over the
        summands it came from (in memory only; helps certification).
    """

    ring: PolyRing
    outputs: list[str]
    terms: list[list[list[Poly]]]
    method: str = ""
    notes: list[str] = field(default_factory=list)
    stats: dict = field(default_factory=dict)
    hints: HintBook = field(default_factory=HintBook)
    parts: dict = field(default_factory=dict)

    @property
    def variables(self) -> list[str]:
        return list(self.ring.names)

    def __repr__(self) -> str:
        s = self.size()
        return (f"MaxMin({len(self.outputs)} output(s) in {len(self.ring.names)} variables, "
                f"{s['terms']} terms, {s['entries']} entries, method {self.method!r})")

    def _repr_html_(self) -> str:
        from ..display import maxmin_html

        return maxmin_html(self)

    def _repr_latex_(self) -> str:
        from ..io.maxmin_io import maxmin_latex

        return "$$" + maxmin_latex(self).replace("align*", "aligned") + "$$"

    def evaluate(self, point: Sequence) -> list[Fraction]:
        """Exact values of every output at a rational point."""
        args = [to_fmpq(Fraction(v)) for v in point]
        if len(args) != self.ring.nvars:
            raise InvalidInputError(f"point has {len(args)} coordinates, expected "
                                    f"{self.ring.nvars}", "point")
        cache: dict = {}

        def val(p):
            k = id(p)
            if k not in cache:
                cache[k] = p(*args) if args else (p.coeffs()[0] if not p.is_zero() else 0)
            return cache[k]

        return [to_fraction(to_fmpq(to_fraction(max(min(val(p) for p in t) for t in ts))))
                if ts else Fraction(0) for ts in self.terms]

    __call__ = evaluate

    def max_degree(self) -> int:
        return max((int(p.total_degree()) if not p.is_zero() else 0
                    for ts in self.terms for t in ts for p in t), default=0)

    def size(self) -> dict:
        """Terms, entries, distinct polynomials and the largest degree, per output and total."""
        per = []
        for ts in self.terms:
            distinct = {pkey(p) for t in ts for p in t}
            per.append({"terms": len(ts), "entries": sum(len(t) for t in ts),
                        "max_term_size": max((len(t) for t in ts), default=0),
                        "distinct_polynomials": len(distinct),
                        "max_degree": max((int(p.total_degree()) if not p.is_zero() else 0
                                           for t in ts for p in t), default=0)})
        return {"outputs": per,
                "terms": sum(d["terms"] for d in per),
                "entries": sum(d["entries"] for d in per),
                "distinct_polynomials": len({pkey(p) for ts in self.terms for t in ts
                                             for p in t}),
                "max_degree": self.max_degree()}

    def absorbed(self) -> MaxMin:
        """Duplicates and dominated terms removed (a syntactic, always valid pruning)."""
        out = []
        for ts in self.terms:
            keyed = []
            for t in ts:
                d = {}
                for p in t:
                    d.setdefault(pkey(p), p)
                keyed.append(d)
            keep = _absorb_dicts(keyed)
            out.append([list(d.values()) for d in keep])
        return MaxMin(self.ring, list(self.outputs), out, self.method, list(self.notes),
                      dict(self.stats), self.hints, self.parts)

    def with_terms(self, terms) -> MaxMin:
        return MaxMin(self.ring, list(self.outputs), terms, self.method, list(self.notes),
                      dict(self.stats), self.hints, self.parts)


def _absorb_dicts(terms: list[dict]) -> list[dict]:
    order = sorted(range(len(terms)), key=lambda i: len(terms[i]))
    kept: list[frozenset] = []
    out = []
    for i in order:
        s = frozenset(terms[i])
        if any(k <= s for k in kept):
            continue
        kept.append(s)
        out.append((i, terms[i]))
    out.sort()
    return [d for _, d in out]


class _Flattener:
    """Computes normal forms of both signs of every node, sharing one pool of polynomials."""

    def __init__(self, ring: PolyRing, max_terms: int, samples=None, sample_prune_at: int = 12):
        self.ring = ring
        self.max_terms = max_terms
        #: float sample points for the heuristic pruning of intermediate forms (None: off)
        self.samples = samples
        self.sample_prune_at = sample_prune_at
        self._fvals: dict[int, object] = {}
        self.sample_pruned = 0
        self.max_pool = 5 * max_terms
        self.max_degree = 64
        self.polys: list[Poly] = []
        self.parts: list[dict] = []
        self.index: dict[tuple, int] = {}
        self.memo: dict[tuple[int, int], list[frozenset]] = {}
        self.sums: dict[tuple[int, int], int] = {}
        self.hints = HintBook()
        self.zero = self.intern(ring.zero(), {})

    def intern(self, p: Poly, parts: dict | None) -> int:
        k = pkey(p)
        i = self.index.get(k)
        if i is None:
            if len(self.polys) >= self.max_pool:
                raise FlattenTooLargeError(
                    f"the max-min normal form needs more than {self.max_pool} distinct "
                    f"polynomials; raise --max-terms or build it from the expanded spline")
            i = len(self.polys)
            self.index[k] = i
            self.polys.append(p)
            self.parts.append(parts if parts is not None else {})
        return i

    # -- normal-form algebra on term lists (frozensets of pool ids) --------------------------
    def _check(self, n: int, what: str) -> None:
        if time_left() <= 0:
            raise BudgetExhaustedError("the time limit was reached while building the lattice "
                                       "max-min form: no max-min was produced, nothing decided")
        if n > self.max_terms:
            raise FlattenTooLargeError(
                f"the max-min normal form would have {n} terms (limit {self.max_terms}) at a "
                f"{what}; raise --max-terms or build it from the expanded spline "
                f"(--method table / ovchinnikov)")

    def absorb(self, terms: list[frozenset]) -> list[frozenset]:
        uniq = list(dict.fromkeys(terms))
        if self.samples is not None and len(uniq) > self.sample_prune_at:
            uniq = self._sample_prune(uniq)
        uniq.sort(key=len)
        kept: list[frozenset] = []
        for t in uniq:
            if not any(k <= t for k in kept):
                kept.append(t)
        return kept

    def _fval(self, i: int):
        v = self._fvals.get(i)
        if v is None:
            from ..poly import FloatEvaluator

            v = FloatEvaluator([self.polys[i]], self.ring.nvars)(self.samples)[:, 0]
            self._fvals[i] = v
        return v

    def _sample_prune(self, terms: list[frozenset]) -> list[frozenset]:
        """Keep the terms that are (nearly) the largest at some sample point: a heuristic, so
        whatever it builds must be certified afterwards."""
        import numpy as np

        vals = np.array([np.min([self._fval(i) for i in t], axis=0) for t in terms])
        top = vals.max(axis=0)
        tol = 1e-7 * (1 + np.abs(top))
        act = vals >= top - tol                      # terms x samples
        chosen: list[int] = []
        todo = np.ones(act.shape[1], dtype=bool)
        while todo.any():                            # greedy cover of the sample points
            k = int(np.argmax((act & todo).sum(axis=1)))
            if not (act[k] & todo).any():
                break
            chosen.append(k)
            todo &= ~act[k]
        out = [terms[k] for k in sorted(chosen)]
        self.sample_pruned += len(terms) - len(out)
        return out

    def union(self, *nfs) -> list[frozenset]:
        out = [t for nf in nfs for t in nf]
        return self.absorb(out)

    def meet(self, a, b) -> list[frozenset]:
        self._check(len(a) * len(b), "min")
        return self.absorb([x | y for x in a for y in b])

    def add_ids(self, i: int, j: int, prefix: tuple = ()) -> int:
        key = (i, j, prefix) if (prefix or i <= j) else (j, i, prefix)
        r = self.sums.get(key)
        if r is None:
            parts = dict(self.parts[i])
            for s, q in self.parts[j].items():
                s = prefix + s
                parts[s] = parts[s] + q if s in parts else q
            r = self.intern(self.polys[i] + self.polys[j], parts)
            self.sums[key] = r
            if self.samples is not None and r not in self._fvals:
                self._fvals[r] = self._fval(i) + self._fval(j)
        return r

    def add(self, a, b, prefix: tuple = ()) -> list[frozenset]:
        self._check(len(a) * len(b), "sum")
        return self.absorb([frozenset(self.add_ids(i, j, prefix) for i in x for j in y)
                            for x in a for y in b])

    def scale(self, a, c: Fraction) -> list[frozenset]:
        if c == 1:
            return a
        fc = to_fmpq(c)
        memo: dict[int, int] = {}

        def sc(i):
            if i not in memo:
                memo[i] = r = self.intern(self.polys[i] * fc,
                                          {s: q * fc for s, q in self.parts[i].items()})
                if self.samples is not None and r not in self._fvals:
                    self._fvals[r] = self._fval(i) * float(c)
            return memo[i]

        return self.absorb([frozenset(sc(i) for i in t) for t in a])

    def times_poly(self, a, h: Poly, slot) -> list[frozenset]:
        memo: dict[int, int] = {}

        def mp(i):
            if i not in memo:
                p = self.polys[i] * h
                memo[i] = self.intern(p, {slot: p})
            return memo[i]

        return self.absorb([frozenset(mp(i) for i in t) for t in a])

    def shift(self, a, c: Poly, slot) -> list[frozenset]:
        if c.is_zero():
            return a
        j = self.intern(c, {slot: c})
        return self.absorb([frozenset(self.add_ids(i, j) for i in t) for t in a])

    def _degree_guard(self, E, h: Poly) -> None:
        d = 2 * max((int(e.total_degree()) for e in E if not e.is_zero()), default=0)
        d += int(h.total_degree()) if not h.is_zero() else 0
        if d > self.max_degree or len(E) > self.max_terms // 10:
            raise FlattenTooLargeError(
                f"a product in the max-min normal form would need degree {d} with {len(E)} "
                f"entries (limits {self.max_degree}, {self.max_terms // 10}); build it from the "
                f"expanded spline")

    def entries(self, *nfs) -> list[Poly]:
        ids = sorted({i for nf in nfs for t in nf for i in t})
        return [self.polys[i] for i in ids]

    # -- nodes ------------------------------------------------------------------------------
    def nf(self, node: LExpr, s: int) -> list[frozenset]:
        key = (node.uid, s)
        got = self.memo.get(key)
        if got is not None:
            return got
        out = self._nf(node, s)
        self.memo[key] = out
        return out

    def _nf(self, n: LExpr, s: int) -> list[frozenset]:
        R = self.ring
        if isinstance(n, Leaf):
            p = n.poly if s > 0 else -n.poly
            return [frozenset([self.intern(p, {(n.uid,): p})])]
        if isinstance(n, Max) or isinstance(n, Min):
            kids = [self.nf(c, s) for c in n.items]
            if (isinstance(n, Max)) == (s > 0):
                return self.union(*kids)
            out = kids[0]
            for k in kids[1:]:
                out = self.meet(out, k)
            return out
        if isinstance(n, Lin):
            c0 = n.const if s > 0 else -n.const
            out = [frozenset([self.intern(c0, {(n.uid, "c"): c0} if not c0.is_zero()
                                          else {})])]
            for k, (c, m) in enumerate(n.terms):
                cs = c * s
                part = self.scale(self.nf(m, 1 if cs > 0 else -1), abs(cs))
                out = self.add(out, part, (n.uid, k))
            return out
        if isinstance(n, ReluProd):
            g, l = n.g, (n.l if s > 0 else -n.l)
            K = R.const(1) + l * l
            self.hints.add(1, [(Fraction(1), l)])
            slot = (n.uid,)
            gl, gK = g * l, g * K
            a = frozenset(self.intern(p, {slot: p}) for p in (gl, gK))
            b = frozenset(self.intern(p, {slot: p}) for p in (R.zero(), -gK))
            return self.absorb([a, b])
        if isinstance(n, PolyProd):
            h = n.h if s > 0 else -n.h
            return self.poly_product(self.nf(n.f, 1), self.nf(n.f, -1), h, (n.uid,))
        if isinstance(n, LatProd):
            return self.lattice_product(n.f, n.g, s, (n.uid,))
        raise TypeError(n)  # pragma: no cover

    def poly_product(self, P, N, h: Poly, slot) -> list[frozenset]:
        """Normal form of ``F·h`` from ``P = nf(F)``, ``N = nf(−F)`` (identity 4)."""
        if h.is_zero():
            return [frozenset([self.zero])]
        if h.is_constant():
            c = to_fraction(h.coeffs()[0])
            return self.scale(P, c) if c > 0 else self.scale(N, -c)
        E = self.entries(P, N)
        self._degree_guard(E, h)
        K = self.ring.const(2)
        for e in E:
            K += e * e
        self.hints.add(2, [(Fraction(1), e) for e in E])
        A = self.times_poly(P, h, slot)
        B = self.times_poly(N, -h, slot)
        hK = h * K
        return self.union(self.meet(A, self.shift(B, hK, slot)),
                          self.meet(B, self.shift(A, -hK, slot)))

    def lattice_product(self, F: LExpr, G: LExpr, s: int, slot) -> list[frozenset]:
        """Normal form of ``s·F·G``: the switch on ``F`` with A = max min (g·F), B = max min
        (n·(−F)), K = 2 + Σ g² + Σ n² (g, n the entries of ±G)."""
        PF, NF = self.nf(F, 1), self.nf(F, -1)
        PG, NG = self.nf(G, s), self.nf(G, -s)

        def lat(nfG, sign):
            out = None
            for t in nfG:
                acc = None
                for i in t:
                    h = self.polys[i] * sign
                    part = self.poly_product(PF, NF, h, slot)
                    acc = part if acc is None else self.meet(acc, part)
                out = acc if out is None else self.union(out, acc)
            return out

        A = lat(PG, 1)
        B = lat(NG, -1)
        E = self.entries(PG, NG)
        self._degree_guard(E, self.ring.const(1))
        K = self.ring.const(2)
        for e in E:
            K += e * e
        self.hints.add(2, [(Fraction(1), e) for e in E])
        FK = self.times_poly(PF, K, slot)
        mFK = self.times_poly(NF, K, slot)
        return self.union(self.meet(A, self.add(B, FK)), self.meet(B, self.add(A, mFK)))


def flatten(exprs: Sequence[LExpr], outputs: Sequence[str], *, max_terms: int = 20000,
            method: str = "lattice", samples=None) -> MaxMin:
    """The max–min normal form of each expression (exact; absorption-pruned).

    With ``samples`` (a float array of points, one row each), intermediate forms with many
    terms keep only the terms that are the largest at some sample point. That is a heuristic:
    the result is then a *candidate* that must be certified (``method`` says so).

    Raises
    ------
    FlattenTooLargeError
        When an intermediate normal form would exceed ``max_terms`` terms.
    """
    ring = next(e.ring for e in exprs)
    fl = _Flattener(ring, max_terms, samples)
    terms = []
    for e in exprs:
        nf = fl.nf(e, 1)
        terms.append([[fl.polys[i] for i in sorted(t)] for t in nf])
    parts = {}
    for ts in terms:
        for t in ts:
            for p in t:
                i = fl.index[pkey(p)]
                if fl.parts[i]:
                    parts[pkey(p)] = fl.parts[i]
    mm = MaxMin(ring, list(outputs), terms, method, hints=fl.hints, parts=parts)
    mm.stats["dag_nodes"] = sum(e.count_nodes() for e in exprs)
    mm.stats["terms_flattened"] = sum(len(t) for t in terms)
    if samples is not None:
        mm.stats["sample_pruned_terms"] = fl.sample_pruned
        mm.notes.append(f"intermediate forms pruned at {len(samples)} sample points "
                        f"({fl.sample_pruned} terms dropped): a candidate until certified")
    return mm
