"""Pierce–Birkhoff in practice: splines as max–min of polynomials, and back to ReLU encoders.

- :mod:`.expr`: lattice-polynomial DAGs and their max–min normal form;
- :mod:`.from_model`: any ReLU model through the forward pass with a lattice backend;
- :mod:`.ovchinnikov`, :mod:`.univariate`, :mod:`.from_table`: constructions from a table of
  pieces; :mod:`.arrangement` and :mod:`.hyperplane`: the complete construction for every
  hyperplane (polyhedral) partition, with its exact certificate; :mod:`.theory`: what is known
  (with sources) when no construction applies; :mod:`.random_tables`: random spline tables on
  arrangements (tests, proofs, benchmarks);
- :mod:`.certify`: cell-by-cell certification and the claim verifier;
- :mod:`.compile`: a max–min compiled into a ``splinesym.model/1`` encoder.
"""

from .expr import (
           FlattenTooLargeError,
           HintBook,
           LExpr,
           MaxMin,
           flatten,
           leaf,
           maximum,
           minimum,
           relu,
)

__all__ = ["FlattenTooLargeError", "HintBook", "LExpr", "MaxMin", "flatten", "leaf", "maximum",
           "minimum", "relu"]
