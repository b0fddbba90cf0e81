"""Human-readable renderings of splines: plain text, LaTeX, and Jupyter reprs.

Examples
--------
>>> from splinesym.spline import Spline
>>> sp = Spline.from_pieces(["x"], ["f"], ["x"], [([(0, 1)], ["x"]), ([(0, -1)], ["0"])])
>>> print(spline_text(sp).splitlines()[2])
  g0 = x
"""

from __future__ import annotations

from fractions import Fraction

from .spline import Piece, Spline

__all__ = ["spline_text", "spline_latex", "format_point", "format_number", "approx_text",
           "spline_html", "spline_to_sympy", "latex_document", "maxmin_shared_text",
           "certification_html", "model_html", "maxmin_html", "SHOW"]

#: how many pieces / terms / walls a Jupyter repr shows before summarising (``SHOW["pieces"] =
#: None`` shows everything; every repr also says how to see all)
SHOW = {"pieces": 20, "latex_rows": 60, "walls": 20, "terms": 12}

#: rationals with more digits than this are also shown as decimals
LONG_DIGITS = 12


def format_number(q) -> str:
    """A rational as ``p/q``; a long one is followed by its decimal value (``≈ 0.1``).

    >>> format_number(Fraction(3602879701896397, 36028797018963968))
    '3602879701896397/36028797018963968 (≈ 0.1)'
    """
    q = Fraction(q)
    s = str(q)
    if len(s) > LONG_DIGITS and q.denominator != 1:
        return f"{s} (≈ {float(q):.6g})"
    return s


def format_point(pt) -> str:
    if pt is None:
        return "none"
    return "(" + ", ".join(format_number(v) for v in pt) + ")"


def _long(text: str) -> bool:
    import re

    return any(len(m) > LONG_DIGITS for m in re.findall(r"\d+", text))


def approx_text(ring, p) -> str:
    """The polynomial with 6-significant-digit decimal coefficients (for reading only)."""
    if p.is_zero():
        return "0"
    out = []
    for e, c in zip(p.monoms(), p.coeffs()):
        v = float(c.p) / float(c.q)
        mono = "*".join(n if k == 1 else f"{n}**{k}" for n, k in zip(ring.names, e) if k)
        term = f"{abs(v):.6g}" + (f"*{mono}" if mono else "")
        out.append(("-" if v < 0 else "") + term if not out else
                   ("- " if v < 0 else "+ ") + term)
    return " ".join(out)


def _conds(sp: Spline, p: Piece) -> str:
    if not len(p.region):
        return "everywhere"
    return ", ".join(f"g{k} {'>' if s > 0 else '<'} 0" for k, s in p.region)


def spline_text(sp: Spline, title: str | None = None) -> str:
    """Breaks with names and origins, then every cell: signs, witness, label, outputs."""
    R = sp.ring
    lines = []
    if title:
        lines.append(title)
    lines.append(f"variables: {', '.join(sp.variables)}"
                 + (f"; weight symbols: {', '.join(sp.parameters)}" if sp.parameters else ""))
    lines.append(f"breaks ({len(sp.breaks)}):" if sp.breaks else "breaks: none")
    for k, b in enumerate(sp.breaks):
        origin = sp.break_labels[k] if k < len(sp.break_labels) else []
        lines.append(f"  g{k} = {R.format(b)}" + (f"    [from {'; '.join(origin)}]"
                                                 if origin else ""))
    lines.append("")
    for i, p in enumerate(sp.pieces):
        lines.append(f"cell {i}: {_conds(sp, p)}")
        lines.append(f"  status: {p.status}" + (f" ({p.note})" if p.note else ""))
        lines.append(f"  witness: {format_point(p.witness)}")
        for name, v in zip(sp.outputs, p.values):
            text = R.format(v)
            lines.append(f"  {name} = {text}")
            if _long(text):
                lines.append(f"  {name} ≈ {approx_text(R, v)}")
    lines.append("")
    lines.append(summary_text(sp))
    return "\n".join(lines)


