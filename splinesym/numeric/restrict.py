"""The model restricted to a line through a point, inside the point's cell, exactly over Q[t].

:func:`restrict_to_line` runs the single :func:`~splinesym.nn.forward.forward` on univariate
polynomials (flint ``fmpq_poly`` in ``t``) with input ``p + t v``. Each ReLU is decided by the
sign of its argument at ``t = 0`` (the point): that is the cell's polynomial map restricted to
the line. The results are the exact restrictions of the outputs and of every break (the ReLU
arguments) -- univariate polynomials whose degree is at most the structural bound.

Examples
--------
>>> from splinesym.nn.zoo import random_model
>>> from splinesym.nn.model import model_from_dict
>>> m = model_from_dict(random_model("attention", seed=0, tokens=2, dim=1))
>>> r = restrict_to_line(m, [1, 2], [1, 0])
>>> [o.degree() for o in r.outputs], r.pattern
([3, 2], (1, 1, 1, 1))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import flint
import numpy as np

from ..errors import PointOnBreakError, UnsupportedModelError
from ..nn.forward import Backend, _numeric_weights, forward
from ..nn.model import Model
from .evaluate import split_point, to_fmpq_point

__all__ = ["LineBackend", "Restriction", "restrict_to_line", "PointOnBreakError"]


class LineBackend(Backend):
    """Univariate polynomials over Q (``fmpq_poly`` in t); each ReLU decided at t = 0."""

    name = "line"

    def __init__(self):
        self.breaks: list[flint.fmpq_poly] = []
        self.signs: list[int] = []
        self.labels: list[str] = []

    def weight(self, w) -> np.ndarray:
        arr = _numeric_weights(w)
        out = np.empty(arr.shape, dtype=object)
        for idx, v in np.ndenumerate(arr):
            out[idx] = flint.fmpq_poly([to_fmpq_point([v])[0]])
        return out

    def activation(self, S, kind, beta, mask, label):
        if kind != "relu":
            raise UnsupportedModelError(
                f"{kind} is not piecewise polynomial: the line restriction needs ReLU")
        zero = flint.fmpq_poly()
        out = np.empty(S.shape, dtype=object)
        for idx, s in np.ndenumerate(S):
            if mask is not None and not mask[idx]:
                out[idx] = zero
                continue
            at0 = s(0) if not s.is_zero() else flint.fmpq(0)
            sign = (at0 > 0) - (at0 < 0)
            if sign == 0 and not s.is_zero():
                where = label(idx) if label else "relu"
                raise PointOnBreakError(f"the point lies on a break ({where})")
            self.signs.append(sign)
            self.breaks.append(s)
            self.labels.append(label(idx) if label else "relu")
            out[idx] = s if sign > 0 else zero
        return out


@dataclass
class Restriction:
    """Exact restrictions to ``t -> p + t v`` of the outputs and breaks of the cell of ``p``."""

    point: list
    direction: list
    outputs: list[flint.fmpq_poly]
    breaks: list[flint.fmpq_poly]
    pattern: tuple[int, ...]
    labels: list[str]


def restrict_to_line(model: Model, point: Sequence, direction: Sequence) -> Restriction:
    """The cell's outputs and breaks on the line through ``point`` along ``direction``.

    Raises
    ------
    PointOnBreakError
        When a ReLU argument vanishes at ``point`` (choose another point).
    """
    p = to_fmpq_point(point)
    v = to_fmpq_point(direction)
    if len(p) != len(v):
        raise ValueError("point and direction have different lengths")
    line = [flint.fmpq_poly([a, b]) for a, b in zip(p, v)]
    X, Y = split_point(model, line)

    def arr(rows):
        out = np.empty((len(rows), len(rows[0])), dtype=object)
        for i, row in enumerate(rows):
            for j, e in enumerate(row):
                out[i, j] = e
        return out

    be = LineBackend()
    out = forward(model, be, arr(X), arr(Y) if Y is not None else None)
    outs = [o if isinstance(o, flint.fmpq_poly) else flint.fmpq_poly([o])
            for o in np.asarray(out).reshape(-1)]
    return Restriction(p, v, outs, be.breaks, tuple(be.signs), be.labels)
