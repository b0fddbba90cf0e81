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

__all__ = ["spline_text", "spline_latex", "format_point"]


def format_point(pt) -> str:
    if pt is None:
        return "none"
    return "(" + ", ".join(str(Fraction(v)) for v in pt) + ")"


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
            lines.append(f"  {name} = {R.format(v)}")
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


def spline_latex(sp: Spline) -> str:
    """A ``cases`` environment per output, one line per piece."""
    R = sp.ring
    blocks = []
    for j, name in enumerate(sp.outputs):
        rows = []
        for p in sp.pieces:
            cond = (", ".join(f"{R.latex(sp.breaks[k])} {'>' if s > 0 else '<'} 0"
                              for k, s in p.region) or r"\text{everywhere}")
            rows.append(f"  {R.latex(p.values[j])} & \\text{{if }} {cond}")
        blocks.append(f"{_latex_name(name)} = \\begin{{cases}}\n" + " \\\\\n".join(rows)
                      + "\n\\end{cases}")
    return "\n\n".join(blocks)


def _latex_name(name: str) -> str:
    from .poly import _latex_name as ln

    return ln(name)
