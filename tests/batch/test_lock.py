"""One run per output folder: the lock names the PID that holds it and outlives no process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.batch.lock import LockedError, OutputLock, pid_alive


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_lock_second_holder_is_refused_with_the_pid(tmp_path: Path) -> None:
    with OutputLock(tmp_path), pytest.raises(LockedError, match=f"PID {os.getpid()}"):
        OutputLock(tmp_path).acquire()
    with OutputLock(tmp_path) as again:
        assert again.stale_pid is None


def test_lock_stale_pid_is_taken_over(tmp_path: Path) -> None:
    pid = dead_pid()
    assert not pid_alive(pid)
    (tmp_path / "lock").write_text(f"{pid}\n")
    with OutputLock(tmp_path) as lock:
        assert lock.stale_pid == pid
        assert (tmp_path / "lock").read_text() == f"{os.getpid()}\n"
    assert (tmp_path / "lock").read_text() == ""


def test_lock_is_freed_when_its_process_is_killed(tmp_path: Path) -> None:
    code = (
        "import sys, time; from pipeline.batch.lock import OutputLock; "
        f"OutputLock({str(tmp_path)!r}).acquire(); print('locked', flush=True); time.sleep(60)"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=os.environ
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(LockedError, match=f"PID {holder.pid}"):
            OutputLock(tmp_path).acquire()
    finally:
        holder.kill()
        holder.wait()
    with OutputLock(tmp_path) as lock:
        assert lock.stale_pid == holder.pid
