"""Run independent tasks serially, on local processes (``jobs``) or on a Dask cluster.

Results come back in task order whatever the schedule, and every task derives its randomness
from its own index (:mod:`~splinesym.numeric.seeds`), so the three ways give identical results.
The task function must be a module-level function (it is pickled) and the tasks plain data.

Examples
--------
>>> run_tasks(abs, [-3, 1, -2])
[3, 1, 2]
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from ..errors import InvalidInputError

__all__ = ["run_tasks", "check_jobs", "dask_client", "TaskRunner"]


def check_jobs(jobs: int | None, option: str = "--jobs") -> int:
    """``jobs`` as a positive integer (``None``: 1); bad values are bad input."""
    if jobs is None:
        return 1
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise InvalidInputError(f"must be a positive integer, got {jobs!r}", option)
    return jobs


_CLIENTS: dict[str, Any] = {}


def dask_client(scheduler: Any):
    """A ``distributed.Client`` for an address (or the given client / cluster object).

    Clients are cached per address for the life of the process (connecting costs seconds and
    one computation submits several rounds of tasks); the second value is always False (the
    caller must not close a cached client).
    """
    try:
        from distributed import Client
    except ImportError:
        raise InvalidInputError("needs the optional dependency distributed: pip install "
                                "'splinesym[dask]'", "--scheduler") from None
    if isinstance(scheduler, Client):
        return scheduler, False
    address = getattr(scheduler, "scheduler_address", scheduler)
    cached = _CLIENTS.get(address)
    if cached is not None and cached.status == "running":
        return cached, False
    try:
        _CLIENTS[address] = Client(address, timeout=10, set_as_default=False)
        return _CLIENTS[address], False
    except (OSError, TimeoutError, ValueError) as exc:
        raise InvalidInputError(f"cannot connect to the Dask scheduler {address!r}: {exc}",
                                "--scheduler") from None


class TaskRunner:
    """A reusable runner: one process pool (or Dask client) for several rounds of tasks.

    >>> with TaskRunner(jobs=1) as r:
    ...     r.map(abs, [-1, 2])
    [1, 2]
    """

    def __init__(self, jobs: int = 1, scheduler: Any = None):
        self.jobs = jobs
        self.scheduler = scheduler
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> TaskRunner:
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def map(self, fn: Callable, tasks: Sequence) -> list:
        """``[fn(t) for t in tasks]`` in task order (see :func:`run_tasks`)."""
        tasks = list(tasks)
        if self.scheduler is not None or self.jobs <= 1 or len(tasks) <= 1:
            return run_tasks(fn, tasks, jobs=1 if self.scheduler is None else self.jobs,
                             scheduler=self.scheduler)
        if self._pool is None:
            methods = multiprocessing.get_all_start_methods()
            ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
            self._pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=ctx)
        chunk = max(1, len(tasks) // (4 * self.jobs))
        return list(self._pool.map(fn, tasks, chunksize=chunk))


def run_tasks(fn: Callable, tasks: Sequence, *, jobs: int = 1, scheduler: Any = None) -> list:
    """``[fn(t) for t in tasks]``, computed serially, on ``jobs`` processes, or on Dask.

    Parameters
    ----------
    fn : callable
        A picklable (module-level) function of one task.
    tasks : sequence
        Plain-data tasks.
    jobs : int
        Local worker processes (1: serial, in this process).
    scheduler : str or distributed object, optional
        Address of a Dask scheduler (``tcp://host:8786``), a ``LocalCluster`` or a ``Client``;
        takes precedence over ``jobs``.
    """
    tasks = list(tasks)
    if scheduler is not None:
        client, own = dask_client(scheduler)
        try:
            futures = client.map(fn, tasks, pure=False)
            return client.gather(futures)
        finally:
            if own:
                client.close()
    if jobs <= 1 or len(tasks) <= 1:
        return [fn(t) for t in tasks]
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    chunk = max(1, len(tasks) // (4 * jobs))
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as ex:
        return list(ex.map(fn, tasks, chunksize=chunk))
