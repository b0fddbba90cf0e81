"""Benchmark: the cells of an FFN's hyperplane arrangement, splinesym against Sage.

An FFN with H hidden units on d inputs (random integer weights in -5..5, integer biases) breaks
R^d along the H hyperplanes ``x . W1[:, j] + b1[j] = 0``. This script times

* ``splinesym``: the full ``expand_model`` of the FFN (every cell witnessed by an exact rational
  point, completeness proven by Zaslavsky's count) and the bare enumeration
  (:func:`splinesym.cells.enumerate_regions`), best of ``--repeats``;
* Sage: ``HyperplaneArrangement.regions()`` on the same hyperplanes, run in Sage's own Python
  (``--sage-python``, default ``/tmp/sagevenv/bin/python``; set it up with
  ``python3 -m venv /tmp/sagevenv && /tmp/sagevenv/bin/pip install passagemath-polyhedra``),
  side by side on the same machine,

and prints the counts, the timings and the ratio. Without Sage it prints our numbers and says how
to get Sage's.

Usage::

    python examples/bench_arrangement.py [--hidden 12] [--dim 4] [--seeds 0 1 2] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from splinesym import expand_model, model_from_dict
from splinesym.cells import Budget, Decider, enumerate_regions
from splinesym.poly import PolyRing
from splinesym.region import BreakTable, factor_normalized

HERE = Path(__file__).resolve().parent


def ffn_weights(hidden: int, dim: int, seed: int):
    rng = random.Random(seed)
    while True:
        W1 = [[rng.randint(-5, 5) for _ in range(hidden)] for _ in range(dim)]
        if all(any(W1[i][j] for i in range(dim)) for j in range(hidden)):
            break
    b1 = [rng.randint(-5, 5) for _ in range(hidden)]
    W2 = [[rng.randint(-5, 5)] for _ in range(hidden)]
    return W1, b1, W2


def best_of(fn, repeats: int):
    best, out = float("inf"), None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def run_sage(sage_python: str, hyperplanes, dim: int, repeats: int) -> dict | None:
    if not os.path.exists(sage_python):
        return None
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump({"dim": dim, "hyperplanes": hyperplanes}, fh)
        path = fh.name
    try:
        r = subprocess.run([sage_python, str(HERE / "bench_sage_arrangement.py"), path,
                            str(repeats)], capture_output=True, text=True, timeout=3600)
    finally:
        os.unlink(path)
    if r.returncode != 0:
        print(f"  sage failed: {r.stderr.strip()[:300]}")
        return None
    return json.loads(r.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hidden", type=int, default=12)
    ap.add_argument("--dim", type=int, default=4)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--sage-python", default="/tmp/sagevenv/bin/python")
    args = ap.parse_args()
    ratios = []
    for seed in args.seeds:
        W1, b1, W2 = ffn_weights(args.hidden, args.dim, seed)
        model = model_from_dict({"format": "splinesym.model/1", "tokens": 1, "dim": args.dim,
                                 "encoder": [{"ffn": {"W1": W1, "b1": b1, "W2": W2},
                                              "residual": False}]})
        t_expand, sp = best_of(lambda m=model: expand_model(m, merge=False), args.repeats)
        arr = sp.stats["arrangements"][0]
        ring = PolyRing([f"x1_{k + 1}" for k in range(args.dim)])

        def enum(W1=W1, b1=b1, ring=ring):
            T = BreakTable(ring)
            for j in range(args.hidden):
                p = ring.from_terms({**{tuple(int(i == k) for i in range(args.dim)): W1[k][j]
                                        for k in range(args.dim)}, (0,) * args.dim: b1[j]})
                T.add(factor_normalized(p)[1][0][0])
            return enumerate_regions(Decider(T, Budget()))

        t_enum, e = best_of(enum, args.repeats)
        hyperplanes = [[b1[j]] + [W1[k][j] for k in range(args.dim)]
                       for j in range(args.hidden)]
        sage = run_sage(args.sage_python, hyperplanes, args.dim, args.repeats)
        print(f"seed {seed}: FFN {args.hidden} hidden units on {args.dim} inputs")
        print(f"  splinesym expand_model : {t_expand:8.3f} s  cells {len(sp.pieces)} "
              f"(all witnessed: {all(p.status == 'witness' for p in sp.pieces)}), "
              f"Zaslavsky {arr['zaslavsky']}, complete {sp.complete}")
        print(f"  splinesym enumeration  : {t_enum:8.3f} s  regions {len(e.cells)}  "
              f"({e.reason})")
        if sage is None:
            print("  sage: not available (see the module docstring to install it)")
            continue
        ratio = sage["best_s"] / t_enum
        ratios.append((ratio, sage["best_s"] / t_expand))
        print(f"  sage regions()         : {sage['best_s']:8.3f} s  regions {sage['regions']} "
              f"(sage {sage['sage_version']})")
        print(f"  ratio sage / splinesym : {ratio:6.1f}x (enumeration), "
              f"{sage['best_s'] / t_expand:6.1f}x (full expansion with polynomials)")
        if sage["regions"] != len(e.cells):
            print("  WARNING: region counts differ")
    if ratios:
        print(f"smallest ratio over seeds: {min(r for r, _ in ratios):.1f}x (enumeration), "
              f"{min(r for _, r in ratios):.1f}x (full expansion); target >= 5x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
