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
    """True when ``path`` is a zip archive (what numpy's ``.npz`` files are)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(4) == b"PK\x03\x04"
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


def npz_to_dict(path, *, rationalize: float | None = None) -> tuple[dict, str]:
    """``(model dict, note on the conversion)`` from an ``.npz`` file (see the module doc)."""
    import numpy as np

    try:
        npz = np.load(path, allow_pickle=False)
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        raise InvalidInputError(f"cannot read the .npz file: {exc}", "npz") from None
    stats = {"n": 0}
    root: dict = {"format": "splinesym.model/1"}
    with npz:
        for key in npz.files:
            parts = key.split(".")
            node = root
            for a, b in zip(parts, parts[1:]):
                want = [] if b.isdigit() else {}
                if isinstance(node, list):
                    i = int(a)
                    while len(node) <= i:
                        node.append(None)
                    if node[i] is None:
                        node[i] = want
                    node = node[i]
                else:
                    node = node.setdefault(a, want)
            last = parts[-1]
            val = _convert(npz[key], rationalize, stats)
            if isinstance(node, list):
                i = int(last)
                while len(node) <= i:
                    node.append(None)
                node[i] = val
            else:
                node[last] = val
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