def summary_text(sp: Spline) -> str:
    counts = sp.counts()
    parts = [f"{n} {k}" for k, n in sorted(counts.items())]
    out = [f"summary: {len(sp.pieces)} cells ({', '.join(parts) or 'none'}); "
           f"max degree {sp.max_degree()}"]
    sd = sp.stats.get("structural_degree") if sp.stats else None
    if sd:
        out.append(f"structural degree bound: {sd['joint']} jointly"
                   + (f" ({sd['x']} in x, {sd['y']} in y)" if sd.get("y") else ""))
    dec = sp.stats.get("decisions") if sp.stats else None
    if dec:
        out.append("decided by: " + ", ".join(f"{k} x{n}" for k, n in sorted(dec.items())))
    for a in (sp.stats or {}).get("arrangements", []):
        out.append(f"affine arrangement of {a['hyperplanes']} hyperplanes: "
                   f"{a['regions_witnessed']} regions witnessed, Zaslavsky's count |chi(-1)| = "
                   f"{a['zaslavsky']}")
    if sp.stats and sp.stats.get("cells_before_merge", len(sp.pieces)) != len(sp.pieces):
        out.append(f"cells before merging equal neighbours: {sp.stats['cells_before_merge']}")
    if sp.stats and "seconds" in sp.stats:
        out.append(f"time: {sp.stats['seconds']} s")
    out.append("complete: yes" if sp.complete else "complete: NO (see notes)")
    for reg, pend, what in sp.unexpanded[:10]:
        conds = ", ".join(f"{b} {'>' if s > 0 else '<'} 0" for b, s in reg) or "everywhere"
        out.append(f"unexpanded: {{{conds}}} still to split on {len(pend)} break(s) ({what})")
    if len(sp.unexpanded) > 10:
        out.append(f"unexpanded: ... and {len(sp.unexpanded) - 10} more (see the JSON output)")
    for n in sp.notes:
        out.append(f"note: {n}")
    return "\n".join(out)


def _latex_cond(p: Piece) -> str:
    return (", ".join(f"g_{{{k}}} {'>' if s > 0 else '<'} 0" for k, s in p.region)
            or r"\text{everywhere}")


def spline_latex(sp: Spline, *, document: bool = False, max_rows: int | None = None) -> str:
    """A ``cases`` environment per output, one line per piece; conditions name the breaks
    ``g_k``, which are listed after the cases.

    With ``document=True`` a complete LaTeX document (``pdflatex`` compiles it as is);
    otherwise math-mode material (``$$ ... $$`` is the caller's). ``max_rows`` summarises longer
    case lists (``None``: all)."""
    R = sp.ring
    blocks = []
    for j, name in enumerate(sp.outputs):
        rows = []
        pieces = sp.pieces if max_rows is None else sp.pieces[:max_rows]
        for p in pieces:
            rows.append(f"  {R.latex(p.values[j])} & \\text{{if }} {_latex_cond(p)}")
        if len(pieces) < len(sp.pieces):
            rows.append(f"  \\dots & \\text{{({len(sp.pieces) - len(pieces)} more pieces)}}")
        blocks.append(f"{_latex_name(name)} = \\begin{{cases}}\n" + " \\\\\n".join(rows)
                      + "\n\\end{cases}")
    where = [f"g_{{{k}}} &= {R.latex(b)}" for k, b in enumerate(sp.breaks)]
    if not document:
        out = "\n\n".join(blocks)
        if where:
            out += ("\n\n\\text{where}\\quad\\begin{aligned}\n" + " \\\\\n".join(where)
                    + "\n\\end{aligned}")
        return out
    body = []
    for j, name in enumerate(sp.outputs):
        rows = [f"{_latex_name(name) if i == 0 else ''} &= {R.latex(p.values[j])} && "
                f"\\text{{if }} {_latex_cond(p)}" for i, p in enumerate(sp.pieces)]
        body.append("\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}")
    return latex_document(
        "\n".join(body),
        preamble_note=f"{len(sp.pieces)} pieces, {len(sp.breaks)} breaks, max degree "
                      f"{sp.max_degree()}" + ("" if sp.complete else ", INCOMPLETE"),
        where=where)


def latex_document(body: str, *, preamble_note: str = "", where=()) -> str:
    """Wrap display math in a complete, compilable LaTeX document (amsmath only)."""
    parts = [r"\documentclass[10pt]{article}", r"\setlength{\textwidth}{17cm}",
             r"\setlength{\oddsidemargin}{-0.5cm}", r"\usepackage{amsmath}",
             r"\allowdisplaybreaks", r"\begin{document}",
             r"\noindent Generated by splinesym" + (f" ({preamble_note})" if preamble_note
                                                   else "") + ".", "", body]
    if where:
        parts += ["", r"\noindent where", r"\begin{align*}", " \\\\\n".join(where),
                  r"\end{align*}"]
    parts.append(r"\end{document}")
    return "\n".join(parts) + "\n"


def _latex_name(name: str) -> str:
    from .poly import _latex_name as ln

    return ln(name)


