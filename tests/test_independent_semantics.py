"""splinesym's model semantics against independent implementations.

Random models of every kind (attention with scale, per-projection biases, causal masks, several
heads with and without WO, cross attention with different token counts and widths, FFNs with and
without biases, residuals on/off per part, embed / target_embed / readout, encoder-only,
decoder-only on the raw memory X, full transformers) are run through

* ``tests/independent_forward.py`` (Fractions and loops, written from DESIGN.md §2 and §8, no
  splinesym import) — the reference;
* ``splinesym.evaluate_model`` (exact), compared exactly;
* the expanded spline's ``evaluate`` (small models), compared exactly;
* a torch float64 implementation of ReLU attention, compared within floating error.
"""

from __future__ import annotations

import json
import random
from fractions import Fraction

import independent_forward as ref
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from splinesym import evaluate_model, expand_model, model_from_dict
from splinesym.kernel.model import NumOps as _NumOps
from splinesym.kernel.model import forward as _kernel_forward
from splinesym.kernel.model import read_model as _kernel_read_model


def checker_forward(d, pt, ops):
    """The kernel's own forward pass (``splinesym check``), from the model dictionary."""
    return _kernel_forward(_kernel_read_model(d, "model"), list(pt), ops)

KINDS = ["attention", "encoder", "decoder", "transformer", "cross", "ffn"]


# ----------------------------------------------------------------------------------------------
class Gen:
    """Random model dictionaries exercising every optional field of ``splinesym.model/1``."""

    def __init__(self, seed: int, small: bool = False):
        self.rng = random.Random(seed)
        self.small = small

    def w(self):
        r = self.rng
        kind = r.random()
        if kind < 0.15:
            return r.choice([0.5, -0.25, 1.5])          # floats: converted exactly
        if kind < 0.55:
            return f"{r.randint(-3, 3)}/{r.randint(1, 3)}"
        return r.randint(-2, 2)

    def m(self, rows, cols):
        return [[self.w() for _ in range(cols)] for _ in range(rows)]

    def v(self, n):
        return [self.w() for _ in range(n)]

    def size(self, hi=3):
        """A width (1 in small models: they are expanded exactly)."""
        return 1 if self.small else self.rng.randint(1, hi)

    def tokens(self):
        return self.rng.randint(1, 2 if self.small else 3)

    def residual(self, parts):
        r = self.rng.random()
        if r < 0.25:
            return None                                  # default: on
        if r < 0.45:
            return self.rng.random() < 0.5
        return {p: self.rng.random() < 0.6 for p in parts}

    @staticmethod
    def on(res, part):
        return True if res is None else (res if isinstance(res, bool) else res.get(part, True))

    def attention(self, wq, wkv, keep_width):
        r = self.rng
        nh = 1 if self.small else r.randint(1, 3)
        use_wo = r.random() < 0.6
        heads, dv_total = [], 0
        for h in range(nh):
            dk = self.size()
            dv = self.size()
            if keep_width and not use_wo:           # concatenation must give the stream width
                dv = wq // nh + (1 if h < wq % nh else 0)
                if dv == 0:
                    nh, use_wo = h, True
                    break
            hd = {"WQ": self.m(wq, dk), "WK": self.m(wkv, dk), "WV": self.m(wkv, dv)}
            for b, n in (("bQ", dk), ("bK", dk), ("bV", dv)):
                if r.random() < 0.35:
                    hd[b] = self.v(n)
            heads.append(hd)
            dv_total += dv
        att = {"heads": heads, "mask": r.choice(["none", "causal"])}
        if r.random() < 0.5:
            att["scale"] = r.choice([2, "1/2", "-1/3", 0.75])
        width = dv_total
        if use_wo:
            width = wq if keep_width else self.size()
            att["WO"] = self.m(dv_total, width)
        return att, width

    def block(self, width, mem_width=None):
        r = self.rng
        res = self.residual(["attention", "cross", "ffn"])
        b: dict = {}
        parts = []
        if r.random() < 0.8:
            parts.append("self_attention")
        if mem_width is not None and r.random() < 0.8:
            parts.append("cross_attention")
        if r.random() < 0.6 or not parts:
            parts.append("ffn")
        for p in parts:
            if p == "ffn":
                keep = self.on(res, "ffn")
                hidden = self.size()
                out = width if keep else self.size()
                f = {"W1": self.m(width, hidden), "W2": self.m(hidden, out)}
                if r.random() < 0.5:
                    f["b1"] = self.v(hidden)
                if r.random() < 0.5:
                    f["b2"] = self.v(out)
                b["ffn"] = f
                width = out
            else:
                part = "attention" if p == "self_attention" else "cross"
                wkv = width if p == "self_attention" else mem_width
                b[p], width = self.attention(width, wkv, self.on(res, part))
        if res is not None or r.random() < 0.5:
            b["residual"] = res                          # None: written as null (default on)
        return b, width

    def model(self, kind):
        r = self.rng
        n, d = self.tokens(), self.size()
        out: dict = {"format": "splinesym.model/1", "tokens": n, "dim": d}
        width = d
        if r.random() < 0.3:
            width = self.size()
            out["embed"] = self.m(d, width)
        enc_layers = {"attention": 1, "ffn": 1, "encoder": 1 if self.small else r.randint(1, 2),
                      "decoder": 0, "cross": 0, "transformer": 1}[kind]
        out["encoder"] = []
        for _ in range(enc_layers):
            if kind == "attention":
                res = r.choice([True, False, None])
                att, w = self.attention(width, width, res is not False)
                b = {"self_attention": att}
                if res is not None:
                    b["residual"] = res
            elif kind == "ffn":
                res = self.residual(["ffn"])
                keep = self.on(res, "ffn")
                hid = self.size()
                w = width if keep else self.size()
                f = {"W1": self.m(width, hid), "W2": self.m(hid, w)}
                for key, n_ in (("b1", hid), ("b2", w)):
                    if r.random() < 0.5:
                        f[key] = self.v(n_)
                b = {"ffn": f}
                if res is not None or r.random() < 0.5:
                    b["residual"] = res
            else:
                b, w = self.block(width)
            out["encoder"].append(b)
            width = w
        if not out["encoder"] or r.random() < 0.2 and kind in ("decoder", "cross"):
            out.pop("encoder")
        if kind in ("decoder", "cross", "transformer"):
            tn, td = self.tokens(), self.size()
            out["target_tokens"], out["target_dim"] = tn, td
            tw = td
            if r.random() < 0.3:
                tw = self.size()
                out["target_embed"] = self.m(td, tw)
            layers = 1 if (self.small or kind == "cross") else r.randint(1, 2)
            out["decoder"] = []
            for _ in range(layers):
                if kind == "cross":
                    res = r.choice([True, False, None])
                    att, w = self.attention(tw, width, res is not False)
                    b = {"cross_attention": att}
                    if res is not None:
                        b["residual"] = res
                else:
                    b, w = self.block(tw, width)
                out["decoder"].append(b)
                tw = w
            width = tw
        if r.random() < 0.3:
            out["readout"] = self.m(width, self.size())
        return out


