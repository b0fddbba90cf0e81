"""Compatibility shim: the certificate checker is the kernel, :mod:`splinesym.kernel`.

``from splinesym.check import check_certificate`` and ``python splinesym/check.py FILE`` keep
working; both run the kernel (standard library only; it imports nothing else from splinesym).
New code should use :mod:`splinesym.kernel` (``python -m splinesym.kernel FILE``).
"""

from __future__ import annotations

import sys

if __package__:
    from .kernel import (
        CHECKED,
        FAILED,
        RECORDED,
        TESTED,
        TRUSTED,
        UNVERIFIED,
        Malformed,
        Report,
        check_certificate,
    )
    from .kernel.cli import main
else:  # ``python splinesym/check.py FILE``: load the kernel folder only
    import importlib.util
    import os

    _dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "kernel")
    _spec = importlib.util.spec_from_file_location(
        "_splinesym_kernel", os.path.join(_dir, "__init__.py"), submodule_search_locations=[_dir])
    _pkg = importlib.util.module_from_spec(_spec)
    sys.modules["_splinesym_kernel"] = _pkg
    _spec.loader.exec_module(_pkg)
    main = importlib.import_module("_splinesym_kernel.cli").main

__all__ = ["check_certificate", "main", "Report", "Malformed", "CHECKED", "TRUSTED", "TESTED",
           "UNVERIFIED", "RECORDED", "FAILED"]

class _CallableModule(type(sys)):
    """``splinesym.check(cert)``: the module called as a function checks a certificate (a file
    name, a parsed dict, or any object with a ``certificate()`` method)."""

    def __call__(self, cert) -> Report:
        if hasattr(cert, "certificate"):
            cert = cert.certificate()
        if not isinstance(cert, dict):
            from .kernel.cli import load

            cert = load(str(cert))
        return check_certificate(cert)


sys.modules[__name__].__class__ = _CallableModule

if __name__ == "__main__":
    sys.exit(main(prog="python splinesym/check.py"))
