"""Encoder round trips (``encode --verify``) on random 2-variable degree-2 tables: with and
without the odd-pair identity ReLU(z) - ReLU(-z) = z in the expansion.

    python examples/bench_roundtrip.py                 # after (odd pairs), every case
    python examples/bench_roundtrip.py --before 120    # also the old expansion, capped at 120 s

Tables: ``random_spline_table(2, m, 2, seed=4, kind=..., smooth=...)``. Times depend on the
machine's load; print them side by side, no assertion.
"""

from __future__ import annotations

import argparse
import time

from splinesym.lattice.api import build_maxmin, encode
from splinesym.lattice.compile import compile_maxmin
from splinesym.lattice.random_tables import random_spline_table
from splinesym.nn.expand import expand_model

CASES = [(m, kind, smooth) for m in (2, 3, 4) for kind in ("generic", "concurrent", "parallel")
         for smooth in (0, 1)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--before", type=float, default=0, metavar="S",
                    help="also time the expansion without odd pairs, stopped after S seconds")
    ap.add_argument("--planes", type=int, nargs="*", default=[2, 3, 4])
    ap.add_argument("--time-limit", type=float, default=600)
    a = ap.parse_args()
    print("m kind       C  entries  cells  after_s  equal  before_s")
    for m, kind, smooth in CASES:
        if m not in a.planes:
            continue
        sp = random_spline_table(2, m, 2, seed=4, kind=kind, smooth=smooth)
        res = build_maxmin("spline", sp)
        t0 = time.monotonic()
        enc = encode(res, verify=True, points=0, time_limit=a.time_limit)
        after = time.monotonic() - t0
        rt = enc.roundtrip
        before = "-"
        if a.before:
            model, _ = compile_maxmin(res.maxmin)
            t0 = time.monotonic()
            ex = expand_model(model, time_limit=a.before, odd_pairs=False)
            before = f"{time.monotonic() - t0:.1f}" + ("" if ex.complete else " (stopped)")
        print(f"{m} {kind:10s} {smooth}  {res.maxmin.size()['entries']:7d}  "
              f"{rt['pieces_compared']:5d}  {after:7.1f}  {str(rt['equal']):5s}  {before}",
              flush=True)


if __name__ == "__main__":
    main()
