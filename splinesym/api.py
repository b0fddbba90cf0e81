"""The pipeline's verbs, reachable as ``splinesym.<verb>``.

Every verb accepts the objects of the previous step or a file name:

=====================  ==========================================================================
``expand(model)``      a Model, a ``splinesym.model/1`` file (JSON or ``.npz``), a dict or a
                       torch module -> :class:`~splinesym.spline.Spline`
``certify(subject)``   a Spline, a Model or a file -> :class:`~splinesym.certify.Certification`
``maxmin(subject)``    a Spline, a Model or a file -> a certified max–min (``BuildResult``)
``encode(subject)``    a max–min result, a MaxMin, a Spline or a Model -> a ReLU encoder
``check(cert)``        a certificate (file, dict or Certification) -> the independent report
=====================  ==========================================================================

``read_*``/``write_*`` (model, spline, maxmin, certificate), ``from_*``/``to_*`` (dict, sympy,
scipy, npz, torch) and ``plot_cells``/``plot_along`` complete the set. Long verbs take
``progress=True`` (a tqdm line on stderr) or any observer callable (:mod:`splinesym.progress`).

Examples
--------
>>> import splinesym
>>> sp = splinesym.expand(splinesym.default_model())
>>> splinesym.certify(sp).verdict
'a spline of degree 3, C^0 and not C^1 (minimum over every wall: 16 walls)'
"""

from __future__ import annotations

import os
from typing import Any

__all__ = ["expand", "certify", "maxmin", "encode", "check", "read_model", "write_model",
           "read_spline", "write_spline", "read_maxmin", "write_maxmin", "read_certificate",
           "write_certificate", "from_dict", "to_dict", "from_sympy", "to_sympy", "from_scipy",
           "from_npz", "from_torch", "to_torch", "plot_cells", "plot_along", "as_model"]


def _is_path(x) -> bool:
    return isinstance(x, str | os.PathLike)


def as_model(obj, *, drop_layernorm: bool = False, tokens: int | None = None):
    """A :class:`~splinesym.nn.model.Model` from a Model, a file, a dict or a torch module."""
    from .nn.model import Model, model_from_dict

    if isinstance(obj, Model):
        return obj
    if _is_path(obj):
        return read_model(obj, drop_layernorm=drop_layernorm)
    if isinstance(obj, dict):
        return model_from_dict(obj, drop_layernorm=drop_layernorm)
    if type(obj).__module__.startswith("torch"):
        if tokens is None:
            from .errors import InvalidInputError

            raise InvalidInputError("a torch module needs tokens=N (the sequence length)",
                                    "tokens")
        return from_torch(obj, tokens=tokens, drop_layernorm=drop_layernorm).model
    from .errors import InvalidInputError

    raise InvalidInputError(f"cannot make a model of a {type(obj).__name__}", "model")


def expand(model, *, time_limit: float | None = None, max_cells: int | None = None,
           solver_timeout: float = 10.0, merge: bool = True, progress=False, **kw):
    """Expand a ReLU model into its exact spline (see :func:`splinesym.nn.expand.expand_model`).

    ``model`` may be a Model, a file name (JSON or ``.npz``), a dict or a torch module (then
    ``tokens=N``); ``progress=True`` shows a progress line on stderr.
    """
    from .nn.expand import expand_model
    from .progress import progress_context

    m = as_model(model, drop_layernorm=kw.pop("drop_layernorm", False),
                 tokens=kw.pop("tokens", None))
    with progress_context(progress):
        return expand_model(m, time_limit=time_limit, max_cells=max_cells,
                            solver_timeout=solver_timeout, merge=merge, **kw)


def _subject(obj):
    """``(spline, model)``: exactly one of them is not None."""
    from .spline import Spline

    if isinstance(obj, Spline):
        return obj, None
    if _is_path(obj):
        from .io.jsonio import read_json
        from .io.npz_model import is_npz

        if not is_npz(obj):
            data = read_json(obj)
            if isinstance(data, dict) and str(data.get("format", "")).startswith(
                    "splinesym.spline/"):
                return read_spline(obj), None
    return None, as_model(obj)


def certify(subject, *, progress=False, **kw):
    """Degree and smoothness of a spline or of the spline a model computes.

    Dispatches to :func:`~splinesym.certify.certify_spline` or
    :func:`~splinesym.certify.certify_model` (their keyword arguments apply).
    """
    from .certify.report import certify_model, certify_spline
    from .progress import progress_context

    sp, model = _subject(subject)
    with progress_context(progress):
        if sp is not None:
            return certify_spline(sp, **kw)
        return certify_model(model, **kw)


def maxmin(subject, *, method: str = "auto", progress=False, **kw):
    """A certified max–min form ``max_i min_j p_ij`` of a spline or a model
    (:func:`splinesym.lattice.api.build_maxmin`; ``.maxmin`` is the form)."""
    from .lattice.api import build_maxmin, load_input
    from .progress import progress_context

    if _is_path(subject):
        kind, obj = load_input(subject)
    else:
        from .spline import Spline

        kind, obj = ("spline", subject) if isinstance(subject, Spline) else \
            ("model", as_model(subject))
    with progress_context(progress):
        return build_maxmin(kind, obj, method=method, **kw)


