"""Write the 8-variable Pierce–Birkhoff counterexample of Lai, Lim & Ren as a spline table.

Source: Z. Lai, L.-H. Lim, Y. Ren, "A quadratic-partition counterexample to the Pierce–Birkhoff
conjecture" (manuscript with Lean formalisation, public repository ``7pocheR/Pierce-Birkhoff``,
folder ``n=8_d=2_k=2``; human review reported pending). The table below is re-derived here from
the published formulas (Q1)–(Q21); no file of that repository is copied.

Coordinates ``w = (x, y, z, u, v, r)`` and ``s, t``. ``C(w)`` is the 5×3 matrix (Q1),
``J = diag(1, 1, 3, −1, −1)``, ``Q = CᵀJC`` with entries ``a = Q00, b = Q01, d = Q22, e = Q12``;
``q1 = −10b + 2d + 2e``, ``q2 = 4a + 2b − 2d − 2e``, ``q3 = −4a + 2b + 6d − 10e``,
``q4 = −4a + 2b + 2d + 2e``; ``c1 = x(−v + r/2) + y(z + u)``, ``c2 = −(x² + y²)``,
``E1 = s − c1``, ``E2 = t − c2``, ``D~ = z·s + (r/2)·t``; sixteen quadratic labels
``L_{j,k,ε} = q_j + 8ε·E_k``; ``H = min L``. The function is ``F = H`` where ``H > 0`` and
``D~ > 0``, else ``0``: continuous (their (Q18): ``H > 0`` forces ``D~ ≠ 0``), piecewise
quadratic on a partition by quadrics, and — by their theorem — not a finite max–min of
polynomials of any degree.

As a ``splinesym.spline/1`` table: breaks ``D~``, the labels and their pairwise differences
(deduplicated up to a positive or negative scalar); pieces ``{D~ > 0, L_a > 0, L_a < L_b ∀ b}``
with value ``L_a``, ``{D~ > 0, L_a < 0, L_a < L_b ∀ b}`` with value 0 and ``{D~ < 0}`` with
value 0 (33 pieces).

Run: ``python examples/make_pb_counterexample8.py [OUT.json]``.
"""

from __future__ import annotations

import json
import sys
from fractions import Fraction
from pathlib import Path

from splinesym.poly import PolyRing
from splinesym.region import factor_normalized

NAMES = ["x", "y", "z", "u", "v", "r", "s", "t"]
SOURCE = ("Lai, Lim & Ren, 'A quadratic-partition counterexample to the Pierce-Birkhoff "
          "conjecture' (8 variables, quadric partition, quadratic pieces; Lean formalisation "
          "in the public repository 7pocheR/Pierce-Birkhoff, folder n=8_d=2_k=2; human review "
          "reported pending): according to that work this continuous piecewise-quadratic "
          "function has NO representation as a finite max-min of polynomials")


def build() -> dict:
    R = PolyRing(NAMES)
    x, y, z, u, v, r, s, t = R.gens()
    h = R.const(Fraction(1, 2))
    C = [[x, -v + r * h, -y], [y, z + u, x], [z, r * h, R.zero()],
         [u, -v * h + r, -v * h], [v, 2 * z + u * h, u * h]]
    J = [1, 1, 3, -1, -1]

    def Q(i, j):
        out = R.zero()
        for k in range(5):
            out += C[k][i] * C[k][j] * R.const(J[k])
        return out

    a, b, d, e = Q(0, 0), Q(0, 1), Q(2, 2), Q(1, 2)
    c = R.const
    q = [c(-10) * b + c(2) * d + c(2) * e, c(4) * a + c(2) * b - c(2) * d - c(2) * e,
         c(-4) * a + c(2) * b + c(6) * d - c(10) * e, c(-4) * a + c(2) * b + c(2) * d + c(2) * e]
    c1 = x * (-v + r * h) + y * (z + u)
    c2 = -(x * x + y * y)
    E = [s - c1, t - c2]
    Dt = z * s + r * h * t
    L = [qj + E[k] * c(8 * eps) for qj in q for k in range(2) for eps in (1, -1)]
    breaks: list = []
    index: dict = {}

    def cond(p, sign):
        """``sign·p > 0`` as ``[break index, "+"/"-"]`` (``p`` irreducible up to a constant)."""
        const, facs = factor_normalized(p)
        assert len(facs) == 1 and facs[0][1] == 1, R.format(p)
        g = facs[0][0]
        key = R.format(g)
        if key not in index:
            index[key] = len(breaks)
            breaks.append(key)
        sg = sign * (1 if const > 0 else -1)
        return [index[key], "+" if sg > 0 else "-"]

    pieces = [{"region": [cond(Dt, -1)], "values": ["0"]}]
    for i, La in enumerate(L):
        least = [cond(La - Lb, -1) for j, Lb in enumerate(L) if j != i]
        pieces.append({"region": [cond(Dt, 1), cond(La, 1), *least],
                       "values": [R.format(La)]})
        pieces.append({"region": [cond(Dt, 1), cond(La, -1), *least], "values": ["0"]})
    return {"format": "splinesym.spline/1", "variables": NAMES, "outputs": ["F"],
            "breaks": breaks, "pieces": pieces, "complete": True, "notes": [SOURCE]}


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1
               else Path(__file__).parent / "splines" / "pb_counterexample8.spline.json")
    data = build()
    out.write_text(json.dumps(data, indent=1) + "\n")
    print(f"wrote {out}: {len(data['breaks'])} breaks, {len(data['pieces'])} pieces")
