"""Vectorised sampling and margin optimisation: cheap ways to find witnesses.

Points are dyadic rationals (exact in floating point), so a float sign test that passes is
re-checked exactly at the very same point.
"""

from __future__ import annotations

import time
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
    """A cloud of dyadic points with cached, normalised float values of each break.

    Parameters
    ----------
    nvars : int
        Dimension.
    size : int
        Initial number of points (:meth:`extend` adds more on demand).
    seed : int
        Seed of the generator (results are reproducible).
    """

    def __init__(self, nvars: int, size: int = 20000, seed: int = 0):
        self.rng = np.random.default_rng(seed)
        rng = self.rng
        parts = []
        q = size // 5
        parts.append(rng.integers(-3, 4, size=(q, nvars)).astype(float))          # small integers
        parts.append(rng.integers(-12, 13, size=(q, nvars)) / 4.0)                 # quarter grid
        parts.append(self._gaussian(size - 2 * q, nvars))
        self.points = np.vstack(parts) if nvars else np.zeros((1, 0))
        self.nvars = nvars
        self._values: dict[int, np.ndarray] = {}

    def _gaussian(self, count: int, nvars: int) -> np.ndarray:
        g = self.rng.standard_normal((count, nvars))
        scales = np.array([0.1, 0.5, 1.0, 3.0, 30.0])
        g *= scales[self.rng.integers(0, len(scales), size=g.shape[0])][:, None]
        return _dyadic(g, 10)

    def __len__(self) -> int:
        return self.points.shape[0]

    def extend(self, size: int) -> None:
        """Grow the cloud to ``size`` points (Gaussian at several scales)."""
        if size > len(self) and self.nvars:
            self.points = np.vstack([self.points, self._gaussian(size - len(self), self.nvars)])

    def values(self, k: int, poly: Poly) -> np.ndarray:
        """Float values of break ``k`` / its coefficient norm at every point (cached)."""
        col = self._values.get(k)
        if col is None or col.shape[0] < len(self):
            start = 0 if col is None else col.shape[0]
            ev = FloatEvaluator([poly], self.nvars)
            norm = float(np.sqrt((ev.coef**2).sum())) or 1.0
            new = ev(self.points[start:])[:, 0] / norm
            col = new if col is None else np.concatenate([col, new])
            self._values[k] = col
        return col

    def signs(self, k: int, poly: Poly) -> np.ndarray:
        return np.sign(self.values(k, poly))

    def margins(self, region_items, polys) -> np.ndarray:
        """``min_k s_k g_k(x) / |g_k|`` at every point (positive inside the region)."""
        out = np.full(len(self), np.inf)
        for k, s in region_items:
            np.minimum(out, s * self.values(k, polys[k]), out=out)
        return out

    def candidates(self, region_items, polys, limit: int = 6) -> list[int]:
        """Indices of points whose float signs match every ``(k, s)`` of the region."""
        mask = np.ones(len(self), dtype=bool)
        for k, s in region_items:
            mask &= (s * self.values(k, polys[k])) > 0
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
                    maxiter: int = 200,
                    deadline: float | None = None) -> tuple[tuple[Fraction, ...] | None, float]:
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

    # homogeneous conditions are invariant under scaling: search on the unit sphere (the origin,
    # where every margin is 0, is otherwise a trap)
    homogeneous = all(len({sum(e) for e in g.monoms()}) == 1 for g, _ in conditions)

    def margins(x):
        return ev(x[None, :])[0] * w

    # exact gradients of the constraints s_k g_k / |g_k| - t
    dev = FloatEvaluator([g.derivative(i) if nvars else g for g, _ in conditions
                          for i in range(nvars)], nvars)
    m = len(conditions)

    def jac(z):
        J = np.empty((m, nvars + 1))
        J[:, :nvars] = dev(z[None, :-1])[0].reshape(m, nvars) * w[:, None]
        J[:, nvars] = -1.0
        return J

    best_x, best_t = None, -np.inf
    for x0 in starts:
        if deadline is not None and time.monotonic() > deadline:
            break  # the caller's time budget is used up: stop between starts
        x0 = np.asarray(x0, dtype=float)
        if homogeneous:
            nrm = np.linalg.norm(x0)
            x0 = x0 / nrm if nrm > 0 else np.ones(nvars) / np.sqrt(nvars)
        t0 = float(margins(x0).min())
        z0 = np.append(x0, t0)
        cons = [{"type": "ineq", "fun": lambda z: margins(z[:-1]) - z[-1], "jac": jac}]
        if homogeneous:
            cons.append({"type": "eq", "fun": lambda z: np.dot(z[:-1], z[:-1]) - 1.0,
                         "jac": lambda z: np.append(2.0 * z[:-1], 0.0)})
        bounds = [(-box, box)] * nvars + [(None, 1.0)]
        try:
            res = minimize(lambda z: -z[-1], z0, method="SLSQP", constraints=cons, bounds=bounds,
                           jac=lambda z: np.append(np.zeros(nvars), -1.0),
                           options={"maxiter": maxiter, "ftol": 1e-12})
            x = res.x[:-1]
        except (ValueError, FloatingPointError):
            x = x0
        t = float(margins(x).min())
        if t > best_t:
            best_x, best_t = x, t
        if best_t > 1e-6:
            break
    if best_x is None or best_t <= 0:
        return None, float(best_t)
    pt = rationalize_point(best_x, conditions)
    if pt is not None and check_witness(conditions, pt):
        return pt, float(best_t)
    return None, float(best_t)
