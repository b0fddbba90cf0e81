"""Product-certificate (``psatz``) evidence: the data, its JSON form, and its exact check.

The JSON form is the one agreed for ``cell`` claims (``docs/FORMATS.md``)::

    {"method": "psatz",
     "facts": [{"poly": "<h_j>", "multiplier": {"conditions": [[k, e], ...], "square": "<r>"},
                "terms": [TERM, ...]}, ...],
     "terms": [TERM, ...]}
    TERM = {"c": "<rational >= 0>", "conditions": [[k, e], ...], "facts": [[j, e], ...],
            "square": "<q>"}

``f_k = s_k g_k`` (``k`` a break of the region, ``s_k`` its sign). A TERM is
``c * prod f_k^e * prod h_j^e * q**2``. Fact ``j`` claims ``h_j >= 0`` on the region by the identity
``prod f_k^e * r**2 * h_j == sum TERMs`` (terms may use facts ``< j``); the main identity
``sum TERMs == 0`` with a nonzero term proves the region empty.

Examples
--------
>>> from splinesym.poly import PolyRing
>>> R = PolyRing(["x", "y"])
>>> x, y = R.gens()
>>> ev = psatz_evidence(R, [Term(Fraction(1), ((0, 1), (1, 1))), Term(Fraction(1), ((2, 1),))])
>>> ev["terms"][0]
{'c': '1', 'conditions': [[0, 1], [1, 1]], 'facts': [], 'square': '1'}
>>> conds = {0: (x, 1), 1: (y, 1), 2: (x * y, -1)}
>>> check_psatz(R, conds, ev)
True
>>> ev["terms"][1]["c"] = "-1"
>>> check_psatz(R, conds, ev)
False
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from ..errors import InvalidInputError
from ..poly import Poly, PolyRing

__all__ = ["Term", "Fact", "psatz_evidence", "check_psatz", "remap_psatz", "psatz_size"]


@dataclass(frozen=True)
class Term:
    """``c * prod f_k^e * prod h_j^e * square**2`` (``square`` None means 1)."""

    c: Fraction
    conditions: tuple[tuple[int, int], ...] = ()
    facts: tuple[tuple[int, int], ...] = ()
    square: Poly | None = None


@dataclass(frozen=True)
class Fact:
    """``h >= 0`` on the region, by ``prod f_k^e * r**2 * h == sum terms``."""

    poly: Poly
    terms: tuple[Term, ...]
    conditions: tuple[tuple[int, int], ...] = ()
    square: Poly | None = None
    note: str = field(default="", compare=False)


def _term_json(ring: PolyRing, t: Term) -> dict:
    return {"c": str(Fraction(t.c)), "conditions": [[int(k), int(e)] for k, e in t.conditions],
            "facts": [[int(j), int(e)] for j, e in t.facts],
            "square": "1" if t.square is None else ring.format(t.square)}


def psatz_evidence(ring: PolyRing, terms: Sequence[Term], facts: Sequence[Fact] = ()) -> dict:
    """The JSON evidence dict (without ``piece``/``region``, which the writer adds)."""
    out_facts = []
    for f in facts:
        d = {"poly": ring.format(f.poly),
             "multiplier": {"conditions": [[int(k), int(e)] for k, e in f.conditions],
                            "square": "1" if f.square is None else ring.format(f.square)},
             "terms": [_term_json(ring, t) for t in f.terms]}
        if f.note:
            d["note"] = f.note
        out_facts.append(d)
    return {"method": "psatz", "facts": out_facts, "terms": [_term_json(ring, t) for t in terms]}


def remap_psatz(ev: dict, mapping: Mapping[int, int]) -> dict:
    """The evidence with every condition index ``k`` replaced by ``mapping[k]``."""
    def term(t):
        return {**t, "conditions": [[mapping[k], e] for k, e in t["conditions"]]}

    facts = [{**f, "multiplier": {**f["multiplier"],
                                  "conditions": [[mapping[k], e]
                                                 for k, e in f["multiplier"]["conditions"]]},
              "terms": [term(t) for t in f["terms"]]} for f in ev.get("facts", [])]
    return {**ev, "facts": facts, "terms": [term(t) for t in ev["terms"]]}


def psatz_size(ev: dict) -> dict:
    """Counts describing a certificate: terms, facts, largest degree of a square."""
    return {"terms": len(ev["terms"]), "facts": len(ev.get("facts", [])),
            "fact_terms": sum(len(f["terms"]) for f in ev.get("facts", []))}


def _terms_sum(ring, conds, facts, terms, nfacts: int) -> Poly | None:
    total = ring.zero()
    for t in terms:
        c = Fraction(t["c"])
        if c < 0:
            return None
        p = ring.const(c)
        for k, e in t["conditions"]:
            if k not in conds or not isinstance(e, int) or e < 1:
                return None
            g, s = conds[k]
            p = p * (g * s) ** e
        for j, e in t["facts"]:
            if not isinstance(j, int) or not 0 <= j < nfacts or not isinstance(e, int) or e < 1:
                return None
            p = p * facts[j] ** e
        q = ring.parse(t.get("square", "1"))
        total += p * q * q
    return total


def check_psatz(ring: PolyRing, conds: Mapping[int, tuple[Poly, int]], ev: dict) -> bool:
    """Exactly re-verify psatz evidence for the region ``{k: (g_k, s_k)}`` (library side; the
    trusted re-check is the kernel's)."""
    try:
        facts: list[Poly] = []
        for j, f in enumerate(ev.get("facts", [])):
            h = ring.parse(f["poly"])
            m = f["multiplier"]
            r = ring.parse(m.get("square", "1"))
            if r.is_zero():
                return False
            lhs = r * r * h
            for k, e in m["conditions"]:
                if k not in conds or not isinstance(e, int) or e < 1:
                    return False
                g, s = conds[k]
                lhs = lhs * (g * s) ** e
            rhs = _terms_sum(ring, conds, facts, f["terms"], j)
            if rhs is None or rhs != lhs:
                return False
            facts.append(h)
        total = _terms_sum(ring, conds, facts, ev["terms"], len(facts))
        if total is None or not total.is_zero():
            return False
        return any(Fraction(t["c"]) > 0 and not _terms_sum(ring, conds, facts, [t],
                                                           len(facts)).is_zero()
                   for t in ev["terms"])
    except (KeyError, TypeError, ValueError, ZeroDivisionError, InvalidInputError):
        return False
