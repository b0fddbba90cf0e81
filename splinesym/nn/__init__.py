"""Transformers: the model format, one forward pass for numbers and for splines, expansion.

- :mod:`~splinesym.nn.model`: the ``splinesym.model/1`` data classes, validated on reading
  (shapes, residual widths, cross attention only in decoders, target shape with a decoder);
  :func:`~splinesym.nn.model.bind_weights` replaces weight symbols by numbers.
- :mod:`~splinesym.nn.forward`: the transformer semantics of docs/DESIGN.md §2, written once and run
  on any backend (exact rationals, floats, mpmath -- the oracle).
- :mod:`~splinesym.nn.expand`: the same forward pass on piecewise arrays (the spline);
  :func:`~splinesym.nn.expand.structural_degree` (the bound from the shape, docs/DESIGN.md §5),
  :func:`~splinesym.nn.expand.attained_degree`, :func:`~splinesym.nn.expand.piece_degrees`,
  :func:`~splinesym.nn.expand.verify_expansion` (expansion against the exact forward pass).
- :mod:`~splinesym.nn.zoo`: small random models of every kind, for tests and benchmarks.

>>> from splinesym.nn.zoo import random_model
>>> from splinesym.nn.model import model_from_dict
>>> from splinesym.nn.expand import expand_model, structural_degree
>>> m = model_from_dict(random_model("decoder_block", seed=1, tokens=2, dim=1, hidden=1))
>>> structural_degree(m)
{'joint': 5, 'x': 2, 'y': 3}
"""
