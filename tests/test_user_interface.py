"""The tool as researchers use it: pictures, progress, reprs, readable output, the CLI's help,
the top-level API."""

import json
import subprocess
import sys
from fractions import Fraction

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import splinesym  # noqa: E402
from splinesym import cli  # noqa: E402
from splinesym.spline import Spline  # noqa: E402


@pytest.fixture(scope="module")
def attention():
    return splinesym.expand(splinesym.default_model())


def _image(path):
    from matplotlib.image import imread

    img = imread(path)
    return img[..., :3] if img.ndim == 3 else img


def _assert_picture(path, min_w=300, min_h=200, dark=0.05):
    img = _image(path)
    h, w = img.shape[:2]
    assert w >= min_w and h >= min_h
    # not blank: many distinct colours, and a good part of the picture is not white
    colours = np.unique((img.reshape(-1, 3) * 255).astype(int), axis=0)
    assert len(colours) > 20
    assert (img.min(axis=2) < 0.9).mean() > dark


def test_plot_cells_image(attention, tmp_path):
    out = tmp_path / "cells.png"
    fig = splinesym.plot_cells(attention, x="x1_1", y="x2_1", fixed={"x1_2": 1, "x2_2": -1},
                               resolution=120, out=out)
    _assert_picture(out)
    legend = fig.axes[0].get_legend()
    texts = [t.get_text() for t in legend.get_texts()]
    assert any("degree 3" in t for t in texts)
    assert legend.get_title().get_text().endswith("cells in view")


def test_plot_cells_marks_witnesses_in_the_slice(tmp_path):
    sp = Spline.from_pieces(["x", "y"], ["f"], ["x - y", "x + y"],
                            [([(0, 1), (1, 1)], ["x"]), ([(0, 1), (1, -1)], ["y"]),
                             ([(0, -1), (1, 1)], ["x*y"]), ([(0, -1), (1, -1)], ["0"])])
    fig = splinesym.plot_cells(sp, xlim=(-2, 2), ylim=(-2, 2), resolution=60)
    stars = [ln for ln in fig.axes[0].lines if ln.get_marker() == "*"]
    assert stars and len(stars[0].get_xdata()) == 4


def test_plot_along_model_image(tmp_path):
    out = tmp_path / "along.png"
    fig = splinesym.plot_along(splinesym.default_model(), [1, -1, 0, 1], [1, 1, 1, 0],
                               model_points=11, out=out)
    _assert_picture(out, dark=0.02)  # a line plot: mostly white
    labels = [ln.get_label() for ln in fig.axes[0].lines]
    assert "model, exact forward pass" in labels and "knots" in labels


def test_plot_command(tmp_path, capsys):
    out = tmp_path / "c.png"
    assert cli.main(["plot", "--out", str(out), "--resolution", "80", "--quiet"]) == 0
    _assert_picture(out)
    bad = cli.main(["plot", "--x", "nope", "--out", str(tmp_path / "d.png"), "--quiet"])
    assert bad == 2 and not (tmp_path / "d.png").exists()
    one = Spline.from_pieces(["x"], ["f"], ["x"], [([(0, 1)], ["x"]), ([(0, -1)], ["0"])])
    with pytest.raises(splinesym.InvalidInputError, match="plot_along"):
        splinesym.plot_cells(one)


def _all_parsers():
    from splinesym.clihelp import subparser

    parser, modules = cli.build_parser()
    yield "splinesym", parser
    for name in modules:
        yield name, subparser(parser, name)


def test_every_help_describes_every_option_with_examples():
    for name, p in _all_parsers():
        text = p.format_help()
        assert "examples:" in text, name
        for action in p._actions:
            if action.option_strings and action.dest not in ("help", "version"):
                assert action.help, f"{name} {action.option_strings[0]} has no help"
                if action.default not in (None, False) and action.nargs != 0:
                    helptext = p._get_formatter()._get_help_string(action)
                    assert "default" in helptext, (name, action.option_strings)


