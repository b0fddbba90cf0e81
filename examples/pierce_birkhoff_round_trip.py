"""Pierce–Birkhoff round trip

The script form of notebooks/pierce_birkhoff_round_trip.ipynb (the same cells; run with ``python
examples/pierce_birkhoff_round_trip.py``; figures are written to the current directory as PNG
files).

Every output of a ReLU model is written as `max_i min_j p_ij` of polynomials, certified piece by
piece, compiled back into a ReLU encoder, and the encoder's expansion is compared with the
original spline on every cell (the round trip), with a certificate the independent checker re-
verifies.
"""


import matplotlib

matplotlib.use("Agg")
import splinesym
from splinesym.display import maxmin_shared_text
from splinesym.nn.zoo import random_model
from splinesym.spline import Spline

model = splinesym.model_from_dict(random_model("attention", seed=0, tokens=2, dim=1))
sp = splinesym.expand(model)
print(repr(sp))

res = splinesym.maxmin(model)   # the lattice algebra on the forward pass, then certified
print(repr(res))

print(maxmin_shared_text(res.maxmin))
assert res.certified

enc = splinesym.encode(res, verify=True)   # compile, test at random points, expand, compare
print(repr(enc))

assert enc.roundtrip["equal"]
print(repr(enc.model))

# The certificate of the max–min (every piece, every leaf of its decision tree) is re-checked
# independently:

report = splinesym.check(res.certificate())
print(report.text().splitlines()[-1])
assert report.ok

# A univariate spline given as a table of pieces goes the same way (the `univariate`
# construction):

tab = Spline.from_pieces(["x"], ["f"], ["x", "x - 1"],
    [([(0, -1)], ["x**2"]), ([(0, 1), (1, -1)], ["x**3 + x**2"]),
     ([(1, 1)], ["2*x**2 + x - 1"])])
r2 = splinesym.maxmin(tab)
print(maxmin_shared_text(r2.maxmin))
e2 = splinesym.encode(r2)
assert r2.certified and e2.roundtrip["equal"]
