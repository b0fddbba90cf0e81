"""Splines: pieces of polynomials on the cells of an arrangement of breaks.

A :class:`Spline` has named variables and outputs, a list of breaks (irreducible polynomials), and
pieces. Each :class:`Piece` is a region (strict signs on some breaks), one polynomial per output,
and the evidence that its region is real. Regions are pairwise disjoint and their union is dense.

Boundary semantics: :meth:`Spline.evaluate` at a point off every break uses the unique piece whose
signs hold; on a break it uses every piece whose signs hold on the breaks that do not vanish there,
and raises :class:`~splinesym.errors.AmbiguousPointError` if those pieces disagree (a
discontinuity, which a spline does not have).

Examples
--------
>>> sp = Spline.from_pieces(["x"], ["f"], ["x"],
...     [([(0, 1)], ["x**2"]), ([(0, -1)], ["2*x**2"])])
>>> sp.evaluate([-1])
[Fraction(2, 1)]
>>> sp.evaluate([0])
[Fraction(0, 1)]
>>> len(sp.pieces), sp.max_degree()
(2, 2)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction

from .cells import Budget
from .cells.decision import UNDECIDED, WITNESS, Decision, check_witness
from .errors import AmbiguousPointError, InvalidInputError
from .poly import Poly, PolyRing, poly_degree_in
from .region import Region, factor_normalized

__all__ = ["Piece", "Spline"]


@dataclass(frozen=True)
class Piece:
    """A region, the output polynomials on it, and how the region is known to be real.

    ``decision`` is the full :class:`~splinesym.cells.decision.Decision` that labelled the
    region (with its evidence: witness, Farkas multipliers, sums of squares, product
    certificate), when there is one; ``witness``/``status``/``note`` repeat its main fields.
    """

    region: Region
    values: tuple[Poly, ...]
    witness: tuple[Fraction, ...] | None = None
    status: str = WITNESS
    note: str = ""
    decision: Decision | None = field(default=None, compare=False)

    @classmethod
    def decided(cls, region: Region, values: tuple[Poly, ...], d: Decision) -> Piece:
        """A piece labelled by the decision ``d`` (which it keeps, with its evidence)."""
        return cls(region, values, d.witness, d.status, d.note, d)

    def as_decision(self) -> Decision:
        """The decision behind this piece (rebuilt from its fields when none was kept)."""
        if self.decision is not None:
            return self.decision
        return Decision(self.status if self.status != "given" else UNDECIDED, self.witness,
                        note=self.note)


@dataclass
class Spline:
    """A piecewise polynomial map R^n -> R^m.

    Attributes
    ----------
    ring : PolyRing
        The ring of every polynomial: the variables, then any weight symbols (``parameters``).
    variables : list of str
        Input variables.
    outputs : list of str
        Output names.
    breaks : list of Poly
        Irreducible, normalised breaks; regions refer to them by index.
    pieces : list of Piece
    break_labels : list of list of str
        Where each break came from (layer, head, query/key pair or hidden unit).
    complete : bool
        False when some cells may be missing (a budget stopped the work, for instance).
    notes : list of str
        What the computation wants the reader to know (incompleteness, dropped layer norms...).
    stats : dict
        Counts and timings.
    """

    ring: PolyRing
    variables: list[str]
    outputs: list[str]
    breaks: list[Poly]
    pieces: list[Piece]
    break_labels: list[list[str]] = field(default_factory=list)
    complete: bool = True
    notes: list[str] = field(default_factory=list)
    stats: dict = field(default_factory=dict)
    #: regions a budget left unexpanded: ``(conditions as [(break string, sign)], pending
    #: breaks as strings, what was done)``; the pieces do not cover them
    unexpanded: list = field(default_factory=list)
    #: sign patterns shown empty while the pieces were found: ``(Region, Decision)`` with the
    #: decision's evidence (Farkas multipliers, product certificate, or the solver's word)
    empty: list = field(default_factory=list)

    def __repr__(self) -> str:
        state = "complete" if self.complete else "INCOMPLETE"
        return (f"Spline({len(self.variables)} variables -> {len(self.outputs)} outputs, "
                f"{len(self.pieces)} pieces, {len(self.breaks)} breaks, "
                f"max degree {self.max_degree()}, {state})")

    def _repr_latex_(self) -> str | None:
        """Jupyter: the pieces as ``cases`` with the breaks named ``g_k`` (the first
        ``display.SHOW["latex_rows"]`` rows per output; the rest are counted)."""
        from .display import SHOW, spline_latex

        return "$$" + spline_latex(self, max_rows=SHOW["latex_rows"]).replace(
            "\n\n", "\\\\[1em]") + "$$"

    def _repr_html_(self, all: bool = False) -> str:  # noqa: A002
        """Jupyter: a summary table, the breaks and the pieces in collapsed sections."""
        from .display import spline_html

        return spline_html(self, max_pieces=len(self.pieces) if all else None)

    def to_sympy(self, output: int | None = None):
        """A sympy ``Piecewise`` per output (a list for several outputs) with mutually exclusive
        conditions (see :func:`splinesym.display.spline_to_sympy`)."""
        from .display import spline_to_sympy

        return spline_to_sympy(self, output)

    # -- construction -----------------------------------------------------------------------
    @classmethod
    def from_pieces(cls, variables: Sequence[str], outputs: Sequence[str],
                    breaks: Sequence[str], pieces: Sequence, *, find_witnesses: bool = True,
                    parameters: Sequence[str] = ()) -> Spline:
        """Build from strings: ``pieces`` is a list of ``(region, values)`` with ``region`` a list
        of ``(break index, +1/-1 or "+"/"-")`` pairs. Witnesses are searched (status ``given``
        when none is found)."""
        ring = PolyRing([*variables, *parameters])
        bp = [ring.parse(b) for b in breaks]
        out = []
        for reg, vals in pieces:
            region = Region({int(k): (1 if s in (1, "+") else -1) for k, s in reg})
            out.append(Piece(region, tuple(ring.parse(v) for v in vals), None, "given"))
        sp = cls(ring, list(variables), list(outputs), bp, out,
                 [[] for _ in bp])
        if find_witnesses:
            sp = sp.with_witnesses()
        return sp

    def with_witnesses(self, budget: Budget | None = None) -> Spline:
        """Search a witness for every piece without one (labels updated)."""
        from .cells import Decider
        from .region import BreakTable

        table = BreakTable(self.ring)
        for b in self.breaks:
            table.polys.append(b)
            table.labels.append([])
        dec = Decider(table, budget or Budget(solver_timeout=2.0))
        pieces = []
        for p in self.pieces:
            if p.witness is not None and check_witness(self.conditions(p.region), p.witness):
                pieces.append(p)
                continue
            d = dec.decide(p.region)
            if d.nonempty:
                pieces.append(replace(p, witness=d.witness, status=WITNESS, decision=d))
            elif d.empty:
                pieces.append(replace(p, status=d.status, witness=None, note=d.note,
                                      decision=d))
            else:
                pieces.append(replace(p, status=p.status if p.status == "given" else UNDECIDED))
        return replace(self, pieces=pieces)

    # -- queries ----------------------------------------------------------------------------
    @property
    def nvars(self) -> int:
        return len(self.variables)

    @property
    def parameters(self) -> list[str]:
        return list(self.ring.names[len(self.variables):])

    def conditions(self, region: Region) -> list[tuple[Poly, int]]:
        return [(self.breaks[k], s) for k, s in region]

    def locate(self, point: Sequence) -> list[int]:
        """Indices of the pieces whose signs hold at ``point`` on every break not zero there."""
        pt = [Fraction(v) for v in point]
        if len(pt) != self.ring.nvars:
            raise InvalidInputError(f"point has {len(pt)} coordinates, expected "
                                    f"{self.ring.nvars}", "point")
        signs: dict[int, int] = {}
        out = []
        for i, p in enumerate(self.pieces):
            ok = True
            for k, s in p.region:
                if k not in signs:
                    v = self.ring.evaluate(self.breaks[k], pt)
                    signs[k] = (v > 0) - (v < 0)
                if signs[k] != 0 and signs[k] != s:
                    ok = False
                    break
            if ok:
                out.append(i)
        return out

    def evaluate(self, point: Sequence) -> list[Fraction]:
        """Exact value at a rational point (see the module docstring for points on breaks)."""
        idx = self.locate(point)
        if not idx:
            where = " (a budget left some regions unexpanded)" if self.unexpanded else ""
            raise AmbiguousPointError(f"no piece contains {list(point)}{where}")
        vals = None
        for i in idx:
            v = [self.ring.evaluate(p, point) for p in self.pieces[i].values]
            if vals is None:
                vals = v
            elif v != vals:
                raise AmbiguousPointError(
                    f"pieces {idx[0]} and {i} disagree at {list(point)}: discontinuous there")
        return vals

    __call__ = evaluate

    def piece_degree(self, piece: Piece) -> int:
        idx = list(range(self.nvars))
        return max((poly_degree_in(v, idx) for v in piece.values), default=-1)

    def max_degree(self) -> int:
        """Largest total degree (in the variables) of any output polynomial of any piece."""
        return int(max((self.piece_degree(p) for p in self.pieces), default=-1))

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for p in self.pieces:
            out[p.status] = out.get(p.status, 0) + 1
        return out

    # -- algebra ----------------------------------------------------------------------------
    def merge(self) -> Spline:
        """Merge neighbouring pieces with equal values whose union is again a sign condition
        (the two regions differ only in the sign of one break, which is then dropped)."""
        from .region import poly_key

        pieces = list(self.pieces)
        changed = True
        while changed:
            changed = False
            groups: dict[tuple, list[int]] = {}
            for i, p in enumerate(pieces):
                groups.setdefault(tuple(poly_key(v) for v in p.values), []).append(i)
            used: set[int] = set()
            merged: list[Piece] = []
            for idxs in groups.values():
                by_rest: dict[tuple, int] = {}
                for i in idxs:
                    if i in used:
                        continue
                    p = pieces[i]
                    for k, _s in p.region:
                        key = (k, p.region.drop(k))
                        j = by_rest.get(key)
                        if j is not None and j not in used:
                            q = pieces[j]
                            used.update((i, j))
                            w = p.witness if p.status == WITNESS else q.witness
                            st = WITNESS if WITNESS in (p.status, q.status) else p.status
                            merged.append(Piece(p.region.drop(k), p.values, w, st))
                            changed = True
                            break
                    else:
                        for k, _s in p.region:
                            by_rest[(k, p.region.drop(k))] = i
            pieces = [p for i, p in enumerate(pieces) if i not in used] + merged
        used_breaks = sorted({k for p in pieces for k, _ in p.region}
                             | {k for r, _ in self.empty for k, _ in r})
        return self._reindex(pieces, used_breaks)

    def _reindex(self, pieces: list[Piece], keep: list[int]) -> Spline:
        from .cells.evidence import remap_psatz

        new = {k: i for i, k in enumerate(keep)}

        def move(d: Decision | None) -> Decision | None:
            if d is None or d.evidence is None:
                return d
            return replace(d, evidence=remap_psatz(d.evidence, new))

        pieces = [replace(p, region=Region({new[k]: s for k, s in p.region}),
                          decision=move(p.decision)) for p in pieces]
        empty = [(Region({new[k]: s for k, s in r}), move(d)) for r, d in self.empty]
        labels = [self.break_labels[k] if k < len(self.break_labels) else [] for k in keep]
        return replace(self, breaks=[self.breaks[k] for k in keep], pieces=pieces,
                       break_labels=labels, empty=empty)

    def _engine_view(self, budget: Budget | None = None):
        """An engine whose break table starts with this spline's breaks, and the partition."""
        from .piecewise import Cell, Engine, Partition

        eng = Engine(self.ring, budget)
        for b in self.breaks:
            eng.table.add(b)
        cells = [Cell(p.region, p.as_decision()) for p in self.pieces]
        return eng, Partition(cells, eng.root, [0] * len(cells))

    def _combine(self, other: Spline, op, outputs=None, budget: Budget | None = None) -> Spline:
        from .piecewise import Engine

        if other.ring != self.ring:
            raise InvalidInputError("splines have different variables", "variables")
        eng = Engine(self.ring, budget)
        ia = [eng.table.add(b) for b in self.breaks]
        ib = [eng.table.add(b) for b in other.breaks]
        pieces = []
        complete = self.complete and other.complete
        for pa in self.pieces:
            ra = {ia[k]: s for k, s in pa.region}
            for pb in other.pieces:
                rb = {ib[k]: s for k, s in pb.region}
                if any(ra.get(k, s) != s for k, s in rb.items()):
                    continue
                reg = Region({**ra, **rb})
                d = eng.decider.decide(reg, [pa.witness, pb.witness])
                if d.empty:
                    continue
                pieces.append(Piece.decided(reg, tuple(op(pa.values, pb.values)), d))
        return Spline(self.ring, self.variables, outputs or self.outputs, list(eng.table.polys),
                      pieces, [[] for _ in eng.table.polys], complete,
                      [*self.notes, *other.notes])

    def __add__(self, other: Spline) -> Spline:
        return self._combine(other, lambda a, b: [x + y for x, y in zip(a, b)])

    def __sub__(self, other: Spline) -> Spline:
        return self._combine(other, lambda a, b: [x - y for x, y in zip(a, b)])

    def __mul__(self, other: Spline) -> Spline:
        return self._combine(other, lambda a, b: [x * y for x, y in zip(a, b)])

    def __neg__(self) -> Spline:
        return replace(self, pieces=[replace(p, values=tuple(-v for v in p.values))
                                     for p in self.pieces])

    def map_values(self, fn) -> Spline:
        """Apply a polynomial map to the output vector of every piece."""
        return replace(self, pieces=[replace(p, values=tuple(fn(p.values)))
                                     for p in self.pieces])

    def relu(self, budget: Budget | None = None) -> Spline:
        """Entrywise ReLU of the outputs: each piece is refined by the signs of its values."""
        import numpy as np

        from .piecewise import PArray

        eng, part = self._engine_view(budget)
        vals = []
        for p in self.pieces:
            a = np.empty((1, len(p.values)), dtype=object)
            for j, v in enumerate(p.values):
                a[0, j] = v
            vals.append(a)
        out = eng.relu(PArray(eng, part, vals))
        return self._from_parray(eng, out)

    def _from_parray(self, eng, arr) -> Spline:
        pieces = [Piece.decided(c.region, tuple(v.reshape(-1)), c.decision)
                  for c, v in zip(arr.partition.cells, arr.values)]
        return Spline(self.ring, self.variables, self.outputs, list(eng.table.polys), pieces,
                      [list(lb) for lb in eng.table.labels],
                      self.complete and arr.partition.complete,
                      [*self.notes, *arr.partition.notes])

    def maximum(self, other: Spline) -> Spline:
        """Entrywise max(self, other) = self + relu(other - self)."""
        return self + (other - self).relu()

    def minimum(self, other: Spline) -> Spline:
        """Entrywise min(self, other) = self - relu(self - other)."""
        return self - (self - other).relu()

    def compose(self, polys: Sequence[Poly | str], ring: PolyRing | None = None,
                budget: Budget | None = None) -> Spline:
        """``x -> self(P(x))`` for a polynomial map ``P`` (one polynomial per variable of self),
        in the variables of ``ring`` (default: the same ring)."""
        from .piecewise import Engine

        ring = ring or self.ring
        P = [ring.parse(p) if isinstance(p, str) else p for p in polys]
        if len(P) != self.ring.nvars:
            raise InvalidInputError(f"need {self.ring.nvars} polynomials, got {len(P)}", "map")
        eng = Engine(ring, budget)
        pieces = []
        complete = self.complete
        notes = list(self.notes)
        from .cells import enumerate_cells

        subs = [b.compose(*P, ctx=ring.ctx) for b in self.breaks]
        facts = [eng.sign_factorization(g) if not g.is_constant() else None for g in subs]
        need = sorted({k for f in facts if f is not None for k in f.odd_breaks()})
        enum = enumerate_cells(eng.decider, Region(), need, base_connected=True)
        if not enum.complete:
            complete = False
            notes.append(enum.reason)
        values = [tuple(v.compose(*P, ctx=ring.ctx) for v in p.values) for p in self.pieces]
        for pat, d in enum.cells.items():
            reg = enum.region(pat)
            for p, vals in zip(self.pieces, values):
                if all(self._holds(subs[k], facts[k], reg, s) for k, s in p.region):
                    pieces.append(Piece.decided(reg, vals, d))
                    break
        return Spline(ring, list(ring.names), self.outputs, list(eng.table.polys), pieces,
                      [[] for _ in eng.table.polys], complete, notes)

    @staticmethod
    def _holds(g: Poly, fact, region: Region, s: int) -> bool:
        if fact is None:
            return (g.coeffs()[0] if not g.is_zero() else 0) * s > 0
        return fact.sign_in(region) == s

    def is_polynomial_factorised(self) -> bool:
        """True when every break is irreducible in normal form (as splinesym stores them)."""
        for b in self.breaks:
            _, f = factor_normalized(b)
            if len(f) != 1 or f[0][1] != 1:
                return False
        return True
