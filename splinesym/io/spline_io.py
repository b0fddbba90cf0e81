"""The ``splinesym.spline/1`` format: reading (validated) and writing.

Examples
--------
>>> from splinesym.spline import Spline
>>> sp = Spline.from_pieces(["x"], ["f"], ["x"], [([(0, 1)], ["x"]), ([(0, -1)], ["0"])])
>>> d = spline_to_dict(sp)
>>> d["pieces"][0]["region"], d["pieces"][0]["values"]
([[0, '+']], ['x'])
>>> spline_from_dict(d).evaluate([3])
[Fraction(3, 1)]
"""

from __future__ import annotations

import json
import os
from fractions import Fraction
from typing import Any

from ..cells.decision import LABELS, UNDECIDED, WITNESS, Decision, check_witness
from ..errors import InvalidInputError
from ..limits import check_cap
from ..poly import PolyRing
from ..region import Region
from ..spline import Piece, Spline
from .jsonio import check_format, number_to_json, parse_number, read_json, write_atomic

FORMAT = "splinesym.spline/1"
STATUSES = (*LABELS, "given")

__all__ = ["spline_to_dict", "spline_from_dict", "read_spline", "write_spline", "FORMAT"]


def spline_to_dict(sp: Spline) -> dict:
    """The ``splinesym.spline/1`` object (plus optional descriptive fields)."""
    R = sp.ring
    out: dict[str, Any] = {
        "format": FORMAT,
        "variables": list(sp.variables),
        "outputs": list(sp.outputs),
        "breaks": [R.format(b) for b in sp.breaks],
        "pieces": [],
    }
    if sp.parameters:
        out["parameters"] = sp.parameters
    for p in sp.pieces:
        out["pieces"].append({
            "region": [[k, "+" if s > 0 else "-"] for k, s in p.region],
            "values": [R.format(v) for v in p.values],
            "witness": None if p.witness is None else [number_to_json(v) for v in p.witness],
            "status": p.status,
        })
        if p.note:
            out["pieces"][-1]["note"] = p.note
        if p.decision is not None and p.decision.evidence is not None:
            out["pieces"][-1]["evidence"] = p.decision.evidence
    if any(sp.break_labels):
        out["break_origins"] = [list(lb) for lb in sp.break_labels]
    out["complete"] = sp.complete
    if sp.unexpanded:
        out["unexpanded"] = [{"region": [[b, "+" if s > 0 else "-"] for b, s in reg],
                              "pending_breaks": pend, "note": what}
                             for reg, pend, what in sp.unexpanded]
    if sp.notes:
        out["notes"] = list(sp.notes)
    if sp.empty:
        out["empty_cells"] = [empty_cell_to_dict(r, d) for r, d in sp.empty]
    return out


def empty_cell_to_dict(region: Region, d: Decision) -> dict:
    """A region shown empty, with how (``status``, ``method``) and its evidence: a product
    certificate (``evidence``, the ``psatz`` format of docs/FORMATS.md), Farkas
    ``multipliers``, or nothing for the solver's (trusted) word."""
    rec: dict[str, Any] = {"region": [[k, "+" if s > 0 else "-"] for k, s in region],
                           "status": d.status, "method": d.method}
    if d.evidence is not None:
        rec["evidence"] = d.evidence
    if d.multipliers is not None:
        rec["multipliers"] = [number_to_json(v) for v in d.multipliers]
    if d.note:
        rec["note"] = d.note
    return rec


def _empty_cell_from_dict(rec: Any, field: str, nbreaks: int) -> tuple[Region, Decision]:
    if not isinstance(rec, dict):
        raise InvalidInputError("expected an object", field)
    signs = _region(rec.get("region", []), f"{field}.region", nbreaks)
    status = rec.get("status")
    if status not in LABELS or status in (WITNESS, UNDECIDED):
        raise InvalidInputError(f"not an emptiness label: {status!r}", f"{field}.status")
    ev = rec.get("evidence")
    if ev is not None and (not isinstance(ev, dict) or not isinstance(ev.get("terms"), list)):
        raise InvalidInputError("expected psatz evidence with a list of terms",
                                f"{field}.evidence")
    mult = rec.get("multipliers")
    if mult is not None:
        if not isinstance(mult, list):
            raise InvalidInputError("expected a list of numbers", f"{field}.multipliers")
        mult = tuple(Fraction(parse_number(v, f"{field}.multipliers[{j}]"))
                     for j, v in enumerate(mult))
    return Region(signs), Decision(status, multipliers=mult, method=str(rec.get("method", "")),
                                   note=str(rec.get("note", "")), evidence=ev)


def _region(reg: Any, field: str, nbreaks: int) -> dict[int, int]:
    if not isinstance(reg, list):
        raise InvalidInputError("expected a list of [break index, sign] pairs", field)
    signs: dict[int, int] = {}
    for j, c in enumerate(reg):
        if (not isinstance(c, list) or len(c) != 2 or isinstance(c[0], bool)
                or not isinstance(c[0], int) or isinstance(c[1], bool)
                or c[1] not in ("+", "-", 1, -1)):
            raise InvalidInputError('expected [break index, "+" or "-"]', f"{field}[{j}]")
        if not 0 <= c[0] < nbreaks:
            raise InvalidInputError(f"break index {c[0]} out of range (0..{nbreaks - 1})",
                                    f"{field}[{j}]")
        s = 1 if c[1] in ("+", 1) else -1
        if signs.get(c[0], s) != s:
            raise InvalidInputError(f"break {c[0]} given both signs", field)
        signs[c[0]] = s
    return signs


