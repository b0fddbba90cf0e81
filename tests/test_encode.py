"""The max–min → encoder compiler: exact forward passes, round trips, the CLI."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from test_lattice import (
    ABS_MODEL,
    ATT,
    BLOCK,
    RELU_XY,
    SQUARE,
    block_result,
    natural_cubic,
    rand_points,
    random_ffn,
)

from splinesym.cli import main
from splinesym.io.maxmin_io import maxmin_from_dict, write_maxmin
from splinesym.io.model_io import read_model
from splinesym.io.spline_io import write_spline
from splinesym.lattice.api import build_maxmin, encode
from splinesym.lattice.compile import compile_maxmin
from splinesym.lattice.from_model import model_maxmin
from splinesym.nn.forward import evaluate_model
from splinesym.nn.model import model_from_dict


def check_encoder(res, npoints=200, roundtrip=True):
    """Compile, compare the encoder's exact forward pass with the spline at random points, and
    (``roundtrip``) expand the encoder and compare piece by piece."""
    enc = encode(res, verify=roundtrip, points=0)
    m = enc.model
    assert m.tokens == 1 and m.dim == res.maxmin.ring.nvars
    sp = res.spline
    for pt in rand_points(m.dim, npoints, seed=9):
        want = sp.evaluate(pt) if sp is not None else res.maxmin.evaluate(pt)
        assert evaluate_model(m, pt) == want, pt
    if roundtrip:
        assert enc.roundtrip["equal"], enc.roundtrip
        assert enc.roundtrip["complete"]
    return enc


def test_square():
    enc = check_encoder(build_maxmin("spline", SQUARE, method="table"), 300)
    info = enc.info
    assert (info["blocks"], info["heads"], info["product_blocks"]) == (4, 2, 1)


def test_relu_times_y_table_and_model():
    check_encoder(build_maxmin("spline", RELU_XY))
    m = model_from_dict({"format": "splinesym.model/1", "tokens": 1, "dim": 2, "encoder": [
        {"self_attention": {"heads": [{"WQ": [[1], [0]], "WK": [[0], [0]], "bK": [1],
                                       "WV": [[0], [1]]}]}, "residual": False}]})
    check_encoder(build_maxmin("model", m))


def test_abs_sum():
    enc = check_encoder(build_maxmin("model", model_from_dict(ABS_MODEL)), 300)
    assert enc.info["heads"] == 0 and not enc.info["constant_block"]   # degree 1: FFNs only


@pytest.mark.parametrize("nin,hidden,seed", [(2, 4, 11), (3, 3, 12)])
def test_random_cpwl(nin, hidden, seed):
    check_encoder(build_maxmin("model", random_ffn(nin, hidden, seed), method="ovchinnikov"))


def test_cubic_spline():
    sp = natural_cubic([Fraction(v) for v in (0, 2, -1, 3, 1, 4)])
    check_encoder(build_maxmin("spline", sp))


def test_attention_two_tokens():
    enc = check_encoder(build_maxmin("model", model_from_dict(ATT)), 200)
    assert enc.info["product_blocks"] == enc.info["product_blocks_minimum"] == 2


def test_encoder_block_numeric():
    """The block's compiled encoder: exact forward pass at random points (a test; the
    expansion-based round trip is the slow test below)."""
    m = model_from_dict(BLOCK)
    res = block_result()
    model, info = compile_maxmin(res.maxmin)
    assert info["width"] < 60
    for pt in rand_points(2, 100, seed=3):
        assert evaluate_model(model, pt) == evaluate_model(m, pt) == res.spline.evaluate(pt)


def test_unpruned_lattice_form_is_exact():
    """The flattened (unpruned, uncertified) lattice form of the block is exact pointwise."""
    m = model_from_dict(BLOCK)
    mm = model_maxmin(m)
    for pt in rand_points(2, 200, seed=8):
        assert mm.evaluate(pt) == evaluate_model(m, pt)


@pytest.mark.slow
def test_encoder_block_roundtrip():
    check_encoder(block_result(), 100)


def test_maxmin_input_roundtrip():
    mm = maxmin_from_dict({"format": "splinesym.maxmin/1", "variables": ["x", "y"], "outputs": [
        {"name": "f", "max_of_mins": [["x*y", "x*(1 + y**2)"], ["0", "-x*(1 + y**2)"]]},
        {"name": "g", "max_of_mins": [["x", "y"], ["1 - x"]]}]})
    res = build_maxmin("maxmin", mm)
    enc = check_encoder(res, 200)
    assert enc.model.output_names() == ["out1_1", "out1_2"]


# ----------------------------------------------------------------------------------------------
def test_cli_maxmin_and_encode(tmp_path, capsys):
    sfile = tmp_path / "sq.json"
    write_spline(SQUARE, sfile)
    out, cert = tmp_path / "mm.json", tmp_path / "cert.json"
    assert main(["maxmin", str(sfile), "--format", "json", "--out", str(out),
                 "--certificate", str(cert)]) == 0
    d = json.loads(out.read_text())
    assert d["format"] == "splinesym.maxmin/1" and d["certification"].startswith("certified")
    from splinesym.lattice.certify import verify_certificate

    assert [s for s, _ in verify_certificate(json.loads(cert.read_text()))] == ["checked"]
    assert main(["maxmin", str(sfile), "--format", "latex"]) == 0
    assert "\\max" in capsys.readouterr().out
    model_out, rt = tmp_path / "enc.json", tmp_path / "rt.json"
    assert main(["encode", str(out), "--out", str(model_out), "--verify",
                 "--certificate", str(rt)]) == 0
    text = capsys.readouterr().out
    assert "round trip" in text and "heads" in text
    m = read_model(model_out)
    assert evaluate_model(m, [Fraction(-3)]) == [Fraction(18)]
    assert main(["check", str(rt)]) == 0


def test_cli_bad_inputs(tmp_path, capsys):
    disc = {"format": "splinesym.spline/1", "variables": ["x", "y"], "outputs": ["f"],
            "breaks": ["x"], "pieces": [{"region": [[0, "+"]], "values": ["x*y + 1"]},
                                        {"region": [[0, "-"]], "values": ["0"]}]}
    over = {"format": "splinesym.spline/1", "variables": ["x", "y"], "outputs": ["f"],
            "breaks": ["x", "y"], "pieces": [{"region": [[0, "+"]], "values": ["x"]},
                                             {"region": [[1, "+"]], "values": ["x"]},
                                             {"region": [[0, "-"], [1, "-"]], "values": ["0"]}]}
    bad = {"format": "splinesym.maxmin/1", "variables": ["x"],
           "outputs": [{"name": "f", "max_of_mins": [["x*z"]]}]}
    # issue 9's contract: overlap/gap are bad input (2), a discontinuity is "not a spline" (1)
    cases = [("disc.json", disc, "maxmin", "discontinuous", 1),
             ("over.json", over, "maxmin", "overlap", 2),
             ("bad.json", bad, "encode", "unknown variable 'z'", 2)]
    for name, data, cmd, what, status in cases:
        f = tmp_path / name
        f.write_text(json.dumps(data))
        args = [cmd, str(f)] + (["--out", str(tmp_path / "o.json")] if cmd == "encode" else [])
        assert main(args) == status
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and what in err[0] and name in err[0]
        assert not (tmp_path / "o.json").exists()


def test_write_maxmin_roundtrip(tmp_path):
    res = build_maxmin("spline", SQUARE)
    f = tmp_path / "m.json"
    write_maxmin(res.maxmin, f)
    assert main(["maxmin", str(f)]) == 0
