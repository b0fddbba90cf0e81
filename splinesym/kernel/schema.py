"""The schema pass: every field is checked for type, shape and range before any rule runs.

Each function takes raw JSON and a *path* (``claims[3].evidence.witness``) and returns plain,
typed Python data (ints, :class:`~fractions.Fraction`, polynomial dicts); anything else raises
:class:`~.base.Malformed` naming the path. Rules only ever see what these functions return.
"""

from __future__ import annotations

from fractions import Fraction

from .base import Malformed
from .grammar import CAPS, GrammarError, parse_polynomial, parse_rational

MAX_LIST = 1_000_000
MAX_ORDER = 1000
MAX_POWER = 1000


def obj(v, path: str) -> dict:
    if not isinstance(v, dict):
        raise Malformed(path, f"expected an object, got {type(v).__name__}")
    return v


def get(d: dict, key: str, path: str):
    if key not in d:
        raise Malformed(path, f"missing field {key!r}")
    return d[key]


def lst(v, path: str, min_len: int = 0, max_len: int = MAX_LIST) -> list:
    if not isinstance(v, list):
        raise Malformed(path, f"expected a list, got {type(v).__name__}")
    if not min_len <= len(v) <= max_len:
        raise Malformed(path, f"expected {min_len} to {max_len} entries, got {len(v)}")
    return v


def integer(v, path: str, lo: int | None = None, hi: int | None = None) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        raise Malformed(path, f"expected an integer, got {type(v).__name__}")
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        raise Malformed(path, f"integer out of range [{lo}, {hi}]")
    return v


def string(v, path: str, max_len: int = 100_000) -> str:
    if not isinstance(v, str) or len(v) > max_len:
        raise Malformed(path, "expected a (short enough) string")
    return v


def boolean(v, path: str) -> bool:
    if not isinstance(v, bool):
        raise Malformed(path, "expected true or false")
    return v


def number(v, path: str) -> Fraction:
    """An exact rational: a JSON integer, a finite float (converted exactly) or a number
    string (``"-3/4"``, ``"0.125"``)."""
    if isinstance(v, bool):
        raise Malformed(path, "expected a number, got a boolean")
    if isinstance(v, int):
        return Fraction(v)
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            raise Malformed(path, "NaN and infinities are not numbers")
        return Fraction(v)
    if isinstance(v, str):
        try:
            return parse_rational(v, CAPS)
        except GrammarError as exc:
            raise Malformed(path, str(exc)) from None
    raise Malformed(path, f"expected a number, got {type(v).__name__}")


def numbers(v, path: str, n: int | None = None) -> list[Fraction]:
    v = lst(v, path) if n is None else lst(v, path, n, n)
    return [number(x, f"{path}[{i}]") for i, x in enumerate(v)]


def poly(v, path: str, names) -> dict:
    """A polynomial string (or JSON integer constant) over ``names``."""
    if isinstance(v, int) and not isinstance(v, bool):
        return {(0,) * len(names): v} if v else {}
    if not isinstance(v, str):
        raise Malformed(path, "expected a polynomial string")
    try:
        return parse_polynomial(v, names, CAPS)
    except GrammarError as exc:
        raise Malformed(path, str(exc)) from None


def sign(v, path: str) -> int:
    if v in ("+", "-") or (isinstance(v, int) and not isinstance(v, bool) and v in (1, -1)):
        return 1 if v in ("+", 1) else -1
    raise Malformed(path, "expected a sign: '+', '-', 1 or -1")


def region(v, path: str, nbreaks: int) -> dict:
    """``[[k, sign], ...]`` as ``{k: +-1}``; a break may occur once only."""
    out: dict = {}
    for i, item in enumerate(lst(v, path, 0, nbreaks)):
        item = lst(item, f"{path}[{i}]", 2, 2)
        k = integer(item[0], f"{path}[{i}][0]", 0, nbreaks - 1)
        if k in out:
            raise Malformed(f"{path}[{i}]", f"break {k} occurs twice in one region")
        out[k] = sign(item[1], f"{path}[{i}][1]")
    return out


def names_list(v, path: str, min_len: int = 0) -> list[str]:
    v = lst(v, path, min_len)
    out = [string(x, f"{path}[{i}]", 200) for i, x in enumerate(v)]
    for i, x in enumerate(out):
        if not x.isidentifier() or not x.isascii():
            raise Malformed(f"{path}[{i}]", f"{x!r} is not an identifier")
    if len(set(out)) != len(out):
        raise Malformed(path, "names repeat")
    return out


def optional(d: dict, key: str, fn, path: str, *args, default=None):
    """``fn(d[key], path.key, *args)`` when the key is present and not null, else default."""
    v = d.get(key)
    return default if v is None else fn(v, f"{path}.{key}", *args)


def pair_of_pieces(v, path: str, npieces: int) -> tuple[int, int]:
    v = lst(v, path, 2, 2)
    return (integer(v[0], f"{path}[0]", 0, npieces - 1),
            integer(v[1], f"{path}[1]", 0, npieces - 1))


def order(v, path: str):
    """A continuity order: an integer ``-1 <= r <= MAX_ORDER`` or ``"inf"``."""
    if v == "inf":
        return float("inf")
    return integer(v, path, -1, MAX_ORDER)
