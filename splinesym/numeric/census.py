"""Sampled cell census: which activation patterns occur, each backed by an exact witness.

Random dyadic points (exact rationals in float64) are pushed through the model in vectorised
batches (:func:`~splinesym.numeric.batch.batch_forward`); the distinct float sign patterns of
the ReLU arguments are counted. Every reported cell has a witness: a sampled point whose
pattern is recomputed *exactly* (flint rationals, :func:`~splinesym.numeric.evaluate.
evaluate_exact`) and equals the float one with no zero sign. How many cells remain unseen is
estimated from the counts (Chao1 capture--recapture; Good--Turing coverage; a rarefaction curve).
The result is labelled ``sampled``: it is never a complete list.

A cell here is an *activation region*: the points where every ReLU argument has given signs
(one polynomial map). The exact engine splits further by the signs of the irreducible factors
of an argument that factors (``x1_1*x2_1``, say), so its cells refine these; when every argument
is irreducible (3x3 attention with random weights) the two notions coincide.

Examples
--------
>>> from splinesym.nn.zoo import random_model
>>> from splinesym.nn.model import model_from_dict
>>> m = model_from_dict(random_model("ffn", seed=1, tokens=1, dim=2, hidden=2))
>>> c = cell_census(m, samples=20000, batch=5000, seed=0)
>>> c["label"], c["cells_witnessed"], c["unverified_patterns"]
('sampled', 4, 0)
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from ..nn.model import Model, model_from_dict, model_to_dict
from .batch import batch_forward
from .evaluate import evaluate_exact
from .parallel import TaskRunner
from .seeds import task_np_rng

__all__ = ["LABEL", "sample_points", "census_task", "probe_task", "verify_task", "cell_census",
           "richness_estimates", "pattern_string"]

LABEL = "sampled"
#: items per task (fixed, never derived from --jobs: task i's seed and work must not change)
CHUNK = 64
SCALES = np.array([0.1, 1.0, 10.0])


def pattern_string(bits) -> str:
    """``+``/``-`` per ReLU argument, in forward order."""
    return "".join("+" if b else "-" for b in bits)


def sample_points(rng: np.random.Generator, count: int, nvars: int) -> np.ndarray:
    """Gaussian points at mixed scales, rounded to the grid 2^-20 (exact dyadic rationals)."""
    g = rng.standard_normal((count, nvars))
    g *= SCALES[rng.integers(0, len(SCALES), size=count)][:, None]
    return np.round(g * 2.0**20) / 2.0**20


def census_task(task: dict) -> list:
    """One batch: ``[(pattern, count, first point)]`` sorted by pattern."""
    model = model_from_dict(task["model"])
    rng = task_np_rng(task["seed"], task["index"], "census")
    pts = sample_points(rng, task["size"], len(model.variables()))
    _, bits = batch_forward(model, pts)
    if bits.shape[1] == 0:
        return [("", len(pts), pts[0].tolist())]
    packed = np.packbits(bits, axis=1)
    keys = np.ascontiguousarray(packed).view(np.dtype((np.void, packed.shape[1]))).ravel()
    _, first, counts = np.unique(keys, return_index=True, return_counts=True)
    out = [(pattern_string(bits[i]), int(c), pts[i].tolist()) for i, c in zip(first, counts)]
    out.sort()
    return out


def _new_patterns(model: Model, P: np.ndarray, known: set) -> list:
    _, bits = batch_forward(model, P)
    packed = np.packbits(bits, axis=1)
    keys = np.ascontiguousarray(packed).view(np.dtype((np.void, packed.shape[1]))).ravel()
    _, first = np.unique(keys, return_index=True)
    out = []
    for i in sorted(first):
        ps = pattern_string(bits[i])
        if ps not in known:
            out.append((ps, P[i].tolist()))
    return out


def probe_task(task: dict) -> list:
    """Wall-crossing probes from known witnesses: ``[(new pattern, point)]``.

    For each witness ``x`` and each break ``k``: a Newton step onto the wall ``S_k = 0``
    (gradient by central differences), points just across it, and small clouds around the
    wall point and around ``x`` at scales down to 1e-6 (thin cells wedged between walls).
    Floats only: every pattern found is re-verified exactly afterwards.
    """
    model = model_from_dict(task["model"])
    rng = task_np_rng(task["seed"], task["index"], f"probe{task['round']}")
    known = set(task["known"])
    scales = 10.0 ** -np.arange(0.5, 6.5, 0.5)
    found: dict[str, list] = {}
    for pt in task["points"]:
        x = np.array(pt, dtype=float)
        n = len(x)
        r = max(float(np.linalg.norm(x)), 1e-12)
        h = 1e-6 * r
        E = np.eye(n) * h
        _, vals = batch_forward(model, np.vstack([x, x + E, x - E]), values=True)
        s0 = vals[0]
        grad = (vals[1:n + 1] - vals[n + 1:]).T / (2 * h)         # breaks x n
        g2 = (grad**2).sum(axis=1)
        ok = g2 > 0
        steps = np.where(ok, s0 / np.where(ok, g2, 1.0), 0.0)
        walls = x - steps[:, None] * grad                          # one wall point per break
        per = task.get("cloud", 60)
        cloud = [x + rng.standard_normal((len(scales) * per, n))
                 * r * np.repeat(scales, per)[:, None]]
        for w, g, gg in zip(walls[ok], grad[ok], g2[ok]):
            u = g / np.sqrt(gg)
            across = [w + d * r * u for d in (1e-3, -1e-3, 1e-6, -1e-6, 1e-9, -1e-9)]
            cloud.append(np.array(across))
            cloud.append(w + rng.standard_normal((30, n)) * r
                         * np.repeat(scales[-6:], 5)[:, None])
        P = np.round(np.vstack(cloud) * 2.0**40) / 2.0**40
        for ps, q in _new_patterns(model, P, known):
            found.setdefault(ps, q)
    return sorted(found.items())


def _values_and_grad(model: Model, x: np.ndarray):
    n = len(x)
    h = 1e-7 * max(float(np.linalg.norm(x)), 1e-3)
    E = np.eye(n) * h
    _, vals = batch_forward(model, np.vstack([x, x + E, x - E]), values=True)
    return vals[0], (vals[1:n + 1] - vals[n + 1:]).T / (2 * h)


def margin_task(task: dict) -> list:
    """Margin search for missing neighbour patterns: ``[(pattern, point)]`` found.

    For a target pattern ``s`` and a start point (a witness of a neighbouring cell): maximise
    ``t`` subject to ``s_k S_k(x) / |grad S_k(x0)| >= t`` in a box around the start (SLSQP,
    gradients by central differences of the batched forward pass). Floats only: each point
    found is re-verified exactly afterwards.
    """
    model = model_from_dict(task["model"])
    out = []
    for pattern, starts in task["targets"]:
        q = _margin_point(model, pattern, starts)
        if q is not None:
            out.append((pattern, q))
    return out


def _margin_point(model: Model, pattern: str, starts: list):
    from scipy.optimize import minimize

    sig = np.array([1.0 if c == "+" else -1.0 for c in pattern])
    n = len(starts[0])
    for start in starts:
        x0 = np.array(start, dtype=float)
        _, g0 = _values_and_grad(model, x0)
        w = sig / np.maximum(np.linalg.norm(g0, axis=1), 1e-12)
        box = 3.0 * max(float(np.abs(x0).max()), 1e-3)

        def cons(z, w=w):
            return batch_forward(model, z[None, :-1], values=True)[1][0] * w - z[-1]

        def jac(z, w=w):
            _, g = _values_and_grad(model, z[:-1])
            J = np.empty((len(w), n + 1))
            J[:, :n] = g * w[:, None]
            J[:, n] = -1.0
            return J

        z0 = np.append(x0, float((batch_forward(model, x0[None], values=True)[1][0] * w).min()))
        try:
            res = minimize(lambda z: -z[-1], z0, method="SLSQP",
                           jac=lambda z: np.append(np.zeros(n), -1.0),
                           constraints=[{"type": "ineq", "fun": cons, "jac": jac}],
                           bounds=[(-box, box)] * n + [(None, box)],
                           options={"maxiter": 300, "ftol": 1e-15})
            x = res.x[:-1]
        except (ValueError, FloatingPointError):
            continue
        # the coarsest dyadic grid that keeps the pattern: the optimiser's last bits may differ
        # between processes (BLAS threads), the snapped point rarely does
        for bits in range(8, 53, 2):
            q = np.round(x * 2.0**bits) / 2.0**bits
            _, b = batch_forward(model, q[None])
            if pattern_string(b[0]) == pattern:
                return q.tolist()
    return None


def _missing_neighbours(cells: dict) -> list:
    """``[(pattern, start points)]`` for patterns one flip away from known cells, not known."""
    out: dict[str, list] = {}
    for p in sorted(cells):
        for k in range(len(p)):
            q = p[:k] + ("-" if p[k] == "+" else "+") + p[k + 1:]
            if q not in cells and len(out.setdefault(q, [])) < 4:
                out[q].append([float(Fraction(v)) for v in cells[p]])
    return sorted(out.items())


def verify_task(task: dict) -> list:
    """Exact re-check of candidate witnesses: ``[(pattern, point strings or None)]``."""
    model = model_from_dict(task["model"])
    out = []
    for pattern, candidates in task["items"]:
        want = tuple(1 if c == "+" else -1 for c in pattern)
        found = None
        for pt in candidates:
            q = [Fraction(v) for v in pt]  # dyadic floats: exact
            if evaluate_exact(model, q).pattern == want:
                found = [str(v) for v in q]
                break
        out.append((pattern, found))
    return out


def richness_estimates(counts: list[int], n: int) -> dict:
    """Chao1, Good--Turing coverage and a rarefaction curve from pattern counts.

    >>> richness_estimates([5, 1, 1, 2], 9)["chao1"]   # 4 seen + 2 * 2 / (2 * 1)
    6.0
    """
    s = len(counts)
    f1 = sum(1 for c in counts if c == 1)
    f2 = sum(1 for c in counts if c == 2)
    chao1 = s + (f1 * f1 / (2 * f2) if f2 else f1 * (f1 - 1) / 2)
    coverage = 1 - f1 / n if n else 0.0

    def expected(m: int) -> float:  # expected distinct patterns in a subsample of m points
        lc = math.lgamma(n + 1) - math.lgamma(m + 1) - math.lgamma(n - m + 1)
        tot = 0.0
        for c in counts:
            if n - c < m:
                tot += 1.0
            else:
                lk = math.lgamma(n - c + 1) - math.lgamma(m + 1) - math.lgamma(n - c - m + 1)
                tot += 1.0 - math.exp(lk - lc)
        return round(tot, 2)

    curve = [[m, expected(m)] for m in sorted({max(1, n // k) for k in (64, 16, 4, 2, 1)})]
    return {"singletons": f1, "doubletons": f2, "chao1": round(chao1, 2),
            "estimated_unseen": round(chao1 - s, 2),
            "good_turing_coverage": round(coverage, 6),
            "probability_next_point_is_new": round(f1 / n, 6) if n else None,
            "rarefaction": curve}


def _verify_all(md: dict, items: list, runner: TaskRunner) -> dict:
    """``{pattern: witness strings or None}`` for ``[(pattern, candidate points)]``."""
    if not items:
        return {}
    vtasks = [{"model": md, "items": items[i:i + CHUNK]} for i in range(0, len(items), CHUNK)]
    out: dict[str, list | None] = {}
    for res in runner.map(verify_task, vtasks):
        out.update(dict(res))
    return out


def _probe_rounds(md: dict, cells: dict, rounds: int, seed: int, runner: TaskRunner) -> dict:
    """Wall-crossing probe rounds from the witnessed cells; ``{pattern: witness}`` found."""
    found: dict[str, list] = {}
    frontier = sorted(cells)
    revisited = False
    for rnd in range(rounds):
        if not frontier:
            break
        known = sorted({*cells, *found})
        per = CHUNK // 4  # fixed: task i's random draws must not depend on --jobs
        groups = [frontier[i:i + per] for i in range(0, len(frontier), per)]
        tasks = [{"model": md, "seed": seed, "round": rnd, "index": i, "known": known,
                  "points": [[float(Fraction(v)) for v in ({**cells, **found}[p])]
                             for p in g]} for i, g in enumerate(groups)]
        new: dict[str, list] = {}
        for res in runner.map(probe_task, tasks):
            for p, q in res:
                new.setdefault(p, [q])
        ver = _verify_all(md, sorted(new.items()), runner)
        frontier = sorted(p for p, w in ver.items() if w is not None)
        found.update({p: ver[p] for p in frontier})
        if not frontier and not revisited:
            revisited = True  # one more round from every cell before giving up
            frontier = sorted({*cells, *found})
    return found


def _margin_round(md: dict, cells: dict, limit: int, runner: TaskRunner) -> dict:
    """One round of margin searches for missing one-flip neighbours; verified new cells."""
    targets = _missing_neighbours(cells)[:limit]
    if not targets:
        return {}
    mtasks = [{"model": md, "targets": targets[i:i + CHUNK // 8]}
              for i in range(0, len(targets), CHUNK // 8)]
    cand: dict[str, list] = {}
    for res in runner.map(margin_task, mtasks):
        for p, q in res:
            cand.setdefault(p, [q])
    ver = _verify_all(md, sorted(cand.items()), runner)
    return {p: w for p, w in ver.items() if w is not None}


def _find_cells(md: dict, sizes: list, seed: int, candidates: int, probe_rounds: int,
                margin_search: int, runner: TaskRunner):
    """Sampling, exact witness checks, probes and margin search (see :func:`cell_census`)."""
    tasks = [{"model": md, "seed": seed, "index": i, "size": s} for i, s in enumerate(sizes)]
    merged: dict[str, list] = {}
    for res in runner.map(census_task, tasks):
        for pattern, count, pt in res:
            e = merged.setdefault(pattern, [0, []])
            e[0] += count
            if len(e[1]) < candidates:
                e[1].append(pt)
    patterns = sorted(merged)
    witness = _verify_all(md, [(p, merged[p][1]) for p in patterns], runner)
    sampled = {p: w for p, w in witness.items() if w is not None}
    probed = _probe_rounds(md, sampled, probe_rounds, seed, runner)
    margin: dict[str, list] = {}
    for _round in range(3 if margin_search else 0):
        new = _margin_round(md, {**sampled, **probed}, margin_search, runner)
        if not new:
            break
        margin.update(new)
        probed.update(new)
    return merged, witness, sampled, probed, margin


def cell_census(model: Model, *, samples: int = 1_000_000, batch: int = 100_000, seed: int = 0,
                jobs: int = 1, scheduler=None, candidates: int = 4, probe_rounds: int = 8,
                margin_search: int = 256) -> dict:
    """The sampled census of the model's cells (activation patterns), JSON-ready.

    ``samples`` random points (batches of ``batch``), then ``probe_rounds`` rounds of
    wall-crossing probes from the witnessed cells (:func:`probe_task`), then a margin search
    (:func:`margin_task`) for at most ``margin_search`` missing one-flip neighbours.
    Deterministic in ``seed`` whatever ``jobs``/``scheduler``: task ``i`` draws its points
    from ``(seed, i)`` and results are merged in task order. The estimates use the random
    sample only.
    """
    md = model_to_dict(model)
    nb = max(1, math.ceil(samples / batch))
    sizes = [min(batch, samples - i * batch) for i in range(nb)]
    with TaskRunner(jobs, scheduler) as runner:
        merged, witness, sampled, probed, margin = _find_cells(
            md, sizes, seed, candidates, probe_rounds, margin_search, runner)
    patterns = sorted(merged)
    cells = [{"pattern": p, "count": merged[p][0] if p in merged else 0,
              "found_by": "sample" if p in sampled else "margin" if p in margin else "probe",
              "witness": sampled.get(p) or probed[p], "status": "witness"}
             for p in sorted({*sampled, *probed})]
    unverified = [{"pattern": p, "count": merged[p][0]} for p in patterns if witness[p] is None]
    n = sum(sizes)
    return {"label": LABEL,
            "note": ("sampled census of activation regions (signs of the ReLU arguments; the "
                     "exact engine's cells refine them where an argument factors): the cells "
                     "listed were met by random points or by "
                     "wall-crossing probes from them, and each is backed by a rational witness "
                     "whose activation pattern was re-computed exactly; cells of small "
                     "probability may be missing, so this is never a complete list (the "
                     "estimates of what remains use the random sample only)"),
            "seed": seed, "samples": n, "probe_rounds": probe_rounds,
            "breaks_per_point": len(patterns[0]) if patterns else 0,
            "cells_witnessed": len(cells), "cells_by_sampling": len(sampled),
            "cells_by_probes": len(probed) - len(margin), "cells_by_margin_search": len(margin),
            "unverified_patterns": len(unverified),
            "estimates": richness_estimates([merged[p][0] for p in patterns], n),
            "cells": cells, "unverified": unverified}
