"""Claim: a feed-forward ReLU layer x ↦ W2·ReLU(W1ᵀx + b1) is a linear spline whose cells are the
regions of the arrangement of its hidden units, counted by Zaslavsky's theorem.

Zaslavsky (1975): an affine arrangement A in R^n has
r(A) = Σ_{S ⊆ A, ∩S ≠ ∅} (−1)^{|S| − rank S} regions (Whitney's formula for the characteristic
polynomial at −1); for hyperplanes in general position this is Σ_{k ≤ n} C(m, k). The count is
computed here by exact rational linear algebra over all subsets, independently of splinesym's
cell enumeration, for generic, concurrent and parallel layers; the expansion's pieces (sign
patterns of the hidden units, each with an exact witness) must be exactly that many, every piece
of degree ≤ 1, and the certificate is re-checked by the independent checker.

Run: ``python proofs/relu_layer_zaslavsky.py [--full] [--out DIR]``.
"""

from __future__ import annotations

import itertools
import random
from fractions import Fraction
from math import comb

from _common import F, Proof

from splinesym.certify import certify_model
from splinesym.nn.model import model_from_dict

P = Proof("a ReLU layer is a linear spline with exactly Zaslavsky's number of cells",
          "exact expansion vs the subset formula r(A) = sum (-1)^(|S| - rank S)")


def rank(rows: list[list[Fraction]]) -> int:
    rows = [list(r) for r in rows]
    rk, col = 0, 0
    ncol = len(rows[0]) if rows else 0
    while rk < len(rows) and col < ncol:
        piv = next((i for i in range(rk, len(rows)) if rows[i][col] != 0), None)
        if piv is None:
            col += 1
            continue
        rows[rk], rows[piv] = rows[piv], rows[rk]
        for i in range(len(rows)):
            if i != rk and rows[i][col] != 0:
                f = rows[i][col] / rows[rk][col]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[rk], strict=True)]
        rk += 1
        col += 1
    return rk


def zaslavsky(normals, offsets) -> int:
    total = 0
    m = len(normals)
    for k in range(m + 1):
        for S in itertools.combinations(range(m), k):
            A = [[Fraction(x) for x in normals[i]] for i in S]
            Ab = [[*A[j], Fraction(-offsets[i])] for j, i in enumerate(S)]
            ra = rank(A) if S else 0
            if S and rank(Ab) != ra:
                continue  # empty intersection
            total += (-1) ** (k - ra)
    return total


def layer(normals, offsets, rng):
    n, h = len(normals[0]), len(normals)
    W1 = [[normals[j][i] for j in range(h)] for i in range(n)]
    W2 = [[rng.choice([-3, -2, -1, 1, 2, 3])] for _ in range(h)]
    return model_from_dict({"format": F, "tokens": 1, "dim": n, "encoder": [
        {"ffn": {"W1": W1, "b1": list(offsets), "W2": W2}, "residual": False}]})


rng = random.Random(17)
CASES = [
    ("generic, 2 inputs, 4 units", [[1, 2], [3, -1], [-2, 1], [1, 1]], [1, -2, 3, 0]),
    ("three concurrent lines + one more, 2 inputs", [[1, 0], [0, 1], [1, 1], [1, -2]],
     [0, 0, 0, 3]),
    ("parallel pairs, 2 inputs", [[1, 1], [1, 1], [1, -1], [2, -2]], [0, 2, 1, -3]),
    ("generic, 3 inputs, 4 units", [[1, 0, 2], [0, 1, -1], [1, 1, 1], [2, -1, 1]],
     [1, 0, -1, 2]),
    ("four planes through one point, 3 inputs", [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]],
     [0, 0, 0, 0]),
]
if P.full:
    CASES.append(("generic, 3 inputs, 6 units", [[1, 0, 2], [0, 1, -1], [1, 1, 1], [2, -1, 1],
                                                [1, -2, 3], [-1, 3, 1]], [1, 0, -1, 2, 3, -2]))

for num, (name, normals, offsets) in enumerate(CASES):
    P.section(name)
    m = layer(normals, offsets, rng)
    c = certify_model(m, source=name, time_limit=600, smoothness=False)
    sp = c.spline
    r = zaslavsky(normals, offsets)
    n = len(normals[0])
    gen = sum(comb(len(normals), k) for k in range(n + 1))
    P.say(f"  {len(sp.pieces)} pieces; Zaslavsky r(A) = {r} (general position would give "
          f"{gen}); {c.seconds:.2f} s")
    P.check(sp.complete, "every sign pattern decided")
    P.check(len(sp.pieces) == r, f"cells of the expansion = Zaslavsky's count ({r})")
    P.check(c.degree.maximum <= 1, "a linear spline (every piece of degree <= 1)")
    P.certificate(c.certificate(), f"relu_layer_{num}")
P.finish()
