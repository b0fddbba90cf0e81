"""splinesym: exact verification that ReLU transformers are splines.

The main entry points:

- :func:`splinesym.read_model` / :func:`splinesym.expand_model`: a ``splinesym.model/1`` file to
  an exact :class:`~splinesym.spline.Spline`, cell by cell with evidence;
- :class:`~splinesym.poly.PolyRing`: exact polynomials (python-flint) with sympy-syntax I/O;
- :mod:`splinesym.cells`: deciding which sign patterns are realised.

>>> import splinesym
>>> sp = splinesym.expand_model(splinesym.default_model())
>>> sp.max_degree()
3
"""

from .cells import Budget
from .errors import (
    AmbiguousPointError,
    BudgetExhaustedError,
    CertificateError,
    InvalidInputError,
    LimitExceededError,
    NotASplineError,
    PolynomialSyntaxError,
    SplinesymError,
    SymbolicWeightsError,
    UnsupportedModelError,
)
from .io.model_io import default_model, read_model
from .nn.expand import expand_model, structural_degree
from .nn.forward import evaluate_model
from .nn.model import Model, model_from_dict
from .poly import PolyRing
from .spline import Piece, Spline

__version__ = "0.1.0"

__all__ = [
    "AmbiguousPointError",
    "Budget",
    "BudgetExhaustedError",
    "CertificateError",
    "InvalidInputError",
    "LimitExceededError",
    "Model",
    "NotASplineError",
    "Piece",
    "PolyRing",
    "PolynomialSyntaxError",
    "Spline",
    "SplinesymError",
    "SymbolicWeightsError",
    "UnsupportedModelError",
    "default_model",
    "evaluate_model",
    "expand_model",
    "model_from_dict",
    "read_model",
    "structural_degree",
]
