"""Executors: where the shard tasks run (this process, a local process pool, or Dask)."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from pipeline.batch.dask_executor import run_on_dask
from pipeline.batch.errors import RunError
from pipeline.batch.worker import ShardResult, ShardTask, process_shard


def _in_process(tasks: list[ShardTask]) -> Iterator[ShardResult]:
    for task in tasks:
        yield process_shard(task)


def _in_pool(tasks: list[ShardTask], workers: int) -> Iterator[ShardResult]:
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(workers, mp_context=context)
    try:
        # Largest shards first, so that no worker is left alone with a big one at the end
        # (the tables do not depend on which shard finishes first).
        by_size = sorted(tasks, key=lambda task: len(task.files), reverse=True)
        pending = {pool.submit(process_shard, task) for task in by_size}
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                yield future.result()
    except BrokenProcessPool as exc:
        raise RunError(
            "a worker process died (out of memory, or killed); the finished shards are kept: "
            "run the same command again to resume"
        ) from exc
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def execute(tasks: list[ShardTask], workers: int, dask: str | None) -> Iterator[ShardResult]:
    """Run the shard tasks: on a Dask cluster, in a local pool, or in this process."""
    if dask:
        return run_on_dask(dask, tasks)
    if workers <= 1 or len(tasks) <= 1:
        return _in_process(tasks)
    return _in_pool(tasks, min(workers, len(tasks)))
