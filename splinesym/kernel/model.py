"""``splinesym.model/1`` in the kernel: schema, shapes, the forward pass and the degree bound.

The forward pass runs on exact rationals or on polynomials in the inputs; on polynomials each
ReLU takes the branch given by the sign of its argument at a fixed point (``PolyOps``), which is
what the ``model-local`` identity rule needs. Only ReLU models are evaluated.
"""

from __future__ import annotations

from fractions import Fraction

from . import schema as sc
from .base import Fail, Malformed
from .poly import padd, pconst, peval, pmul

MODEL_FORMAT = "splinesym.model/1"
_TOP = {"format", "name", "description", "tokens", "dim", "target_tokens", "target_dim",
        "embed", "target_embed", "readout", "encoder", "decoder"}
_BLOCK = {"self_attention", "cross_attention", "ffn", "residual"}
_ATT = {"heads", "WO", "scale", "mask", "activation", "beta"}
_HEAD = {"WQ", "WK", "WV", "bQ", "bK", "bV"}
_FFN = {"W1", "b1", "W2", "b2"}


class Model:
    """A validated model: ``raw`` (the JSON), shapes checked, ``symbolic`` if any weight is a
    symbol, ``variables`` and ``outputs`` (the names the spline must use)."""


def _known(d: dict, allowed: set, path: str) -> dict:
    d = sc.obj(d, path)
    for k in d:
        if k not in allowed:
            raise Malformed(f"{path}.{k}", "unknown field in a model")
    return d


def _entry(v, path: str, m: Model):
    if isinstance(v, str) and v.isidentifier() and v.isascii():
        m.symbolic = True
        return v
    return sc.number(v, path)


def _matrix(v, path: str, m: Model, rows: int | None) -> list:
    v = sc.lst(v, path, 1, 10_000)
    if rows is not None and len(v) != rows:
        raise Malformed(path, f"expected {rows} rows, got {len(v)}")
    out = [[_entry(x, f"{path}[{i}][{j}]", m) for j, x in enumerate(sc.lst(r, f"{path}[{i}]", 1))]
           for i, r in enumerate(v)]
    if len({len(r) for r in out}) != 1:
        raise Malformed(path, "ragged matrix")
    return out


def _vector(v, path: str, m: Model, n: int) -> list:
    return [_entry(x, f"{path}[{i}]", m) for i, x in enumerate(sc.lst(v, path, n, n))]


def _residual(b: dict, path: str) -> dict:
    r = b.get("residual")
    if r is None:   # absent or null: on (as the model reader has it)
        r = True
    if isinstance(r, bool):
        return {"attention": r, "cross": r, "ffn": r}
    r = _known(r, {"attention", "cross", "ffn"}, f"{path}.residual")
    return {k: sc.boolean(True if r.get(k) is None else r[k], f"{path}.residual.{k}")
            for k in ("attention", "cross", "ffn")}


def _attention(a, path: str, m: Model, wq: int, wkv: int) -> tuple[dict, int]:
    a = _known(a, _ATT, path)
    heads, total = [], 0
    for i, h in enumerate(sc.lst(sc.get(a, "heads", path), f"{path}.heads", 1, 1000)):
        hp = f"{path}.heads[{i}]"
        h = _known(h, _HEAD, hp)
        WQ = _matrix(sc.get(h, "WQ", hp), f"{hp}.WQ", m, wq)
        dk = len(WQ[0])
        WK = _matrix(sc.get(h, "WK", hp), f"{hp}.WK", m, wkv)
        WV = _matrix(sc.get(h, "WV", hp), f"{hp}.WV", m, wkv)
        if len(WK[0]) != dk:
            raise Malformed(f"{hp}.WK", "WK must have as many columns as WQ")
        dv = len(WV[0])
        bias = {k: sc.optional(h, k, _vector, hp, m, n) for k, n in
                (("bQ", dk), ("bK", dk), ("bV", dv))}
        heads.append({"WQ": WQ, "WK": WK, "WV": WV, **bias})
        total += dv
    WO = sc.optional(a, "WO", _matrix, path, m, total)
    scale = sc.optional(a, "scale", _entry, path, m, default=Fraction(1))
    mask = "none" if a.get("mask") is None else a["mask"]   # null means the default
    if mask not in ("none", "causal"):
        raise Malformed(f"{path}.mask", "expected 'none' or 'causal'")
    act = "relu" if a.get("activation") is None else a["activation"]
    if act not in ("relu", "softplus", "sigmoid", "softmax"):
        raise Malformed(f"{path}.activation", "unknown activation")
    if act != "relu":
        m.relu_only = False
    out = {"heads": heads, "WO": WO, "scale": scale, "causal": mask == "causal"}
    return out, (len(WO[0]) if WO else total)


