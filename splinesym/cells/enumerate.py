"""Enumerating the realised sign patterns of some breaks inside a region, by wall crossing.

From known cells, flip one break at a time and decide the neighbour (a breadth-first search on the
cell adjacency graph, kept as a networkx graph). The full-dimensional cells of an arrangement are
connected through walls, so a closed search from a connected base is complete; otherwise (or when a
budget stops it) the result says so. Affine arrangements of the whole space take a fast path:
sampling and exact wall-crossing steps find witnesses, and completeness is proven by matching
Zaslavsky's count (the LP search takes over when the counts differ).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import networkx as nx
import numpy as np

from ..poly import is_affine, scaled_floats
from ..region import Region
from .decide import Decider
from .decision import UNDECIDED, WITNESS, Decision, check_witness
from .linear import rationalize_point
from .zaslavsky import zaslavsky_count

__all__ = ["Enumeration", "enumerate_cells", "enumerate_regions"]

Pattern = tuple[int, ...]


@dataclass
class Enumeration:
    """The cells found inside ``base`` for the breaks ``breaks``.

    Attributes
    ----------
    base : Region
        The region that was subdivided.
    breaks : list of int
        Break indices whose signs were enumerated.
    cells : dict
        Pattern (tuple of signs, aligned with ``breaks``) -> Decision, for every pattern that is
        nonempty (``witness``) or not decided (``undecided``).
    empty : dict
        Pattern -> Decision for patterns shown empty on the way (Farkas or solver).
    graph : networkx.Graph
        Adjacency of the cells: an edge ``(p, q, break=k)`` joins patterns differing in break k.
    complete : bool
        Whether every realised pattern is known to be among ``cells``.
    reason : str
        Why the result is (or is not) complete.
    zaslavsky : int or None
        Zaslavsky's count, for affine arrangements of the whole space.
    """

    base: Region
    breaks: list[int]
    cells: dict[Pattern, Decision] = field(default_factory=dict)
    empty: dict[Pattern, Decision] = field(default_factory=dict)
    graph: nx.Graph = field(default_factory=nx.Graph)
    complete: bool = True
    reason: str = ""
    zaslavsky: int | None = None
    #: a budget stopped the enumeration: patterns beyond those listed were not examined
    stopped: bool = False
    #: other regions shown empty on the way (one side of a break inside the base, when pruning)
    extra_empty: list = field(default_factory=list)

    def region(self, pattern: Pattern) -> Region:
        return self.base.refine(dict(zip(self.breaks, pattern)))

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for d in [*self.cells.values(), *self.empty.values()]:
            out[d.status] = out.get(d.status, 0) + 1
        return out


def _pattern_at(decider: Decider, breaks: Sequence[int], pt) -> Pattern | None:
    signs = decider.table.signs_at(pt, breaks)
    if any(s == 0 for s in signs.values()):
        return None
    return tuple(signs[k] for k in breaks)


def enumerate_cells(decider: Decider, base: Region, breaks: Sequence[int],
                    seeds: Sequence[Sequence[Fraction]] = (), *, base_connected: bool = False,
                    exhaustive_limit: int = 64, affine_fast_path: bool = True,
                    prune: bool = True) -> Enumeration:
    """All realised sign patterns of ``breaks`` inside ``base``.

    Parameters
    ----------
    decider : Decider
        Decides each pattern.
    base : Region
        Region to subdivide (assumed nonempty or undecided).
    breaks : sequence of int
        Break indices not in ``base``.
    seeds : sequence of points
        Points known to lie in ``base`` (its witness, for instance).
    base_connected : bool
        Whether ``base`` is known to be connected (the whole space, or convex). Then the
        wall-crossing search is complete; otherwise every pattern is tried when there are at most
        ``exhaustive_limit`` of them, and the search is flagged as possibly incomplete beyond.
    affine_fast_path : bool
        For affine breaks over the whole space, find witnesses by sampling and wall-crossing
        steps and prove completeness by Zaslavsky's count before falling back to LPs.
    prune : bool
        Inside a proper region (``base`` not the whole space), first decide both sides of each
        break within ``base``; a break with one side proven empty has one sign throughout
        ``base``, is left out of the search and gets that sign in every pattern. (Later layers
        of a model bring many breaks that matter only in a few cells: this replaces 2^k
        patterns per cell by 2k decisions, half of them settled by the seed.)
    """
    breaks = list(breaks)
    table = decider.table
    res = Enumeration(base, breaks)
    if not breaks:
        res.cells[()] = decider.decide(base, seeds)
        res.graph.add_node(())
        res.reason = "no new breaks"
        return res
    if prune and len(base) and not decider.symbolic:
        return _pruned(decider, base, breaks, seeds, base_connected, exhaustive_limit,
                       affine_fast_path, res)
    if (affine_fast_path and not base and not decider.symbolic
            and all(is_affine(table[k]) for k in breaks)):
        return _affine_arrangement(decider, breaks, res)
    budget = decider.budget
    k = len(breaks)
    exhaustive = decider.symbolic or (not base_connected and 2**k <= exhaustive_limit)
    if decider.symbolic or (2**k <= exhaustive_limit and not seeds):
        exhaustive = True
    if exhaustive:
        stopped = None
        examined = 0
        for code in range(2**k):
            pat = tuple(1 if (code >> i) & 1 == 0 else -1 for i in range(k))
            if not budget.take_cell():
                stopped = budget.exhausted_reason()
                break
            examined += 1
            d = decider.decide(res.region(pat), seeds)
            (res.empty if d.empty else res.cells)[pat] = d
        _add_edges(res)
        res.complete = stopped is None
        res.stopped = stopped is not None
        res.reason = ("every sign pattern examined" if stopped is None else
                      f"stopped: {stopped}; {2**k - examined} of {2**k} sign patterns were not "
                      "examined")
        return res
    # wall-crossing search from the seeds (and the sample cloud inside the base)
    queue: deque[Pattern] = deque()
    witnesses = [s for s in seeds if s is not None]
    for i in decider.cloud.candidates(base.items(), table.polys, limit=32):
        witnesses.append(decider.cloud.exact_point(i))
    for pt in witnesses:
        pat = _pattern_at(decider, breaks, pt)
        if pat is None or pat in res.cells:
            continue
        d = decider.decide(res.region(pat), [pt])
        if d.nonempty:
            res.cells[pat] = d
            queue.append(pat)
    if not queue:
        # no point known inside: start from whichever pattern decides first
        pat = tuple([1] * k)
        d = decider.decide(res.region(pat), seeds)
        res.cells[pat] = d
        queue.append(pat)
    stopped = None
    while queue:
        pat = queue.popleft()
        hint = res.cells[pat].witness
        for i in range(k):
            q = pat[:i] + (-pat[i],) + pat[i + 1:]
            if q in res.cells or q in res.empty:
                continue
            if stopped or not budget.take_cell():
                stopped = stopped or budget.exhausted_reason()
                res.cells[q] = Decision(UNDECIDED, method="budget", note=stopped)
                continue
            d = decider.decide(res.region(q), [hint] if hint else [])
            if d.empty:
                res.empty[q] = d
            else:
                res.cells[q] = d
                queue.append(q)
    _add_edges(res)
    undecided = sum(1 for d in res.cells.values() if d.status == UNDECIDED)
    if stopped:
        res.complete = False
        res.stopped = True
        res.reason = f"stopped: {stopped}; frontier patterns are listed as undecided"
    elif not base_connected:
        res.complete = False
        res.reason = ("wall-crossing search closed, but the base region is not known to be "
                      "connected, so cells in other components may be missing")
    elif undecided:
        res.complete = False
        res.reason = f"wall-crossing search closed with {undecided} undecided patterns"
    else:
        res.complete = True
        res.reason = "wall-crossing search closed over a connected base; every neighbour decided"
    return res


def _pruned(decider: Decider, base: Region, breaks: list[int], seeds, base_connected: bool,
            exhaustive_limit: int, affine_fast_path: bool, res: Enumeration) -> Enumeration:
    """:func:`enumerate_cells` after leaving out the breaks that have one sign in ``base``."""
    fixed: dict[int, int] = {}
    keep: list[int] = []
    budget = decider.budget
    for k in breaks:
        if not budget.take_cell():
            keep.append(k)
            continue
        pos = decider.decide(base.refine({k: 1}), seeds)
        if pos.empty:
            fixed[k] = -1
            res.extra_empty.append((base.refine({k: 1}), pos))
            continue
        if not budget.take_cell():
            keep.append(k)
            continue
        neg = decider.decide(base.refine({k: -1}), seeds)
        if neg.empty:
            fixed[k] = 1
            res.extra_empty.append((base.refine({k: -1}), neg))
            continue
        keep.append(k)
    sub = enumerate_cells(decider, base, keep, seeds, base_connected=base_connected,
                          exhaustive_limit=exhaustive_limit, affine_fast_path=affine_fast_path,
                          prune=False)
    if not fixed:
        return sub
    where = {k: i for i, k in enumerate(keep)}

    def full(p: Pattern) -> Pattern:
        return tuple(fixed[k] if k in fixed else p[where[k]] for k in breaks)

    for p, d in sub.cells.items():
        fp = full(p)
        conds = decider.table.conditions(res.region(fp))
        if d.witness is not None and not check_witness(conds, d.witness):
            # the witness lies on a break that is >= 0 (or <= 0) on the base: decide again
            d = decider.decide(res.region(fp), [d.witness])
        (res.empty if d.empty else res.cells)[fp] = d
    for p, d in sub.empty.items():
        res.empty[full(p)] = d
    res.extra_empty.extend(sub.extra_empty)
    _add_edges(res)
    res.complete = sub.complete
    res.reason = (f"{sub.reason}; {len(fixed)} of {len(breaks)} breaks have one sign in the "
                  f"base (their other side is empty)")
    return res


def _add_edges(res: Enumeration) -> None:
    for pat, d in res.cells.items():
        res.graph.add_node(pat, status=d.status)
    for pat in res.cells:
        for i, k in enumerate(res.breaks):
            q = pat[:i] + (-pat[i],) + pat[i + 1:]
            if q in res.cells and pat < q:
                res.graph.add_edge(pat, q, break_index=k)


# ----------------------------------------------------------------------------------------------
def _affine_arrangement(decider: Decider, breaks: list[int], res: Enumeration) -> Enumeration:
    table = decider.table
    n = decider.nvars
    m = len(breaks)
    A = np.zeros((m, n))
    b = np.zeros(m)
    for r, k in enumerate(breaks):
        for e, v in zip(table[k].monoms(), scaled_floats(table[k].coeffs())):
            if any(e):
                A[r, list(e).index(1)] += v
            else:
                b[r] += v
    res.zaslavsky = zaslavsky_count([table[k] for k in breaks], n)
    weights = 1 << np.arange(m, dtype=np.int64) if m < 63 else None
    found: dict[Pattern, tuple[Fraction, ...]] = {}

    def codes(P: np.ndarray) -> np.ndarray:
        S = P @ A.T + b
        return S, (S < 0).astype(np.int64) @ weights

    def consider(x: np.ndarray) -> None:
        pat_f = tuple(-1 if v < 0 else 1 for v in (A @ x + b))
        if pat_f in found:
            return
        conds = [(table[k], s) for k, s in zip(breaks, pat_f)]
        pt = rationalize_point(x, conds)
        if pt is not None:
            found[pat_f] = pt

    if weights is not None:
        rng = np.random.default_rng(7)
        scale = max(1.0, float(np.abs(b).max() / max(np.abs(A).max(), 1e-300)))
        pts = [rng.standard_normal((4000, n)) * s * scale for s in (0.05, 0.3, 1, 3, 30, 1000)]
        P = np.vstack(pts)
        S, cd = codes(P)
        margin = (np.abs(S / np.linalg.norm(A, axis=1)).min(axis=1)
                  / (1.0 + np.linalg.norm(P, axis=1)))   # prefer small, central points
        order = np.lexsort((-margin, cd))
        cd_sorted = cd[order]
        first = order[np.r_[True, cd_sorted[1:] != cd_sorted[:-1]]]
        for i in first:
            consider(P[i])
        # every region of an essential arrangement has a vertex: visit the corners around each
        for Q in _vertex_neighbourhoods(A, b, rng):
            S, cq = codes(Q)
            cq_u, first = np.unique(cq, return_index=True)
            for i in first:
                consider(Q[i])
        # exact wall-crossing steps: project a witness onto a wall and step across
        norms2 = (A**2).sum(axis=1)
        frontier = list(found)
        while frontier and (res.zaslavsky is None or len(found) < res.zaslavsky):
            new = []
            W = np.array([[float(v) for v in found[p]] for p in frontier])
            for j in range(m):
                hj = W @ A[j] + b[j]
                Pj = W - (hj / norms2[j])[:, None] * A[j]
                for delta in (1.0, 0.1, 1e-3, 1e-6):
                    Q = Pj + (np.sign(hj) * -delta / np.sqrt(norms2[j]))[:, None] * A[j]
                    _, cq = codes(Q)
                    for r, pat in enumerate(frontier):
                        target = pat[:j] + (-pat[j],) + pat[j + 1:]
                        if target in found:
                            continue
                        tcode = sum(1 << i for i, s in enumerate(target) if s < 0)
                        if cq[r] == tcode:
                            consider(Q[r])
                            if target in found:
                                new.append(target)
            frontier = new
    for pat, pt in found.items():
        res.cells[pat] = Decision(WITNESS, pt, method="sample")
    if res.zaslavsky is not None and len(found) == res.zaslavsky:
        decider.counts["witness:sample"] += len(found)
        _add_edges(res)
        res.complete = True
        res.reason = (f"{len(found)} witnessed regions = Zaslavsky's count |chi(-1)| = "
                      f"{res.zaslavsky}")
        return res
    # fall back to the exact LP wall-crossing search from what was found
    z = res.zaslavsky
    seeds = list(found.values())
    out = enumerate_cells(decider, res.base, breaks, seeds, base_connected=True,
                          affine_fast_path=False)
    out.zaslavsky = z
    if z is not None:
        n_w = sum(1 for d in out.cells.values() if d.nonempty)
        out.reason += f"; witnessed {n_w}, Zaslavsky's count {z}"
    return out


def _vertex_neighbourhoods(A: np.ndarray, b: np.ndarray, rng, max_points: int = 2_000_000):
    """Float points in every corner around every vertex of the arrangement ``A x + b = 0``.

    At a vertex ``v`` where the hyperplanes ``S`` (n of them, independent) meet, the points
    ``v + delta * inv(A_S) s`` for ``s`` in ``{-1, 1}^n`` realise all sign patterns of ``S``;
    ``delta`` keeps the other hyperplanes' signs. Vertices where more than n hyperplanes meet
    get a float-LP search of their local central arrangement instead. Yields batches of points.
    """
    from itertools import combinations, product

    m, n = A.shape
    if n == 0 or m < n:
        return
    from math import comb

    if comb(m, n) * 2**n > max_points:
        return
    subsets = np.array(list(combinations(range(m), n)), dtype=np.int64)
    signs = np.array(list(product((1.0, -1.0), repeat=n)))
    for start in range(0, len(subsets), 4096):
        sub = subsets[start:start + 4096]
        As = A[sub]
        det = np.linalg.det(As)
        ok = np.abs(det) > 1e-9
        sub, As = sub[ok], As[ok]
        if not len(sub):
            continue
        inv = np.linalg.inv(As)
        v = -np.einsum("cij,cj->ci", inv, b[sub])
        hv = v @ A.T + b                                   # values of every hyperplane at v
        offs = np.einsum("cij,sj->csi", inv, signs)          # directions to the corners
        rate = np.abs(np.einsum("ki,csi->csk", A, offs)).max(axis=1)   # c x m
        mask = np.ones_like(hv, dtype=bool)
        np.put_along_axis(mask, sub, False, axis=1)
        hv_other = np.where(mask, np.abs(hv), np.inf)
        with np.errstate(divide="ignore", invalid="ignore"):
            delta = 0.5 * np.min(np.where(mask, hv_other / np.maximum(rate, 1e-300), np.inf),
                                 axis=1)
        degenerate = ~np.isfinite(delta) | (delta < 1e-9)
        delta = np.where(degenerate, 0.0, np.minimum(delta, 1.0))
        pts = v[:, None, :] + delta[:, None, None] * offs
        yield pts[~degenerate].reshape(-1, n)
        if degenerate.any():
            seen_v: set[tuple] = set()
            for vv in v[degenerate]:
                key = tuple(np.round(vv, 9))
                if key in seen_v:
                    continue
                seen_v.add(key)
                yield _central_corners(A, b, vv)


def _central_corners(A: np.ndarray, b: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Points in every region of the local (central) arrangement at a vertex ``v`` where more
    than n hyperplanes meet: a float-LP wall-crossing search over the hyperplanes through ``v``.
    (Each point is re-checked exactly by the caller.)"""
    from scipy.optimize import linprog

    n = A.shape[1]
    hv = A @ v + b
    norms = np.linalg.norm(A, axis=1)
    through = np.flatnonzero(np.abs(hv) <= 1e-9 * np.maximum(norms, 1.0))
    others = np.setdiff1d(np.arange(len(b)), through)
    radius = 0.5 * float(np.min(np.abs(hv[others]) / norms[others])) if len(others) else 1.0
    As = A[through] / norms[through][:, None]
    k = len(through)
    pts = []

    def solve(pattern):
        s = np.array(pattern, dtype=float)
        A_ub = np.hstack([-(s[:, None] * As), np.ones((k, 1))])
        res = linprog(np.r_[np.zeros(n), -1.0], A_ub=A_ub, b_ub=np.zeros(k),
                      bounds=[(-1, 1)] * n + [(None, 1.0)], method="highs")
        if res.status == 0 and res.x[-1] > 1e-9:
            y = res.x[:n]
            return y / max(np.abs(y).max(), 1e-300)
        return None

    start = tuple(1 if v2 > 0 else -1 for v2 in As @ np.ones(n) * 1e-3 + 1e-12)
    y0 = solve(start)
    if y0 is None:
        return np.zeros((0, n))
    seen = {start: y0}
    queue = [start]
    while queue and len(seen) < 4096:
        pat = queue.pop()
        for i in range(k):
            q = pat[:i] + (-pat[i],) + pat[i + 1:]
            if q in seen:
                continue
            y = solve(q)
            seen[q] = y
            if y is not None:
                queue.append(q)
    for y in seen.values():
        if y is not None:
            pts.append(v + 0.9 * radius * y / max(np.linalg.norm(y), 1e-300))
    return np.array(pts).reshape(-1, n)


def enumerate_regions(decider: Decider, breaks: Sequence[int] | None = None) -> Enumeration:
    """All cells of the arrangement of ``breaks`` (default: every break of the table) in R^n."""
    if breaks is None:
        breaks = list(range(len(decider.table)))
    return enumerate_cells(decider, Region(), breaks, base_connected=True)
