"""Progress of long computations: a tiny observer mechanism and a tqdm display on stderr.

The engine calls :func:`report` at a few places (a cell decided, a ReLU stage started, a cell of
the current stage taken from the queue). Nothing happens unless an observer is installed with
:func:`observing`; the cost of a hook is then one global lookup.

The CLI installs :class:`TqdmProgress` when stderr is a terminal (``--quiet`` turns it off); from
Python pass ``progress=True`` to the top-level verbs (``splinesym.expand`` ...) or install any
callable yourself.

Examples
--------
>>> seen = []
>>> with observing(lambda state: seen.append(dict(state))):
...     report(stage="layer 1 head 0")
...     report(decided="witness")
>>> seen[-1]["stage"], seen[-1]["decided"]
('layer 1 head 0', 1)
>>> report(stage="ignored")   # no observer: nothing happens
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["report", "observing", "stage", "TqdmProgress", "active", "progress_context"]

#: installed observers; each gets the whole current state dict after every report
_OBSERVERS: list[Callable[[dict], None]] = []
_STATE: dict = {}


def active() -> bool:
    """True when some observer is installed (hooks may skip work otherwise)."""
    return bool(_OBSERVERS)


def report(*, stage: str | None = None, decided: str | None = None, queued: int | None = None,
           budget=None, **extra) -> None:
    """Update the shared progress state and notify the observers.

    ``decided`` is the label of one more decided cell (``witness``, ``empty-…``, ``undecided``);
    ``queued`` the number of cells of the current stage still to refine; ``budget`` a
    :class:`~splinesym.cells.Budget` (its remaining time is shown).
    """
    if not _OBSERVERS:
        return
    st = _STATE
    if stage is not None and stage != st.get("stage"):
        st["stage"] = stage
        st["stages"] = st.get("stages", 0) + 1
    if decided is not None:
        key = "undecided" if decided == "undecided" else "decided"
        st[key] = st.get(key, 0) + 1
    if queued is not None:
        st["queued"] = queued
    if budget is not None:
        st["budget"] = budget
    st.update(extra)
    for obs in list(_OBSERVERS):
        obs(st)


@contextmanager
def observing(observer: Callable[[dict], None]) -> Iterator[Callable[[dict], None]]:
    """Install ``observer`` for the duration of the block (the state starts empty)."""
    _OBSERVERS.append(observer)
    if len(_OBSERVERS) == 1:
        _STATE.clear()
    try:
        yield observer
    finally:
        _OBSERVERS.remove(observer)
        close = getattr(observer, "close", None)
        if close is not None:
            close()


class TqdmProgress:
    """A one-line tqdm display on stderr: stage, cells decided / undecided / queued, time left.

    Refreshed at most ``every`` seconds; the bar counts decided cells.
    """

    def __init__(self, desc: str = "splinesym", every: float = 0.2, file=None,
                 ncols: int | None = None):
        import shutil

        from tqdm.auto import tqdm

        width = ncols or shutil.get_terminal_size((120, 24)).columns or 120  # a pty may say 0
        self.bar = tqdm(desc=desc, unit=" cells", file=file or sys.stderr, leave=False,
                        ncols=width, mininterval=every,
                        bar_format="{desc} [{elapsed}]{postfix}")
        self.every = every
        self._last = 0.0
        self._n = 0

    def __call__(self, state: dict) -> None:
        now = time.monotonic()
        n = state.get("decided", 0) + state.get("undecided", 0)
        if n > self._n:
            self.bar.update(n - self._n)
            self._n = n
        if now - self._last < self.every:
            return
        self._last = now
        budget = state.get("budget")
        left = budget.remaining() if budget is not None else None
        self.bar.set_postfix_str(
            f"cells: {state.get('decided', 0)} decided, {state.get('undecided', 0)} undecided, "
            f"{state.get('queued', 0)} queued"
            + (f"; {left:.0f} s left" if left is not None and left != float("inf") else "")
            + f" | {state.get('stage', '')}", refresh=False)

    def close(self) -> None:
        self.bar.close()


@contextmanager
def progress_context(progress) -> Iterator[None]:
    """``progress`` = False/None (nothing), True (tqdm on stderr) or a callable observer."""
    if not progress:
        yield
        return
    obs = TqdmProgress() if progress is True else progress
    with observing(obs):
        yield


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Report that a named stage starts (``with progress.stage("walls"): ...``)."""
    report(stage=name)
    yield
