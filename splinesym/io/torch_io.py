"""PyTorch in and out (optional extra ``splinesym[torch]``).

* :func:`from_torch` imports ``torch.nn.MultiheadAttention`` (``in_proj``/``out_proj``, transposed
  to splinesym's row convention ``Q = X·WQ``, scale ``1/sqrt(head_dim)``), an ``nn.Sequential`` of
  ``Linear``/``ReLU``/``Linear`` as an FFN, a ``TransformerEncoderLayer`` (only with
  ``drop_layernorm=True``: layer normalisation is not piecewise polynomial, and the model's notes
  say loudly that it was dropped), or an ``nn.Sequential`` / list of those as an encoder. SoftMax
  is replaced by ReLU (the paper's setting); the model says so.
* Every float32 weight becomes the rational it is, exactly (float32 -> float64 -> ``Fraction`` is
  exact), or with ``rationalize=TOL`` the simplest rational within TOL; the conversion is
  reported in :attr:`TorchImport.notes`.
* :func:`to_torch` exports a ``splinesym.model/1`` encoder (for instance one compiled from a
  max–min) as a ``torch.nn.Module`` whose forward pass is the model's, with ReLU attention.

Examples
--------
>>> import torch
>>> torch.manual_seed(0) and None
>>> mha = torch.nn.MultiheadAttention(4, 2)
>>> imp = from_torch(mha, tokens=2)
>>> imp.model.tokens, imp.model.dim, len(imp.model.encoder[0].self_attention.heads)
(2, 4, 2)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

from ..errors import InvalidInputError, UnsupportedModelError

__all__ = ["TorchImport", "from_torch", "to_torch", "ReluTransformer"]


@dataclass
class TorchImport:
    """A model imported from PyTorch, as a ``splinesym.model/1`` dict and as a Model."""

    data: dict
    model: object
    notes: list[str] = field(default_factory=list)

    def _repr_html_(self) -> str:
        from ..display import model_html

        return model_html(self.model, self.notes)


class _Converter:
    """Floats to exact rationals (or simplest rationals within ``tol``), counted."""

    def __init__(self, rationalize: float | None):
        self.tol = rationalize
        self.count = 0
        self.max_den = 1
        self.max_change = 0.0

    def num(self, v: float) -> str:
        from .importers import simplest_rational

        x = float(v)
        if not math.isfinite(x):
            raise InvalidInputError(f"{x!r} is not a finite weight", "torch weights")
        q = Fraction(x) if self.tol is None else simplest_rational(x, self.tol)
        self.count += 1
        self.max_den = max(self.max_den, q.denominator)
        self.max_change = max(self.max_change, abs(float(q) - x))
        return str(q)

    def mat(self, t, transpose: bool = False) -> list:
        a = t.detach().to("cpu").double().numpy()
        if transpose:
            a = a.T
        if a.ndim == 1:
            return [self.num(v) for v in a]
        return [[self.num(v) for v in row] for row in a]

    def note(self) -> str:
        if self.tol is None:
            return (f"{self.count} float weights converted exactly to rationals (largest "
                    f"denominator 2^{self.max_den.bit_length() - 1})")
        return (f"{self.count} float weights replaced by the simplest rationals within "
                f"{self.tol:g} (largest change {self.max_change:.3g}, largest denominator "
                f"{self.max_den})")


def _is_zero(t) -> bool:
    return t is None or not bool(t.detach().abs().max() > 0)


def _mha(mha, conv: _Converter, notes: list[str]) -> tuple[dict, list | None]:
    """The attention dict and the output bias (None when zero)."""
    E, H = mha.embed_dim, mha.num_heads
    hd = E // H
    if not mha._qkv_same_embed_dim:
        Wq, Wk, Wv = mha.q_proj_weight, mha.k_proj_weight, mha.v_proj_weight
    else:
        Wq, Wk, Wv = mha.in_proj_weight.chunk(3, dim=0)
    bias = mha.in_proj_bias
    bq, bk, bv = bias.chunk(3) if bias is not None else (None, None, None)
    if mha.bias_k is not None or mha.add_zero_attn:
        raise UnsupportedModelError("MultiheadAttention with add_bias_kv or add_zero_attn is "
                                    "not supported", "torch")
    heads = []
    for h in range(H):
        sl = slice(h * hd, (h + 1) * hd)
        head = {"WQ": conv.mat(Wq[sl], True), "WK": conv.mat(Wk[sl], True),
                "WV": conv.mat(Wv[sl], True)}
        for key, b in (("bQ", bq), ("bK", bk), ("bV", bv)):
            if not _is_zero(b):
                head[key] = conv.mat(b[sl])
        heads.append(head)
    root = math.isqrt(hd)
    if root * root == hd:
        scale = str(Fraction(1, root))
    else:
        scale = conv.num(1 / math.sqrt(hd))
        notes.append(f"scale 1/sqrt({hd}) is irrational: its float value {1 / math.sqrt(hd)!r} "
                     "was converted like the weights")
    att = {"heads": heads, "WO": conv.mat(mha.out_proj.weight, True), "scale": scale,
           "activation": "relu"}
    ob = mha.out_proj.bias
    return att, (None if _is_zero(ob) else conv.mat(ob))


def _ffn(seq, conv: _Converter) -> dict:
    import torch.nn as nn

    mods = [m for m in seq if not isinstance(m, nn.Dropout | nn.Identity)]
    ok = (len(mods) == 3 and isinstance(mods[0], nn.Linear) and isinstance(mods[1], nn.ReLU)
          and isinstance(mods[2], nn.Linear))
    if not ok:
        raise UnsupportedModelError("an FFN must be nn.Sequential(Linear, ReLU, Linear) "
                                    f"(got {[type(m).__name__ for m in mods]})", "torch")
    d = {"W1": conv.mat(mods[0].weight, True), "W2": conv.mat(mods[2].weight, True)}
    if mods[0].bias is not None and not _is_zero(mods[0].bias):
        d["b1"] = conv.mat(mods[0].bias)
    if mods[2].bias is not None and not _is_zero(mods[2].bias):
        d["b2"] = conv.mat(mods[2].bias)
    return d


def _bias_block(bias: list, width: int) -> dict:
    """A block adding a constant row ``bias``: FFN with zero weights and ``b2 = bias``."""
    return {"ffn": {"W1": [["0"] for _ in range(width)], "W2": [["0"] * width], "b2": bias},
            "residual": {"ffn": True}}


def _encoder_layer(layer, conv, notes, drop_layernorm: bool, where: str) -> list[dict]:
    import torch.nn.functional as F

    if not drop_layernorm:
        raise UnsupportedModelError(
            "TransformerEncoderLayer has layer normalisation, which is not piecewise polynomial: "
            "pass drop_layernorm=True to import it without (reported loudly)", "torch")
    act = getattr(layer, "activation", None)
    if act is not F.relu and type(act).__name__ != "ReLU":
        raise UnsupportedModelError(f"{where}: only ReLU feed-forward layers are piecewise "
                                    "linear", "torch")
    notes.append(f"LAYER NORMALISATION DROPPED in {where} (norm1, norm2"
                 + (", norm_first" if layer.norm_first else "") + "): the imported model is "
                 "NOT the torch layer, it is the layer without normalisation")
    att, ob = _mha(layer.self_attn, conv, notes)
    ff = {"W1": conv.mat(layer.linear1.weight, True), "W2": conv.mat(layer.linear2.weight, True)}
    if not _is_zero(layer.linear1.bias):
        ff["b1"] = conv.mat(layer.linear1.bias)
    b2 = conv.mat(layer.linear2.bias) if not _is_zero(layer.linear2.bias) else None
    if ob is not None:  # fold the attention's output bias into the FFN (exact)
        W1 = [[Fraction(v) for v in row] for row in ff["W1"]]
        obf = [Fraction(v) for v in ob]
        b1 = [Fraction(v) for v in ff.get("b1", ["0"] * len(W1[0]))]
        ff["b1"] = [str(b1[j] + sum(obf[i] * W1[i][j] for i in range(len(obf))))
                    for j in range(len(b1))]
        b2f = [Fraction(v) for v in (b2 or ["0"] * len(obf))]
        b2 = [str(b2f[i] + obf[i]) for i in range(len(obf))]
    if b2 is not None:
        ff["b2"] = b2
    return [{"self_attention": att, "ffn": ff, "residual": True}]


def from_torch(module, *, tokens: int, drop_layernorm: bool = False,
               rationalize: float | None = None, residual: bool | None = None) -> TorchImport:
    """Import a PyTorch module as an exact ``splinesym.model/1`` encoder on ``tokens`` tokens.

    Parameters
    ----------
    module : torch.nn.Module
        ``MultiheadAttention``, ``Sequential(Linear, ReLU, Linear)`` (an FFN),
        ``TransformerEncoderLayer`` (with ``drop_layernorm=True``), or an ``nn.Sequential`` /
        ``nn.ModuleList`` / list of these (an encoder, in order).
    tokens : int
        Sequence length (the spline's variables are ``x{i}_{k}``, i <= tokens).
    drop_layernorm : bool
        Needed for ``TransformerEncoderLayer``; the notes say loudly that it was dropped.
    rationalize : float, optional
        Replace every weight by the simplest rational within this tolerance (default: exact).
    residual : bool, optional
        Residual connection around a bare ``MultiheadAttention`` or FFN (default False: the
        module alone, as torch computes it). Encoder layers always have theirs.

    Returns
    -------
    TorchImport
        ``.model`` (a :class:`~splinesym.nn.model.Model`), ``.data`` (its JSON dict) and
        ``.notes`` (how the numbers were converted, what was replaced or dropped).
    """
    import torch.nn as nn

    from ..nn.model import model_from_dict

    conv = _Converter(rationalize)
    notes: list[str] = []
    mods = list(module) if isinstance(module, nn.Sequential | nn.ModuleList | list | tuple) \
        else [module]
    if isinstance(module, nn.Sequential) and any(isinstance(m, nn.ReLU) for m in module):
        mods = [module]  # an FFN
    blocks: list[dict] = []
    dim = None
    res = bool(residual)
    for i, m in enumerate(mods, start=1):
        where = f"module {i} ({type(m).__name__})"
        if isinstance(m, nn.MultiheadAttention):
            att, ob = _mha(m, conv, notes)
            notes.append(f"{where}: SoftMax replaced by ReLU (the paper's ReLU attention)")
            blocks.append({"self_attention": att, "residual": res})
            if ob is not None:
                blocks.append(_bias_block(ob, m.embed_dim))
                notes.append(f"{where}: the output bias is a block of its own (an FFN with zero "
                             "weights and bias b2)")
            dim = dim or m.embed_dim
        elif isinstance(m, nn.TransformerEncoderLayer):
            blocks += _encoder_layer(m, conv, notes, drop_layernorm, where)
            notes.append(f"{where}: SoftMax replaced by ReLU (the paper's ReLU attention)")
            dim = dim or m.self_attn.embed_dim
        elif isinstance(m, nn.Sequential):
            blocks.append({"ffn": _ffn(m, conv), "residual": res})
            dim = dim or [x for x in m if isinstance(x, nn.Linear)][0].in_features
        else:
            raise UnsupportedModelError(f"{where}: cannot import {type(m).__name__} (supported: "
                                        "MultiheadAttention, Sequential(Linear, ReLU, Linear), "
                                        "TransformerEncoderLayer)", "torch")
    notes.insert(0, conv.note())
    data = {"format": "splinesym.model/1", "name": f"imported from torch: "
            f"{type(module).__name__}", "tokens": int(tokens), "dim": int(dim),
            "encoder": blocks}
    model = model_from_dict(data, drop_layernorm=drop_layernorm)
    if drop_layernorm and not model.dropped_layernorm:
        from dataclasses import replace

        model = replace(model, dropped_layernorm=tuple(n for n in notes if "LAYER" in n))
    return TorchImport(data, model, notes)


def _t(m, dtype):
    import numpy as np
    import torch

    return torch.tensor(np.array([[float(v) for v in row] for row in m]), dtype=dtype)


def _tv(v, dtype):
    import torch

    return torch.tensor([float(x) for x in v], dtype=dtype)


def to_torch(model, dtype=None):
    """A ``torch.nn.Module`` computing ``model`` (encoder blocks, embed, readout; ReLU attention).

    Weights are the model's rationals rounded to ``dtype`` (default float64). ``forward(X)``
    takes a ``(tokens, dim)`` tensor and returns ``(tokens, out)``; flattened row-major it is the
    spline's output vector.

    Raises
    ------
    UnsupportedModelError
        Decoders, weight symbols, or activations other than ReLU.
    """
    import torch

    return ReluTransformer(model, dtype or torch.float64)


def _module_class():
    import torch
    import torch.nn as nn

    class _ReluTransformer(nn.Module):
        def __init__(self, model, dtype):
            super().__init__()
            if model.decoder:
                raise UnsupportedModelError("to_torch exports encoders only", "decoder")
            if model.symbols():
                raise UnsupportedModelError("weight symbols cannot be exported", "weights")
            self.spec = model
            self.dtype = dtype
            self.embed = None if model.embed is None else _t(model.embed, dtype)
            self.readout = None if model.readout is None else _t(model.readout, dtype)
            self.blocks = []
            for b in model.encoder:
                att = None
                if b.self_attention is not None:
                    a = b.self_attention
                    if a.activation != "relu":
                        raise UnsupportedModelError("only ReLU attention is exported",
                                                    "activation")
                    heads = [tuple(None if w is None else
                                   (_t(w, dtype) if k < 3 else _tv(w, dtype))
                                   for k, w in enumerate((h.WQ, h.WK, h.WV, h.bQ, h.bK, h.bV)))
                             for h in a.heads]
                    att = (heads, None if a.WO is None else _t(a.WO, dtype), float(a.scale),
                           a.mask == "causal")
                ff = None
                if b.ffn is not None:
                    f = b.ffn
                    ff = (_t(f.W1, dtype), None if f.b1 is None else _tv(f.b1, dtype),
                          _t(f.W2, dtype), None if f.b2 is None else _tv(f.b2, dtype))
                self.blocks.append((att, ff, b.residual))

        @staticmethod
        def _attention(att, Z):
            heads, WO, scale, causal = att
            outs = []
            for WQ, WK, WV, bQ, bK, bV in heads:
                Q, K, V = Z @ WQ, Z @ WK, Z @ WV
                Q = Q if bQ is None else Q + bQ
                K = K if bK is None else K + bK
                V = V if bV is None else V + bV
                A = torch.relu((Q @ K.T) * scale)
                if causal:
                    A = torch.tril(A)
                outs.append(A @ V)
            H = torch.cat(outs, dim=-1)
            return H if WO is None else H @ WO

        def forward(self, X):
            Z = X.to(self.dtype)
            if self.embed is not None:
                Z = Z @ self.embed
            for att, ff, res in self.blocks:
                if att is not None:
                    A = self._attention(att, Z)
                    Z = Z + A if res.attention else A
                if ff is not None:
                    W1, b1, W2, b2 = ff
                    P = Z @ W1 if b1 is None else Z @ W1 + b1
                    F = torch.relu(P) @ W2
                    F = F if b2 is None else F + b2
                    Z = Z + F if res.ffn else F
            return Z if self.readout is None else Z @ self.readout

    return _ReluTransformer


def ReluTransformer(model, dtype):  # noqa: N802  (a class factory: torch is imported lazily)
    """The exported module (see :func:`to_torch`)."""
    return _module_class()(model, dtype)
