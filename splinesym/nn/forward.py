"""One model definition, several meanings.

:func:`forward` is the only place where the transformer semantics of docs/DESIGN.md §2 are
written. It runs on any :class:`Backend`: exact rationals, floats and mpmath give numbers (the
oracle); the spline backend gives piecewise polynomials (the proof).

Examples
--------
>>> from fractions import Fraction
>>> from splinesym.nn.model import model_from_dict
>>> m = model_from_dict({"format": "splinesym.model/1", "tokens": 2, "dim": 1,
...     "encoder": [{"self_attention": {"heads": [{"WQ": [[1]], "WK": [[1]], "WV": [[1]]}]},
...                  "residual": False}]})
>>> forward(m, ExactBackend(), [[Fraction(1)], [Fraction(-2)]]).tolist()
[[Fraction(1, 1)], [Fraction(-8, 1)]]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from fractions import Fraction

import numpy as np

from ..errors import SymbolicWeightsError, UnsupportedModelError
from .model import FFN, Attention, Block, Model

__all__ = ["Backend", "ExactBackend", "FloatBackend", "MpmathBackend", "forward",
           "evaluate_model"]

Label = Callable[[tuple], str] | None


class Backend:
    """What :func:`forward` needs from a number system: conversion, activations, hstack."""

    name = "abstract"

    def weight(self, w) -> np.ndarray:
        raise NotImplementedError

    def activation(self, S, kind: str, beta, mask: np.ndarray | None, label: Label):
        raise NotImplementedError

    def hstack(self, arrays: Sequence):
        return np.hstack(list(arrays))

    def scores(self, Zq, Zkv, head, scale, label: str) -> None:
        """Told, before a head's activation, how its scores are made (``(Zq WQ~) (Zkv WK~)^T
        * scale``); backends that can use the structure (the spline backend) override this."""


def _numeric_weights(w) -> np.ndarray:
    """``w`` as an object array, refusing weight symbols (numeric backends need numbers)."""
    arr = np.asarray(w, dtype=object)
    for v in arr.flat:
        if isinstance(v, str):
            raise SymbolicWeightsError(f"weight symbol {v!r} has no numeric value")
    return arr


def _masked(S: np.ndarray, mask: np.ndarray | None, zero) -> np.ndarray:
    if mask is None:
        return S
    out = S.copy()
    out[~mask] = zero
    return out


class ExactBackend(Backend):
    """Exact rational arithmetic with Python ``Fraction`` (ReLU only: others are not rational)."""

    name = "exact"

    def weight(self, w) -> np.ndarray:
        arr = _numeric_weights(w)
        return np.vectorize(Fraction, otypes=[object])(arr) if arr.size else arr

    def activation(self, S, kind, beta, mask, label):
        if kind != "relu":
            raise UnsupportedModelError(
                f"{kind} is not rational: evaluate with the float or mpmath backend")
        R = np.vectorize(lambda v: v if v > 0 else Fraction(0), otypes=[object])(S)
        return _masked(R, mask, Fraction(0))


class FloatBackend(Backend):
    """Float64 numpy evaluation, for speed and for SoftMax / SoftPlus / sigmoid."""

    name = "float"

    def weight(self, w) -> np.ndarray:
        arr = _numeric_weights(w)
        return arr.astype(float)

    def activation(self, S, kind, beta, mask, label):
        S = np.asarray(S, dtype=float)
        b = float(beta)
        if kind == "relu":
            A = np.maximum(S, 0.0)
        elif kind == "softplus":
            A = np.logaddexp(0.0, b * S) / b
        elif kind == "sigmoid":
            A = 1.0 / (1.0 + np.exp(-S))
        elif kind == "softmax":
            M = np.where(mask, S, -np.inf) if mask is not None else S
            M = M - M.max(axis=1, keepdims=True)
            E = np.exp(M)
            A = E / E.sum(axis=1, keepdims=True)
        else:
            raise UnsupportedModelError(f"unknown activation {kind!r}")
        return _masked(A, mask, 0.0)


class MpmathBackend(Backend):
    """Arbitrary-precision floats (mpmath ``mpf``), ``dps`` decimal digits."""

    name = "mpmath"

    def __init__(self, dps: int = 50):
        import mpmath

        self.mp = mpmath.mp.clone() if hasattr(mpmath.mp, "clone") else mpmath.mp
        self.mp.dps = dps

    def weight(self, w) -> np.ndarray:
        arr = np.asarray(w, dtype=object)
        out = np.empty(arr.shape, dtype=object)
        for idx, v in np.ndenumerate(arr):
            if isinstance(v, str):
                raise SymbolicWeightsError(f"weight symbol {v!r} has no numeric value")
            v = Fraction(v)
            out[idx] = self.mp.mpf(v.numerator) / v.denominator
        return out

    def activation(self, S, kind, beta, mask, label):
        mp = self.mp
        b = mp.mpf(Fraction(beta).numerator) / Fraction(beta).denominator
        zero = mp.mpf(0)
        if kind == "relu":
            f = lambda v: v if v > 0 else zero  # noqa: E731
        elif kind == "softplus":
            f = lambda v: mp.log1p(mp.exp(b * v)) / b  # noqa: E731
        elif kind == "sigmoid":
            f = lambda v: 1 / (1 + mp.exp(-v))  # noqa: E731
        elif kind == "softmax":
            A = np.empty(S.shape, dtype=object)
            for i in range(S.shape[0]):
                cols = [j for j in range(S.shape[1]) if mask is None or mask[i, j]]
                mx = max(S[i, j] for j in cols)
                ex = {j: mp.exp(S[i, j] - mx) for j in cols}
                tot = sum(ex.values())
                for j in range(S.shape[1]):
                    A[i, j] = ex[j] / tot if j in ex else zero
            return A
        else:
            raise UnsupportedModelError(f"unknown activation {kind!r}")
        return _masked(np.vectorize(f, otypes=[object])(S), mask, zero)


# ----------------------------------------------------------------------------------------------
def _causal(nq: int, nk: int) -> np.ndarray:
    return np.tril(np.ones((nq, nk), dtype=bool))


def attention(att: Attention, Zq, Zkv, be: Backend, where: str):
    """Multi-head attention with queries from ``Zq`` and keys/values from ``Zkv``."""
    outs = []
    nq, nk = Zq.shape[0], Zkv.shape[0]
    mask = _causal(nq, nk) if att.mask == "causal" else None
    scale = be.weight([[att.scale]])[0, 0]
    for h, head in enumerate(att.heads, start=1):
        Q = Zq @ be.weight(head.WQ)
        K = Zkv @ be.weight(head.WK)
        V = Zkv @ be.weight(head.WV)
        if head.bQ is not None:
            Q = Q + be.weight(head.bQ)
        if head.bK is not None:
            K = K + be.weight(head.bK)
        if head.bV is not None:
            V = V + be.weight(head.bV)
        S = (Q @ K.T) * scale

        def label(idx, h=h):
            return f"{where} head {h} (query {idx[0] + 1}, key {idx[1] + 1})"

        label.stage = f"{where} head {h}"
        be.scores(Zq, Zkv, head, att.scale, label.stage)
        A = be.activation(S, att.activation, att.beta, mask, label)
        outs.append(A @ V)
    H = outs[0] if len(outs) == 1 else be.hstack(outs)
    return H @ be.weight(att.WO) if att.WO is not None else H


def ffn(f: FFN, Z, be: Backend, where: str):
    """``ReLU(Z W1 + b1) W2 + b2``."""
    P = Z @ be.weight(f.W1)
    if f.b1 is not None:
        P = P + be.weight(f.b1)

    def label(idx):
        return f"{where} FFN unit {idx[1] + 1} (token {idx[0] + 1})"

    label.stage = f"{where} FFN"
    H = be.activation(P, "relu", 1, None, label)
    out = H @ be.weight(f.W2)
    if f.b2 is not None:
        out = out + be.weight(f.b2)
    return out


def block(b: Block, Z, be: Backend, where: str, memory=None):
    """An encoder block (``memory`` None) or a decoder block."""
    if b.self_attention is not None:
        A = attention(b.self_attention, Z, Z, be, f"{where} self-attention")
        Z = Z + A if b.residual.attention else A
    if b.cross_attention is not None:
        C = attention(b.cross_attention, Z, memory, be, f"{where} cross-attention")
        Z = Z + C if b.residual.cross else C
    if b.ffn is not None:
        F = ffn(b.ffn, Z, be, where)
        Z = Z + F if b.residual.ffn else F
    return Z


def forward(model: Model, be: Backend, X, Y=None):
    """Run the model: memory = encoder(X), output = decoder(Y, memory), then the readout.

    ``X`` (tokens x dim) and ``Y`` (target_tokens x target_dim) are arrays of the backend, or
    nested lists that are converted with ``be.weight``.
    """
    if not hasattr(X, "shape"):
        X = be.weight(X)
    if Y is not None and not hasattr(Y, "shape"):
        Y = be.weight(Y)
    Z = X
    if model.embed is not None:
        Z = Z @ be.weight(model.embed)
    for i, b in enumerate(model.encoder, start=1):
        Z = block(b, Z, be, f"encoder {i}")
    if model.decoder:
        memory = Z
        Z = Y
        if model.target_embed is not None:
            Z = Z @ be.weight(model.target_embed)
        for i, b in enumerate(model.decoder, start=1):
            Z = block(b, Z, be, f"decoder {i}", memory)
    if model.readout is not None:
        Z = Z @ be.weight(model.readout)
    return Z


def evaluate_model(model: Model, point: Sequence, backend: Backend | None = None) -> list:
    """Outputs (row-major) at a point given in the order of ``model.variables()``.

    >>> from splinesym.nn.model import model_from_dict
    >>> m = model_from_dict({"format": "splinesym.model/1", "tokens": 1, "dim": 1,
    ...     "encoder": [{"ffn": {"W1": [[1]], "W2": [[1]]}}]})
    >>> evaluate_model(m, [Fraction(-3)])
    [Fraction(-3, 1)]
    """
    be = backend or ExactBackend()
    nx = model.tokens * model.dim
    pts = list(point)
    X = be.weight(np.array(pts[:nx], dtype=object).reshape(model.tokens, model.dim))
    Y = None
    if model.decoder:
        Y = be.weight(np.array(pts[nx:], dtype=object).reshape(model.target_tokens,
                                                               model.target_dim))
    out = forward(model, be, X, Y)
    return list(np.asarray(out).reshape(-1))


def softplus_gap_bound(values_abs_sum, beta) -> float:
    """Σ|V| log 2 / β: the bound on |SoftPlus_β attention − ReLU attention| (per output)."""
    return float(values_abs_sum) * math.log(2) / float(beta)
