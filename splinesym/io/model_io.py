"""Reading and writing ``splinesym.model/1`` files."""

from __future__ import annotations

import json
import math
import os
from importlib import resources

from ..errors import InvalidInputError
from ..nn.model import Model, model_from_dict, model_to_dict
from .jsonio import read_json, write_atomic

__all__ = ["read_model", "write_model", "default_model", "read_model_rationalized",
           "rationalize_data"]


def read_model(path: str | os.PathLike, *, drop_layernorm: bool = False) -> Model:
    """Read and validate a model file (JSON, or numpy ``.npz`` weights: see
    :mod:`splinesym.io.npz_model`); errors name the file, the field and the problem."""
    from .npz_model import is_npz, read_npz_model

    if is_npz(path):
        return read_npz_model(path, drop_layernorm=drop_layernorm)
    data = read_json(path)
    try:
        return model_from_dict(data, drop_layernorm=drop_layernorm)
    except InvalidInputError as exc:
        raise exc.located(source=str(path)) from None


def rationalize_data(data, tol: float) -> tuple[object, str]:
    """Replace every float in a parsed model by the simplest rational within ``tol``
    (continued fractions); returns the new data and a sentence reporting the conversion.

    >>> data, note = rationalize_data({"W": [[0.3333333333, 2]]}, 1e-6)
    >>> data
    {'W': [['1/3', 2]]}
    >>> note.split(" (")[1]
    'largest change 3.33e-11, largest denominator 3)'
    """
    from .importers import simplest_rational

    st = {"n": 0, "change": 0.0, "den": 1}

    def walk(x):
        if isinstance(x, float) and math.isfinite(x):
            q = simplest_rational(x, tol)
            st["n"] += 1
            st["change"] = max(st["change"], abs(float(q) - x))
            st["den"] = max(st["den"], q.denominator)
            return str(q)
        if isinstance(x, list):
            return [walk(v) for v in x]
        if isinstance(x, dict):
            return {k: walk(v) for k, v in x.items()}
        return x

    out = walk(data)
    return out, (f"{st['n']} float weight(s) replaced by the simplest rationals within {tol:g} "
                 f"(largest change {st['change']:.3g}, largest denominator {st['den']})")


def read_model_rationalized(path, tol: float | None, *, drop_layernorm: bool = False):
    """``(model, conversion note or None)``: :func:`read_model`, with floats replaced by the
    simplest rationals within ``tol`` when it is given (JSON or ``.npz``)."""
    if tol is None:
        return read_model(path, drop_layernorm=drop_layernorm), None
    from .npz_model import is_npz, npz_to_dict

    if is_npz(path):
        data, note = npz_to_dict(path, rationalize=tol)
    else:
        data, note = rationalize_data(read_json(path), tol)
    try:
        return model_from_dict(data, drop_layernorm=drop_layernorm), note
    except InvalidInputError as exc:
        raise exc.located(source=str(path)) from None


def write_model(model: Model, path: str | os.PathLike) -> None:
    """Write a model file atomically."""
    write_atomic(path, json.dumps(model_to_dict(model), indent=1) + "\n")


def default_model() -> Model:
    """The built-in example: ReLU attention, 2 tokens x 2 features, small integer weights."""
    text = resources.files("splinesym").joinpath("data/default_model.json").read_text()
    return model_from_dict(json.loads(text))
