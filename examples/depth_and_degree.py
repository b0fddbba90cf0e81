"""Depth and degree: an L-layer encoder has degree 3^L

The script form of notebooks/depth_and_degree.ipynb (the same cells; run with ``python
examples/depth_and_degree.py``; figures are written to the current directory as PNG files).

Attention on inputs of degree D has degree 3D (queries, keys and values each have degree D; ReLU
keeps a piece's degree), FFNs and residual connections do not raise it. So L layers give at most
3^L, and generic weights attain it. Below: stacks of attention layers expanded completely (L =
1, 2, 3), random encoder blocks with FFNs expanded completely (L = 1, 2), and L = 3 on a single
cell.
"""


import time
from fractions import Fraction

import splinesym
from splinesym.certify.local import local_polynomials
from splinesym.nn.zoo import random_model


def attention_stack(L):
    head = {"WQ": [[1]], "WK": [[1]], "WV": [[1]]}
    return splinesym.model_from_dict({"format": "splinesym.model/1", "tokens": 2, "dim": 1,
        "encoder": [{"self_attention": {"heads": [head]}, "residual": False}] * L})

rows = []
for L in (1, 2, 3):
    m = attention_stack(L)
    t = time.perf_counter()
    sp = splinesym.expand(m)
    rows.append((L, 3**L, splinesym.structural_degree(m)["joint"], sp.max_degree(),
                 len(sp.pieces), sp.stats["cells_before_merge"],
                 round(time.perf_counter() - t, 2)))
    assert sp.complete and sp.max_degree() == 3**L
print("L  3^L  bound  attained  pieces  cells  seconds")
for r in rows:
    print("  ".join(str(v) for v in r))

# Full encoder blocks (attention, FFN with 2 hidden units, residuals; random integer weights):

enc_rows = []
for L in (1, 2):
    m = splinesym.model_from_dict(random_model("encoder", seed=1, tokens=2, dim=1, layers=L,
                                               hidden=2))
    t = time.perf_counter()
    sp = splinesym.expand(m, time_limit=120)
    enc_rows.append((L, sp.max_degree(), len(sp.pieces), len(sp.breaks), sp.complete,
                     round(time.perf_counter() - t, 1)))
    assert sp.max_degree() == 3**L
print(repr(enc_rows))  # (L, degree, pieces, breaks, complete, seconds)

# For L = 3 the full expansion is large; the polynomial the model equals on the cell of one
# rational point is computed instead (every ReLU decided by its exact sign there): a piece of
# degree 27 exists.

m3 = splinesym.model_from_dict(random_model("encoder", seed=1, tokens=2, dim=1, layers=3,
                                            hidden=2))
# the degree differs from cell to cell; on the cell of (-7/3, 11/5) it is the full 3^3
for pt in ([Fraction(1, 3), Fraction(-5, 7)], [Fraction(2), Fraction(3, 5)],
           [Fraction(-7, 3), Fraction(11, 5)]):
    print(pt, local_polynomials(m3, pt).degree)
loc = local_polynomials(m3, [Fraction(-7, 3), Fraction(11, 5)])
print(repr((loc.degree, splinesym.structural_degree(m3)["joint"])))

assert loc.degree == 27
