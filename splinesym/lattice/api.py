"""One call from an input (model, spline or max–min) to a certified max–min and an encoder.

Examples
--------
>>> from splinesym.spline import Spline
>>> sp = Spline.from_pieces(["x"], ["f"], ["x"], [([(0, 1)], ["x**2"]), ([(0, -1)], ["2*x**2"])])
>>> res = build_maxmin("spline", sp)
>>> res.method, res.certified, res.maxmin.size()["terms"]
('univariate', True, 2)
>>> enc = encode(res)
>>> enc.info["blocks"], enc.points_checked, enc.roundtrip["equal"]
(4, 200, True)
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from .. import progress
from ..cells.budget import time_left
from ..errors import InvalidInputError
from ..io.jsonio import read_json
from ..nn.model import Model
from ..spline import Spline
from .certify import CertifyResult, certificate_dict, certify_maxmin
from .expr import MaxMin

__all__ = ["load_input", "build_maxmin", "BuildResult", "encode", "EncodeResult", "METHODS"]

METHODS = ("auto", "lattice", "hyperplane", "ovchinnikov", "univariate", "table")


def load_input(path) -> tuple[str, object]:
    """``("model" | "spline" | "maxmin", object)`` from a file, by its ``format`` field (model
    weights may also be a numpy ``.npz`` file)."""
    from ..io.npz_model import is_npz, read_npz_model

    if is_npz(path):
        return "model", read_npz_model(path)
    data = read_json(path)
    fmt = data.get("format") if isinstance(data, dict) else None
    try:
        if fmt == "splinesym.model/1":
            from ..nn.model import model_from_dict

            return "model", model_from_dict(data)
        if fmt == "splinesym.spline/1":
            from ..io.spline_io import spline_from_dict

            return "spline", spline_from_dict(data)
        if fmt == "splinesym.maxmin/1":
            from ..io.maxmin_io import maxmin_from_dict

            return "maxmin", maxmin_from_dict(data)
    except InvalidInputError as exc:
        raise exc.located(source=str(path)) from None
    raise InvalidInputError(f"expected a splinesym.model/1, splinesym.spline/1 or "
                            f"splinesym.maxmin/1 object, got format {fmt!r}", "format",
                            str(path))


@dataclass
class BuildResult:
    """A max–min with how it was obtained and its certification against ``spline``."""

    maxmin: MaxMin
    spline: Spline | None
    method: str
    certification: CertifyResult | None = None
    notes: list[str] = field(default_factory=list)
    seconds: dict = field(default_factory=dict)

    @property
    def certified(self) -> bool:
        return self.certification is not None and self.certification.certified

    def certificate(self) -> dict | None:
        if self.certification is None or self.spline is None:
            return None
        return certificate_dict(self.maxmin, self.spline, self.certification.claims)

    def outcome(self) -> str:
        """``certified``, ``refuted`` (a point where the max-min differs from the spline),
        ``undecided`` (a limit stopped the certification, or the spline is incomplete),
        ``not-run`` or ``given`` (a max-min input)."""
        if self.spline is None and self.certification is None:
            return "given"
        if self.certification is None:
            return "not-run"
        c = self.certification
        if any("max-min = " in f or "no term contains" in f for f in c.failures):
            return "refuted"
        if not c.certified or (self.spline is not None and not self.spline.complete):
            return "undecided"
        return "certified"

    def _repr_html_(self) -> str:
        from ..display import _esc, maxmin_html

        return (f"<div><b>max–min by {_esc(self.method)}</b>: {_esc(self.status())}</div>"
                + maxmin_html(self.maxmin))

    def __repr__(self) -> str:
        s = self.maxmin.size()
        return (f"BuildResult(method={self.method!r}, {s['terms']} terms, {s['entries']} "
                f"entries; {self.status()})")

    def status(self) -> str:
        if self.certification is None:
            return "not certified (certification not run)"
        c = self.certification
        if not c.certified:
            return "NOT certified: " + "; ".join(c.failures)
        kinds = c.stats.get("sign_proofs", {})
        trusted = " (some sign facts rest on z3's word)" if kinds.get("solver") else ""
        if self.spline is not None and not self.spline.complete:
            return (f"INCOMPLETE: certified only on the {len(self.spline.pieces)} listed pieces "
                    f"of an incomplete spline (a limit stopped its expansion); the rest is not "
                    f"decided{trusted}")
        return (f"certified: equal to the spline on all {len(self.spline.pieces)} pieces "
                f"({c.stats['leaves']} leaves, {c.stats['splits']} splits){trusted}")


def build_maxmin(kind: str, obj, *, method: str = "auto", certify: bool = True,
                 prune: bool = True, max_terms: int = 20000, solver_timeout: float = 5.0,
                 time_limit: float | None = 600.0, validate: bool = True) -> BuildResult:
    """A max–min form of a model or a spline (or a given max–min), certified when possible.

    Methods: ``lattice`` (models: the lattice algebra on the forward pass), ``hyperplane``
    (any spline whose breaks are all affine: gallery separators, complete, with an exact
    certificate), ``ovchinnikov`` (continuous piecewise-linear splines), ``univariate`` (one
    variable), ``table`` (separators from the walls, kept only when certified) and ``auto``
    (lattice for models; for splines univariate, then hyperplane when the partition is
    polyhedral, else table).

    Raises
    ------
    InvalidInputError
        Bad input, including a table that is not a spline (InvalidSplineTableError).
    NoRepresentationError
        When the table construction finds nothing certifiable (the message says what is known).
    """
    from .arrangement import is_polyhedral
    from .expr import FlattenTooLargeError
    from .from_table import NoRepresentationError, known_theory, table_maxmin, validate_table
    from .hyperplane import hyperplane_maxmin
    from .ovchinnikov import is_cpwl, ovchinnikov_maxmin
    from .univariate import univariate_maxmin

    if method not in METHODS:
        raise InvalidInputError(f"unknown method {method!r} (known: {', '.join(METHODS)})",
                                "method")
    secs: dict = {}
    notes: list[str] = []
    kind_in = kind
    too_large = None
    pre_cert = None
    t0 = time.monotonic()
    if kind == "maxmin":
        return BuildResult(obj, None, obj.method or "given", None,
                           ["a max-min was given: nothing to construct or certify"])
    sp: Spline | None = None
    if kind == "model":
        model: Model = obj
        mm = None
        too_large = None
        if method in ("auto", "lattice"):
            from .from_model import model_maxmin

            used = "lattice"
            try:
                mm = model_maxmin(model, max_terms=max_terms)
            except FlattenTooLargeError as exc:
                too_large = exc
                if certify:
                    pre = _sample_pruned(model, max_terms, prune, solver_timeout, time_limit,
                                         secs)
                    if pre is not None:
                        mm, sp, pre_cert = pre
                        used = "lattice (sample-pruned, certified)"
                        notes.append(f"the exact lattice form is too large "
                                     f"({exc.problem.split(';')[0]}); intermediate forms were "
                                     f"pruned at sample points and the result certified")
                if mm is None and method == "lattice":
                    raise
                if mm is None:
                    notes.append(f"lattice form too large ({exc.problem.split(';')[0]}): "
                                 "built from the expanded spline instead")
            secs.setdefault("construct", round(time.monotonic() - t0, 3))
            if certify and mm is not None and sp is None:
                from ..nn.expand import expand_model

                t1 = time.monotonic()
                sp = expand_model(model, time_limit=time_limit)
                secs["expand"] = round(time.monotonic() - t1, 3)
        if mm is None:
            from ..nn.expand import expand_model

            if sp is None:
                sp = expand_model(model, time_limit=time_limit)
                secs["expand"] = round(time.monotonic() - t0, 3)
            kind, obj = "spline", sp
            validate = False  # the engine's own expansion, not a user's table
    if kind == "spline":
        sp = obj
        if sp.parameters:
            raise InvalidInputError("the spline has weight symbols: a max-min needs numbers",
                                    "parameters")
        # the earlier of this call's own limit and the process-wide deadline (--time-limit)
        left = min(float("inf") if time_limit is None else time_limit - (time.monotonic() - t0),
                   time_left())
        deadline = None if left == float("inf") else time.monotonic() + max(0.0, left)
        if validate:
            t1 = time.monotonic()
            notes.extend(validate_table(sp, deadline=deadline))
            secs["validate"] = round(time.monotonic() - t1, 3)
        t1 = time.monotonic()
        univariate_ok = sp.nvars == 1 and all(b.total_degree() == 1 for b in sp.breaks)
        if method == "univariate" or (method == "auto" and univariate_ok):
            mm, used = univariate_maxmin(sp), "univariate"
        elif method == "hyperplane" or (method == "auto" and is_polyhedral(sp)):
            mm, pre_cert = hyperplane_maxmin(sp, prune=prune)
            used = "hyperplane"
        elif method == "ovchinnikov" or (method == "auto" and is_cpwl(sp)):
            mm, used = ovchinnikov_maxmin(sp, solver_timeout=solver_timeout), "ovchinnikov"
        elif method in ("auto", "table"):
            try:
                mm, used = table_maxmin(sp, solver_timeout=min(solver_timeout, 2.0),
                                        deadline=deadline), "table"
            except NoRepresentationError as exc:
                if sp.notes:
                    raise NoRepresentationError(f"{exc}; the table's own notes: "
                                                + "; ".join(sp.notes), exc.limit) from None
                if kind_in == "model" and too_large is not None:
                    raise FlattenTooLargeError(
                        f"{too_large.problem.split(';')[0]}; the lattice form exists (exact, "
                        f"no conjecture) but is larger than --max-terms {max_terms}, and the "
                        f"separator construction on the expanded spline failed ({exc}); raise "
                        f"--max-terms", "max_terms") from None
                raise
        else:
            raise InvalidInputError(f"method {method!r} needs a model", "method")
        secs["construct"] = round(time.monotonic() - t1, 3)
    cert = pre_cert
    if certify and sp is not None and cert is None:
        if not sp.complete:
            notes.append("the spline is incomplete (" + "; ".join(sp.notes) + "): the "
                         "certification covers only its listed pieces")
        t1 = time.monotonic()
        progress.report(stage="certifying the max-min piece by piece")
        cert = certify_maxmin(mm, sp, prune=prune, solver_timeout=solver_timeout,
                              time_limit=time_limit)
        secs["certify"] = round(time.monotonic() - t1, 3)
        if cert.certified:
            mm = cert.maxmin
        elif used == "table":
            raise NoRepresentationError("the separator candidate was not certified ("
                                        + "; ".join(cert.failures) + "); "
                                        + known_theory(sp))
    elif used == "table":
        notes.append("table construction not certified (certification switched off): "
                     "the result is only a candidate")
    mm.method = used
    mm.notes.extend(notes)
    if cert is not None:
        mm.notes.append(BuildResult(mm, sp, used, cert).status())
    secs["total"] = round(time.monotonic() - t0, 3)
    mm.stats["seconds"] = secs
    return BuildResult(mm, sp, used, cert, notes, secs)


def _sample_pruned(model, max_terms, prune, solver_timeout, time_limit, secs):
    """The lattice form with intermediate forms pruned at sample points (around the witnesses
    of the expanded spline), certified; None when it is still too large or not certified."""
    import numpy as np

    from ..nn.expand import expand_model
    from .expr import FlattenTooLargeError
    from .from_model import model_maxmin

    t1 = time.monotonic()
    sp = expand_model(model, time_limit=time_limit)
    secs["expand"] = round(time.monotonic() - t1, 3)
    rng = np.random.default_rng(0)
    n = sp.nvars
    pts = [rng.standard_normal((400, n)) * sc for sc in (0.3, 1.0, 3.0, 10.0)]
    for p in sp.pieces:
        if p.witness is not None:
            w = np.array([float(c) for c in p.witness])
            pts.append(w + rng.standard_normal((40, n)) * 0.01 * (1 + np.abs(w)))
            pts.append(w[None, :])
    samples = np.vstack(pts)
    t1 = time.monotonic()
    try:
        mm = model_maxmin(model, max_terms=max_terms, samples=samples)
    except FlattenTooLargeError:
        return None
    secs["construct"] = round(time.monotonic() - t1, 3)
    t1 = time.monotonic()
    cert = certify_maxmin(mm, sp, prune=prune, solver_timeout=solver_timeout,
                          time_limit=time_limit)
    secs["certify"] = round(time.monotonic() - t1, 3)
    if not cert.certified:
        return None
    return cert.maxmin, sp, cert


@dataclass
class EncodeResult:
    """A compiled encoder with its sizes and how it was verified."""

    model: Model
    info: dict
    points_checked: int
    roundtrip: dict | None = None
    seconds: dict = field(default_factory=dict)
    #: the round trip's common refinement of the expanded ``model`` and the spline (the
    #: spline's variables and values), kept so that a round-trip certificate does not expand
    #: and refine a second time
    expansion: Spline | None = None

    def __repr__(self) -> str:
        i = self.info
        rt = "not run" if self.roundtrip is None else (
            "equal on every cell" if self.roundtrip.get("equal") else "FAILED")
        return (f"EncodeResult({i.get('blocks')} blocks, {i.get('heads')} heads, width "
                f"{i.get('width')}; {self.points_checked} points checked; round trip {rt})")

    def _repr_html_(self) -> str:
        from ..display import _esc, model_html

        return f"<div>{_esc(repr(self))}</div>" + model_html(self.model)


def encode(res: BuildResult, *, verify: bool = True, points: int = 200, seed: int = 0,
           time_limit: float | None = 600.0) -> EncodeResult:
    """Compile the max–min of ``res`` into an encoder; test it at ``points`` random rational
    points (exact forward pass) and, with ``verify``, expand it and compare with the spline piece
    by piece (the round trip, :func:`verify_encoder`; for a given max–min the spline is built
    from it)."""
    from .compile import check_points, compile_maxmin

    t0 = time.monotonic()
    model, info = compile_maxmin(res.maxmin)
    secs = {"compile": round(time.monotonic() - t0, 4)}
    t1 = time.monotonic()
    n = check_points(model, res.maxmin, points, seed) if points else 0
    secs["points"] = round(time.monotonic() - t1, 4)
    enc = EncodeResult(model, info, n, None, secs)
    if verify:
        verify_encoder(res, enc, time_limit=time_limit)
    return enc


def verify_encoder(res: BuildResult, enc: EncodeResult, *,
                   time_limit: float | None = 600.0) -> dict:
    """The round trip: expand ``enc.model`` and compare it with the spline of ``res`` on every
    cell of the common refinement; the report is stored in ``enc.roundtrip`` and returned."""
    from .compile import maxmin_spline, roundtrip_expansion

    t1 = time.monotonic()
    sp = res.spline if res.spline is not None else maxmin_spline(res.maxmin)
    progress.report(stage="round trip: expanding the compiled encoder")
    enc.roundtrip, enc.expansion = roundtrip_expansion(enc.model, sp, time_limit=time_limit)
    enc.seconds["roundtrip"] = round(time.monotonic() - t1, 3)
    return enc.roundtrip
