"""Issue 9: the four JSON readers and the CLI fuzzed with generated documents and options.

Every reader either loads or raises the package's input error (``InvalidInputError``; the
kernel's ``Malformed`` for certificates), never anything else; the CLI exits with a
status of the contract (0, 1, 2 or 3) with no traceback. Example counts are small in the default
run (derandomised, see conftest.py); the longer profile multiplies them and draws fresh ones:

    SPLINESYM_FUZZ_SCALE=50 HYPOTHESIS_PROFILE=explore python -m pytest tests/test_fuzz_inputs.py
"""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from splinesym.check import Malformed, check_certificate
from splinesym.cli import main
from splinesym.errors import InvalidInputError
from splinesym.io.jsonio import read_json
from splinesym.io.maxmin_io import maxmin_from_dict
from splinesym.io.spline_io import spline_from_dict
from splinesym.nn.model import model_from_dict

SCALE = int(os.environ.get("SPLINESYM_FUZZ_SCALE", "1"))

NUMBERS = st.one_of(st.integers(-10**30, 10**30), st.floats(allow_nan=True, allow_infinity=True),
                    st.sampled_from(["1/2", "1e5000", "1e999999999", "-0", "nan", "inf", "x",
                                     "1/0", "3.5e-7", "a12", "__import__('os')", "", " 2 ",
                                     "9" * 50]))
POLYS = st.one_of(st.sampled_from(["x", "x*y + 1", "x**2 - 3/4", "(x+1)**3", "x**99999999",
                                   "((((x))))", "x +", "1e999999999*x", "z", "x/0", "x/y",
                                   "__import__('os')", "x^2", "2**x", "-" * 50 + "x", ""]),
                  st.text(alphabet="xy0123456789+-*/()^. e", max_size=30))
LEAF = st.one_of(st.none(), st.booleans(), NUMBERS, POLYS, st.text(max_size=8))


def json_values(leaf=LEAF):
    return st.recursive(leaf, lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(["format", "tokens", "dim", "encoder", "heads", "WQ",
                                         "WK", "WV", "ffn", "W1", "W2", "variables", "outputs",
                                         "breaks", "pieces", "region", "values", "witness",
                                         "max_of_mins", "name", "claims", "subject", "kind",
                                         "value", "evidence", "complete", "notes"]), inner,
                        max_size=5)), max_leaves=20)


H = {"WQ": [[1, 0], [0, 1]], "WK": [[1, 2], [0, 1]], "WV": [[1, 0], [0, 1]]}
VALID = {
    "model": {"format": "splinesym.model/1", "tokens": 2, "dim": 2,
              "encoder": [{"self_attention": {"heads": [H]}, "ffn": {"W1": [[1], [2]],
                                                                      "W2": [[1, 1]]}}]},
    "spline": {"format": "splinesym.spline/1", "variables": ["x", "y"], "outputs": ["f"],
               "breaks": ["x", "y"], "pieces": [
                   {"region": [[0, "+"]], "values": ["x"], "witness": [1, 0]},
                   {"region": [[0, "-"], [1, "+"]], "values": ["0"]},
                   {"region": [[0, "-"], [1, "-"]], "values": ["0"]}],
               "complete": True, "notes": []},
    "maxmin": {"format": "splinesym.maxmin/1", "variables": ["x", "y"],
               "outputs": [{"name": "f", "max_of_mins": [["x", "y"], ["0"]]}]},
    "certificate": {"format": "splinesym.certificate/1",
                    "subject": {"spline": {"format": "splinesym.spline/1", "variables": ["x"],
                                           "outputs": ["f"], "breaks": ["x"],
                                           "pieces": [{"region": [[0, "+"]], "values": ["x"],
                                                       "witness": [1]},
                                                      {"region": [[0, "-"]], "values": ["0"],
                                                       "witness": [-1]}]}},
                    "claims": [{"kind": "degree", "value": 1, "evidence": {}}]},
}


