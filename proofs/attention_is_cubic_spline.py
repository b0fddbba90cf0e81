"""Claim: ReLU self-attention is a cubic spline.

For numeric instances the model is expanded exactly into pieces; the certificate shows that every
piece is a polynomial of degree <= 3 with degree 3 attained, that the model equals each piece near
its witness (the checker recomputes it with its own forward pass), and that the pieces agree on
every wall (continuity order >= 0: a spline). For symbolic weights the expansion is a statement
for all weights at once: every sign pattern carries a polynomial of degree <= 3 in the inputs, and
across every break the two neighbouring patterns differ by a multiple of the break, identically
in inputs and weights (so the function is continuous for every choice of weights).

Run: ``python proofs/attention_is_cubic_spline.py [--full] [--out DIR]``.
"""

from __future__ import annotations

import random

from _common import Proof, attention_model, head, symbolic_certificate, symbolic_continuity
from _common import symbolic_head as sym_head

from splinesym import default_model
from splinesym.certify import certify_model
from splinesym.nn.expand import expand_model

P = Proof("ReLU attention (S = X WQ (X WK)^T, A = ReLU(S), out = A X WV) is a cubic spline",
          "exact expansion of instances + symbolic-weight expansion; every certificate "
          "re-verified by the independent checker")

rng = random.Random(2408)
SIZES = [(2, 1), (3, 1), (2, 2)] + ([(2, 3), (4, 1), (3, 2)] if P.full else [])
instances = [("built-in default, 2 tokens x 2 features", default_model())]
for n, d in SIZES:
    instances.append((f"random integer weights, {n} tokens x {d} features",
                      attention_model(n, d, [head(rng, d)])))

for num, (name, m) in enumerate(instances):
    P.section(f"instance: {name}")
    c = certify_model(m, source=name, time_limit=600)
    sp = c.spline
    P.say(f"  {len(sp.pieces)} pieces, {len(sp.breaks)} breaks, expansion "
          f"{'complete' if sp.complete else 'INCOMPLETE'}; {c.seconds:.2f} s")
    P.say(f"  verdict: {c.verdict()}")
    P.check(sp.complete, "every sign pattern decided (the pieces cover the input space)")
    P.check(c.degree.maximum == 3, f"every piece has degree <= 3 and some piece degree exactly 3 "
                                   f"(max = {c.degree.maximum})")
    P.check(c.degree.bound == 3, "structural bound of the model is 3")
    P.check(len(c.identity_points) == len(sp.pieces),
            f"model equals the piece near each of the {len(sp.pieces)} witnesses")
    P.check(c.is_spline and c.smoothness.complete,
            f"continuous across all {len(c.smoothness.walls)} walls (orders "
            f"{sorted({int(w.continuity) for w in c.smoothness.walls})})")
    P.certificate(c.certificate(), f"attention_instance{num}")

P.section("symbolic weights (statements for every value of the weights)")
sym = [("2 tokens x 1 feature, weights q, k, v", attention_model(2, 1, [sym_head("", 1)]))]
sym.append(("2 tokens x 2 features, 12 weight symbols", attention_model(2, 2, [sym_head("", 2)])))
for num, (name, m) in enumerate(sym):
    sp = expand_model(m)
    claims, pairs, bad = symbolic_continuity(sp)
    cert = symbolic_certificate(sp, m, claims)
    deg = max(max(r) for r in cert["claims"][0]["evidence"]["pieces"])
    P.say(f"  {name}: {len(sp.pieces)} sign patterns of {len(sp.breaks)} breaks "
          f"(irreducible factors of the scores S_ij, in inputs and weights)")
    P.check(deg == 3, f"{name}: every pattern's polynomial has degree <= 3 in the inputs, "
                      f"identically in the weights")
    P.check(not bad, f"{name}: for each of the {pairs} pairs of patterns that differ in one break, "
                     f"the pieces differ by a multiple of that break (continuous for all "
                     f"weights)")
    P.certificate(cert, f"attention_symbolic{num}")

P.finish()
