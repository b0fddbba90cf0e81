"""The forward pass on many points at once (numpy, float64), recording the sign of every break.

:class:`BatchArray` is a stack of ``N`` matrices that behaves, for
:func:`~splinesym.nn.forward.forward`, like one matrix (``shape`` is the per-point shape, ``.T``
transposes each matrix, ``@`` multiplies each). :class:`BatchBackend` records, stage by stage, the
signs of the ReLU arguments (masked positions skipped) -- the float activation patterns of all
points. Floats decide nothing: every pattern reported elsewhere is re-verified exactly at a
rational point.

Examples
--------
>>> import numpy as np
>>> from splinesym.nn.zoo import random_model
>>> from splinesym.nn.model import model_from_dict
>>> m = model_from_dict(random_model("attention", seed=0, tokens=2, dim=1))
>>> out, bits = batch_forward(m, np.array([[1.0, 2.0], [-1.0, 3.0]]))
>>> out.tolist(), bits.astype(int).tolist()
([[-135.0, -270.0], [27.0, -729.0]], [[1, 1, 1, 1], [1, 0, 0, 1]])
"""

from __future__ import annotations

import numpy as np

from ..errors import UnsupportedModelError
from ..nn.forward import FloatBackend, forward
from ..nn.model import Model

__all__ = ["BatchArray", "BatchBackend", "batch_forward", "break_count"]


class BatchArray:
    """``N`` matrices of one shape, stored as an ``(N, rows, cols)`` float array."""

    __array_ufunc__ = None  # numpy defers to our operators

    def __init__(self, data: np.ndarray):
        self.data = data

    @property
    def shape(self) -> tuple[int, int]:
        return self.data.shape[1:]

    @property
    def T(self) -> BatchArray:
        return BatchArray(np.swapaxes(self.data, -1, -2))

    @staticmethod
    def _raw(o):
        return o.data if isinstance(o, BatchArray) else o

    def __matmul__(self, o):
        return BatchArray(np.matmul(self.data, self._raw(o)))

    def __rmatmul__(self, o):
        return BatchArray(np.matmul(o, self.data))

    def __add__(self, o):
        return BatchArray(self.data + self._raw(o))

    __radd__ = __add__

    def __sub__(self, o):
        return BatchArray(self.data - self._raw(o))

    def __mul__(self, o):
        return BatchArray(self.data * self._raw(o))

    __rmul__ = __mul__

    def __neg__(self):
        return BatchArray(-self.data)


class BatchBackend(FloatBackend):
    """Float64 evaluation of a batch; records ReLU argument signs (``bits``: argument > 0)."""

    name = "batch"

    def __init__(self, keep_values: bool = False):
        self.stages: list[np.ndarray] = []
        self.labels: list[str] = []
        self.keep_values = keep_values
        self.values: list[np.ndarray] = []

    def hstack(self, arrays):
        return BatchArray(np.concatenate([a.data for a in arrays], axis=-1))

    def activation(self, S, kind, beta, mask, label):
        D = S.data
        if kind == "relu":
            sel = D[:, mask] if mask is not None else D.reshape(D.shape[0], -1)
            self.stages.append(sel > 0)
            if self.keep_values:
                self.values.append(sel)
            if label is not None:
                idxs = np.argwhere(mask) if mask is not None else np.ndindex(*D.shape[1:])
                self.labels.extend(label(tuple(int(i) for i in ix)) for ix in idxs)
            A = np.maximum(D, 0.0)
        elif kind == "softplus":
            A = np.logaddexp(0.0, float(beta) * D) / float(beta)
        elif kind == "sigmoid":
            A = 1.0 / (1.0 + np.exp(-D))
        elif kind == "softmax":
            M = np.where(mask, D, -np.inf) if mask is not None else D
            M = M - M.max(axis=-1, keepdims=True)
            E = np.exp(M)
            A = E / E.sum(axis=-1, keepdims=True)
        else:
            raise UnsupportedModelError(f"unknown activation {kind!r}")
        if mask is not None:
            A = np.where(mask, A, 0.0)
        return BatchArray(A)


def batch_forward(model: Model, points: np.ndarray, labels: bool = False,
                  values: bool = False):
    """Outputs ``(N, outputs)`` and sign bits ``(N, breaks)`` at ``N`` points (rows, in the
    order of ``model.variables()``). With ``labels``, also the break labels; with ``values``,
    the bits are replaced by the float values of the ReLU arguments."""
    pts = np.asarray(points, dtype=float)
    n = pts.shape[0]
    nx = model.tokens * model.dim
    X = BatchArray(pts[:, :nx].reshape(n, model.tokens, model.dim))
    Y = None
    if model.decoder:
        Y = BatchArray(pts[:, nx:].reshape(n, model.target_tokens, model.target_dim))
    be = BatchBackend(keep_values=values)
    out = forward(model, be, X, Y)
    stages = be.values if values else be.stages
    bits = (np.concatenate(stages, axis=1) if stages
            else np.zeros((n, 0), dtype=float if values else bool))
    res = (out.data.reshape(n, -1), bits)
    return (*res, be.labels) if labels else res


def break_count(model: Model) -> int:
    """Number of ReLU arguments one forward pass meets (the length of a pattern)."""
    nv = len(model.variables())
    return batch_forward(model, np.ones((1, nv)))[1].shape[1]
