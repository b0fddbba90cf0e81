"""Odd pairs: ReLU units whose sum is linear, ``a·ReLU(z) + (−a)·ReLU(−z) = a·z``.

The identity ``ReLU(z) − ReLU(−z) = z`` holds for every real ``z``, so a pair of FFN hidden
units (or of ReLU attention heads) whose pre-activations are exact negatives of each other and
whose outgoing weights are exact negatives of each other contributes a *linear* function of its
pre-activation: the pair never needs the sign of ``z``. The spline backend uses these pairs so
that the expansion does not split cells on such ``z`` (the compiled encoders of
:mod:`splinesym.lattice.compile` use them for products and for copying polynomials); the
detection is purely syntactic on the exact weights, so the shortcut is an exact identity.

Examples
--------
>>> from fractions import Fraction as F
>>> from splinesym.nn.model import FFN
>>> f = FFN(W1=((F(1), F(-1), F(2)),), W2=((F(3),), (F(-3),), (F(1),)))
>>> ffn_odd_pairs(f)
[(0, 1)]
"""

from __future__ import annotations

from fractions import Fraction

from .model import FFN, Attention

__all__ = ["ffn_odd_pairs", "head_odd_pairs"]


def _neg(v: tuple) -> tuple | None:
    """``-v`` for a tuple of numbers; None when an entry is a weight symbol."""
    if any(isinstance(x, str) for x in v):
        return None
    return tuple(-Fraction(x) for x in v)


def _num(v: tuple) -> tuple | None:
    if any(isinstance(x, str) for x in v):
        return None
    return tuple(Fraction(x) for x in v)


def _match(keys: list, negs: list) -> list[tuple[int, int]]:
    """Greedy pairing of i < j with ``keys[j] == negs[i]`` (both not None, not all zero)."""
    free: dict[tuple, list[int]] = {}
    for j, k in enumerate(keys):
        if k is not None:
            free.setdefault(k, []).append(j)
    used: set[int] = set()
    pairs = []
    for i, n in enumerate(negs):
        if i in used or n is None or keys[i] == n:  # keys[i] == -keys[i]: an all-zero unit
            continue
        for j in free.get(n, ()):
            if j > i and j not in used:
                used.update((i, j))
                pairs.append((i, j))
                break
    return pairs


def ffn_odd_pairs(f: FFN) -> list[tuple[int, int]]:
    """Hidden units ``(h, h')`` with ``W1[:, h'] = −W1[:, h]``, ``b1[h'] = −b1[h]`` and
    ``W2[h'] = −W2[h]``: together they add ``(Z W1[:, h] + b1[h]) · W2[h]``.

    >>> from fractions import Fraction as F
    >>> from splinesym.nn.model import FFN
    >>> ffn_odd_pairs(FFN(W1=((F(1), F(-1)),), W2=((F(1),), (F(1),))))   # |z|: not odd
    []
    """
    nh = len(f.W2)
    cols = [tuple(row[h] for row in f.W1) + ((f.b1[h],) if f.b1 is not None else ())
            for h in range(nh)]
    keys, negs = [], []
    for h in range(nh):
        c, w = _num(cols[h]), _num(tuple(f.W2[h]))
        keys.append(None if c is None or w is None else c + w)
        nc, nw = _neg(cols[h]), _neg(tuple(f.W2[h]))
        negs.append(None if nc is None or nw is None else nc + nw)
    return _match(keys, negs)


def _head_key(att: Attention, h: int, offset: int, sign: int) -> tuple | None:
    head = att.heads[h]
    dv = len(head.WV[0]) if head.WV else 0

    def flat(m):
        return tuple(x for row in m for x in row) if m is not None else ()

    q = _num(flat(head.WQ) + (tuple(head.bQ) if head.bQ is not None else ()))
    v = _num(flat(head.WV) + (tuple(head.bV) if head.bV is not None else ()))
    k = _num(flat(head.WK) + (tuple(head.bK) if head.bK is not None else ()))
    o = _num(flat(att.WO[offset:offset + dv]))
    if q is None or v is None or k is None or o is None:
        return None
    if sign < 0:
        q, v = tuple(-x for x in q), tuple(-x for x in v)
    shape = (len(head.WQ[0]) if head.WQ else 0, dv)
    return (shape, q, k, v, o)


def head_odd_pairs(att: Attention) -> list[tuple[int, int]]:
    """ReLU heads ``(h, h')`` with ``WQ' = −WQ``, ``bQ' = −bQ``, the same keys, ``WV' = −WV``,
    ``bV' = −bV`` and the same rows of ``WO``: their scores are ``S`` and ``−S``, so together
    they add ``S·V·WO_h`` (``ReLU(S)V − ReLU(−S)V = SV``). Only for unmasked ReLU attention
    with an output map ``WO``.

    >>> from fractions import Fraction as F
    >>> from splinesym.nn.model import Attention, Head
    >>> one, m1 = ((F(1),),), ((F(-1),),)
    >>> att = Attention((Head(one, one, one), Head(m1, one, m1)), WO=((F(1),), (F(1),)))
    >>> head_odd_pairs(att)
    [(0, 1)]
    """
    if att.activation != "relu" or att.mask != "none" or att.WO is None:
        return []
    offsets, off = [], 0
    for head in att.heads:
        offsets.append(off)
        off += len(head.WV[0]) if head.WV else 0
    keys = [_head_key(att, h, offsets[h], 1) for h in range(len(att.heads))]
    negs = [_head_key(att, h, offsets[h], -1) for h in range(len(att.heads))]
    return _match(keys, negs)
