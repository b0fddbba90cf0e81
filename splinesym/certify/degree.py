"""Degree certificates: the exact degree of every piece, the maximum, the structural bound.

Degrees are total degrees in the input variables only (weight symbols of a symbolic model do not
count). For a model with a decoder the degrees in X alone and in Y alone are reported too.

Examples
--------
>>> from splinesym.spline import Spline
>>> sp = Spline.from_pieces(["x", "y"], ["f"], ["x"], [([(0, 1)], ["x**2*y"]), ([(0, -1)], ["y"])])
>>> d = degree_report(sp)
>>> d.maximum, d.per_piece, d.attained_by
(3, [[3], [1]], (0, 0))
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..poly import poly_degree_in
from ..spline import Spline

__all__ = ["DegreeReport", "degree_report"]


@dataclass
class DegreeReport:
    """Exact degrees of a spline.

    Attributes
    ----------
    per_piece : list of list of int
        ``per_piece[i][j]``: total degree of output ``j`` on piece ``i`` (-1 for the zero
        polynomial).
    maximum : int
        The maximum over pieces and outputs (the spline's degree).
    attained_by : tuple of int or None
        ``(piece, output)`` where the maximum is attained.
    structural : dict or None
        The model's structural bounds ``{"joint", "x", "y"}`` (docs/DESIGN.md §5), when a model is
        known.
    by_group : dict
        Maximum degree in X alone and in Y alone (models with a decoder).
    """

    per_piece: list[list[int]]
    maximum: int
    attained_by: tuple[int, int] | None
    structural: dict | None = None
    by_group: dict = field(default_factory=dict)

    @property
    def bound(self) -> int | None:
        return None if self.structural is None else self.structural["joint"]

    @property
    def attained(self) -> bool | None:
        """Whether the maximum equals the structural bound (None without a model)."""
        return None if self.bound is None else self.maximum == self.bound

    def to_dict(self) -> dict:
        out = {"maximum": self.maximum, "per_piece": self.per_piece,
               "attained_by": None if self.attained_by is None else
               {"piece": self.attained_by[0], "output": self.attained_by[1]}}
        if self.structural is not None:
            out["structural_bound"] = dict(self.structural)
            out["bound_attained"] = self.attained
        if self.by_group:
            out["by_group"] = dict(self.by_group)
        return out


def degree_report(sp: Spline, model=None) -> DegreeReport:
    """Exact degrees of every piece of ``sp`` (and the structural bound of ``model``)."""
    idx = list(range(sp.nvars))
    per = [[int(poly_degree_in(v, idx)) for v in p.values] for p in sp.pieces]
    best, where = -1, None
    for i, row in enumerate(per):
        for j, d in enumerate(row):
            if d > best:
                best, where = d, (i, j)
    structural = None
    groups: dict = {}
    if model is not None:
        from ..nn.expand import structural_degree

        structural = structural_degree(model)
        if model.decoder:
            for key, prefix in (("x", "x"), ("y", "y")):
                gi = [i for i, n in enumerate(sp.variables) if n.startswith(prefix)]
                groups[key] = max((int(poly_degree_in(v, gi)) for p in sp.pieces for v in p.values),
                                  default=-1)
    return DegreeReport(per, best, where, structural, groups)