def encode(subject, *, verify: bool = True, progress=False, **kw):
    """Compile a max–min (a ``BuildResult``, a ``MaxMin``, a spline or a model) into a ReLU
    encoder (:func:`splinesym.lattice.api.encode`; ``.model`` is the encoder)."""
    from .lattice.api import BuildResult, build_maxmin
    from .lattice.api import encode as _encode
    from .lattice.expr import MaxMin
    from .progress import progress_context

    with progress_context(progress):
        if isinstance(subject, MaxMin):
            res = build_maxmin("maxmin", subject)
        elif isinstance(subject, BuildResult):
            res = subject
        else:
            res = maxmin(subject)
        return _encode(res, verify=verify, **kw)


def check(cert):
    """Re-verify a certificate (file name, dict, or an object with ``certificate()``) with the
    independent checker; returns its report (``.ok``, ``.text()``)."""
    from . import check as checker

    return checker(cert)


# -- reading and writing -------------------------------------------------------------------------
def read_model(path, **kw):
    """A model from a ``splinesym.model/1`` JSON file or ``.npz`` weights."""
    from .io.model_io import read_model as _r

    return _r(path, **kw)


def write_model(model, path) -> None:
    """Write a model (or the model of an ``encode`` / ``from_torch`` result) atomically."""
    from .io.model_io import write_model as _w

    _w(as_model(getattr(model, "model", model)), path)


def read_spline(path, **kw):
    from .io.spline_io import read_spline as _r

    return _r(path, **kw)


def write_spline(sp, path) -> None:
    from .io.spline_io import write_spline as _w

    _w(sp, path)


def read_maxmin(path):
    from .io.maxmin_io import read_maxmin as _r

    return _r(path)


def write_maxmin(mm, path) -> None:
    from .io.maxmin_io import write_maxmin as _w

    _w(getattr(mm, "maxmin", mm), path)


def read_certificate(path) -> dict:
    """A ``splinesym.certificate/1`` file as a dict (check it with :func:`check`)."""
    from .io.jsonio import read_json

    return read_json(path)


def write_certificate(cert, path) -> None:
    """Write a certificate: a dict, or anything with ``certificate()`` (a Certification)."""
    from .certify.certificate import write_certificate as _w

    _w(cert.certificate() if hasattr(cert, "certificate") else cert, path)


def from_dict(data: dict) -> Any:
    """A Model, Spline or MaxMin from its parsed JSON object (by its ``format``)."""
    fmt = str(data.get("format", "")) if isinstance(data, dict) else ""
    if fmt.startswith("splinesym.spline/"):
        from .io.spline_io import spline_from_dict

        return spline_from_dict(data)
    if fmt.startswith("splinesym.maxmin/"):
        from .io.maxmin_io import maxmin_from_dict

        return maxmin_from_dict(data)
    from .nn.model import model_from_dict

    return model_from_dict(data)


def to_dict(obj) -> dict:
    """The JSON object of a Model, Spline, MaxMin or Certification."""
    from .lattice.expr import MaxMin
    from .nn.model import Model, model_to_dict
    from .spline import Spline

    if isinstance(obj, Model):
        return model_to_dict(obj)
    if isinstance(obj, Spline):
        from .io.spline_io import spline_to_dict

        return spline_to_dict(obj)
    if isinstance(obj, MaxMin):
        from .io.maxmin_io import maxmin_to_dict

        return maxmin_to_dict(obj)
    return obj.to_dict()


def from_sympy(expr, variables=None, **kw):
    """A spline from a sympy ``Piecewise`` (see :func:`splinesym.io.importers.from_sympy`)."""
    from .io.importers import from_sympy as _f

    return _f(expr, variables, **kw)


def to_sympy(sp):
    """A sympy ``Piecewise`` per output, with mutually exclusive conditions
    (:meth:`splinesym.spline.Spline.to_sympy`)."""
    return sp.to_sympy()


def from_scipy(obj, **kw):
    """A spline from scipy's PPoly, CubicSpline, Hermite splines or BSpline."""
    from .io.importers import from_scipy as _f

    return _f(obj, **kw)


def from_npz(path, **kw):
    """Spline data (``x,c`` / ``t,c,k`` / ``x,y``) or model weights from an ``.npz`` file."""
    import numpy as np

    with np.load(path, allow_pickle=False) as z:
        names = set(z.files)
    if {"tokens", "dim"} <= names:
        from .io.npz_model import read_npz_model

        return read_npz_model(path, **kw)
    from .io.importers import read_npz

    return read_npz(path, **kw)


def from_torch(module, **kw):
    """Import a PyTorch module (see :func:`splinesym.io.torch_io.from_torch`)."""
    from .io.torch_io import from_torch as _f

    return _f(module, **kw)


def to_torch(model, **kw):
    """Export an encoder as a ``torch.nn.Module`` (see :func:`splinesym.io.torch_io.to_torch`)."""
    from .io.torch_io import to_torch as _t

    return _t(as_model(getattr(model, "model", model)), **kw)


def plot_cells(spline, **kw):
    """The cells of a 2-D slice (see :func:`splinesym.plot.plot_cells`)."""
    from .plot import plot_cells as _p

    return _p(spline, **kw)


def plot_along(obj, point, direction, **kw):
    """The restriction to a line (see :func:`splinesym.plot.plot_along`)."""
    from .plot import plot_along as _p

    return _p(obj, point, direction, **kw)
