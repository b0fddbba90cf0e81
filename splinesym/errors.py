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


class TableOverlapError(InvalidSplineTableError):
    """Two pieces of a table overlap (bad input: exit status 2)."""


class TableGapError(InvalidSplineTableError):
    """The pieces of a table leave a gap (bad input: exit status 2)."""


class DiscontinuityError(InvalidSplineTableError):
    """A table is discontinuous across a wall: it is not a spline (exit status 1)."""


class ZeroAtPointError(InvalidInputError):
    """A ReLU argument vanishes at the chosen point: the point lies on a break."""


class FlattenTooLargeError(InvalidInputError):
    """The max–min normal form would exceed the term budget."""


class NoRepresentationError(SplinesymError):
    """No max–min form was found; the message says what is known (with sources).

    ``limit`` is True when a time limit stopped the search (exit status 3), False when the
    construction ran to the end without a certified result (exit status 1).
    """

    def __init__(self, message: str, limit: bool = False):
        super().__init__(message)
        self.limit = limit


class LimitExceededError(InvalidInputError):
    """An input is larger than a cap checked before any work (digits, tokens, file size, ...).

    The message names the cap and how to raise it (``--limit NAME=VALUE`` on the command line,
    :func:`splinesym.limits.set_limits` in the API).

    Examples
    --------
    >>> e = LimitExceededError("tokens", 10**12, 4096, field="tokens")
    >>> e.one_line()
    'tokens: 1000000000000 is above the cap tokens = 4096 (raise it with --limit tokens=N)'
    """

    def __init__(self, cap: str, value, limit, field: str | None = None,
                 source: str | None = None, problem: str | None = None):
        self.cap, self.value, self.limit = cap, value, limit
        problem = problem or (f"{value} is above the cap {cap} = {limit} "
                              f"(raise it with --limit {cap}=N)")
        super().__init__(problem, field, source)

    def located(self, source: str | None = None, prefix: str | None = None):
        moved = InvalidInputError(self.problem, self.field, self.source).located(source, prefix)
        return LimitExceededError(self.cap, self.value, self.limit, moved.field, moved.source,
                                  self.problem)


class OptionError(InvalidInputError):
    """A command-line option (or the matching API argument) is out of its range."""


class WorkTooLargeError(InvalidInputError):
    """The estimated work of a request is far past the limits: refused before starting.

    The message gives the estimate and advice (``splinesym degree``, ``--numeric``, a smaller
    model, ``--limit``).
    """


class BudgetExhaustedError(SplinesymError):
    """A time, cell or size budget stopped the work before the result was complete.

    Commands that can write a partial, labelled result do so and exit 3; this exception is for the
    cases where nothing partial can be given. ``splinesym`` maps it to exit status 3.
    """


class CheckFailedError(SplinesymError):
    """A verification failed (a round trip, a re-check): exit status 1."""


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM arrived; ``signum`` says which (exit status 128 + signum)."""

    def __init__(self, signum: int = 2):
        self.signum = signum
        super().__init__(f"signal {signum}")


class DeadlineExceeded(BaseException):
    """The hard backstop of ``--time-limit`` fired (work did not stop at its own checks).

    A ``BaseException`` so that no ``except Exception`` in the library swallows it.
    """


def exit_status(exc: BaseException) -> int:
    """The ``splinesym`` exit status for an exception (the one error contract).

    0 complete, 1 a check failed / not a spline, 2 bad input or options, 3 a limit stopped the
    work, 130 interrupted (128 + signal number), 70 an internal error.

    Examples
    --------
    >>> exit_status(InvalidInputError("bad")), exit_status(NotASplineError("x"))
    (2, 1)
    >>> exit_status(BudgetExhaustedError("t")), exit_status(KeyboardInterrupt())
    (3, 130)
    >>> exit_status(RuntimeError("bug"))
    70
    """
    if isinstance(exc, Interrupted):
        return 128 + exc.signum
    if isinstance(exc, KeyboardInterrupt):
        return 130
    if isinstance(exc, (BudgetExhaustedError, DeadlineExceeded)):
        return 3
    if isinstance(exc, NoRepresentationError) and exc.limit:
        return 3
    if isinstance(exc, DiscontinuityError):
        return 1
    if isinstance(exc, (InvalidInputError, CertificateError, SymbolicWeightsError,
                        AmbiguousPointError)):
        return 2
    if isinstance(exc, (NotASplineError, CheckFailedError, NoRepresentationError)):
        return 1
    if isinstance(exc, SplinesymError):
        return 2
    if isinstance(exc, (RecursionError, MemoryError, OverflowError)):
        return 2
    return 70


class PointOnBreakError(SplinesymError, ValueError):
    """A point lies on a break (a ReLU argument vanishes there): its cell is not determined."""