def with_nulls(d, rng: random.Random):
    """A copy of the model with some absent optional fields written as ``null``."""
    d = json.loads(json.dumps(d))
    for k in ("embed", "readout"):
        if k not in d and rng.random() < 0.5:
            d[k] = None
    for b in (d.get("encoder") or []) + (d.get("decoder") or []):
        for part in ("self_attention", "cross_attention"):
            att = b.get(part)
            if att is None:
                continue
            for k in ("scale", "mask", "activation", "WO", "beta"):
                if k not in att and rng.random() < 0.5:
                    att[k] = None
            for h in att["heads"]:
                for k in ("bQ", "bK", "bV"):
                    if k not in h and rng.random() < 0.5:
                        h[k] = None
        if "ffn" in b:
            for k in ("b1", "b2"):
                if k not in b["ffn"] and rng.random() < 0.5:
                    b["ffn"][k] = None
    return d


def rand_point(rng: random.Random, n: int) -> list[Fraction]:
    return [Fraction(rng.randint(-2 * q, 2 * q), q) for q in (rng.randint(101, 997)
                                                              for _ in range(n))]


# ----------------------------------------------------------------------------------------------
# torch float64 ReLU attention, from the same dictionary
def _t(m):
    return torch.tensor([[float(Fraction(v)) for v in r] for r in m], dtype=torch.float64)


def _tv(v):
    return torch.tensor([float(Fraction(x)) for x in v], dtype=torch.float64)


def torch_attention(att, Zq, Zkv):
    outs = []
    scale = float(Fraction(att.get("scale", 1)))
    for h in att["heads"]:
        Q, K, V = Zq @ _t(h["WQ"]), Zkv @ _t(h["WK"]), Zkv @ _t(h["WV"])
        if "bQ" in h:
            Q = Q + _tv(h["bQ"])
        if "bK" in h:
            K = K + _tv(h["bK"])
        if "bV" in h:
            V = V + _tv(h["bV"])
        A = torch.relu(scale * Q @ K.T)
        if att.get("mask") == "causal":
            A = A * torch.tril(torch.ones(A.shape, dtype=torch.float64))
        outs.append(A @ V)
    H = torch.cat(outs, dim=1)
    return H @ _t(att["WO"]) if "WO" in att else H


