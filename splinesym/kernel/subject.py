"""The subject of a certificate (spline, model, max-min), read through the schema pass."""

from __future__ import annotations

from . import schema as sc
from .base import Malformed
from .model import read_model

SPLINE_FORMAT = "splinesym.spline/1"
MAXMIN_FORMAT = "splinesym.maxmin/1"


class Spline:
    """variables, parameters, names (both), outputs, breaks (polys), pieces: (region, values)."""

    def __init__(self, d, path: str):
        d = sc.obj(d, path)
        if d.get("format") != SPLINE_FORMAT:
            raise Malformed(f"{path}.format", f"expected {SPLINE_FORMAT!r}")
        self.variables = sc.names_list(sc.get(d, "variables", path), f"{path}.variables", 1)
        self.parameters = sc.names_list(d.get("parameters") or [], f"{path}.parameters")
        if set(self.parameters) & set(self.variables):
            raise Malformed(f"{path}.parameters", "a parameter is also a variable")
        self.names = self.variables + self.parameters
        self.outputs = sc.names_list(sc.get(d, "outputs", path), f"{path}.outputs", 1)
        self.breaks = []
        for i, b in enumerate(sc.lst(sc.get(d, "breaks", path), f"{path}.breaks")):
            g = sc.poly(b, f"{path}.breaks[{i}]", self.names)
            if all(not any(e) for e in g):
                raise Malformed(f"{path}.breaks[{i}]", "a break must not be constant")
            self.breaks.append(g)
        self.pieces = []
        for i, p in enumerate(sc.lst(sc.get(d, "pieces", path), f"{path}.pieces", 1)):
            pp = f"{path}.pieces[{i}]"
            p = sc.obj(p, pp)
            reg = sc.region(sc.get(p, "region", pp), f"{pp}.region", len(self.breaks))
            vals = sc.lst(sc.get(p, "values", pp), f"{pp}.values", len(self.outputs),
                          len(self.outputs))
            self.pieces.append((reg, [sc.poly(v, f"{pp}.values[{j}]", self.names)
                                      for j, v in enumerate(vals)]))
        self.complete = sc.optional(d, "complete", sc.boolean, path, default=True)
        self.nvars = len(self.names)

    def conds(self, region: dict) -> list:
        """``[(g_k, s_k)]`` in increasing break order."""
        return [(self.breaks[k], s) for k, s in sorted(region.items())]


class MaxMin:
    """variables, outputs: {name: [[poly]]} in the order of the file."""

    def __init__(self, d, path: str):
        d = sc.obj(d, path)
        if d.get("format") != MAXMIN_FORMAT:
            raise Malformed(f"{path}.format", f"expected {MAXMIN_FORMAT!r}")
        self.variables = sc.names_list(sc.get(d, "variables", path), f"{path}.variables", 1)
        self.outputs: dict = {}
        for o, out in enumerate(sc.lst(sc.get(d, "outputs", path), f"{path}.outputs", 1)):
            op = f"{path}.outputs[{o}]"
            out = sc.obj(out, op)
            name = sc.string(out.get("name", f"out{o}"), f"{op}.name", 200)
            if name in self.outputs:
                raise Malformed(f"{op}.name", f"output {name!r} repeats")
            terms = []
            for i, t in enumerate(sc.lst(sc.get(out, "max_of_mins", op), f"{op}.max_of_mins", 1)):
                tp = f"{op}.max_of_mins[{i}]"
                terms.append([sc.poly(p, f"{tp}[{j}]", self.variables)
                              for j, p in enumerate(sc.lst(t, tp, 1))])
            self.outputs[name] = terms


class Subject:
    """spline (or None), model (or None), maxmin (or None)."""

    def __init__(self, d, path: str = "subject"):
        d = sc.obj(d, path)
        self.spline = sc.optional(d, "spline", Spline, path)
        self.model = sc.optional(d, "model", read_model, path)
        self.maxmin = sc.optional(d, "maxmin", MaxMin, path)

    def need_spline(self, path: str) -> Spline:
        if self.spline is None:
            raise Malformed(path, "this claim needs subject.spline")
        return self.spline

    def describe(self) -> str:
        if self.spline is None:
            out = "subject: no spline"
        else:
            sp = self.spline
            out = (f"subject: spline in {', '.join(sp.variables[:8])}"
                   f"{', ...' if len(sp.variables) > 8 else ''} with {len(sp.pieces)} pieces, "
                   f"{len(sp.breaks)} breaks" + ("" if sp.complete else " (INCOMPLETE)"))
        if self.model is not None:
            out += "; with its model"
        if self.maxmin is not None:
            out += "; with its max-min"
        return out
