"""Benchmark: expanding 2-layer ReLU encoders, splinesym against hand-written sympy.

Three measurements, printed as they finish:

1. splinesym expands the 2-layer encoder of ``examples/models/encoder2.json`` (2 tokens x 1
   feature, FFN width 2, residuals) completely: every cell witnessed by an exact rational point,
   every empty sign pattern shown empty (Farkas multipliers, or z3), checked against the exact
   forward pass at random rational points. The target is under 30 s on a 2-core machine.
2. The same model written by hand with sympy -- ``relu(e) = Piecewise((e, e > 0), (0, True))``
   through the same forward pass, then ``piecewise_fold`` on every output -- run in a subprocess
   with a time limit (default 300 s). The 1-layer encoder is run the same way for scale.
3. A 2-layer encoder with 2 tokens x 2 features (random integer weights, FFN width 2) within a
   time limit: how far the expansion gets (stage by stage: cells in and out, sign patterns
   examined), and the cells witnessed / shown empty / undecided.

Usage::

    python examples/bench_encoder.py [--time-limit 300] [--sympy-timeout 300] [--skip-sympy]
                                     [--seed-2x2 0] [--model examples/models/encoder2.json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


# ----------------------------------------------------------------------------------------------
# the hand-written sympy expansion (run in a subprocess)
def sympy_expand(model_path: str, layers: int | None) -> None:
    """Forward pass of the model with sympy Piecewise, then piecewise_fold; prints a summary."""
    from fractions import Fraction

    import sympy as S

    d = json.loads(Path(model_path).read_text())
    if layers is not None:
        d["encoder"] = d["encoder"][:layers]
    n, k = d["tokens"], d["dim"]

    def M(rows):
        return S.Matrix([[S.Rational(str(Fraction(v))) for v in r] for r in rows])

    def relu(e):
        return S.Piecewise((e, e > 0), (0, True))

    X = S.Matrix(n, k, lambda i, j: S.Symbol(f"x{i + 1}_{j + 1}"))
    Z = X
    t0 = time.perf_counter()
    def progress(what):
        print(f"sympy: {what} built after {time.perf_counter() - t0:.2f} s", flush=True)

    for li, b in enumerate(d["encoder"], start=1):
        res = b.get("residual", True)
        if "self_attention" in b:
            att = b["self_attention"]
            outs = []
            for h in att["heads"]:
                Q, K, V = Z * M(h["WQ"]), Z * M(h["WK"]), Z * M(h["WV"])
                A = (Q * K.T).applyfunc(relu)
                outs.append(A * V)
            H = S.Matrix.hstack(*outs)
            if "WO" in att:
                H = H * M(att["WO"])
            Z = Z + H if res else H
            progress(f"layer {li} attention")
        if "ffn" in b:
            f = b["ffn"]
            P = Z * M(f["W1"])
            if "b1" in f:
                P = P + S.ones(n, 1) * M([f["b1"]])
            F = P.applyfunc(relu) * M(f["W2"])
            if "b2" in f:
                F = F + S.ones(n, 1) * M([f["b2"]])
            Z = Z + F if res else F
            progress(f"layer {li} FFN")
    t1 = time.perf_counter()
    print(f"sympy: forward pass built in {t1 - t0:.2f} s", flush=True)
    folded = []
    for i, e in enumerate(Z):
        folded.append(S.piecewise_fold(e))
        print(f"sympy: output {i + 1} of {len(Z)} folded after {time.perf_counter() - t1:.2f} s "
              f"({len(folded[-1].args) if isinstance(folded[-1], S.Piecewise) else 1} branches)",
              flush=True)
    print(f"sympy: piecewise_fold of every output done in {time.perf_counter() - t1:.2f} s "
          f"(total {time.perf_counter() - t0:.2f} s)", flush=True)


def _children_cpu() -> float:
    import resource

    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def run_sympy(model_path: Path, layers: int | None,
              timeout: float) -> tuple[str, float, float, str]:
    """Run :func:`sympy_expand` in a subprocess killed after ``timeout`` wall-clock seconds.

    Returns the status, the wall-clock seconds, the CPU seconds the subprocess used, its output.
    """
    cmd = [sys.executable, str(Path(__file__).resolve()), "--sympy-worker", str(model_path)]
    if layers is not None:
        cmd += ["--layers", str(layers)]
    t, c = time.perf_counter(), _children_cpu()
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                           env={**os.environ, "PYTHONHASHSEED": "0"})
        status = "finished" if r.returncode == 0 else f"failed (exit {r.returncode})"
        out = (r.stdout + r.stderr).strip()
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        status = "TIMEOUT (killed)"
    return status, time.perf_counter() - t, _children_cpu() - c, out.strip()


# ----------------------------------------------------------------------------------------------
def report_expansion(title: str, model, sp, wall: float, cpu: float) -> None:
    from splinesym.nn.expand import attained_degree

    c = sp.counts()
    dec = sp.stats["decisions"]
    empty = sum(v for k, v in dec.items() if k.startswith("empty"))
    print(f"{title}")
    print(f"  wall {wall:.1f} s, CPU {cpu:.1f} s; complete: {'yes' if sp.complete else 'NO'}")
    print(f"  {len(sp.pieces)} cells after merging ({sp.stats['cells_before_merge']} before): "
          f"{c.get('witness', 0)} witnessed, {c.get('undecided', 0)} undecided; "
          f"{empty} sign patterns shown empty; {sp.stats['patterns_examined']} patterns examined")
    print("  decided by: " + ", ".join(f"{k} x{n}" for k, n in sorted(dec.items())))
    print(f"  {len(sp.breaks)} breaks; degree attained {attained_degree(sp, model)}, structural "
          f"bound {sp.stats['structural_degree']}")
    print("  stages: cells in -> out (input cells left unexpanded), patterns, seconds")
    for s in sp.stats["stages"]:
        left = s.get("cells_not_expanded", 0)
        print(f"    {s['stage']:<36s} {s['cells_in']:>6d} -> {s['cells_out']:<6d} "
              f"({left:>4d}) {s['patterns']:>7d} {s['seconds']:>8.1f}"
              + ("" if s["budget_left"] else "   (budget used up)"))
    unexp = getattr(sp, "unexpanded", None)
    if unexp:
        print(f"  {len(unexp)} region(s) not fully expanded when the budget ran out")
    for note in sp.notes[:4]:
        print(f"  note: {note[:160]}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=str(HERE / "models" / "encoder2.json"))
    ap.add_argument("--time-limit", type=float, default=300.0,
                    help="seconds for the 2 x 2 encoder (default 300)")
    ap.add_argument("--sympy-timeout", type=float, default=300.0)
    ap.add_argument("--skip-sympy", action="store_true")
    ap.add_argument("--seed-2x2", type=int, default=0)
    ap.add_argument("--sympy-worker", metavar="MODEL", help=argparse.SUPPRESS)
    ap.add_argument("--layers", type=int, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.sympy_worker:
        sympy_expand(args.sympy_worker, args.layers)
        return 0

    import random

    from splinesym import expand_model, read_model
    from splinesym.nn.expand import verify_expansion
    from splinesym.nn.model import model_from_dict
    from splinesym.nn.zoo import random_model

    print(f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}")
    try:
        print(f"load average: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    except OSError:
        pass

    # 1. ours, the 2 x 1 encoder
    model = read_model(args.model)
    w, c = time.perf_counter(), time.process_time()
    sp = expand_model(model, time_limit=600)
    wall, cpu = time.perf_counter() - w, time.process_time() - c
    report_expansion(f"\n[1] splinesym: 2-layer encoder {args.model} (2 tokens x 1 feature, "
                     "FFN width 2)", model, sp, wall, cpu)
    r = verify_expansion(model, sp, points=300, seed=1)
    print(f"  checked at {r['points']} random rational points against the exact forward pass: "
          f"{len(r['mismatches'])} mismatches, pieces per point {r['located']}; "
          f"{r['witnesses_checked'] - r['witnesses_failed']}/{r['witnesses_checked']} "
          "witnesses verified exactly")
    all_decided = sp.complete and all(p.status == "witness" for p in sp.pieces)
    print(f"  RESULT: {'complete, all cells decided' if all_decided else 'NOT complete'} in "
          f"{wall:.1f} s wall ({'under' if wall < 30 else 'OVER'} the 30 s target)")

    # 2. sympy Piecewise + piecewise_fold, same model, in a subprocess
    if not args.skip_sympy:
        for layers, timeout in ((1, args.sympy_timeout), (None, args.sympy_timeout)):
            what = "1-layer encoder (first block only)" if layers == 1 else "2-layer encoder"
            print(f"\n[2] sympy Piecewise + piecewise_fold, {what}, timeout {timeout:g} s ...",
                  flush=True)
            status, secs, cpu_s, out = run_sympy(Path(args.model), layers, timeout)
            for line in out.splitlines()[-6:]:
                print(f"  {line}")
            if status.startswith("TIMEOUT") and "forward pass built" not in out:
                print("  (sympy's Piecewise constructor folds nested Piecewise conditions itself: "
                      "building the forward pass did not finish)")
            elif status.startswith("TIMEOUT"):
                print("  (the forward pass was built; piecewise_fold did not finish)")
            print(f"  RESULT: {status} after {secs:.1f} s wall ({cpu_s:.1f} s CPU)")
        print(f"  (splinesym, for comparison: {wall:.1f} s wall, {cpu:.1f} s CPU for the complete "
              "2-layer expansion)")

    # 3. the 2 x 2 encoder within a time limit
    d = random_model("encoder", seed=args.seed_2x2, tokens=2, dim=2, layers=2, hidden=2)
    m22 = model_from_dict(d)
    print(f"\n[3] splinesym: 2-layer encoder, 2 tokens x 2 features, FFN width 2 (random integer "
          f"weights in -3..3, seed {args.seed_2x2}), time limit {args.time_limit:g} s ...",
          flush=True)
    w, c = time.perf_counter(), time.process_time()
    sp22 = expand_model(m22, time_limit=args.time_limit, solver_timeout=5)
    wall, cpu = time.perf_counter() - w, time.process_time() - c
    report_expansion("  result:", m22, sp22, wall, cpu)
    if sp22.pieces:
        rng = random.Random(0)
        r = verify_expansion(m22, sp22, points=100, seed=rng.randint(0, 99))
        print(f"  the pieces found agree with the forward pass at {r['points']} points where "
              f"they apply: located {r['located']}, mismatches {len(r['mismatches'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
