"""The kernel's driver: schema pass over everything, then every rule, then the statement."""

from __future__ import annotations

from . import schema as sc
from . import statement as stmt
from .base import CHECKED, FAILED, RECORDED, UNVERIFIED, Fail, Malformed, weakest
from .rules import cells, degree, identity, walls
from .subject import Subject

FORMAT = "splinesym.certificate/1"


class Claim:
    def __init__(self, index: int, kind: str, ev: dict):
        self.index, self.kind, self.ev = index, kind, ev
        self.value = ev.get("value")


def _measurement(c: dict, path: str, S) -> dict:
    sc.obj(sc.get(c, "evidence", path), f"{path}.evidence")
    return {"value": None}


_READ = {"cell": cells.read, "degree": degree.read, "continuity": walls.read,
         "identity": identity.read, "measurement": _measurement}
_CHECK = {"cell": cells.check, "degree": degree.check, "continuity": walls.check,
          "identity": identity.check, "measurement": lambda cl, ctx: (RECORDED, "measurement "
                                                                      "recorded, not checked")}


class Context:
    """What the rules may look at: the subject, the normalised claims, earlier results."""

    def __init__(self, S: Subject, claims: list[Claim]):
        self.S, self.claims, self.results, self.current = S, claims, [], 0
        self._cands = None

    def pair_region(self, k: int, a: int, b: int):
        """The other conditions of pieces ``a`` (``g_k > 0``) and ``b`` (``g_k < 0``), or None
        when they are not on those sides or disagree elsewhere."""
        ra, rb = self.S.spline.pieces[a][0], self.S.spline.pieces[b][0]
        if ra.get(k) != 1 or rb.get(k) != -1:
            return None
        out = {}
        for reg in (ra, rb):
            for j, s in reg.items():
                if j != k:
                    if out.get(j, s) != s:
                        return None
                    out[j] = s
        return out

    def candidates(self):
        if self._cands is None:
            self._cands = walls.candidates(self.S.spline)
        return self._cands


def read(cert) -> tuple[Subject, list[Claim], list | None, str | None]:
    """The schema pass: subject, claims and statement, or :class:`Malformed`."""
    cert = sc.obj(cert, "")
    fmt = cert.get("format")
    if fmt != FORMAT:
        if isinstance(fmt, str) and fmt.startswith("splinesym.certificate/"):
            raise Malformed("format", f"unknown version {fmt!r} (this kernel reads {FORMAT})")
        raise Malformed("format", f"not a certificate (expected {FORMAT!r})")
    S = Subject(sc.get(cert, "subject", ""))
    claims = []
    for i, c in enumerate(sc.lst(sc.get(cert, "claims", ""), "claims")):
        path = f"claims[{i}]"
        c = sc.obj(c, path)
        kind = c.get("kind")
        if not isinstance(kind, str) or kind not in _READ:
            raise Malformed(f"{path}.kind", f"unknown claim kind (known: {', '.join(_READ)})")
        claims.append(Claim(i, kind, _READ[kind](c, path, S)))
    statement = cert.get("statement")
    statement = None if statement is None else stmt.read(statement, "statement", S)
    partial = sc.optional(cert, "partial", sc.string, "", 2000)
    return S, claims, statement, partial


def run_rules(ctx: Context) -> None:
    for c in ctx.claims:
        ctx.current = c.index
        try:
            status, msg = _CHECK[c.kind](c.ev, ctx)
            ctx.results.append((status, "", msg))
        except Fail as exc:
            ctx.results.append((FAILED, exc.rule, exc.why))
        except (ArithmeticError, RecursionError, MemoryError, ValueError) as exc:
            ctx.results.append((FAILED, "arithmetic", f"{type(exc).__name__} in a rule"))


def run_statement(ctx: Context, statement) -> list[tuple]:
    """Per clause: ``(text, status, rule, message, used claims)``."""
    if not statement:
        return [("(no statement)", FAILED, "statement", "the certificate states nothing: a "
                 "'statement' with at least one clause is required", [])]
    out = []
    for cl in statement:
        try:
            st, used = stmt.cover(cl, ctx)
            out.append((stmt.text(cl), st, "", f"covered by claims {used[:8]}"
                        + (" ..." if len(used) > 8 else ""), used))
        except Fail as exc:
            out.append((stmt.text(cl), FAILED, exc.rule, exc.why, []))
    return out


class Report:
    """Verdicts on the claims and on the statement, the overall status and the exit code."""

    def __init__(self, S, claims, results, clauses, partial):
        self.S, self.claims, self.results, self.clauses = S, claims, results, clauses
        self.partial = partial
        self.status = weakest(*[c[1] for c in clauses])

    @property
    def ok(self) -> bool:
        return self.status != FAILED and all(r[0] != FAILED for r in self.results)

    def text(self, strict: bool = False) -> str:
        """The report as ``splinesym check`` prints it (one line per claim and clause)."""
        from .cli import text

        return text(self, strict, False)

    def exit_code(self, strict: bool = False) -> int:
        """1 when a claim fails or the statement is not established (a clause failed or rests
        on nothing checkable); with ``strict`` also unless everything is checked exactly."""
        if not self.ok or any(c[1] in (FAILED, UNVERIFIED) for c in self.clauses):
            return 1
        if strict and (self.status != CHECKED or any(r[0] not in (CHECKED, RECORDED)
                                                     for r in self.results)):
            return 1
        return 0


def check_certificate(cert) -> Report:
    """Check a parsed certificate (raises :class:`Malformed` when it cannot be read)."""
    S, claims, statement, partial = read(cert)
    ctx = Context(S, claims)
    run_rules(ctx)
    return Report(S, claims, ctx.results, run_statement(ctx, statement), partial)
