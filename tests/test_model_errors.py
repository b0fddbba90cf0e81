"""Bad input: malformed transformer models give exit status 2 and one line naming the
field (through the CLI, in process and in a real process), and InvalidInputError from the API."""

import json
import subprocess
import sys

import pytest

from splinesym import InvalidInputError, model_from_dict
from splinesym.cli import main

H1 = {"WQ": [[1]], "WK": [[1]], "WV": [[1]]}
H2 = {"WQ": [[1, 0], [0, 1]], "WK": [[1, 2], [0, 1]], "WV": [[1, 0], [2, 1]]}


def base(**kw):
    d = {"format": "splinesym.model/1", "tokens": 2, "dim": 2}
    d.update(kw)
    return d


CASES = {
    # the four of the issue
    "decoder_without_target_shape": (
        base(decoder=[{"self_attention": {"heads": [H2]}}]), "target_tokens",
        "needs the target shape"),
    "decoder_without_target_dim": (
        base(target_tokens=2, decoder=[{"self_attention": {"heads": [H2]}}]), "target_dim",
        "needs the target shape"),
    "cross_attention_outside_decoder": (
        base(encoder=[{"cross_attention": {"heads": [H2]}}]), "encoder[0].cross_attention",
        "only allowed in decoder blocks"),
    "residual_width_attention": (
        base(encoder=[{"self_attention": {"heads": [{**H2, "WV": [[1], [2]]}]}}]),
        "encoder[0].self_attention", "residual needs output width 2"),
    "residual_width_ffn": (
        base(encoder=[{"ffn": {"W1": [[1], [1]], "W2": [[1, 2, 3]]}}]), "encoder[0].ffn.W2",
        "residual needs output width 2"),
    "residual_width_cross": (
        base(target_tokens=2, target_dim=2,
             decoder=[{"cross_attention": {"heads": [{**H2, "WV": [[1], [2]]}]}}]),
        "decoder[0].cross_attention", "residual needs output width 2"),
    "wo_wrong_rows": (
        base(encoder=[{"self_attention": {"heads": [H2, H2], "WO": [[1, 0], [0, 1], [1, 1]]}}]),
        "encoder[0].self_attention.WO", "has 3 rows but the heads give 4 columns"),
    "wo_wrong_columns_with_residual": (
        base(encoder=[{"self_attention": {"heads": [H2], "WO": [[1, 0, 1], [0, 1, 1]]}}]),
        "encoder[0].self_attention", "residual needs output width 2"),
    # more shape and field errors
    "wk_columns": (
        base(encoder=[{"self_attention": {"heads": [{**H2, "WK": [[1], [0]]}]}}]),
        "heads[0].WK", "has 1 columns but WQ has 2"),
    "bias_length": (
        base(encoder=[{"self_attention": {"heads": [{**H2, "bQ": [1, 2, 3]}]}}]),
        "heads[0].bQ", "has 3 entries, expected 2"),
    "cross_memory_width": (
        base(dim=1, target_tokens=2, target_dim=2,
             decoder=[{"cross_attention": {"heads": [H2]}}]),
        "decoder[0].cross_attention.heads[0].WK", "key/value stream has width 1"),
    "target_without_decoder": (base(target_tokens=2), "target_tokens", "only meaningful"),
    "embed_rows": (base(embed=[[1, 0]]), "embed", "has 1 rows but the input has dim 2"),
    "readout_rows": (base(encoder=[{"self_attention": {"heads": [H2]}}], readout=[[1]]),
                     "readout", "has 1 rows but the stream has width 2"),
    "mask": (base(encoder=[{"self_attention": {"heads": [H2], "mask": "future"}}]),
             "encoder[0].self_attention.mask", "unknown mask"),
    "empty_heads": (base(encoder=[{"self_attention": {"heads": []}}]),
                    "encoder[0].self_attention.heads", "nonempty list of heads"),
    "missing_wv": (base(encoder=[{"self_attention": {"heads": [{"WQ": [[1, 0], [0, 1]],
                                                               "WK": [[1, 0], [0, 1]]}]}}]),
                   "heads[0].WV", "missing"),
    "residual_kind": (base(encoder=[{"self_attention": {"heads": [H2]}, "residual": "yes"}]),
                      "encoder[0].residual", "must be true, false"),
    "symbol_not_identifier": (
        base(encoder=[{"self_attention": {"heads": [{**H2, "WQ": [["a b", 0], [0, 1]]}]}}]),
        "WQ[0][0]", "expected a number or a weight symbol"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_cli_exit_2_one_line_naming_the_field(name, tmp_path, capsys):
    data, field, problem = CASES[name]
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(data))
    rc = main(["expand", "--model", str(path)])
    captured = capsys.readouterr()
    assert rc == 2
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert str(path) in lines[0] and field in lines[0] and problem in lines[0], lines[0]
    assert "Traceback" not in captured.err and captured.out == ""


@pytest.mark.parametrize("name", sorted(CASES))
def test_api_raises_invalid_input_naming_the_field(name):
    data, field, problem = CASES[name]
    with pytest.raises(InvalidInputError) as exc:
        model_from_dict(data)
    assert field in (exc.value.field or "") and problem in exc.value.problem


@pytest.mark.parametrize("name", ["decoder_without_target_shape",
                                  "cross_attention_outside_decoder", "residual_width_ffn",
                                  "wo_wrong_rows"])
def test_real_process(name, tmp_path):
    data, field, problem = CASES[name]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    r = subprocess.run([sys.executable, "-m", "splinesym.cli", "expand", "--model", str(path)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and field in lines[0] and problem in lines[0], r.stderr


def test_good_variants_are_accepted():
    # a decoder with its target shape, cross attention inside it, residual widths that match,
    # WO of the right shape, residuals switched off where widths change
    m = model_from_dict(base(
        target_tokens=3, target_dim=1,
        encoder=[{"self_attention": {"heads": [H2, H2], "WO": [[1, 0], [0, 1], [1, 1], [0, 2]],
                                     "scale": "1/2"}}],
        decoder=[{"self_attention": {"heads": [H1], "mask": "causal"},
                  "cross_attention": {"heads": [{"WQ": [[1]], "WK": [[1], [2]],
                                                 "WV": [[1, 1], [0, 1]]}]},
                  "ffn": {"W1": [[1], [1]], "W2": [[1]]},
                  "residual": {"attention": True, "cross": False, "ffn": False}}]))
    assert m.output_shape() == (3, 1)
    assert m.variables()[-3:] == ["y1_1", "y2_1", "y3_1"]
