"""Shared helpers of the file formats: reading JSON with located errors, exact numbers, atomic
writes.

Examples
--------
>>> parse_number("3/4", "scale")
Fraction(3, 4)
>>> parse_number(0.5, "scale")
Fraction(1, 2)
>>> parse_number("a12", "WQ[0][1]", symbols=True)
'a12'
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..errors import InvalidInputError

__all__ = ["read_json", "parse_number", "write_atomic", "check_format", "number_to_json"]


def read_json(path: str | os.PathLike) -> Any:
    """Load a JSON file; every failure becomes an :class:`InvalidInputError` naming the file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInputError("file not found", source=str(path)) from None
    except IsADirectoryError:
        raise InvalidInputError("is a directory, not a file", source=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInputError(f"cannot read file: {exc}", source=str(path)) from None
    try:
        # NaN and Infinity load as floats and are rejected where the field is known
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInputError(f"malformed JSON at line {exc.lineno} column {exc.colno}: "
                                f"{exc.msg}", source=str(path)) from None


def check_format(data: Any, expected: str) -> None:
    """Check the ``format`` field of a top-level object."""
    if not isinstance(data, dict):
        raise InvalidInputError("top level must be a JSON object", "format")
    fmt = data.get("format")
    if fmt is None:
        raise InvalidInputError(f"missing (expected {expected!r})", "format")
    if fmt != expected:
        base = expected.split("/")[0]
        if isinstance(fmt, str) and fmt.startswith(base + "/"):
            raise InvalidInputError(f"unknown version {fmt!r} (this splinesym reads {expected!r})",
                                    "format")
        raise InvalidInputError(f"expected {expected!r}, got {fmt!r}", "format")


def parse_number(value: Any, field: str, *, symbols: bool = False) -> Fraction | str:
    """An exact rational from an int, a float (converted exactly) or a string "p/q" / decimal.

    With ``symbols=True`` an identifier string is returned unchanged (a weight symbol).
    """
    if isinstance(value, bool):
        raise InvalidInputError(f"expected a number, got {value!r}", field)
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, Fraction):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidInputError(f"{value!r} is not a finite number", field)
        return Fraction(value)
    if isinstance(value, str):
        s = value.strip()
        if s.lower() in ("nan", "inf", "+inf", "-inf", "infinity", "-infinity"):
            raise InvalidInputError(f"{value!r} is not a finite number", field)
        try:
            return Fraction(s)
        except (ValueError, ZeroDivisionError):
            pass
        if symbols and s.isidentifier():
            return s
        what = "a number or a weight symbol" if symbols else "a number"
        raise InvalidInputError(f"expected {what}, got {value!r}", field)
    raise InvalidInputError(f"expected a number, got {type(value).__name__}", field)


def number_to_json(v: Fraction | int | str) -> int | str:
    """Integers stay integers, other rationals become "p/q" strings."""
    if isinstance(v, str):
        return v
    v = Fraction(v)
    return int(v) if v.denominator == 1 else f"{v.numerator}/{v.denominator}"


def write_atomic(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` to ``path`` atomically: a temporary file in the same folder, then rename."""
    p = Path(path)
    folder = p.parent if str(p.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, p)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
