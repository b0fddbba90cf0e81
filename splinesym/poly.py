"""Exact multivariate polynomials over Q on python-flint, with the bridges users see.

A :class:`PolyRing` owns an ordered tuple of variable names (like python-flint's contexts) and
makes, parses, prints and evaluates polynomials in them. Polynomials themselves are plain
``flint.fmpq_mpoly`` objects; the free functions here are the raw kernels that act on them.

Examples
--------
>>> R = PolyRing(["x", "y"])
>>> p = R.parse("3/2*x**2 - x*y + 1")
>>> R.format(p)
'3/2*x**2 - x*y + 1'
>>> R.evaluate(p, [1, 2])
Fraction(1, 2)
>>> R.latex(p)
'\\\\frac{3}{2} x^{2} - x y + 1'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from fractions import Fraction
from functools import cache

import flint
import numpy as np

from .errors import PolynomialSyntaxError
from .kernel.grammar import CAPS, Caps, GrammarError, parse_polynomial

Poly = flint.fmpq_mpoly
Number = int | Fraction | flint.fmpq

__all__ = [
    "Poly",
    "PolyRing",
    "to_fmpq",
    "to_fraction",
    "poly_degree_in",
    "is_affine",
    "primitive_integer_form",
    "FloatEvaluator",
    "scaled_floats",
]


def to_fmpq(value) -> flint.fmpq:
    """Convert an int, Fraction or fmpq to ``flint.fmpq`` exactly."""
    if isinstance(value, flint.fmpq):
        return value
    if isinstance(value, Fraction):
        return flint.fmpq(value.numerator, value.denominator)
    if isinstance(value, int):
        return flint.fmpq(value)
    if isinstance(value, float):
        f = Fraction(value)
        return flint.fmpq(f.numerator, f.denominator)
    raise TypeError(f"not an exact rational: {value!r}")


def to_fraction(value) -> Fraction:
    """Convert an fmpq, int or Fraction to a Python ``Fraction`` exactly."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, flint.fmpq):
        return Fraction(int(value.p), int(value.q))
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, flint.fmpz):
        return Fraction(int(value))
    raise TypeError(f"not an exact rational: {value!r}")


@cache
def _context(names: tuple[str, ...]) -> flint.fmpq_mpoly_ctx:
    return flint.fmpq_mpoly_ctx.get(names, "deglex")


