"""Shared plumbing of the proof scripts: options, model builders, certificate checking, exit code.

Every proof script builds instances, certifies them with splinesym, hands each certificate to the
kernel (:mod:`splinesym.kernel`, which imports nothing from splinesym), prints a
readable account, and exits 1 if any check fails.

Options common to every script: ``--fast`` (the default: small instances, seconds), ``--full``
(larger instances, minutes), ``--out DIR`` (write every certificate there, to re-check later with
``splinesym check``), ``--quiet``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

from splinesym.kernel import check_certificate
from splinesym.nn.model import model_from_dict

F = "splinesym.model/1"


class Proof:
    """Collects checks; prints them; exits non-zero if any failed."""

    def __init__(self, claim: str, how: str):
        ap = argparse.ArgumentParser(description=claim)
        g = ap.add_mutually_exclusive_group()
        g.add_argument("--fast", action="store_true", help="small instances (the default)")
        g.add_argument("--full", action="store_true", help="also the larger instances")
        ap.add_argument("--out", metavar="DIR", help="write the certificates to DIR")
        ap.add_argument("--quiet", action="store_true", help="print only the checks")
        self.args = ap.parse_args()
        self.full = bool(self.args.full)
        self.failures: list[str] = []
        self.passed = 0
        self.t0 = time.monotonic()
        self.ncert = 0
        bar = "=" * 96
        print(bar)
        print(f"CLAIM: {claim}")
        print(f"HOW:   {how}")
        print(f"MODE:  {'--full' if self.full else '--fast'}")
        print(bar)

    def say(self, text: str = "") -> None:
        if not self.args.quiet:
            print(text)

    def section(self, title: str) -> None:
        print()
        print(f"--- {title}")

    def check(self, ok: bool, what: str) -> bool:
        if ok:
            self.passed += 1
            print(f"  [ok]   {what}")
        else:
            self.failures.append(what)
            print(f"  [FAIL] {what}")
        return ok

    def certificate(self, cert: dict, name: str) -> bool:
        """Round-trip the certificate through JSON and the kernel (the independent checker)."""
        cert = json.loads(json.dumps(cert))
        rep = check_certificate(cert)
        self.ncert += 1
        counts: dict[str, int] = {}
        for st, _, _ in rep.results:
            counts[st] = counts.get(st, 0) + 1
        if not self.args.quiet:
            groups: dict[str, list] = {}
            for c, (st, rule, msg) in zip(rep.claims, rep.results, strict=True):
                ev = cert["claims"][c.index]["evidence"]
                if c.kind == "cell":
                    groups.setdefault("cell claims", []).append(st)
                elif c.kind == "continuity" and ev.get("scope", "wall") == "wall":
                    key = f"wall claims ({ev['wall_point']['type']} wall points)"
                    groups.setdefault(key, []).append(st)
                elif c.kind == "identity" and ev.get("method") == "expand":
                    groups.setdefault("polynomial identities", []).append(st)
                else:
                    tag = f" [rule {rule}]" if rule else ""
                    print(f"      kernel: claim {c.index} ({c.kind}): {st}{tag}: {msg}")
            for key, sts in groups.items():
                print(f"      kernel: {len(sts)} {key}: " + ", ".join(
                    f"{sts.count(x)} {x}" for x in sorted(set(sts))))
            for text, st, rule, _msg, _ in rep.clauses:
                tag = f" [rule {rule}]" if rule else ""
                print(f"      kernel: statement: {text}: {st}{tag}")
        if self.args.out:
            d = Path(self.args.out)
            d.mkdir(parents=True, exist_ok=True)
            (d / f"{name}.json").write_text(json.dumps(cert, indent=1) + "\n")
        summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
        return self.check(rep.exit_code() == 0, f"the kernel accepts the certificate '{name}' "
                                                f"(statement {rep.status}; claims: {summary})")

    def finish(self) -> None:
        dt = time.monotonic() - self.t0
        print()
        if self.failures:
            print(f"RESULT: FAILED ({len(self.failures)} of {len(self.failures) + self.passed} "
                  f"checks failed, {dt:.1f} s)")
            for f in self.failures:
                print(f"  - {f}")
            sys.exit(1)
        print(f"RESULT: PROVED on these instances ({self.passed} checks, {self.ncert} "
              f"certificates re-verified independently, {dt:.1f} s)")
        sys.exit(0)


# ----------------------------------------------------------------------------------------------
def rand_matrix(rng: random.Random, rows: int, cols: int, values=(-3, -2, -1, 1, 2, 3)):
    return [[rng.choice(values) for _ in range(cols)] for _ in range(rows)]


def head(rng: random.Random, dim: int, dk: int | None = None, dv: int | None = None) -> dict:
    dk = dk or dim
    dv = dv or dim
    return {"WQ": rand_matrix(rng, dim, dk), "WK": rand_matrix(rng, dim, dk),
            "WV": rand_matrix(rng, dim, dv)}


def symbolic_head(prefix: str, dim: int) -> dict:
    def mat(letter):
        return [[f"{letter}{prefix}{i + 1}{j + 1}" for j in range(dim)] for i in range(dim)]
    return {"WQ": mat("q"), "WK": mat("k"), "WV": mat("v")}


def attention_model(tokens: int, dim: int, heads: list[dict], *, mask: str = "none",
                    WO=None, activation: str = "relu", beta=1):
    att = {"heads": heads, "mask": mask, "activation": activation}
    if WO is not None:
        att["WO"] = WO
    if activation == "softplus":
        att["beta"] = beta
    return model_from_dict({"format": F, "tokens": tokens, "dim": dim,
                            "encoder": [{"self_attention": att, "residual": False}]})


def cross_model(tokens: int, dim: int, target_tokens: int, target_dim: int, hd: dict):
    return model_from_dict({"format": F, "tokens": tokens, "dim": dim,
                            "target_tokens": target_tokens, "target_dim": target_dim,
                            "decoder": [{"cross_attention": {"heads": [hd]},
                                         "residual": False}]})


def fmt_seconds(t: float) -> str:
    return f"{t:.2f} s"


def symbolic_continuity(sp) -> tuple[list[dict], int, list[str]]:
    """For a spline with weight symbols: across every break, do the two neighbouring sign
    patterns differ by a multiple of the break, identically in the inputs and the weights?

    Returns identity claims ``P_a - P_b = g * Q`` (checked by expansion), the number of pairs,
    and the pairs where the break does not divide the difference.
    """
    R = sp.ring
    claims, bad = [], []
    by_region = {p.region: i for i, p in enumerate(sp.pieces)}
    pairs = 0
    for i, p in enumerate(sp.pieces):
        for k, s in p.region:
            if s < 0:
                continue
            j = by_region.get(p.region.drop(k).refine({k: -1}))
            if j is None:
                continue
            pairs += 1
            g = sp.breaks[k]
            lhs, rhs = [], []
            for a, b in zip(p.values, sp.pieces[j].values, strict=True):
                q, r = divmod(a - b, g)
                if not r.is_zero():
                    bad.append(f"pieces {i}|{j} across {R.format(g)}")
                lhs.append(f"({R.format(a)}) - ({R.format(b)})")
                rhs.append(f"({R.format(g)})*({R.format(q)})")
            claims.append({"kind": "identity",
                           "value": f"pieces {i} and {j} differ by a multiple of {R.format(g)}",
                           "evidence": {"method": "expand", "lhs": lhs, "rhs": rhs}})
    return claims, pairs, bad


def symbolic_certificate(sp, model, extra_claims=()) -> dict:
    """Certificate of a symbolic-weight spline: its degree (in the inputs, for every value of
    the weights) and any extra claims."""
    from splinesym.certify import certify_spline

    c = certify_spline(sp, model=model, smoothness=False, source="symbolic weights")
    cert = c.certificate()
    cert["claims"].extend(extra_claims)
    return cert