# ----------------------------------------------------------------------------------------------
# Jupyter (HTML)
def _esc(text) -> str:
    import html

    return html.escape(str(text))


def _table(rows, head=None) -> str:
    out = ["<table>"]
    if head:
        out.append("<tr>" + "".join(f"<th style='text-align:left'>{_esc(h)}</th>"
                                    for h in head) + "</tr>")
    for r in rows:
        out.append("<tr>" + "".join(f"<td style='text-align:left'>{_esc(c)}</td>"
                                    for c in r) + "</tr>")
    out.append("</table>")
    return "".join(out)


def _clip(text: str, n: int = 160) -> str:
    return text if len(text) <= n else text[:n] + f" … ({len(text)} characters)"


def spline_html(sp: Spline, max_pieces: int | None = None) -> str:
    """A summary table, then the breaks and the pieces inside ``<details>`` (collapsed).

    At most ``max_pieces`` pieces (default ``SHOW["pieces"]``) are listed; the rest are counted
    and ``print(spline_text(sp))`` or ``splinesym.display.SHOW["pieces"] = None`` shows all."""
    R = sp.ring
    n = SHOW["pieces"] if max_pieces is None else max_pieces
    counts = ", ".join(f"{v} {k}" for k, v in sorted(sp.counts().items()))
    summary = [("variables", ", ".join(sp.variables)), ("outputs", ", ".join(sp.outputs)),
               ("pieces", f"{len(sp.pieces)} ({counts})"), ("breaks", len(sp.breaks)),
               ("max degree", sp.max_degree()),
               ("complete", "yes" if sp.complete else "NO (see notes)")]
    if sp.stats.get("seconds") is not None:
        summary.append(("time", f"{sp.stats['seconds']} s"))
    out = ["<div><b>Spline</b>", _table(summary)]
    brows = [(f"g{k}", _clip(R.format(b)), "; ".join(sp.break_labels[k])
              if k < len(sp.break_labels) else "") for k, b in enumerate(sp.breaks)]
    out.append(f"<details><summary>breaks ({len(sp.breaks)})</summary>"
               + _table(brows, ("name", "polynomial", "from")) + "</details>")
    shown = sp.pieces if n is None else sp.pieces[:n]
    prow = []
    for i, p in enumerate(shown):
        cond = ", ".join(f"g{k} {'>' if s > 0 else '<'} 0" for k, s in p.region) or "everywhere"
        vals = "; ".join(f"{o} = {_clip(R.format(v))}" for o, v in zip(sp.outputs, p.values))
        prow.append((i, cond, p.status, sp.piece_degree(p), vals))
    more = (f"<p>… and {len(sp.pieces) - len(shown)} more pieces: "
            "<code>print(splinesym.display.spline_text(sp))</code> or "
            "<code>sp._repr_html_(all=True)</code> shows all</p>"
            if len(shown) < len(sp.pieces) else "")
    out.append(f"<details><summary>pieces ({len(sp.pieces)})</summary>"
               + _table(prow, ("cell", "conditions", "label", "degree", "values")) + more
               + "</details>")
    if sp.notes:
        out.append("<details><summary>notes</summary><ul>"
                   + "".join(f"<li>{_esc(x)}</li>" for x in sp.notes) + "</ul></details>")
    out.append("</div>")
    return "".join(out)


def spline_to_sympy(sp: Spline, output: int | None = None):
    """sympy ``Piecewise`` (one per output; a list when there are several and ``output`` is
    None). The conditions are the pieces' strict sign conditions, so they are mutually
    exclusive; on the breaks themselves (a set of measure zero) no branch applies and sympy
    returns ``nan``, while the spline takes its continuous value there."""
    import sympy

    R = sp.ring
    conds = []
    for p in sp.pieces:
        parts = [sympy.StrictGreaterThan(R.to_sympy(sp.breaks[k]), 0) if s > 0 else
                 sympy.StrictLessThan(R.to_sympy(sp.breaks[k]), 0) for k, s in p.region]
        conds.append(sympy.And(*parts) if parts else sympy.true)
    outs = range(len(sp.outputs)) if output is None else [output]
    res = [sympy.Piecewise(*[(R.to_sympy(p.values[j]), c) for p, c in zip(sp.pieces, conds)],
                           evaluate=False) for j in outs]
    return res[0] if len(res) == 1 else res


