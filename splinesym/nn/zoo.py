"""Small random models of every kind, for tests, benchmarks and examples.

Each builder returns a ``splinesym.model/1`` dictionary (pass it to
:func:`~splinesym.nn.model.model_from_dict`). Weights are random integers (nonzero by default, so
that generic instances attain the structural degree) or, with ``rational=True``, small rationals.
Any weight may be replaced by a symbol with :func:`symbolize`.

Examples
--------
>>> from splinesym.nn.model import model_from_dict
>>> d = random_model("transformer", seed=1, tokens=2, dim=1, layers=1)
>>> m = model_from_dict(d)
>>> m.variables()
['x1_1', 'x2_1', 'y1_1', 'y2_1']
>>> sorted(KINDS)[:3]
['attention', 'biases', 'cross']
"""

from __future__ import annotations

import random
from fractions import Fraction

from ..io.jsonio import number_to_json

__all__ = ["random_model", "KINDS", "symbolize"]

#: model kinds :func:`random_model` builds, with what each one is
KINDS = {
    "attention": "one head of ReLU self-attention, no residual (the paper's beta(X))",
    "masked": "causal (masked) ReLU self-attention, no residual",
    "multihead": "two heads, concatenated and multiplied by WO, with a scale",
    "biases": "one head with biases bQ, bK, bV",
    "cross": "a decoder block with only cross attention from Y to the raw memory X",
    "ffn": "one block with only a feed-forward network",
    "encoder_block": "self-attention + residual, FFN + residual",
    "decoder_block": "masked self-attention, cross attention to raw X, FFN (each + residual)",
    "encoder": "an L-layer encoder (encoder blocks)",
    "decoder": "an L-layer decoder on the raw memory X",
    "transformer": "an L-layer encoder followed by an L-layer decoder",
}


class _Weights:
    def __init__(self, seed: int, low: int, high: int, rational: bool, nonzero: bool):
        self.rng = random.Random(seed)
        self.low, self.high = low, high
        self.rational = rational
        self.nonzero = nonzero

    def entry(self):
        while True:
            v = self.rng.randint(self.low, self.high)
            if v or not self.nonzero:
                break
        if self.rational:
            v = Fraction(v, self.rng.randint(1, 4))
        return number_to_json(v)

    def matrix(self, r: int, c: int) -> list:
        return [[self.entry() for _ in range(c)] for _ in range(r)]

    def vector(self, n: int) -> list:
        return [self.entry() for _ in range(n)]


def _head(w: _Weights, width_q: int, width_kv: int, dk: int, dv: int, biases: bool) -> dict:
    h = {"WQ": w.matrix(width_q, dk), "WK": w.matrix(width_kv, dk), "WV": w.matrix(width_kv, dv)}
    if biases:
        h.update(bQ=w.vector(dk), bK=w.vector(dk), bV=w.vector(dv))
    return h


def _ffn(w: _Weights, width: int, hidden: int) -> dict:
    return {"W1": w.matrix(width, hidden), "b1": w.vector(hidden), "W2": w.matrix(hidden, width),
            "b2": w.vector(width)}


