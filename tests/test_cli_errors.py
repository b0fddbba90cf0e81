"""Bad input: exit status 2, one line on stderr naming file, field and problem; no output file."""

import json
import subprocess
import sys

import pytest

from splinesym.cli import main

GOOD_HEAD = {"WQ": [[1, 0], [0, 1]], "WK": [[1, 2], [0, 1]], "WV": [[1, 0], [0, 1]]}


def model(**changes):
    m = {"format": "splinesym.model/1", "tokens": 2, "dim": 2,
         "encoder": [{"self_attention": {"heads": [dict(GOOD_HEAD)]}}]}
    m.update(changes)
    return m


def head(**changes):
    return model(encoder=[{"self_attention": {"heads": [{**GOOD_HEAD, **changes}]}}])


CASES = {
    "malformed": ("{not json", "malformed JSON"),
    "version": (model(format="splinesym.model/2"), "format: unknown version"),
    "shape": (head(WK=[[1, 2], [0, 1], [3, 3]]), "heads[0].WK: has 3 rows"),
    "ragged": (head(WV=[[1, 0], [0]]), "heads[0].WV: row 1 has 1 entries"),
    "non_numeric": (head(WQ=[[1, "abc def"], [0, 1]]), "WQ[0][1]: expected a number"),
    "nan": ("NAN", "WQ[0][0]: nan is not a finite number"),
    "infinity": (head(WQ=[[1, "inf"], [0, 1]]), "WQ[0][1]: 'inf' is not a finite number"),
    "layernorm": (model(encoder=[{"self_attention": {"heads": [GOOD_HEAD]},
                                  "layernorm": {}}]), "layer normalisation is not piecewise"),
    "activation": (model(encoder=[{"self_attention": {"heads": [GOOD_HEAD],
                                                      "activation": "gelu"}}]),
                   "unknown activation 'gelu'"),
    "softmax_expand": (model(encoder=[{"self_attention": {"heads": [GOOD_HEAD],
                                                          "activation": "softmax"}}]),
                       "softmax is not piecewise polynomial"),
    "tokens": (model(tokens=0), "tokens: must be a positive integer"),
    "unknown_field": (model(encoder=[{"self_attention": {"heads": [GOOD_HEAD]},
                                      "dropout": 0.1}]), "unknown field 'dropout'"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_model_exits_2_with_one_line(name, tmp_path, capsys):
    content, expected = CASES[name]
    path = tmp_path / "bad.json"
    if content == "NAN":
        text = json.dumps(head()).replace('"WQ": [[1, 0]', '"WQ": [[NaN, 0]')
    elif isinstance(content, str):
        text = content
    else:
        text = json.dumps(content)
    path.write_text(text)
    out = tmp_path / "out.json"
    rc = main(["expand", "--model", str(path), "--out", str(out)])
    err = capsys.readouterr().err
    assert rc == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert str(path) in lines[0]
    assert expected in lines[0], lines[0]
    assert not out.exists()
    assert not list(tmp_path.glob(".out.json*"))


def test_missing_file(tmp_path, capsys):
    rc = main(["expand", "--model", str(tmp_path / "nope.json")])
    err = capsys.readouterr().err.strip()
    assert rc == 2 and "nope.json: file not found" in err and len(err.splitlines()) == 1


def test_real_process_has_no_traceback(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(model(format="splinesym.model/9")))
    r = subprocess.run([sys.executable, "-m", "splinesym.cli", "expand", "--model", str(path)],
                       capture_output=True, text=True)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_drop_layernorm_is_loud(tmp_path, capsys):
    path = tmp_path / "ln.json"
    path.write_text(json.dumps(model(encoder=[{"self_attention": {"heads": [GOOD_HEAD]},
                                               "layernorm": {}}])))
    assert main(["expand", "--model", str(path), "--drop-layernorm"]) == 0
    assert "LAYER NORMALISATION DROPPED" in capsys.readouterr().out


def test_expand_outputs(tmp_path, capsys):
    out = tmp_path / "sp.json"
    assert main(["expand", "--format", "json", "--out", str(out)]) == 0
    d = json.loads(out.read_text())
    assert d["format"] == "splinesym.spline/1"
    assert d["variables"] == ["x1_1", "x1_2", "x2_1", "x2_2"]
    assert d["outputs"] == ["out1_1", "out1_2", "out2_1", "out2_2"]
    for p in d["pieces"]:
        assert p["status"] == "witness" and len(p["witness"]) == 4
        assert all(s in ("+", "-") for _, s in p["region"])
    from splinesym.io.spline_io import spline_from_dict

    sp = spline_from_dict(d)   # witnesses re-verified on reading
    assert len(sp.pieces) == len(d["pieces"])
    assert main(["expand", "--format", "latex"]) == 0
    tex = capsys.readouterr().out   # a complete document; conditions name the breaks g_k
    assert tex.startswith("\\documentclass") and "\\text{if } g_{0}" in tex
    assert main(["expand"]) == 0
    text = capsys.readouterr().out
    assert "g0 =" in text and "witness:" in text
    assert "[from encoder 1 self-attention head 1 (query 1, key 1)]" in text
