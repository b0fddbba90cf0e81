"""The notebooks are executed by nbmake in the default run (pyproject: ``--nbmake`` and
``notebooks`` in ``testpaths``); here: they are all there, each has its script in examples/, and
the default run really collects them."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
TOPICS = ("relu_attention_is_a_cubic_spline", "depth_and_degree", "pierce_birkhoff_round_trip",
          "classical_splines")


def test_the_notebooks_and_their_scripts_are_there():
    names = {p.stem for p in NOTEBOOKS}
    assert len(NOTEBOOKS) >= 4 and set(TOPICS) <= names
    for t in TOPICS:
        assert (ROOT / "examples" / f"{t}.py").exists(), t
    for p in NOTEBOOKS:
        nb = json.loads(p.read_text())
        assert nb["cells"][0]["cell_type"] == "markdown"
        assert nb["metadata"]["kernelspec"]["name"] == "python3"


def test_default_run_collects_the_notebooks():
    out = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q",
                          "-p", "no:cacheprovider", str(ROOT / "notebooks")],
                         capture_output=True, text=True, cwd=ROOT)
    for t in TOPICS:
        assert f"{t}.ipynb" in out.stdout, out.stdout + out.stderr
