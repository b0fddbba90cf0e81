import random
from fractions import Fraction
from math import comb

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from splinesym.cells import (
    Budget,
    Decider,
    check_farkas,
    check_witness,
    enumerate_cells,
    enumerate_regions,
    zaslavsky_count,
)
from splinesym.cells.linear import farkas_multipliers
from splinesym.poly import PolyRing
from splinesym.region import BreakTable, Region, factor_normalized


def table_of(ring, polys):
    T = BreakTable(ring)
    for p in polys:
        _, f = factor_normalized(ring.parse(p) if isinstance(p, str) else p)
        T.add(f[0][0])
    return T


def random_arrangement(rng, m, n, lo=-5, hi=5):
    R = PolyRing([f"v{i}" for i in range(n)])
    polys = []
    while len(polys) < m:
        co = [rng.randint(lo, hi) for _ in range(n + 1)]
        if not any(co[1:]):
            continue
        terms = {(0,) * n: co[0]}
        for j in range(n):
            e = [0] * n
            e[j] = 1
            terms[tuple(e)] = co[j + 1]
        polys.append(R.from_terms(terms))
    return R, table_of(R, polys)


def test_generic_lines_in_the_plane():
    # n generic lines cut the plane into 1 + n + C(n, 2) regions (Zaslavsky)
    R = PolyRing(["x", "y"])
    lines = [f"{k}*x + {k * k}*y - {k ** 3}" for k in range(1, 7)]
    T = table_of(R, lines)
    assert zaslavsky_count(T.polys, 2) == 1 + 6 + comb(6, 2)
    e = enumerate_regions(Decider(T, Budget()))
    assert len(e.cells) == 22 and e.complete


def test_central_arrangement_braid():
    # the braid arrangement x_i = x_j in R^3 has 3! = 6 regions
    R = PolyRing(["a", "b", "c"])
    T = table_of(R, ["a - b", "a - c", "b - c"])
    e = enumerate_regions(Decider(T, Budget()))
    assert zaslavsky_count(T.polys, 3) == 6 and len(e.cells) == 6 and e.complete


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10**6), st.integers(2, 7), st.integers(1, 3))
def test_random_arrangements_match_zaslavsky(seed, m, n):
    R, T = random_arrangement(random.Random(seed), m, n, -3, 3)
    e = enumerate_regions(Decider(T, Budget()))
    assert e.complete
    assert len(e.cells) == zaslavsky_count(T.polys, n)
    for pat, d in e.cells.items():
        assert d.status == "witness"
        assert check_witness(T.conditions(e.region(pat)), d.witness)


def test_lp_search_agrees_with_fast_path():
    R, T = random_arrangement(random.Random(5), 7, 3)
    fast = enumerate_regions(Decider(T, Budget()))
    slow = enumerate_cells(Decider(T, Budget()), Region(), list(range(len(T))),
                           base_connected=True, affine_fast_path=False)
    assert set(fast.cells) == set(slow.cells)
    for pat, d in slow.empty.items():
        assert d.status == "empty-farkas"
        assert check_farkas(T.conditions(slow.region(pat)), d.multipliers)


def test_farkas_certificate_and_tampering():
    R = PolyRing(["x", "y"])
    conds = [(R.parse("x + y - 1"), 1), (R.parse("x"), -1), (R.parse("y"), -1)]
    lam = farkas_multipliers(conds)
    assert check_farkas(conds, lam)
    bad = list(lam)
    bad[0] += Fraction(1, 7)
    assert not check_farkas(conds, bad)
    assert not check_farkas(conds, [0, 0, 0])


def test_quadric_cells_witness_and_solver():
    R = PolyRing(["x", "y"])
    T = table_of(R, ["x**2 + y**2 - 1", "x - y"])
    d = Decider(T, Budget(solver_timeout=5))
    e = enumerate_regions(d)
    assert len(e.cells) == 4 and e.complete
    for pat, dec in e.cells.items():
        assert check_witness(T.conditions(e.region(pat)), dec.witness)


def test_lift_certifies_quadric_emptiness():
    # x*y > 1 and x*y < -1 cannot both hold: (x*y - 1) - (x*y + 1) = -2
    R = PolyRing(["x", "y"])
    T = table_of(R, ["x*y - 1", "x*y + 1"])
    d = Decider(T, Budget()).decide(Region({0: 1, 1: -1}))
    assert d.status == "empty-farkas" and d.method == "lift"
    assert check_farkas(T.conditions(Region({0: 1, 1: -1})), d.multipliers)


def test_budget_stops_cleanly_and_says_so():
    R, T = random_arrangement(random.Random(2), 6, 2)
    dec = Decider(T, Budget(max_cells=3))
    e = enumerate_cells(dec, Region(), list(range(len(T))), base_connected=True,
                        affine_fast_path=False)
    assert not e.complete and e.stopped and "cell budget" in e.reason
    assert "not examined" in e.reason
    # the wall-crossing search lists its unexplored frontier as undecided
    R, T = random_arrangement(random.Random(2), 8, 2)
    dec = Decider(T, Budget(max_cells=3))
    e = enumerate_cells(dec, Region(), list(range(len(T))), [(0, 0)], base_connected=True,
                        affine_fast_path=False)
    assert not e.complete and e.stopped
    assert any(d.status == "undecided" for d in e.cells.values())


@pytest.mark.slow
def test_ffn_arrangement_12_by_4():
    R, T = random_arrangement(random.Random(12345), 12, 4)
    e = enumerate_regions(Decider(T, Budget()))
    assert len(e.cells) == e.zaslavsky and e.complete
