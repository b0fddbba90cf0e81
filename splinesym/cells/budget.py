"""Time and cell budgets shared by one computation, and the process-wide deadline.

The deadline (set by the ``splinesym`` command from ``--time-limit``, or by
:func:`deadline` in the API) bounds *every* budget and every solver call: :meth:`Budget.remaining`
never exceeds :func:`time_left`, and loops with their own clocks clamp their limits with
:func:`clamp_time`.

>>> with deadline(100.0):
...     0 < time_left() <= 100.0, clamp_time(5.0), clamp_time(None) <= 100.0
(True, 5.0, True)
>>> time_left()
inf
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field

_DEADLINE: list = [None, None]   # [monotonic end, limit in seconds]


@contextmanager
def deadline(seconds: float | None, label: float | None = None):
    """A process-wide deadline ``seconds`` from now for the duration of a ``with`` block."""
    old = list(_DEADLINE)
    if seconds is not None:
        end = time.monotonic() + seconds
        if _DEADLINE[0] is None or end < _DEADLINE[0]:
            _DEADLINE[:] = [end, label if label is not None else seconds]
    try:
        yield
    finally:
        _DEADLINE[:] = old


def time_left() -> float:
    """Seconds until the process-wide deadline (``inf`` when there is none)."""
    if _DEADLINE[0] is None:
        return float("inf")
    return _DEADLINE[0] - time.monotonic()


def clamp_time(limit: float | None) -> float | None:
    """``limit`` cut down to what is left before the deadline (never negative)."""
    left = time_left()
    if limit is None:
        return None if left == float("inf") else max(0.0, left)
    return max(0.0, min(limit, left))


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
        own = (float("inf") if self.time_limit is None
               else self.time_limit - (time.monotonic() - self.start))
        return min(own, time_left())

    def expired(self) -> bool:
        if self._reason:
            return True
        if self.remaining() <= 0:
            lim = self.time_limit if time_left() > 0 else (_DEADLINE[1] or self.time_limit)
            self._reason = (f"time limit of {lim:g} s reached" if lim is not None
                            else "time limit reached")
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
