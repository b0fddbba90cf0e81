"""Sage baseline: time region enumeration of a hyperplane arrangement.

Runs only inside a Python environment that has SageMath's polyhedral code,
e.g. the ``passagemath-polyhedra`` distribution from PyPI::

    python3 -m venv /tmp/sagevenv
    /tmp/sagevenv/bin/pip install passagemath-polyhedra
    /tmp/sagevenv/bin/python examples/bench_sage_arrangement.py FILE.json [REPEATS]

FILE.json has the form ``{"dim": 4, "hyperplanes": [[b, a1, a2, a3, a4], ...]}``
where each row is the hyperplane ``b + a1*x1 + ... + a_dim*x_dim = 0`` with
integer (or rational, as strings like ``"1/2"``) coefficients.  REPEATS
(default 3) is how many times ``regions()`` is timed; each repetition builds a
fresh arrangement, because Sage caches ``regions()`` on the arrangement.

Prints one JSON line::

    {"regions": N, "n_regions_formula": M, "best_s": ..., "median_s": ...,
     "sage_version": ..., ...}

where ``N = len(A.regions())`` and ``M = |chi_A(-1)|`` (Zaslavsky's count from
the characteristic polynomial).  Note that Sage silently drops duplicate
hyperplanes (including positive/negative rescalings of the same hyperplane);
``n_hyperplanes`` in the output is the count after that.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time


def _fail(msg: str, code: int = 2) -> None:
    print(f"bench_sage_arrangement: error: {msg}", file=sys.stderr)
    sys.exit(code)


def _import_sage():
    """Import the Sage pieces we need, with a clear message when missing."""
    try:
        # Initialise the modular Sage library first: importing only the
        # arrangement module leaves parts of sage.rings uninitialised, and
        # building an arrangement then fails with
        # "AttributeError: module 'sage.rings' has no attribute 'real_double'".
        import sage.all__sagemath_polyhedra  # noqa: F401
        from sage.geometry.hyperplane_arrangement.arrangement import (
            HyperplaneArrangements,
        )
        from sage.rings.rational_field import QQ
    except ImportError as exc:
        _fail(
            f"cannot import Sage's hyperplane arrangements ({exc}).\n"
            "Run this script with the Python of a venv that has "
            "passagemath-polyhedra installed, e.g.\n"
            "  python3 -m venv /tmp/sagevenv && "
            "/tmp/sagevenv/bin/pip install passagemath-polyhedra\n"
            "  /tmp/sagevenv/bin/python examples/bench_sage_arrangement.py "
            "FILE.json"
        )
    try:
        from sage.version import version as sage_version
    except ImportError:
        sage_version = "unknown"
    return HyperplaneArrangements, QQ, sage_version


def _load(path: str) -> tuple[int, list[list]]:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, json.JSONDecodeError) as exc:
        _fail(f"cannot read {path!r}: {exc}")
    if not isinstance(data, dict) or "hyperplanes" not in data:
        _fail('input must be a JSON object with keys "dim" and "hyperplanes"')
    rows = data["hyperplanes"]
    if not isinstance(rows, list):
        _fail('"hyperplanes" must be a list of coefficient lists')
    dim = data.get("dim")
    if dim is None:
        if not rows:
            _fail('"dim" is required when "hyperplanes" is empty')
        dim = len(rows[0]) - 1
    if not isinstance(dim, int) or dim < 1:
        _fail(f'"dim" must be a positive integer, got {dim!r}')
    for i, row in enumerate(rows):
        if not isinstance(row, list) or len(row) != dim + 1:
            _fail(f"hyperplane {i} must be a list of dim+1 = {dim + 1} numbers")
    return dim, rows


def _build(H, QQ, rows: list[list], backend: str | None):
    """Build the arrangement ``b + a.x = 0`` for each row ``[b, a1..ad]``."""
    try:
        hyps = []
        for i, row in enumerate(rows):
            coeffs = [QQ(c) for c in row]
            if all(c == 0 for c in coeffs[1:]):
                _fail(f"hyperplane {i} has zero normal vector: {row}")
            # Sage reads a coefficient list as [constant, a1, ..., ad].
            hyps.append(coeffs)
        if backend is None:
            return H(*hyps)
        return H(*hyps, backend=backend)
    except Exception as exc:  # noqa: BLE001 - report any Sage failure
        _fail(f"Sage could not build the arrangement: {exc!r}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="Time Sage's HyperplaneArrangement.regions() (baseline)."
    )
    ap.add_argument("file", help='JSON {"dim": d, "hyperplanes": [[b, a1..ad], ...]}')
    ap.add_argument("repeats", nargs="?", type=int, default=3, help="default 3")
    ap.add_argument(
        "--backend",
        default=None,
        help="Sage polyhedron backend (e.g. ppl, cdd, field); default: Sage's",
    )
    args = ap.parse_args(argv)
    if args.repeats < 1:
        _fail("REPEATS must be >= 1")

    HyperplaneArrangements, QQ, sage_version = _import_sage()
    dim, rows = _load(args.file)
    names = tuple(f"x{i}" for i in range(1, dim + 1))
    H = HyperplaneArrangements(QQ, names)

    times = []
    regions = None
    A = None
    for _ in range(args.repeats):
        A = _build(H, QQ, rows, args.backend)  # fresh: regions() is cached
        t0 = time.perf_counter()
        try:
            regions = A.regions()
        except Exception as exc:  # noqa: BLE001 - report any Sage failure
            _fail(f"A.regions() failed: {exc!r}", code=1)
        times.append(time.perf_counter() - t0)

    t0 = time.perf_counter()
    try:
        formula = abs(int(A.n_regions()))
    except Exception as exc:  # noqa: BLE001 - fall back to chi(-1) directly
        try:
            formula = abs(int(A.characteristic_polynomial()(-1)))
        except Exception as exc2:  # noqa: BLE001
            _fail(
                f"n_regions() failed ({exc!r}) and characteristic_polynomial()"
                f"(-1) failed ({exc2!r})",
                code=1,
            )
    formula_s = time.perf_counter() - t0

    try:
        backend_used = regions[0].backend() if regions else args.backend
    except Exception:  # noqa: BLE001 - informational only
        backend_used = args.backend

    out = {
        "regions": len(regions),
        "n_regions_formula": formula,
        "best_s": min(times),
        "median_s": statistics.median(times),
        "sage_version": sage_version,
        "dim": dim,
        "n_hyperplanes_input": len(rows),
        "n_hyperplanes": A.n_hyperplanes(),
        "repeats": args.repeats,
        "times_s": times,
        "n_regions_formula_s": formula_s,
        "backend": backend_used,
    }
    print(json.dumps(out))
    if out["regions"] != formula:
        print(
            "bench_sage_arrangement: warning: len(regions()) != |chi(-1)|",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
