"""Attained degrees per cell without expanding: interpolation on random lines inside cells.

For each random rational point ``p`` (task ``i`` draws it from ``(seed, i)``) and a random
integer direction ``v``:

1. the model is restricted to ``t -> p + t v`` over Q[t], every ReLU decided at ``p``
   (:func:`~splinesym.numeric.restrict.restrict_to_line`): the exact restrictions of the cell's
   outputs and breaks;
2. the real roots of the break restrictions are isolated and a segment ``(-r, r)`` free of them
   is chosen (:func:`~splinesym.numeric.interpolate.segment_radius`);
3. the black-box exact forward pass is evaluated at ``B + 1`` rational nodes of the segment
   (``B`` the structural bound), each node's activation pattern re-verified exactly equal to
   ``p``'s (so all values come from the cell's polynomial map), and the outputs are
   interpolated exactly; the interpolant must equal the restriction of step 1 (checked).

The degree in ``t`` of an output's restriction is a lower bound on the total degree of the
piece's polynomial, with equality for a generic direction (the top homogeneous part does not
vanish at ``v``). Label: ``interpolated (exact on a line)``.

Examples
--------
>>> from splinesym.nn.zoo import random_model
>>> from splinesym.nn.model import model_from_dict
>>> m = model_from_dict(random_model("encoder", seed=1, tokens=2, dim=1, layers=2))
>>> rep = degree_survey(m, points=4, seed=0)
>>> rep["bound"]["joint"], rep["attained"]["joint"] <= 9, rep["label"]
(9, True, 'interpolated (exact on a line)')
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from ..nn.expand import structural_degree
from ..nn.model import Model, model_from_dict, model_to_dict
from .evaluate import evaluate_exact, to_fmpq_point
from .interpolate import interpolate, interpolation_nodes, segment_radius
from .parallel import run_tasks
from .restrict import PointOnBreakError, restrict_to_line
from .seeds import task_rng

__all__ = ["LABEL", "line_degree", "degree_task", "degree_survey"]

LABEL = "interpolated (exact on a line)"
NOTE = ("the degree of a restriction to a line is a lower bound on the piece's total degree and "
        "equals it for a generic direction; the bound is the structural bound from the model's "
        "shape (valid for all weights)")


def _draw_point(rng, n: int) -> list[Fraction]:
    scale = rng.choice((Fraction(1, 8), Fraction(1), Fraction(8)))
    return [scale * Fraction(rng.randint(-100, 100), rng.randint(1, 20)) for _ in range(n)]


def _pattern_string(pattern) -> str:
    return "".join("+" if s > 0 else "-" if s < 0 else "0" for s in pattern)


def line_degree(model: Model, point, direction, bound: int, max_halvings: int = 40) -> dict:
    """Degrees of every output on the line through ``point`` inside its cell.

    Returns the restricted and interpolated output polynomials' degrees, the segment radius and
    whether the interpolant equals the exact restriction. Raises ``PointOnBreakError`` when the
    point lies on a break.
    """
    res = restrict_to_line(model, point, direction)
    r = segment_radius(res.breaks)
    for _ in range(max_halvings):
        nodes = interpolation_nodes(bound, r)
        evals = []
        for t in to_fmpq_point(nodes):
            q = [a + t * b for a, b in zip(res.point, res.direction)]
            ev = evaluate_exact(model, q)
            if ev.pattern != res.pattern:
                break
            evals.append(ev.outputs)
        if len(evals) == len(nodes):
            break
        r /= 2  # only if root isolation was too optimistic: shrink and re-verify
    else:
        raise RuntimeError("no segment of the line with a constant activation pattern found")
    interp = [interpolate(nodes, [e[j] for e in evals]) for j in range(len(res.outputs))]
    agrees = all(a == b for a, b in zip(interp, res.outputs))
    return {"degrees": [max(p.degree(), 0) for p in interp],
            "restriction_degrees": [max(p.degree(), 0) for p in res.outputs],
            "agrees": agrees, "radius": r, "pattern": res.pattern, "nodes": len(nodes)}


def _groups(model: Model) -> dict[str, list[int]]:
    nx = model.tokens * model.dim
    nv = len(model.variables())
    out = {"joint": list(range(nv))}
    if model.decoder:
        out["x"] = list(range(nx))
        out["y"] = list(range(nx, nv))
    return out


def degree_task(task: dict) -> dict:
    """One random point: its cell's pattern and degrees (jointly, and in X / Y for decoders)."""
    model = model_from_dict(task["model"])
    bounds = structural_degree(model)
    rng = task_rng(task["seed"], task["index"], "degree")
    n = len(model.variables())
    for _attempt in range(50):
        point = _draw_point(rng, n)
        try:
            out: dict[str, Any] = {"index": task["index"], "point": [str(c) for c in point]}
            degs = {}
            agrees = True
            pattern = None
            for g, idx in _groups(model).items():
                v = [0] * n
                while not any(v[i] for i in idx):
                    v = [rng.randint(-100, 100) if i in idx else 0 for i in range(n)]
                ld = line_degree(model, point, v, bounds[g])
                degs[g] = max(ld["degrees"])
                agrees = agrees and ld["agrees"]
                pattern = ld["pattern"]
                if g == "joint":
                    out["output_degrees"] = ld["degrees"]
            out.update(pattern=_pattern_string(pattern), degrees=degs, agrees=agrees)
            return out
        except PointOnBreakError:
            continue
    raise RuntimeError("every drawn point lay on a break")


def degree_survey(model: Model, *, points: int = 20, seed: int = 0, jobs: int = 1,
                  scheduler=None) -> dict:
    """Attained degrees per visited cell over ``points`` random points (deterministic in seed).

    Returns a JSON-ready report: ``label``, ``bound`` (structural), ``attained`` (max over
    visited cells), ``cells`` (one entry per distinct activation pattern, sorted), ``points``.
    """
    md = model_to_dict(model)
    tasks = [{"model": md, "seed": seed, "index": i} for i in range(points)]
    results = run_tasks(degree_task, tasks, jobs=jobs, scheduler=scheduler)
    bound = structural_degree(model)
    groups = list(_groups(model))
    cells: dict[str, dict] = {}
    for r in results:
        c = cells.setdefault(r["pattern"], {"pattern": r["pattern"], "points": 0,
                                            "degrees": {g: 0 for g in groups},
                                            "example_point": r["point"]})
        c["points"] += 1
        for g in groups:
            c["degrees"][g] = max(c["degrees"][g], r["degrees"][g])
    cell_list = sorted(cells.values(), key=lambda c: (-c["degrees"]["joint"], c["pattern"]))
    attained = {g: max([0, *(c["degrees"][g] for c in cell_list)]) for g in groups}
    return {"label": LABEL, "note": NOTE, "seed": seed, "points": points,
            "bound": {g: bound[g] for g in groups}, "attained": attained,
            "cells_visited": len(cell_list),
            "interpolation_agrees_with_restriction": all(r["agrees"] for r in results),
            "cells": cell_list}
