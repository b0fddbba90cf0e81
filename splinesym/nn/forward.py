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
from .pairs import ffn_odd_pairs, head_odd_pairs

__all__ = ["Backend", "ExactBackend", "FloatBackend", "MpmathBackend", "forward",
           "evaluate_model"]

Label = Callable[[tuple], str] | None


class Backend:
    """What :func:`forward` needs from a number system: conversion, activations, hstack."""

    name = "abstract"
    #: use the identity ReLU(z) - ReLU(-z) = z for odd pairs of units and heads
    #: (:mod:`splinesym.nn.pairs`); numeric backends compute every unit as written
    odd_pairs = False

    def record_odd_pairs(self, where: str, kind: str, pairs: list) -> None:
        """Called when :func:`forward` replaced odd pairs by their linear sum."""

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
    pairs = head_odd_pairs(att) if be.odd_pairs else []
    if pairs and all(head.WV and head.WV[0] for head in att.heads):
        be.record_odd_pairs(where, "heads", pairs)
        return _attention_paired(att, Zq, Zkv, be, where, pairs)
    outs = []
    nq, nk = Zq.shape[0], Zkv.shape[0]
    mask = _causal(nq, nk) if att.mask == "causal" else None
    for h, head in enumerate(att.heads, start=1):
        S, V = _scores(att, head, Zq, Zkv, be)

        def label(idx, h=h):
            return f"{where} head {h} (query {idx[0] + 1}, key {idx[1] + 1})"

        label.stage = f"{where} head {h}"
        be.scores(Zq, Zkv, head, att.scale, label.stage)
        A = be.activation(S, att.activation, att.beta, mask, label)
        outs.append(A @ V)
    H = outs[0] if len(outs) == 1 else be.hstack(outs)
    return H @ be.weight(att.WO) if att.WO is not None else H


def _scores(att: Attention, head, Zq, Zkv, be: Backend):
    """The score matrix ``S`` and the values ``V`` of one head."""
    Q = Zq @ be.weight(head.WQ)
    K = Zkv @ be.weight(head.WK)
    V = Zkv @ be.weight(head.WV)
    if head.bQ is not None:
        Q = Q + be.weight(head.bQ)
    if head.bK is not None:
        K = K + be.weight(head.bK)
    if head.bV is not None:
        V = V + be.weight(head.bV)
    scale = be.weight([[att.scale]])[0, 0]
    return (Q @ K.T) * scale, V


def _attention_paired(att: Attention, Zq, Zkv, be: Backend, where: str, pairs):
    """Unmasked ReLU attention with ``WO`` where the odd pairs of heads add ``S·V·WO_h``."""
    second = {j for _, j in pairs}
    first = {i for i, _ in pairs}
    total = None
    off = 0
    for h, head in enumerate(att.heads):
        dv = len(head.WV[0]) if head.WV else 0
        rows, off = att.WO[off:off + dv], off + dv
        if h in second:
            continue
        S, V = _scores(att, head, Zq, Zkv, be)
        if h not in first:
            def label(idx, h=h + 1):
                return f"{where} head {h} (query {idx[0] + 1}, key {idx[1] + 1})"

            label.stage = f"{where} head {h + 1}"
            S = be.activation(S, att.activation, att.beta, None, label)
        part = (S @ V) @ be.weight(rows)
        total = part if total is None else total + part
    return total


def ffn(f: FFN, Z, be: Backend, where: str):
    """``ReLU(Z W1 + b1) W2 + b2`` (odd pairs of units as their linear sum, when asked)."""
    pairs = ffn_odd_pairs(f) if be.odd_pairs else []
    if pairs:
        be.record_odd_pairs(where, "units", pairs)
    second = {j for _, j in pairs}
    first = {i for i, _ in pairs}
    keep = [h for h in range(len(f.W2)) if h not in first and h not in second]
    out = None
    if first:  # a·ReLU(z) + (−a)·ReLU(−z) = a·z, exactly
        out = _units(f, Z, be, sorted(first))
        out = out @ be.weight([f.W2[h] for h in sorted(first)])
    if keep or not first:
        P = _units(f, Z, be, keep if first else None)

        def label(idx):
            unit = keep[idx[1]] if first else idx[1]
            return f"{where} FFN unit {unit + 1} (token {idx[0] + 1})"

        label.stage = f"{where} FFN"
        H = be.activation(P, "relu", 1, None, label)
        W2 = f.W2 if not first else [f.W2[h] for h in keep]
        part = H @ be.weight(W2)
        out = part if out is None else out + part
    if f.b2 is not None:
        out = out + be.weight(f.b2)
    return out


def _units(f: FFN, Z, be: Backend, cols: list[int] | None):
    """Pre-activations ``Z W1 + b1`` of the hidden units ``cols`` (None: all)."""
    if cols is None:
        W1, b1 = f.W1, f.b1
    else:
        W1 = [[row[h] for h in cols] for row in f.W1]
        b1 = None if f.b1 is None else [f.b1[h] for h in cols]
    P = Z @ be.weight(W1)
    if b1 is not None:
        P = P + be.weight(b1)
    return P


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
