"""The polynomial a ReLU model computes near one point, without expanding the whole model.

Run the forward pass on polynomials and decide every ReLU by the exact sign of its argument at a
chosen rational point. When no argument vanishes there, every activation keeps its branch on a
neighbourhood of the point, so on that neighbourhood the model *equals* the resulting polynomials.
This certifies lower bounds (a piece of degree exactly ``d`` exists) for models too large to
expand, and gives an independent check of one piece of an expansion.

Examples
--------
>>> from fractions import Fraction
>>> from splinesym.nn.model import model_from_dict
>>> m = model_from_dict({"format": "splinesym.model/1", "tokens": 2, "dim": 1,
...     "encoder": [{"self_attention": {"heads": [{"WQ": [[1]], "WK": [[1]], "WV": [[1]]}]},
...                  "residual": False}]})
>>> loc = local_polynomials(m, [Fraction(1), Fraction(-2)])
>>> [loc.ring.format(p) for p in loc.values]
['x1_1**3', 'x2_1**3']
>>> loc.degree
3
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..errors import InvalidInputError, UnsupportedModelError, ZeroAtPointError
from ..nn.forward import Backend, forward
from ..poly import Poly, PolyRing, poly_degree_in, to_fmpq

__all__ = ["LocalPolynomials", "local_polynomials", "ZeroAtPointError"]




@dataclass
class LocalPolynomials:
    """The model's outputs near ``point``, and the activation conditions that fix them.

    Attributes
    ----------
    ring : PolyRing
    point : tuple of Fraction
    values : list of Poly
        One polynomial per output (row-major).
    conditions : list of (Poly, int)
        Every nonconstant ReLU argument with its sign at the point: on the open set where all
        of them keep these signs (which contains the point) the model equals ``values``.
    """

    ring: PolyRing
    point: tuple[Fraction, ...]
    values: list[Poly]
    conditions: list[tuple[Poly, int]]

    @property
    def degree(self) -> int:
        idx = list(range(self.ring.nvars))
        return max((poly_degree_in(v, idx) for v in self.values), default=-1)


class _LocalBackend(Backend):
    name = "local"

    def __init__(self, ring: PolyRing, point: Sequence[Fraction]):
        self.ring = ring
        self.args = [to_fmpq(v) for v in point]
        self.conditions: list[tuple[Poly, int]] = []

    def weight(self, w) -> np.ndarray:
        arr = np.asarray(w, dtype=object)
        out = np.empty(arr.shape, dtype=object)
        for idx, v in np.ndenumerate(arr):
            if isinstance(v, str):
                raise UnsupportedModelError(f"weight symbol {v!r}: local polynomials need "
                                            f"numeric weights")
            # numbers, not constant polynomials: numpy would iterate over a polynomial's terms
            out[idx] = to_fmpq(Fraction(v))
        return out

    def activation(self, S, kind, beta, mask, label):
        if kind != "relu":
            raise UnsupportedModelError(f"{kind} is not piecewise polynomial", "activation")
        zero = self.ring.zero()
        out = np.empty(S.shape, dtype=object)
        for idx, v in np.ndenumerate(S):
            if mask is not None and not mask[idx]:
                out[idx] = zero
                continue
            if not isinstance(v, Poly) or v.is_constant():
                c = v if not isinstance(v, Poly) else (v.coeffs()[0] if not v.is_zero() else 0)
                out[idx] = v if c > 0 else zero
                continue
            s = v(*self.args)
            if s == 0:
                raise ZeroAtPointError("a ReLU argument vanishes at the point (it lies on a "
                                       "break): choose another point", "point")
            self.conditions.append((v, 1 if s > 0 else -1))
            out[idx] = v if s > 0 else zero
        return out


def local_polynomials(model, point: Sequence) -> LocalPolynomials:
    """The polynomials the model equals near ``point`` (ordered as ``model.variables()``).

    Raises
    ------
    ZeroAtPointError
        When a ReLU argument vanishes at the point.
    """
    names = model.variables()
    ring = PolyRing(names)
    pt = tuple(Fraction(v) for v in point)
    if len(pt) != len(names):
        raise InvalidInputError(f"point has {len(pt)} coordinates, expected {len(names)}",
                                "point")
    be = _LocalBackend(ring, pt)

    def arr(rows):
        a = np.empty((len(rows), len(rows[0])), dtype=object)
        for i, r in enumerate(rows):
            for j, n in enumerate(r):
                a[i, j] = ring.gen(n)
        return a

    X = arr(model.input_names())
    Y = arr(model.target_names()) if model.decoder else None
    out = forward(model, be, X, Y)
    vals = []
    for v in np.asarray(out, dtype=object).reshape(-1):
        vals.append(v if isinstance(v, Poly) else ring.const(v))
    return LocalPolynomials(ring, pt, vals, be.conditions)
