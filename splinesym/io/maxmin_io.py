"""The ``splinesym.maxmin/1`` format: one max–min of polynomials per output.

::

    {"format": "splinesym.maxmin/1", "variables": ["x", "y"],
     "outputs": [{"name": "f", "max_of_mins": [["x*y", "x*(1 + y**2)"], ["0", "-x*(1 + y**2)"]]}],
     "method": "...", "notes": [...], "stats": {...}}          # optional, descriptive

meaning ``f = max_i min_j p_ij``. Polynomials are strings in sympy syntax over ``variables``;
a polynomial naming any other variable is an error (:class:`~splinesym.errors.InvalidInputError`
naming the file and the field).

Examples
--------
>>> d = {"format": "splinesym.maxmin/1", "variables": ["x", "y"],
...      "outputs": [{"name": "f", "max_of_mins": [["x*y", "x*(1 + y**2)"],
...                                                ["0", "-x*(1 + y**2)"]]}]}
>>> mm = maxmin_from_dict(d)
>>> mm.evaluate([2, -3]), mm.evaluate([-1, 5])
([Fraction(-6, 1)], [Fraction(0, 1)])
>>> maxmin_to_dict(mm)["outputs"][0]["max_of_mins"][0]
['x*y', 'x*y**2 + x']
>>> maxmin_text(mm).splitlines()[1]
'f = max( min(x*y, x*y**2 + x), min(0, -x*y**2 - x) )'
"""

from __future__ import annotations

import json
import os
from typing import Any

from ..errors import InvalidInputError
from ..lattice.expr import MaxMin
from ..limits import check_cap
from ..poly import PolyRing
from .jsonio import check_format, read_json, write_atomic

FORMAT = "splinesym.maxmin/1"

__all__ = ["FORMAT", "maxmin_to_dict", "maxmin_from_dict", "read_maxmin", "write_maxmin",
           "maxmin_text", "maxmin_latex"]


def maxmin_to_dict(mm: MaxMin, *, stats: bool = True) -> dict:
    """The ``splinesym.maxmin/1`` object (with ``method``, ``notes`` and ``size``)."""
    R = mm.ring
    out: dict[str, Any] = {"format": FORMAT, "variables": list(R.names), "outputs": []}
    for name, ts in zip(mm.outputs, mm.terms, strict=True):
        out["outputs"].append({"name": name,
                               "max_of_mins": [[R.format(p) for p in t] for t in ts]})
    if mm.method:
        out["method"] = mm.method
    if mm.notes:
        out["notes"] = list(mm.notes)
    size = mm.size()
    out["size"] = {k: v for k, v in size.items() if k != "outputs"}
    if stats and mm.stats:
        out["stats"] = dict(mm.stats)
    return out


def maxmin_from_dict(data: Any) -> MaxMin:
    """Validate and convert a parsed ``splinesym.maxmin/1`` object."""
    check_format(data, FORMAT)
    variables = data.get("variables")
    if (not isinstance(variables, list) or not variables
            or not all(isinstance(v, str) for v in variables)):
        raise InvalidInputError("expected a nonempty list of variable names", "variables")
    check_cap("variables", len(variables), "variables")
    try:
        ring = PolyRing(variables)
    except InvalidInputError as exc:
        raise InvalidInputError(exc.problem, "variables") from None
    outs = data.get("outputs")
    if not isinstance(outs, list) or not outs:
        raise InvalidInputError("expected a nonempty list of outputs", "outputs")
    names, terms = [], []
    for o, od in enumerate(outs):
        f = f"outputs[{o}]"
        if not isinstance(od, dict):
            raise InvalidInputError("expected an object {name, max_of_mins}", f)
        name = od.get("name", f"out{o + 1}")
        if not isinstance(name, str) or not name:
            raise InvalidInputError("expected a nonempty string", f"{f}.name")
        if name in names:
            raise InvalidInputError(f"output name {name!r} repeats", f"{f}.name")
        mm = od.get("max_of_mins")
        if not isinstance(mm, list) or not mm:
            raise InvalidInputError("expected a nonempty list of terms (lists of polynomials)",
                                    f"{f}.max_of_mins")
        ts = []
        for i, t in enumerate(mm):
            if not isinstance(t, list) or not t:
                raise InvalidInputError("expected a nonempty list of polynomials",
                                        f"{f}.max_of_mins[{i}]")
            row = []
            for j, s in enumerate(t):
                fld = f"{f}.max_of_mins[{i}][{j}]"
                if isinstance(s, bool) or not isinstance(s, (str, int)):
                    raise InvalidInputError("expected a polynomial string", fld)
                try:
                    row.append(ring.parse(s if isinstance(s, str) else str(s)))
                except InvalidInputError as exc:
                    raise type(exc)(exc.problem, fld) from None
            ts.append(row)
        names.append(name)
        terms.append(ts)
    notes = data.get("notes") or []
    if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
        raise InvalidInputError("expected a list of strings", "notes")
    return MaxMin(ring, names, terms, str(data.get("method", "given")),
                  [str(n) for n in notes] if isinstance(notes, list) else [])


