"""Model weights from a numpy ``.npz`` file.

Each array is stored under the dotted path of its field in the ``splinesym.model/1`` JSON object
(list positions are numbers): ``tokens`` and ``dim`` (0-d integers), then for instance
``encoder.0.self_attention.heads.0.WQ``, ``encoder.0.self_attention.WO``,
``encoder.0.self_attention.scale``, ``encoder.0.ffn.W1``, ``encoder.0.ffn.b1``,
``encoder.0.residual`` (0-d bool), ``readout``. Strings (``mask``, ``activation``) are 0-d string
arrays. Float entries are converted exactly to rationals, or with ``rationalize=TOL`` replaced by
the simplest rational within TOL; the note returned says which.

Examples
--------
>>> import io, numpy as np
>>> buf = io.BytesIO()
>>> np.savez(buf, tokens=1, dim=1, **{"encoder.0.ffn.W1": [[0.5]], "encoder.0.ffn.W2": [[2.0]]})
>>> _ = buf.seek(0)
>>> data, note = npz_to_dict(buf)
>>> data["encoder"][0]["ffn"]["W1"], note
([[Fraction(1, 2)]], '2 float weights converted exactly to rationals')
"""

from __future__ import annotations

import zipfile
from fractions import Fraction

from ..errors import InvalidInputError

__all__ = ["npz_to_dict", "read_npz_model", "is_npz", "is_model_npz"]


def is_npz(path) -> bool:
    """True when ``path`` is a zip archive (what numpy's ``.npz`` files are), empty or not."""
    try:
        with open(path, "rb") as fh:
            return fh.read(4) in (b"PK\x03\x04", b"PK\x05\x06")   # (an empty archive)
    except OSError:
        return False


def is_model_npz(path) -> bool:
    """True for an ``.npz`` file holding model weights (it has ``tokens`` and ``dim``), as opposed
    to spline data (``x, c`` / ``t, c, k`` / ``x, y``)."""
    if not is_npz(path):
        return False
    import numpy as np

    try:
        with np.load(path, allow_pickle=False) as z:
            return {"tokens", "dim"} <= set(z.files)
    except (OSError, ValueError, zipfile.BadZipFile):
        return False


def _convert(a, tol, stats: dict):
    import numpy as np

    from .importers import simplest_rational

    a = np.asarray(a)
    if a.dtype.kind in "US":
        return str(a.item()) if a.ndim == 0 else a.tolist()
    if a.dtype.kind == "b":
        return bool(a.item()) if a.ndim == 0 else a.tolist()
    if a.dtype.kind in "iu":
        return a.tolist()
    if a.dtype.kind != "f":
        raise InvalidInputError(f"unsupported array type {a.dtype}", "npz")

    def one(v):
        v = float(v)
        if v != v or v in (float("inf"), float("-inf")):
            raise InvalidInputError(f"{v!r} is not a finite weight", "npz")
        stats["n"] += 1
        return Fraction(v) if tol is None else simplest_rational(v, tol)

    if a.ndim == 0:
        return one(a)
    return [one(v) for v in a] if a.ndim == 1 else [[one(v) for v in row] for row in a]


def _array_count(npz, key: str) -> int:
    """Entries of the array ``key`` from its ``.npy`` header, without reading (nor inflating)
    its data: a small compressed member may declare gigabytes."""
    import numpy as np

    with npz.zip.open(key + ".npy") as fh:
        version = np.lib.format.read_magic(fh)
        if version == (1, 0):
            shape, _fortran, _dtype = np.lib.format.read_array_header_1_0(fh)
        else:
            shape, _fortran, _dtype = np.lib.format.read_array_header_2_0(fh)
    n = 1
    for d in shape:
        n *= int(d)
    return n


def _index(part: str, key: str, bound: int) -> int:
    if not part.isdigit() or len(part) > 9 or int(part) >= bound:
        raise InvalidInputError(f"array name {key!r}: {part!r} is not a list position "
                                f"(an integer below {bound})", "npz")
    return int(part)


