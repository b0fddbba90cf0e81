"""Certificates: degree, smoothness across every wall, identity with the model.

* :func:`certify_spline`, :func:`certify_model` -> :class:`Certification` (text, JSON, certificate);
* :mod:`.degree`: exact degrees and the structural bound;
* :mod:`.smoothness`: walls and exact orders of continuity (quotient evidence);
* :mod:`.wallpoint`: exact (rational or isolated algebraic) points on walls;
* :mod:`.local`: the polynomial a model equals near one point;
* :mod:`.certificate`: the ``splinesym.certificate/1`` object, checked by :mod:`splinesym.check`.

Examples
--------
>>> from splinesym.spline import Spline
>>> sp = Spline.from_pieces(["x"], ["f"], ["x - 1"],
...     [([(0, 1)], ["(x - 1)**3"]), ([(0, -1)], ["0"])])
>>> certify_spline(sp).verdict
'a spline of degree 3, C^2 and not C^3 (minimum over every wall: 1 walls)'
"""

import sys as _sys

from .certificate import build_certificate, write_certificate
from .degree import DegreeReport, degree_report
from .local import LocalPolynomials, local_polynomials
from .report import Certification, certify_model, certify_spline
from .smoothness import INF, SmoothnessReport, Wall, order_across, smoothness_report
from .wallpoint import WallPoint, find_wall_point

__all__ = [
    "Certification",
    "certify_spline",
    "certify_model",
    "build_certificate",
    "write_certificate",
    "DegreeReport",
    "degree_report",
    "LocalPolynomials",
    "local_polynomials",
    "SmoothnessReport",
    "Wall",
    "order_across",
    "smoothness_report",
    "INF",
    "WallPoint",
    "find_wall_point",
]


class _CallableModule(type(_sys)):
    """``splinesym.certify(subject, ...)``: the package called as a function is the verb
    :func:`splinesym.api.certify` (a spline, a model or a file name)."""

    def __call__(self, subject, **kwargs):
        from ..api import certify

        return certify(subject, **kwargs)


_sys.modules[__name__].__class__ = _CallableModule
