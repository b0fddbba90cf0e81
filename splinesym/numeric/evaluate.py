"""Black-box evaluation of a model at a point, with the activation pattern of the point.

Nothing is expanded: the single :func:`~splinesym.nn.forward.forward` runs on numbers. Every
ReLU argument met on the way (attention scores, FFN pre-activations; masked positions skipped)
is a break evaluated at the point; the tuple of their signs -- the *activation pattern* -- names
the cell the point lies in. Two points with the same pattern (no zero sign) are in the same
cell: the forward pass with every ReLU replaced by the identity or by 0 as the pattern says is
one polynomial map, and the model equals it at both points.

Examples
--------
>>> from splinesym.nn.zoo import random_model
>>> from splinesym.nn.model import model_from_dict
>>> m = model_from_dict(random_model("attention", seed=0, tokens=2, dim=1))
>>> ev = evaluate_exact(m, [1, 2])
>>> ev.outputs, ev.pattern
([-135, -270], (1, 1, 1, 1))
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction

import flint
import numpy as np

from ..errors import UnsupportedModelError
from ..nn.forward import Backend, MpmathBackend, _numeric_weights, forward
from ..nn.model import Model

__all__ = ["FmpqBackend", "SignRecorder", "Evaluation", "evaluate_exact", "evaluate_mpmath",
           "activation_pattern", "split_point", "to_fmpq_point"]


def _fmpq(v) -> flint.fmpq:
    if isinstance(v, flint.fmpq):
        return v
    if isinstance(v, int):
        return flint.fmpq(v)
    f = Fraction(v)
    return flint.fmpq(f.numerator, f.denominator)


class FmpqBackend(Backend):
    """Exact rationals with flint ``fmpq`` (faster than ``Fraction``); ReLU only."""

    name = "fmpq"

    def weight(self, w) -> np.ndarray:
        arr = _numeric_weights(w)
        out = np.empty(arr.shape, dtype=object)
        for idx, v in np.ndenumerate(arr):
            out[idx] = _fmpq(v)
        return out

    def activation(self, S, kind, beta, mask, label):
        if kind != "relu":
            raise UnsupportedModelError(
                f"{kind} is not rational: evaluate with the float or mpmath backend")
        zero = flint.fmpq(0)
        out = np.empty(S.shape, dtype=object)
        for idx, v in np.ndenumerate(S):
            out[idx] = v if v > 0 else zero
        if mask is not None:
            out[~mask] = zero
        return out


class SignRecorder(Backend):
    """Wraps a backend and records, stage by stage, the sign of every ReLU argument.

    ``sign`` maps an entry to -1, 0 or 1. Masked entries are not breaks and are skipped; so are
    the arguments of non-ReLU activations (no break: they are smooth).
    """

    def __init__(self, inner: Backend, sign: Callable | None = None):
        self.inner = inner
        self.name = f"{inner.name}+signs"
        self.sign = sign or (lambda v: (v > 0) - (v < 0))
        self.signs: list[int] = []
        self.labels: list[str] = []
        self.values: list = []

    def weight(self, w):
        return self.inner.weight(w)

    def hstack(self, arrays):
        return self.inner.hstack(arrays)

    def activation(self, S, kind, beta, mask, label):
        if kind == "relu":
            for idx, v in np.ndenumerate(np.asarray(S, dtype=object)):
                if mask is not None and not mask[idx]:
                    continue
                self.signs.append(int(self.sign(v)))
                self.values.append(v)
                self.labels.append(label(idx) if label else "relu")
        return self.inner.activation(S, kind, beta, mask, label)


@dataclass
class Evaluation:
    """Outputs at a point (row-major) and the signs of the breaks met on the way."""

    outputs: list
    pattern: tuple[int, ...]
    labels: list[str]
    arguments: list

    @property
    def on_break(self) -> bool:
        """The point lies on a break (some ReLU argument is 0): its cell is not determined."""
        return 0 in self.pattern


def to_fmpq_point(point: Sequence) -> list[flint.fmpq]:
    """Numbers (int, Fraction, "p/q" strings, floats converted exactly) as ``fmpq``."""
    return [_fmpq(Fraction(v) if isinstance(v, str) else v) for v in point]


def split_point(model: Model, point: Sequence) -> tuple[list, list | None]:
    """The flat point (order of ``model.variables()``) as X rows and Y rows (None: no decoder)."""
    nx = model.tokens * model.dim
    pts = list(point)
    if len(pts) != len(model.variables()):
        raise ValueError(f"the point has {len(pts)} coordinates, the model "
                         f"{len(model.variables())} variables")
    X = [pts[i * model.dim:(i + 1) * model.dim] for i in range(model.tokens)]
    Y = None
    if model.decoder:
        Y = [pts[nx + i * model.target_dim: nx + (i + 1) * model.target_dim]
             for i in range(model.target_tokens)]
    return X, Y


def _run(model: Model, rec: SignRecorder, point: Sequence) -> Evaluation:
    X, Y = split_point(model, point)
    Xa = rec.weight(X)
    Ya = rec.weight(Y) if Y is not None else None
    out = forward(model, rec, Xa, Ya)
    return Evaluation(list(np.asarray(out).reshape(-1)), tuple(rec.signs), rec.labels,
                      rec.values)


def evaluate_exact(model: Model, point: Sequence) -> Evaluation:
    """Exact outputs (``fmpq``) and activation pattern at a rational point.

    Weights must be numbers (bind weight symbols first). Non-ReLU activations are refused (they
    are not rational): use :func:`evaluate_mpmath`.
    """
    rec = SignRecorder(FmpqBackend())
    return _run(model, rec, to_fmpq_point(point))


def evaluate_mpmath(model: Model, point: Sequence, dps: int = 50) -> Evaluation:
    """Outputs at ``dps`` decimal digits (mpmath), any activation; signs at that precision.

    The pattern's signs are those of mpmath numbers: not exact (a value below the precision may
    have the wrong sign); use :func:`evaluate_exact` for ReLU models.
    """
    be = MpmathBackend(dps)
    rec = SignRecorder(be)
    X, Y = split_point(model, point)
    out = forward(model, rec, be.weight(X), be.weight(Y) if Y is not None else None)
    return Evaluation(list(np.asarray(out).reshape(-1)), tuple(rec.signs), rec.labels,
                      rec.values)


def activation_pattern(model: Model, point: Sequence) -> tuple[int, ...]:
    """The exact sign of every ReLU argument at ``point``, in forward order.

    >>> from splinesym.nn.zoo import random_model
    >>> from splinesym.nn.model import model_from_dict
    >>> m = model_from_dict(random_model("ffn", seed=1, tokens=1, dim=1, hidden=2))
    >>> activation_pattern(m, [5])
    (-1, 1)
    """
    return evaluate_exact(model, point).pattern
