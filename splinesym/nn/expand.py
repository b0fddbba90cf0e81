"""Expanding a model into a spline: the forward pass run on piecewise arrays.

Examples
--------
>>> from splinesym.nn.model import model_from_dict
>>> m = model_from_dict({"format": "splinesym.model/1", "tokens": 1, "dim": 2,
...     "encoder": [{"ffn": {"W1": [[1], [-1]], "W2": [[1, 1]]}, "residual": False}]})
>>> sp = expand_model(m)
>>> [sp.ring.format(p.values[0]) for p in sp.pieces]
['x1_1 - x1_2', '0']
"""

from __future__ import annotations

import time

import numpy as np

from .. import progress
from ..cells import Budget
from ..errors import BudgetExhaustedError, UnsupportedModelError
from ..piecewise import Engine, PArray
from ..poly import PolyRing, poly_degree_in
from ..spline import Piece, Spline
from .forward import Backend, forward
from .model import Model

__all__ = ["SplineBackend", "expand_model", "structural_degree", "attained_degree",
           "piece_degrees", "verify_expansion"]


class SplineBackend(Backend):
    """Arrays are :class:`PArray`; ReLU refines cells; other activations are refused."""

    name = "spline"
    odd_pairs = True

    def __init__(self, engine: Engine, *, odd_pairs: bool = True):
        self.engine = engine
        self.odd_pairs = odd_pairs
        #: odd pairs of units / heads computed as their linear sum (ReLU(z) - ReLU(-z) = z):
        #: their arguments are never breaks
        self.identities: list[dict] = []
        #: the finest partition produced so far; every ReLU refines it, so that all partitions
        #: of one forward pass form a chain (the heads of a multi-head layer are computed from
        #: the same input, and their outputs must live on a common refinement to be stacked)
        self.finest = engine.root
        #: one record per ReLU stage: which component, cells before and after, time, patterns
        self.stages: list[dict] = []

    def _on_finest(self, S: PArray) -> PArray:
        if S.partition is self.finest:
            return S
        if S.partition not in self.finest.ancestry():
            if self.finest in S.partition.ancestry():
                self.finest = S.partition
                return S
            raise ValueError("piecewise arrays live on unrelated partitions")
        idx = self.finest.map_from(S.partition)
        return PArray(self.engine, self.finest, [S.values[i] for i in idx])

    def weight(self, w) -> np.ndarray:
        return self.engine.constant_array(w)

    def scores(self, Zq, Zkv, head, scale, label: str) -> None:
        """Record, per cell of the finest partition, the head's score system (the structure
        tier of :mod:`splinesym.cells.structure` derives exact facts from it)."""
        from ..cells.structure import score_systems

        if not isinstance(Zq, PArray) or not isinstance(Zkv, PArray):
            return
        Zq, Zkv = self._on_finest(Zq), self._on_finest(Zkv)
        if Zq.partition is not Zkv.partition:
            return
        per_cell = score_systems(self.engine.ring, Zq.values, Zkv.values, head, scale, label)
        if per_cell is not None:
            self.engine.score_structures.append((Zq.partition, per_cell))

    def record_odd_pairs(self, where: str, kind: str, pairs: list) -> None:
        self.identities.append({"where": where, "kind": kind,
                                "pairs": [[i + 1, j + 1] for i, j in pairs]})

    def activation(self, S, kind, beta, mask, label):
        if kind != "relu":
            raise UnsupportedModelError(
                f"{kind} is not piecewise polynomial: only ReLU attention expands to a spline "
                f"({kind} is supported for numeric evaluation only)", "activation")
        if mask is not None:
            zero = self.engine.ring.zero()
            hidden = list(zip(*np.nonzero(~mask)))
            vals = []
            for v in S.values:
                v = v.copy()
                for idx in hidden:  # one by one: numpy would iterate over a polynomial's terms
                    v[idx] = zero
                vals.append(v)
            S = PArray(self.engine, S.partition, vals)
        S = self._on_finest(S)
        progress.report(stage=getattr(label, "stage", None) or "relu")
        t0 = time.monotonic()
        used0 = self.engine.budget.cells_used
        unexp0 = len(getattr(self.engine, "unexpanded", ()))
        out = self.engine.relu(S, label)
        if not out.partition.cells:   # every cell was left unexpanded: nothing to go on with
            raise BudgetExhaustedError(
                f"{self.engine.budget.exhausted_reason() or 'a limit was reached'} before any "
                f"cell of a ReLU stage was expanded: no piece was decided")
        self.finest = out.partition
        self.stages.append({
            "stage": getattr(label, "stage", None) or "relu",
            "cells_in": len(S.partition.cells), "cells_out": len(out.partition.cells),
            "cells_not_expanded": len(getattr(self.engine, "unexpanded", ())) - unexp0,
            "patterns": self.engine.budget.cells_used - used0,
            "seconds": round(time.monotonic() - t0, 3),
            "budget_left": self.engine.budget.exhausted_reason() is None})
        return out

    def hstack(self, arrays):
        return self.engine.hstack(arrays)