class PolyRing:
    """Q[v1, ..., vn] with named variables, the context every polynomial of a computation lives in.

    Parameters
    ----------
    names : sequence of str
        Variable names, in order. Names must be identifiers.

    Notes
    -----
    Rings with the same names are equal and share one flint context, so polynomials from two
    equal rings can be mixed freely.
    """

    def __init__(self, names: Sequence[str]):
        names = tuple(str(n) for n in names)
        for n in names:
            if not n.isidentifier():
                raise PolynomialSyntaxError(f"variable name {n!r} is not an identifier")
        if len(set(names)) != len(names):
            raise PolynomialSyntaxError("variable names repeat")
        self.names = names
        self.ctx = _context(names) if names else _context(("_",))
        self._index = {n: i for i, n in enumerate(names)}

    # -- construction ---------------------------------------------------------------------------
    @property
    def nvars(self) -> int:
        return len(self.names)

    def __eq__(self, other) -> bool:
        return isinstance(other, PolyRing) and other.names == self.names

    def __hash__(self) -> int:
        return hash(self.names)

    def __repr__(self) -> str:
        return f"PolyRing({list(self.names)!r})"

    def gens(self) -> tuple[Poly, ...]:
        """The variables as polynomials."""
        return tuple(self.ctx.gens()[: self.nvars])

    def gen(self, name: str) -> Poly:
        """The variable called ``name``."""
        return self.ctx.gens()[self._index[name]]

    def const(self, value) -> Poly:
        """A constant polynomial."""
        return self.ctx.constant(to_fmpq(value))

    def zero(self) -> Poly:
        return self.ctx.constant(0)

    def from_terms(self, terms: dict[tuple[int, ...], Number]) -> Poly:
        """Build from ``{exponent tuple: coefficient}``."""
        return self.ctx.from_dict({tuple(e): to_fmpq(c) for e, c in terms.items()})

    def extend(self, extra: Iterable[str]) -> PolyRing:
        """A ring with ``extra`` names appended (those already present are skipped)."""
        return PolyRing([*self.names, *[e for e in extra if e not in self._index]])

    def embed(self, p: Poly, source: PolyRing) -> Poly:
        """Rewrite ``p`` from ring ``source`` into this ring (variables matched by name)."""
        if source.names == self.names:
            return p
        idx = []
        for n in source.names:
            if n not in self._index:
                if any(e[source._index[n]] for e in p.monoms()):
                    raise PolynomialSyntaxError(f"variable {n!r} is not in {self!r}")
                idx.append(None)
            else:
                idx.append(self._index[n])
        out = {}
        for e, c in zip(p.monoms(), p.coeffs()):
            ne = [0] * self.nvars
            for k, ek in enumerate(e):
                if ek:
                    ne[idx[k]] = ek
            out[tuple(ne)] = c
        return self.ctx.from_dict(out) if out else self.zero()

    # -- parsing --------------------------------------------------------------------------------
    def parse(self, text: str | int | Fraction, caps: Caps | None = None) -> Poly:
        """Parse a polynomial written in sympy syntax (``**`` or ``^`` for powers).

        Only numbers, this ring's variable names, ``+ - * / **`` and parentheses are accepted;
        division is by nonzero constants only. Nothing is passed to ``eval``. The grammar is
        the kernel's (:mod:`splinesym.kernel.grammar`), so library and checker read the same
        language with the same meaning; ``caps`` (a :class:`~splinesym.kernel.grammar.Caps`)
        raises or lowers its input limits.

        Raises
        ------
        PolynomialSyntaxError
            With the position and the reason.
        """
        if isinstance(text, (int, Fraction)):
            return self.const(text)
        if not isinstance(text, str):
            raise PolynomialSyntaxError(f"expected a polynomial string, got {type(text).__name__}")
        return _parse(text, self, caps or library_caps())

    # -- printing -------------------------------------------------------------------------------
    def format(self, p: Poly) -> str:
        """Sympy-syntax string: ``3/2*x**2 - x*y + 1``."""
        return _format(p, self.names, "sympy")

    def latex(self, p: Poly) -> str:
        """LaTeX string of ``p`` (variables ``x1_2`` print as ``x_{1,2}``)."""
        return _format(p, self.names, "latex")

    def to_sympy(self, p: Poly):
        """The polynomial as a sympy expression."""
        import sympy

        syms = sympy.symbols(self.names) if self.names else ()
        expr = sympy.Integer(0)
        for e, c in zip(p.monoms(), p.coeffs()):
            term = sympy.Rational(int(c.p), int(c.q))
            for s, k in zip(syms, e):
                if k:
                    term *= s**k
            expr += term
        return expr

    def from_sympy(self, expr) -> Poly:
        """Convert a sympy polynomial expression in this ring's variables."""
        import sympy

        syms = sympy.symbols(self.names)
        if isinstance(expr, str):   # never sympify a string: that runs eval
            from .io.safe_sympy import parse_sympy_expression

            expr = parse_sympy_expression(expr)
        try:
            P = sympy.Poly(sympy.sympify(expr), *syms, domain="QQ")
        except (sympy.PolynomialError, sympy.GeneratorsNeeded, sympy.CoercionFailed) as exc:
            raise PolynomialSyntaxError(f"not a polynomial over Q in {self.names}: {exc}") from None
        return self.from_terms({e: Fraction(int(c.numerator), int(c.denominator))
                                for e, c in P.as_dict().items()})

    # -- evaluation -----------------------------------------------------------------------------
    def evaluate(self, p: Poly, point: Sequence) -> Fraction:
        """Exact value of ``p`` at a rational point."""
        if self.nvars == 0:
            return to_fraction(p.coeffs()[0]) if not p.is_zero() else Fraction(0)
        return to_fraction(p(*[to_fmpq(v) for v in point]))

    def substitute(self, p: Poly, values: dict[str, Poly | Number]) -> Poly:
        """Substitute polynomials (or numbers) for some variables."""
        args = []
        for n, g in zip(self.names, self.gens()):
            v = values.get(n, g)
            args.append(v if isinstance(v, Poly) else self.const(v))
        if not args:
            return p
        return p.compose(*args, ctx=self.ctx)

    def degree_in(self, p: Poly, names: Iterable[str]) -> int:
        """Total degree of ``p`` in the given subset of variables (−1 for the zero polynomial)."""
        return poly_degree_in(p, [self._index[n] for n in names])


