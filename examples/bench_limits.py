"""How well ``--time-limit`` and Ctrl-C hold, command by command (issue 9).

Runs each command on the heavy example models with ``--time-limit T`` in a real process and
prints the wall time, its ratio to the limit, the exit status and the target (exit 3 within
10 % + 1 s); then sends SIGINT after a few seconds and prints how long the process took to end.

    python examples/bench_limits.py               # T = 20 s
    python examples/bench_limits.py --limit 60 --tree /path/to/another/checkout

Timings depend on the machine's load: say so when you quote them.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
MODELS = HERE / "models"
CASES = [
    ["expand", "--model", "{m}/attention_3x3.json", "--out", "{d}/x.txt"],
    ["certify", "{m}/attention_3x3.json"],
    ["maxmin", "{m}/attention_3x3.json"],
    ["maxmin", "{m}/encoder2.json"],
    ["maxmin", "{m}/transformer.json"],
    ["encode", "{m}/attention_3x3.json", "--verify", "--out", "{d}/e.json"],
    ["encode", "{m}/encoder2.json", "--verify", "--out", "{d}/e2.json"],
]


def run(argv, tree: Path, timeout: float, interrupt_after: float | None = None):
    env = {**os.environ, "PYTHONPATH": str(tree)}
    t0 = time.monotonic()
    p = subprocess.Popen([sys.executable, "-m", "splinesym.cli", *argv], env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    latency = None
    try:
        if interrupt_after is not None:
            try:
                p.wait(timeout=interrupt_after)
            except subprocess.TimeoutExpired:
                t1 = time.monotonic()
                p.send_signal(signal.SIGINT)
                p.wait(timeout=timeout)
                latency = time.monotonic() - t1
        else:
            p.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
    err = p.stderr.read().strip().splitlines()
    return time.monotonic() - t0, p.returncode, (err[-1] if err else ""), latency


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=float, default=20.0)
    ap.add_argument("--tree", type=Path, default=HERE.parent,
                    help="the checkout whose splinesym to run (default: this one)")
    ap.add_argument("--interrupt-after", type=float, default=6.0)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        print(f"--time-limit {a.limit:g} s; target: exit 3 within {a.limit * 1.1 + 1:.1f} s; "
              f"load average {os.getloadavg()[0]:.1f}")
        for case in CASES:
            argv = [x.format(m=MODELS, d=d) for x in case] + ["--time-limit", f"{a.limit:g}"]
            wall, rc, last, _ = run(argv, a.tree, timeout=15 * a.limit)
            ok = rc == 3 and wall <= a.limit * 1.1 + 1
            print(f"{' '.join(case[:2]):<45} {wall:7.1f} s  {wall / a.limit:5.2f}x  exit {rc}"
                  f"  {'ok' if ok else 'MISSED'}  {last[:70]}")
        print(f"Ctrl-C after {a.interrupt_after:g} s:")
        for case in CASES:
            argv = [x.format(m=MODELS, d=d) for x in case]
            _, rc, _, lat = run(argv, a.tree, timeout=60, interrupt_after=a.interrupt_after)
            shown = "finished before" if lat is None else f"{lat:.2f} s"
            print(f"{' '.join(case[:2]):<45} ended in {shown}, exit {rc}")


if __name__ == "__main__":
    main()