def random_model(kind: str, *, seed: int = 0, tokens: int = 2, dim: int = 1,
                 target_tokens: int | None = None, target_dim: int | None = None,
                 layers: int = 1, hidden: int = 2, heads: int = 2, low: int = -3, high: int = 3,
                 rational: bool = False, nonzero: bool = True, residual: bool = True) -> dict:
    """A random model of the given kind (see :data:`KINDS`) as a model-file dictionary.

    Parameters
    ----------
    kind : str
        One of :data:`KINDS`.
    seed : int
        Seed of the weights (the same arguments give the same model).
    tokens, dim : int
        Shape of the input X.
    target_tokens, target_dim : int, optional
        Shape of the decoder input Y (default: the shape of X).
    layers : int
        L for ``encoder``, ``decoder`` and ``transformer``.
    hidden : int
        Width of every FFN.
    heads : int
        Number of heads of ``multihead``.
    low, high : int
        Range of the integer weights.
    rational : bool
        Divide each weight by a random integer in 1..4.
    nonzero : bool
        Avoid zero weights (generic instances attain the degree bounds).
    residual : bool
        Residual connections of blocks that have them (``attention``, ``masked``, ``multihead``,
        ``biases`` and ``cross`` never have one).

    >>> random_model("attention", seed=3)["encoder"][0]["residual"]
    False
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r} (known: {', '.join(KINDS)})")
    w = _Weights(seed, low, high, rational, nonzero)
    n, d = tokens, dim
    tn, td = target_tokens or tokens, target_dim or dim
    out: dict = {"format": "splinesym.model/1", "tokens": n, "dim": d}

    def self_att(width, mask="none", nheads=1, wo=False, scale=None, biases=False):
        a: dict = {"heads": [_head(w, width, width, width, width, biases)
                             for _ in range(nheads)], "mask": mask}
        if wo:
            a["WO"] = w.matrix(nheads * width, width)
        if scale is not None:
            a["scale"] = scale
        return a

    def cross_att(width, mem):
        return {"heads": [_head(w, width, mem, width, width, False)]}

    def enc_block(width):
        return {"self_attention": self_att(width), "ffn": _ffn(w, width, hidden),
                "residual": residual}

    def dec_block(width, mem):
        return {"self_attention": self_att(width, "causal"), "cross_attention":
                cross_att(width, mem), "ffn": _ffn(w, width, hidden), "residual": residual}

    def with_target(o):
        o["target_tokens"], o["target_dim"] = tn, td
        return o

    if kind == "attention":
        out["encoder"] = [{"self_attention": self_att(d), "residual": False}]
    elif kind == "masked":
        out["encoder"] = [{"self_attention": self_att(d, "causal"), "residual": False}]
    elif kind == "multihead":
        out["encoder"] = [{"self_attention": self_att(d, nheads=heads, wo=True, scale="1/2"),
                           "residual": False}]
    elif kind == "biases":
        out["encoder"] = [{"self_attention": self_att(d, biases=True), "residual": False}]
    elif kind == "ffn":
        out["encoder"] = [{"ffn": _ffn(w, d, hidden), "residual": residual}]
    elif kind == "cross":
        out = with_target(out)
        out["decoder"] = [{"cross_attention": cross_att(td, d), "residual": False}]
    elif kind == "encoder_block":
        out["encoder"] = [enc_block(d)]
    elif kind == "encoder":
        out["encoder"] = [enc_block(d) for _ in range(layers)]
    elif kind == "decoder_block":
        out = with_target(out)
        out["decoder"] = [dec_block(td, d)]
    elif kind == "decoder":
        out = with_target(out)
        out["decoder"] = [dec_block(td, d) for _ in range(layers)]
    elif kind == "transformer":
        out = with_target(out)
        out["encoder"] = [enc_block(d) for _ in range(layers)]
        out["decoder"] = [dec_block(td, d) for _ in range(layers)]
    return out


def symbolize(data: dict, paths: dict[str, str]) -> dict:
    """Replace weights by symbols: ``paths`` maps a dotted path to a symbol name.

    A path is written like the field names of error messages, e.g.
    ``"encoder[0].self_attention.heads[0].WQ[0][0]"``.

    >>> d = random_model("attention", seed=0, tokens=2, dim=1)
    >>> s = symbolize(d, {"encoder[0].self_attention.heads[0].WQ[0][0]": "q"})
    >>> s["encoder"][0]["self_attention"]["heads"][0]["WQ"]
    [['q']]
    """
    import copy
    import re

    out = copy.deepcopy(data)
    for path, name in paths.items():
        if not name.isidentifier():
            raise ValueError(f"symbol {name!r} is not an identifier")
        parts = re.findall(r"[A-Za-z_]\w*|\[\d+\]", path)
        node = out
        for p in parts[:-1]:
            node = node[int(p[1:-1])] if p.startswith("[") else node[p]
        last = parts[-1]
        if last.startswith("["):
            node[int(last[1:-1])] = name
        else:
            node[last] = name
    return out
