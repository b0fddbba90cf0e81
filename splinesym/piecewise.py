"""Piecewise arrays: numpy-like arrays of polynomials that live on a partition into cells.

This is the symbolic meaning of a model: the forward pass runs on :class:`PArray` objects exactly
as it runs on arrays of numbers; linear algebra acts cell by cell, and :meth:`Engine.relu` refines
every cell by the signs of the entries it must rectify (a wall-crossing enumeration inside the
cell, with the decision tiers and labels of :mod:`splinesym.cells`).

Examples
--------
>>> from splinesym.poly import PolyRing
>>> R = PolyRing(["x"])
>>> eng = Engine(R)
>>> X = eng.variables_array([["x"]])
>>> Y = eng.relu(X - 1)
>>> sorted(eng.ring.format(v[0, 0]) for v in Y.values)
['0', 'x - 1']
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from . import progress
from .cells import Budget, Decider, Decision, enumerate_cells
from .cells.decision import UNDECIDED, WITNESS
from .poly import Poly, PolyRing, is_affine, to_fmpq
from .region import BreakTable, Region, SignFactorization, factor_normalized, poly_key

__all__ = ["Engine", "Cell", "Partition", "PArray"]


@dataclass
class Cell:
    """One cell of a partition: its region and how its nonemptiness was decided."""

    region: Region
    decision: Decision

    @property
    def witness(self):
        return self.decision.witness


@dataclass
class Partition:
    """Cells that are pairwise disjoint with dense union; refines ``parent`` when given."""

    cells: list[Cell]
    parent: Partition | None = None
    parent_of: list[int] | None = None
    notes: list[str] = field(default_factory=list)
    complete: bool = True

    def ancestry(self) -> list[Partition]:
        out, p = [], self
        while p is not None:
            out.append(p)
            p = p.parent
        return out

    def map_from(self, older: Partition) -> list[int]:
        """For each cell here, the index of the cell of ``older`` (an ancestor) containing it."""
        chain = []
        p = self
        while p is not older:
            if p is None or p.parent is None:
                raise ValueError("partitions are not related")
            chain.append(p)
            p = p.parent
        idx = list(range(len(self.cells)))
        for q in chain:
            idx = [q.parent_of[i] for i in idx]
        return idx


def _obj(shape) -> np.ndarray:
    return np.empty(shape, dtype=object)


class PArray:
    """An array-valued piecewise polynomial: one object array of polynomials per cell."""

    __array_priority__ = 100

    def __init__(self, engine: Engine, partition: Partition, values: list[np.ndarray]):
        self.engine = engine
        self.partition = partition
        self.values = values

    @property
    def shape(self) -> tuple[int, ...]:
        return self.values[0].shape

    @property
    def T(self) -> PArray:
        return PArray(self.engine, self.partition, [v.T for v in self.values])

    def __getitem__(self, key) -> PArray:
        return PArray(self.engine, self.partition, [np.asarray(v[key], dtype=object)
                                                    for v in self.values])

    def _binary(self, other, op) -> PArray:
        if isinstance(other, PArray):
            part, a, b = self.engine.align(self, other)
            return PArray(self.engine, part, [op(x, y) for x, y in zip(a, b)])
        o = self.engine.lift_constant(other)
        return PArray(self.engine, self.partition, [op(x, o) for x in self.values])

    def _rbinary(self, other, op) -> PArray:
        o = self.engine.lift_constant(other)
        return PArray(self.engine, self.partition, [op(o, x) for x in self.values])

    def __add__(self, o):
        return self._binary(o, lambda a, b: a + b)

    def __radd__(self, o):
        return self._rbinary(o, lambda a, b: a + b)

    def __sub__(self, o):
        return self._binary(o, lambda a, b: a - b)

    def __rsub__(self, o):
        return self._rbinary(o, lambda a, b: a - b)

    def __mul__(self, o):
        return self._binary(o, lambda a, b: a * b)

    def __rmul__(self, o):
        return self._rbinary(o, lambda a, b: a * b)

    def __matmul__(self, o):
        return self._binary(o, lambda a, b: a @ b)

    def __rmatmul__(self, o):
        return self._rbinary(o, lambda a, b: a @ b)

    def __neg__(self):
        return PArray(self.engine, self.partition, [-v for v in self.values])


class Engine:
    """Owns the ring, the breaks, the decider and the budget of one symbolic computation.

    Parameters
    ----------
    ring : PolyRing
        Variables of the computation (inputs first, then weight symbols if any).
    budget : Budget, optional
        Time and cell budget.
    symbolic : bool
        Weights are symbols: cells cannot be decided, every sign pattern is kept.
    """

    def __init__(self, ring: PolyRing, budget: Budget | None = None, *, symbolic: bool = False,
                 sample_size: int = 20000):
        self.ring = ring
        self.budget = budget or Budget()
        self.symbolic = symbolic
        self.table = BreakTable(ring)
        self.decider = Decider(self.table, self.budget, symbolic=symbolic,
                               sample_size=sample_size)
        self._factor_cache: dict[tuple, SignFactorization] = {}
        #: one record per affine arrangement enumerated over the whole space (Zaslavsky check)
        self.arrangements: list[dict] = []
        #: regions whose expansion a budget stopped: (region, breaks still to split on, what
        #: was done); they are not carried into later layers
        self.unexpanded: list[tuple[Region, list[int], str]] = []
        self.definite_evidence: list[tuple[Poly, int, Decision]] = []
        #: ``(partition, per-cell score systems)`` of every attention head so far (set by the
        #: spline backend). A head's system holds on the cells of its partition and on all
        #: their refinements; the structure tier of the decider uses them
        self.score_structures: list[tuple] = []
        self._structure_maps: dict = {}
        #: regions shown empty while refining, with their decisions (evidence included)
        self.empty_cells: list[tuple[Region, Decision]] = []
        root_decision = (Decision(UNDECIDED, method="symbolic") if symbolic else
                         Decision(WITNESS, tuple(Fraction(0) for _ in range(ring.nvars)),
                                  method="hint"))
        self.root = Partition([Cell(Region(), root_decision)])

    # -- arrays -------------------------------------------------------------------------------
    def constant_array(self, data) -> np.ndarray:
        """Object array of constant polynomials (numbers) or weight symbols (strings)."""
        arr = np.asarray(data, dtype=object)
        out = _obj(arr.shape)
        for idx, v in np.ndenumerate(arr):
            out[idx] = self.to_poly(v)
        return out

    def to_poly(self, v) -> Poly:
        if isinstance(v, Poly):
            return v
        if isinstance(v, str):
            return self.ring.gen(v) if v in self.ring.names else self.ring.parse(v)
        return self.ring.const(v)

    def lift_constant(self, other) -> np.ndarray:
        if isinstance(other, np.ndarray):
            if other.dtype == object and (other.size == 0 or isinstance(other.flat[0], Poly)):
                return other
            return self.constant_array(other)
        # a 0-d object array: numpy would otherwise iterate over the polynomial's terms
        box = _obj(())
        box[()] = self.to_poly(other)
        return box

    def variables_array(self, names: Sequence[Sequence[str]]) -> PArray:
        """A PArray on the root partition whose entries are the named variables."""
        return PArray(self, self.root, [self.constant_array(names)])

    def align(self, a: PArray, b: PArray):
        if a.partition is b.partition:
            return a.partition, a.values, b.values
        if a.partition in b.partition.ancestry():
            idx = b.partition.map_from(a.partition)
            return b.partition, [a.values[i] for i in idx], b.values
        if b.partition in a.partition.ancestry():
            idx = a.partition.map_from(b.partition)
            return a.partition, a.values, [b.values[i] for i in idx]
        raise ValueError("piecewise arrays live on unrelated partitions")

    def hstack(self, arrays: Sequence[PArray]) -> PArray:
        part = arrays[0].partition
        for a in arrays[1:]:
            if a.partition in part.ancestry():
                continue
            part = a.partition
        vals = []
        for a in arrays:
            idx = part.map_from(a.partition) if a.partition is not part else None
            vals.append(a.values if idx is None else [a.values[i] for i in idx])
        return PArray(self, part, [np.hstack(list(vs)) for vs in zip(*vals)])

    # -- signs --------------------------------------------------------------------------------
    def sign_factorization(self, p: Poly, label: str | None = None) -> SignFactorization:
        """Sign of ``p`` in terms of breaks, adding its sign-changing factors to the table."""
        key = poly_key(p)
        sf = self._factor_cache.get(key)
        if sf is not None:
            if label:
                for k, _ in sf.breaks:
                    self.table.add(self.table[k], label)
            return sf
        c, factors = factor_normalized(p)
        sign = 1 if c > 0 else -1
        brks = []
        for f, m in factors:
            idx = self.table.index(f)
            if idx is None:
                fk = poly_key(f)
                if fk in self.table.definite:
                    if m % 2 and self.table.definite[fk] < 0:
                        sign = -sign
                    continue
                if m % 2 == 0:
                    # even power: sign is + almost everywhere whatever f does
                    continue
                wall, s, evidence = self.decider.changes_sign(f)
                if not wall:
                    self.table.definite[fk] = s
                    self.definite_evidence.append((f, s, evidence))
                    if s < 0:
                        sign = -sign
                    continue
                idx = self.table.add(f, label)
            else:
                self.table.add(f, label)
            brks.append((idx, m))
        sf = SignFactorization(sign, tuple(brks))
        self._factor_cache[key] = sf
        return sf

    def relu(self, A: PArray, labels: Callable[[tuple], str] | None = None) -> PArray:
        """Entrywise ReLU, refining each cell by the signs it needs."""
        new_cells: list[Cell] = []
        parent_of: list[int] = []
        values: list[np.ndarray] = []
        part = A.partition
        notes: list[str] = []
        complete = part.complete
        split = False
        for ci, (cell, V) in enumerate(zip(part.cells, A.values)):
            progress.report(queued=len(part.cells) - ci, budget=self.budget)
            facts = _obj(V.shape)
            unknown: set[int] = set()
            for idx, v in np.ndenumerate(V):
                if v.is_zero():
                    facts[idx] = 0
                    continue
                if v.is_constant():
                    facts[idx] = 1 if v.coeffs()[0] > 0 else -1
                    continue
                sf = self.sign_factorization(v, labels(idx) if labels else None)
                facts[idx] = sf
                if sf.sign_in(cell.region) is None:
                    unknown.update(k for k in sf.odd_breaks() if cell.region.sign(k) is None)
            if unknown and self.budget.expired():
                # no budget left to split this cell: record it instead of guessing
                split = True
                complete = False
                self.unexpanded.append((cell.region, sorted(unknown), "not examined"))
                continue
            if unknown:
                split = True
                seeds = [cell.witness] if cell.witness is not None else []
                connected = (len(cell.region) == 0 or
                             self.table.all_affine(cell.region.breaks()))
                self.decider.structure = self._structures_of(part, ci)
                enum = enumerate_cells(self.decider, cell.region, sorted(unknown), seeds,
                                       base_connected=connected)
                self.decider.structure = ()
                self.empty_cells.extend((enum.region(p), d) for p, d in enum.empty.items())
                self.empty_cells.extend(enum.extra_empty)
                if not enum.complete:
                    complete = False
                    if enum.stopped:
                        self.unexpanded.append((cell.region, sorted(unknown),
                                                f"partly examined: {enum.reason}"))
                    else:
                        notes.append(f"cell {ci}: {enum.reason}")
                if enum.zaslavsky is not None:
                    self.arrangements.append({
                        "hyperplanes": len(enum.breaks),
                        "regions_witnessed": sum(1 for d in enum.cells.values() if d.nonempty),
                        "zaslavsky": enum.zaslavsky, "how": enum.reason})
                children = [Cell(enum.region(p), d) for p, d in enum.cells.items()]
            else:
                children = [cell]
            for ch in children:
                out = _obj(V.shape)
                for idx, v in np.ndenumerate(V):
                    f = facts[idx]
                    s = f if isinstance(f, int) else f.sign_in(ch.region)
                    out[idx] = v if s > 0 else self.ring.zero()
                new_cells.append(ch)
                parent_of.append(ci)
                values.append(out)
        self._structure_maps = {}
        if not split:
            return PArray(self, part, values)
        newpart = Partition(new_cells, part, parent_of, [*part.notes, *notes], complete)
        return PArray(self, newpart, values)

    def _structures_of(self, part: Partition, ci: int) -> list:
        """The score systems valid on cell ``ci`` of ``part`` (from it or its ancestors)."""
        cache = self._structure_maps
        lines = part.ancestry()
        out = []
        for n, (older, per_cell) in enumerate(self.score_structures):
            if older is part:
                out.extend(per_cell[ci])
            elif any(p is older for p in lines):
                key = (id(part), n)
                if key not in cache:
                    cache[key] = part.map_from(older)
                out.extend(per_cell[cache[key][ci]])
        return out

    def cell_is_affine(self, cell: Cell) -> bool:
        return all(is_affine(self.table[k]) for k in cell.region.breaks())


def constant_fmpq(v):
    """Numbers as fmpq (helper for numeric code that mixes with polynomials)."""
    return to_fmpq(v)
