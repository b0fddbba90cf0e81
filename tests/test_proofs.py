"""Every script in proofs/ runs (its fast variant) and exits 0; certificates it writes check.

The scripts run as subprocesses, in parallel, exactly as the README says to run them.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from splinesym.kernel import check_certificate

ROOT = Path(__file__).resolve().parents[1]
PROOFS = sorted(p for p in (ROOT / "proofs").glob("*.py") if not p.name.startswith("_"))


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    out = tmp_path_factory.mktemp("certs")
    procs = {}
    for p in PROOFS:
        d = out / p.stem
        procs[p.name] = (subprocess.Popen(
            [sys.executable, str(p), "--fast", "--quiet", "--out", str(d)], cwd=ROOT,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True), d)
    results = {}
    for name, (proc, d) in procs.items():
        stdout, stderr = proc.communicate(timeout=600)
        results[name] = (proc.returncode, stdout, stderr, d)
    return results


def test_there_are_proof_scripts():
    names = {p.name for p in PROOFS}
    assert {"attention_is_cubic_spline.py", "attention_variants_are_cubic.py",
            "encoder_degree.py", "decoder_transformer_degree.py", "attention_smoothness.py",
            "softplus_smoothing.py", "pwl_maxmin_of_pieces.py",
            "hyperplane_splines_are_maxmin.py", "relu_models_are_lattice_polynomials.py",
            "relu_layer_zaslavsky.py"} <= names


@pytest.mark.parametrize("script", [p.name for p in PROOFS])
def test_proof_script_exits_0(runs, script):
    rc, stdout, stderr, d = runs[script]
    assert rc == 0, f"{script} failed:\n{stdout[-3000:]}\n{stderr[-3000:]}"
    assert "RESULT: PROVED" in stdout and "[FAIL]" not in stdout
    certs = sorted(d.glob("*.json"))
    assert certs, f"{script} wrote no certificate"
    for c in certs:
        assert check_certificate(json.loads(c.read_text())).exit_code() == 0, c.name


def test_a_proof_script_fails_loudly_when_a_check_fails(tmp_path):
    """The exit code is not decorative: a failing check makes the script exit 1."""
    script = tmp_path / "failing.py"
    script.write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT / 'proofs')!r})\n"
        "from _common import Proof\n"
        "P = Proof('a false claim', 'a check that fails')\n"
        "P.check(1 + 1 == 3, 'arithmetic')\n"
        "P.finish()\n")
    r = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
    assert r.returncode == 1 and "RESULT: FAILED" in r.stdout