def expand_model(model: Model, *, time_limit: float | None = None, max_cells: int | None = None,
                 solver_timeout: float = 10.0, merge: bool = True,
                 sample_size: int = 20000, odd_pairs: bool = True) -> Spline:
    """The spline a ReLU model computes, cell by cell, with every cell decided or labelled.

    Parameters
    ----------
    model : Model
    time_limit, max_cells : optional
        Budget for the whole expansion; what is not decided when it runs out is labelled
        ``undecided`` and the spline is marked incomplete with the reason.
    solver_timeout : float
        Seconds z3 may spend on one cell.
    merge : bool
        Merge neighbouring pieces with equal values.
    odd_pairs : bool
        Compute odd pairs of FFN units and of ReLU heads (pre-activations and outgoing weights
        exact negatives, :mod:`splinesym.nn.pairs`) as their linear sum, by the identity
        ``ReLU(z) − ReLU(−z) = z``: their arguments never split a cell. The pairs used are
        listed in ``stats["odd_pair_identities"]``. ``False`` expands every unit.

    Notes
    -----
    The forward pass runs on piecewise arrays: each ReLU (of an attention score or an FFN unit)
    refines the current cells by the signs of the irreducible factors of its argument; a
    refinement is enumerated by wall crossing with the decision tiers of :mod:`splinesym.cells`
    (empty sign patterns are dropped, each kept cell carries its label and evidence), and
    ``stats["stages"]`` records cells in and out, patterns examined and time per ReLU stage.

    With weight symbols (``model.symbols()``) the ring is the inputs followed by the symbols,
    nothing is decided, and *every* sign pattern of the breaks is kept as an ``undecided``
    piece (a note says so). Factors that involve only weight symbols (``a`` and ``b`` in the
    score ``a*b*x1_1*x2_1``) are breaks like any other: a pattern then also fixes their signs,
    i.e. it is a statement for the weights in that orthant. The patterns still cover inputs x
    weights, so a degree bound shown on every pattern (:func:`piece_degrees`) holds for every
    weight. The number of patterns grows as 2^(number of breaks) per refined cell: keep symbolic
    instances small.

    >>> from splinesym.nn.zoo import random_model
    >>> from splinesym.nn.model import model_from_dict
    >>> sp = expand_model(model_from_dict(random_model("cross", seed=0)))
    >>> sp.complete, sp.max_degree(), sp.stats["structural_degree"]
    (True, 3, {'joint': 3, 'x': 2, 'y': 1})
    """
    t0 = time.monotonic()
    check_expandable(model)
    from ..limits import check_model_work

    check_model_work(model)   # far past the limits: refused with advice before any work
    symbols = model.symbols()
    variables = model.variables()
    ring = PolyRing([*variables, *symbols])
    budget = Budget(time_limit, max_cells, solver_timeout)
    eng = Engine(ring, budget, symbolic=bool(symbols), sample_size=sample_size)
    be = SplineBackend(eng, odd_pairs=odd_pairs)
    X = eng.variables_array(model.input_names())
    Y = eng.variables_array(model.target_names()) if model.decoder else None
    out = forward(model, be, X, Y)
    if not isinstance(out, PArray):  # a model with no nonlinearity at all
        out = PArray(eng, eng.root, [eng.lift_constant(out)])
    pieces = [Piece.decided(c.region, tuple(v.reshape(-1)), c.decision)
              for c, v in zip(out.partition.cells, out.values)]
    notes = list(out.partition.notes)
    if model.dropped_layernorm:
        notes.insert(0, "LAYER NORMALISATION DROPPED (not piecewise polynomial): "
                     + ", ".join(model.dropped_layernorm))
    if symbols:
        notes.insert(0, "symbolic weights: the pieces are all sign patterns of the breaks; "
                     "which patterns are realised depends on the weights and is not decided")
    reason = budget.exhausted_reason()
    if reason:
        notes.append(f"budget: {reason}")
    if eng.unexpanded:
        notes.append(f"{len(eng.unexpanded)} region(s) were not fully expanded (budget); they "
                     "are listed under 'unexpanded' with the breaks still to split on, and the "
                     "pieces do not cover them")
    sp = Spline(ring, variables, model.output_names(), list(eng.table.polys), pieces,
                [list(lb) for lb in eng.table.labels],
                out.partition.complete and not symbols and reason is None, notes,
                empty=list(eng.empty_cells))
    if merge:
        sp = sp.merge()
    sp.stats = {
        "seconds": round(time.monotonic() - t0, 3),
        "decisions": dict(eng.decider.counts),
        "patterns_examined": budget.cells_used,
        "structural_degree": structural_degree(model),
        "attained_degree": attained_degree(sp, model),
        "sign_definite_factors": [ring.format(f) for f, _, _ in eng.definite_evidence],
        "sign_definite_evidence": [_definite_record(ring, f, s, d)
                                   for f, s, d in eng.definite_evidence],
        "cells_before_merge": len(pieces),
        "stages": be.stages,
        "odd_pair_identities": be.identities,
    }
    if eng.arrangements:
        sp.stats["arrangements"] = eng.arrangements
    if eng.unexpanded:
        sp.unexpanded = [(_reindex_region(r, sp, eng), [ring.format(eng.table[k]) for k in ks],
                          what) for r, ks, what in eng.unexpanded]
    return sp


