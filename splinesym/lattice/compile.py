"""Compiling ``max_i min_j p_ij`` into a ReLU encoder (``splinesym.model/1``), and the round trip.

The encoder has ``tokens = 1`` and ``dim`` = the number of variables (in the max–min's order);
``embed`` copies ``x`` into the first slots of a wider stream and every block keeps its residual
connection, writing only into slots that are still 0:

1. a constant slot: an FFN with ``W1 = 0``, ``b1 = 1`` and ``W2`` routing ``ReLU(1) = 1`` to it
   (only when some polynomial has degree ≥ 2);
2. ``⌈log₃ D⌉`` product blocks (the Veronese map): with one token the attention score is the
   scalar ``S = q·k``, and the two heads ``(WQ, WK, WV)`` and ``(−WQ, WK, −WV)`` add up to
   ``ReLU(S)·V − ReLU(−S)·V = S·V``: a product of three stored quantities (the constant slot
   stands in for missing factors). Only the monomials the polynomials use (and their factors) are
   built; monomials sharing ``S`` share a head pair;
3. one FFN (in the last product block) writes every ``p_ij`` into its own slot
   (``z = ReLU(z) − ReLU(−z)``, constant terms from ``b2``);
4. FFN-only blocks run the tournaments in place: ``min(u, v) = u − ReLU(u − v)`` and
   ``max(u, v) = u + ReLU(v − u)`` (one hidden unit each), pairs in parallel;

and ``readout`` picks the final slot of each output, in order.

:func:`check_points` compares the compiled model's exact forward pass with the max–min at random
rational points (a test); :func:`roundtrip` expands the compiled model with the forward engine
and compares it with a spline piece by piece on the common refinement (the proof).

Examples
--------
>>> from splinesym.io.maxmin_io import maxmin_from_dict
>>> mm = maxmin_from_dict({"format": "splinesym.maxmin/1", "variables": ["x"], "outputs": [
...     {"name": "f", "max_of_mins": [["x**2"], ["2*x**2", "x**2 - x - x**3"]]}]})
>>> model, info = compile_maxmin(mm)
>>> info["blocks"], info["heads"], info["width"]
(4, 2, 7)
>>> from fractions import Fraction
>>> from splinesym.nn.forward import evaluate_model
>>> evaluate_model(model, [Fraction(-3)]) == mm.evaluate([Fraction(-3)])
True
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import replace
from fractions import Fraction

from ..errors import BudgetExhaustedError, SplinesymError
from ..nn.forward import FloatBackend, evaluate_model
from ..nn.model import FFN, Attention, Block, Head, Model, Residual
from ..poly import PolyRing, to_fraction
from ..spline import Piece, Spline
from .expr import MaxMin, pkey

__all__ = ["compile_maxmin", "check_points", "roundtrip", "roundtrip_expansion", "generic_witness",
           "zero_argument_count",
           "rename_spline",
           "maxmin_spline"]


def _split3(mono: tuple[int, ...]) -> list[tuple[int, ...]]:
    """Three factors of a monomial (some may be the constant), as balanced as possible."""
    seq = [i for i, k in enumerate(mono) for _ in range(k)]
    d = len(seq)
    sizes = [d // 3 + (1 if r < d % 3 else 0) for r in range(3)]
    out, pos = [], 0
    for s in sizes:
        f = [0] * len(mono)
        for i in seq[pos:pos + s]:
            f[i] += 1
        out.append(tuple(f))
        pos += s
    return out


def _level(d: int) -> int:
    lv, cap = 0, 1
    while cap < d:
        cap *= 3
        lv += 1
    return lv


def compile_maxmin(mm: MaxMin) -> tuple[Model, dict]:
    """The encoder computing ``mm`` (see the module docstring) and its sizes.

    Returns
    -------
    model : Model
    info : dict
        ``blocks``, ``heads``, ``width``, ``hidden`` (FFN units), ``product_blocks``,
        ``tournament_blocks``, ``monomials``, ``degree``, ``seconds``.
    """
    t0 = time.monotonic()
    R = mm.ring
    n = R.nvars
    if n == 0:
        raise SplinesymError("nothing to compile: the max-min has no variables")
    D = mm.max_degree()
    polys: dict[tuple, object] = {}
    for ts in mm.terms:
        for t in ts:
            for p in t:
                polys.setdefault(pkey(p), p)
    # monomials of degree >= 2 and their factors
    unit = tuple([0] * n)
    need: dict[tuple, tuple] = {}

    def want(mono):
        if sum(mono) < 2 or mono in need:
            return
        fs = _split3(mono)
        need[mono] = tuple(fs)
        for f in fs:
            want(f)

    for p in polys.values():
        for e in p.monoms():
            want(tuple(e))
    width = n
    const_slot = None
    if need:
        const_slot = width
        width += 1
    slot: dict[tuple, int] = {unit: const_slot} if const_slot is not None else {}
    for i in range(n):
        e = [0] * n
        e[i] = 1
        slot[tuple(e)] = i
    for mono in sorted(need, key=lambda m: (sum(m), m)):
        slot[mono] = width
        width += 1
    occ: list[list[list[int]]] = []
    occ_of: dict[tuple, list[int]] = {}
    for ts in mm.terms:
        o_terms = []
        for t in ts:
            row = []
            for p in t:
                row.append(width)
                occ_of.setdefault(pkey(p), []).append(width)
                width += 1
            o_terms.append(row)
        occ.append(o_terms)
    W = width

    def zeros(r, c):
        return [[0] * c for _ in range(r)]

    blocks = []
    heads_total = 0
    hidden_total = 0
    if const_slot is not None:
        W2 = zeros(1, W)
        W2[0][const_slot] = 1
        blocks.append({"ffn": {"W1": zeros(W, 1), "b1": [1], "W2": W2}})
        hidden_total += 1
    levels = max((_level(sum(m)) for m in need), default=0)
    product_blocks = []
    for lv in range(1, levels + 1):
        groups: dict[tuple, list[tuple]] = {}
        for mono, (f1, f2, f3) in need.items():
            if _level(sum(mono)) == lv:
                groups.setdefault((slot[f1], slot[f2]), []).append((slot[f3], slot[mono]))
        heads = []
        targets = []
        for (a, b), cols in sorted(groups.items()):
            for sgn in (1, -1):
                WQ = zeros(W, 1)
                WQ[a][0] = sgn
                WK = zeros(W, 1)
                WK[b][0] = 1
                WV = zeros(W, len(cols))
                for c, (src, _) in enumerate(cols):
                    WV[src][c] = sgn
                heads.append({"WQ": WQ, "WK": WK, "WV": WV})
                targets.extend(dst for _, dst in cols)
        WO = zeros(len(targets), W)
        for r, dst in enumerate(targets):
            WO[r][dst] = 1
        heads_total += len(heads)
        product_blocks.append({"self_attention": {"heads": heads, "WO": WO}})
    # the polynomials
    rows_W1, b2 = [], [0] * W
    W2_rows = []
    for key, p in polys.items():
        lin = [Fraction(0)] * W
        c0 = Fraction(0)
        for e, c in zip(p.monoms(), p.coeffs(), strict=True):
            e = tuple(e)
            if e == unit:
                c0 = to_fraction(c)
            else:
                lin[slot[e]] += to_fraction(c)
        for s in occ_of[key]:
            b2[s] = c0
        if any(lin):
            for sgn in (1, -1):
                rows_W1.append([sgn * v for v in lin])
                r = [0] * W
                for s in occ_of[key]:
                    r[s] = sgn
                W2_rows.append(r)
    if not rows_W1:
        rows_W1.append([0] * W)
        W2_rows.append([0] * W)
    W1 = [[rows_W1[h][i] for h in range(len(rows_W1))] for i in range(W)]
    ffn_p = {"W1": W1, "W2": W2_rows, "b2": b2}
    hidden_total += len(rows_W1)
    if product_blocks:
        product_blocks[-1]["ffn"] = ffn_p
        blocks.extend(product_blocks)
    else:
        blocks.append({"ffn": ffn_p})
    # tournaments
    state = [([list(t) for t in ts], []) for ts in occ]
    finals = []
    tournament = 0
    while True:
        ops = []  # (target, other, kind)
        for terms, done in state:
            new_terms = []
            for t in terms:
                if len(t) == 1:
                    done.append(t[0])
                    continue
                nt = []
                for k in range(0, len(t) - 1, 2):
                    ops.append((t[k], t[k + 1], "min"))
                    nt.append(t[k])
                if len(t) % 2:
                    nt.append(t[-1])
                new_terms.append(nt)
            terms[:] = new_terms
            if len(done) > 1:
                keep = []
                for k in range(0, len(done) - 1, 2):
                    ops.append((done[k], done[k + 1], "max"))
                    keep.append(done[k])
                if len(done) % 2:
                    keep.append(done[-1])
                done[:] = keep
        if not ops:
            break
        tournament += 1
        W1 = zeros(W, len(ops))
        W2 = zeros(len(ops), W)
        for h, (a, b, kind) in enumerate(ops):
            if kind == "min":        # a <- a - ReLU(a - b)
                W1[a][h], W1[b][h] = 1, -1
                W2[h][a] = -1
            else:                    # a <- a + ReLU(b - a)
                W1[a][h], W1[b][h] = -1, 1
                W2[h][a] = 1
        hidden_total += len(ops)
        blocks.append({"ffn": {"W1": W1, "W2": W2}})
    for _terms, done in state:
        finals.append(done[0])
    E = zeros(n, W)
    for i in range(n):
        E[i][i] = 1
    Rd = zeros(W, len(finals))
    for o, s in enumerate(finals):
        Rd[s][o] = 1

    model = _build_model(n, E, blocks, Rd)
    info = {"blocks": len(blocks), "heads": heads_total, "width": W, "hidden": hidden_total,
            "constant_block": const_slot is not None, "product_blocks": len(product_blocks),
            "tournament_blocks": tournament, "monomials": len(need), "degree": D,
            "polynomials": len(polys),
            "occurrences": sum(len(t) for ts in occ for t in ts),
            "seconds": round(time.monotonic() - t0, 4)}
    if D >= 2:
        info["product_blocks_minimum"] = math.ceil(math.log(D, 3) - 1e-12)
    return model, info


_ZERO = Fraction(0)


def _mat(rows) -> tuple:
    return tuple(tuple(Fraction(v) if v else _ZERO for v in r) for r in rows)


def _build_model(n: int, E, blocks: list[dict], Rd) -> Model:
    """The model dataclasses directly (no JSON round trip), validated by its shape check."""
    out = []
    for b in blocks:
        att = None
        if "self_attention" in b:
            a = b["self_attention"]
            heads = tuple(Head(_mat(h["WQ"]), _mat(h["WK"]), _mat(h["WV"])) for h in a["heads"])
            att = Attention(heads, _mat(a["WO"]))
        ff = None
        if "ffn" in b:
            f = b["ffn"]
            ff = FFN(_mat(f["W1"]), _mat(f["W2"]),
                     tuple(Fraction(v) for v in f["b1"]) if "b1" in f else None,
                     tuple(Fraction(v) for v in f["b2"]) if "b2" in f else None)
        out.append(Block(att, None, ff, Residual()))
    m = Model(1, n, tuple(out), embed=_mat(E), readout=_mat(Rd))
    m.output_shape()  # validates every shape
    return m


def check_points(model: Model, mm: MaxMin, npoints: int = 200, seed: int = 0,
                 scale: int = 20) -> int:
    """Compare the model's exact forward pass with ``mm`` at random rational points (a test).

    Raises
    ------
    SplinesymError
        At the first point where they differ.
    """
    rng = random.Random(seed)
    n = mm.ring.nvars
    for _ in range(npoints):
        pt = [Fraction(rng.randint(-scale * 8, scale * 8), rng.randint(1, 8)) for _ in range(n)]
        a = evaluate_model(model, pt)
        b = mm.evaluate(pt)
        if a != b:
            raise SplinesymError(f"compiled model and max-min differ at {pt}: {a} != {b}")
    return npoints


def rename_spline(sp: Spline, ring: PolyRing, outputs: list[str]) -> Spline:
    """The same spline with its variables renamed (by position) into ``ring``."""
    if sp.ring.nvars != ring.nvars:
        raise SplinesymError("cannot rename: different numbers of variables")

    def mp(p):
        return ring.ctx.from_dict({tuple(e): c for e, c in zip(p.monoms(), p.coeffs(),
                                                               strict=True)}) \
            if not p.is_zero() else ring.zero()

    pieces = [replace(p, values=tuple(mp(v) for v in p.values)) for p in sp.pieces]
    return replace(sp, ring=ring, variables=list(ring.names), outputs=list(outputs),
                   breaks=[mp(b) for b in sp.breaks], pieces=pieces)


def maxmin_spline(mm: MaxMin) -> Spline:
    """The spline of a max–min, built with the spline algebra (min and max of polynomials)."""
    R = mm.ring
    outs = []
    for ts in mm.terms:
        acc = None
        for t in ts:
            m = None
            for p in t:
                s = Spline(R, list(R.names), ["f"], [], [Piece(_region0(), (p,),
                                                              tuple([Fraction(0)] * R.nvars))])
                m = s if m is None else m.minimum(s).merge()
            acc = m if acc is None else acc.maximum(m).merge()
        outs.append(acc)
    sp = outs[0]
    for s in outs[1:]:
        sp = sp._combine(s, lambda a, b: [*a, *b])
    return replace(sp, outputs=list(mm.outputs))


def _region0():
    from ..region import Region

    return Region()


def roundtrip(model: Model, sp: Spline, *, time_limit: float | None = 600.0) -> dict:
    """Expand the compiled ``model`` and compare it with ``sp`` on the common refinement.

    Returns a report: ``equal`` (bool), ``pieces_compared``, ``model_pieces``, ``complete``
    (both expansions complete), ``seconds``; the first difference when not equal.
    """
    return roundtrip_expansion(model, sp, time_limit=time_limit)[0]


def roundtrip_expansion(model: Model, sp: Spline, *,
                        time_limit: float | None = 600.0) -> tuple[dict, Spline]:
    """:func:`roundtrip`'s report and the common refinement (in ``sp``'s ring, with ``sp``'s
    values), so that a certificate can be written without expanding or refining again."""
    from ..nn.expand import expand_model

    t0 = time.monotonic()
    try:
        ex = expand_model(model, time_limit=time_limit)
    except BudgetExhaustedError as exc:   # nothing expanded: the round trip is missing, said so
        return ({"equal": False, "pieces_compared": 0, "model_pieces": 0, "complete": False,
                 "seconds": round(time.monotonic() - t0, 3),
                 "note": f"the expansion of the encoder did not start: {exc}"}, None)
    ex = rename_spline(ex, sp.ring, sp.outputs)
    no = len(sp.outputs)
    both = ex._combine(sp, lambda a, b: [*a, *b])   # one refinement: model values, then sp's
    diff = replace(both, pieces=[replace(p, values=tuple(
        a - b for a, b in zip(p.values[:no], p.values[no:], strict=True))) for p in both.pieces])
    ref = replace(both, pieces=[replace(p, values=p.values[no:]) for p in both.pieces],
                  stats=dict(ex.stats or {}))
    bad = [p for p in diff.pieces if any(not v.is_zero() for v in p.values)]
    rep = {"equal": not bad and ex.complete and sp.complete and diff.complete,
           "pieces_compared": len(diff.pieces), "model_pieces": len(ex.pieces),
           "model_breaks": len(ex.breaks), "complete": ex.complete and sp.complete,
           "seconds": round(time.monotonic() - t0, 3)}
    if bad:
        p = bad[0]
        rep["difference"] = {"witness": [str(c) for c in p.witness] if p.witness else None,
                             "values": [sp.ring.format(v) for v in p.values]}
    identities = ex.stats.get("odd_pair_identities") if ex.stats else None
    if identities:
        rep["odd_pair_identities"] = sum(len(r["pairs"]) for r in identities)
    if not rep["complete"]:
        rep["note"] = "an expansion is incomplete: " + "; ".join(ex.notes + sp.notes)
    return rep, ref


class _NearZeroCounting(FloatBackend):
    """A float backend that counts ReLU arguments that are (nearly) 0: a screen for points where
    the checker's forward pass, which follows the sign at the point, would meet a zero."""

    def __init__(self):
        self.inner = FloatBackend()
        self.name, self.odd_pairs, self.zeros = "float", False, 0

    def weight(self, w):
        return self.inner.weight(w)

    def hstack(self, arrays):
        return self.inner.hstack(arrays)

    def activation(self, S, kind, beta, mask, label):
        import numpy as np

        S = np.asarray(S, dtype=float)
        self.zeros += int(np.sum(np.abs(S) <= 1e-9 * (1.0 + np.abs(S).max(initial=0.0))))
        return self.inner.activation(S, kind, beta, mask, label)


