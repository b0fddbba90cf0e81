"""The trusted certificate kernel of splinesym (standard library only).

Run it as ``splinesym check FILE``, ``python -m splinesym.kernel FILE`` or, without the package
installed, ``python -S -I splinesym/kernel FILE`` (options ``--strict``, ``--format json``).
It imports nothing from splinesym outside this folder; it trusts Python's integers and
:class:`fractions.Fraction` and nothing else.
"""

from .base import CHECKED, FAILED, RECORDED, TESTED, TRUSTED, UNVERIFIED, Fail, Malformed
from .verify import FORMAT, Report, check_certificate

__all__ = ["check_certificate", "Report", "Malformed", "Fail", "FORMAT", "CHECKED", "TRUSTED",
           "TESTED", "UNVERIFIED", "RECORDED", "FAILED"]
