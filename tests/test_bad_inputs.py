"""Issue 9: a table of bad inputs and bad options across every command.

Each row runs one command and asserts: the exit status of the contract (2 for bad input or
options), exactly one line on stderr naming the problem, no traceback and no output file (nor a
temporary one). The classes of the issue are all here: tracebacks, hangs and runaway memory,
accepted nonsense, exactness on large numbers, limits, code execution. A subset runs in a real
process under a 500 MB address-space cap and a timeout, to show that refusal stays small.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from splinesym.cli import main

ROOT = Path(__file__).resolve().parents[1]
H = {"WQ": [[1, 0], [0, 1]], "WK": [[1, 2], [0, 1]], "WV": [[1, 0], [0, 1]]}


def model(**kw):
    m = {"format": "splinesym.model/1", "tokens": 2, "dim": 2,
         "encoder": [{"self_attention": {"heads": [dict(H)]}}]}
    m.update(kw)
    return m


def weight(w):
    return model(encoder=[{"self_attention": {"heads": [{**H, "WQ": [[w, 0], [0, 1]]}]}}])


def spline(**kw):
    s = {"format": "splinesym.spline/1", "variables": ["x"], "outputs": ["f"], "breaks": ["x"],
         "pieces": [{"region": [[0, "+"]], "values": ["x"]},
                    {"region": [[0, "-"]], "values": ["0"]}]}
    s.update(kw)
    return s


def values(v):
    return spline(breaks=[], pieces=[{"region": [], "values": [v]}])


def maxmin(**kw):
    m = {"format": "splinesym.maxmin/1", "variables": ["x", "y"],
         "outputs": [{"name": "f", "max_of_mins": [["x", "y"], ["0"]]}]}
    m.update(kw)
    return m


def mm_poly(p):
    return maxmin(outputs=[{"name": "f", "max_of_mins": [[p, "y"], ["0"]]}])


OVERLAP = spline(pieces=[{"region": [[0, "+"]], "values": ["x"]}, {"region": [], "values": ["0"]}])
GAP = spline(pieces=[{"region": [[0, "+"]], "values": ["x"]}])
NEST = "(" * 100_000 + "x" + ")" * 100_000
HOSTILE = "__import__('os').system('touch PWNED')"


def state(**kw):
    s = {"format": "splinesym.expansion-state/1", "model": model(), "complete": False,
         "finished": [], "pending": [], "decisions": {}, "notes": []}
    s.update(kw)
    return s


def npz(**arrays) -> bytes:
    """The bytes of an ``.npz`` file (written as ``input.npz``)."""
    import io

    import numpy as np

    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def npz_bomb() -> bytes:
    """An ``.npz`` whose few compressed kilobytes declare a 16000 x 16000 float array."""
    import io
    import zipfile

    import numpy as np

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for k in ("tokens", "dim"):
            b = io.BytesIO()
            np.save(b, np.array(2))
            z.writestr(k + ".npy", b.getvalue())
        hdr = io.BytesIO()
        np.lib.format.write_array_header_1_0(
            hdr, {"descr": "<f8", "fortran_order": False, "shape": (16000, 16000)})
        z.writestr("encoder.0.ffn.W1.npy", hdr.getvalue() + b"\0" * 4096)
    return buf.getvalue()

# name: (argv with {in} = the input file, {out} = an output path, {d} = the folder;
#        content of {in} (dict: JSON, str: text, None: no file); status; text in the line)
ROWS: dict[str, tuple] = {
    # -- tracebacks (issue class 1) -------------------------------------------------------
    "weight_30000_digits": (["expand", "--model", "{in}", "--out", "{out}"],
                            '"BIG"', 2, "int_digits"),
    "weight_1e999999999": (["expand", "--model", "{in}", "--out", "{out}"],
                           weight("1e999999999"), 2, "exponent"),
    "tokens_1e6": (["expand", "--model", "{in}", "--out", "{out}"], model(tokens=10**6), 2,
                   "tokens"),
    "dim_1e6": (["certify", "{in}", "--out", "{out}"], model(dim=10**6), 2, "dim"),
    "nested_parens_100k": (["certify", "{in}", "--out", "{out}"], values(NEST), 2, "values[0]"),
    "unary_minus_100k_no_operand": (["certify", "{in}", "--out", "{out}"], values("-" * 100_000),
                                    2, "values[0]"),
    "break_origins_type": (["certify", "{in}", "--out", "{out}"], spline(break_origins=5), 2,
                           "break_origins"),
    "notes_type": (["certify", "{in}", "--out", "{out}"], spline(notes=7), 2, "notes"),
    "spline_no_variables": (["certify", "{in}", "--out", "{out}"],
                            spline(variables=[], breaks=[],
                                   pieces=[{"region": [], "values": ["1"]}]), 2, "variables"),
    "out_missing_dir": (["expand", "--out", "{d}/nope/out.json"], None, 2, "does not exist"),
    "out_is_dir": (["expand", "--out", "{d}"], None, 2, "is a directory"),
    "out_dir_path": (["maxmin", "{in}", "--out", "{d}/sub/"], maxmin(), 2, "directory"),
    "certificate_missing_dir": (["certify", "--certificate", "{d}/nope/c.json"], None, 2,
                                "does not exist"),
    "certificate_is_dir": (["maxmin", "{in}", "--certificate", "{d}"], maxmin(), 2,
                           "is a directory"),
    "encode_out_missing_dir": (["encode", "{in}", "--out", "{d}/nope/m.json"], maxmin(), 2,
                               "does not exist"),
    # -- hangs and runaway memory (class 2) ------------------------------------------------
    "poly_1e999999999": (["certify", "{in}", "--out", "{out}"], values("1e999999999*x"), 2,
                         "values[0]"),
    "tokens_1e12": (["expand", "--model", "{in}", "--out", "{out}"], model(tokens=10**12), 2,
                    "tokens"),
    "attention_60_tokens": (["expand", "--model", "{in}", "--out", "{out}"], model(tokens=60),
                            2, "far too large"),
    "certify_60_tokens": (["certify", "{in}", "--out", "{out}"], model(tokens=60), 2,
                          "far too large"),
    "power_tower": (["certify", "{in}", "--out", "{out}"], values("((x+1)**10000)**10000"), 2,
                    "cap"),
    "sympy_power": (["certify", "--sympy", "(x+y+z+w+1)**10000", "--out", "{out}"], None, 2,
                    "terms"),
    "sympy_constant_tower": (["certify", "--sympy", "10**10**10*x", "--out", "{out}"], None, 2,
                             "exponent"),
    "sympy_huge_constant": (["certify", "--sympy", "(10**10000)**10000*x", "--out", "{out}"],
                            None, 2, "int_digits"),
    "constant_power_tower": (["maxmin", "{in}", "--out", "{out}"],
                             mm_poly("(10**10000)**10000*x"), 2, "digits"),
    "power_of_sum_work": (["certify", "{in}", "--out", "{out}"], values("(x+1)**5000"), 2,
                          "work cap"),
    "maxmin_100k_variables": (["maxmin", "{in}", "--out", "{out}"],
                              maxmin(variables=[f"v{i}" for i in range(100_000)]), 2,
                              "variables"),
    "duplicate_key": (["expand", "--model", "{in}", "--out", "{out}"],
                      '{"format": "splinesym.model/1", "tokens": 2, "tokens": 3, "dim": 2}', 2,
                      "duplicate key 'tokens'"),
    "fifo_model": (["expand", "--model", "{d}/fifo", "--out", "{out}"], "FIFO", 2,
                   "not a regular file"),
    "dev_zero_model": (["certify", "/dev/zero", "--out", "{out}"], None, 2,
                       "not a regular file"),
    "fifo_certificate_check": (["check", "{d}/fifo"], "FIFO", 2, "not a regular file"),
    "json_nested_deep": (["maxmin", "{in}", "--out", "{out}"], "[" * 100_000 + "]" * 100_000,
                         2, "nested"),
    "file_over_cap": (["maxmin", "{in}", "--limit", "file_bytes=50", "--out", "{out}"],
                      maxmin(), 2, "file_bytes"),
    "maxmin_poly_1e999999999": (["maxmin", "{in}", "--out", "{out}"],
                                mm_poly("1e999999999*x"), 2, "max_of_mins[0][0]"),
    # -- accepted nonsense (class 3) ----------------------------------------------------------
    "encoder_zero": (["expand", "--model", "{in}", "--out", "{out}"], model(encoder=0), 2,
                     "encoder"),
    "time_limit_negative": (["expand", "--time-limit", "-5", "--out", "{out}"], None, 2,
                            "--time-limit"),
    "time_limit_nan": (["certify", "--time-limit", "nan", "--out", "{out}"], None, 2,
                       "--time-limit"),
    "time_limit_zero": (["maxmin", "{in}", "--time-limit", "0", "--out", "{out}"], maxmin(), 2,
                        "--time-limit"),
    "time_limit_inf": (["encode", "{in}", "--time-limit", "inf", "--out", "{out}"], maxmin(), 2,
                       "--time-limit"),
    "max_cells_zero": (["expand", "--max-cells", "0", "--out", "{out}"], None, 2,
                       "--max-cells"),
    "max_cells_negative": (["certify", "--max-cells", "-5", "--out", "{out}"], None, 2,
                           "--max-cells"),
    "max_cells_not_int": (["expand", "--max-cells", "1e3", "--out", "{out}"], None, 2,
                          "--max-cells"),
    "solver_timeout_negative": (["expand", "--solver-timeout", "-1", "--out", "{out}"], None, 2,
                                "--solver-timeout"),
    "wall_time_negative": (["certify", "--wall-time", "-1", "--out", "{out}"], None, 2,
                           "--wall-time"),
    "z3_timeout_nan": (["certify", "--z3-timeout", "nan", "--out", "{out}"], None, 2,
                       "--z3-timeout"),
    "rationalize_negative": (["certify", "--rationalize", "-1", "--out", "{out}"], None, 2,
                             "--rationalize"),
    "points_negative": (["encode", "{in}", "--points", "-3", "--out", "{out}"], maxmin(), 2,
                        "--points"),
    "max_terms_zero": (["maxmin", "{in}", "--max-terms", "0", "--out", "{out}"], maxmin(), 2,
                       "--max-terms"),
    "out_equals_input": (["maxmin", "{in}", "--out", "{in}"], maxmin(), 2, "input file"),
    "encode_out_equals_input": (["encode", "{in}", "--out", "{in}"], maxmin(), 2, "input file"),
    "out_equals_certificate": (["certify", "--out", "{out}", "--certificate", "{out}"], None,
                               2, "same file"),
    "region_sign_true": (["certify", "{in}", "--out", "{out}"],
                         spline(pieces=[{"region": [[0, True]], "values": ["x"]},
                                        {"region": [[0, "-"]], "values": ["0"]}]), 2,
                         "region[0]"),
    "complete_string": (["certify", "{in}", "--out", "{out}"], spline(complete="false"), 2,
                        "complete"),
    "empty_pieces": (["certify", "{in}", "--out", "{out}"], spline(pieces=[]), 2, "pieces"),
    "certify_overlap": (["certify", "{in}", "--out", "{out}"], OVERLAP, 2, "overlap"),
    "certify_gap": (["certify", "{in}", "--out", "{out}"], GAP, 2, "gap"),
    "maxmin_overlap": (["maxmin", "{in}", "--out", "{out}"], OVERLAP, 2, "overlap"),
    "maxmin_gap": (["maxmin", "{in}", "--out", "{out}"], GAP, 2, "gap"),
    "encode_overlap": (["encode", "{in}", "--out", "{out}"], OVERLAP, 2, "overlap"),
    "certificate_without_verify": (["encode", "{in}", "--certificate", "{d}/c.json", "--out",
                                    "{out}"], maxmin(), 2, "--verify"),
    "tokens_true": (["expand", "--model", "{in}", "--out", "{out}"], model(tokens=True), 2,
                    "tokens"),
    "dim_float": (["expand", "--model", "{in}", "--out", "{out}"], model(dim=1.5), 2, "dim"),
    "weight_nan_literal": (["expand", "--model", "{in}", "--out", "{out}"],
                           json.dumps(weight(7)).replace("[[7,", "[[NaN,"), 2, "not a finite"),
    "top_level_array": (["maxmin", "{in}", "--out", "{out}"], [1, 2], 2, "format"),
    "unknown_format": (["encode", "{in}", "--out", "{out}"], {"format": "nope"}, 2, "format"),
    "not_utf8": (["expand", "--model", "{in}", "--out", "{out}"], b"\xff\xfe{}", 2, "UTF-8"),
    "maxmin_unknown_variable": (["maxmin", "{in}", "--out", "{out}"], mm_poly("x*z"), 2,
                                "max_of_mins[0][0]"),
    "maxmin_empty_terms": (["maxmin", "{in}", "--out", "{out}"],
                           maxmin(outputs=[{"name": "f", "max_of_mins": []}]), 2,
                           "max_of_mins"),
    "maxmin_bool_entry": (["encode", "{in}", "--out", "{out}"], mm_poly(True), 2,
                          "max_of_mins[0][0]"),
    "spline_witness_length": (["certify", "{in}", "--out", "{out}"],
                              spline(pieces=[{"region": [[0, "+"]], "values": ["x"],
                                              "witness": [1, 2]},
                                             {"region": [[0, "-"]], "values": ["0"]}]), 2,
                              "witness"),
    "spline_constant_break": (["certify", "{in}", "--out", "{out}"], spline(breaks=["3"]), 2,
                              "breaks[0]"),
    "spline_region_out_of_range": (["certify", "{in}", "--out", "{out}"],
                                   spline(pieces=[{"region": [[4, "+"]], "values": ["x"]}]), 2,
                                   "out of range"),
    "spline_values_count": (["maxmin", "{in}", "--out", "{out}"],
                            spline(pieces=[{"region": [[0, "+"]], "values": ["x", "1"]},
                                           {"region": [[0, "-"]], "values": ["0"]}]), 2,
                            "values"),
    "unknown_limit": (["expand", "--limit", "bogus=3", "--out", "{out}"], None, 2, "--limit"),
    "limit_not_number": (["expand", "--limit", "tokens=abc", "--out", "{out}"], None, 2,
                         "--limit"),
    "format_choice": (["expand", "--format", "pdf", "--out", "{out}"], None, 2, "--format"),
    "unknown_option": (["certify", "--bogus", "--out", "{out}"], None, 2, "--bogus"),
    "missing_file": (["encode", "{d}/absent.json", "--out", "{out}"], None, 2,
                     "file not found"),
    "input_is_dir": (["certify", "{d}", "--out", "{out}"], None, 2, "directory"),
    "check_malformed": (["check", "{in}"], "{nope", 2, "JSON"),
    "check_missing": (["check", "{d}/absent.json"], None, 2, "absent.json"),
    # -- code execution (security) ------------------------------------------------------------
    "sympy_import_os": (["certify", "--sympy", HOSTILE, "--out", "{out}"], None, 2,
                        "not allowed"),
    "sympy_lambda": (["certify", "--sympy", "(lambda: 1)()", "--out", "{out}"], None, 2,
                     "not allowed"),
    "sympy_dunder": (["certify", "--sympy", "x.__class__", "--out", "{out}"], None, 2,
                     "not allowed"),
    "sympy_exp": (["certify", "--sympy", "Piecewise((exp(x), x < 0), (1, True))", "--out",
                   "{out}"], None, 2, "not a polynomial"),
    "sympy_and_input": (["certify", "{in}", "--sympy", "x", "--out", "{out}"], maxmin(), 2,
                        "either"),
    "spline_poly_import_os": (["certify", "{in}", "--out", "{out}"], values(HOSTILE), 2,
                              "values[0]"),
    "maxmin_poly_import_os": (["maxmin", "{in}", "--out", "{out}"], mm_poly(HOSTILE), 2,
                              "max_of_mins[0][0]"),
    "model_weight_import_os": (["expand", "--model", "{in}", "--out", "{out}"], weight(HOSTILE),
                               2, "WQ[0][0]"),
    # -- .npz model files -----------------------------------------------------------------
    "npz_object_array": (["expand", "--model", "{in}", "--out", "{out}"],
                         npz(tokens=2, dim=2, WQ=np.array([1, "a"], dtype=object)), 2,
                         "allow_pickle=False"),
    "npz_name_conflict": (["degree", "{in}", "--out", "{out}"],
                          npz(**{"tokens": 2, "dim": 2, "tokens.0": 1}), 2, "conflicts"),
    "npz_list_position_1e12": (["expand", "--model", "{in}", "--out", "{out}"],
                               npz(**{"tokens": 2, "dim": 2,
                                      "encoder.999999999999.ffn.W1": np.eye(2)}), 2,
                               "list position"),
    "npz_list_and_dict": (["cells", "{in}", "--out", "{out}"],
                          npz(**{"tokens": 2, "dim": 2, "encoder.0.ffn.W1": np.eye(2),
                                 "encoder.x.y": np.eye(2)}), 2, "conflicts"),
    "npz_3d_array": (["expand", "--model", "{in}", "--out", "{out}"],
                     npz(**{"tokens": 2, "dim": 2, "encoder.0.ffn.W1": np.zeros((2, 2, 2))}), 2,
                     "3 dimensions"),
    "npz_decompression_bomb": (["certify", "{in}", "--out", "{out}"], npz_bomb(), 2, "weights"),
    "npz_garbage_names_file": (["expand", "--model", "{in}", "--out", "{out}"],
                               b"PK\x03\x04garbage" * 10, 2, "input.npz"),
    "state_is_the_model": (["expand", "--model", "{in}", "--incremental", "--state", "{in}"],
                           model(), 2, "refusing to overwrite an input"),
    "state_is_out": (["expand", "--model", "{in}", "--state", "{out}", "--out", "{out}"],
                     model(), 2, "same file"),
    "state_in_missing_folder": (["expand", "--model", "{in}", "--state", "{d}/nodir/s.json"],
                                model(), 2, "does not exist"),
    "cells_samples_1e14": (["cells", "{in}", "--samples", str(10**14), "--out", "{out}"],
                           model(), 2, "--samples"),
    "expand_numeric_batch_1e12": (["expand", "--model", "{in}", "--numeric", "--batch",
                                   str(10**12), "--out", "{out}"], model(), 2, "--batch"),
    "certify_trials_1e12": (["certify", "{in}", "--numeric", "--trials", str(10**12), "--out",
                             "{out}"], model(), 2, "--trials"),
    "pieces_is_out": (["certify", "{in}", "--numeric", "--pieces", "{out}", "--out", "{out}"],
                      model(), 2, "refusing to overwrite an input"),
    "plot_xlim_reversed": (["plot", "{in}", "--xlim", "2", "1", "--out", "{d}/p.png"], spline(),
                           2, "--xlim"),
    "plot_ylim_empty": (["plot", "{in}", "--ylim", "0", "0", "--out", "{d}/p.png"], spline(), 2,
                        "--ylim"),
    "plot_xlim_nan": (["plot", "{in}", "--xlim", "nan", "1", "--out", "{d}/p.png"], spline(), 2,
                      "finite"),
    "plot_t_reversed": (["plot", "{in}", "--along", "1", "--direction", "1", "--t", "1", "0",
                         "--out", "{d}/p.png"], spline(), 2, "--t"),
    "plot_resolution_0": (["plot", "{in}", "--resolution", "0", "--out", "{d}/p.png"], spline(),
                          2, "--resolution"),
    "plot_resolution_1e8": (["plot", "{in}", "--resolution", "100000000", "--out", "{d}/p.png"],
                            spline(), 2, "--resolution"),
    "plot_fix_1e999999": (["plot", "{in}", "--fix", "x=1e999999", "--out", "{d}/p.png"],
                          spline(), 2, "exponent"),
    "plot_direction_zero": (["plot", "{in}", "--along", "1", "--direction", "0", "--out",
                             "{d}/p.png"], spline(), 2, "zero vector"),
    "plot_along_wrong_dimension": (["plot", "{in}", "--along", "1,2", "--direction", "1,1",
                                    "--out", "{d}/p.png"], spline(), 2, "--along"),
    "plot_direction_wrong_dimension": (["plot", "{in}", "--along", "1", "--direction", "1,1",
                                        "--out", "{d}/p.png"], spline(), 2, "--direction"),
    "plot_output_out_of_range": (["plot", "{in}", "--along", "1", "--direction", "1",
                                  "--output", "5", "--out", "{d}/p.png"], spline(), 2,
                                 "--output"),
    "plot_unknown_image_format": (["plot", "{in}", "--out", "{d}/p.xyz"], spline(), 2,
                                  "image format"),
    "plot_out_is_input": (["plot", "{in}", "--out", "{in}"], spline(), 2, "input file"),
    "plot_out_missing_folder": (["plot", "{in}", "--out", "{d}/nodir/p.png"], spline(), 2,
                                "does not exist"),
    "state_decisions_a_list": (["expand", "--resume", "{in}", "--out", "{out}"],
                               state(decisions=[1]), 2, "decisions"),
    "state_notes_an_object": (["expand", "--resume", "{in}", "--out", "{out}"],
                              state(notes={"a": 1}), 2, "notes"),
    "state_complete_a_string": (["expand", "--resume", "{in}", "--out", "{out}"],
                                state(complete="yes"), 2, "complete"),
    "state_model_missing": (["expand", "--resume", "{in}", "--out", "{out}"],
                            {k: v for k, v in state().items() if k != "model"}, 2, "model"),
    "state_other_version": (["expand", "--resume", "{in}", "--out", "{out}"],
                            state(format="splinesym.expansion-state/2"), 2, "unknown version"),
    "state_file_is_a_model": (["expand", "--model", "{in}", "--resume", "{in}", "--out",
                               "{out}"], model(), 2, "expansion-state"),
    "npz_empty_archive": (["expand", "--model", "{in}", "--out", "{out}"], npz(), 2, "tokens"),
}


def _materialise(row, tmp: Path) -> list[str]:
    argv, content, _status, _what = row
    inp = tmp / "input.json"
    if content == "FIFO":
        os.mkfifo(tmp / "fifo")
    elif content == '"BIG"':
        inp.write_text(json.dumps(weight(7)).replace("[[7,", "[[" + "7" * 30_000 + ","))
    elif isinstance(content, bytes):
        if content[:2] == b"PK":    # a zip archive: an .npz model file
            inp = tmp / "input.npz"
        inp.write_bytes(content)
    elif isinstance(content, str):
        inp.write_text(content)
    elif content is not None:
        inp.write_text(json.dumps(content))
    return [a.replace("{in}", str(inp)).replace("{out}", str(tmp / "out.json"))
            .replace("{d}", str(tmp)) for a in argv]


def _assert_clean(status, err: str, row, tmp: Path, before: set) -> None:
    _argv, _content, want, what = row
    assert status == want, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert what in lines[0], lines[0]
    if row[0][0] != "check":    # the kernel's own reader words its line itself
        assert lines[0].startswith("splinesym"), lines[0]
    after = {p.name for p in tmp.iterdir()}
    assert after <= before, f"files written: {after - before}"
    assert not (tmp / "PWNED").exists() and not Path("PWNED").exists()


def test_the_table_has_at_least_60_rows():
    assert len(ROWS) >= 60


@pytest.mark.parametrize("name", sorted(ROWS))
def test_bad_input(name, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    row = ROWS[name]
    argv = _materialise(row, tmp_path)
    before = {p.name for p in tmp_path.iterdir()}
    status = main(argv)
    captured = capsys.readouterr()
    _assert_clean(status, captured.err, row, tmp_path, before)


# a real process with a 500 MB address-space cap and a timeout: refusals stay small and fast
HOSTILE_IN_PROCESS = ["weight_1e999999999", "tokens_1e12", "attention_60_tokens", "power_tower",
                      "sympy_power", "maxmin_100k_variables", "dev_zero_model",
                      "nested_parens_100k"]


def _limit_memory():
    cap = 500 * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def _run_capped(argv, cwd):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "splinesym.cli", *argv], capture_output=True,
                          text=True, timeout=90, cwd=cwd, env=env, preexec_fn=_limit_memory)


def test_hostile_inputs_in_a_real_process_under_500_mb(tmp_path):
    jobs = []
    for name in HOSTILE_IN_PROCESS:
        d = tmp_path / name
        d.mkdir()
        jobs.append((name, d, _materialise(ROWS[name], d), {p.name for p in d.iterdir()}))
    with ThreadPoolExecutor(max_workers=2) as ex:
        results = list(ex.map(lambda j: _run_capped(j[2], j[1]), jobs))
    for (name, d, _argv, before), r in zip(jobs, results):
        try:
            _assert_clean(r.returncode, r.stderr, ROWS[name], d, before)
        except AssertionError as exc:
            raise AssertionError(f"{name}: {exc}") from None
