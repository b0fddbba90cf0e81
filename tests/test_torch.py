"""PyTorch import and export: a random MultiheadAttention expanded exactly equals ReLU attention
written with torch; encoder layers import only without layer norm (said loudly); an encoder
compiled from a max-min runs in torch and reproduces the spline; .npz weights are a model input."""

import random
from fractions import Fraction

import numpy as np
import pytest
import torch

import splinesym
from splinesym.errors import InvalidInputError, UnsupportedModelError
from splinesym.nn.forward import evaluate_model


def relu_mha(mha: torch.nn.MultiheadAttention, X: torch.Tensor) -> torch.Tensor:
    """ReLU attention written directly with torch (tokens are rows), double precision."""
    E, H = mha.embed_dim, mha.num_heads
    hd = E // H
    W = mha.in_proj_weight.double()
    b = mha.in_proj_bias.double()
    q = X @ W[:E].T + b[:E]
    k = X @ W[E:2 * E].T + b[E:2 * E]
    v = X @ W[2 * E:].T + b[2 * E:]
    outs = []
    for h in range(H):
        sl = slice(h * hd, (h + 1) * hd)
        S = q[:, sl] @ k[:, sl].T / hd ** 0.5
        outs.append(torch.relu(S) @ v[:, sl])
    return torch.cat(outs, dim=1) @ mha.out_proj.weight.double().T + mha.out_proj.bias.double()


def _randomised_mha(seed: int, E: int, H: int) -> torch.nn.MultiheadAttention:
    torch.manual_seed(seed)
    mha = torch.nn.MultiheadAttention(E, H)
    with torch.no_grad():  # torch initialises biases to 0: make them generic too
        mha.in_proj_bias.uniform_(-0.5, 0.5)
        mha.out_proj.bias.uniform_(-0.5, 0.5)
    return mha


@pytest.mark.parametrize("seed", [0, 1])
def test_random_multihead_attention_expands_to_relu_attention(seed):
    mha = _randomised_mha(seed, 2, 2)
    imp = splinesym.from_torch(mha, tokens=2)
    assert any("converted exactly" in n for n in imp.notes)
    assert any("SoftMax replaced by ReLU" in n for n in imp.notes)
    sp = splinesym.expand(imp.model, time_limit=120)
    assert sp.complete and sp.max_degree() == 3
    rng = random.Random(seed)
    for _ in range(30):
        pt = [Fraction(rng.randint(-300, 300), rng.randint(50, 150)) for _ in range(4)]
        exact = sp.evaluate(pt)
        X = torch.tensor([[float(v) for v in pt[:2]], [float(v) for v in pt[2:]]],
                         dtype=torch.float64)
        ref = relu_mha(mha, X).reshape(-1).tolist()
        assert np.allclose([float(v) for v in exact], ref, rtol=1e-9, atol=1e-9)
        # the model's own exact forward pass agrees exactly with the spline
        assert evaluate_model(imp.model, pt) == exact


def test_irrational_scale_is_reported_and_export_reproduces_torch():
    mha = _randomised_mha(3, 4, 2)  # head_dim 2: scale 1/sqrt(2)
    imp = splinesym.from_torch(mha, tokens=3)
    assert any("irrational" in n for n in imp.notes)
    mod = splinesym.to_torch(imp.model)
    X = torch.randn(3, 4, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    assert torch.allclose(mod(X), relu_mha(mha, X), atol=1e-12)


def test_rationalize_gives_small_denominators():
    mha = _randomised_mha(0, 2, 1)
    imp = splinesym.from_torch(mha, tokens=2, rationalize=1e-3)
    assert "simplest rationals within 0.001" in imp.notes[0]
    WQ = imp.model.encoder[0].self_attention.heads[0].WQ
    assert all(Fraction(v).denominator < 1000 for row in WQ for v in row)


def test_encoder_layer_needs_drop_layernorm_and_says_so():
    torch.manual_seed(0)
    layer = torch.nn.TransformerEncoderLayer(d_model=2, nhead=1, dim_feedforward=3,
                                             dropout=0.0)
    with pytest.raises(UnsupportedModelError, match="layer normalisation"):
        splinesym.from_torch(layer, tokens=2)
    imp = splinesym.from_torch(layer, tokens=2, drop_layernorm=True)
    assert any(n.startswith("LAYER NORMALISATION DROPPED") for n in imp.notes)
    assert imp.model.dropped_layernorm
    # without the norms the layer is x + attn(x), then z + FFN(z): check against torch
    X = torch.tensor([[0.5, -1.25], [2.0, 0.75]], dtype=torch.float64)
    mha = layer.self_attn
    Z = X + relu_mha(mha, X)
    F = torch.relu(Z @ layer.linear1.weight.double().T + layer.linear1.bias.double())
    out = Z + F @ layer.linear2.weight.double().T + layer.linear2.bias.double()
    exact = evaluate_model(imp.model, [Fraction(float(v)) for v in X.reshape(-1)])
    assert np.allclose([float(v) for v in exact], out.reshape(-1).tolist(), atol=1e-12)


def test_sequential_ffn_import():
    torch.manual_seed(1)
    ffn = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 2))
    imp = splinesym.from_torch(ffn, tokens=1)
    X = torch.tensor([[0.3, -0.7]], dtype=torch.float64)
    ref = ffn.double()(X).reshape(-1).tolist()
    exact = evaluate_model(imp.model, [Fraction(0.3), Fraction(-0.7)])
    assert np.allclose([float(v) for v in exact], ref, atol=1e-12)


def test_compiled_encoder_runs_in_torch_and_reproduces_the_spline(tmp_path):
    sp = splinesym.spline.Spline.from_pieces(
        ["x"], ["f"], ["x"], [([(0, 1)], ["x**2"]), ([(0, -1)], ["2*x**2 - x"])])
    enc = splinesym.encode(splinesym.maxmin(sp), verify=False, points=20)
    mod = splinesym.to_torch(enc)
    splinesym.write_model(enc, tmp_path / "enc.json")
    assert splinesym.read_model(tmp_path / "enc.json") == enc.model
    assert isinstance(mod, torch.nn.Module)
    for x in (-2.5, -0.5, 0.0, 0.75, 3.0):
        got = mod(torch.tensor([[x]], dtype=torch.float64)).reshape(-1)
        want = float(sp.evaluate([Fraction(x)])[0])
        assert abs(float(got[0]) - want) < 1e-9


def test_npz_weights_are_a_model_input(tmp_path):
    path = tmp_path / "w.npz"
    np.savez(path, tokens=np.array(1), dim=np.array(2),
             **{"encoder.0.ffn.W1": np.array([[1.0, -1.0], [0.5, 1.0]], dtype=np.float32),
                "encoder.0.ffn.W2": np.array([[1.0], [1.0]]),
                "encoder.0.residual": np.array(False)})
    m = splinesym.read_model(path)
    assert m.tokens == 1 and m.dim == 2 and m.encoder[0].ffn.W1[1][0] == Fraction(1, 2)
    sp = splinesym.expand(str(path))
    assert sp.complete and len(sp.pieces) == 4
    from splinesym import cli

    for cmd in ("certify", "maxmin"):   # every command reads .npz weights
        assert cli.main([cmd, str(path), "--quiet"]) == 0
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InvalidInputError, match="npz"):
        splinesym.read_model(bad)