def test_version_and_subcommand_usage(capsys):
    assert cli.main(["--version"]) == 0
    assert splinesym.__version__ in capsys.readouterr().out
    assert cli.main(["expand", "--bogus"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1   # one line (the error contract) ...
    assert "usage: splinesym expand" in err and "--bogus" in err   # ... with the usage


def test_expand_npz_model_and_rationalize(tmp_path, capsys):
    path = tmp_path / "w.npz"
    np.savez(path, tokens=np.array(1), dim=np.array(1),
             **{"encoder.0.ffn.W1": np.array([[0.3333333]]),
                "encoder.0.ffn.W2": np.array([[1.0]])})
    assert cli.main(["expand", "--model", str(path), "--rationalize", "1e-6", "--quiet"]) == 0
    out = capsys.readouterr().out
    # the residual connection is on by default: x + ReLU(x/3) = 4/3*x for x > 0
    assert "simplest rationals within 1e-06" in out and "4/3*x1_1" in out


def test_latex_names_breaks_and_is_a_document(attention, tmp_path):
    from splinesym.display import spline_latex

    doc = spline_latex(attention, document=True)
    assert doc.startswith("\\documentclass") and doc.rstrip().endswith("\\end{document}")
    assert "g_{0} > 0" in doc or "g_{0} < 0" in doc
    assert doc.count("\\begin{") == doc.count("\\end{")
    inline = attention._repr_latex_()
    assert "g_{" in inline and "x_{1,1}" in inline


def test_long_rationals_are_also_decimals():
    from splinesym.display import format_number, spline_text

    assert format_number(Fraction(1, 3)) == "1/3"
    assert "≈ 0.1" in format_number(Fraction(0.1))
    sp = Spline.from_pieces(["x"], ["f"], ["x"], [([(0, 1)], [str(Fraction(0.1)) + "*x"]),
                                                  ([(0, -1)], ["0"])])
    assert "f ≈ 0.1*x" in spline_text(sp)


def test_reprs(attention):
    html = attention._repr_html_()
    assert "<details>" in html and "max degree" in html
    small = Spline.from_pieces(["x"], ["f"], ["x"], [([(0, 1)], ["x"]), ([(0, -1)], ["0"])])
    assert "more pieces" not in small._repr_html_()
    from splinesym import display

    old = display.SHOW["pieces"]
    display.SHOW["pieces"] = 3
    try:
        assert "9 more pieces" in attention._repr_html_()
        assert "more pieces" not in attention._repr_html_(all=True)
    finally:
        display.SHOW["pieces"] = old
    cert = splinesym.certify(small)
    assert cert.verdict == cert.verdict() and "verdict" in cert._repr_html_()
    assert repr(cert).startswith("Certification('a spline")
    assert "<b>Model</b>" in splinesym.default_model()._repr_html_()
    res = splinesym.maxmin(small)
    assert "certified" in repr(res) and "max–min" in res._repr_html_()
    assert res.maxmin._repr_latex_().startswith("$$")


def test_to_sympy_piecewise_exclusive(attention):
    import sympy

    pw = attention.to_sympy(0)
    assert isinstance(pw, sympy.Piecewise) and len(pw.args) == len(attention.pieces)
    names = sympy.symbols(attention.variables)
    rng = np.random.default_rng(0)
    for _ in range(8):
        pt = [Fraction(int(v), 7) for v in rng.integers(-20, 20, size=4)]
        subs = dict(zip(names, [sympy.Rational(q.numerator, q.denominator) for q in pt]))
        holding = [c for _, c in pw.args if bool(c.subs(subs))]
        if not holding:  # on a break
            continue
        assert len(holding) == 1  # mutually exclusive
        assert pw.subs(subs) == sympy.Rational(str(attention.evaluate(pt)[0]))


def test_maxmin_long_forms_name_shared_polynomials():
    from splinesym.display import maxmin_shared_text
    from splinesym.io.maxmin_io import maxmin_text
    from splinesym.lattice.expr import MaxMin

    R = splinesym.PolyRing(["x", "y"])
    p = R.parse("x**3 + 3*x**2*y - 7*x*y**2 + 11*y**3 - 5*x*y + 2")
    q, r = R.parse("x"), R.parse("y")
    mm = MaxMin(R, ["f"], [[[p, q], [p, r], [p + q, q * r]] * 4])
    text = maxmin_shared_text(mm)
    assert "min(p1, x)" in text and "  p1 = " + R.format(p) in text
    from splinesym.io.maxmin_io import maxmin_latex

    doc = maxmin_latex(mm, document=True)
    assert doc.startswith("\\documentclass") and "p_{1} &= " in doc
    assert text.count(R.format(p)) == 1
    assert "where" in maxmin_text(mm)  # the long form is printed this way by default


def test_progress_observer_sees_stages_and_cells():
    states = []
    splinesym.expand(splinesym.default_model(), progress=lambda s: states.append(dict(s)))
    assert states and any("head" in s.get("stage", "") for s in states)
    assert states[-1]["decided"] > 0 and "queued" in states[-1]
    from splinesym import progress

    assert not progress.active()


def test_api_surface():
    assert callable(splinesym.certify) and callable(splinesym.certify.certify_spline)
    assert callable(splinesym.io.importers.from_scipy)
    for verb in ("expand", "maxmin", "encode", "check", "read_model", "write_model",
                 "read_spline", "write_spline", "read_maxmin", "write_maxmin", "from_sympy",
                 "to_sympy", "from_scipy", "from_torch", "to_torch", "plot_cells",
                 "plot_along", "from_dict", "to_dict"):
        assert callable(getattr(splinesym, verb)), verb
    with pytest.warns(DeprecationWarning, match="solver_timeout"):
        splinesym.certify.certify_spline(
            Spline.from_pieces(["x"], ["f"], ["x"], [([(0, 1)], ["x"]), ([(0, -1)], ["0"])]),
            z3_timeout=1.0)


def test_roundtrip_through_files(tmp_path, attention):
    splinesym.write_spline(attention, tmp_path / "s.json")
    back = splinesym.read_spline(tmp_path / "s.json")
    assert len(back.pieces) == len(attention.pieces)
    cert = splinesym.certify(tmp_path / "s.json")
    splinesym.write_certificate(cert, tmp_path / "c.json")
    assert splinesym.check(tmp_path / "c.json").ok
    d = splinesym.to_dict(splinesym.default_model())
    assert splinesym.from_dict(json.loads(json.dumps(d))).tokens == 2


def test_import_is_light():
    code = ("import sys, splinesym; heavy = [m for m in ('z3', 'networkx', 'scipy', 'sympy', "
            "'matplotlib', 'torch', 'numpy', 'flint') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"


def test_tqdm_display_shows_stage_cells_and_time_left():
    import io

    from splinesym.progress import TqdmProgress

    buf = io.StringIO()
    splinesym.expand(splinesym.default_model(), time_limit=100,
                     progress=TqdmProgress(file=buf, every=0.0, ncols=200))
    text = buf.getvalue()
    assert "head 1" in text and "decided" in text and "queued" in text and "s left" in text
