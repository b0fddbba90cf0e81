"""Benchmark: the numeric fast path (DESIGN.md §7), printed side by side in one run.

1. Sign evaluations per second: the vectorised forward pass on ReLU attention with 3 tokens x
   3 features (``examples/models/attention_3x3.json``), one process.
2. Degrees by exact interpolation on lines: L-layer encoders (2 tokens x 1 feature) for
   L = 1..4 (bound 3^L; L = 4 must report 81), and the 2-layer 2-head encoder with 4 tokens x 4
   features (``examples/models/encoder_4x4_2head.json``).
3. Serial vs ``--jobs 2`` vs a Dask ``LocalCluster`` (2 worker processes) on the same work: the
   sampled census of 3x3 attention, a degree survey of the 4-layer encoder, and the incremental
   exact expansion of ``examples/models/encoder2.json``; each with its time, the ratio to the
   serial time, and whether the output bytes are identical.

Usage::

    python examples/bench_fastpath.py [--samples 2000000] [--points 40] [--skip-dask]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from splinesym.io.model_io import read_model
from splinesym.nn.model import model_from_dict
from splinesym.nn.zoo import random_model
from splinesym.numeric.batch import batch_forward
from splinesym.numeric.census import cell_census
from splinesym.numeric.degree import degree_survey
from splinesym.numeric.incremental import expand_incremental
from splinesym.numeric.state import state_to_dict

HERE = Path(__file__).resolve().parent


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def sign_rate(model, total: int = 1_000_000, batch: int = 100_000) -> float:
    rng = np.random.default_rng(0)
    n = len(model.variables())
    evals = 0
    t0 = time.perf_counter()
    for _ in range(total // batch):
        _, bits = batch_forward(model, rng.standard_normal((batch, n)))
        evals += bits.size
    return evals / (time.perf_counter() - t0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=2_000_000)
    ap.add_argument("--points", type=int, default=40)
    ap.add_argument("--skip-dask", action="store_true")
    args = ap.parse_args()
    att = read_model(HERE / "models/attention_3x3.json")

    print("== 1. sign evaluations per second (3x3 attention, 9 ReLU arguments per point, "
          "1 process)")
    rate = sign_rate(att)
    print(f"   {rate / 1e6:.2f} M sign evaluations/s (target >= 1 M/s per core)")

    print("== 2. degree by exact interpolation on lines (2 tokens x 1 feature encoders, "
          "20 lines each)")
    print(f"   {'layers':>6} {'bound':>6} {'attained':>9} {'cells':>6} {'seconds':>8}")
    for L in (1, 2, 3, 4):
        m = model_from_dict(random_model("encoder", seed=1, tokens=2, dim=1, layers=L))
        rep, dt = timed(lambda m=m: degree_survey(m, points=20, seed=0))
        print(f"   {L:>6} {rep['bound']['joint']:>6} {rep['attained']['joint']:>9} "
              f"{rep['cells_visited']:>6} {dt:>8.2f}")
    big = read_model(HERE / "models/encoder_4x4_2head.json")
    rep, dt = timed(lambda: degree_survey(big, points=20, seed=0))
    print(f"   4x4, 2 layers, 2 heads: bound {rep['bound']['joint']}, attained "
          f"{rep['attained']['joint']} over {rep['cells_visited']} cells, {dt:.2f} s")

    print("== 3. serial vs --jobs 2 vs Dask LocalCluster (2 workers), same work, same bytes")
    enc4 = model_from_dict(random_model("encoder", seed=1, tokens=2, dim=1, layers=4))
    enc2 = read_model(HERE / "models/encoder2.json")
    work = {
        f"census 3x3 ({args.samples} points)":
            lambda **kw: cell_census(att, samples=args.samples, seed=0, **kw),
        f"degree 4-layer ({args.points} lines)":
            lambda **kw: degree_survey(enc4, points=args.points, seed=0, **kw),
        "incremental expansion encoder2.json":
            lambda **kw: state_to_dict(expand_incremental(enc2, **kw)),
    }
    cluster = None
    if not args.skip_dask:
        from distributed import LocalCluster

        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                               dashboard_address=None)
    print(f"   {'work':<40} {'serial':>8} {'jobs 2':>8} {'ratio':>6} {'dask 2':>8} "
          f"{'ratio':>6}  identical")
    for name, fn in work.items():
        r1, t1 = timed(fn)
        r2, t2 = timed(lambda fn=fn: fn(jobs=2))
        same = json.dumps(r1) == json.dumps(r2)
        if cluster is not None:
            r3, t3 = timed(lambda fn=fn: fn(scheduler=cluster.scheduler_address))
            same = same and json.dumps(r1) == json.dumps(r3)
            dask = f"{t3:>8.2f} {t1 / t3:>6.2f}"
        else:
            dask = f"{'-':>8} {'-':>6}"
        print(f"   {name:<40} {t1:>8.2f} {t2:>8.2f} {t1 / t2:>6.2f} {dask}  {same}")
    if cluster is not None:
        cluster.close()
    print("(times in seconds; ratio = serial / parallel; the machine may be shared: see load)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
