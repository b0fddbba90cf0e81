"""Pictures (matplotlib): the cells of a 2-D slice, and the restriction to a line.

* :func:`plot_cells` colours the cells of a 2-D slice of a spline by sign pattern; the break
  curves are the zero sets of the break polynomials restricted to the slice (drawn as contours of
  the exact polynomials), witnesses lying in the slice are marked, and the legend gives each cell's
  degree and label.
* :func:`plot_along` plots ``t -> f(p + t·d)``: the pieces' polynomials (thin), the spline (thick),
  the knots (where the line crosses a break: the C^0 kinks of ReLU attention are visible) and,
  for a model, its exact forward pass at sample points on top.

Both return the matplotlib ``Figure`` and save it when ``out`` is given.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> from splinesym.spline import Spline
>>> sp = Spline.from_pieces(["x", "y"], ["f"], ["x", "y"],
...     [([(0, 1), (1, 1)], ["x*y"]), ([(0, 1), (1, -1)], ["x"]),
...      ([(0, -1), (1, 1)], ["y"]), ([(0, -1), (1, -1)], ["0"])])
>>> fig = plot_cells(sp, x="x", y="y", xlim=(-1, 1), ylim=(-1, 1), resolution=50)
>>> len(fig.axes[0].collections) > 0
True
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

__all__ = ["plot_cells", "plot_along", "slice_pieces"]


_FIGURE_CLASS = None


def _figure_class():
    """A matplotlib ``Figure`` that Jupyter shows as a PNG whatever the backend (no pyplot, so
    scripts open no window and keep no global figure)."""
    global _FIGURE_CLASS
    if _FIGURE_CLASS is None:
        from io import BytesIO

        from matplotlib.figure import Figure

        class SplinesymFigure(Figure):
            def _repr_png_(self):
                buf = BytesIO()
                self.savefig(buf, format="png", bbox_inches="tight")
                return buf.getvalue()

        _FIGURE_CLASS = SplinesymFigure
    return _FIGURE_CLASS


def _figure(ax, size):
    if ax is not None:
        return ax.figure, ax
    fig = _figure_class()(figsize=size, dpi=100)
    return fig, fig.add_subplot(1, 1, 1)


def _save(fig, out):
    if out is not None:
        fig.savefig(out, bbox_inches="tight", dpi=fig.dpi)
    return fig


def slice_pieces(sp, x: str, y: str, fixed: dict | None = None):
    """The breaks and piece values restricted to the plane of ``x`` and ``y`` (other variables
    fixed to ``fixed``, default 0): ``(ring in x, y; breaks; values per piece)``, exact."""
    from .errors import InvalidInputError
    from .poly import PolyRing

    fixed = dict(fixed or {})
    for name in (x, y, *fixed):
        if name not in sp.variables:
            raise InvalidInputError(f"unknown variable {name!r} (variables: "
                                    f"{', '.join(sp.variables)})", "plot")
    R2 = PolyRing([x, y])
    gx, gy = R2.gens()
    args = []
    for n in sp.ring.names:
        args.append(gx if n == x else gy if n == y else
                    R2.const(Fraction(fixed.get(n, 0)) if not isinstance(fixed.get(n, 0), float)
                             else Fraction(fixed[n])))
    sub = (lambda p: p.compose(*args, ctx=R2.ctx)) if args else (lambda p: p)
    breaks = [sub(b) for b in sp.breaks]
    values = [[sub(v) for v in p.values] for p in sp.pieces]
    return R2, breaks, values


def _pattern_index(sp, signs):
    """Map each grid point's sign vector to the index of the first piece whose region holds
    there, on the breaks that do not vanish there (as :meth:`Spline.locate` does)."""
    import numpy as np

    idx = np.full(signs.shape[0], -1)
    for i, p in enumerate(sp.pieces):
        ok = np.ones(signs.shape[0], dtype=bool)
        for k, s in p.region:
            ok &= (signs[:, k] == s) | (signs[:, k] == 0)
        idx[ok & (idx < 0)] = i
    return idx


def plot_cells(sp, *, x: str | None = None, y: str | None = None, fixed: dict | None = None,
               xlim=(-3, 3), ylim=(-3, 3), resolution: int = 300, output: int | None = None,
               ax=None, out=None, title: str | None = None, max_legend: int = 12):
    """Draw the cells of the 2-D slice of ``sp`` in the variables ``x``, ``y``.

    Parameters
    ----------
    sp : Spline
    x, y : str, optional
        The plane's variables (default: the first two).
    fixed : dict, optional
        Values of the other variables (default 0; rationals, ints or floats taken exactly).
    xlim, ylim : pair of numbers
    resolution : int
        Grid points per axis for the colouring (the break curves are contours of the exact
        polynomials on the same grid).
    output : int, optional
        Which output's degree the legend reports per cell (default: the maximum over all).
    ax : matplotlib Axes, optional
    out : path, optional
        Save the figure there (PNG, PDF, SVG by the suffix).
    max_legend : int
        Most cells named in the legend (the rest are counted).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np
    from matplotlib import colormaps
    from matplotlib.colors import ListedColormap

    from .poly import FloatEvaluator, poly_degree_in

    if len(sp.variables) < 2:
        from .errors import InvalidInputError

        raise InvalidInputError("plot_cells needs two variables (a spline in one variable: use "
                                "plot_along)", "plot")
    x = x or sp.variables[0]
    y = y or sp.variables[1]
    if x == y:
        from .errors import InvalidInputError

        raise InvalidInputError(f"x and y are both {x!r}", "plot")
    R2, breaks, _values = slice_pieces(sp, x, y, fixed)
    xs = np.linspace(float(xlim[0]), float(xlim[1]), resolution)
    ys = np.linspace(float(ylim[0]), float(ylim[1]), resolution)
    XX, YY = np.meshgrid(xs, ys)
    pts = np.column_stack([XX.ravel(), YY.ravel()])
    G = FloatEvaluator(breaks, 2)(pts) if breaks else np.zeros((len(pts), 0))
    idx = _pattern_index(sp, np.sign(G).astype(int))
    fig, ax = _figure(ax, (6.4, 5.2))
    visible = [int(i) for i in np.unique(idx) if i >= 0]
    base = colormaps["tab20"]
    colours = [base(j % 20) for j in range(max(len(visible), 1))]
    pos = {i: j for j, i in enumerate(visible)}
    Z = np.array([pos.get(int(i), np.nan) for i in idx], dtype=float).reshape(XX.shape)
    ax.pcolormesh(XX, YY, np.ma.masked_invalid(Z), cmap=ListedColormap(colours),
                  vmin=-0.5, vmax=max(len(visible), 1) - 0.5, shading="auto", alpha=0.55)
    vanish = [k for k, b in enumerate(breaks) if b.is_zero()]
    for k in range(len(breaks)):
        if breaks[k].total_degree() > 0:
            ax.contour(XX, YY, G[:, k].reshape(XX.shape), levels=[0], colors="k",
                       linewidths=1.0)
    names = [n for n in sp.ring.names]
    fx, fy = names.index(x), names.index(y)
    fixed = {k: Fraction(v) for k, v in (fixed or {}).items()}
    wx, wy = [], []
    for i in visible:
        w = sp.pieces[i].witness
        if w is None:
            continue
        if all(Fraction(w[j]) == fixed.get(n, 0) for j, n in enumerate(names)
               if j not in (fx, fy) and j < len(w)):
            wx.append(float(w[fx]))
            wy.append(float(w[fy]))
    if wx:
        ax.plot(wx, wy, "k*", markersize=8, label="witness (exact, in this slice)")
    handles = []
    from matplotlib.patches import Patch

    nv = len(sp.variables)
    for j, i in enumerate(visible[:max_legend]):
        p = sp.pieces[i]
        vals = p.values if output is None else p.values[output:output + 1]
        d = max((poly_degree_in(v, list(range(nv))) for v in vals), default=-1)
        deg = f"degree {d}" if d >= 0 else "zero"
        handles.append(Patch(color=colours[j], alpha=0.55,
                             label=f"cell {i}: {deg} ({p.status})"))
    if len(visible) > max_legend:
        handles.append(Patch(color="white", label=f"... {len(visible) - max_legend} more cells"))
    if wx:
        handles.append(ax.lines[-1])
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8,
              title=f"{len(visible)} cells in view", title_fontsize=8)
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    ax.set_xlim(*map(float, xlim))
    ax.set_ylim(*map(float, ylim))
    others = ", ".join(f"{n} = {v}" for n, v in fixed.items()) or \
        ", ".join(f"{n} = 0" for n in sp.variables if n not in (x, y))
    ax.set_title(title or f"cells of the slice ({x}, {y})" + (f"; {others}" if others else "")
                 + (f"\nthe slice lies in the break(s) {', '.join(f'g{k}' for k in vanish)}: "
                    "the first piece whose other signs hold is shown" if vanish else ""),
                 fontsize=9)
    return _save(fig, out)


