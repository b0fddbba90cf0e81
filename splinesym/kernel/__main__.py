"""``python -m splinesym.kernel FILE`` or, standalone, ``python -S -I splinesym/kernel FILE``."""

import sys

if __package__:
    from .cli import main
else:  # run as a directory: load this folder as a private package (nothing else is imported)
    import importlib.util
    import os

    _here = os.path.dirname(os.path.abspath(__file__))
    _spec = importlib.util.spec_from_file_location(
        "_splinesym_kernel", os.path.join(_here, "__init__.py"), submodule_search_locations=[_here])
    _pkg = importlib.util.module_from_spec(_spec)
    sys.modules["_splinesym_kernel"] = _pkg
    _spec.loader.exec_module(_pkg)
    main = importlib.import_module("_splinesym_kernel.cli").main

if __name__ == "__main__":
    sys.exit(main())
