"""Reading and writing: models, splines, max–min forms (JSON), importers (scipy, sympy, .npz),
PyTorch (:mod:`.torch_io`). The submodules load on first use (``splinesym.io.importers``)."""

import importlib

_SUBMODULES = ("importers", "jsonio", "maxmin_io", "model_io", "spline_io", "torch_io",
               "npz_model")


def __getattr__(name: str):
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return list(_SUBMODULES)
