"""How long ``import splinesym`` takes, and what it loads (the target is under 0.3 s).

Each measurement is a fresh interpreter; the median of ``--runs`` runs is printed next to the
cost of the first use of the expansion (which loads numpy, flint, scipy, z3, networkx) and of
``import numpy`` alone, for scale.

Run: ``python examples/bench_import.py [--runs 7]``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys

SNIPPETS = {
    "import splinesym": "import splinesym",
    "import numpy (for scale)": "import numpy",
    "import splinesym + first expansion":
        "import splinesym; splinesym.expand_model(splinesym.default_model())",
}
HEAVY = ("numpy", "flint", "scipy", "z3", "networkx", "sympy", "matplotlib", "torch", "tqdm")


def measure(code: str) -> float:
    prog = ("import time; t0 = time.perf_counter(); " + code
            + "; print(time.perf_counter() - t0)")
    out = subprocess.run([sys.executable, "-c", prog], capture_output=True, text=True,
                         check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    for label, code in SNIPPETS.items():
        ts = [measure(code) for _ in range(args.runs)]
        print(f"{label:36s} median {statistics.median(ts):.3f} s   "
              f"(min {min(ts):.3f}, max {max(ts):.3f}, {args.runs} runs)")
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, splinesym; print(' '.join(m for m in "
         f"{HEAVY!r} if m in sys.modules) or 'none')"],
        capture_output=True, text=True, check=True).stdout.strip()
    print(f"heavy modules loaded by 'import splinesym': {loaded}")
    print("target: import splinesym under 0.3 s")


if __name__ == "__main__":
    main()
