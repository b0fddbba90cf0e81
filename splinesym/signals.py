"""Signals and the hard deadline, turned into exceptions the CLI maps to exit statuses.

SIGINT and SIGTERM raise :class:`~splinesym.errors.Interrupted`; the hard backstop of
``--time-limit`` raises :class:`~splinesym.errors.DeadlineExceeded`. z3 installs its own SIGINT
handler while it solves and then just returns ``unknown`` ("interrupted from keyboard"): every z3
call goes through :func:`z3_check`, which turns that answer back into the exception. To stop z3
for SIGTERM or the deadline too, a watcher thread (fed by :func:`signal.set_wakeup_fd` and a
timer) sends SIGINT to the process: z3 cancels its check at once, and the reason recorded here
decides which exception is raised.

Examples
--------
>>> with guarded(deadline=None):
...     pending_reason() is None
True
"""

from __future__ import annotations

import os
import signal
import threading
from contextlib import contextmanager

from .errors import DeadlineExceeded, Interrupted

__all__ = ["guarded", "z3_check", "raise_pending", "pending_reason"]

_state: dict = {"reason": None, "raised": False, "active": False}


def pending_reason():
    """``None``, ``("signal", signum)`` or ``("deadline", seconds)``."""
    return _state["reason"]


def _exception():
    reason = _state["reason"] or ("signal", signal.SIGINT)
    if reason[0] == "deadline":
        return DeadlineExceeded(f"time limit of {reason[1]:g} s passed")
    return Interrupted(int(reason[1]))


def raise_pending() -> None:
    """Raise the exception of a recorded signal or deadline (once)."""
    if _state["raised"]:
        return
    _state["raised"] = True
    raise _exception()


def _on_sigint(signum, frame):
    if _state["reason"] is None:
        _state["reason"] = ("signal", signum)
    raise_pending()


def _on_sigterm(signum, frame):
    if _state["reason"] is None or _state["reason"][0] != "deadline":
        _state["reason"] = ("signal", signum)
    raise_pending()


def _poke(reason) -> None:
    """Record ``reason`` and send SIGINT to ourselves (stops z3 inside a check)."""
    if _state["reason"] is None:
        _state["reason"] = reason
    if _state["active"] and not _state["raised"]:
        os.kill(os.getpid(), signal.SIGINT)


def _watch(rfd: int, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            data = os.read(rfd, 64)
        except OSError:
            return
        if not data:
            return
        if signal.SIGTERM in data and not stop.is_set():
            _poke(("signal", signal.SIGTERM))


@contextmanager
def guarded(deadline: float | None = None):
    """Install the handlers (main thread only) for the duration of a command.

    ``deadline``: seconds after which :class:`DeadlineExceeded` is raised, z3 included.
    """
    _state.update(reason=None, raised=False, active=False)
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old_int = signal.signal(signal.SIGINT, _on_sigint)
    old_term = signal.signal(signal.SIGTERM, _on_sigterm)
    rfd, wfd = os.pipe()
    os.set_blocking(wfd, False)
    try:
        old_fd = signal.set_wakeup_fd(wfd, warn_on_full_buffer=False)
    except ValueError:
        old_fd = None
    stop = threading.Event()
    watcher = threading.Thread(target=_watch, args=(rfd, stop), daemon=True)
    watcher.start()
    timer = None
    if deadline is not None:
        timer = threading.Timer(deadline, _poke, args=(("deadline", deadline),))
        timer.daemon = True
        timer.start()
    _state["active"] = True
    try:
        yield
    finally:
        _state["active"] = False
        if timer is not None:
            timer.cancel()
        stop.set()
        if old_fd is not None:
            signal.set_wakeup_fd(old_fd)
        os.close(wfd)
        os.close(rfd)
        signal.signal(signal.SIGINT, old_int)
        signal.signal(signal.SIGTERM, old_term)


def z3_check(solver):
    """``solver.check()``, with z3's swallowed Ctrl-C (and our SIGTERM/deadline) re-raised."""
    ans = solver.check()
    if str(ans) == "unknown":
        why = solver.reason_unknown()
        if "interrupted" in why or "canceled" in why:
            if _state["reason"] is not None or "keyboard" in why:
                if _state["reason"] is None:
                    _state["reason"] = ("signal", signal.SIGINT)
                raise_pending()
    return ans