def torch_block(b, Z, mem=None):
    res = b.get("residual")
    if "self_attention" in b:
        A = torch_attention(b["self_attention"], Z, Z)
        Z = Z + A if Gen.on(res, "attention") else A
    if "cross_attention" in b:
        C = torch_attention(b["cross_attention"], Z, mem)
        Z = Z + C if Gen.on(res, "cross") else C
    if "ffn" in b:
        f = b["ffn"]
        P = Z @ _t(f["W1"]) + (_tv(f["b1"]) if "b1" in f else 0)
        F = torch.relu(P) @ _t(f["W2"]) + (_tv(f["b2"]) if "b2" in f else 0)
        Z = Z + F if Gen.on(res, "ffn") else F
    return Z


def torch_forward(d, point):
    p = torch.tensor([float(v) for v in point], dtype=torch.float64)
    n, k = d["tokens"], d["dim"]
    Z = p[:n * k].reshape(n, k)
    if "embed" in d:
        Z = Z @ _t(d["embed"])
    for b in d.get("encoder", []):
        Z = torch_block(b, Z)
    if d.get("decoder"):
        mem = Z
        Z = p[n * k:].reshape(d["target_tokens"], d["target_dim"])
        if "target_embed" in d:
            Z = Z @ _t(d["target_embed"])
        for b in d["decoder"]:
            Z = torch_block(b, Z, mem)
    if "readout" in d:
        Z = Z @ _t(d["readout"])
    return Z.reshape(-1).tolist()


# ----------------------------------------------------------------------------------------------
@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10**9), st.sampled_from(KINDS))
def test_evaluate_model_equals_independent_forward(seed, kind):
    d = Gen(seed).model(kind)
    rng = random.Random(seed)
    dn = with_nulls(d, rng)                        # null optional fields: the defaults apply
    m = model_from_dict(json.loads(json.dumps(dn)))
    for _ in range(4):
        pt = rand_point(rng, ref.n_inputs(d))
        want = ref.forward(d, pt)
        assert ref.forward(dn, pt) == want
        assert evaluate_model(m, pt) == want, json.dumps(dn)
        assert checker_forward(dn, pt, _NumOps()) == want, json.dumps(dn)
        got = torch_forward(d, pt)
        scale = 1 + max(abs(float(v)) for v in want)
        assert max(abs(a - float(b)) for a, b in zip(got, want, strict=True)) <= 1e-9 * scale


def _check_expansion(seed, kind, small):
    d = Gen(seed, small=small).model(kind)
    m = model_from_dict(d)
    sp = expand_model(m, time_limit=600)
    assert sp.complete, sp.notes
    rng = random.Random(seed)
    for _ in range(25):
        pt = rand_point(rng, ref.n_inputs(d))
        assert sp.evaluate(pt) == ref.forward(d, pt), json.dumps(d)
    for p in sp.pieces[:20]:
        assert [sp.ring.evaluate(v, p.witness) for v in p.values] == ref.forward(d, p.witness)


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10**9), st.sampled_from(KINDS))
def test_expanded_spline_equals_independent_forward(seed, kind):
    """Small models (1 feature per token, 1-2 tokens): every option, expanded exactly."""
    _check_expansion(seed, kind, True)


@pytest.mark.slow
@settings(max_examples=15, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10**9), st.sampled_from(["attention", "cross", "ffn"]))
def test_expanded_spline_equals_independent_forward_wider(seed, kind):
    """Wider one-block models (up to 3 tokens x 3 features): slow."""
    _check_expansion(seed, kind, False)


def test_fixed_features_one_by_one():
    """Hand-written cases: each feature switched on alone, compared exactly."""
    base = {"format": "splinesym.model/1", "tokens": 3, "dim": 2}
    h = {"WQ": [[1, "1/2"], [0, -1]], "WK": [[2, 0], [1, 1]], "WV": [[1], ["-1/2"]]}
    cases = [
        {"encoder": [{"self_attention": {"heads": [h], "WO": [[1, 2]]}}]},
        {"encoder": [{"self_attention": {"heads": [h], "WO": [[1, 2]], "mask": "causal"}}]},
        {"encoder": [{"self_attention": {"heads": [dict(h, bK=[1, "-1/3"])], "WO": [[1, 2]],
                                         "scale": "-1/2"}}]},
        {"encoder": [{"self_attention": {"heads": [h, dict(h, bV=[3])]}, "residual": True}]},
        {"encoder": [{"self_attention": {"heads": [h, h]}, "residual": {"attention": True}}]},
        {"encoder": [{"ffn": {"W1": [[1], [-1]], "b1": ["1/2"], "W2": [[2, 1]]},
                      "residual": {"ffn": False}}], "readout": [[1], [1]]},
        {"target_tokens": 2, "target_dim": 1, "target_embed": [[1, -1]],
         "decoder": [{"cross_attention": {"heads": [{"WQ": [[1], [2]], "WK": [[1], [0]],
                                                     "WV": [[1, 1], [0, 1]]}],
                                          "mask": "causal"}}]},
    ]
    rng = random.Random(0)
    for extra in cases:
        d = dict(base, **extra)
        m = model_from_dict(d)
        for _ in range(10):
            pt = rand_point(rng, ref.n_inputs(d))
            assert evaluate_model(m, pt) == ref.forward(d, pt), extra


