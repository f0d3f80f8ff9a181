"""Signals: a run stopped by SIGINT or SIGTERM keeps its finished shards, leaves no process
behind and no table touched, and the resumed run gives the bytes of an uninterrupted one."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from scale_pages import finished_shards, make_corpus, shard_folder, table_bytes

import pipeline
from pipeline.batch import interrupt
from pipeline.batch.run import run

REPO = Path(pipeline.__file__).resolve().parent.parent
SEED = 20261207
def session_processes(session: int) -> list[str]:
    """The live (not zombie) processes of a session, as "pid state command"."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ")[:100]
        except (OSError, ValueError):
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if entry.name.isdigit() and int(fields[3]) == session and fields[0] != "Z":
            found.append(f"{entry.name} {fields[0]} {command.decode(errors='replace')}")
    return found


def start_run(source: Path, out: Path) -> subprocess.Popen:
    """`newsfacts run` in a session of its own, as a service manager or a shell job starts it."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    command = [sys.executable, "-m", "pipeline", "run", str(source), str(out), "--workers", "2"]
    return subprocess.Popen(
        command, env=env, start_new_session=True, stderr=subprocess.PIPE, text=True
    )


def test_interrupt_signals_keep_shards_and_tables_and_leave_no_process(tmp_path: Path) -> None:
    pages = shard_folder(tmp_path / "in")
    run(pages, tmp_path / "reference", workers=1)
    reference = table_bytes(tmp_path / "reference")
    out = tmp_path / "out"
    run(make_corpus(tmp_path / "old", 6), out, workers=1)
    previous = table_bytes(out)
    rng = random.Random(SEED)
    # (signal, to the whole process group as a terminal's Ctrl-C does, how many, exit code,
    # after a new shard finished or while the workers start). SIGKILL of the run alone
    # leaves its workers to the kernel (PR_SET_PDEATHSIG). It comes first, while most shards
    # are still to do: nothing can hold off a SIGKILL, so one that lands while the finished
    # run puts its tables in place would leave some replaced.
    cases = [
        (signal.SIGKILL, False, 1, -signal.SIGKILL, True),
        (signal.SIGINT, True, 1, 130, True),
        (signal.SIGTERM, False, 1, 143, False),
        (signal.SIGINT, True, 2, 130, True),
    ]
    for signum, group, times, code, after_shard in cases:
        before = finished_shards(out)
        process = start_run(pages, out)
        while after_shard and finished_shards(out) == before:
            assert process.poll() is None, "the run ended before it could be interrupted"
            time.sleep(0.02)
        time.sleep(rng.uniform(0.0, 0.1) if after_shard else rng.uniform(0.5, 2.5))
        for _ in range(times):
            (os.killpg if group else os.kill)(process.pid, signum)
            time.sleep(0.02)
        _, err = process.communicate(timeout=60)
        case = f"{signal.Signals(signum).name} x{times}"
        assert process.returncode == code, (case, err)
        if signum != signal.SIGKILL:
            assert err.splitlines()[-1].startswith(f"newsfacts: {interrupt.MESSAGE}"), case
        assert "Traceback" not in err, (case, err)
        deadline = time.monotonic() + 10
        while session_processes(process.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert session_processes(process.pid) == [], case
        assert table_bytes(out) == previous, case
    finished = start_run(pages, out)
    _, err = finished.communicate(timeout=300)
    assert finished.returncode == 0, err
    reused = int(err.split("reused ")[1].split(" of ")[0])
    assert reused >= 3, err
    assert table_bytes(out) == reference
