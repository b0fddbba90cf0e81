"""What is known about max–min (Pierce–Birkhoff) representations, with sources.

Used in every message that reports that no max–min form was found, so that the message says
whether one exists.

* one variable: always (the univariate construction of :mod:`splinesym.lattice.univariate`);
* two variables: always (Mahé 1984; Efroymson independently);
* hyperplane (polyhedral) partitions, any number of variables and any degree: always (Lai & Lim
  2025, arXiv 2507.07976; :mod:`splinesym.lattice.hyperplane` builds one with a certificate);
* semialgebraic partitions in general: claimed FALSE — Lai, Lim & Ren give explicit
  counterexamples in 5, 6, 7, 8, 30 and 72 variables with Lean formalisations (public repository
  ``7pocheR/Pierce-Birkhoff``; human review reported pending), among them an 8-variable one whose
  partition is quadric and whose pieces are quadratic; they make no claim for 3 or 4 variables,
  where the question remains open.

Examples
--------
>>> known_theory(nvars=2, polyhedral=False).startswith("a max-min representation exists")
True
>>> "claimed false" in known_theory(nvars=8, polyhedral=False)
True
"""

from __future__ import annotations

__all__ = ["known_theory", "COUNTEREXAMPLES", "LAI_LIM", "MAHE"]

MAHE = "Mahe 1984 (Efroymson independently)"
LAI_LIM = "Lai & Lim 2025, 'Pierce-Birkhoff conjecture is true for splines', arXiv 2507.07976"
COUNTEREXAMPLES = ("Lai, Lim & Ren: explicit counterexamples in 5, 6, 7, 8, 30 and 72 variables "
                   "with Lean formalisations, public repository 7pocheR/Pierce-Birkhoff (human "
                   "review reported pending)")


def known_theory(sp=None, *, nvars: int | None = None, polyhedral: bool | None = None) -> str:
    """One sentence: does a max–min form exist for a spline of this kind (with sources)?"""
    if sp is not None:
        nvars = sp.nvars
        polyhedral = all(b.total_degree() <= 1 for b in sp.breaks)
    if nvars is not None and nvars <= 2:
        how = "the univariate construction" if nvars == 1 else MAHE
        return (f"a max-min representation exists for every spline in {nvars} variable"
                f"{'s' if nvars != 1 else ''} ({how}), so this failure is the construction's, "
                "not the spline's")
    if polyhedral:
        return (f"a max-min representation exists for every spline on a hyperplane partition "
                f"({LAI_LIM}; --method hyperplane builds one)")
    tail = ("in 3 or 4 variables the question is open" if nvars is not None and nvars <= 4
            else f"this table has {nvars} variables, where representations need not exist")
    return ("the partition is not polyhedral, and for semialgebraic partitions the "
            f"Pierce-Birkhoff conjecture is claimed false in general ({COUNTEREXAMPLES}); "
            f"{tail}; no representation is claimed here")