def _strings(data: dict, key: str, field: str) -> list[str]:
    v = data.get(key)
    if not isinstance(v, list) or not all(isinstance(s, str) for s in v):
        raise InvalidInputError("expected a list of strings", field)
    return v


def spline_from_dict(data: Any, *, verify_witnesses: bool = True) -> Spline:
    """Validate and convert a parsed ``splinesym.spline/1`` object.

    Witnesses are checked exactly to lie in their regions (``verify_witnesses``).
    """
    check_format(data, FORMAT)
    variables = _strings(data, "variables", "variables")
    outputs = _strings(data, "outputs", "outputs")
    if not variables:
        raise InvalidInputError("expected a nonempty list of variable names", "variables")
    if not outputs:
        raise InvalidInputError("expected a nonempty list of output names", "outputs")
    check_cap("variables", len(variables), "variables")
    params = _strings(data, "parameters", "parameters") if "parameters" in data else []
    try:
        ring = PolyRing([*variables, *params])
    except InvalidInputError as exc:
        raise exc.located(prefix="variables") from None
    breaks = []
    for i, b in enumerate(_strings(data, "breaks", "breaks")):
        try:
            p = ring.parse(b)
        except InvalidInputError as exc:
            raise InvalidInputError(exc.problem, f"breaks[{i}]") from None
        if p.is_constant():
            raise InvalidInputError("a break must not be constant", f"breaks[{i}]")
        breaks.append(p)
    raw = data.get("pieces")
    if not isinstance(raw, list) or not raw:
        raise InvalidInputError("expected a nonempty list of pieces", "pieces")
    pieces = []
    for i, pd in enumerate(raw):
        f = f"pieces[{i}]"
        if not isinstance(pd, dict):
            raise InvalidInputError("expected an object", f)
        signs = _region(pd.get("region", []), f"{f}.region", len(breaks))
        vals = pd.get("values")
        if not isinstance(vals, list) or len(vals) != len(outputs):
            raise InvalidInputError(f"expected {len(outputs)} polynomial strings", f"{f}.values")
        polys = []
        for j, v in enumerate(vals):
            if isinstance(v, bool) or not isinstance(v, (str, int)):
                raise InvalidInputError(f"expected a polynomial string, got "
                                        f"{type(v).__name__}", f"{f}.values[{j}]")
            try:
                polys.append(ring.parse(v if isinstance(v, str) else str(v)))
            except InvalidInputError as exc:
                raise InvalidInputError(exc.problem, f"{f}.values[{j}]") from None
        status = pd.get("status", "given")
        if status not in STATUSES:
            raise InvalidInputError(f"unknown status {status!r}", f"{f}.status")
        wit = pd.get("witness")
        witness = None
        if wit is not None:
            if not isinstance(wit, list) or len(wit) != ring.nvars:
                raise InvalidInputError(f"expected {ring.nvars} coordinates or null",
                                        f"{f}.witness")
            witness = tuple(Fraction(parse_number(w, f"{f}.witness[{j}]"))
                            for j, w in enumerate(wit))
        region = Region(signs)
        if witness is not None and verify_witnesses:
            conds = [(breaks[k], s) for k, s in region]
            if not check_witness(conds, witness):
                raise InvalidInputError("witness is not inside the region", f"{f}.witness")
        ev = pd.get("evidence")
        if ev is not None and (not isinstance(ev, dict) or not isinstance(ev.get("terms"), list)):
            raise InvalidInputError("expected psatz evidence with a list of terms",
                                    f"{f}.evidence")
        decision = (Decision(status, witness, note=str(pd.get("note", "")), evidence=ev)
                    if ev is not None else None)
        pieces.append(Piece(region, tuple(polys), witness, status, str(pd.get("note", "")),
                            decision))
    labels = data.get("break_origins", None)
    if labels is None:
        labels = [[] for _ in breaks]
    if (not isinstance(labels, list) or len(labels) != len(breaks)
            or not all(isinstance(x, list) and all(isinstance(t, str) for t in x)
                       for x in labels)):
        raise InvalidInputError(f"expected a list of {len(breaks)} lists of strings (one per "
                                f"break) or null", "break_origins")
    notes = data.get("notes", None)
    if notes is None:
        notes = []
    if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
        raise InvalidInputError("expected a list of strings", "notes")
    complete = data.get("complete", True)
    if not isinstance(complete, bool):
        raise InvalidInputError(f"expected true or false, got {complete!r}"[:80], "complete")
    raw_empty = data.get("empty_cells", [])
    if not isinstance(raw_empty, list):
        raise InvalidInputError("expected a list", "empty_cells")
    empty = [_empty_cell_from_dict(r, f"empty_cells[{i}]", len(breaks))
             for i, r in enumerate(raw_empty)]
    return Spline(ring, variables, outputs, breaks, pieces, [list(x) for x in labels],
                  complete, list(notes), empty=empty)


def read_spline(path: str | os.PathLike, **kw) -> Spline:
    """Read and validate a spline file."""
    data = read_json(path)
    try:
        return spline_from_dict(data, **kw)
    except InvalidInputError as exc:
        raise exc.located(source=str(path)) from None


def write_spline(sp: Spline, path: str | os.PathLike) -> None:
    """Write a spline file atomically."""
    write_atomic(path, json.dumps(spline_to_dict(sp), indent=1) + "\n")
