"""An independent exact forward pass of ``splinesym.model/1``, written from DESIGN.md §2 and §8.

Nothing here imports splinesym: the model is the parsed JSON dictionary, numbers are
:class:`fractions.Fraction`, matrices are lists of lists and every product is a plain loop. It is
the reference the tests compare ``splinesym.evaluate_model``, the expanded spline and a torch
implementation with (``tests/test_independent_semantics.py``).

Semantics (DESIGN.md §2, §8):

* tokens are rows; weights act on the right: Q = Z·WQ + bQ, K = M·WK + bK, V = M·WV + bV, each
  bias optional on its own;
* a head: S = scale·Q·Kᵀ; under a causal mask the entries with key index j > query index i are
  masked: they contribute 0 (ReLU attention: A = ReLU(S) with masked entries 0); output A·V;
* heads are concatenated by columns, then multiplied by WO (absent: identity);
* cross attention: queries from the decoder stream, keys and values from the memory;
* FFN(Z) = ReLU(Z·W1 + b1)·W2 + b2; a block applies self-attention, cross-attention, FFN in that
  order, each followed by its residual (``residual``: true/false or per part, default true);
* the memory is the encoder's output on X·embed (X·embed itself when there is no encoder); the
  decoder runs on Y·target_embed; the readout multiplies the final stream;
* an optional field given as ``null`` is absent (its default applies);
* the point lists X row-major, then Y row-major; the outputs are row-major.
"""

from __future__ import annotations

from fractions import Fraction


def num(v) -> Fraction:
    """A model-file number: int, "p/q" string, or float (converted exactly)."""
    if isinstance(v, bool):
        raise TypeError("booleans are not numbers")
    if isinstance(v, str):
        return Fraction(v)
    return Fraction(v)


def mat(rows) -> list[list[Fraction]]:
    return [[num(v) for v in r] for r in rows]


def matmul(A, B):
    n, m, p = len(A), len(B), len(B[0])
    out = []
    for i in range(n):
        row = []
        for j in range(p):
            s = Fraction(0)
            for k in range(m):
                s += A[i][k] * B[k][j]
            row.append(s)
        out.append(row)
    return out


def add_bias(A, b):
    if b is None:
        return A
    bb = [num(v) for v in b]
    return [[a + c for a, c in zip(row, bb, strict=True)] for row in A]


def add(A, B):
    return [[a + b for a, b in zip(r, s, strict=True)] for r, s in zip(A, B, strict=True)]


def relu(v: Fraction) -> Fraction:
    return v if v > 0 else Fraction(0)


def attention(att: dict, Zq, Zkv):
    """Multi-head ReLU attention (the only rational activation)."""
    if att.get("activation") not in (None, "relu"):
        raise ValueError("only ReLU attention is rational")
    scale = num(att["scale"] if att.get("scale") is not None else 1)
    causal = att.get("mask", "none") == "causal"
    heads_out = []
    for h in att["heads"]:
        Q = add_bias(matmul(Zq, mat(h["WQ"])), h.get("bQ"))
        K = add_bias(matmul(Zkv, mat(h["WK"])), h.get("bK"))
        V = add_bias(matmul(Zkv, mat(h["WV"])), h.get("bV"))
        out = []
        for i in range(len(Zq)):
            row = [Fraction(0)] * len(V[0])
            for j in range(len(Zkv)):
                if causal and j > i:
                    continue
                s = Fraction(0)
                for a in range(len(Q[i])):
                    s += Q[i][a] * K[j][a]
                w = relu(scale * s)
                for c in range(len(row)):
                    row[c] += w * V[j][c]
            out.append(row)
        heads_out.append(out)
    H = [[v for o in heads_out for v in o[i]] for i in range(len(Zq))]
    return matmul(H, mat(att["WO"])) if att.get("WO") is not None else H


def ffn(f: dict, Z):
    P = add_bias(matmul(Z, mat(f["W1"])), f.get("b1"))
    return add_bias(matmul([[relu(v) for v in r] for r in P], mat(f["W2"])), f.get("b2"))


def _residual_on(block: dict, part: str) -> bool:
    r = block.get("residual", True)
    if r is None:
        return True
    if isinstance(r, bool):
        return r
    return bool(r.get(part, True))


def block(b: dict, Z, memory=None):
    if b.get("self_attention") is not None:
        A = attention(b["self_attention"], Z, Z)
        Z = add(Z, A) if _residual_on(b, "attention") else A
    if b.get("cross_attention") is not None:
        C = attention(b["cross_attention"], Z, memory)
        Z = add(Z, C) if _residual_on(b, "cross") else C
    if b.get("ffn") is not None:
        F = ffn(b["ffn"], Z)
        Z = add(Z, F) if _residual_on(b, "ffn") else F
    return Z


def forward(d: dict, point) -> list[Fraction]:
    """The outputs (row-major) of the model dictionary ``d`` at ``point`` (X then Y)."""
    n, k = d["tokens"], d["dim"]
    pt = [num(v) for v in point]
    X = [pt[i * k:(i + 1) * k] for i in range(n)]
    Z = matmul(X, mat(d["embed"])) if d.get("embed") is not None else X
    for b in d.get("encoder") or []:
        Z = block(b, Z)
    if d.get("decoder"):
        memory = Z
        tn, tk = d["target_tokens"], d["target_dim"]
        off = n * k
        Z = [pt[off + i * tk: off + (i + 1) * tk] for i in range(tn)]
        if d.get("target_embed") is not None:
            Z = matmul(Z, mat(d["target_embed"]))
        for b in d["decoder"]:
            Z = block(b, Z, memory)
    if d.get("readout") is not None:
        Z = matmul(Z, mat(d["readout"]))
    return [v for row in Z for v in row]


def n_inputs(d: dict) -> int:
    n = d["tokens"] * d["dim"]
    if d.get("decoder"):
        n += d["target_tokens"] * d["target_dim"]
    return n
