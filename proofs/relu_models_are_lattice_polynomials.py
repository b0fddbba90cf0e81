"""Claim: every output of a ReLU model (FFN, attention, blocks) is a lattice polynomial
max_i min_j p_ij.

(DESIGN.md §6, identities 1–4: ReLU(g)·l, the switch, sums, products.) The forward pass runs on a
backend whose values are lattice-polynomial DAGs; the normal form is flattened exactly. For
random small models the max–min agrees with the model's exact forward pass at random rational
points, and its certificate (max–min = the expanded spline on every piece) is re-checked by the
independent checker.

Run: ``python proofs/relu_models_are_lattice_polynomials.py [--full] [--out DIR]``.
"""

from __future__ import annotations

import random
from fractions import Fraction

from _common import F, Proof, rand_matrix

from splinesym.lattice.api import build_maxmin
from splinesym.nn.forward import evaluate_model
from splinesym.nn.model import model_from_dict

P = Proof("every output of a ReLU model is a max-min of polynomials (a lattice polynomial)",
          "lattice algebra on the forward pass; exact points; certificate vs the expansion")
rng = random.Random(5)


def ffn(n, h):
    return model_from_dict({"format": F, "tokens": 1, "dim": n, "encoder": [
        {"ffn": {"W1": rand_matrix(rng, n, h), "b1": [rng.randint(-2, 2) for _ in range(h)],
                 "W2": rand_matrix(rng, h, 1)}, "residual": False}]})


MODELS = [("FFN 2 -> 3 -> 1", ffn(2, 3)), ("FFN 3 -> 3 -> 1", ffn(3, 3)),
          ("ReLU(x)*y by attention (1 token)", model_from_dict(
              {"format": F, "tokens": 1, "dim": 2, "encoder": [
                  {"self_attention": {"heads": [{"WQ": [[1], [0]], "WK": [[0], [0]], "bK": [1],
                                                 "WV": [[0], [1]]}]}, "residual": False}]})),
          ("attention, 2 tokens x 1 feature", model_from_dict(
              {"format": F, "tokens": 2, "dim": 1, "encoder": [
                  {"self_attention": {"heads": [{"WQ": [[1]], "WK": [[2]], "WV": [[-1]]}]},
                   "residual": False}]}))]
if P.full:
    MODELS.append(("FFN 2 -> 5 -> 1", ffn(2, 5)))

for num, (name, m) in enumerate(MODELS):
    P.section(name)
    res = build_maxmin("model", m, method="lattice", solver_timeout=2)
    s = res.maxmin.size()
    P.say(f"  {s['terms']} terms, {s['entries']} entries, degree {s['max_degree']}; "
          f"{res.seconds.get('total')} s")
    n = res.maxmin.ring.nvars
    pts = [[Fraction(rng.randint(-60, 60), rng.randint(1, 7)) for _ in range(n)]
           for _ in range(100)]
    P.check(all(res.maxmin.evaluate(p) == evaluate_model(m, p) for p in pts),
            "max-min = the model's exact forward pass at 100 random rational points")
    P.check(res.certified, "certified against the expanded spline on every piece")
    P.certificate(res.certificate(), f"lattice_model_{num}")
P.finish()