def _child(node, part: str, key: str, want, bound: int):
    """The container ``node[part]`` (created as ``want`` when missing); refuses conflicts."""
    if isinstance(node, list):
        i = _index(part, key, bound)
        node.extend([None] * (i + 1 - len(node)))
        if node[i] is None:
            node[i] = want
        got = node[i]
    else:
        got = node.setdefault(part, want)
    if type(got) is not type(want):
        raise InvalidInputError(f"array name {key!r} conflicts with another array's name "
                                f"at {part!r}", "npz")
    return got


def _place(root: dict, key: str, val, bound: int) -> None:
    parts = key.split(".")
    if any(not p for p in parts):
        raise InvalidInputError(f"array name {key!r} has an empty part", "npz")
    node = root
    for a, b in zip(parts, parts[1:]):
        node = _child(node, a, key, [] if b.isdigit() else {}, bound)
    last = parts[-1]
    if isinstance(node, list):
        i = _index(last, key, bound)
        node.extend([None] * (i + 1 - len(node)))
        slot_taken = node[i] is not None
        if not slot_taken:
            node[i] = val
    else:
        slot_taken = last in node
        node.setdefault(last, val)
    if slot_taken:
        raise InvalidInputError(f"array name {key!r} conflicts with another array's name",
                                "npz")


def npz_to_dict(path, *, rationalize: float | None = None) -> tuple[dict, str]:
    """``(model dict, note on the conversion)`` from an ``.npz`` file (see the module doc).

    Never unpickles (``allow_pickle=False``: object arrays are refused); array sizes are checked
    against the ``weights`` cap from the headers before any data is read."""
    import numpy as np

    from ..limits import check_cap, get_limit

    source = path if isinstance(path, (str, bytes)) or hasattr(path, "__fspath__") else None
    try:
        return _npz_to_dict(np, path, rationalize, check_cap, get_limit)
    except InvalidInputError as exc:
        raise (exc.located(source=str(source)) if source is not None else exc) from None
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile) as exc:
        msg = " ".join(str(exc).split()) or type(exc).__name__
        raise InvalidInputError(f"cannot read the .npz file: {msg}", "npz",
                                source=None if source is None else str(source)) from None


def _npz_to_dict(np, path, rationalize, check_cap, get_limit) -> tuple[dict, str]:
    stats = {"n": 0}
    root: dict = {"format": "splinesym.model/1"}
    bound = max(get_limit("blocks"), get_limit("dim"), get_limit("tokens")) + 1
    with np.load(path, allow_pickle=False) as npz:
        total = 0
        for key in npz.files:
            total += _array_count(npz, key)
            check_cap("weights", total, "npz")
        for key in npz.files:
            arr = npz[key]
            if arr.ndim > 2:
                raise InvalidInputError(f"array {key!r} has {arr.ndim} dimensions (at most 2)",
                                        "npz")
            _place(root, key, _convert(arr, rationalize, stats), bound)
    for k in ("tokens", "dim", "target_tokens", "target_dim"):
        if isinstance(root.get(k), Fraction) and root[k].denominator == 1:
            root[k] = int(root[k])
    how = ("converted exactly to rationals" if rationalize is None else
           f"replaced by the simplest rationals within {rationalize:g}")
    return root, f"{stats['n']} float weights {how}"


def read_npz_model(path, *, rationalize: float | None = None, drop_layernorm: bool = False):
    """A validated :class:`~splinesym.nn.model.Model` from an ``.npz`` file."""
    from ..nn.model import model_from_dict

    data, _note = npz_to_dict(path, rationalize=rationalize)
    data.setdefault("description", _note)
    try:
        return model_from_dict(data, drop_layernorm=drop_layernorm)
    except InvalidInputError as exc:
        raise exc.located(source=str(path)) from None