@st.composite
def mutated(draw, kind):
    """A valid document with one to three fields replaced by generated JSON values."""
    doc = json.loads(json.dumps(VALID[kind]))
    for _ in range(draw(st.integers(1, 3))):
        node = doc
        path = []
        while isinstance(node, (dict, list)) and node and draw(st.booleans()):
            key = (draw(st.sampled_from(sorted(node))) if isinstance(node, dict)
                   else draw(st.integers(0, len(node) - 1)))
            path.append(key)
            node = node[key]
        new = draw(json_values())
        if not path:
            if isinstance(doc, dict):
                doc[draw(st.sampled_from(["format", "extra", "tokens", "pieces"]))] = new
            continue
        parent = doc
        for k in path[:-1]:
            parent = parent[k]
        parent[path[-1]] = new
    return doc


READERS = {"model": (model_from_dict, InvalidInputError),
           "spline": (spline_from_dict, InvalidInputError),
           "maxmin": (maxmin_from_dict, InvalidInputError),
           "certificate": (check_certificate, Malformed)}


def _load_or_input_error(kind, doc):
    fn, err = READERS[kind]
    try:
        fn(doc)
    except err:
        pass


@pytest.mark.parametrize("kind", sorted(READERS))
@settings(max_examples=60 * SCALE, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_reader_loads_or_raises_the_input_error(kind, data):
    doc = data.draw(st.one_of(mutated(kind), json_values()))
    _load_or_input_error(kind, doc)


@settings(max_examples=40 * SCALE, suppress_health_check=list(HealthCheck))
@given(text=st.one_of(st.text(max_size=60), st.sampled_from([
    '{"a": 1, "a": 2}', "[" * 5000, '{"format": 1e999999}', "1" * 30000, '{"x": NaN}',
    '{"format": "splinesym.model/1", "tokens": ' + "9" * 25000 + "}"])))
def test_read_json_loads_or_raises_the_input_error(text, tmp_path_factory):
    p = tmp_path_factory.mktemp("j") / "f.json"
    p.write_text(text)
    try:
        read_json(p)
    except InvalidInputError:
        pass


OPTIONS = {
    "expand": ["--time-limit", "--max-cells", "--solver-timeout", "--format", "--limit"],
    "certify": ["--time-limit", "--max-cells", "--z3-timeout", "--wall-time", "--format",
                "--sympy", "--rationalize"],
    "maxmin": ["--time-limit", "--max-terms", "--solver-timeout", "--format", "--method"],
    "encode": ["--time-limit", "--points", "--solver-timeout", "--method"],
    "check": ["--strict"],
}
OPTION_VALUES = st.sampled_from(["0", "-1", "nan", "inf", "1e3", "3", "0.5", "json", "latex",
                                 "x", "", "tokens=1", "bogus=2", "lattice", "table",
                                 "Piecewise((x, x < 0), (0, True))", "__import__('os')",
                                 "99999999999999999999"])


@settings(max_examples=30 * SCALE, suppress_health_check=list(HealthCheck))
@given(command=st.sampled_from(sorted(OPTIONS)), data=st.data())
def test_cli_exit_status_is_in_the_contract(command, data, tmp_path_factory, capsys):
    d = tmp_path_factory.mktemp("cli")
    kind = {"expand": "model", "certify": "spline", "maxmin": "maxmin", "encode": "maxmin",
            "check": "certificate"}[command]
    doc = data.draw(st.one_of(st.just(VALID[kind]), mutated(kind)))
    inp = d / "in.json"
    inp.write_text(json.dumps(doc))
    argv = [command] + (["--model", str(inp)] if command == "expand" else [str(inp)])
    for opt in data.draw(st.lists(st.sampled_from(OPTIONS[command]), max_size=3)):
        argv.append(opt)
        if opt not in ("--strict",):
            argv.append(data.draw(OPTION_VALUES))
    if command != "check":
        argv += ["--out", str(d / "out.txt")]
        if "--time-limit" not in argv:
            argv += ["--time-limit", "5"]
    status = main(argv)
    err = capsys.readouterr().err
    assert status in (0, 1, 2, 3), (argv, err)
    assert "Traceback" not in err
    if status == 2:
        assert len(err.strip().splitlines()) == 1, err
        assert not (d / "out.txt").exists()
