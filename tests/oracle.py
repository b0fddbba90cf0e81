"""Test helpers: random rational points and the spline-vs-oracle comparison.

Import as ``from oracle import assert_matches_oracle`` (pytest puts tests/ on sys.path)."""

from __future__ import annotations

import random
from fractions import Fraction

from splinesym.cells import check_witness
from splinesym.nn.forward import evaluate_model


def random_point(rng: random.Random, n: int, den: int = 997) -> list[Fraction]:
    """Random rationals in [-5, 5] with denominators above 100 (so, off the walls of models
    with small weights, almost surely)."""
    out = []
    for _ in range(n):
        q = rng.randint(101, den)
        out.append(Fraction(rng.randint(-5 * q, 5 * q), q))
    return out


def assert_matches_oracle(model, sp, npoints: int = 200, seed: int = 0) -> None:
    """The expanded spline equals the exact forward pass; each point lies in exactly one piece;
    every witness is inside its region and the piece value there is the forward pass."""
    rng = random.Random(seed)
    n = len(sp.variables)
    for _ in range(npoints):
        pt = random_point(rng, n)
        where = sp.locate(pt)
        on_wall = any(sp.ring.evaluate(b, pt) == 0 for b in sp.breaks)
        if on_wall:  # continuity: every neighbouring piece gives the forward pass
            assert where
        else:
            assert len(where) == 1, f"point {pt} lies in pieces {where}"
        assert sp.evaluate(pt) == evaluate_model(model, pt)
    for p in sp.pieces:
        if p.status == "witness":
            assert check_witness(sp.conditions(p.region), p.witness)
            vals = [sp.ring.evaluate(v, p.witness) for v in p.values]
            assert vals == evaluate_model(model, p.witness)


