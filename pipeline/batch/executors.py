"""Executors: where the shard tasks run (this process, a local process pool, or Dask)."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from pipeline.batch import interrupt
from pipeline.batch.dask_executor import run_on_dask
from pipeline.batch.errors import RunError
from pipeline.batch.worker import ShardResult, ShardTask, process_shard

STOP_GRACE = 5.0


def _in_process(tasks: list[ShardTask]) -> Iterator[ShardResult]:
    for task in tasks:
        yield process_shard(task)


def _in_pool(tasks: list[ShardTask], workers: int) -> Iterator[ShardResult]:
    context = multiprocessing.get_context("spawn")
    interrupt.quiet_resource_tracker()
    pool = ProcessPoolExecutor(
        workers, mp_context=context, initializer=interrupt.init_worker, initargs=(os.getpid(),)
    )
    try:
        # Largest shards first, so that no worker is left alone with a big one at the end
        # (the tables do not depend on which shard finishes first).
        by_size = sorted(tasks, key=lambda task: len(task.files), reverse=True)
        # The workers start here, with SIGINT and SIGTERM blocked until init_worker runs.
        with interrupt.blocked():
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
    except BaseException:
        stop_workers(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def stop_workers(pool: ProcessPoolExecutor, grace: float = STOP_GRACE) -> None:
    """Terminate the pool's worker processes (killing any still there after `grace` s)."""
    # The executor has no public way to stop running tasks: its worker processes it has.
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(grace)
        if process.is_alive():
            process.kill()
            process.join()


def execute(tasks: list[ShardTask], workers: int, dask: str | None) -> Iterator[ShardResult]:
    """Run the shard tasks: on a Dask cluster, in a local pool, or in this process."""
    if dask:
        return run_on_dask(dask, tasks)
    if workers <= 1 or len(tasks) <= 1:
        return _in_process(tasks)
    return _in_pool(tasks, min(workers, len(tasks)))
