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
import stat
import tempfile
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..errors import InvalidInputError

__all__ = ["read_json", "parse_number", "write_atomic", "check_format", "number_to_json"]


def read_json(path: str | os.PathLike) -> Any:
    """Load a JSON file; every failure becomes an :class:`InvalidInputError` naming the file.

    The file must be a regular file (a FIFO or a device is refused without blocking) no larger
    than the cap ``file_bytes``; integers longer than ``int_digits`` digits, decimal exponents
    above ``exponent`` and duplicate keys are refused; a number outside the float range is read
    as its exact decimal value.
    """
    text = read_text_file(path)
    try:
        # NaN and Infinity load as floats and are rejected where the field is known
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_int=_parse_int,
                          parse_float=_parse_float)
    except json.JSONDecodeError as exc:
        raise InvalidInputError(f"malformed JSON at line {exc.lineno} column {exc.colno}: "
                                f"{exc.msg}", source=str(path)) from None
    except InvalidInputError as exc:
        raise exc.located(source=str(path)) from None
    except RecursionError:
        raise InvalidInputError("JSON nested too deeply", source=str(path)) from None


def read_text_file(path: str | os.PathLike, *, binary: bool = False) -> Any:
    """The contents of a regular file, refused cleanly when it is not one or is too large."""
    from ..limits import check_cap, get_limit

    try:
        fd = os.open(os.fspath(path), os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise InvalidInputError("file not found", source=str(path)) from None
    except IsADirectoryError:
        raise InvalidInputError("is a directory, not a file", source=str(path)) from None
    except (OSError, ValueError, TypeError) as exc:
        raise InvalidInputError(f"cannot read file: {_oserror(exc)}", source=str(path)) from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise InvalidInputError("is a directory, not a file", source=str(path))
        if not stat.S_ISREG(st.st_mode):
            raise InvalidInputError("not a regular file (a FIFO, socket or device is not read)",
                                    source=str(path))
        check_cap("file_bytes", st.st_size, source=str(path))
        cap = get_limit("file_bytes")
        chunks, size = [], 0
        while True:
            b = os.read(fd, 1 << 20)
            if not b:
                break
            size += len(b)
            if size > cap:
                check_cap("file_bytes", size, source=str(path))
            chunks.append(b)
    except OSError as exc:
        raise InvalidInputError(f"cannot read file: {_oserror(exc)}", source=str(path)) from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if binary:
        return data
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInputError(f"not UTF-8 text: {exc.reason} at byte {exc.start}",
                                source=str(path)) from None


def _oserror(exc: BaseException) -> str:
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)


def _no_duplicates(pairs: list) -> dict:
    out: dict = {}
    for k, v in pairs:
        if k in out:
            shown = k if len(k) < 60 else k[:57] + "..."
            raise InvalidInputError(f"duplicate key {shown!r} in a JSON object")
        out[k] = v
    return out


def _parse_int(s: str) -> int:
    from ..limits import check_cap

    check_cap("int_digits", len(s.lstrip("-")), field=f"integer {s[:12]}...")
    return int(s)


def _parse_float(s: str) -> float | Fraction:
    from ..limits import check_decimal_literal

    check_decimal_literal(s, f"number {s[:12]}{'...' if len(s) > 12 else ''}")
    v = float(s)
    if math.isfinite(v) and (v != 0 or not any(c in "123456789" for c in s.split("e")[0]
                                               .split("E")[0])):
        return v
    # outside the float range (overflow, or a nonzero that underflows): keep it exact
    return Fraction(s)


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
        from ..limits import check_cap

        # an int given through the API (a JSON reader has checked its digits already)
        if value.bit_length() > 4 * get_int_digits():
            check_cap("int_digits", len(str(abs(value))), field)
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
        from ..limits import check_decimal_literal

        check_decimal_literal(s, field)
        try:
            return Fraction(s)
        except (ValueError, ZeroDivisionError):
            pass
        if symbols and s.isidentifier():
            return s
        what = "a number or a weight symbol" if symbols else "a number"
        raise InvalidInputError(f"expected {what}, got {value!r}", field)
    raise InvalidInputError(f"expected a number, got {type(value).__name__}", field)


def get_int_digits() -> int:
    from ..limits import get_limit

    return get_limit("int_digits")


def number_to_json(v: Fraction | int | str) -> int | str:
    """Integers stay integers, other rationals become "p/q" strings."""
    if isinstance(v, str):
        return v
    v = Fraction(v)
    return int(v) if v.denominator == 1 else f"{v.numerator}/{v.denominator}"


def write_atomic(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` to ``path`` atomically: a temporary file in the same folder, then rename.

    The file gets the usual permissions (``0o666`` minus the umask, like ``open``); SIGINT and
    SIGTERM are held back while the temporary file exists, so an interrupt never leaves it behind
    (it takes effect right after the rename, or the temporary file is removed).
    """
    p = Path(path)
    folder = p.parent if str(p.parent) else Path(".")
    data = text.encode("utf-8")
    with _signals_held():
        fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=folder)
        try:
            os.fchmod(fd, 0o666 & ~_umask())
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, p)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class _signals_held:
    """Block SIGINT and SIGTERM in a ``with`` block (main thread, POSIX); delivered on exit."""

    def __enter__(self):
        import signal
        import threading

        self.old = None
        if (hasattr(signal, "pthread_sigmask")
                and threading.current_thread() is threading.main_thread()):
            self.old = signal.pthread_sigmask(signal.SIG_BLOCK,
                                              {signal.SIGINT, signal.SIGTERM})
        return self

    def __exit__(self, *exc):
        import signal

        if self.old is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, self.old)
        return False
