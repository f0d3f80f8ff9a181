"""Shards on a Dask cluster: the local tables byte for byte, even when a worker dies; a run
stopped by a signal cancels the shards it has not finished."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import cloudpickle
import pytest
from distributed import Client, LocalCluster, WorkerPlugin
from scale_pages import finished_shards, make_corpus, shard_folder, table_bytes

from pipeline.batch import interrupt
from pipeline.batch.errors import RunError
from pipeline.batch.run import run
from pipeline.document import Document


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    with LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
    ) as local:
        yield local


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("in"), 40)


@pytest.fixture(scope="module")
def local_tables(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("local")
    run(corpus, out, workers=1)
    return table_bytes(out)


def test_dask_cluster_gives_the_local_tables(
    cluster: LocalCluster, corpus: Path, local_tables: dict[str, bytes], tmp_path: Path
) -> None:
    summary = run(corpus, tmp_path, dask=cluster.scheduler_address)
    assert summary.documents == 40
    assert len(summary.peak_rss_mb) >= 2  # the workers and this process
    assert table_bytes(tmp_path) == local_tables


class DieOnce(WorkerPlugin):
    """Makes the first worker that reads `armed` page die in the middle of its shard."""

    name = "newsfacts-die-once"

    def __init__(self, armed: str) -> None:
        self.armed = armed

    def setup(self, worker: object) -> None:
        from pipeline.batch import worker as run_module

        (first, clean), *rest = run_module.STAGES
        armed = self.armed

        def dying_clean(doc: Document) -> Document:
            if doc.source == "a/p0021.txt":
                try:
                    os.unlink(armed)
                except FileNotFoundError:
                    return clean(doc)
                os._exit(1)
            return clean(doc)

        run_module.STAGES = ((first, dying_clean), *rest)


def test_dask_worker_that_dies_has_its_shard_done_elsewhere(
    cluster: LocalCluster, corpus: Path, local_tables: dict[str, bytes], tmp_path: Path
) -> None:
    armed = tmp_path / "armed"
    armed.write_text("die")
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    with Client(cluster.scheduler_address) as client:
        client.register_plugin(DieOnce(str(armed)))
        try:
            summary = run(corpus, tmp_path / "out", dask=cluster.scheduler_address)
        finally:
            client.unregister_worker_plugin(DieOnce.name)
    assert not armed.exists()
    assert summary.statuses["ok"] == 40
    assert table_bytes(tmp_path / "out") == local_tables


def test_dask_unreachable_scheduler_is_a_clear_error(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.batch import dask_executor as dask_run

    monkeypatch.setattr(dask_run, "CONNECT_TIMEOUT", "1s")
    with pytest.raises(RunError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        run(corpus, tmp_path, dask="tcp://127.0.0.1:9")


def test_dask_run_stopped_by_a_signal_cancels_its_shards(
    cluster: LocalCluster, tmp_path: Path
) -> None:
    pages = shard_folder(tmp_path / "in")
    out = tmp_path / "out"
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    command = [sys.executable, "-m", "pipeline", "run", str(pages), str(out)]
    process = subprocess.Popen(
        [*command, "--dask", cluster.scheduler_address], env=env, stderr=subprocess.PIPE, text=True
    )
    while finished_shards(out) == 0:
        assert process.poll() is None, "the run ended before it could be interrupted"
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert err.splitlines()[-1] == f"newsfacts: {interrupt.MESSAGE}"
    assert "Traceback" not in err
    with Client(cluster.scheduler_address) as client:
        deadline = time.monotonic() + 20
        while client.run_on_scheduler(_shard_tasks) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert client.run_on_scheduler(_shard_tasks) == []
    done = finished_shards(out)
    time.sleep(1)
    assert finished_shards(out) == done < len(list(pages.iterdir())) // 2


def _shard_tasks(dask_scheduler: object) -> list[str]:
    """The newsfacts shard tasks the scheduler still holds."""
    return [str(key) for key in dask_scheduler.tasks if str(key).startswith("newsfacts-shard-")]
