"""Exact expansion cell by cell (depth first), keeping what is finished when a budget stops it.

A *unit* is a region (sign conditions on breaks, written as polynomial strings) with its
witness. Processing a unit (:func:`process_unit`) runs the single forward pass on piecewise
arrays restricted to the unit's region, in a fresh engine, until the first ReLU stage that
splits it: the children (the realised sign patterns of the new breaks inside the region, each
decided with its evidence) become new units; a unit that reaches the output without splitting
is a *finished cell*, with its polynomials. Processing is a pure function of the unit (no state
is shared between units), so units can run in any order, on processes or on a Dask cluster,
and give the same cells.

:func:`expand_incremental` keeps a stack of pending units (children first: depth first, so
finished cells appear steadily), processes them in waves of fixed size and stops cleanly when
the time or cell budget runs out: the finished cells are kept and the pending regions are
listed; :mod:`~splinesym.numeric.state` writes and reads the resumable state.

Examples
--------
>>> from splinesym.nn.zoo import random_model
>>> from splinesym.nn.model import model_from_dict
>>> m = model_from_dict(random_model("encoder_block", seed=1, tokens=2, dim=1, hidden=1))
>>> st = expand_incremental(m)
>>> st.complete, len(st.finished) > 0, st.pending
(True, True, [])
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction

from ..cells import Budget
from ..cells.decision import WITNESS, Decision
from ..errors import SymbolicWeightsError
from ..nn.expand import SplineBackend, check_expandable
from ..nn.forward import forward
from ..nn.model import Model, model_from_dict, model_to_dict
from ..piecewise import Cell, Engine, PArray, Partition
from ..poly import PolyRing
from ..region import Region
from .parallel import TaskRunner

__all__ = ["ExpansionState", "process_unit", "expand_incremental", "root_unit", "WAVE"]

#: units processed per wave and per worker (results are absorbed in unit order and a cell
#: budget is checked after each one, so the stopping point does not depend on the wave size);
#: a serial run goes strictly depth first (one unit per wave)
WAVE = 2


class _Split(Exception):
    def __init__(self, partition: Partition, stage: str):
        self.partition = partition
        self.stage = stage


class _Stopped(Exception):
    pass


class _SplitOnceBackend(SplineBackend):
    """Stops the forward pass at the first ReLU stage that splits the unit's cell."""

    def activation(self, S, kind, beta, mask, label):
        before = self.finest
        out = super().activation(S, kind, beta, mask, label)
        if self.engine.unexpanded or self.engine.budget.exhausted_reason():
            raise _Stopped()
        if out.partition is not before and out.partition not in before.ancestry():
            raise _Split(out.partition, self.stages[-1]["stage"])
        return out


def root_unit() -> dict:
    """The unit of the whole input space (witness: the origin)."""
    return {"region": [], "witness": None, "status": WITNESS, "method": "root"}


def _unit_of(ring: PolyRing, table, cell: Cell) -> dict:
    d = cell.decision
    return {"region": [[ring.format(table[k]), "+" if s > 0 else "-"] for k, s in cell.region],
            "witness": None if d.witness is None else [str(v) for v in d.witness],
            "status": d.status, "method": d.method}


def process_unit(task: dict) -> dict:
    """Process one unit: ``{"kind": "finished" | "split" | "stopped", ...}`` (plain data)."""
    model = model_from_dict(task["model"])
    unit = task["unit"]
    ring = PolyRing(model.variables())
    deadline = task.get("deadline")
    left = None if deadline is None else max(0.0, deadline - time.time())
    budget = Budget(left, None, task.get("solver_timeout", 10.0))
    eng = Engine(ring, budget, sample_size=task.get("sample_size", 2000))
    # a fresh engine per unit (no shared state): keep its sample cloud small
    eng.decider.large_sample = task.get("large_sample", 20000)
    signs = {eng.table.add(ring.parse(b)): (1 if s == "+" else -1) for b, s in unit["region"]}
    wit = unit.get("witness")
    if unit["method"] == "root":
        decision = eng.root.cells[0].decision
    else:
        decision = Decision(unit["status"], tuple(Fraction(v) for v in wit) if wit else None,
                            method=unit["method"])
    eng.root = Partition([Cell(Region(signs), decision)])
    be = _SplitOnceBackend(eng)
    X = eng.variables_array(model.input_names())
    Y = eng.variables_array(model.target_names()) if model.decoder else None
    t0 = time.monotonic()
    try:
        out = forward(model, be, X, Y)
    except _Stopped:
        return {"kind": "stopped", "patterns": budget.cells_used,
                "reason": budget.exhausted_reason() or "budget"}
    except _Split as sp:
        cells = sp.partition.cells
        return {"kind": "split", "stage": sp.stage, "patterns": budget.cells_used,
                "children": [_unit_of(ring, eng.table, c) for c in cells],
                "notes": list(sp.partition.notes),
                "decisions": dict(eng.decider.counts), "seconds": time.monotonic() - t0}
    vals = out.values[0] if isinstance(out, PArray) else eng.lift_constant(out)
    cell = _unit_of(ring, eng.table, eng.root.cells[0])
    cell["values"] = [ring.format(v) for v in vals.reshape(-1)]
    return {"kind": "finished", "cell": cell, "patterns": budget.cells_used,
            "decisions": dict(eng.decider.counts)}