def zero_argument_count(model: Model, pt) -> int:
    """How many ReLU arguments of ``model`` are (nearly) 0 at ``pt`` (a float screen).

    >>> from splinesym.nn.model import model_from_dict
    >>> m = model_from_dict({"format": "splinesym.model/1", "tokens": 1, "dim": 1,
    ...     "encoder": [{"ffn": {"W1": [[1]], "W2": [[1]]}}]})
    >>> zero_argument_count(m, [0]), zero_argument_count(m, [2])
    (1, 0)
    """
    be = _NearZeroCounting()
    evaluate_model(model, [float(c) for c in pt], be)
    return be.zeros


def generic_witness(model: Model, sp: Spline, piece: Piece, tries: int = 24,
                    baseline: int | None = None) -> tuple:
    """A point of ``piece`` (strictly inside its sign conditions) where no ReLU argument of
    ``model`` vanishes: the piece's witness when it is one, else a nearby rational point.

    The expansion does not split on the arguments of odd pairs (``ReLU(z) − ReLU(−z) = z``), so
    a witness may lie on ``z = 0``; whichever branch is taken there the pair adds ``z``, but a
    checker that follows the signs at the point needs ``z ≠ 0``. The screen is a float forward
    pass that counts (nearly) vanishing arguments against ``baseline``, the count at a generic
    point (arguments that are identically 0 vanish everywhere and are accepted by the checker);
    the checker's exact pass decides in the end.
    """
    if baseline is None:
        baseline = zero_argument_count(model, [Fraction(7919 + 13 * i, 1009) for i in
                                           range(sp.ring.nvars)])
    ring = sp.ring
    best = tuple(piece.witness)
    nz = zero_argument_count(model, best)
    rng = random.Random(len(sp.pieces))
    k = 6
    while nz > baseline and tries > 0:
        tries -= 1
        step = Fraction(1, 2 ** k)
        pt = tuple(c + step * Fraction(rng.randint(-8, 8), 8) for c in piece.witness)
        if all(s * ring.evaluate(sp.breaks[b], list(pt)) > 0 for b, s in piece.region):
            z = zero_argument_count(model, pt)
            if z < nz:
                best, nz = pt, z
        else:
            k += 2
    return best
