"""The package's exception hierarchy.

Every error splinesym raises on purpose derives from :class:`SplinesymError`, so a caller can catch
the whole family at once; the subclasses are named after the situation, as in networkx.

Examples
--------
>>> from splinesym.errors import InvalidInputError, SplinesymError
>>> issubclass(InvalidInputError, SplinesymError)
True
"""

from __future__ import annotations


class SplinesymError(Exception):
    """Base class of every error raised on purpose by splinesym."""


class InvalidInputError(SplinesymError, ValueError):
    """Input data is malformed: names the source, the field and the problem.

    Parameters
    ----------
    problem : str
        What is wrong.
    field : str, optional
        Dotted path of the offending field (``encoder[0].self_attention.heads[0].WQ``).
    source : str, optional
        File name (or ``<string>``) the data came from.
    """

    def __init__(self, problem: str, field: str | None = None, source: str | None = None):
        self.problem = problem
        self.field = field
        self.source = source
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """The message as one line: ``source: field: problem``."""
        parts = [p for p in (self.source, self.field) if p]
        return ": ".join([*parts, self.problem])

    def located(self, source: str | None = None, prefix: str | None = None) -> InvalidInputError:
        """A copy of the error with the source file and/or an outer field prefix filled in."""
        field = self.field
        if prefix:
            field = prefix if not field else (
                f"{prefix}{field}" if field.startswith("[") else f"{prefix}.{field}")
        return type(self)(self.problem, field, source or self.source)


class PolynomialSyntaxError(InvalidInputError):
    """A polynomial string cannot be parsed, or names an unknown variable."""


class UnsupportedModelError(InvalidInputError):
    """The model asks for something that is not piecewise polynomial (layer norm, SoftMax, ...)."""


class NotASplineError(SplinesymError):
    """A piecewise function is not continuous, or its pieces overlap or leave gaps."""


class AmbiguousPointError(SplinesymError, ValueError):
    """A point lies on a wall where the neighbouring pieces disagree."""


class SymbolicWeightsError(SplinesymError):
    """An operation needs numeric weights but the model has symbolic ones."""


class CertificateError(SplinesymError):
    """A certificate cannot be read (unknown claim kind, malformed evidence)."""


class InvalidSplineTableError(NotASplineError, InvalidInputError):
    """A table of pieces given as input is not a spline (discontinuous, overlapping, gaps)."""


class PointOnBreakError(SplinesymError, ValueError):
    """A point lies on a break (a ReLU argument vanishes there): its cell is not determined."""