def poly_degree_in(p: Poly, indices: Sequence[int]) -> int:
    """Total degree of ``p`` counting only the variables at ``indices`` (−1 for zero)."""
    if p.is_zero():
        return -1
    return int(max(sum(int(e[i]) for i in indices) for e in p.monoms()))


def is_affine(p: Poly) -> bool:
    """True when ``p`` has total degree at most 1."""
    return p.is_zero() or p.total_degree() <= 1


def primitive_integer_form(p: Poly) -> tuple[Poly, flint.fmpq]:
    """``(q, c)`` with ``p = c*q``, ``q`` having coprime integer coefficients and positive leading
    coefficient (in the ring's ordering).
    """
    coeffs = p.coeffs()
    den = 1
    for c in coeffs:
        den = den * int(c.q) // _gcd(den, int(c.q))
    nums = [int(c * den) for c in coeffs]
    g = 0
    for n in nums:
        g = _gcd(g, abs(n))
    c = flint.fmpq(g, den)
    if nums[0] < 0:
        c = -c
    return p / c, c


def _gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return a


# ----------------------------------------------------------------------------------------------
# printing
_SUB = re.compile(r"^([A-Za-z]+)(\d+)_(\d+)$")


def _latex_name(name: str) -> str:
    m = _SUB.match(name)
    if m:
        return f"{m.group(1)}_{{{m.group(2)},{m.group(3)}}}"
    if "_" in name:
        head, tail = name.split("_", 1)
        return f"{head}_{{{tail}}}"
    return name


def _format(p: Poly, names: Sequence[str], style: str) -> str:
    if p.is_zero():
        return "0"
    out: list[str] = []
    for e, c in zip(p.monoms(), p.coeffs()):
        neg = c < 0
        a = -c if neg else c
        factors = []
        for n, k in zip(names, e):
            if k == 0:
                continue
            if style == "latex":
                ln = _latex_name(n)
                factors.append(ln if k == 1 else f"{ln}^{{{k}}}")
            else:
                factors.append(n if k == 1 else f"{n}**{k}")
        if style == "latex":
            mono = " ".join(factors)
            if a.q != 1:
                coef = f"\\frac{{{a.p}}}{{{a.q}}}"
            else:
                coef = str(a.p)
            term = (coef if not mono else (mono if a == 1 else f"{coef} {mono}"))
        else:
            mono = "*".join(factors)
            coef = str(a.p) if a.q == 1 else f"{a.p}/{a.q}"
            term = coef if not mono else (mono if a == 1 else f"{coef}*{mono}")
        if not out:
            out.append(f"-{term}" if neg else term)
        else:
            out.append(f"- {term}" if neg else f"+ {term}")
    return " ".join(out)


# ----------------------------------------------------------------------------------------------
# parsing: the one grammar lives in the kernel (splinesym/kernel/grammar.py)
def library_caps() -> Caps:
    """The grammar's caps as the library sets them: from :mod:`splinesym.limits` (raised with
    ``--limit``), so one cap governs a number whether it is in a weight or in a polynomial."""
    from .limits import get_limit

    return Caps(max_length=CAPS.max_length, max_digits=get_limit("int_digits"),
                max_exponent=get_limit("exponent"), max_depth=CAPS.max_depth,
                max_terms=get_limit("poly_terms"), max_degree=get_limit("degree"),
                max_work=get_limit("poly_work"))


