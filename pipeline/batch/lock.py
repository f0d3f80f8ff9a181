"""One run at a time per output folder: a lock file that holds the PID of the run.

The lock is an `fcntl.flock` on `OUTPUT_DIR/.newsfacts/lock`, so the kernel releases it when
the process ends in any way, SIGKILL included. The file keeps the PID for the message a second
run prints; a PID left in the file by a run that is gone is a stale lock and is taken over.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType

LOCK_NAME = "lock"


class LockedError(Exception):
    """Another run holds the output folder."""


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class OutputLock:
    """`with OutputLock(state_dir):` holds the output folder for one run."""

    def __init__(self, state_dir: Path) -> None:
        self.path = Path(state_dir) / LOCK_NAME
        self.stale_pid: int | None = None
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock, or raise `LockedError` naming the PID of the run that holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_pid(fd)
            os.close(fd)
            who = f"PID {holder}" if holder else "another process"
            raise LockedError(
                f"another newsfacts run ({who}) is writing into this output folder "
                f"(lock file {self.path}); wait for it to finish or stop it"
            ) from None
        previous = _read_pid(fd)
        if previous and previous != os.getpid() and not pid_alive(previous):
            self.stale_pid = previous
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        """Clear the PID and let go of the lock."""
        if self._fd is None:
            return
        os.ftruncate(self._fd, 0)
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> OutputLock:
        self.acquire()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


def _read_pid(fd: int) -> int | None:
    text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    return int(text) if text.isdigit() else None
