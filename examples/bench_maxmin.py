"""Benchmark of the max–min constructions and the encoder compiler.

Part 1 prints, for every test instance, the size of the max–min (terms and entries before and
after pruning), the encoder (blocks, heads, stream width, FFN hidden units) and the times of each
step (construction, certification, compilation, exact forward pass at random points, round trip).

Part 2 compares with the only other converter known to us, which turns a continuous
piecewise-linear (CPWL) function into a ReLU network in floating point: 32 pieces in 100
dimensions in about 1.9 s. Here, on inputs of that size:

* (a) a table of 32 affine pieces in 100 variables (f = max of 32 affine functions, each piece
  given by its 31 strict inequalities): Ovchinnikov's construction with exact LP decisions, exact
  certification piece by piece, compilation to an encoder, and the encoder's exact forward pass at
  random rational points;
* (b) a non-convex CPWL function given as a max–min of 32 affine functions in 100 variables
  (max of 8 mins of 4): compilation and exact forward pass at random rational points;
* (c) a non-convex CPWL function with 32 pieces: a ReLU network 100 → 5 → 1 expanded exactly,
  then the same pipeline as (a).

Part 3 (``--part 3``) measures the complete construction for hyperplane partitions
(:mod:`splinesym.lattice.hyperplane`) on random continuous tables of growing size (breaks 2 → 6,
variables 1 → 3, degree 1 → 3; :mod:`splinesym.lattice.random_tables`): cells, terms and entries
without pruning (one term per cell, one gallery separator per pair of cells with different
polynomials) and with it (piece polynomials first where exact proofs allow, shared separators, a
greedy cover of tops), distinct polynomials, degree, the time to build the max–min with its
certificate and to re-verify it independently, and the encoder (blocks, heads, stream width, FFN
hidden units); the round trip by expansion for the small ones (``--full``: also degree 2 in two
variables, about two minutes each).

Everything here is exact rational arithmetic. Run: ``python examples/bench_maxmin.py``
(``--full`` adds the round trip of the encoder block, about a minute; ``--points N`` sets the
number of exact forward passes in part 2).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from fractions import Fraction
from pathlib import Path

from splinesym.cells.decision import WITNESS
from splinesym.lattice.api import build_maxmin, encode
from splinesym.lattice.certify import certify_maxmin
from splinesym.lattice.compile import check_points, compile_maxmin
from splinesym.lattice.expr import MaxMin
from splinesym.lattice.ovchinnikov import ovchinnikov_maxmin
from splinesym.nn.forward import evaluate_model
from splinesym.nn.model import model_from_dict
from splinesym.poly import PolyRing
from splinesym.region import Region, factor_normalized
from splinesym.spline import Piece, Spline

BASELINE = 1.9  # seconds: CPWL -> ReLU network in floating point, 32 pieces in 100 dimensions

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))


def instances():
    from test_lattice import ABS_MODEL, ATT, BLOCK, RELU_XY, SQUARE, natural_cubic, random_ffn

    yield "x^2 | 2x^2 (table)", "spline", SQUARE, "table"
    yield "x^2 | 2x^2 (univariate)", "spline", SQUARE, "univariate"
    yield "ReLU(x)*y (hyperplane)", "spline", RELU_XY, "auto"
    yield "|x|+|y|-|x-y| (lattice)", "model", model_from_dict(ABS_MODEL), "lattice"
    yield "|x|+|y|-|x-y| (ovchinnikov)", "model", model_from_dict(ABS_MODEL), "ovchinnikov"
    yield "random CPWL 2 vars (lattice)", "model", random_ffn(2, 4, 11), "lattice"
    yield "random CPWL 3 vars (ovchinnikov)", "model", random_ffn(3, 3, 12), "ovchinnikov"
    yield "C2 cubic, 6 knots (univariate)", "spline", natural_cubic(
        [Fraction(v) for v in (0, 2, -1, 3, 1, 4)]), "auto"
    yield "attention 2 tokens x 1 (lattice)", "model", model_from_dict(ATT), "lattice"
    yield "encoder block 2 x 1 (lattice)", "model", model_from_dict(BLOCK), "lattice"


def part1(full: bool) -> None:
    hdr = (f"{'instance':34} {'terms':>11} {'entries':>11} {'deg':>3} {'blk':>3} {'heads':>5} "
           f"{'width':>5} {'hid':>4} {'build':>6} {'cert':>6} {'comp':>6} {'pts':>6} {'rt':>7}")
    print(hdr)
    print("-" * len(hdr))
    for name, kind, obj, method in instances():
        res = build_maxmin(kind, obj, method=method, solver_timeout=2.0)
        st = res.maxmin.stats
        sz = res.maxmin.size()
        do_rt = full or "block" not in name
        enc = encode(res, verify=do_rt, points=30)
        i = enc.info
        terms = f"{st.get('terms_before', sz['terms'])}->{sz['terms']}"
        ents = f"{st.get('entries_before', sz['entries'])}->{sz['entries']}"
        sec = res.seconds
        rt = (f"{enc.seconds['roundtrip']:.2f}" if enc.roundtrip and enc.roundtrip["equal"]
              else ("FAIL" if enc.roundtrip else "skip"))
        print(f"{name:34} {terms:>11} {ents:>11} {sz['max_degree']:>3} {i['blocks']:>3} "
              f"{i['heads']:>5} {i['width']:>5} {i['hidden']:>4} "
              f"{sec.get('construct', 0):6.2f} {sec.get('certify', 0):6.2f} "
              f"{enc.seconds['compile']:6.3f} {enc.seconds['points']:6.2f} {rt:>7}")
        if not res.certified:
            print(f"   {res.status()}")
    print("terms/entries: before -> after pruning; times in seconds (build = construction, "
          "cert = certification, comp = compilation, pts = exact forward pass at 30 points, "
          "rt = round trip by expansion; 'skip': run with --full)")


def convex_table(n: int, k: int, seed: int) -> Spline:
    """f = max_i (a_i.x - |a_i|^2/2): piece i is where l_i is the largest (witness x = a_i)."""
    rng = random.Random(seed)
    names = [f"x{i}" for i in range(1, n + 1)]
    R = PolyRing(names)
    gens = R.gens()
    A = [[rng.randint(-5, 5) for _ in range(n)] for _ in range(k)]
    ls = []
    for a in A:
        p = R.const(Fraction(-sum(v * v for v in a), 2))
        for g, v in zip(gens, a, strict=True):
            if v:
                p += g * v
        ls.append(p)
    breaks, index = [], {}
    pieces = []
    for i in range(k):
        reg = {}
        for j in range(k):
            if j == i:
                continue
            c, fs = factor_normalized(ls[i] - ls[j])
            (f, _), = fs
            key = str(f)
            if key not in index:
                index[key] = len(breaks)
                breaks.append(f)
            reg[index[key]] = 1 if c > 0 else -1
        w = tuple(Fraction(v) for v in A[i])
        pieces.append(Piece(Region(reg), (ls[i],), w, WITNESS))
    return Spline(R, names, ["f"], breaks, pieces, [[] for _ in breaks])


def random_maxmin(n: int, groups: int, size: int, seed: int) -> MaxMin:
    rng = random.Random(seed)
    R = PolyRing([f"x{i}" for i in range(1, n + 1)])
    gens = R.gens()
    terms = []
    for _ in range(groups):
        t = []
        for _ in range(size):
            p = R.const(rng.randint(-9, 9))
            for g in gens:
                c = rng.randint(-3, 3)
                if c:
                    p += g * c
            t.append(p)
        terms.append(t)
    return MaxMin(R, ["f"], [terms], "given")


def part2(points: int) -> None:
    n, k = 100, 32
    print(f"\nCPWL with {k} affine pieces in {n} variables (baseline: floating-point CPWL -> "
          f"ReLU network, about {BASELINE} s)")
    # (a) table -> Ovchinnikov -> certificate -> encoder -> exact forward pass
    t0 = time.monotonic()
    sp = convex_table(n, k, 1)
    t_table = time.monotonic() - t0
    t0 = time.monotonic()
    mm = ovchinnikov_maxmin(sp)
    t_ovch = time.monotonic() - t0
    t0 = time.monotonic()
    cert = certify_maxmin(mm, sp, solver_timeout=0)
    t_cert = time.monotonic() - t0
    t0 = time.monotonic()
    model, info = compile_maxmin(cert.maxmin)
    t_comp = time.monotonic() - t0
    t0 = time.monotonic()
    rng = random.Random(5)
    for _ in range(points):
        pt = [Fraction(rng.randint(-400, 400), rng.randint(1, 9)) for _ in range(n)]
        assert evaluate_model(model, pt) == sp.evaluate(pt)
    t_pts = time.monotonic() - t0
    conv = t_ovch + t_comp
    print(f"(a) table of {len(sp.pieces)} pieces, {len(sp.breaks)} breaks: Ovchinnikov "
          f"{t_ovch:.3f} s ({mm.stats.get('lps', 0)} LPs; witnesses decide the rest), max-min "
          f"{mm.size()['terms']} terms / {mm.size()['entries']} entries; certification "
          f"{'OK' if cert.certified else 'FAILED'} in {t_cert:.3f} s; encoder {info['blocks']} "
          f"blocks, {info['heads']} heads, width {info['width']}, {info['hidden']} hidden, "
          f"compiled in {t_comp:.3f} s; exact forward pass = table at {points} random "
          f"rational points in {t_pts:.2f} s")
    print(f"    conversion (construction + compilation): {conv:.3f} s = {conv / BASELINE:.3f} x "
          f"the baseline; with exact certification: {conv + t_cert:.3f} s = "
          f"{(conv + t_cert) / BASELINE:.3f} x (table built in {t_table:.2f} s)")
    # (c) a non-convex CPWL function with 32 pieces from a ReLU network (5 hidden units)
    rng = random.Random(3)
    W1 = [[rng.randint(-3, 3) for _ in range(5)] for _ in range(n)]
    net = model_from_dict({"format": "splinesym.model/1", "tokens": 1, "dim": n, "encoder": [
        {"ffn": {"W1": W1, "b1": [rng.randint(-2, 2) for _ in range(5)],
                 "W2": [[2], [-1], [3], [-2], [1]]}, "residual": False}]})
    from splinesym.nn.expand import expand_model

    t0 = time.monotonic()
    sp3 = expand_model(net, merge=False)
    t_exp = time.monotonic() - t0
    t0 = time.monotonic()
    mm3 = ovchinnikov_maxmin(sp3)
    t_ovch3 = time.monotonic() - t0
    t0 = time.monotonic()
    cert3 = certify_maxmin(mm3, sp3, solver_timeout=0)
    t_cert3 = time.monotonic() - t0
    t0 = time.monotonic()
    model3, info3 = compile_maxmin(cert3.maxmin)
    t_comp3 = time.monotonic() - t0
    t0 = time.monotonic()
    rng = random.Random(6)
    for _ in range(points):
        pt = [Fraction(rng.randint(-400, 400), rng.randint(1, 9)) for _ in range(n)]
        assert evaluate_model(model3, pt) == evaluate_model(net, pt) == sp3.evaluate(pt)
    t_pts3 = time.monotonic() - t0
    conv3 = t_ovch3 + t_comp3
    print(f"(c) non-convex: a ReLU network 100 -> 5 -> 1, expanded exactly into "
          f"{len(sp3.pieces)} affine pieces in {t_exp:.2f} s: Ovchinnikov {t_ovch3:.3f} s "
          f"({mm3.stats.get('lps', 0)} LPs after exact pivot-block decisions), max-min "
          f"{mm3.size()['terms']} terms / {mm3.size()['entries']} entries; certification "
          f"{'OK' if cert3.certified else 'FAILED'} in {t_cert3:.3f} s; encoder "
          f"{info3['blocks']} blocks, width {info3['width']}, {info3['hidden']} hidden, compiled "
          f"in {t_comp3:.3f} s; exact forward pass = network = table at {points} points in "
          f"{t_pts3:.2f} s")
    print(f"    conversion (construction + compilation): {conv3:.3f} s = "
          f"{conv3 / BASELINE:.3f} x the baseline; with exact certification: "
          f"{conv3 + t_cert3:.3f} s = {(conv3 + t_cert3) / BASELINE:.3f} x")
    # (b) a given non-convex max-min
    mm2 = random_maxmin(n, 8, 4, 2)
    t0 = time.monotonic()
    model2, info2 = compile_maxmin(mm2)
    t_comp2 = time.monotonic() - t0
    t0 = time.monotonic()
    check_points(model2, mm2, points, seed=3)
    t_pts2 = time.monotonic() - t0
    print(f"(b) max of 8 mins of 4 affine functions (32 pieces' functions): compiled in "
          f"{t_comp2:.3f} s = {t_comp2 / BASELINE:.4f} x the baseline; encoder "
          f"{info2['blocks']} blocks, {info2['heads']} heads, width {info2['width']}, "
          f"{info2['hidden']} hidden; exact forward pass = max-min at {points} random rational "
          f"points in {t_pts2:.2f} s")


def part3(full: bool, sizes=None) -> None:
    from splinesym.io.spline_io import spline_to_dict
    from splinesym.lattice.api import BuildResult
    from splinesym.lattice.certify import verify_maxmin_claim
    from splinesym.lattice.hyperplane import hyperplane_maxmin
    from splinesym.lattice.random_tables import random_spline_table

    hdr = (f"{'n':>1} {'m':>1} {'d':>1} {'cells':>5} {'pcs':>4} {'terms':>9} {'entries':>11} "
           f"{'dist':>5} {'deg':>3} {'raw s':>6} {'build':>6} {'check':>6} {'blk':>3} "
           f"{'heads':>5} {'width':>5} {'hid':>5} {'rt':>7}")
    print(hdr)
    print("-" * len(hdr))
    sizes = sizes or [(n, m, d) for n in (1, 2, 3) for d in (1, 2, 3) for m in (2, 3, 4, 5, 6)]
    for n, m, d in sizes:
        sp = random_spline_table(n, m, d, seed=1000 + 100 * n + 10 * m + d, kind="generic")
        t0 = time.monotonic()
        raw, _ = hyperplane_maxmin(sp, prune=False, pieces_first=False)
        t_raw = time.monotonic() - t0
        t0 = time.monotonic()
        mm, cert = hyperplane_maxmin(sp)
        t_build = time.monotonic() - t0
        t0 = time.monotonic()
        subject = {"spline": spline_to_dict(sp)}
        ok = all(verify_maxmin_claim(c, subject)[0] == "checked" for c in cert.claims)
        t_check = time.monotonic() - t0
        small = n == 1 or (d == 1 and m <= 4) or (full and n == 2 and d == 2 and m <= 3)
        enc = encode(BuildResult(mm, sp, "hyperplane", cert), verify=small, points=0,
                     time_limit=900)
        i = enc.info
        rt = ("skip" if enc.roundtrip is None else
              f"{enc.seconds['roundtrip']:.1f}" if enc.roundtrip["equal"] else "FAIL")
        a, b = raw.size(), mm.size()
        print(f"{n:>1} {m:>1} {d:>1} {mm.stats['cells']:>5} {len(sp.pieces):>4} "
              f"{a['terms']:>4}->{b['terms']:<4} {a['entries']:>5}->{b['entries']:<5} "
              f"{b['distinct_polynomials']:>5} {b['max_degree']:>3} {t_raw:6.2f} {t_build:6.2f} "
              f"{t_check:6.2f} {i['blocks']:>3} {i['heads']:>5} {i['width']:>5} {i['hidden']:>5} "
              f"{rt:>7}{'' if ok else '  CHECK FAILED'}", flush=True)
    print("n variables, m breaks (generic random integer planes), d degree; terms/entries: "
          "without -> with pruning; dist = distinct polynomials; raw s = unpruned build; build = "
          "pruned build with its certificate; check = independent re-verification; rt = round "
          "trip by expansion in seconds ('skip': not run)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--full", action="store_true", help="also round-trip the encoder block")
    ap.add_argument("--points", type=int, default=20, help="exact forward passes in part 2")
    ap.add_argument("--part", choices=("1", "2", "3", "all"), default="all")
    a = ap.parse_args(argv)
    if a.part in ("1", "all"):
        part1(a.full)
    if a.part in ("2", "all"):
        part2(a.points)
    if a.part in ("3", "all"):
        part3(a.full)
    return 0


if __name__ == "__main__":
    sys.exit(main())