def _parse(text: str, ring: PolyRing, caps: Caps) -> Poly:
    try:
        terms = parse_polynomial(text, ring.names, caps)
    except GrammarError as exc:
        msg = str(exc)
        if "cap" in msg:
            msg += (" (raise the caps with --limit NAME=N: int_digits, exponent, degree, "
                    "poly_terms, poly_work)")
        raise PolynomialSyntaxError(msg) from None
    if not terms:
        return ring.zero()
    return ring.ctx.from_dict({e: to_fmpq(c) for e, c in terms.items()})


# ----------------------------------------------------------------------------------------------
def scaled_floats(values: Sequence, max_exp: int = 500) -> list[float]:
    """Floats of exact rationals for a numeric heuristic, scaled by one power of two when the
    largest is beyond ``2**max_exp`` (so that ``1e5000`` or a 5,000-digit weight never overflows).

    Scaling by a positive constant keeps signs and ratios, which is all the float heuristics
    use; nothing exact is ever derived from these floats without an exact check.

    >>> scaled_floats([Fraction(1, 2), 3])
    [0.5, 3.0]
    >>> [round(v, 3) for v in scaled_floats([10**400, -(10**400)])]
    [1.707, -1.707]
    """
    pq = []
    for v in values:
        if isinstance(v, flint.fmpq):
            pq.append((int(v.p), int(v.q)))
        else:
            f = Fraction(v)
            pq.append((f.numerator, f.denominator))
    e = max((p.bit_length() - q.bit_length() for p, q in pq if p), default=0)
    if e <= max_exp:
        e = 0
    out = []
    for p, q in pq:
        try:
            out.append(p / (q << e))
        except OverflowError:
            out.append(float("inf") if p > 0 else float("-inf"))
    return out


class FloatEvaluator:
    """Vectorised float evaluation of a list of polynomials at many points.

    Parameters
    ----------
    polys : sequence of Poly
        Polynomials in one context with ``nvars`` variables.
    nvars : int
        Number of variables.

    Examples
    --------
    >>> R = PolyRing(["x", "y"])
    >>> ev = FloatEvaluator([R.parse("x*y - 1"), R.parse("x + y")], 2)
    >>> ev(np.array([[2.0, 1.0]])).tolist()
    [[1.0, 3.0]]
    """

    def __init__(self, polys: Sequence[Poly], nvars: int):
        self.nvars = nvars
        monos: dict[tuple[int, ...], int] = {}
        cols: list[list[tuple[int, float]]] = []
        for p in polys:
            col = []
            for e, c in zip(p.monoms(), scaled_floats(p.coeffs())):
                e = tuple(e[:nvars])
                j = monos.setdefault(e, len(monos))
                col.append((j, c))
            cols.append(col)
        self.exponents = np.array(list(monos) or [(0,) * nvars], dtype=np.int64).reshape(-1, nvars)
        self.coef = np.zeros((max(len(monos), 1), len(polys)))
        for k, col in enumerate(cols):
            for j, c in col:
                self.coef[j, k] += c
        self.maxdeg = int(self.exponents.max()) if self.exponents.size else 0

    def monomials(self, points: np.ndarray) -> np.ndarray:
        """Matrix of monomial values, one row per point."""
        pts = np.asarray(points, dtype=float).reshape(-1, self.nvars)
        out = np.ones((pts.shape[0], self.exponents.shape[0]))
        if self.maxdeg == 0:
            return out
        powers = [np.ones_like(pts)]
        for _ in range(self.maxdeg):
            powers.append(powers[-1] * pts)
        for v in range(self.nvars):
            ev = self.exponents[:, v]
            if ev.any():
                out *= np.stack([powers[k][:, v] for k in range(self.maxdeg + 1)], axis=1)[:, ev]
        return out

    def __call__(self, points: np.ndarray) -> np.ndarray:
        """Values, shape ``(npoints, npolys)``."""
        return self.monomials(points) @ self.coef
