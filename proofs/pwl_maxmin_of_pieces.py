"""Claim: a continuous piecewise-linear function is max_i min_{j∈S_i} ℓ_j of its own pieces.

(Ovchinnikov 2002; DESIGN.md §6.) For random continuous piecewise-linear tables on hyperplane
arrangements in 2 and 3 variables — generic, concurrent (all planes through one point: splines
outside the span of the ReLUs of the planes) and parallel — splinesym builds the max–min with the
hyperplane construction (piece polynomials first, with exact Farkas sign proofs) and with
Ovchinnikov's construction, checks that every entry is one of the table's own linear pieces, and
hands the certificate (max–min = table on every piece, split down to the cells of the
arrangement) to the independent checker. The Courant hat function of three concurrent lines is
included explicitly.

Run: ``python proofs/pwl_maxmin_of_pieces.py [--full] [--out DIR]``.
"""

from __future__ import annotations

from _common import Proof

from splinesym.lattice.api import build_maxmin
from splinesym.lattice.expr import pkey
from splinesym.lattice.random_tables import random_spline_table
from splinesym.spline import Spline

P = Proof("a continuous piecewise-linear function is a max-min of its own linear pieces",
          "hyperplane and Ovchinnikov constructions on random tables; every entry is a piece; "
          "certificates re-checked by the independent checker")

HAT = Spline.from_pieces(["x", "y"], ["f"], ["y", "x - y", "x + y"], [
    ([(0, 1), (1, 1)], ["x - y"]), ([(0, -1), (2, 1)], ["x + y"]),
    ([(0, 1), (1, -1)], ["0"]), ([(0, -1), (2, -1)], ["0"])])
CASES = [("Courant hat of the ray (1, 0) on three concurrent lines", HAT)]
SIZES = [(2, 3, "concurrent"), (2, 4, "generic"), (3, 3, "parallel"), (3, 4, "concurrent")]
if P.full:
    SIZES += [(2, 6, "mixed"), (3, 5, "generic"), (3, 6, "mixed")]
for n, m, kind in SIZES:
    CASES.append((f"random table, {n} variables, {m} {kind} planes",
                  random_spline_table(n, m, 1, seed=7 * n + m, kind=kind, mode="relu")))

for num, (name, sp) in enumerate(CASES):
    P.section(name)
    pieces = {pkey(p.values[0]) for p in sp.pieces}
    for method in ("hyperplane", "ovchinnikov"):
        res = build_maxmin("spline", sp, method=method, solver_timeout=0)
        s = res.maxmin.size()
        P.say(f"  {method}: {len(sp.pieces)} pieces -> {s['terms']} terms, {s['entries']} "
              f"entries, {s['distinct_polynomials']} distinct; {res.seconds.get('total')} s")
        P.check(res.certified, f"{method}: certified ({res.status()[:60]})")
        ents = {pkey(p) for t in res.maxmin.terms[0] for p in t}
        P.check(ents <= pieces, f"{method}: every entry is one of the table's own pieces")
        P.certificate(res.certificate(), f"pwl_{method}_{num}")
P.finish()