def maxmin_shared_text(mm, title: str | None = None, min_length: int = 24) -> str:
    """Like :func:`~splinesym.io.maxmin_io.maxmin_text`, with every polynomial that occurs more
    than once (and is longer than ``min_length`` characters) named ``p1, p2, …`` once, and one
    term per line."""
    from collections import Counter

    R = mm.ring
    count = Counter(R.format(p) for ts in mm.terms for t in ts for p in t)
    names: dict[str, str] = {}
    for text, c in count.items():
        if c > 1 and len(text) > min_length:
            names[text] = f"p{len(names) + 1}"
    lines = [title] if title else []
    lines.append(f"variables: {', '.join(R.names)}")
    for name, ts in zip(mm.outputs, mm.terms):
        terms = []
        for t in ts:
            entries = [names.get(R.format(p), R.format(p)) for p in t]
            terms.append(f"min({', '.join(entries)})" if len(entries) > 1 else entries[0])
        if len(terms) == 1:
            lines.append(f"{name} = {terms[0]}")
        else:
            lines.append(f"{name} = max(")
            lines += [f"    {t}," for t in terms[:-1]] + [f"    {terms[-1]} )"]
    if names:
        lines.append("where")
        lines += [f"  {v} = {k}" for k, v in names.items()]
    return "\n".join(lines)


def maxmin_html(mm, max_terms: int | None = None) -> str:
    """Sizes, then every output's terms in ``<details>`` (shared polynomials named)."""
    n = SHOW["terms"] if max_terms is None else max_terms
    size = mm.size()
    rows = [(o, d["terms"], d["entries"], d["max_degree"])
            for o, d in zip(mm.outputs, size["outputs"])]
    text = maxmin_shared_text(mm)
    lines = text.splitlines()
    shown = "\n".join(lines[:n * 4]) + (f"\n… ({len(lines) - n * 4} more lines: "
                                        "print(splinesym.display.maxmin_shared_text(mm)))"
                                        if len(lines) > n * 4 else "")
    return ("<div><b>max–min</b> " + _esc(mm.method or "") +
            _table(rows, ("output", "terms", "entries", "degree")) +
            f"<details><summary>the form</summary><pre>{_esc(shown)}</pre></details></div>")


def certification_html(cert, max_walls: int | None = None) -> str:
    """The verdict, a summary table and the walls (collapsed)."""
    n = SHOW["walls"] if max_walls is None else max_walls
    d = cert.to_dict()
    rows = [("verdict", str(cert.verdict)), ("subject", cert.source),
            ("degree", d.get("degree")), ("continuity", d.get("continuity")),
            ("walls", len(d.get("walls", []))), ("seconds", round(cert.seconds, 3))]
    walls = d.get("walls", [])
    wrows = [(w.get("break", ""), w.get("pieces", ""), w.get("order", w.get("continuity", "")))
             for w in walls[:n]]
    more = (f"<p>… {len(walls) - n} more: <code>print(cert.text())</code></p>"
            if len(walls) > n else "")
    notes = "".join(f"<li>{_esc(x)}</li>" for x in cert.notes)
    return ("<div><b>Certification</b>" + _table(rows) +
            "<details><summary>walls</summary>" + _table(wrows, ("break", "pieces", "order"))
            + more + "</details>" + (f"<details><summary>notes</summary><ul>{notes}</ul>"
                                     "</details>" if notes else "") + "</div>")


def model_html(model, notes=()) -> str:
    """Shape, blocks (attention heads, FFN widths, residuals) and notes."""
    rows = [("tokens x dim", f"{model.tokens} x {model.dim}"),
            ("variables", len(model.variables())), ("outputs", len(model.output_names()))]
    brows = []
    for part, blocks in (("encoder", model.encoder), ("decoder", model.decoder)):
        for i, b in enumerate(blocks, start=1):
            what = []
            if b.self_attention is not None:
                a = b.self_attention
                what.append(f"{a.activation} self-attention, {len(a.heads)} head(s)"
                            + (", causal" if a.mask == "causal" else ""))
            if b.cross_attention is not None:
                what.append(f"cross-attention, {len(b.cross_attention.heads)} head(s)")
            if b.ffn is not None:
                what.append(f"FFN, {len(b.ffn.W1[0])} hidden units")
            r = b.residual
            brows.append((f"{part} {i}", "; ".join(what),
                          f"attention {r.attention}, cross {r.cross}, ffn {r.ffn}"))
    notes = [*notes, *(f"LAYER NORMALISATION DROPPED: {x}" for x in model.dropped_layernorm)]
    return ("<div><b>Model</b>" + _table(rows) + _table(brows, ("block", "layers", "residual"))
            + ("<ul>" + "".join(f"<li>{_esc(x)}</li>" for x in notes) + "</ul>" if notes else "")
            + "</div>")
