"""Breaks and regions: the sign conditions that cut R^N into pieces.

A *break* is an irreducible polynomial that changes sign, stored in primitive integer form with a
positive leading coefficient. A :class:`BreakTable` collects the breaks of one computation (with
where each came from); a :class:`Region` is a conjunction of strict sign conditions on some of them.

Examples
--------
>>> from splinesym.poly import PolyRing
>>> R = PolyRing(["x", "y"])
>>> c, factors = factor_normalized(R.parse("-2*x**2 + 2*y**2"))
>>> c, [R.format(f) for f, _ in factors]
(Fraction(-2, 1), ['x + y', 'x - y'])
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from .poly import Poly, PolyRing, is_affine, primitive_integer_form, to_fraction

__all__ = ["factor_normalized", "poly_key", "Region", "BreakTable", "SignFactorization"]


def poly_key(p: Poly) -> tuple:
    """A hashable key identifying ``p`` exactly (flint polynomials are not hashable)."""
    return tuple(zip(map(tuple, p.monoms()), ((int(c.p), int(c.q)) for c in p.coeffs())))


def factor_normalized(p: Poly) -> tuple[Fraction, list[tuple[Poly, int]]]:
    """Irreducible factorisation ``p = c * prod(f_i ** m_i)`` with each ``f_i`` normalised.

    Each factor is primitive with integer coefficients and a positive leading coefficient, so that
    equal breaks are equal polynomials. Constant ``p`` gives ``(p, [])``.
    """
    if p.is_zero():
        return Fraction(0), []
    c, facs = p.factor()
    const = to_fraction(c)
    out = []
    for f, m in facs:
        q, k = primitive_integer_form(f)
        const *= to_fraction(k) ** m
        out.append((q, int(m)))
    out.sort(key=lambda fm: (fm[0].total_degree(), str(fm[0])))
    return const, out


class Region:
    """An open set ``{x : s_k * g_k(x) > 0 for all (k, s_k)}`` given by break indices and signs.

    Immutable and hashable. Signs are ``+1`` or ``-1``.

    Examples
    --------
    >>> r = Region({0: 1, 2: -1})
    >>> r.sign(2), r.sign(1)
    (-1, None)
    >>> r.refine({1: 1})
    Region({0: '+', 1: '+', 2: '-'})
    """

    __slots__ = ("_items", "_hash")

    def __init__(self, signs: dict[int, int] | Iterable[tuple[int, int]] = ()):
        items = dict(signs)
        for k, s in items.items():
            if s not in (1, -1):
                raise ValueError(f"sign of break {k} must be +1 or -1, got {s!r}")
        self._items = tuple(sorted(items.items()))
        self._hash = hash(self._items)

    def items(self) -> tuple[tuple[int, int], ...]:
        return self._items

    def as_dict(self) -> dict[int, int]:
        return dict(self._items)

    def sign(self, k: int) -> int | None:
        for j, s in self._items:
            if j == k:
                return s
        return None

    def breaks(self) -> list[int]:
        return [k for k, _ in self._items]

    def refine(self, signs: dict[int, int]) -> Region:
        d = self.as_dict()
        for k, s in signs.items():
            if d.get(k, s) != s:
                raise ValueError(f"conflicting sign for break {k}")
            d[k] = s
        return Region(d)

    def drop(self, k: int) -> Region:
        return Region({j: s for j, s in self._items if j != k})

    def compatible(self, other: Region) -> bool:
        d = self.as_dict()
        return all(d.get(k, s) == s for k, s in other._items)

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return iter(self._items)

    def __eq__(self, other) -> bool:
        return isinstance(other, Region) and self._items == other._items

    def __hash__(self) -> int:
        return self._hash

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}: '{'+' if s > 0 else '-'}'" for k, s in self._items)
        return f"Region({{{inner}}})"


@dataclass
class SignFactorization:
    """How the sign of a polynomial follows from the signs of breaks.

    ``sign(p) = const_sign * prod(sign(break_k) ** m_k)`` almost everywhere, where ``const_sign``
    already includes the (a.e. constant) signs of factors that never change sign.
    """

    const_sign: int
    breaks: tuple[tuple[int, int], ...]

    def sign_in(self, region: Region) -> int | None:
        """Sign of the polynomial on ``region``, or ``None`` when some break is not fixed there."""
        s = self.const_sign
        for k, m in self.breaks:
            r = region.sign(k)
            if r is None:
                return None
            if m % 2:
                s *= r
        return s

    def odd_breaks(self) -> list[int]:
        """Breaks that occur to an odd power (the ones whose sign matters)."""
        return [k for k, m in self.breaks if m % 2]


@dataclass
class BreakTable:
    """The breaks of one computation, deduplicated, with their origins.

    Parameters
    ----------
    ring : PolyRing
        The ring the breaks live in.
    """

    ring: PolyRing
    polys: list[Poly] = field(default_factory=list)
    labels: list[list[str]] = field(default_factory=list)
    _index: dict[tuple, int] = field(default_factory=dict)
    #: normalised factors that never change sign, with their a.e. sign
    definite: dict[tuple, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.polys)

    def __getitem__(self, k: int) -> Poly:
        return self.polys[k]

    def index(self, f: Poly) -> int | None:
        return self._index.get(poly_key(f))

    def add(self, f: Poly, label: str | None = None) -> int:
        """Index of the normalised irreducible ``f``, adding it if new."""
        key = poly_key(f)
        k = self._index.get(key)
        if k is None:
            k = len(self.polys)
            self._index[key] = k
            self.polys.append(f)
            self.labels.append([])
        if label and label not in self.labels[k] and len(self.labels[k]) < 8:
            self.labels[k].append(label)
        return k

    def conditions(self, region: Region) -> list[tuple[Poly, int]]:
        """The region as a list of ``(polynomial, sign)`` conditions."""
        return [(self.polys[k], s) for k, s in region]

    def all_affine(self, indices: Iterable[int]) -> bool:
        return all(is_affine(self.polys[k]) for k in indices)

    def signs_at(self, point: Sequence[Fraction], indices: Iterable[int]) -> dict[int, int]:
        """Exact signs of the given breaks at a point (0 where the point is on the break)."""
        out = {}
        for k in indices:
            v = self.ring.evaluate(self.polys[k], point)
            out[k] = (v > 0) - (v < 0)
        return out

    def name(self, k: int) -> str:
        return f"g{k}"