def read_maxmin(path: str | os.PathLike) -> MaxMin:
    """Read and validate a max–min file; errors name the file, the field and the problem."""
    data = read_json(path)
    try:
        return maxmin_from_dict(data)
    except InvalidInputError as exc:
        raise exc.located(source=str(path)) from None


def write_maxmin(mm: MaxMin, path: str | os.PathLike) -> None:
    """Write a max–min file atomically."""
    write_atomic(path, json.dumps(maxmin_to_dict(mm), indent=1) + "\n")


def maxmin_text(mm: MaxMin, title: str | None = None) -> str:
    """Plain text: one ``name = max( min(...), ... )`` line per output, then the sizes; long
    forms are printed one term per line with repeated polynomials named ``p1, p2, …``."""
    R = mm.ring
    lines = [title] if title else []
    lines.append(f"variables: {', '.join(R.names)}")
    for name, ts in zip(mm.outputs, mm.terms, strict=True):
        inner = ", ".join("min(" + ", ".join(R.format(p) for p in t) + ")" if len(t) > 1
                          else R.format(t[0]) for t in ts)
        lines.append(f"{name} = max( {inner} )" if len(ts) > 1 else f"{name} = {inner}")
    if any(len(x) > 160 for x in lines):  # long: one term per line, shared polynomials named
        from ..display import maxmin_shared_text

        lines = ([title] if title else []) + maxmin_shared_text(mm).splitlines()
    s = mm.size()
    for name, d in zip(mm.outputs, s["outputs"], strict=True):
        lines.append(f"size of {name}: {d['terms']} terms, {d['entries']} entries "
                     f"(largest term {d['max_term_size']}), {d['distinct_polynomials']} distinct "
                     f"polynomials, degree {d['max_degree']}")
    if mm.method:
        lines.append(f"method: {mm.method}")
    for n in mm.notes:
        lines.append(f"note: {n}")
    return "\n".join(lines)


def maxmin_latex(mm: MaxMin, *, document: bool = False) -> str:
    """LaTeX: ``f = \\max\\{\\min\\{...\\}, ...\\}`` per output, in an ``align*``.

    With ``document=True`` a complete LaTeX document (``pdflatex`` compiles it as is): one term
    per line, and every polynomial that occurs more than once is named ``p_k`` once."""
    R = mm.ring
    if not document:
        rows = []
        for name, ts in zip(mm.outputs, mm.terms, strict=True):
            inner = [(r"\min\{" + ", ".join(R.latex(p) for p in t) + r"\}") if len(t) > 1
                     else R.latex(t[0]) for t in ts]
            body = (r"\max\{" + ", ".join(inner) + r"\}") if len(ts) > 1 else inner[0]
            rows.append(f"{_latex_name(name)} &= {body}")
        return "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}"
    from collections import Counter

    from ..display import latex_document

    count = Counter(R.format(p) for ts in mm.terms for t in ts for p in t)
    names: dict[str, tuple[str, object]] = {}
    for ts in mm.terms:
        for t in ts:
            for p in t:
                key = R.format(p)
                if count[key] > 1 and len(key) > 24 and key not in names:
                    names[key] = (f"p_{{{len(names) + 1}}}", p)

    def entry(p) -> str:
        got = names.get(R.format(p))
        return got[0] if got else R.latex(p)

    blocks = []
    for name, ts in zip(mm.outputs, mm.terms, strict=True):
        terms = [(r"\min\{" + ", ".join(entry(p) for p in t) + r"\}") if len(t) > 1
                 else entry(t[0]) for t in ts]
        if len(terms) == 1:
            rows = [f"{_latex_name(name)} &= {terms[0]}"]
        else:
            rows = [f"{_latex_name(name)} = \\max\\{{ & {terms[0]},"]
            rows += [f"& {x}," for x in terms[1:-1]] + [f"& {terms[-1]} \\}}"]
        blocks.append("\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}")
    where = [f"{n} &= {R.latex(p)}" for n, p in names.values()]
    size = mm.size()
    return latex_document("\n".join(blocks), where=where,
                          preamble_note=f"max-min by {mm.method or 'a given form'}: "
                                        f"{size['terms']} terms, {size['entries']} entries")


def _latex_name(name: str) -> str:
    from ..poly import _latex_name as ln

    return ln(name)
