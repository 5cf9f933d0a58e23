"""A wall-clock limit for pure-Python work (sympy can run for minutes on an innocent-looking input).

``time_limit(seconds)`` raises :class:`TimeLimit` inside the guarded block when the time is up. It uses
``SIGALRM`` and so works in the main thread of a process (the CLI, the test runner, pool workers); elsewhere
it does nothing and callers rely on their own per-rung timeouts. ``TimeLimit`` derives from
``BaseException`` so that broad ``except Exception`` handlers around sympy calls do not swallow it.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager

__all__ = ["TimeLimit", "time_limit"]


class TimeLimit(BaseException):
    """The guarded block ran out of time."""


@contextmanager
def time_limit(seconds: float):
    usable = (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
              and seconds > 0)
    if not usable or signal.getitimer(signal.ITIMER_REAL)[0] > 0:
        # no alarm available, or an outer limit is already running (it stays in charge)
        yield
        return

    def _raise(signum, frame):  # noqa: ARG001 - signal handler signature
        raise TimeLimit()

    old = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