def _ffn(f, path: str, m: Model, w: int) -> tuple[dict, int]:
    f = _known(f, _FFN, path)
    W1 = _matrix(sc.get(f, "W1", path), f"{path}.W1", m, w)
    h = len(W1[0])
    W2 = _matrix(sc.get(f, "W2", path), f"{path}.W2", m, h)
    o = len(W2[0])
    return {"W1": W1, "W2": W2, "b1": sc.optional(f, "b1", _vector, path, m, h),
            "b2": sc.optional(f, "b2", _vector, path, m, o)}, o


def _block(b, path: str, m: Model, w: int, wmem: int | None) -> tuple[dict, int]:
    allowed = _BLOCK if wmem is not None else _BLOCK - {"cross_attention"}
    b = _known(b, allowed, path)
    res = _residual(b, path)
    out: dict = {"residual": res}
    for key, rkey, kvw in (("self_attention", "attention", None), ("cross_attention", "cross",
                                                                   wmem)):
        if b.get(key) is not None:
            out[key], nw = _attention(b[key], f"{path}.{key}", m, w, w if kvw is None else kvw)
            if res[rkey] and nw != w:
                raise Malformed(f"{path}.{key}", f"residual needs output width {w}")
            w = nw
    if b.get("ffn") is not None:
        out["ffn"], nw = _ffn(b["ffn"], f"{path}.ffn", m, w)
        if res["ffn"] and nw != w:
            raise Malformed(f"{path}.ffn", f"residual needs output width {w}")
        w = nw
    return out, w


def read_model(d, path: str) -> Model:
    """Validate a ``splinesym.model/1`` object (shapes included)."""
    d = _known(d, _TOP, path)
    if d.get("format") != MODEL_FORMAT:
        raise Malformed(f"{path}.format", f"expected {MODEL_FORMAT!r}")
    m = Model()
    m.symbolic, m.relu_only = False, True
    m.tokens = sc.integer(sc.get(d, "tokens", path), f"{path}.tokens", 1, 10_000)
    m.dim = sc.integer(sc.get(d, "dim", path), f"{path}.dim", 1, 10_000)
    m.embed = sc.optional(d, "embed", _matrix, path, m, m.dim)
    w = len(m.embed[0]) if m.embed else m.dim
    m.encoder = []
    for i, b in enumerate(sc.lst(d.get("encoder") or [], f"{path}.encoder", 0, 1000)):
        blk, w = _block(b, f"{path}.encoder[{i}]", m, w, None)
        m.encoder.append(blk)
    m.decoder = []
    dec = sc.lst(d.get("decoder") or [], f"{path}.decoder", 0, 1000)
    rows = m.tokens
    m.target_tokens = m.target_dim = 0
    m.target_embed = None
    if dec:
        m.target_tokens = sc.integer(sc.get(d, "target_tokens", path), f"{path}.target_tokens",
                                     1, 10_000)
        m.target_dim = sc.integer(sc.get(d, "target_dim", path), f"{path}.target_dim", 1, 10_000)
        m.target_embed = sc.optional(d, "target_embed", _matrix, path, m, m.target_dim)
        wmem, w = w, len(m.target_embed[0]) if m.target_embed else m.target_dim
        for i, b in enumerate(dec):
            blk, w = _block(b, f"{path}.decoder[{i}]", m, w, wmem)
            m.decoder.append(blk)
        rows = m.target_tokens
    else:
        for key in ("target_tokens", "target_dim", "target_embed"):
            if d.get(key) is not None:
                raise Malformed(f"{path}.{key}", "only allowed with a decoder")
    m.readout = sc.optional(d, "readout", _matrix, path, m, w)
    _names(m, rows, len(m.readout[0]) if m.readout else w)
    return m


def _names(m: Model, rows: int, w: int) -> None:
    m.variables = ([f"x{i}_{k}" for i in range(1, m.tokens + 1) for k in range(1, m.dim + 1)]
                   + [f"y{i}_{k}" for i in range(1, m.target_tokens + 1)
                      for k in range(1, m.target_dim + 1)])
    m.outputs = [f"out{i}_{k}" for i in range(1, rows + 1) for k in range(1, w + 1)]


# ---- the forward pass ------------------------------------------------------------------------
class NumOps:
    """Exact rationals."""

    const = staticmethod(lambda v: v)
    add = staticmethod(lambda a, b: a + b)
    mul = staticmethod(lambda a, b: a * b)
    zero = staticmethod(lambda: Fraction(0))

    def relu(self, v):
        return v if v > 0 else Fraction(0)


class PolyOps:
    """Polynomials in the inputs; each ReLU takes the branch of its argument's sign at
    ``point``; an argument that vanishes there (but is not zero) fails the rule."""

    def __init__(self, n: int, point):
        self.n, self.point = n, point

    def const(self, v):
        return pconst(v, self.n)

    add = staticmethod(padd)
    mul = staticmethod(pmul)
    zero = staticmethod(dict)

    def relu(self, v):
        s = peval(v, self.point)
        if s == 0 and v:
            raise Fail("model-local", "a ReLU argument vanishes at the point (it is on a break)")
        return v if s > 0 else {}


