"""ReLU attention is a cubic spline

The script form of notebooks/relu_attention_is_a_cubic_spline.ipynb (the same cells; run with
``python examples/relu_attention_is_a_cubic_spline.py``; figures are written to the current
directory as PNG files).

With ReLU in place of SoftMax, one attention head on 2 tokens × 2 features computes a piecewise
cubic polynomial. splinesym expands it exactly, cell by cell (each cell with a rational
witness), draws the cells and the restriction to a line, certifies the degree and the smoothness
(C⁰ and not C¹ at every wall), and writes a certificate that an independent checker re-verifies.
"""


import random
from fractions import Fraction

import matplotlib

matplotlib.use("Agg")
import splinesym

model = splinesym.default_model()   # ReLU attention, 2 tokens x 2 features, integer weights
print(repr(model))

sp = splinesym.expand(model)
print(repr(sp))  # summary table; breaks and pieces are in collapsed sections

print(repr((sp.counts(), sp.max_degree(), sp.complete)))

# ## Pictures The cells of the slice `x1_2 = 1, x2_2 = -1`, coloured by sign pattern; the break
# curves are the zero sets of the break polynomials, the star is a witness that lies in this
# slice.

fig = splinesym.plot_cells(sp, x="x1_1", y="x2_1", fixed={"x1_2": 1, "x2_2": -1})
fig.savefig("relu_attention_is_a_cubic_spline_5.png")

# Along a line the spline is a piecewise cubic; its kinks (C⁰, not C¹) are where the line
# crosses a break. The markers are the model's exact forward pass.

fig = splinesym.plot_along(model, [1, -1, 0, 1], [1, 1, 1, 0], model_points=21)
fig.savefig("relu_attention_is_a_cubic_spline_7.png")

# ## Certificate: degree 3, C⁰ and not C¹

cert = splinesym.certify(model)
print(repr(cert.verdict))

assert cert.degree.maximum == 3 and cert.continuity == 0
report = splinesym.check(cert)   # the independent checker, from the certificate's data only
print(report.text().splitlines()[-1])
assert report.ok

# ## The expansion equals the exact forward pass

rng = random.Random(0)
for _ in range(100):
    pt = [Fraction(rng.randint(-500, 500), rng.randint(101, 997)) for _ in range(4)]
    assert sp.evaluate(pt) == splinesym.evaluate_model(model, pt)
print(repr("100 random rational points agree exactly"))

pw = sp.to_sympy(0)     # a sympy Piecewise with mutually exclusive conditions
print(repr(len(pw.args)))
