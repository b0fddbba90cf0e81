"""Any ReLU model as a max–min: the forward pass run with a lattice backend.

:class:`LatticeBackend` is a :class:`~splinesym.nn.forward.Backend` whose arrays hold lattice
expressions (:mod:`splinesym.lattice.expr`). :func:`splinesym.nn.forward.forward` — the one place
the transformer semantics are written — runs on it unchanged: ReLU(z) becomes ``max(z, 0)``,
products of two expressions (attention scores times values) use identities 1 and 4, and the
result is flattened to ``max_i min_j p_ij`` per output. Nothing is conjectured: every step is a
pointwise identity.

Examples
--------
>>> from splinesym.nn.model import model_from_dict
>>> m = model_from_dict({"format": "splinesym.model/1", "tokens": 1, "dim": 2,
...     "encoder": [{"ffn": {"W1": [[1], [-1]], "W2": [[1]]}, "residual": False}]})
>>> mm = model_maxmin(m)
>>> [[mm.ring.format(p) for p in t] for t in mm.terms[0]]
[['x1_1 - x1_2'], ['0']]
"""

from __future__ import annotations

import time
from fractions import Fraction

import numpy as np

from ..errors import SymbolicWeightsError, UnsupportedModelError
from ..nn.forward import Backend, forward
from ..nn.model import Model
from ..poly import PolyRing
from .expr import Leaf, LExpr, MaxMin, flatten, relu

__all__ = ["LatticeBackend", "model_expressions", "model_maxmin"]


class LatticeBackend(Backend):
    """Arrays of lattice expressions; ReLU is ``max(z, 0)``; only ReLU is allowed."""

    name = "lattice"

    def __init__(self, ring: PolyRing):
        self.ring = ring

    def weight(self, w) -> np.ndarray:
        arr = np.asarray(w, dtype=object)
        out = np.empty(arr.shape, dtype=object)
        for idx, v in np.ndenumerate(arr):
            if isinstance(v, str):
                raise SymbolicWeightsError(
                    f"weight symbol {v!r}: the max-min form needs numeric weights")
            out[idx] = Fraction(v)
        return out

    def activation(self, S, kind, beta, mask, label):
        if kind != "relu":
            raise UnsupportedModelError(
                f"{kind} is not piecewise polynomial: only ReLU models are max-min of "
                "polynomials", "activation")
        out = np.empty(S.shape, dtype=object)
        zero = Leaf(self.ring, self.ring.zero())
        for idx, v in np.ndenumerate(S):
            if mask is not None and not mask[idx]:
                out[idx] = zero
            else:
                out[idx] = relu(self._lift(v))
        return out

    def _lift(self, v) -> LExpr:
        if isinstance(v, LExpr):
            return v
        return Leaf(self.ring, self.ring.const(Fraction(v)))


def model_expressions(model: Model) -> tuple[PolyRing, list[LExpr]]:
    """The lattice DAG of every output (row-major), in the ring of ``model.variables()``."""
    if model.symbols():
        raise SymbolicWeightsError("the max-min form needs numeric weights; the model has "
                                   f"symbols {', '.join(model.symbols())}")
    ring = PolyRing(model.variables())
    be = LatticeBackend(ring)

    def arr(names):
        a = np.empty((len(names), len(names[0]) if names else 0), dtype=object)
        for i, row in enumerate(names):
            for k, n in enumerate(row):
                a[i, k] = Leaf(ring, ring.gen(n))
        return a

    X = arr(model.input_names())
    Y = arr(model.target_names()) if model.decoder else None
    out = forward(model, be, X, Y)
    return ring, [be._lift(v) for v in np.asarray(out).reshape(-1)]


def model_maxmin(model: Model, *, max_terms: int = 20000, samples=None) -> MaxMin:
    """The max–min form of every output of a ReLU model, by the lattice algebra (exact).

    Raises
    ------
    FlattenTooLargeError
        When the flattened form would exceed ``max_terms`` terms somewhere.

    With ``samples`` (float points) the intermediate forms are pruned heuristically (see
    :func:`~splinesym.lattice.expr.flatten`): certify the result before trusting it.
    """
    t0 = time.monotonic()
    ring, exprs = model_expressions(model)
    t1 = time.monotonic()
    mm = flatten(exprs, model.output_names(), max_terms=max_terms, method="lattice",
                 samples=samples)
    mm.notes.insert(0, "lattice algebra on the forward pass (identities 1-4 of docs/DESIGN.md §6)"
                    + ("; exact, no conjecture" if samples is None else ""))
    mm.stats["seconds_dag"] = round(t1 - t0, 4)
    mm.stats["seconds_flatten"] = round(time.monotonic() - t1, 4)
    return mm
