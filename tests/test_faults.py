"""Faults: killed runs, a full disk, a read-only or misplaced output folder, two runs at once."""

from __future__ import annotations

import errno
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from scale_pages import make_corpus, table_bytes

import pipeline
from pipeline import tables
from pipeline.batch import shards
from pipeline.batch.lock import OutputLock
from pipeline.batch.run import run
from pipeline.cli import main
from pipeline.tables import OUTPUT_TABLES, SKIPPED

REPO = Path(pipeline.__file__).resolve().parent.parent
SEED = 20261125


def visible(output: Path) -> set[str]:
    return {path.name for path in output.iterdir() if not path.name.startswith(".")}


def start_cli(*args: str | Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    command = [sys.executable, "-m", "pipeline", "run", *map(str, args), "--quiet"]
    return subprocess.Popen(
        command, env=env, start_new_session=True, stderr=subprocess.PIPE, text=True
    )


def test_faults_sigkill_at_random_moments_loses_nothing(tmp_path: Path) -> None:
    old, new = make_corpus(tmp_path / "old", 40), make_corpus(tmp_path / "new", 160)
    run(new, tmp_path / "reference", workers=1)
    reference = table_bytes(tmp_path / "reference")
    out = tmp_path / "out"
    run(old, out, workers=1)
    previous = table_bytes(out)
    rng = random.Random(SEED)
    kills = attempt = 0
    while kills < 5 and attempt < 12:
        attempt += 1
        process = start_cli(new, out, "--workers", str(1 + attempt % 2))
        try:
            process.wait(timeout=rng.uniform(0.2, 3.0))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            kills += 1
        assert visible(out) == {f"{name}.parquet" for name in (*OUTPUT_TABLES, SKIPPED)}
        for name, content in table_bytes(out).items():
            assert content in (previous[name], reference[name]), (attempt, name)
    assert kills >= 3
    finished = start_cli(new, out, "--workers", "2")
    _, err = finished.communicate(timeout=120)
    assert finished.returncode == 0, err
    assert "160 documents (160 ok" in err
    assert table_bytes(out) == reference
    assert set(os.listdir(shards.parts_dir(out))) == set(shards.RunState.load(out).manifest)


@pytest.fixture
def previous(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    """An input folder and an output folder holding the tables of a finished run."""
    corpus = make_corpus(tmp_path / "in", 30)
    out = tmp_path / "out"
    assert main(["run", str(corpus), str(out), "--workers", "1", "--quiet"]) == 0
    return corpus, out, table_bytes(out)


@pytest.mark.parametrize("where", ["parts", "tables"])
def test_faults_full_disk_fails_clearly_and_keeps_the_previous_tables(
    previous: tuple[Path, Path, dict[str, bytes]],
    where: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture,
) -> None:
    corpus, out, before = previous
    (corpus / "a" / "p0001.txt").write_text("A changed page about COSME.\n", encoding="utf-8")
    finish = tables.TableWriter.finish

    def full_disk(writer: tables.TableWriter) -> None:
        if (shards.STATE_DIR in writer.path.parts) == (where == "parts"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(writer.tmp_path))
        finish(writer)

    monkeypatch.setattr(tables.TableWriter, "finish", full_disk)
    capsys.readouterr()
    assert main(["run", str(corpus), str(out), "--workers", "1", "--quiet"]) == 1
    assert "cannot write the output: [Errno 28] No space left on device" in capsys.readouterr().err
    assert table_bytes(out) == before
    assert not list(out.glob(".*.tmp"))
    monkeypatch.undo()
    assert main(["run", str(corpus), str(out), "--workers", "1", "--quiet"]) == 0
    assert table_bytes(out) != before


def test_faults_read_only_output_folder_is_refused(
    previous: tuple[Path, Path, dict[str, bytes]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture,
) -> None:
    corpus, out, before = previous
    access = os.access

    def read_only(path: str | Path, mode: int) -> bool:
        return access(path, mode) and not (Path(path) == out.resolve() and mode & os.W_OK)

    monkeypatch.setattr(os, "access", read_only)
    assert main(["run", str(corpus), str(out), "--quiet"]) == 2
    assert f"output folder is not writable: {out}" in capsys.readouterr().err
    assert table_bytes(out) == before


@pytest.mark.parametrize("blocker", ["file in place of the folder", "file in place of a parent"])
def test_faults_output_folder_that_cannot_be_made_is_refused(
    tmp_path: Path, blocker: str, capsys: pytest.CaptureFixture
) -> None:
    corpus = make_corpus(tmp_path / "in", 3)
    (tmp_path / "taken").write_text("not a folder")
    out = tmp_path / "taken" if blocker.endswith("folder") else tmp_path / "taken" / "out"
    assert main(["run", str(corpus), str(out), "--quiet"]) == 2
    assert f"cannot create output folder {out}" in capsys.readouterr().err
    assert (tmp_path / "taken").read_text() == "not a folder"


@pytest.mark.parametrize("inside", [".", "out", "a/out"])
def test_faults_output_inside_the_input_folder_is_refused(
    tmp_path: Path, inside: str, capsys: pytest.CaptureFixture
) -> None:
    corpus = make_corpus(tmp_path / "in", 3)
    assert main(["run", str(corpus), str(corpus / inside), "--quiet"]) == 2
    assert "is inside the input folder" in capsys.readouterr().err
    assert not (corpus / "out").exists() and not (corpus / ".newsfacts").exists()


def test_faults_missing_input_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    assert main(["run", str(tmp_path / "nowhere"), str(tmp_path / "out"), "--quiet"]) == 2
    assert f"input folder not found: {tmp_path / 'nowhere'}" in capsys.readouterr().err


def test_faults_second_run_into_the_same_folder_is_refused(
    previous: tuple[Path, Path, dict[str, bytes]], capsys: pytest.CaptureFixture
) -> None:
    corpus, out, before = previous
    with OutputLock(shards.state_dir(out)):
        assert main(["run", str(corpus), str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert f"another newsfacts run (PID {os.getpid()}) is writing into this output folder" in err
    assert table_bytes(out) == before


def test_faults_stale_lock_of_a_dead_run_is_taken_over(
    previous: tuple[Path, Path, dict[str, bytes]], capsys: pytest.CaptureFixture
) -> None:
    corpus, out, before = previous
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    (shards.state_dir(out) / "lock").write_text(f"{child.pid}\n")
    capsys.readouterr()
    assert main(["run", str(corpus), str(out), "--workers", "1", "--quiet"]) == 0
    assert f"took over a stale lock of PID {child.pid}" in capsys.readouterr().err
    assert table_bytes(out) == before
