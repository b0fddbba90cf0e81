"""Time and cell budgets shared by one computation."""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass
class Budget:
    """Stops the work cleanly when time or the number of cells runs out.

    Parameters
    ----------
    time_limit : float or None
        Seconds of wall-clock time for the whole computation (``None``: unlimited).
    max_cells : int or None
        Most cells (sign patterns examined) for the whole computation (``None``: unlimited).
    solver_timeout : float
        Seconds z3 may spend on one cell (never more than what is left of ``time_limit``).

    Examples
    --------
    >>> b = Budget(time_limit=None, max_cells=2)
    >>> b.take_cell(), b.take_cell(), b.take_cell()
    (True, True, False)
    >>> b.exhausted_reason()
    'cell budget of 2 reached'
    """

    time_limit: float | None = None
    max_cells: int | None = None
    solver_timeout: float = 10.0
    start: float = field(default_factory=time.monotonic)
    cells_used: int = 0
    _reason: str | None = None

    def remaining(self) -> float:
        if self.time_limit is None:
            return float("inf")
        return self.time_limit - (time.monotonic() - self.start)

    def expired(self) -> bool:
        if self._reason:
            return True
        if self.remaining() <= 0:
            self._reason = f"time limit of {self.time_limit:g} s reached"
            return True
        return False

    def take_cell(self) -> bool:
        """Account for one more cell; False (and remember why) once the budget is used up."""
        if self.expired():
            return False
        if self.max_cells is not None and self.cells_used >= self.max_cells:
            self._reason = f"cell budget of {self.max_cells} reached"
            return False
        self.cells_used += 1
        return True

    def solver_seconds(self) -> float:
        return max(0.0, min(self.solver_timeout, self.remaining()))

    def exhausted_reason(self) -> str | None:
        return self._reason

    def elapsed(self) -> float:
        return time.monotonic() - self.start
