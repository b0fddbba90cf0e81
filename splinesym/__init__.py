"""splinesym: exact verification that ReLU transformers are splines.

The pipeline's verbs are at the top level (see :mod:`splinesym.api`):

- ``expand(model)`` -> :class:`~splinesym.spline.Spline`, cell by cell with evidence;
- ``certify(spline_or_model)`` -> :class:`~splinesym.certify.Certification` (degree, smoothness);
- ``maxmin(spline_or_model)`` -> a certified max–min form; ``encode(...)`` -> a ReLU encoder;
- ``check(certificate)`` -> the independent checker's report;
- ``read_*`` / ``write_*`` for models, splines, max–min forms and certificates; ``from_*`` /
  ``to_*`` for sympy, scipy, numpy ``.npz`` and PyTorch;
- ``plot_cells`` / ``plot_along`` (matplotlib).

Heavy dependencies (numpy, flint, scipy, z3, networkx, sympy, matplotlib, torch) load on first use:
``import splinesym`` is fast (``python examples/bench_import.py``).

>>> import splinesym
>>> sp = splinesym.expand(splinesym.default_model())
>>> sp.max_degree()
3
"""

from __future__ import annotations

import importlib

from . import errors as _errors

# every exception of the package at the top level (as networkx does)
globals().update({n: v for n, v in vars(_errors).items()
                  if isinstance(v, type) and issubclass(v, Exception)
                  and v.__module__ == _errors.__name__})

__version__ = "0.1.0"

#: name -> (module, attribute); attribute None means the module itself
_LAZY = {
    # pipeline verbs and readers/writers (splinesym.api)
    **{n: ("splinesym.api", n) for n in (
        "expand", "maxmin", "encode", "read_model", "write_model", "read_spline",
        "write_spline", "read_maxmin", "write_maxmin", "read_certificate", "write_certificate",
        "from_dict", "to_dict", "from_sympy", "to_sympy", "from_scipy", "from_npz", "from_torch",
        "to_torch", "plot_cells", "plot_along")},
    # classes and functions of the first versions (kept)
    "Budget": ("splinesym.cells.budget", "Budget"),
    "default_model": ("splinesym.io.model_io", "default_model"),
    "expand_model": ("splinesym.nn.expand", "expand_model"),
    "structural_degree": ("splinesym.nn.expand", "structural_degree"),
    "evaluate_model": ("splinesym.nn.forward", "evaluate_model"),
    "Model": ("splinesym.nn.model", "Model"),
    "model_from_dict": ("splinesym.nn.model", "model_from_dict"),
    "PolyRing": ("splinesym.poly", "PolyRing"),
    "Piece": ("splinesym.spline", "Piece"),
    "Spline": ("splinesym.spline", "Spline"),
    "Certification": ("splinesym.certify.report", "Certification"),
    "certify_spline": ("splinesym.certify.report", "certify_spline"),
    "certify_model": ("splinesym.certify.report", "certify_model"),
    # subpackages reachable after ``import splinesym`` (``splinesym.certify`` and
    # ``splinesym.check`` are modules that can also be called as verbs)
    **{n: (f"splinesym.{n}", None) for n in (
        "api", "cells", "certify", "check", "display", "io", "lattice", "nn", "poly",
        "progress", "spline", "plot", "region", "piecewise")},
}

__all__ = sorted([*_LAZY, *(n for n, v in vars(_errors).items()
                                 if isinstance(v, type) and issubclass(v, Exception)
                                 and v.__module__ == _errors.__name__), "__version__"])


def __getattr__(name: str):
    try:
        mod, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'splinesym' has no attribute {name!r}") from None
    m = importlib.import_module(mod)
    value = m if attr is None else getattr(m, attr)
    if attr is not None or name not in ("certify", "check"):
        globals()[name] = value
    return value


def __dir__():
    return __all__
