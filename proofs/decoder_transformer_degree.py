"""Claim (docs/DESIGN.md §5): with the raw input X as the memory, a decoder block (masked
self-attention, cross attention, FFN, residuals) has degree 5 jointly (3 in the queries Y, 2 in
X); an L-layer decoder has degree 2·3^L − 1 jointly and 3^L in Y alone; a transformer with L
encoder and L decoder layers has degree 9^L jointly.

Upper bounds: the structural induction (attention on queries of degree Dq and keys/values of
degree Dkv has degree Dq + 2 Dkv; FFNs and residuals keep degrees), recomputed by the checker from
the model's shape. Lower bounds: on instances, the exact polynomial of the model on the cell of a
rational point (the checker recomputes it with its own forward pass) has exactly these degrees —
jointly, in X alone and in Y alone. The one-layer decoder and transformer are also expanded
completely, and the one-block decoder with symbolic weights too.

Run: ``python proofs/decoder_transformer_degree.py [--full] [--out DIR]``.
"""

from __future__ import annotations

import random
from fractions import Fraction

from _common import F, Proof, rand_matrix, symbolic_certificate

from splinesym.certify import certify_model
from splinesym.certify.certificate import local_certificate
from splinesym.certify.local import ZeroAtPointError, local_polynomials
from splinesym.nn.expand import expand_model, structural_degree
from splinesym.nn.model import model_from_dict

P = Proof("decoder blocks (raw memory X): degree 5 = 3 in Y + 2 in X; L-layer decoder: "
          "2*3^L - 1 jointly, 3^L in Y; transformer with L + L layers: 9^L",
          "structural upper bounds recomputed by the checker; exact polynomials on one cell "
          "(and complete expansions for one layer) attain them")
rng = random.Random(5)


def att(sym: str | None = None, mask: str = "none"):
    if sym:
        hd = {"WQ": [[f"q{sym}"]], "WK": [[f"k{sym}"]], "WV": [[f"v{sym}"]]}
    else:
        hd = {"WQ": rand_matrix(rng, 1, 1), "WK": rand_matrix(rng, 1, 1),
              "WV": rand_matrix(rng, 1, 1)}
    return {"heads": [hd], "mask": mask}


def block(decoder: bool, ffn: bool = True, sym: str | None = None):
    b = {"self_attention": att(sym and sym + "s", "causal" if decoder else "none")}
    if decoder:
        b["cross_attention"] = att(sym and sym + "c")
    if ffn:
        b["ffn"] = {"W1": rand_matrix(rng, 1, 2), "b1": [1, -1],
                    "W2": rand_matrix(rng, 2, 1, (2, 3, -2))}
    return b


def model(enc: int, dec: int, ffn: bool = True, sym: bool = False):
    return model_from_dict({
        "format": F, "tokens": 2, "dim": 1, "target_tokens": 2, "target_dim": 1,
        "encoder": [block(False, ffn, f"e{i}" if sym else None) for i in range(enc)],
        "decoder": [block(True, ffn, f"d{i}" if sym else None) for i in range(dec)]})


POINTS = [[Fraction(rng.randint(-9, 9), rng.randint(1, 3)) for _ in range(4)]
          for _ in range(100)]


def one_cell(name: str, build, expect: dict) -> None:
    """Find an instance and a cell where every expected degree is attained; certify it.

    Random integer weights can be degenerate for attaining the bound (with one feature,
    WQ*WK < 0 makes every diagonal score negative, for instance), so a few seeded instances are
    tried; the first that attains the bound is certified.
    """
    best = None
    for attempt in range(12):  # noqa: B007 (reported below)
        m = build()
        bounds = structural_degree(m)
        groups = {"joint": m.variables(), "x": [v for v in m.variables() if v[0] == "x"],
                  "y": [v for v in m.variables() if v[0] == "y"]}
        for pt in POINTS:
            try:
                loc = local_polynomials(m, pt)
            except ZeroAtPointError:
                continue
            degs = {k: max(loc.ring.degree_in(v, names) for v in loc.values)
                    for k, names in groups.items()}
            if all(degs.get(k) == v for k, v in expect.items()):
                cert, _ = local_certificate(m, pt, source=name)
                best = (cert, pt, degs)
                break
        if best is not None:
            break
    P.check(all(bounds[k] == v for k, v in expect.items()),
            f"{name}: structural bounds {bounds} match {expect}")
    if best is None:
        P.check(False, f"{name}: no cell attaining {expect} in 12 instances x {len(POINTS)} "
                       f"points")
        return
    cert, pt, degs = best
    P.say(f"  (random instance number {attempt + 1} attains it)")
    P.check(True, f"{name}: on the cell of {[str(v) for v in pt]} the model is a polynomial of "
                  f"degree {degs['joint']} jointly, {degs['x']} in X, {degs['y']} in Y")
    P.certificate(cert, name.replace(" ", "_").replace(",", ""))


P.section("decoders with the raw input X as memory (2 tokens x 1 feature each)")
LS = (1, 2, 3)
for L in LS:
    one_cell(f"{L}-layer decoder", lambda L=L: model(0, L),
             {"joint": 2 * 3**L - 1, "y": 3**L, "x": 3**L - 1})

P.section("transformers: L encoder layers, then L decoder layers")
for L in (1, 2):
    one_cell(f"{L}+{L}-layer transformer", lambda L=L: model(L, L), {"joint": 9**L})

P.section("complete expansions (attention only, one layer, WQ = 1, WK = 2, WV = 1)")
ONE = {"heads": [{"WQ": [[1]], "WK": [[2]], "WV": [[1]]}]}


def fixed(enc: int, dec: int):
    return model_from_dict({
        "format": F, "tokens": 2, "dim": 1, "target_tokens": 2, "target_dim": 1,
        "encoder": [{"self_attention": ONE}] * enc,
        "decoder": [{"self_attention": {**ONE, "mask": "causal"}, "cross_attention": ONE}] * dec})


for name, m, want in (("decoder block", fixed(0, 1), 5),
                      ("1+1 transformer", fixed(1, 1), 9)):
    c = certify_model(m, source=name, time_limit=600)
    P.say(f"  {name}: {len(c.spline.pieces)} pieces, {c.seconds:.2f} s; {c.verdict()}")
    P.check(c.spline.complete and c.degree.maximum == want == c.degree.bound,
            f"{name}: every piece has degree <= {want}, attained (by group: "
            f"{c.degree.by_group})")
    P.certificate(c.certificate(), name.replace(" ", "_").replace("+", "p"))

P.section("symbolic weights: one decoder block (masked self-attention + cross attention)")
m = model(0, 1, ffn=False, sym=True)
sp = expand_model(m)
cert = symbolic_certificate(sp, m)
degs = {c["evidence"].get("bound_key"): c["value"] for c in cert["claims"] if c["kind"] == "degree"}
P.check(degs.get("joint") == 5 and degs.get("y") == 3 and degs.get("x") == 2,
        f"for every value of the {len(sp.parameters)} weights, all {len(sp.pieces)} sign "
        f"patterns carry polynomials of degree <= 5 (<= 3 in Y, <= 2 in X): {degs}")
P.certificate(cert, "decoder_block_symbolic")

P.finish()
