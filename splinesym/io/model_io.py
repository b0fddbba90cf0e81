"""Reading and writing ``splinesym.model/1`` files."""

from __future__ import annotations

import json
import os
from importlib import resources

from ..errors import InvalidInputError
from ..nn.model import Model, model_from_dict, model_to_dict
from .jsonio import read_json, write_atomic

__all__ = ["read_model", "write_model", "default_model"]


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


def write_model(model: Model, path: str | os.PathLike) -> None:
    """Write a model file atomically."""
    write_atomic(path, json.dumps(model_to_dict(model), indent=1) + "\n")


def default_model() -> Model:
    """The built-in example: ReLU attention, 2 tokens x 2 features, small integer weights."""
    text = resources.files("splinesym").joinpath("data/default_model.json").read_text()
    return model_from_dict(json.loads(text))