@dataclass
class ExpansionState:
    """Finished cells (with polynomials), pending units, and counters of one expansion."""

    model: dict
    finished: list[dict] = field(default_factory=list)
    pending: list[dict] = field(default_factory=lambda: [root_unit()])
    patterns: int = 0
    units_processed: int = 0
    decisions: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    stopped: str | None = None

    @property
    def complete(self) -> bool:
        return not self.pending and self.stopped is None


def _absorb(state: ExpansionState, unit: dict, res: dict) -> bool:
    """Fold one result into the state; False when the unit was stopped (kept pending)."""
    if res["kind"] == "stopped":
        return False
    state.patterns += res["patterns"]
    state.units_processed += 1
    for k, v in res.get("decisions", {}).items():
        state.decisions[k] = state.decisions.get(k, 0) + v
    if res["kind"] == "finished":
        state.finished.append(res["cell"])
    else:
        state.notes.extend(n for n in res.get("notes", []) if n not in state.notes)
    return True


def expand_incremental(model: Model, *, state: ExpansionState | None = None,
                       time_limit: float | None = None, max_cells: int | None = None,
                       solver_timeout: float = 10.0, jobs: int = 1,
                       scheduler=None) -> ExpansionState:
    """Expand depth first, unit by unit, until done or until the budget stops it.

    ``max_cells`` bounds the sign patterns examined (counted per unit and checked after each
    unit, in unit order, so the stopping point does not depend on ``jobs``);
    ``time_limit`` bounds the wall-clock seconds (a unit running when it expires is returned
    to the pending list, nothing half-done is kept). ``state`` continues a previous run.
    """
    check_expandable(model)
    if model.symbols():
        raise SymbolicWeightsError("incremental expansion needs numeric weights")
    md = model_to_dict(model)
    st = state or ExpansionState(md)
    st.stopped = None
    t0 = time.monotonic()
    with TaskRunner(jobs, scheduler) as runner:
        _loop(st, md, runner, t0, time_limit, max_cells, solver_timeout, jobs, scheduler)
    return st


def _loop(st: ExpansionState, md: dict, runner: TaskRunner, t0: float, time_limit,
          max_cells, solver_timeout: float, jobs: int, scheduler) -> None:
    """Process waves of pending units until done or stopped (updates ``st``)."""
    while st.pending:
        left = None if time_limit is None else time_limit - (time.monotonic() - t0)
        if left is not None and left <= 0:
            st.stopped = f"time limit of {time_limit:g} s reached"
            break
        if max_cells is not None and st.patterns >= max_cells:
            st.stopped = f"cell budget of {max_cells} reached"
            break
        size = 1 if jobs == 1 and scheduler is None else WAVE * (jobs if scheduler is None
                                                                 else 4)
        wave, rest = st.pending[:size], st.pending[size:]
        deadline = None if left is None else time.time() + left  # wall clock: shared by workers
        tasks = [{"model": md, "unit": u, "deadline": deadline,
                  "solver_timeout": solver_timeout} for u in wave]
        results = runner.map(process_unit, tasks)
        front: list[dict] = []
        for u, res in zip(wave, results):
            if st.stopped or (max_cells is not None and st.patterns >= max_cells):
                st.stopped = st.stopped or f"cell budget of {max_cells} reached"
                front.append(u)  # computed, but past the budget: kept pending
                continue
            if not _absorb(st, u, res):
                front.append(u)
                st.stopped = f"time limit of {time_limit:g} s reached" if time_limit \
                    else res.get("reason")
            elif res["kind"] == "split":
                front.extend(res["children"])
        st.pending = front + rest
        if st.stopped:
            break
