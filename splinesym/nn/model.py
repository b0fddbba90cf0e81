"""The model: plain data classes for the ``splinesym.model/1`` format, validated on construction.

Tokens are rows; weights act on the right (``Q = X @ WQ + bQ``). Weight entries are exact rationals
(:class:`fractions.Fraction`) or weight symbols (identifier strings).

Examples
--------
>>> m = model_from_dict({"format": "splinesym.model/1", "tokens": 2, "dim": 1,
...     "encoder": [{"ffn": {"W1": [[1, -1]], "W2": [[1], [1]]}}]})
>>> m.input_names()
[['x1_1'], ['x2_1']]
>>> m.output_shape()
(2, 1)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..errors import InvalidInputError, UnsupportedModelError
from ..io.jsonio import check_format, parse_number
from ..limits import check_cap, get_limit

FORMAT = "splinesym.model/1"
ACTIVATIONS = ("relu", "softplus", "sigmoid", "softmax")
MASKS = ("none", "causal")
Entry = Fraction | str
Matrix = tuple[tuple[Entry, ...], ...]
Vector = tuple[Entry, ...]

__all__ = ["Head", "Attention", "FFN", "Residual", "Block", "Model", "model_from_dict",
           "model_to_dict", "bind_weights", "FORMAT", "ACTIVATIONS"]


@dataclass(frozen=True)
class Head:
    """One attention head: ``WQ``, ``WK`` (width x d_k), ``WV`` (width x d_v), optional biases."""

    WQ: Matrix
    WK: Matrix
    WV: Matrix
    bQ: Vector | None = None
    bK: Vector | None = None
    bV: Vector | None = None


@dataclass(frozen=True)
class Attention:
    """Multi-head attention: heads, output map ``WO`` (None: identity), scale, mask, activation.

    ``beta`` is the sharpness of SoftPlus (``softplus_beta(s) = log(1 + exp(beta s)) / beta``).
    """

    heads: tuple[Head, ...]
    WO: Matrix | None = None
    scale: Entry = Fraction(1)
    mask: str = "none"
    activation: str = "relu"
    beta: Fraction = Fraction(1)


@dataclass(frozen=True)
class FFN:
    """``FFN(Z) = ReLU(Z W1 + b1) W2 + b2`` row by row."""

    W1: Matrix
    W2: Matrix
    b1: Vector | None = None
    b2: Vector | None = None


@dataclass(frozen=True)
class Residual:
    """Which residual connections of a block are on."""

    attention: bool = True
    cross: bool = True
    ffn: bool = True


@dataclass(frozen=True)
class Block:
    """An encoder or decoder block: self-attention, cross-attention, FFN, in that order."""

    self_attention: Attention | None = None
    cross_attention: Attention | None = None
    ffn: FFN | None = None
    residual: Residual = field(default_factory=Residual)


@dataclass(frozen=True)
class Model:
    """A transformer as in docs/DESIGN.md §2; see :func:`model_from_dict` for the file format."""

    tokens: int
    dim: int
    encoder: tuple[Block, ...] = ()
    decoder: tuple[Block, ...] = ()
    target_tokens: int | None = None
    target_dim: int | None = None
    embed: Matrix | None = None
    target_embed: Matrix | None = None
    readout: Matrix | None = None
    dropped_layernorm: tuple[str, ...] = ()

    def input_names(self) -> list[list[str]]:
        return [[f"x{i}_{k}" for k in range(1, self.dim + 1)] for i in range(1, self.tokens + 1)]

    def target_names(self) -> list[list[str]]:
        if not self.decoder:
            return []
        return [[f"y{i}_{k}" for k in range(1, self.target_dim + 1)]
                for i in range(1, self.target_tokens + 1)]

    def variables(self) -> list[str]:
        return [n for row in self.input_names() + self.target_names() for n in row]

    def symbols(self) -> list[str]:
        """Weight symbols, in order of first appearance."""
        seen: dict[str, None] = {}
        for m in _all_weights(self):
            for row in m:
                for v in (row if isinstance(row, tuple) else (row,)):
                    if isinstance(v, str):
                        seen.setdefault(v, None)
        return list(seen)

    def output_shape(self) -> tuple[int, int]:
        return _shapes(self)

    def output_names(self) -> list[str]:
        r, c = self.output_shape()
        return [f"out{i}_{k}" for i in range(1, r + 1) for k in range(1, c + 1)]

    def _repr_html_(self) -> str:
        from ..display import model_html

        return model_html(self)


def _all_weights(m: Model):
    for mat in (m.embed, m.target_embed, m.readout):
        if mat is not None:
            yield mat
    for b in (*m.encoder, *m.decoder):
        for att in (b.self_attention, b.cross_attention):
            if att is None:
                continue
            for h in att.heads:
                for w in (h.WQ, h.WK, h.WV, h.bQ, h.bK, h.bV):
                    if w is not None:
                        yield w
            if att.WO is not None:
                yield att.WO
            yield (att.scale,)
        if b.ffn is not None:
            for w in (b.ffn.W1, b.ffn.W2, b.ffn.b1, b.ffn.b2):
                if w is not None:
                    yield w


# ----------------------------------------------------------------------------------------------
# reading
def _matrix(v: Any, field: str) -> Matrix:
    if not isinstance(v, list) or not v:
        raise InvalidInputError("expected a nonempty matrix (list of rows)", field)
    rows = []
    width = None
    for i, row in enumerate(v):
        if not isinstance(row, list) or not row:
            raise InvalidInputError(f"row {i} is not a nonempty list", field)
        if width is None:
            width = len(row)
        elif len(row) != width:
            raise InvalidInputError(f"row {i} has {len(row)} entries, row 0 has {width}", field)
        rows.append(tuple(parse_number(x, f"{field}[{i}][{j}]", symbols=True)
                          for j, x in enumerate(row)))
    return tuple(rows)


def _vector(v: Any, field: str) -> Vector:
    if not isinstance(v, list) or not v:
        raise InvalidInputError("expected a nonempty list of numbers", field)
    return tuple(parse_number(x, f"{field}[{j}]", symbols=True) for j, x in enumerate(v))


def _int(d: dict, key: str, field: str, cap: str | None = None) -> int:
    v = d.get(key)
    if isinstance(v, bool) or not isinstance(v, int) or v < 1:
        shown = v if not isinstance(v, (list, dict, str)) else type(v).__name__
        raise InvalidInputError(f"must be a positive integer, got {shown!r}", field)
    if cap is not None:
        check_cap(cap, v, field)
    return v


def _check_sizes(data: dict) -> None:
    """Caps on the shape before any matrix is read: blocks, weight entries (counted cheaply)."""
    n = 0
    for key in ("encoder", "decoder"):
        raw = data.get(key)
        if raw is None:
            continue
        if not isinstance(raw, list):
            raise InvalidInputError(f"expected a list of blocks, got {type(raw).__name__}", key)
        n += len(raw)
    check_cap("blocks", n, "encoder")
    count = 0
    stack = [data]
    cap = get_limit("weights")
    while stack:
        x = stack.pop()
        if isinstance(x, dict):
            stack.extend(x.values())
        elif isinstance(x, list):
            count += len(x)
            if count > cap:
                check_cap("weights", count, "weights")
            stack.extend(y for y in x if isinstance(y, (list, dict)))


_NORMS = ("layernorm", "layer_norm", "norm", "ln", "layernorm1", "layernorm2")


def _keys(d: dict, allowed: tuple[str, ...], field: str, drop_layernorm: bool,
          dropped: list[str]) -> None:
    for k in d:
        if k in allowed:
            continue
        if k.lower() in _NORMS:
            if drop_layernorm:
                dropped.append(f"{field}.{k}" if field else k)
                continue
            raise UnsupportedModelError(
                "layer normalisation is not piecewise polynomial, so the model is not a spline; "
                "remove it or pass --drop-layernorm to drop it (reported)", f"{field}.{k}"
                if field else k)
        raise InvalidInputError(f"unknown field {k!r} (allowed: {', '.join(allowed)})",
                                f"{field}.{k}" if field else k)


def _attention(d: Any, field: str, drop: bool, dropped: list[str]) -> Attention:
    if not isinstance(d, dict):
        raise InvalidInputError("expected an object", field)
    _keys(d, ("heads", "WO", "scale", "mask", "activation", "beta"), field, drop, dropped)
    heads_raw = d.get("heads")
    if not isinstance(heads_raw, list) or not heads_raw:
        raise InvalidInputError("expected a nonempty list of heads", f"{field}.heads")
    heads = []
    for h, hd in enumerate(heads_raw):
        hf = f"{field}.heads[{h}]"
        if not isinstance(hd, dict):
            raise InvalidInputError("expected an object", hf)
        _keys(hd, ("WQ", "WK", "WV", "bQ", "bK", "bV"), hf, drop, dropped)
        for k in ("WQ", "WK", "WV"):
            if k not in hd:
                raise InvalidInputError("missing", f"{hf}.{k}")
        heads.append(Head(_matrix(hd["WQ"], f"{hf}.WQ"), _matrix(hd["WK"], f"{hf}.WK"),
                          _matrix(hd["WV"], f"{hf}.WV"),
                          *(_vector(hd[k], f"{hf}.{k}") if hd.get(k) is not None else None
                            for k in ("bQ", "bK", "bV"))))
    # a field given as null is absent (its default applies)
    act = d["activation"] if d.get("activation") is not None else "relu"
    if act not in ACTIVATIONS:
        raise InvalidInputError(f"unknown activation {act!r} (known: {', '.join(ACTIVATIONS)})",
                                f"{field}.activation")
    mask = d["mask"] if d.get("mask") is not None else "none"
    if mask not in MASKS:
        raise InvalidInputError(f"unknown mask {mask!r} (known: none, causal)", f"{field}.mask")
    scale = parse_number(d["scale"] if d.get("scale") is not None else 1, f"{field}.scale",
                         symbols=True)
    beta = parse_number(d["beta"] if d.get("beta") is not None else 1, f"{field}.beta")
    if beta <= 0:
        raise InvalidInputError("must be positive", f"{field}.beta")
    WO = _matrix(d["WO"], f"{field}.WO") if d.get("WO") is not None else None
    return Attention(tuple(heads), WO, scale, mask, act, beta)


def _ffn(d: Any, field: str, drop: bool, dropped: list[str]) -> FFN:
    if not isinstance(d, dict):
        raise InvalidInputError("expected an object", field)
    _keys(d, ("W1", "b1", "W2", "b2"), field, drop, dropped)
    for k in ("W1", "W2"):
        if k not in d:
            raise InvalidInputError("missing", f"{field}.{k}")
    return FFN(_matrix(d["W1"], f"{field}.W1"), _matrix(d["W2"], f"{field}.W2"),
               _vector(d["b1"], f"{field}.b1") if d.get("b1") is not None else None,
               _vector(d["b2"], f"{field}.b2") if d.get("b2") is not None else None)


def _residual(v: Any, field: str) -> Residual:
    if v is None:
        return Residual()
    if isinstance(v, bool):
        return Residual(v, v, v)
    if isinstance(v, dict):
        bad = [k for k in v if k not in ("attention", "cross", "ffn")]
        if bad:
            raise InvalidInputError(f"unknown key {bad[0]!r} (allowed: attention, cross, ffn)",
                                    field)
        for k, x in v.items():
            if not isinstance(x, bool):
                raise InvalidInputError(f"{k} must be true or false", field)
        return Residual(v.get("attention", True), v.get("cross", True), v.get("ffn", True))
    raise InvalidInputError("must be true, false or an object {attention, cross, ffn}", field)


def _block(d: Any, field: str, decoder: bool, drop: bool, dropped: list[str]) -> Block:
    if not isinstance(d, dict):
        raise InvalidInputError("expected an object", field)
    _keys(d, ("self_attention", "cross_attention", "ffn", "residual"), field, drop, dropped)
    if "cross_attention" in d and not decoder:
        raise InvalidInputError("cross_attention is only allowed in decoder blocks",
                                f"{field}.cross_attention")
    sa = _attention(d["self_attention"], f"{field}.self_attention", drop, dropped) \
        if d.get("self_attention") is not None else None
    ca = _attention(d["cross_attention"], f"{field}.cross_attention", drop, dropped) \
        if d.get("cross_attention") is not None else None
    ff = _ffn(d["ffn"], f"{field}.ffn", drop, dropped) if d.get("ffn") is not None else None
    return Block(sa, ca, ff, _residual(d.get("residual"), f"{field}.residual"))


def model_from_dict(data: Any, *, drop_layernorm: bool = False) -> Model:
    """Validate and convert a parsed ``splinesym.model/1`` object.

    Raises
    ------
    InvalidInputError
        Naming the field and the problem (wrong shapes included).
    UnsupportedModelError
        For layer normalisation (unless ``drop_layernorm``).
    """
    check_format(data, FORMAT)
    dropped: list[str] = []
    _keys(data, ("format", "tokens", "dim", "target_tokens", "target_dim", "embed",
                 "target_embed", "readout", "encoder", "decoder", "name", "description"), "",
          drop_layernorm, dropped)
    tokens = _int(data, "tokens", "tokens", "tokens")
    dim = _int(data, "dim", "dim", "dim")
    check_cap("variables", tokens * dim, "tokens")
    _check_sizes(data)
    enc_raw = data.get("encoder", [])
    dec_raw = data.get("decoder", [])
    enc_raw = [] if enc_raw is None else enc_raw
    dec_raw = [] if dec_raw is None else dec_raw
    for key, raw in (("encoder", enc_raw), ("decoder", dec_raw)):
        if not isinstance(raw, list):
            raise InvalidInputError("expected a list of blocks", key)
    encoder = tuple(_block(b, f"encoder[{i}]", False, drop_layernorm, dropped)
                    for i, b in enumerate(enc_raw))
    decoder = tuple(_block(b, f"decoder[{i}]", True, drop_layernorm, dropped)
                    for i, b in enumerate(dec_raw))
    tt = td = None
    if decoder:
        for k in ("target_tokens", "target_dim"):
            if k not in data:
                raise InvalidInputError("a model with a decoder needs the target shape", k)
        tt = _int(data, "target_tokens", "target_tokens", "tokens")
        td = _int(data, "target_dim", "target_dim", "dim")
        check_cap("variables", tokens * dim + tt * td, "target_tokens")
    else:
        for k in ("target_tokens", "target_dim", "target_embed"):
            if data.get(k) is not None:
                raise InvalidInputError("only meaningful with a decoder", k)
    m = Model(tokens, dim, encoder, decoder, tt, td,
              _matrix(data["embed"], "embed") if data.get("embed") is not None else None,
              _matrix(data["target_embed"], "target_embed")
              if data.get("target_embed") is not None else None,
              _matrix(data["readout"], "readout") if data.get("readout") is not None else None,
              tuple(dropped))
    _shapes(m)
    return m


# ----------------------------------------------------------------------------------------------
# shapes
def _dims(mat: Matrix) -> tuple[int, int]:
    return len(mat), len(mat[0])


def _need(cond: bool, problem: str, field: str) -> None:
    if not cond:
        raise InvalidInputError(problem, field)


def _attention_width(att: Attention, wq: int, wkv: int, field: str) -> int:
    dv_total = 0
    for h, head in enumerate(att.heads):
        hf = f"{field}.heads[{h}]"
        rq, dq = _dims(head.WQ)
        rk, dk = _dims(head.WK)
        rv, dv = _dims(head.WV)
        _need(rq == wq, f"has {rq} rows but the query stream has width {wq}", f"{hf}.WQ")
        _need(rk == wkv, f"has {rk} rows but the key/value stream has width {wkv}", f"{hf}.WK")
        _need(rv == wkv, f"has {rv} rows but the key/value stream has width {wkv}", f"{hf}.WV")
        _need(dk == dq, f"has {dk} columns but WQ has {dq}", f"{hf}.WK")
        for b, n in (("bQ", dq), ("bK", dk), ("bV", dv)):
            vec = getattr(head, b)
            _need(vec is None or len(vec) == n,
                  f"has {len(vec) if vec else 0} entries, expected {n}", f"{hf}.{b}")
        dv_total += dv
    if att.WO is None:
        return dv_total
    r, c = _dims(att.WO)
    _need(r == dv_total, f"has {r} rows but the heads give {dv_total} columns "
          f"({len(att.heads)} head(s) concatenated)", f"{field}.WO")
    return c


def _block_width(b: Block, width: int, mem_width: int | None, field: str) -> int:
    if b.self_attention is not None:
        w = _attention_width(b.self_attention, width, width, f"{field}.self_attention")
        if b.residual.attention:
            _need(w == width, f"residual needs output width {width}, attention gives {w}",
                  f"{field}.self_attention")
        width = w
    if b.cross_attention is not None:
        w = _attention_width(b.cross_attention, width, mem_width, f"{field}.cross_attention")
        if b.residual.cross:
            _need(w == width, f"residual needs output width {width}, cross attention gives {w}",
                  f"{field}.cross_attention")
        width = w
    if b.ffn is not None:
        f = b.ffn
        r1, h = _dims(f.W1)
        r2, c2 = _dims(f.W2)
        _need(r1 == width, f"has {r1} rows but the stream has width {width}", f"{field}.ffn.W1")
        _need(r2 == h, f"has {r2} rows but W1 has {h} columns", f"{field}.ffn.W2")
        _need(f.b1 is None or len(f.b1) == h, f"has {len(f.b1 or ())} entries, expected {h}",
              f"{field}.ffn.b1")
        _need(f.b2 is None or len(f.b2) == c2, f"has {len(f.b2 or ())} entries, expected {c2}",
              f"{field}.ffn.b2")
        if b.residual.ffn:
            _need(c2 == width, f"residual needs output width {width}, W2 has {c2} columns",
                  f"{field}.ffn.W2")
        width = c2
    return width


def _shapes(m: Model) -> tuple[int, int]:
    width = m.dim
    if m.embed is not None:
        r, c = _dims(m.embed)
        _need(r == m.dim, f"has {r} rows but the input has dim {m.dim}", "embed")
        width = c
    for i, b in enumerate(m.encoder):
        width = _block_width(b, width, None, f"encoder[{i}]")
    rows = m.tokens
    if m.decoder:
        mem = width
        width = m.target_dim
        if m.target_embed is not None:
            r, c = _dims(m.target_embed)
            _need(r == m.target_dim, f"has {r} rows but the target has dim {m.target_dim}",
                  "target_embed")
            width = c
        for i, b in enumerate(m.decoder):
            width = _block_width(b, width, mem, f"decoder[{i}]")
        rows = m.target_tokens
    if m.readout is not None:
        r, c = _dims(m.readout)
        _need(r == width, f"has {r} rows but the stream has width {width}", "readout")
        width = c
    return rows, width


# ----------------------------------------------------------------------------------------------
# writing
def _jm(mat):
    from ..io.jsonio import number_to_json

    if mat is None:
        return None
    if mat and isinstance(mat[0], tuple):
        return [[number_to_json(v) for v in row] for row in mat]
    return [number_to_json(v) for v in mat]


def _att_dict(a: Attention) -> dict:
    from ..io.jsonio import number_to_json

    d: dict = {"heads": []}
    for h in a.heads:
        hd = {"WQ": _jm(h.WQ), "WK": _jm(h.WK), "WV": _jm(h.WV)}
        for k in ("bQ", "bK", "bV"):
            if getattr(h, k) is not None:
                hd[k] = _jm(getattr(h, k))
        d["heads"].append(hd)
    if a.WO is not None:
        d["WO"] = _jm(a.WO)
    if a.scale != 1:
        d["scale"] = number_to_json(a.scale)
    d["mask"] = a.mask
    d["activation"] = a.activation
    if a.beta != 1:
        d["beta"] = number_to_json(a.beta)
    return d


def model_to_dict(m: Model) -> dict:
    """The ``splinesym.model/1`` object of a model (inverse of :func:`model_from_dict`)."""
    out: dict = {"format": FORMAT, "tokens": m.tokens, "dim": m.dim}
    if m.decoder:
        out["target_tokens"] = m.target_tokens
        out["target_dim"] = m.target_dim
    for k in ("embed", "target_embed", "readout"):
        if getattr(m, k) is not None:
            out[k] = _jm(getattr(m, k))
    for key, blocks in (("encoder", m.encoder), ("decoder", m.decoder)):
        if not blocks:
            continue
        out[key] = []
        for b in blocks:
            bd: dict = {}
            if b.self_attention is not None:
                bd["self_attention"] = _att_dict(b.self_attention)
            if b.cross_attention is not None:
                bd["cross_attention"] = _att_dict(b.cross_attention)
            if b.ffn is not None:
                fd = {"W1": _jm(b.ffn.W1), "W2": _jm(b.ffn.W2)}
                if b.ffn.b1 is not None:
                    fd["b1"] = _jm(b.ffn.b1)
                if b.ffn.b2 is not None:
                    fd["b2"] = _jm(b.ffn.b2)
                bd["ffn"] = fd
            r = b.residual
            if not (r.attention and r.cross and r.ffn):
                bd["residual"] = {"attention": r.attention, "cross": r.cross, "ffn": r.ffn}
            out[key].append(bd)
    return out


def bind_weights(m: Model, values: dict[str, Any]) -> Model:
    """The model with some weight symbols replaced by numbers (exact rationals).

    Symbols not in ``values`` stay symbols. Used to compare a symbolic expansion with the numeric
    forward pass at chosen weights.

    >>> m = model_from_dict({"format": "splinesym.model/1", "tokens": 1, "dim": 1,
    ...     "encoder": [{"ffn": {"W1": [["a"]], "W2": [["b"]]}, "residual": False}]})
    >>> bind_weights(m, {"a": 2}).symbols()
    ['b']
    """
    from ..io.jsonio import number_to_json

    unknown = [k for k in values if k not in m.symbols()]
    if unknown:
        raise InvalidInputError(f"not a weight symbol of the model: {unknown[0]!r}", "weights")
    vals = {k: number_to_json(parse_number(v, f"weights.{k}")) for k, v in values.items()}

    def walk(x):
        if isinstance(x, dict):
            return {k: (v if k in ("format", "mask", "activation") else walk(v))
                    for k, v in x.items()}
        if isinstance(x, list):
            return [walk(v) for v in x]
        if isinstance(x, str) and x in vals:
            return vals[x]
        return x

    d = model_to_dict(m)
    out = model_from_dict(walk(d), drop_layernorm=bool(m.dropped_layernorm))
    return out if not m.dropped_layernorm else Model(**{**out.__dict__,
                                                        "dropped_layernorm": m.dropped_layernorm})
