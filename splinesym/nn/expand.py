"""Expanding a model into a spline: the forward pass run on piecewise arrays.

Examples
--------
>>> from splinesym.nn.model import model_from_dict
>>> m = model_from_dict({"format": "splinesym.model/1", "tokens": 1, "dim": 2,
...     "encoder": [{"ffn": {"W1": [[1], [-1]], "W2": [[1, 1]]}, "residual": False}]})
>>> sp = expand_model(m)
>>> [sp.ring.format(p.values[0]) for p in sp.pieces]
['x1_1 - x1_2', '0']
"""

from __future__ import annotations

import time

import numpy as np

from ..cells import Budget
from ..errors import UnsupportedModelError
from ..piecewise import Engine, PArray
from ..poly import PolyRing
from ..spline import Piece, Spline
from .forward import Backend, forward
from .model import Model

__all__ = ["SplineBackend", "expand_model", "structural_degree"]


class SplineBackend(Backend):
    """Arrays are :class:`PArray`; ReLU refines cells; other activations are refused."""

    name = "spline"

    def __init__(self, engine: Engine):
        self.engine = engine

    def weight(self, w) -> np.ndarray:
        return self.engine.constant_array(w)

    def activation(self, S, kind, beta, mask, label):
        if kind != "relu":
            raise UnsupportedModelError(
                f"{kind} is not piecewise polynomial: only ReLU attention expands to a spline "
                f"({kind} is supported for numeric evaluation only)", "activation")
        if mask is not None:
            zero = self.engine.ring.zero()
            vals = []
            for v in S.values:
                v = v.copy()
                v[~mask] = zero
                vals.append(v)
            S = PArray(self.engine, S.partition, vals)
        return self.engine.relu(S, label)

    def hstack(self, arrays):
        return self.engine.hstack(arrays)


def expand_model(model: Model, *, time_limit: float | None = None, max_cells: int | None = None,
                 solver_timeout: float = 10.0, merge: bool = True,
                 sample_size: int = 20000) -> Spline:
    """The spline a ReLU model computes, cell by cell, with every cell decided or labelled.

    Parameters
    ----------
    model : Model
    time_limit, max_cells : optional
        Budget for the whole expansion; what is not decided when it runs out is labelled
        ``undecided`` and the spline is marked incomplete with the reason.
    solver_timeout : float
        Seconds z3 may spend on one cell.
    merge : bool
        Merge neighbouring pieces with equal values.
    """
    t0 = time.monotonic()
    symbols = model.symbols()
    variables = model.variables()
    ring = PolyRing([*variables, *symbols])
    budget = Budget(time_limit, max_cells, solver_timeout)
    eng = Engine(ring, budget, symbolic=bool(symbols), sample_size=sample_size)
    be = SplineBackend(eng)
    X = eng.variables_array(model.input_names())
    Y = eng.variables_array(model.target_names()) if model.decoder else None
    out = forward(model, be, X, Y)
    if not isinstance(out, PArray):  # a model with no nonlinearity at all
        out = PArray(eng, eng.root, [eng.lift_constant(out)])
    pieces = [Piece(c.region, tuple(v.reshape(-1)), c.decision.witness, c.decision.status,
                    c.decision.note) for c, v in zip(out.partition.cells, out.values)]
    notes = list(out.partition.notes)
    if model.dropped_layernorm:
        notes.insert(0, "LAYER NORMALISATION DROPPED (not piecewise polynomial): "
                     + ", ".join(model.dropped_layernorm))
    if symbols:
        notes.insert(0, "symbolic weights: the pieces are all sign patterns of the breaks; "
                     "which patterns are realised depends on the weights and is not decided")
    reason = budget.exhausted_reason()
    if reason:
        notes.append(f"budget: {reason}")
    sp = Spline(ring, variables, model.output_names(), list(eng.table.polys), pieces,
                [list(lb) for lb in eng.table.labels],
                out.partition.complete and not symbols and reason is None, notes)
    if merge:
        sp = sp.merge()
    sp.stats = {
        "seconds": round(time.monotonic() - t0, 3),
        "decisions": dict(eng.decider.counts),
        "patterns_examined": budget.cells_used,
        "structural_degree": structural_degree(model),
        "sign_definite_factors": [ring.format(f) for f, _, _ in eng.definite_evidence],
    }
    return sp


def _attention_degree(d_q: int, d_kv: int) -> int:
    return d_q + 2 * d_kv


def structural_degree(model: Model) -> dict:
    """Degree bounds from the model's shape (DESIGN.md §5): joint, in X and in Y.

    Attention on queries of degree Dq and keys/values of degree Dkv has degree Dq + 2 Dkv (a
    ReLU product of Q and K, times V); FFNs keep the degree; residuals take the maximum.

    >>> from splinesym.nn.model import model_from_dict
    >>> h = {"WQ": [[1]], "WK": [[1]], "WV": [[1]]}
    >>> m = model_from_dict({"format": "splinesym.model/1", "tokens": 2, "dim": 1,
    ...     "encoder": [{"self_attention": {"heads": [h]}}] * 2})
    >>> structural_degree(m)["joint"]
    9
    """

    # degrees tracked as (joint, in X, in Y)
    def att(q, kv):
        return tuple(q[i] + 2 * kv[i] for i in range(3))

    def mx(a, b):
        return tuple(max(x, y) for x, y in zip(a, b))

    def run_block(b, z, mem):
        if b.self_attention is not None:
            a = att(z, z)
            z = mx(z, a) if b.residual.attention else a
        if b.cross_attention is not None:
            c = att(z, mem)
            z = mx(z, c) if b.residual.cross else c
        return z  # FFN keeps the degree (a ReLU of a polynomial is piecewise the same degree)

    z = (1, 1, 0)
    for b in model.encoder:
        z = run_block(b, z, None)
    if model.decoder:
        mem = z
        z = (1, 0, 1)
        for b in model.decoder:
            z = run_block(b, z, mem)
    return {"joint": z[0], "x": z[1], "y": z[2]}