def _reindex_region(region, sp: Spline, eng: Engine) -> list:
    """A region of the engine's break table as ``[(break string, sign)]`` (the spline's break
    indices may differ after merging)."""
    return [(eng.ring.format(eng.table[k]), s) for k, s in region]


def _definite_record(ring: PolyRing, f, sign: int, d) -> dict:
    """How a factor was shown never to change sign (its other side is empty)."""
    from ..io.jsonio import number_to_json

    rec = {"factor": ring.format(f), "sign": sign, "status": d.status, "method": d.method}
    if d.sos is not None:
        rec["sos"] = [[number_to_json(c), [number_to_json(v) for v in row]] for c, row in d.sos]
    if d.multipliers is not None:
        rec["multipliers"] = [number_to_json(v) for v in d.multipliers]
    if d.note:
        rec["note"] = d.note
    return rec


def check_expandable(model: Model) -> None:
    """Refuse, naming the field, anything that is not piecewise polynomial."""
    for key, blocks in (("encoder", model.encoder), ("decoder", model.decoder)):
        for i, b in enumerate(blocks):
            for name in ("self_attention", "cross_attention"):
                att = getattr(b, name)
                if att is not None and att.activation != "relu":
                    raise UnsupportedModelError(
                        f"{att.activation} is not piecewise polynomial: only ReLU attention "
                        f"expands to a spline ({att.activation} is supported for numeric "
                        "evaluation only)", f"{key}[{i}].{name}.activation")


def _attention_degree(d_q: int, d_kv: int) -> int:
    return d_q + 2 * d_kv


def structural_degree(model: Model) -> dict:
    """Degree bounds from the model's shape (docs/DESIGN.md §5): joint, in X and in Y.

    Attention on queries of degree Dq and keys/values of degree Dkv has degree Dq + 2 Dkv (a
    ReLU product of Q and K, times V); FFNs keep the degree; residuals take the maximum.

    >>> from splinesym.nn.model import model_from_dict
    >>> h = {"WQ": [[1]], "WK": [[1]], "WV": [[1]]}
    >>> m = model_from_dict({"format": "splinesym.model/1", "tokens": 2, "dim": 1,
    ...     "encoder": [{"self_attention": {"heads": [h]}}] * 2})
    >>> structural_degree(m)["joint"]
    9
    """

    # degrees tracked as (joint, in X, in Y)
    def att(q, kv):
        return tuple(q[i] + 2 * kv[i] for i in range(3))

    def mx(a, b):
        return tuple(max(x, y) for x, y in zip(a, b))

    def run_block(b, z, mem):
        if b.self_attention is not None:
            a = att(z, z)
            z = mx(z, a) if b.residual.attention else a
        if b.cross_attention is not None:
            c = att(z, mem)
            z = mx(z, c) if b.residual.cross else c
        return z  # FFN keeps the degree (a ReLU of a polynomial is piecewise the same degree)

    z = (1, 1, 0)
    for b in model.encoder:
        z = run_block(b, z, None)
    if model.decoder:
        mem = z
        z = (1, 0, 1)
        for b in model.decoder:
            z = run_block(b, z, mem)
    return {"joint": z[0], "x": z[1], "y": z[2]}


