"""Benchmark: ReLU attention with 3 tokens x 3 features (9 quadric breaks, 512 sign patterns).

Expands a single-head, bias-free ReLU attention layer with random integer weights in -3..3 within
a time budget and prints how many cells are witnessed, shown empty and undecided, which tier
decided them, and the time. Every witnessed cell is then re-checked exactly and the expansion is
compared with the exact forward pass at random rational points.

Usage::

    python examples/bench_attention_3x3.py [--seed 3] [--time-limit 300] [--solver-timeout 5]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from fractions import Fraction

from splinesym import expand_model, model_from_dict
from splinesym.cells import check_witness
from splinesym.nn.forward import evaluate_model


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--time-limit", type=float, default=300.0)
    ap.add_argument("--solver-timeout", type=float, default=5.0)
    args = ap.parse_args()
    rng = random.Random(args.seed)

    def M():
        return [[rng.randint(-3, 3) for _ in range(3)] for _ in range(3)]

    model = model_from_dict({"format": "splinesym.model/1", "tokens": 3, "dim": 3,
                             "encoder": [{"self_attention": {"heads": [
                                 {"WQ": M(), "WK": M(), "WV": M()}]}, "residual": False}]})
    t = time.perf_counter()
    sp = expand_model(model, time_limit=args.time_limit, solver_timeout=args.solver_timeout,
                      merge=False)
    secs = time.perf_counter() - t
    c = sp.counts()
    dec = sp.stats["decisions"]
    empty = sum(n for k, n in dec.items() if k.startswith("empty"))
    print(f"ReLU attention 3 tokens x 3 features, seed {args.seed}: {len(sp.breaks)} breaks, "
          f"{2 ** len(sp.breaks)} sign patterns")
    print(f"  witnessed {c.get('witness', 0)}, shown empty {empty} "
          f"(excluding sign-definiteness checks), undecided {c.get('undecided', 0)}")
    print(f"  decided by: {', '.join(f'{k} x{n}' for k, n in sorted(dec.items()))}")
    print(f"  time {secs:.1f} s (budget {args.time_limit:g} s, z3 {args.solver_timeout:g} s/cell)")
    print(f"  complete: {sp.complete}; " + "; ".join(sp.notes))
    ok = all(check_witness(sp.conditions(p.region), p.witness)
             for p in sp.pieces if p.status == "witness")
    pr = random.Random(0)
    agree = 0
    for _ in range(200):
        pt = [Fraction(pr.randint(-999, 999), pr.randint(101, 997)) for _ in range(9)]
        agree += sp.evaluate(pt) == evaluate_model(model, pt)
    print(f"  witnesses re-checked exactly: {ok}; agrees with the forward pass at "
          f"{agree}/200 random rational points; max degree {sp.max_degree()}")
    return 0 if ok and agree == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
