"""The trusted certificate kernel of splinesym: re-verifies ``splinesym.certificate/1`` files.

Run it as ``splinesym check FILE``, ``python -m splinesym.kernel FILE`` or, without the package
installed, ``python -S -I splinesym/kernel FILE`` (options ``--strict``, ``--format json``,
``--quiet``; exit 0: the statement holds, 1: it does not, 2: unreadable).

**What it trusts.** Python's integers and :class:`fractions.Fraction`, and nothing else: it
imports only the standard library (``fractions``, ``json``, ``re``, ``sys``, ``argparse``) and
nothing from splinesym outside this folder. No floats, no solver, no sympy or flint.

**Size.** About 2,800 lines in 19 files, docstrings included (about 2,050 lines of code); no
function is longer than about 40 lines.

**Passes.** ``schema.py``/``subject.py``/``model.py`` validate every field first (exit 2 with
the field's path); ``rules/`` re-verify each claim; ``statement.py`` checks that the claims
that hold cover the certificate's ``statement``. ``grammar.py`` is THE polynomial grammar of
splinesym (the library parses with it too); ``poly.py`` and ``univariate.py`` are the only
arithmetic.

**Rules and the lemmas they rest on** (each function's docstring states its lemma):

=====================  ================================================================
``witness``            a point satisfying every strict condition lies in the region
``farkas``             ``l >= 0``, not all 0, ``sum l s g`` constant ``<= 0``: empty
``farkas-on-wall``     the same plus ``mu g_k`` (zero on the wall): no point on the wall
``psatz``              a sum of terms ``>= 0`` vanishing identically, one nonzero: empty
``degree``             exact degrees, recomputed; the claimed maximum must match
``structural-bound``   attention ``q + 2k``, FFN keeps the degree, residual = maximum
``quotient``           ``P_a - P_b = g^(r+1) Q`` exactly: ``C^r`` across ``g = 0``
``wall-point``         ``g(w) = 0``, ``grad g(w) != 0``, other conditions strict at ``w``
``wall-segment``       sign change + derivative bounded away from 0: one simple root
``exact-order``        some quotient of the minimal order is nonzero at the wall point
``coverage``           candidate pairs (one opposite sign) all accounted for, as a SET
``coprime``            constant gcd on a degree-preserving line: no common factor
``disjoint-interval``  one variable: affine conditions give disjoint intervals
``expand``             equal polynomials have a zero difference
``model-names``        spline variables/outputs are the model's, in row-major order
``model-local``        ReLU branches fixed near the point: model = piece there
``model-point``        exact values agree at a point (a test, not a proof)
``maxmin-coverage``    pieces = the spline's pieces (a SET), same regions and values
``maxmin-tree``        a split on ``f != 0`` loses only the nowhere-dense ``{f = 0}``
``maxmin-leaf``        min of the top term = v, every other term has an entry ``<= v``
``sign-zero``          ``q = 0``
``sign-sum``           parts with ``rel * part >= 0`` add up to ``q``
``sign-product``       ``q = c prod f^m``; sign ``sign(c) prod`` over odd powers
``sign-cond``          the factor is a condition of the region
``parity``             an ``even`` factor must have an even power
``sos``                ``scale (c0 + sum w e^2)`` with ``c0, w >= 0``
``sturm``              Sturm's theorem: no root in the region's interval
``recorded-values``    recorded values equal the recomputed exact ones
``statement``          the claims that hold cover every clause of the statement
=====================  ================================================================
"""

from .base import CHECKED, FAILED, RECORDED, TESTED, TRUSTED, UNVERIFIED, Fail, Malformed
from .verify import FORMAT, Report, check_certificate

__all__ = ["check_certificate", "Report", "Malformed", "Fail", "FORMAT", "CHECKED", "TRUSTED",
           "TESTED", "UNVERIFIED", "RECORDED", "FAILED"]
