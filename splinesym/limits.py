"""Input caps checked before any work, and the work estimate of a model.

Every reader and command checks its input against these caps *before* doing anything expensive;
a refusal is a :class:`~splinesym.errors.LimitExceededError` (exit status 2) that names the cap
and how to raise it: ``--limit NAME=VALUE`` on the command line, :func:`set_limits` (a context
manager) in the API.

Python's own int-string limit (4300 digits) is lifted deliberately when this module is imported:
the cap on integer literals is :data:`DEFAULTS` ``["int_digits"]``, checked by the readers, and
results derived from capped inputs may be printed however long they are.

Examples
--------
>>> get_limit("tokens")
512
>>> with set_limits(tokens=1000):
...     get_limit("tokens")
1000
>>> try:
...     check_cap("tokens", 2000, field="tokens")
... except LimitExceededError as e:
...     print(e.one_line())
tokens: 2000 is above the cap tokens = 512 (raise it with --limit tokens=N)
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from .errors import InvalidInputError, LimitExceededError, WorkTooLargeError

__all__ = ["DEFAULTS", "DESCRIPTIONS", "get_limit", "set_limits", "check_cap", "parse_limit",
           "check_decimal_literal", "estimate_work", "check_model_work"]

DEFAULTS: dict[str, int] = {
    "int_digits": 20_000,       # digits of one integer (numerator/denominator) in any input
    "exponent": 10_000,         # |e| of a decimal literal such as 1e5000
    "file_bytes": 64_000_000,   # size of one input file
    "tokens": 512,              # tokens (and target tokens) of a model
    "dim": 4096,                # features (dim, target_dim) of a model
    "variables": 4096,          # variables of a model, spline or max-min
    "weights": 2_000_000,       # weight entries of a model
    "blocks": 256,              # encoder + decoder blocks
    "work_log10": 15,           # log10 of the estimated number of cells of a model expansion
    "expression_chars": 100_000,  # length of a --sympy expression
    "degree": 10_000,           # structural degree of a --sympy expression
    "terms": 1_000_000,         # estimated terms of a --sympy expression after expansion
    "poly_terms": 200_000,      # terms of one polynomial string once expanded
    "poly_work": 2_000_000,     # term products spent expanding one polynomial string
}
DESCRIPTIONS: dict[str, str] = {
    "int_digits": "digits of an integer literal",
    "exponent": "size of the exponent of a decimal literal (1e5000)",
    "file_bytes": "bytes of an input file",
    "tokens": "tokens of a model",
    "dim": "features of a model",
    "variables": "variables of a model, spline or max-min",
    "weights": "weight entries of a model",
    "blocks": "blocks of a model",
    "work_log10": "log10 of the estimated number of cells of an expansion",
    "expression_chars": "characters of a --sympy expression",
    "degree": "degree of a --sympy expression",
    "terms": "terms of a --sympy expression once expanded",
    "poly_terms": "terms of one polynomial string once expanded",
    "poly_work": "term products spent expanding one polynomial string (about 2 us each)",
}
_current: dict[str, int] = dict(DEFAULTS)

# deliberate: our own caps (int_digits) guard the inputs; outputs may be long
if hasattr(sys, "set_int_max_str_digits"):
    sys.set_int_max_str_digits(0)


def get_limit(name: str) -> int:
    """The current value of cap ``name``."""
    return _current[name]


@contextmanager
def set_limits(**caps: int) -> Iterator[None]:
    """Raise (or lower) caps for the duration of a ``with`` block."""
    for k, v in caps.items():
        if k not in DEFAULTS:
            raise InvalidInputError(f"unknown limit {k!r} (known: {', '.join(DEFAULTS)})",
                                    "--limit")
        if isinstance(v, bool) or not isinstance(v, int) or v < 1:
            raise InvalidInputError(f"must be a positive integer, got {v!r}", f"--limit {k}")
    old = dict(_current)
    _current.update(caps)
    try:
        yield
    finally:
        _current.clear()
        _current.update(old)


def parse_limit(text: str) -> tuple[str, int]:
    """``"tokens=1000"`` -> ``("tokens", 1000)`` (for ``--limit``)."""
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or name not in DEFAULTS:
        raise InvalidInputError(f"expected NAME=N with NAME one of {', '.join(DEFAULTS)}, got "
                                f"{text[:60]!r}", "--limit")
    value = value.strip()
    if not value.isdigit() or len(value) > 18 or int(value) < 1:
        raise InvalidInputError(f"expected a positive integer, got {value[:30]!r}",
                                f"--limit {name}")
    return name, int(value)


def check_cap(cap: str, value: int, field: str | None = None, source: str | None = None) -> None:
    """Raise :class:`LimitExceededError` when ``value`` is above cap ``cap``."""
    if value > _current[cap]:
        raise LimitExceededError(cap, value, _current[cap], field, source)


_DECIMAL = re.compile(r"\s*[+-]?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*\Z")
_FRACTION = re.compile(r"\s*[+-]?(\d+)\s*/\s*[+-]?(\d+)\s*\Z")


def check_decimal_literal(text: str, field: str | None = None) -> None:
    """Refuse a number literal whose digits or exponent are above the caps, before converting.

    Accepts what :class:`fractions.Fraction` accepts (``"3/4"``, ``"-1.5e-3"``); anything else is
    left to the caller.

    >>> try:
    ...     check_decimal_literal("1e999999999", "w")
    ... except LimitExceededError as e:
    ...     print(e.problem[:40])
    exponent 999999999 of '1e999999999' is a
    """
    s = text.replace("_", "")
    m = _FRACTION.match(s)
    if m:
        for part in m.groups():
            check_cap("int_digits", len(part.lstrip("0")), field)
        return
    m = _DECIMAL.match(s)
    if not m:
        if len(s) > _current["int_digits"] + 64:
            raise LimitExceededError("int_digits", len(s), _current["int_digits"], field,
                                     problem=f"a {len(s)}-character number is above the cap "
                                             f"int_digits = {_current['int_digits']} (raise it "
                                             f"with --limit int_digits=N)")
        return
    whole, frac, exp = m.groups()
    ndig = len((whole or "").lstrip("0")) + len(frac or "")
    check_cap("int_digits", ndig, field)
    if exp is not None:
        e = exp.lstrip("+-").lstrip("0")
        if len(e) > 18 or int(e or 0) > _current["exponent"]:
            shown = exp if len(exp) < 30 else exp[:12] + "..."
            lit = text if len(text) < 40 else text[:20] + "..."
            raise LimitExceededError(
                "exponent", e, _current["exponent"], field,
                problem=f"exponent {shown} of {lit!r} is above the cap exponent = "
                        f"{_current['exponent']} (raise it with --limit exponent=N)")
        # the exact value has about whole+exp digits
        check_cap("int_digits", ndig + abs(int(exp)), field)


# ----------------------------------------------------------------------------------------------
# work estimates
def _log10_cells(m: int, n: int, d: int) -> float:
    """log10 of Warren's bound on the sign patterns of ``m`` polynomials of degree ``d`` in ``n``
    variables, ``(4 e m d / n)^n``, and never more than ``2^m``."""
    if m <= 0:
        return 0.0
    lin = m * math.log10(2)
    if n <= 0 or m < n:
        return lin
    return min(lin, n * math.log10(max(1.0, 4 * math.e * m * max(d, 1) / n)))


def estimate_work(model) -> dict:
    """A cheap estimate of an expansion, from the model's shape alone.

    Returns the number of ReLU arguments (breaks before factoring) per block, the structural
    degree, the number of variables and ``log10_cells``: log10 of an upper bound on the sign
    patterns the first stage alone can produce (Warren's bound), a rough cost.

    >>> from splinesym.nn.model import model_from_dict
    >>> h = {"WQ": [[1]], "WK": [[1]], "WV": [[1]]}
    >>> m = model_from_dict({"format": "splinesym.model/1", "tokens": 2, "dim": 1,
    ...     "encoder": [{"self_attention": {"heads": [h]}}]})
    >>> w = estimate_work(m); w["breaks"], w["variables"], w["degree"]
    (4, 2, 3)
    """
    from .nn.expand import structural_degree

    tok, tt = model.tokens, model.target_tokens or 0
    breaks = 0
    first = None
    for b in (*model.encoder, *model.decoder):
        rows = tok if b in model.encoder else tt
        n = 0
        if b.self_attention is not None:
            n += rows * rows * len(b.self_attention.heads)
        if b.cross_attention is not None:
            n += rows * tok * len(b.cross_attention.heads)
        if b.ffn is not None:
            n += rows * len(b.ffn.W1[0])
        breaks += n
        if first is None and n:
            first = n
    nvars = len(model.variables()) + len(model.symbols())
    deg = structural_degree(model)["joint"]
    log10 = _log10_cells(first or 0, nvars, 2)
    return {"breaks": breaks, "first_stage_breaks": first or 0, "variables": nvars,
            "degree": deg, "log10_cells": round(log10, 1)}


def check_model_work(model, source: str | None = None) -> dict:
    """Refuse a model whose expansion is far past the limits (before any work); the estimate."""
    w = estimate_work(model)
    cap = _current["work_log10"]
    if w["log10_cells"] > cap:
        raise WorkTooLargeError(
            f"far too large to expand: {w['breaks']} ReLU arguments, {w['variables']} "
            f"variables, structural degree {w['degree']}, up to 10^{w['log10_cells']:.0f} cells "
            f"in the first stage alone (cap work_log10 = {cap}); use `splinesym degree` for the "
            f"degree bound, --numeric for a numeric forward pass, or a smaller model (or raise "
            f"the cap with --limit work_log10=N)", None, source)
    return w
