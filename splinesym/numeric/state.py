"""The resumable state of an incremental expansion (``splinesym.expansion-state/1``), and the
spline made of its finished cells.

The state is plain JSON (see docs/FORMATS.md): the model, the finished cells (region as
``[break polynomial, sign]`` pairs, output polynomials, witness, status), the pending units
(regions not yet processed, depth-first order) and counters. Readers accept exactly version 1.

Examples
--------
>>> from splinesym.nn.zoo import random_model
>>> from splinesym.nn.model import model_from_dict
>>> from splinesym.numeric.incremental import expand_incremental
>>> m = model_from_dict(random_model("ffn", seed=1, tokens=1, dim=2, hidden=2))
>>> st = expand_incremental(m)
>>> st2 = state_from_dict(state_to_dict(st))
>>> len(st2.finished) == len(st.finished), state_spline(st2, m).complete
(True, True)
"""

from __future__ import annotations

import json
import os
from fractions import Fraction
from typing import Any

from ..errors import InvalidInputError
from ..io.jsonio import check_format, read_json, write_atomic
from ..nn.model import Model, model_from_dict
from ..poly import PolyRing
from ..region import Region
from ..spline import Piece, Spline
from .incremental import ExpansionState

__all__ = ["FORMAT", "state_to_dict", "state_from_dict", "read_state", "write_state",
           "state_spline"]

FORMAT = "splinesym.expansion-state/1"


def state_to_dict(st: ExpansionState) -> dict:
    """The state as a ``splinesym.expansion-state/1`` object (cells sorted canonically)."""
    return {"format": FORMAT, "model": st.model, "complete": st.complete,
            "stopped": st.stopped, "patterns_examined": st.patterns,
            "units_processed": st.units_processed, "decisions": dict(sorted(
                st.decisions.items())), "notes": list(st.notes),
            "finished": sorted(st.finished, key=_cell_key), "pending": list(st.pending)}


def _cell_key(c: dict) -> tuple:
    return (sorted(map(tuple, c["region"])), c["values"])


def _units(v: Any, field: str, cells: bool) -> list[dict]:
    if not isinstance(v, list):
        raise InvalidInputError("expected a list", field)
    for i, u in enumerate(v):
        f = f"{field}[{i}]"
        if not isinstance(u, dict) or not isinstance(u.get("region"), list):
            raise InvalidInputError("expected an object with a region list", f)
        for j, c in enumerate(u["region"]):
            if (not isinstance(c, list) or len(c) != 2 or not isinstance(c[0], str)
                    or c[1] not in ("+", "-")):
                raise InvalidInputError("expected [break polynomial, '+' or '-']",
                                        f"{f}.region[{j}]")
        for k in ("status", "method"):
            if not isinstance(u.get(k), str):
                raise InvalidInputError("missing or not a string", f"{f}.{k}")
        w = u.get("witness")
        if w is not None and not (isinstance(w, list) and all(isinstance(x, str) for x in w)):
            raise InvalidInputError("expected null or a list of rational strings",
                                    f"{f}.witness")
        if cells and not (isinstance(u.get("values"), list)
                          and all(isinstance(x, str) for x in u["values"])):
            raise InvalidInputError("expected a list of polynomial strings", f"{f}.values")
    return v


def state_from_dict(data: Any) -> ExpansionState:
    """Validate and read a state object (errors name the field)."""
    check_format(data, FORMAT)
    model = data.get("model")
    if not isinstance(model, dict):
        raise InvalidInputError("missing or not a splinesym.model/1 object", "model")
    model_from_dict(model)  # validated
    st = ExpansionState(model, _units(data.get("finished"), "finished", True),
                        _units(data.get("pending"), "pending", False))
    for key in ("patterns_examined", "units_processed"):
        v = data.get(key, 0)
        if isinstance(v, bool) or not isinstance(v, int) or v < 0:
            raise InvalidInputError("must be a non-negative integer", key)
    st.patterns = data.get("patterns_examined", 0)
    st.units_processed = data.get("units_processed", 0)
    decisions = data.get("decisions") or {}
    if not isinstance(decisions, dict) or not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 0
            for v in decisions.values()):
        raise InvalidInputError("expected an object of non-negative counts", "decisions")
    notes = data.get("notes") or []
    if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
        raise InvalidInputError("expected a list of strings", "notes")
    if not isinstance(data.get("complete", False), bool):
        raise InvalidInputError("expected true or false", "complete")
    st.decisions = dict(decisions)
    st.notes = list(notes)
    return st


def read_state(path: str | os.PathLike) -> ExpansionState:
    """Read a state file; errors name the file, the field and the problem."""
    data = read_json(path)
    try:
        return state_from_dict(data)
    except InvalidInputError as exc:
        raise exc.located(source=str(path)) from None


def write_state(st: ExpansionState, path: str | os.PathLike) -> None:
    """Write the state atomically."""
    write_atomic(path, json.dumps(state_to_dict(st), indent=1) + "\n")


def state_spline(st: ExpansionState, model: Model, merge: bool = True) -> Spline:
    """The spline of the finished cells (breaks sorted canonically; merged when complete).

    An incomplete state gives an incomplete spline whose ``unexpanded`` lists the pending
    regions: the pieces do not cover them.
    """
    ring = PolyRing(model.variables())
    names = sorted({b for c in st.finished for b, _ in c["region"]}
                   | {b for u in st.pending for b, _ in u["region"]})
    index = {b: i for i, b in enumerate(names)}
    pieces = []
    for c in sorted(st.finished, key=_cell_key):
        region = Region({index[b]: 1 if s == "+" else -1 for b, s in c["region"]})
        w = tuple(Fraction(v) for v in c["witness"]) if c["witness"] else None
        pieces.append(Piece(region, tuple(ring.parse(v) for v in c["values"]), w,
                            c["status"]))
    notes = list(st.notes)
    if not st.complete:
        notes.append(f"budget: {st.stopped or 'stopped'}; {len(st.finished)} cell(s) finished "
                     f"and kept, {len(st.pending)} region(s) not expanded yet (listed under "
                     "'unexpanded'; continue with --resume STATE)")
    sp = Spline(ring, model.variables(), model.output_names(), [ring.parse(b) for b in names],
                pieces, [[] for _ in names], st.complete, notes)
    if merge and st.complete:
        sp = sp.merge()
    sp.unexpanded = [([(b, 1 if s == "+" else -1) for b, s in u["region"]], [],
                      "not examined (resume from the state file)") for u in st.pending]
    return sp