def piece_degrees(sp: Spline, model: Model) -> list[dict]:
    """For each piece, the largest degree of its output polynomials: jointly, in X and in Y.

    Degrees count the input variables only: weight symbols are part of the coefficients. With
    symbolic weights each piece is one sign pattern, and its degrees hold for every weight.

    >>> from splinesym.nn.model import model_from_dict
    >>> m = model_from_dict({"format": "splinesym.model/1", "tokens": 1, "dim": 1,
    ...     "encoder": [{"ffn": {"W1": [["a"]], "W2": [["b"]]}, "residual": False}]})
    >>> sp = expand_model(m)      # breaks a and x1_1: four sign patterns
    >>> [sp.ring.format(p.values[0]) for p in sp.pieces]
    ['x1_1*a*b', '0', '0', 'x1_1*a*b']
    >>> [d["x"] for d in piece_degrees(sp, m)]
    [1, 0, 0, 1]
    """
    nx = model.tokens * model.dim
    groups = {"joint": list(range(len(sp.variables))), "x": list(range(nx)),
              "y": list(range(nx, len(sp.variables)))}
    out = []
    for p in sp.pieces:
        out.append({g: max([0, *(poly_degree_in(v, idx) for v in p.values)]) if idx else 0
                    for g, idx in groups.items()})
    return out


def attained_degree(sp: Spline, model: Model) -> dict:
    """Largest degree of any output polynomial of any piece: jointly, in X and in Y.

    Degrees count the input variables only (weight symbols are coefficients), so with symbolic
    weights this is the degree bound that holds for every weight.

    >>> from splinesym.nn.zoo import random_model
    >>> from splinesym.nn.model import model_from_dict
    >>> m = model_from_dict(random_model("attention", seed=0, tokens=2, dim=1))
    >>> attained_degree(expand_model(m), m)
    {'joint': 3, 'x': 3, 'y': 0}
    """
    per = piece_degrees(sp, model)
    return {g: max([0, *(d[g] for d in per)]) for g in ("joint", "x", "y")}


def verify_expansion(model: Model, sp: Spline, points: int = 200, seed: int = 0,
                     weights: dict | None = None) -> dict:
    """Check an expansion against the exact forward pass at random rational points.

    At each point (rationals with random denominators, re-drawn when a break vanishes there):
    exactly one piece contains it, and the piece's value equals the exact forward pass
    (:class:`~splinesym.nn.forward.ExactBackend`). Every witness is checked exactly. With
    symbolic weights, each point also draws the weight symbols at random (or takes them from
    ``weights``), and the model is evaluated with those numbers bound.

    Returns
    -------
    dict
        ``points`` checked, ``mismatches`` (list of points), ``located`` (histogram of the number
        of pieces containing a point), ``witnesses_checked`` and ``witnesses_failed``.

    >>> from splinesym.nn.zoo import random_model
    >>> from splinesym.nn.model import model_from_dict
    >>> m = model_from_dict(random_model("masked", seed=2, tokens=2, dim=1))
    >>> r = verify_expansion(m, expand_model(m), points=50)
    >>> r["mismatches"], r["located"], r["witnesses_failed"]
    ([], {1: 50}, 0)
    """
    import random
    from fractions import Fraction

    from ..cells.decision import check_witness
    from .forward import ExactBackend, evaluate_model
    from .model import bind_weights

    rng = random.Random(seed)
    ring = sp.ring
    params = sp.parameters
    nv = len(sp.variables)

    def draw():
        return Fraction(rng.randint(-4000, 4000), rng.randint(1, 997))

    mismatches: list = []
    located: dict[int, int] = {}
    done = 0
    tries = 0
    while done < points and tries < 20 * points:
        tries += 1
        xs = [draw() for _ in range(nv)]
        ws = [Fraction(weights[p]) if weights and p in weights else draw() for p in params]
        pt = xs + ws
        if any(ring.evaluate(b, pt) == 0 for b in sp.breaks):
            continue
        loc = sp.locate(pt)
        located[len(loc)] = located.get(len(loc), 0) + 1
        done += 1
        if len(loc) != 1:
            mismatches.append(pt)
            continue
        got = [ring.evaluate(v, pt) for v in sp.pieces[loc[0]].values]
        m = bind_weights(model, dict(zip(params, ws))) if params else model
        want = evaluate_model(m, xs, ExactBackend())
        if got != want:
            mismatches.append(pt)
    checked = failed = 0
    for p in sp.pieces:
        if p.witness is not None:
            checked += 1
            if not check_witness(sp.conditions(p.region), p.witness):
                failed += 1
    return {"points": done, "mismatches": mismatches, "located": located,
            "witnesses_checked": checked, "witnesses_failed": failed}
