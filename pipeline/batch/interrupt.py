"""Stopping a run on SIGINT or SIGTERM: the finished shards are kept, no worker outlives the run.

Within `interruptible()` the first SIGINT (Ctrl-C) or SIGTERM (what systemd, Kubernetes and
Airflow send) raises `Interrupted` in the main thread: the executor stops its workers, the
run lets go of its lock, and the command line prints one line and exits 130 or 143. A second
signal ends the process at once, so a second Ctrl-C never waits on anything.

Workers of the local pool start with both signals blocked (`blocked()` around their creation;
a child inherits the signal mask), then `init_worker` ignores SIGINT, so a Ctrl-C typed in a
terminal, which reaches the whole process group, is the parent's alone to handle, and asks the
kernel to kill the worker when its parent dies (`PR_SET_PDEATHSIG` on Linux): a run killed in
any way, SIGKILL included, leaves no worker behind.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

SIGNALS = (signal.SIGINT, signal.SIGTERM)
MESSAGE = "interrupted: run the same command again to resume"
# From <sys/prctl.h>: ask for a signal when the parent process ends.
PR_SET_PDEATHSIG = 1
# A -W option for the resource tracker's process (see quiet_resource_tracker).
TRACKER_WARNING = "ignore::UserWarning:multiprocessing.resource_tracker"


class Interrupted(KeyboardInterrupt):
    """The run was stopped by a signal; `exit_code` is 128 + the signal number."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


class _State:
    """What the handlers of one `interruptible()` share."""

    def __init__(self) -> None:
        self.received: int | None = None
        self.holding = 0
        self.held: int | None = None


_state: _State | None = None


def _handler(signum: int, frame: object) -> None:
    state = _state
    if state is None:  # only between putting the handlers back and forgetting the state
        raise Interrupted(signum)
    if state.received is not None:
        os.write(sys.stderr.fileno(), f"newsfacts: {MESSAGE} (stopped at once)\n".encode())
        os._exit(128 + signum)
    state.received = signum
    if state.holding:
        state.held = signum
        return
    raise Interrupted(signum)


@contextmanager
def interruptible() -> Iterator[None]:
    """SIGINT and SIGTERM raise `Interrupted` in the body; a second signal ends the process.

    Outside the main thread (where Python cannot handle signals) the body runs as it is.
    The previous handlers are put back afterwards.
    """
    global _state
    if threading.current_thread() is not threading.main_thread() or _state is not None:
        yield
        return
    previous = {signum: signal.getsignal(signum) for signum in SIGNALS}
    _state = _State()
    try:
        for signum in SIGNALS:
            signal.signal(signum, _handler)
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        _state = None


def ignore_signals() -> None:
    """Ignore SIGINT and SIGTERM from now on (a process that answered one and only exits)."""
    for signum in SIGNALS:
        signal.signal(signum, signal.SIG_IGN)


@contextmanager
def held() -> Iterator[None]:
    """A section a first signal does not break: it is raised when the section ends."""
    state = _state
    if state is None:
        yield
        return
    state.holding += 1
    try:
        yield
    finally:
        state.holding -= 1
        if not state.holding and state.held is not None:
            signum, state.held = state.held, None
            raise Interrupted(signum)


@contextmanager
def blocked() -> Iterator[None]:
    """SIGINT and SIGTERM wait (in this thread) until the body ends; child processes and
    threads started in the body begin with them blocked."""
    before = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def die_with_parent() -> None:
    """Ask the kernel to kill this process when its parent ends (Linux; elsewhere nothing)."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def quiet_resource_tracker() -> None:
    """Start multiprocessing's resource tracker (if it is not running) without its warning
    about the semaphores of a run stopped at once: it removes them all the same."""
    from multiprocessing import resource_tracker

    sys.warnoptions.append(TRACKER_WARNING)
    try:
        resource_tracker.ensure_running()
    finally:
        sys.warnoptions.remove(TRACKER_WARNING)


def init_worker(parent: int) -> None:
    """Initializer of a pool worker: Ctrl-C is the parent's, and the worker dies with it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent()
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)
