"""Schwartz--Zippel identity tests, and the polynomial map of a cell evaluated anywhere.

A nonzero polynomial of total degree ``d`` vanishes at a point drawn uniformly from ``S^n`` with
probability at most ``d / |S|`` (Schwartz--Zippel). Evaluating a difference exactly at ``k``
independent random integer points and finding 0 every time leaves an error probability of at
most ``(d / |S|)^k``; a nonzero value is an exact counterexample (a proof of difference).

:func:`cell_map` evaluates the polynomial map of a cell -- the forward pass with every ReLU
replaced by the identity or by 0 as the cell's activation pattern says -- at any rational point,
inside the cell or not, exactly: this is how a piece is compared with the model without
expanding it.

Examples
--------
>>> r = schwartz_zippel(lambda x: [(x[0] + x[1])**2], lambda x: [x[0]**2 + 2*x[0]*x[1] + x[1]**2],
...                     nvars=2, degree=2, trials=5, seed=0)
>>> r["equal"], r["per_point_bound"]   # error bound (2 / 2^61)^5 = 2^-300 overall
(True, '1/1152921504606846976')
>>> r["error_bound"] == str(Fraction(1, 2**300))
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction

import flint
import numpy as np

from ..errors import UnsupportedModelError
from ..nn.forward import forward
from ..nn.model import Model
from .evaluate import FmpqBackend, split_point, to_fmpq_point
from .seeds import task_rng

__all__ = ["schwartz_zippel", "PatternBackend", "cell_map", "piece_identity", "piece_task"]


class PatternBackend(FmpqBackend):
    """Exact rationals; each ReLU follows a given activation pattern instead of the sign."""

    name = "pattern"

    def __init__(self, pattern: Sequence[int]):
        self.pattern = list(pattern)
        self.pos = 0

    def activation(self, S, kind, beta, mask, label):
        if kind != "relu":
            raise UnsupportedModelError(f"{kind} has no polynomial cell map")
        zero = flint.fmpq(0)
        out = np.empty(S.shape, dtype=object)
        for idx, v in np.ndenumerate(S):
            if mask is not None and not mask[idx]:
                out[idx] = zero
                continue
            if self.pos >= len(self.pattern):
                raise ValueError("the pattern is shorter than the model's list of ReLU arguments")
            out[idx] = v if self.pattern[self.pos] > 0 else zero
            self.pos += 1
        return out


def cell_map(model: Model, pattern: Sequence[int], point: Sequence) -> list:
    """The cell's polynomial map (ReLUs fixed by ``pattern``) at ``point``, exactly.

    >>> from splinesym.nn.zoo import random_model
    >>> from splinesym.nn.model import model_from_dict
    >>> m = model_from_dict(random_model("ffn", seed=1, tokens=1, dim=1, hidden=2))
    >>> cell_map(m, (-1, 1), [5]), cell_map(m, (-1, 1), [-5])
    ([-20], [0])
    """
    be = PatternBackend(pattern)
    X, Y = split_point(model, to_fmpq_point(point))
    out = forward(model, be, be.weight(X), be.weight(Y) if Y is not None else None)
    if be.pos != len(be.pattern):
        raise ValueError("the pattern is longer than the model's list of ReLU arguments")
    return list(np.asarray(out).reshape(-1))


def schwartz_zippel(f: Callable, g: Callable, *, nvars: int, degree: int, trials: int = 20,
                    seed: int = 0, size: int = 2**61, index: int = 0) -> dict:
    """Test ``f == g`` (vector-valued, exact) at ``trials`` random integer points of
    ``[-size/2, size/2)^nvars``.

    Returns ``equal`` (False is a proof: ``counterexample`` holds the point), the per-point
    bound ``degree / size`` and the overall ``error_bound`` ``(degree/size)^trials`` (strings of
    exact rationals; 0 when ``degree`` is 0 and the test is then a proof as well).
    """
    rng = task_rng(seed, index, "sz")
    per_point = Fraction(max(degree, 0), size)
    for t in range(trials):
        pt = [rng.randrange(size) - size // 2 for _ in range(nvars)]
        a, b = f(pt), g(pt)
        if list(a) != list(b):
            return {"equal": False, "method": "Schwartz-Zippel", "trials": t + 1,
                    "counterexample": [str(v) for v in pt],
                    "values": [[str(v) for v in a], [str(v) for v in b]]}
    return {"equal": True, "method": "Schwartz-Zippel", "trials": trials,
            "degree_bound": degree, "sample_set_size": size, "per_point_bound": str(per_point),
            "error_bound": str(per_point**trials)}


def piece_identity(model: Model, pattern: Sequence[int], values: Callable, degree: int,
                   trials: int = 20, seed: int = 0, index: int = 0) -> dict:
    """Schwartz--Zippel test that a piece's polynomials (``values(point)``) equal the cell map.

    ``degree`` must bound the total degree of the difference (the larger of the structural
    bound and the piece's degree).
    """
    nv = len(model.variables())
    return schwartz_zippel(lambda x: [Fraction(int(v.p), int(v.q)) for v in
                                      cell_map(model, pattern, x)],
                           lambda x: [Fraction(v) for v in values(x)], nvars=nv,
                           degree=degree, trials=trials, seed=seed, index=index)


def piece_task(task: dict) -> dict:
    """One piece of a spline file against the model: the Schwartz--Zippel report (plain data).

    ``task``: ``model`` (dict), ``variables``, ``values`` (polynomial strings), ``witness``
    (rational strings), ``degree``, ``trials``, ``seed``, ``index``.
    """
    from ..nn.model import model_from_dict
    from ..poly import PolyRing
    from .evaluate import evaluate_exact

    model = model_from_dict(task["model"])
    ring = PolyRing(task["variables"])
    polys = [ring.parse(v) for v in task["values"]]
    witness = [Fraction(v) for v in task["witness"]]
    ev = evaluate_exact(model, witness)
    if ev.on_break:
        return {"index": task["index"], "equal": None,
                "note": "the witness lies on a break of the model: its cell is not determined"}
    got = [Fraction(int(v.p), int(v.q)) for v in ev.outputs]
    want = [ring.evaluate(p, witness) for p in polys]
    if got != want:
        return {"index": task["index"], "equal": False, "method": "exact at the witness",
                "counterexample": task["witness"]}
    rep = piece_identity(model, ev.pattern, lambda x: [ring.evaluate(p, x) for p in polys],
                         task["degree"], task["trials"], task["seed"], task["index"])
    rep["index"] = task["index"]
    return rep
