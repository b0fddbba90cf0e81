"""The spline algebra agrees pointwise with the algebra of its values."""

import random
from fractions import Fraction

import pytest

from splinesym.errors import AmbiguousPointError
from splinesym.spline import Spline


def relu(v):
    return v if v > 0 else Fraction(0)


@pytest.fixture
def f():
    # |x| - y on two pieces
    return Spline.from_pieces(["x", "y"], ["f"], ["x"],
                              [([(0, 1)], ["x - y"]), ([(0, -1)], ["-x - y"])])


@pytest.fixture
def g():
    # relu(x + y - 1) * y
    return Spline.from_pieces(["x", "y"], ["f"], ["x + y - 1"],
                              [([(0, 1)], ["(x + y - 1)*y"]), ([(0, -1)], ["0"])])


def pts(n=150, seed=0):
    rng = random.Random(seed)
    for _ in range(n):
        yield [Fraction(rng.randint(-3000, 3000), rng.randint(101, 997)) for _ in range(2)]


def test_witnesses_found(f, g):
    assert all(p.status == "witness" for p in f.pieces + g.pieces)


@pytest.mark.parametrize("op, fn", [
    ("add", lambda a, b: a + b), ("sub", lambda a, b: a - b), ("mul", lambda a, b: a * b),
    ("max", max), ("min", min)])
def test_binary_operations(f, g, op, fn):
    h = {"add": lambda: f + g, "sub": lambda: f - g, "mul": lambda: f * g,
         "max": lambda: f.maximum(g), "min": lambda: f.minimum(g)}[op]()
    assert h.complete
    for p in pts():
        assert h.evaluate(p) == [fn(f.evaluate(p)[0], g.evaluate(p)[0])]
        assert len(h.locate(p)) == 1


def test_relu_and_merge(f):
    r = f.relu()
    for p in pts():
        assert r.evaluate(p) == [relu(f.evaluate(p)[0])]
    m = (f - f).merge()
    assert len(m.pieces) == 1 and m.breaks == []


def test_compose_with_polynomial_map(f):
    # f(x**2 - y, x + y)
    h = f.compose(["x**2 - y", "x + y"])
    for p in pts():
        x, y = p
        assert h.evaluate(p) == f.evaluate([x * x - y, x + y])


def test_evaluate_on_wall_uses_continuity(f):
    assert f.evaluate([0, 5]) == [Fraction(-5)]
    jump = Spline.from_pieces(["x"], ["f"], ["x"], [([(0, 1)], ["1"]), ([(0, -1)], ["0"])])
    with pytest.raises(AmbiguousPointError):
        jump.evaluate([0])
    assert jump.evaluate([Fraction(-1, 3)]) == [0]
