"""The degree table of docs/DESIGN.md §5.

The structural bound (from the model's shape) is checked against the table for every kind and
depth, and reproduced on random integer instances: the maximum degree of the pieces equals the
bound, jointly and per input group (x, y).
"""

import pytest

from splinesym import expand_model, model_from_dict, structural_degree
from splinesym.nn.expand import attained_degree
from splinesym.nn.zoo import random_model


def bound(kind, **kw):
    return structural_degree(model_from_dict(random_model(kind, **kw)))


# ----------------------------------------------------------------------------------------------
# the structural bound from the shape
@pytest.mark.parametrize("kind", ["attention", "masked", "multihead", "biases"])
def test_attention_bound_is_3(kind):
    assert bound(kind, tokens=3, dim=2) == {"joint": 3, "x": 3, "y": 0}


def test_cross_attention_bound():
    # beta(X, Y): 3 jointly, 2 in the memory X, 1 in the queries Y
    assert bound("cross", tokens=2, dim=2, target_tokens=3, target_dim=1) == \
        {"joint": 3, "x": 2, "y": 1}


def test_ffn_keeps_the_degree():
    assert bound("ffn", tokens=1, dim=3) == {"joint": 1, "x": 1, "y": 0}
    # attention then FFN (the encoder block): still 3
    assert bound("encoder_block")["joint"] == 3


@pytest.mark.parametrize("L", [1, 2, 3, 4])
def test_encoder_bound_is_3_to_the_L(L):
    assert bound("encoder", layers=L) == {"joint": 3**L, "x": 3**L, "y": 0}
    assert bound("encoder", layers=L, residual=False)["joint"] == 3**L


def test_decoder_block_bound_is_5():
    assert bound("decoder_block") == {"joint": 5, "x": 2, "y": 3}


@pytest.mark.parametrize("L", [1, 2, 3, 4])
def test_decoder_bound(L):
    # raw memory X: 2*3^L - 1 jointly, 3^L in Y alone
    b = bound("decoder", layers=L)
    assert b["joint"] == 2 * 3**L - 1 and b["y"] == 3**L and b["x"] == 3**L - 1


@pytest.mark.parametrize("L", [1, 2, 3])
def test_transformer_bound_is_9_to_the_L(L):
    b = bound("transformer", layers=L)
    assert b["joint"] == 9**L
    assert b["y"] == 3**L           # the memory carries no Y
    assert b["x"] == 9**L - 3**L


@pytest.mark.parametrize("enc_layers", [0, 1, 2])
def test_cross_attention_on_deeper_inputs(enc_layers):
    # cross attention with queries of degree Dq and a memory of degree Dm: Dq + 2 Dm
    d = random_model("transformer", layers=1)
    d["encoder"] = d["encoder"][:1] * enc_layers
    dec = d["decoder"][0]
    dm = 3**enc_layers
    only_cross = dict(d, decoder=[{"cross_attention": dec["cross_attention"],
                                   "residual": False}])
    assert structural_degree(model_from_dict(only_cross)) == \
        {"joint": 1 + 2 * dm, "x": 2 * dm, "y": 1}
    with_self = dict(d, decoder=[{"self_attention": dec["self_attention"],
                                  "cross_attention": dec["cross_attention"],
                                  "residual": False}])
    assert structural_degree(model_from_dict(with_self)) == \
        {"joint": 3 + 2 * dm, "x": 2 * dm, "y": 3}


def test_linear_maps_and_residuals_do_not_raise_the_degree():
    d = random_model("encoder_block", tokens=2, dim=1)
    d["embed"] = [[1, 2]]
    d["dim"] = 1
    d["encoder"] = [random_model("encoder_block", dim=2)["encoder"][0]]
    d["readout"] = [[1], [1]]
    assert structural_degree(model_from_dict(d))["joint"] == 3


# ----------------------------------------------------------------------------------------------
# attained on random integer instances: the maximum piece degree equals the bound
TABLE = [
    # (what, kind, options, seed, expected {joint, x, y})
    ("attention", "attention", dict(tokens=2, dim=2), 2, (3, 3, 0)),
    ("masked attention", "masked", dict(tokens=3, dim=1), 2, (3, 3, 0)),
    ("multi-head", "multihead", dict(tokens=2, dim=1), 2, (3, 3, 0)),
    ("cross attention", "cross", dict(tokens=2, dim=1, target_tokens=2, target_dim=1), 2,
     (3, 2, 1)),
    ("FFN", "ffn", dict(tokens=1, dim=2, hidden=3), 2, (1, 1, 0)),
    ("encoder L=1", "encoder", dict(tokens=2, dim=1, layers=1, hidden=1), 2, (3, 3, 0)),
    ("encoder L=2", "encoder", dict(tokens=2, dim=1, layers=2, hidden=1), 2, (9, 9, 0)),
    ("decoder block", "decoder_block", dict(tokens=2, dim=1, hidden=1), 0, (5, 2, 3)),
    ("transformer 1+1", "transformer", dict(tokens=2, dim=1, layers=1, hidden=1), 0, (9, 6, 3)),
]


@pytest.mark.parametrize("row", TABLE, ids=[r[0] for r in TABLE])
def test_degree_table_is_attained(row):
    what, kind, opts, seed, (j, x, y) = row
    m = model_from_dict(random_model(kind, seed=seed, **opts))
    sp = expand_model(m, time_limit=240)
    assert sp.complete, sp.notes
    want = {"joint": j, "x": x, "y": y}
    assert sp.stats["structural_degree"] == want
    assert attained_degree(sp, m) == want
    assert sp.max_degree() == j


@pytest.mark.slow
def test_two_layer_decoder_attains_17():
    # 2*3^2 - 1 = 17 jointly, 9 in Y; a budget may leave some cells undecided
    m = model_from_dict(random_model("decoder", seed=0, tokens=2, dim=1, layers=2, hidden=1))
    sp = expand_model(m, time_limit=900, solver_timeout=5)
    assert sp.stats["structural_degree"] == {"joint": 17, "x": 8, "y": 9}
    assert attained_degree(sp, m) == {"joint": 17, "x": 8, "y": 9}


@pytest.mark.slow
@pytest.mark.parametrize("kind,opts,bound_joint", [
    ("encoder", dict(layers=2, hidden=1), 9),
    ("transformer", dict(layers=1, hidden=1), 9),
    ("decoder_block", dict(hidden=1), 5),
])
def test_bound_is_attained_on_most_random_instances(kind, opts, bound_joint):
    hits = 0
    for seed in range(6):
        m = model_from_dict(random_model(kind, seed=seed, **opts))
        sp = expand_model(m, time_limit=300)
        assert sp.max_degree() <= bound_joint
        hits += sp.max_degree() == bound_joint
    assert hits >= 3