def plot_along(obj, point: Sequence, direction: Sequence, *, t=(-2, 2), output: int = 0,
               samples: int = 400, model_points: int = 41, ax=None, out=None,
               title: str | None = None):
    """Plot the restriction ``t -> f(point + t·direction)`` of a spline or a model's output.

    For a model the spline is expanded first, and the exact forward pass is drawn on top at
    ``model_points`` rational values of ``t`` (markers). Knots (where the line crosses a break
    inside the window) are marked by vertical lines.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np

    from .poly import FloatEvaluator, PolyRing
    from .spline import Spline

    model = None
    sp = obj
    if not isinstance(obj, Spline):
        from .api import as_model
        from .nn.expand import expand_model

        model = as_model(obj)
        sp = expand_model(model)
    p0 = [Fraction(v) for v in point]
    d0 = [Fraction(v) for v in direction]
    R1 = PolyRing(["t"])
    (tt,) = R1.gens()
    line = [R1.const(a) + R1.const(b) * tt for a, b in zip(p0, d0)]
    line += [R1.const(0)] * (sp.ring.nvars - len(line))

    def sub(p):
        return p.compose(*line, ctx=R1.ctx)

    ts = np.linspace(float(t[0]), float(t[1]), samples)
    fig, ax = _figure(ax, (7.0, 4.2))
    breaks = [sub(b) for b in sp.breaks]
    G = FloatEvaluator(breaks, 1)(ts.reshape(-1, 1)) if breaks else np.zeros((samples, 0))
    idx = _pattern_index(sp, np.sign(G).astype(int))
    used = sorted({int(i) for i in idx if i >= 0})
    y = np.full(samples, np.nan)
    for j, i in enumerate(used):
        f = sub(sp.pieces[i].values[output])
        fv = FloatEvaluator([f], 1)(ts.reshape(-1, 1))[:, 0]
        ax.plot(ts, fv, lw=0.7, ls=":", alpha=0.8, color=f"C{j % 10}",
                label=f"piece {i}: {R1.format(f)}"[:70])
        y[idx == i] = fv[idx == i]
    ax.plot(ts, y, "k-", lw=2.0, label="spline")
    knots = []
    for b in breaks:
        if b.total_degree() <= 0:
            continue
        for r in np.roots([float(c) for c in _dense(b)]):
            if abs(r.imag) < 1e-12 and t[0] <= r.real <= t[1]:
                knots.append(r.real)
    for j, r in enumerate(sorted(set(np.round(knots, 12)))):
        ax.axvline(r, color="grey", lw=0.8, ls="--", label="knots" if j == 0 else None)
    if model is not None:
        from .nn.forward import evaluate_model

        tq = [Fraction(t[0]) + (Fraction(t[1]) - Fraction(t[0])) * k / (model_points - 1)
              for k in range(model_points)]
        fv = [float(evaluate_model(model, [a + s * b for a, b in zip(p0, d0)])[output])
              for s in tq]
        ax.plot([float(s) for s in tq], fv, "o", ms=3.5, mfc="none", color="crimson",
                label="model, exact forward pass")
    lo, hi = np.nanmin(y), np.nanmax(y)
    pad = 0.15 * (hi - lo if hi > lo else 1.0)
    ax.set_ylim(lo - pad, hi + pad)
    ax.set_xlabel("t")
    ax.set_ylabel(sp.outputs[output])
    ax.legend(fontsize=7, loc="best")
    ax.set_title(title or f"{sp.outputs[output]} along p + t·d, p = "
                 f"({', '.join(map(str, p0))}), d = ({', '.join(map(str, d0))})", fontsize=9)
    return _save(fig, out)


def _dense(p):
    """Coefficients of a univariate flint polynomial, highest degree first, as floats."""
    deg = p.total_degree()
    c = [0.0] * (deg + 1)
    for e, v in zip(p.monoms(), p.coeffs()):
        c[deg - e[0]] += float(v.p) / float(v.q)
    return c
