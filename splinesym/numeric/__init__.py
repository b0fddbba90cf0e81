"""The numeric fast path (DESIGN.md §7): work on models too large to expand.

One module per job:

- :mod:`~splinesym.numeric.evaluate`: exact (flint ``fmpq``) and mpmath black-box evaluation
  through the single :func:`~splinesym.nn.forward.forward`, recording the sign of every ReLU
  pre-activation met on the way (the *activation pattern*, which names the cell of a point).
- :mod:`~splinesym.numeric.restrict`: the same forward pass over Q[t] on a line through a point,
  each ReLU decided at the point: the exact univariate restrictions of the outputs and breaks.
- :mod:`~splinesym.numeric.interpolate`: the segment of the line that stays in the cell (roots
  of the break restrictions isolated with arb, nodes re-verified exactly) and exact interpolation.
- :mod:`~splinesym.numeric.degree`: attained degrees per visited cell (``splinesym degree``).
- :mod:`~splinesym.numeric.identity`: Schwartz–Zippel identity tests with their error bound.
- :mod:`~splinesym.numeric.batch`: vectorised numpy forward pass over many points at once.
- :mod:`~splinesym.numeric.census`: the sampled cell census (``splinesym cells``).
- :mod:`~splinesym.numeric.incremental` and :mod:`~splinesym.numeric.state`: exact expansion
  cell by cell (depth first) that keeps what it finished and resumes from a state file.
- :mod:`~splinesym.numeric.parallel`: the same tasks serially, on processes or on Dask.
- :mod:`~splinesym.numeric.seeds`: per-task random generators derived from the task index.
"""
