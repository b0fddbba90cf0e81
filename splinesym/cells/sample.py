"""Vectorised sampling and margin optimisation: cheap ways to find witnesses.

Points are dyadic rationals (exact in floating point), so a float sign test that passes is
re-checked exactly at the very same point.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import numpy as np
from scipy.optimize import minimize

from ..poly import FloatEvaluator, Poly
from .decision import check_witness
from .linear import rationalize_point

__all__ = ["SampleCloud", "local_points", "maximize_margin"]


def _dyadic(a: np.ndarray, bits: int) -> np.ndarray:
    s = float(1 << bits)
    return np.round(a * s) / s


class SampleCloud:
    """A fixed cloud of dyadic points with cached float signs of each break.

    Parameters
    ----------
    nvars : int
        Dimension.
    size : int
        Number of points.
    seed : int
        Seed of the generator (results are reproducible).
    """

    def __init__(self, nvars: int, size: int = 20000, seed: int = 0):
        rng = np.random.default_rng(seed)
        parts = []
        q = size // 5
        parts.append(rng.integers(-3, 4, size=(q, nvars)).astype(float))          # small integers
        parts.append(rng.integers(-12, 13, size=(q, nvars)) / 4.0)                 # quarter grid
        g = rng.standard_normal((size - 2 * q, nvars))
        scales = np.array([0.1, 0.5, 1.0, 3.0, 30.0])
        g *= scales[rng.integers(0, len(scales), size=g.shape[0])][:, None]
        parts.append(_dyadic(g, 10))
        self.points = np.vstack(parts) if nvars else np.zeros((1, 0))
        self.nvars = nvars
        self._signs: dict[int, np.ndarray] = {}

    def signs(self, k: int, poly: Poly) -> np.ndarray:
        """Float signs (int8) of break ``k`` at every point (cached)."""
        col = self._signs.get(k)
        if col is None:
            vals = FloatEvaluator([poly], self.nvars)(self.points)[:, 0]
            col = np.sign(vals).astype(np.int8)
            self._signs[k] = col
        return col

    def candidates(self, region_items, polys, limit: int = 6) -> list[int]:
        """Indices of points whose float signs match every ``(k, s)`` of the region."""
        mask = np.ones(self.points.shape[0], dtype=bool)
        for k, s in region_items:
            mask &= self.signs(k, polys[k]) == s
            if not mask.any():
                return []
        return list(np.flatnonzero(mask)[:limit])

    def exact_point(self, i: int) -> tuple[Fraction, ...]:
        return tuple(Fraction(float(v)) for v in self.points[i])


def local_points(center: Sequence[Fraction], count: int, rng: np.random.Generator) -> np.ndarray:
    """Dyadic points around ``center`` at several scales."""
    c = np.array([float(v) for v in center])
    n = c.shape[0]
    scale = max(1.0, float(np.abs(c).max()) if n else 1.0)
    scales = scale * 10.0 ** -rng.integers(0, 6, size=count)
    pts = c + rng.standard_normal((count, n)) * scales[:, None]
    return _dyadic(pts, 30)


def maximize_margin(conditions: Sequence[tuple[Poly, int]], nvars: int,
                    starts: Sequence[np.ndarray], box: float = 100.0,
                    maxiter: int = 200) -> tuple[tuple[Fraction, ...] | None, float]:
    """Maximise ``t`` subject to ``s_k g_k(x) / |g_k| >= t``, ``|x_i| <= box`` (SLSQP), then round.

    Returns a verified rational witness when the optimum has positive margin, and the margin.
    """
    if not conditions:
        return tuple(Fraction(0) for _ in range(nvars)), 1.0
    ev = FloatEvaluator([g for g, _ in conditions], nvars)
    signs = np.array([s for _, s in conditions], dtype=float)
    norms = np.sqrt((ev.coef**2).sum(axis=0))
    norms[norms == 0] = 1.0
    w = signs / norms

    def margins(x):
        return ev(x[None, :])[0] * w

    best_x, best_t = None, -np.inf
    for x0 in starts:
        x0 = np.asarray(x0, dtype=float)
        t0 = float(margins(x0).min())
        z0 = np.append(x0, t0)
        cons = [{"type": "ineq", "fun": lambda z: margins(z[:-1]) - z[-1]}]
        bounds = [(-box, box)] * nvars + [(None, 1.0)]
        try:
            res = minimize(lambda z: -z[-1], z0, method="SLSQP", constraints=cons, bounds=bounds,
                           options={"maxiter": maxiter, "ftol": 1e-12})
            x = res.x[:-1]
        except (ValueError, FloatingPointError):
            x = x0
        t = float(margins(x).min())
        if t > best_t:
            best_x, best_t = x, t
        if best_t > 1e-3:
            break
    if best_x is None or best_t <= 0:
        return None, float(best_t)
    pt = rationalize_point(best_x, conditions)
    if pt is not None and check_witness(conditions, pt):
        return pt, float(best_t)
    return None, float(best_t)
