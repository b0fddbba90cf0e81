"""Classical splines: scipy → certificate of C²

The script form of notebooks/classical_splines.ipynb (the same cells; run with ``python
examples/classical_splines.py``; figures are written to the current directory as PNG files).

A cubic spline interpolant is C² and not C³ at its interior knots. scipy stores float
coefficients, which rarely agree *exactly* at the knots; splinesym either converts them exactly
(and then says honestly that the result is discontinuous at the 1e-16 level) or, with
`rationalize=TOL`, takes the simplest rationals within TOL and re-interpolates exactly, then
certifies C² with a checkable certificate.
"""


import numpy as np
from scipy.interpolate import BSpline, CubicSpline

import splinesym

x = np.array([0.0, 0.5, 1.25, 2.0, 3.0])
y = np.array([1.0, -0.5, 0.75, 2.0, 0.25])
cs = CubicSpline(x, y, bc_type="natural")

exact = splinesym.from_scipy(cs)   # floats converted exactly
print(repr(splinesym.certify(exact).verdict))

sp = splinesym.from_scipy(cs, rationalize=1e-9, bc_type="natural")
print(sp.notes[0])
cert = splinesym.certify(sp)
print(repr(cert))

assert cert.continuity == 2 and cert.degree.maximum == 3
report = splinesym.check(cert)
print(report.text().splitlines()[-1])
assert report.ok

# A B-spline is expanded exactly (Cox–de Boor in rationals): with simple interior knots of a
# cubic it is C².

t = [0, 0, 0, 0, 1, 2, 3, 3, 3, 3]
b = BSpline(np.array(t, float), np.array([1.0, 2.0, -1.0, 0.5, 3.0, 1.0]), 3)
cb = splinesym.certify(splinesym.from_scipy(b))
print(repr(cb.verdict))

assert cb.continuity == 2
fig = splinesym.plot_along(sp, [0], [1], t=(0, 3))
fig.savefig("classical_splines_7.png")
