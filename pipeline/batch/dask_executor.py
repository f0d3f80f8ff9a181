"""Shards on a Dask distributed cluster: `newsfacts run IN OUT --dask tcp://HOST:8786`.

Imported only when --dask is given, so a local run needs no Dask. Each shard is one task
running the same `worker.process_shard` as the local pool. Models warm up once per worker
process (`worker.warm_up` is cached). A task whose worker dies is moved to another worker by the
scheduler; a task that raises is retried RETRIES times. A run stopped by a signal cancels
the shards not finished yet; a shard already running finishes its work but writes no
completion marker (shards.mark_stopped), so no part is finished after the stop. The parts
go to OUTPUT_DIR, which every worker must see at the same path (a shared or mounted
folder); the client assembles the tables once all shards are done.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from pipeline.batch import shards
from pipeline.batch.errors import RunError
from pipeline.batch.worker import ShardResult, ShardTask, process_shard

RETRIES = 2
CONNECT_TIMEOUT = "30s"
# The loggers of the client's event loop: when a stop cancels the shards, callbacks still
# pending on the loop fail, and these would print their tracebacks after the run's message.
CLIENT_LOOP_LOGGERS = ("tornado.application", "asyncio")


def run_on_dask(address: str, tasks: list[ShardTask]) -> Iterator[ShardResult]:
    """Run the shard tasks on the scheduler at `address`, yielding results as they finish."""
    try:
        from distributed import Client, as_completed
    except ImportError as exc:
        raise RunError(
            f"--dask needs the dask extra: pip install 'newsfacts[dask]' ({exc})"
        ) from exc
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise RunError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
    futures = []
    try:
        for task in tasks:
            key = f"newsfacts-shard-{task.part}"
            futures.append(
                client.submit(process_shard, task, key=key, retries=RETRIES, pure=False)
            )
        for future in as_completed(futures, loop=client.loop):
            yield future.result()
    except BaseException as exc:
        # Stopped (a signal, an error): the cluster drops the shards not finished yet, and the
        # ones already running (which no cancel stops) write no completion marker.
        if tasks:
            shards.mark_stopped(tasks[0].output_dir)
        if isinstance(exc, KeyboardInterrupt):
            _quiet_client_loop()
        client.cancel(futures)
        raise
    finally:
        client.close()


def _quiet_client_loop() -> None:
    """Silence the client loop's callback tracebacks for the rest of a stopped process."""
    for name in CLIENT_LOOP_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)
