"""Certifying a spline (or the spline a model computes): degree, walls, smoothness, identity.

:func:`certify_spline` and :func:`certify_model` return a :class:`Certification`, which renders as
text, as the JSON of ``splinesym certify --format json``, and as a ``splinesym.certificate/1``
object (:meth:`Certification.certificate`) that ``splinesym check`` re-verifies independently.

Examples
--------
>>> from splinesym.spline import Spline
>>> sp = Spline.from_pieces(["x"], ["f"], ["x"], [([(0, 1)], ["x"]), ([(0, -1)], ["0"])])
>>> c = certify_spline(sp)
>>> d = c.to_dict()
>>> d["degree"], d["continuity"], d["is_spline"], d["walls"][0]["break"]
(1, 0, True, 'x')
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction

from .. import progress
from ..display import format_point
from ..io.jsonio import number_to_json
from ..spline import Spline
from .degree import DegreeReport, degree_report
from .smoothness import INF, SmoothnessReport, Wall, format_order, order_json, smoothness_report

__all__ = ["Certification", "Verdict", "certify_spline", "certify_model"]


class Verdict(str):
    """The verdict text; ``cert.verdict()`` (the former method form) returns the same text."""

    def __call__(self) -> str:
        return str(self)


@dataclass
class Certification:
    """Everything ``splinesym certify`` establishes about one spline.

    Attributes
    ----------
    spline : Spline
    model : Model or None
        The model the spline was expanded from (then identity claims are made).
    source : str
        Where the subject came from (file name, importer and conversion).
    degree : DegreeReport
    smoothness : SmoothnessReport
    identity_points : list of (piece index, point)
        Points at which the model's own polynomial was recomputed and matched the piece.
    notes : list of str
    seconds : float
    """

    spline: Spline
    model: object | None
    source: str
    degree: DegreeReport
    smoothness: SmoothnessReport
    identity_points: list[tuple[int, tuple[Fraction, ...]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    # -- summary --------------------------------------------------------------------------
    @property
    def continuity(self):
        """Minimum order of continuity over all walls (None: no wall, a single polynomial)."""
        return self.smoothness.continuity

    @property
    def is_spline(self) -> bool:
        return self.smoothness.is_spline

    @property
    def complete(self) -> bool:
        """True when every cell was expanded and every pair of pieces decided (no budget stop)."""
        sm, sp = self.smoothness, self.spline
        if sp.parameters:   # symbolic weights: every pattern kept by design; walls need numbers
            return not spline_stopped(sp)
        return bool(sp.complete and not sp.unexpanded and sm.complete and not sm.undecided)

    def not_decided(self) -> list[str]:
        """What a budget left open (empty when :attr:`complete`)."""
        sp, sm = self.spline, self.smoothness
        out = []
        if not sp.complete or sp.unexpanded:
            n = sum(1 for p in sp.pieces if p.status == "undecided")
            out.append("the cell enumeration is incomplete"
                       + (f": {len(sp.unexpanded)} region(s) left unexpanded"
                          if sp.unexpanded else "")
                       + (f", {n} piece(s) undecided" if n else "")
                       + " - pieces, degree and walls beyond those listed are unknown")
        if sm.undecided:
            out.append(f"{len(sm.undecided)} pair(s) of pieces with no decision on whether they "
                       f"meet along a wall")
        if not sm.complete:
            out.append("the wall search stopped before every pair of pieces was examined")
        return out

    def _repr_html_(self) -> str:
        from ..display import certification_html

        return certification_html(self)

    def __repr__(self) -> str:
        return f"Certification({str(self.verdict)!r})"

    @property
    def verdict(self) -> Verdict:
        """One sentence: degree and exact smoothness, or where the subject is not a spline.

        A property (a string); calling it like the former method still works."""
        return Verdict(self._verdict())

    def _verdict(self) -> str:
        sm = self.smoothness
        sp = self.spline
        d = self.degree.maximum
        if not self.complete and not sp.parameters and sm.is_spline:
            r = sm.continuity
            walls = (f"{len(sm.walls)} wall(s) found, minimum continuity C^{format_order(r)} "
                     f"on them" if sm.walls else "no wall found yet")
            return (f"INCOMPLETE (a limit stopped the work): no verdict about the whole subject. "
                    f"Established: {len(sp.pieces)} piece(s) of degree at most {d}, {walls}. "
                    f"Not decided: " + "; ".join(self.not_decided()))
        if sp.parameters:
            return (f"piecewise polynomial of degree {d} in {', '.join(sp.variables)} for every "
                    f"value of the weight symbols {', '.join(sp.parameters)}; smoothness needs "
                    f"numeric weights")
        if not sm.is_spline:
            w = sm.discontinuities()[0]
            return ("NOT A SPLINE: discontinuous across "
                    f"g{w.break_index} = {sp.ring.format(sp.breaks[w.break_index])} between cells "
                    f"{w.pieces[0]} and {w.pieces[1]} at {w.point.describe()}"
                    + self._jump_text(w)
                    + (f" (and {len(sm.discontinuities()) - 1} more wall(s))"
                       if len(sm.discontinuities()) > 1 else ""))
        if not sm.walls:
            return f"a single polynomial of degree {d} (no walls)"
        r = sm.continuity
        sharp = (f"C^{format_order(r)} and not C^{int(r) + 1}" if r != INF else
                 "the same polynomial across every wall (C^inf)")
        every = "every wall" if sm.complete else "every wall found (the search is incomplete)"
        return f"a spline of degree {d}, {sharp} (minimum over {every}: {len(sm.walls)} walls)"

    def jumps(self, w: Wall) -> dict:
        """Exact jumps ``P_a - P_b`` of the discontinuous outputs at a rational wall point."""
        if w.point.kind != "rational":
            return {}
        R = self.spline.ring
        return {o.output: R.evaluate(o.quotient, w.point.point) for o in w.outputs
                if o.order == -1}

    def _jump_text(self, w: Wall) -> str:
        j = self.jumps(w)
        if not j:
            return ""
        return " (jump P_a - P_b: " + ", ".join(f"{k} {v}" for k, v in j.items()) + ")"

    # -- JSON (the certify command's output) ------------------------------------------------
    def wall_dict(self, w: Wall) -> dict:
        R = self.spline.ring
        g = self.spline.breaks[w.break_index]
        return {
            "break": R.format(g),
            "break_index": w.break_index,
            "pieces": list(w.pieces),
            "continuity": order_json(w.continuity),
            "outputs": [{"output": o.output, "continuity": order_json(o.order),
                         "quotient": None if o.quotient is None else R.format(o.quotient),
                         "power": None if o.order == INF else int(o.order) + 1}
                        for o in w.outputs],
            "witness": {**w.point.to_json(), "approx": [round(v, 12) for v in w.point.approx()],
                        "found_by": w.point.method},
        }

    def to_dict(self) -> dict:
        sm = self.smoothness
        R = self.spline.ring
        out = {
            "subject": self.source,
            "variables": list(self.spline.variables),
            "outputs": list(self.spline.outputs),
            "pieces": len(self.spline.pieces),
            "breaks": [R.format(b) for b in self.spline.breaks],
            "degree": self.degree.maximum,
            "degrees": self.degree.to_dict(),
            "continuity": (None if sm.continuity is None else order_json(sm.continuity)),
            "is_spline": sm.is_spline,
            "complete": self.complete,
            "not_decided": self.not_decided(),
            "verdict": str(self.verdict),
            "walls": [self.wall_dict(w) for w in sm.walls],
            "discontinuities": [
                {"break": R.format(self.spline.breaks[w.break_index]),
                 "pieces": list(w.pieces), "point": w.point.to_json(),
                 "jumps": {k: number_to_json(v) for k, v in self.jumps(w).items()},
                 "approx": w.point.approx(),
                 "outputs": [o.output for o in w.outputs if o.order == -1]}
                for w in sm.discontinuities()],
            "undecided_pairs": [{"break": k, "pieces": [a, b]} for k, a, b in sm.undecided],
            "not_walls": [{"break": k, "pieces": [a, b],
                           "by": ("z3 (trusted)" if sm.not_wall_evidence.get((k, a, b), ("",))[0]
                                  == "z3" else "exact multipliers")}
                          for k, a, b in sm.not_walls],
            "walls_complete": sm.complete,
            "identity_points": len(self.identity_points),
            "notes": [*self.notes, *self.spline.notes, *sm.notes],
            "how": ("degrees: exact total degree of each piece polynomial (python-flint); "
                    "continuity: exact division of P_a - P_b by powers of the break; wall points: "
                    "exact rational points or isolated algebraic points with interval bounds"),
            "seconds": round(self.seconds, 3),
        }
        return out

    # -- text -------------------------------------------------------------------------------
    def text(self) -> str:
        sp = self.spline
        R = sp.ring
        sm = self.smoothness
        dg = self.degree
        lines = [f"subject: {self.source}",
                 f"variables: {', '.join(sp.variables)}; outputs: {', '.join(sp.outputs)}; "
                 f"{len(sp.pieces)} pieces, {len(sp.breaks)} breaks"
                 + ("" if sp.complete else " (cell enumeration INCOMPLETE)")]
        lines.append("")
        lines.append("degree (exact total degree in the input variables):")
        lines.append(f"  maximum {dg.maximum}"
                     + (f", attained on cell {dg.attained_by[0]} by {sp.outputs[dg.attained_by[1]]}"
                        if dg.attained_by else ""))
        if dg.structural is not None:
            s = dg.structural
            lines.append(f"  structural bound of the model: {s['joint']} jointly"
                         + (f" ({s['x']} in X, {s['y']} in Y)" if self.model is not None
                            and getattr(self.model, "decoder", None) else "")
                         + (" - attained" if dg.attained else " - not attained here"))
        if dg.by_group:
            lines.append(f"  degree in X alone {dg.by_group.get('x')}, in Y alone "
                         f"{dg.by_group.get('y')}")
        hist: dict[int, int] = {}
        for row in dg.per_piece:
            hist[max(row, default=-1)] = hist.get(max(row, default=-1), 0) + 1
        lines.append("  pieces by degree: " + ", ".join(f"degree {k}: {n}" for k, n in
                                                      sorted(hist.items())))
        lines.append("")
        lines.append(f"walls ({len(sm.walls)}):" if sm.walls else "walls: none")
        for w in sm.walls:
            g = R.format(sp.breaks[w.break_index])
            lines.append(f"  g{w.break_index} = {g}, cells {w.pieces[0]} (g > 0) | "
                         f"{w.pieces[1]} (g < 0): "
                         + ("DISCONTINUOUS (C^-1)" if w.discontinuous else
                            f"C^{format_order(w.continuity)}"))
            for o in w.outputs:
                if o.order == INF:
                    lines.append(f"    {o.output}: same polynomial on both sides")
                elif o.order == -1:
                    lines.append(f"    {o.output}: DISCONTINUOUS: P_a - P_b = "
                                 f"{R.format(o.quotient)}, not divisible by g (nonzero on the "
                                 f"wall)")
                else:
                    lines.append(f"    {o.output}: C^{int(o.order)}: P_a - P_b = "
                                 f"({g})^{int(o.order) + 1} * ({R.format(o.quotient)})")
            lines.append(f"    wall point: {w.point.describe()} [{w.point.method}]")
        for k, a, b in sm.undecided:
            lines.append(f"  g{k}, cells {a} | {b}: UNDECIDED (no wall point found)")
        if sm.not_walls:
            nz3 = sum(1 for v in sm.not_wall_evidence.values() if v[0] == "z3")
            lines.append(f"  {len(sm.not_walls)} other pair(s) of pieces with opposite signs on a "
                         f"break never meet along it ({len(sm.not_walls) - nz3} by exact "
                         f"multipliers" + (f", {nz3} by z3, trusted)" if nz3 else ")"))
        if self.identity_points:
            lines.append("")
            lines.append(f"identity with the model: the model's own polynomial, recomputed at "
                         f"{len(self.identity_points)} witness points, equals the piece there")
        notes = [*self.notes, *sp.notes, *sm.notes]
        if notes:
            lines.append("")
            lines.extend(f"note: {n}" for n in notes)
        lines.append("")
        lines.append(f"verdict: {str(self.verdict)}")
        lines.append(f"({self.seconds:.2f} s)")
        return "\n".join(lines)

    # -- certificate -----------------------------------------------------------------------
    def certificate(self) -> dict:
        """The ``splinesym.certificate/1`` object of this certification."""
        from .certificate import build_certificate

        return build_certificate(self)


def spline_stopped(sp: Spline) -> bool:
    """True when a limit stopped the expansion of ``sp`` (regions left, a budget note), or the
    spline says it is incomplete for no other reason (symbolic weights keep every pattern)."""
    return bool(sp.unexpanded or any(n.startswith("budget") for n in sp.notes)
                or (not sp.complete and not sp.parameters))


def _identity_points(sp: Spline, model) -> tuple[list, list[str]]:
    """For each piece with a witness, recompute the model's local polynomial there and compare.

    Returns the (piece, point) pairs that matched, and notes on any mismatch or skipped piece.
    """
    from .local import ZeroAtPointError, local_polynomials

    out = []
    notes = []
    bad = 0
    for i, p in enumerate(sp.pieces):
        if p.witness is None:
            continue
        pt = tuple(p.witness[: sp.nvars])
        try:
            loc = local_polynomials(model, pt)
        except ZeroAtPointError:
            pt = _nudge(sp, p, pt)
            if pt is None:
                notes.append(f"identity: no usable point in cell {i}")
                continue
            loc = local_polynomials(model, pt)
        if [sp.ring.format(v) for v in p.values] != [loc.ring.format(v) for v in loc.values]:
            bad += 1
            notes.append(f"identity FAILED on cell {i}: the model's polynomial at "
                         f"{format_point(pt)} differs from the piece")
            continue
        out.append((i, pt))
    return out, notes


def _nudge(sp: Spline, piece, pt):
    """A nearby rational point in the piece where no ReLU argument of the model vanishes."""
    import random

    from ..cells.decision import check_witness

    rnd = random.Random(1)
    conds = sp.conditions(piece.region)
    for k in range(2, 40):
        cand = tuple(Fraction(v) + Fraction(rnd.randint(-8, 8), 2**k) for v in pt)
        if check_witness(conds, cand):
            return cand
    return None


def certify_spline(sp: Spline, *, model=None, source: str = "spline", smoothness: bool = True,
                   time_limit: float | None = None, wall_time: float = 10.0,
                   solver_timeout: float = 2.0, notes=(),
                   z3_timeout: float | None = None) -> Certification:
    """Degree and smoothness of ``sp`` (and identity with ``model`` when given).

    Parameters
    ----------
    sp : Spline
    model : Model, optional
        The model ``sp`` was expanded from: adds the structural degree bound and identity
        evidence (the model's own local polynomial at each witness equals the piece).
    source : str
        Description of the subject, for the report.
    smoothness : bool
        Find every wall and its order of continuity.
    time_limit, wall_time : float
        Budgets of the wall search (see :func:`~.smoothness.smoothness_report`).
    solver_timeout : float
        Seconds z3 may spend on one wall (0 disables z3); the same name as everywhere else.
    z3_timeout : float, optional
        Deprecated alias of ``solver_timeout``.
    """
    if z3_timeout is not None:
        _deprecated("z3_timeout", "solver_timeout")
        solver_timeout = z3_timeout
    t0 = time.monotonic()
    extra = list(notes)
    if not sp.parameters and not sp.is_polynomial_factorised():
        # walls live on irreducible breaks: refine by the irreducible factors (same function)
        sp = sp.compose(list(sp.ring.gens())).merge()
        extra.append("some breaks were reducible: the spline was refined by their irreducible "
                     "sign-changing factors (the same function) before finding walls")
    deg = degree_report(sp, model)
    if smoothness:
        with progress.stage("walls and smoothness"):
            sm = smoothness_report(sp, time_limit=time_limit, wall_time=wall_time,
                                   z3_timeout=solver_timeout)
    else:
        sm = SmoothnessReport([], [], [], ["smoothness not requested"], 0.0, False)
    ident: list = []
    if model is not None and not sp.parameters:
        ident, n2 = _identity_points(sp, model)
        extra.extend(n2)
    return Certification(sp, model, source, deg, sm, ident, extra, time.monotonic() - t0)


def certify_model(model, *, source: str = "model", time_limit: float | None = None,
                  max_cells: int | None = None, solver_timeout: float = 10.0,
                  wall_time: float = 10.0, smoothness: bool = True,
                  wall_solver_timeout: float = 2.0,
                  z3_timeout: float | None = None) -> Certification:
    """Expand a ReLU model exactly, then certify the spline it computes.

    ``solver_timeout`` bounds z3 on one cell of the expansion, ``wall_solver_timeout`` on one
    wall (``z3_timeout`` is its deprecated former name)."""
    from ..nn.expand import expand_model

    if z3_timeout is not None:
        _deprecated("z3_timeout", "wall_solver_timeout")
        wall_solver_timeout = z3_timeout
    t0 = time.monotonic()
    # the expansion gets 60 % of the time; the wall search what is left (the process-wide
    # deadline of splinesym.cells.budget bounds both)
    sp = expand_model(model, time_limit=None if time_limit is None else 0.6 * time_limit,
                      max_cells=max_cells, solver_timeout=solver_timeout)
    left = None if time_limit is None else max(0.0, time_limit - (time.monotonic() - t0))
    c = certify_spline(sp, model=model, source=source, smoothness=smoothness, time_limit=left,
                       wall_time=wall_time, solver_timeout=wall_solver_timeout,
                       notes=[f"expanded exactly in {time.monotonic() - t0:.2f} s"])
    c.seconds = time.monotonic() - t0
    return c


def _deprecated(old: str, new: str) -> None:
    import warnings

    warnings.warn(f"{old} is deprecated: use {new}", DeprecationWarning, stacklevel=3)
