"""Claim: every continuous spline on a hyperplane partition is a max–min of polynomials, and
compiles to a ReLU encoder whose expansion equals it.

(Lai & Lim 2025, arXiv 2507.07976; DESIGN.md §6.) Construction (splinesym.lattice.hyperplane):
refine the pieces to the cells of the arrangement of the breaks; for cells C ≠ D and a minimal
gallery from C to D crossing planes h_t with jumps p_{c_t} − p_{c_{t−1}} = h_t·Q_t, the
separator q_CD = p_D + Σ s_t h_t (1 + Q_t²) is ≥ p_C on C and ≤ p_D on D, so
f = max_C min(p_C, q_CD). Random tables in 1–3 variables, degrees 1–3, C⁰ and C¹, generic,
concurrent and parallel planes: each gets a max–min whose certificate (every sign fact a sum of
products plane × sum of squares, no solver) the independent checker accepts; small ones are
compiled to encoders (``splinesym encode --verify``) whose expansion equals the table on every
cell of the common refinement, certified by the checker's own forward pass at every witness.

Run: ``python proofs/hyperplane_splines_are_maxmin.py [--full] [--out DIR]``.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from _common import Proof

from splinesym.cli import main
from splinesym.io.spline_io import write_spline
from splinesym.lattice.api import build_maxmin
from splinesym.lattice.random_tables import random_spline_table

P = Proof("every continuous spline on a hyperplane partition is a max-min of polynomials, and "
          "an encoder computes it exactly",
          "gallery separators on the cells, certified exactly; encode --verify round trips")

TABLES = [(1, 3, 3, "generic", 1), (2, 3, 2, "concurrent", 0), (2, 4, 1, "parallel", 0),
          (2, 2, 3, "mixed", 1), (3, 2, 3, "parallel", 0), (3, 4, 1, "concurrent", 0)]
if P.full:
    TABLES += [(2, 3, 3, "mixed", 1), (3, 3, 3, "generic", 1), (2, 4, 3, "concurrent", 1),
               (3, 4, 2, "generic", 0), (3, 4, 3, "mixed", 1)]
ENCODE = [(2, 3, 1, "concurrent", 0), (1, 3, 2, "generic", 1)]
if P.full:
    ENCODE += [(2, 2, 2, "generic", 0)]

for num, (n, m, d, kind, r) in enumerate(TABLES):
    sp = random_spline_table(n, m, d, seed=100 + num, kind=kind, smooth=r)
    P.section(f"{n} variables, {m} {kind} planes, degree {d}, C^{r}: {len(sp.pieces)} pieces")
    res = build_maxmin("spline", sp, method="hyperplane", solver_timeout=0)
    s = res.maxmin.size()
    st = res.maxmin.stats
    P.say(f"  method {res.method}: {s['terms']} terms, {s['entries']} entries, degree "
          f"{s['max_degree']}; cells {st.get('cells', '-')}; {res.seconds.get('total')} s")
    P.check(res.certified, "certified on every piece")
    P.certificate(res.certificate(), f"hyperplane_{num}")

with tempfile.TemporaryDirectory() as tmp:
    for num, (n, m, d, kind, r) in enumerate(ENCODE):
        sp = random_spline_table(n, m, d, seed=200 + num, kind=kind, smooth=r)
        P.section(f"encoder: {n} variables, {m} {kind} breaks, degree {d}, C^{r}")
        src, out, rt = (Path(tmp) / f"{x}{num}.json" for x in ("t", "enc", "rt"))
        write_spline(sp, src)
        code = main(["encode", str(src), "--out", str(out), "--verify", "--points", "50",
                     "--certificate", str(rt)])
        P.check(code == 0, "encode --verify: the expanded encoder equals the table (round trip)")
        if code == 0:
            P.certificate(json.loads(rt.read_text()), f"encoder_roundtrip_{num}")
P.finish()