def test_causal_cross_attention_with_more_queries_than_keys():
    # target 3 tokens, memory 2 tokens: query 3 sees keys 1 and 2 (j > i masked only)
    d = {"format": "splinesym.model/1", "tokens": 2, "dim": 1, "target_tokens": 3,
         "target_dim": 1,
         "decoder": [{"cross_attention": {"heads": [{"WQ": [[1]], "WK": [[1]], "WV": [[1]]}],
                                          "mask": "causal"}, "residual": False}]}
    m = model_from_dict(d)
    pt = [Fraction(2), Fraction(3), Fraction(1), Fraction(1), Fraction(1)]
    # row i: sum_{j <= i} relu(y_i x_j) x_j
    assert evaluate_model(m, pt) == [4, 13, 13] == ref.forward(d, pt)


@pytest.mark.parametrize("kind", KINDS)
def test_generators_cover_the_options(kind):
    seen = set()
    for s in range(40):
        txt = json.dumps(Gen(s).model(kind))
        for key in ("bQ", "bK", "bV", "WO", "scale", "causal", "embed", "readout", "residual",
                    "target_embed", "b1", "b2", "0.5"):
            if f'"{key}"' in txt or key == "0.5" and "0.5" in txt:
                seen.add(key)
    want = {"b1", "b2", "residual"} if kind == "ffn" else {"bQ", "WO", "causal", "residual"}
    assert want <= seen


# ----------------------------------------------------------------------------------------------
def _torch_smooth_attention(att, Zq, Zkv):
    """SoftMax (row-wise over the unmasked keys), SoftPlus_beta, sigmoid attention in torch."""
    outs = []
    scale = float(Fraction(att.get("scale", 1)))
    beta = float(Fraction(att.get("beta", 1)))
    for h in att["heads"]:
        Q, K, V = Zq @ _t(h["WQ"]), Zkv @ _t(h["WK"]), Zkv @ _t(h["WV"])
        Q, K, V = (M + _tv(h[b]) if b in h else M for M, b in ((Q, "bQ"), (K, "bK"), (V, "bV")))
        S = scale * Q @ K.T
        keep = torch.tril(torch.ones(S.shape, dtype=torch.bool)) if att.get("mask") == \
            "causal" else torch.ones(S.shape, dtype=torch.bool)
        act = att["activation"]
        if act == "softmax":
            A = torch.softmax(S.masked_fill(~keep, float("-inf")), dim=1)
        elif act == "softplus":
            A = torch.nn.functional.softplus(S, beta=beta, threshold=1e9) * keep
        else:
            A = torch.sigmoid(S) * keep
        outs.append(A @ V)
    H = torch.cat(outs, dim=1)
    return H @ _t(att["WO"]) if "WO" in att else H


@pytest.mark.parametrize("act", ["softmax", "softplus", "sigmoid"])
def test_smooth_activations_float_and_mpmath_match_torch(act):
    from splinesym.nn.forward import FloatBackend, MpmathBackend

    for seed in range(12):
        g = Gen(seed)
        n, d = g.tokens(), g.size()
        att, w = g.attention(d, d, False)
        att["activation"] = act
        if act == "softplus":
            att["beta"] = g.rng.choice([1, "1/2", 4])
        model = {"format": "splinesym.model/1", "tokens": n, "dim": d,
                 "encoder": [{"self_attention": att, "residual": False}]}
        m = model_from_dict(model)
        pt = rand_point(random.Random(seed), n * d)
        Z = torch.tensor([float(v) for v in pt], dtype=torch.float64).reshape(n, d)
        want = _torch_smooth_attention(att, Z, Z).reshape(-1).tolist()
        for be in (FloatBackend(), MpmathBackend(30)):
            got = [float(v) for v in evaluate_model(m, pt, be)]
            scale = 1 + max(abs(v) for v in want)
            assert max(abs(a - b) for a, b in zip(got, want, strict=True)) <= 1e-9 * scale, \
                (act, seed, got, want)
