"""A time limit around one document's stages, in any process and any thread.

In the main thread of a process the limit is a SIGALRM timer (`signal.setitimer`); in other
threads (Dask runs tasks in worker threads, where signals cannot be caught) a timer thread
raises the same exception in the worker thread. Either way the exception arrives between two
Python bytecodes, so C code that never returns to the interpreter cannot be interrupted.
An alarm that fires after the document finished is ignored: it never leaks into the caller.
"""

from __future__ import annotations

import ctypes
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

DEFAULT_TIMEOUT = 30.0


class TimeLimitExceeded(BaseException):
    """Raised inside a document's stages when its time is up.

    A BaseException, so that a stage's own `except Exception` cannot swallow it.
    """


class _Alarm:
    """The state one `time_limit` shares with its signal handler or timer thread."""

    def __init__(self) -> None:
        self.active = True
        self.fired = False
        self.lock = threading.Lock()


@contextmanager
def _signal_limit(seconds: float) -> Iterator[None]:
    alarm = _Alarm()

    def on_alarm(signum: int, frame: object) -> None:
        if alarm.active:
            alarm.fired = True
            raise TimeLimitExceeded

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        try:
            alarm.active = False
            signal.setitimer(signal.ITIMER_REAL, 0)
        finally:
            signal.signal(signal.SIGALRM, previous)


def _set_async_exc(thread_id: int, exc: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc else None
    )


@contextmanager
def _thread_limit(seconds: float) -> Iterator[None]:
    alarm = _Alarm()
    target = threading.get_ident()

    def on_alarm() -> None:
        with alarm.lock:
            if alarm.active:
                alarm.fired = True
                _set_async_exc(target, TimeLimitExceeded)

    timer = threading.Timer(seconds, on_alarm)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with alarm.lock:
            alarm.active = False
            if alarm.fired:
                _set_async_exc(target, None)  # drop it if it has not been raised yet
        timer.cancel()


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise `TimeLimitExceeded` in the body when it runs longer than `seconds` (None: no limit)."""
    if not seconds or seconds <= 0:
        yield
    elif threading.current_thread() is threading.main_thread():
        with _signal_limit(seconds):
            yield
    else:
        with _thread_limit(seconds):
            yield