def _mm(ops, A, B):
    out = []
    for row in A:
        new = []
        for j in range(len(B[0])):
            acc = ops.zero()
            for a, brow in zip(row, B):
                acc = ops.add(acc, ops.mul(a, ops.const(brow[j])))
            new.append(acc)
        out.append(new)
    return out


def _bias(ops, A, b):
    return A if b is None else [[ops.add(a, ops.const(x)) for a, x in zip(r, b)] for r in A]


def _att(ops, att, Zq, Zkv):
    outs = []
    for h in att["heads"]:
        Q = _bias(ops, _mm(ops, Zq, h["WQ"]), h["bQ"])
        K = _bias(ops, _mm(ops, Zkv, h["WK"]), h["bK"])
        V = _bias(ops, _mm(ops, Zkv, h["WV"]), h["bV"])
        A = []
        for i, q in enumerate(Q):
            row = []
            for j, k in enumerate(K):
                s = ops.zero()
                for a, b in zip(q, k):
                    s = ops.add(s, ops.mul(a, b))
                masked = att["causal"] and j > i
                row.append(ops.zero() if masked else ops.relu(ops.mul(s, ops.const(att["scale"]))))
            A.append(row)
        outs.append([[_dot(ops, r, [v[c] for v in V]) for c in range(len(V[0]))] for r in A])
    H = [sum((o[i] for o in outs), []) for i in range(len(Zq))]
    return H if att["WO"] is None else _mm(ops, H, att["WO"])


def _dot(ops, a, b):
    acc = ops.zero()
    for x, y in zip(a, b):
        acc = ops.add(acc, ops.mul(x, y))
    return acc


def _ffn_pass(ops, f, Z):
    H = [[ops.relu(v) for v in r] for r in _bias(ops, _mm(ops, Z, f["W1"]), f["b1"])]
    return _bias(ops, _mm(ops, H, f["W2"]), f["b2"])


def _block_pass(ops, b, Z, mem):
    for key, rkey, kv in (("self_attention", "attention", None), ("cross_attention", "cross", mem)):
        if key in b:
            A = _att(ops, b[key], Z, Z if kv is None else kv)
            Z = [[ops.add(x, y) for x, y in zip(r, s)] for r, s in zip(Z, A)] if b["residual"][
                rkey] else A
    if "ffn" in b:
        F = _ffn_pass(ops, b["ffn"], Z)
        Z = [[ops.add(x, y) for x, y in zip(r, s)] for r, s in zip(Z, F)] if b["residual"][
            "ffn"] else F
    return Z


def forward(m: Model, inputs: list, ops) -> list:
    """The outputs (row-major) of a numeric ReLU model on ``inputs`` (X then Y, row-major)."""
    n, d = m.tokens, m.dim
    Z = [inputs[i * d:(i + 1) * d] for i in range(n)]
    if m.embed:
        Z = _mm(ops, Z, m.embed)
    for b in m.encoder:
        Z = _block_pass(ops, b, Z, None)
    if m.decoder:
        off, td = n * d, m.target_dim
        Y = [inputs[off + i * td: off + (i + 1) * td] for i in range(m.target_tokens)]
        mem, Z = Z, (_mm(ops, Y, m.target_embed) if m.target_embed else Y)
        for b in m.decoder:
            Z = _block_pass(ops, b, Z, mem)
    if m.readout:
        Z = _mm(ops, Z, m.readout)
    return [v for row in Z for v in row]


def structural_bound(m: Model) -> dict:
    """Degree bounds from the shape: ``{"joint", "x", "y"}``.

    Lemma: on each cell, attention on queries of degree ``q`` and keys/values of degree ``k`` is
    a polynomial of degree ``<= q + 2k`` (scores ``q + k``, times values ``k``; ReLU keeps the
    degree on a cell); FFN, embeddings and readout keep degrees; a residual takes the maximum.
    Degrees are tracked jointly, in X alone and in Y alone.
    """
    def run(blocks, z, mem):
        for b in blocks:
            for key, rkey, kv in (("self_attention", "attention", None),
                                  ("cross_attention", "cross", mem)):
                if key in b:
                    k = z if kv is None else kv
                    a = tuple(z[i] + 2 * k[i] for i in range(3))
                    z = tuple(max(x, y) for x, y in zip(z, a)) if b["residual"][rkey] else a
        return z

    z = run(m.encoder, (1, 1, 0), None)
    if m.decoder:
        z = run(m.decoder, (1, 0, 1), z)
    return {"joint": z[0], "x": z[1], "y": z[2]}
