"""Deciding which sign conditions are realised: the feasibility tiers and the enumeration.

Tiers, cheapest first (DESIGN.md §4): exact check of known points, vectorised sampling, exact LP for
affine conditions (witness or Farkas certificate), the Veronese lift as an exact emptiness filter,
product (Positivstellensatz-style) certificates, margin optimisation, exact sums of squares
for quadratics, z3's nonlinear real arithmetic, and
finally ``undecided``. Every :class:`Decision` says which tier decided it and carries its evidence.
"""

from .budget import Budget
from .decide import Decider
from .decision import (
    EMPTY_FARKAS,
    EMPTY_PSATZ,
    EMPTY_SOLVER,
    EMPTY_SOS,
    UNDECIDED,
    WITNESS,
    Decision,
    check_farkas,
    check_witness,
)
from .enumerate import Enumeration, enumerate_cells, enumerate_regions
from .zaslavsky import zaslavsky_count

__all__ = [
    "Budget",
    "Decider",
    "Decision",
    "WITNESS",
    "EMPTY_FARKAS",
    "EMPTY_PSATZ",
    "EMPTY_SOLVER",
    "EMPTY_SOS",
    "UNDECIDED",
    "check_farkas",
    "check_witness",
    "Enumeration",
    "enumerate_cells",
    "enumerate_regions",
    "zaslavsky_count",
]
