"""The run: plan the shards, hand them to an executor, assemble the tables.

Work is cut into shards (shards.py). Each shard is processed by `worker.process_shard`, in this
process, in a local pool of processes (the default) or on a Dask cluster (executors.py); it
writes its own part of every table. When all shards are done the parts are concatenated, in
input order, into OUTPUT_DIR/<table>.parquet, each replaced atomically.
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from pipeline.batch import shards, split
from pipeline.batch.deadline import DEFAULT_TIMEOUT
from pipeline.batch.errors import RunError
from pipeline.batch.executors import execute
from pipeline.batch.lock import LockedError, OutputLock
from pipeline.batch.worker import (
    ShardResult,
    ShardTask,
    describe,
    peak_rss_mb,
    use_system_allocator,
)
from pipeline.document import STATUS_EMPTY, STATUS_ERROR, STATUS_OK
from pipeline.read import inputs


@dataclass
class RunSummary:
    """What a run did, for the summary line and for callers of `run`."""

    statuses: Counter = field(default_factory=Counter)
    rows: dict[str, int] = field(default_factory=dict)
    skipped_files: int = 0
    input_files: int = 0
    input_bytes: int = 0
    seconds: float = 0.0
    shards: int = 0
    shards_reused: int = 0
    files_reused: int = 0
    timings: Counter = field(default_factory=Counter)
    peak_rss_mb: dict[int, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def documents(self) -> int:
        return sum(self.statuses.values())

    def line(self) -> str:
        """The one-line summary printed at the end of a run."""
        rate = self.documents / self.seconds if self.seconds else 0.0
        reused = ""
        if self.shards_reused or self.files_reused:
            reused = (
                f", reused {self.shards_reused} of {self.shards} shards"
                f" and {self.files_reused} more files"
            )
        return (
            f"{self.documents} documents ({self.statuses[STATUS_OK]} ok, "
            f"{self.statuses[STATUS_EMPTY]} empty, {self.statuses[STATUS_ERROR]} error), "
            f"{self.skipped_files} files skipped, {self.rows.get('mentions', 0)} mentions, "
            f"{self.rows.get('projects', 0)} projects, {self.rows.get('partners', 0)} partners "
            f"in {self.seconds:.1f} s ({rate:.1f} pages/s){reused}"
        )

    def add(self, result: ShardResult) -> None:
        """Count a processed shard."""
        self.statuses.update(result.statuses)
        self.skipped_files += result.skipped
        self.files_reused += result.reused_files
        self.timings.update(result.timings)
        self.peak_rss_mb[result.pid] = max(self.peak_rss_mb.get(result.pid, 0.0), result.rss_mb)


def check_paths(input_dir: str | Path, output_dir: Path) -> None:
    """Refuse a run that cannot proceed, with a message a person understands."""
    try:
        found = inputs.input_exists(input_dir)
    except ImportError as exc:
        raise RunError(inputs.missing_package(str(input_dir), exc)) from exc
    except Exception as exc:  # each fsspec implementation raises its own types
        if not inputs.is_url(input_dir):
            raise
        raise RunError(f"cannot read {input_dir}: {describe(exc)}") from exc
    if not found:
        raise RunError(f"input folder not found: {input_dir}")
    out = output_dir.resolve()
    if not inputs.is_url(input_dir):
        inp = Path(input_dir).resolve()
        if out == inp or inp in out.parents:
            raise RunError(f"output folder {output_dir} is inside the input folder {input_dir}")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RunError(f"cannot create output folder {output_dir}: {exc.strerror}") from exc
    if not os.access(out, os.W_OK):
        raise RunError(f"output folder is not writable: {output_dir}")


def run(
    input_dir: Path | str,
    output_dir: Path | str,
    workers: int | None = None,
    limit: int | None = None,
    progress: bool = False,
    timeout: float | None = DEFAULT_TIMEOUT,
    incremental: bool = False,
    dask: str | None = None,
) -> RunSummary:
    """Process every page under `input_dir` and write the tables into `output_dir`.

    The same run as `newsfacts run` (and `pipeline.run`): `workers` processes (default: the
    cores), each page given at most `timeout` seconds, byte-identical tables for the same
    input. A run killed at any moment and started again resumes from its finished shards;
    `incremental` processes only files that are new or changed since the last run. Raises
    `RunError` when the run cannot start (input missing, output inside the input, output
    not writable).
    """
    started = time.perf_counter()
    use_system_allocator()
    if inputs.is_url(output_dir):  # before Path() folds "s3://b/out" into "s3:/b/out"
        raise RunError(f"the output folder must be a local or mounted path, not {output_dir}")
    output_dir = Path(output_dir)
    if not inputs.is_url(input_dir):
        input_dir = Path(input_dir)
    check_paths(input_dir, output_dir)
    lock = OutputLock(shards.state_dir(output_dir))
    try:
        lock.acquire()
    except LockedError as exc:
        raise RunError(str(exc)) from None
    except OSError as exc:
        raise RunError(f"cannot write into output folder {output_dir}: {exc.strerror}") from exc
    try:
        summary = _run_locked(
            input_dir,
            output_dir,
            workers or os.cpu_count() or 1,
            limit,
            progress,
            timeout,
            incremental,
            dask,
        )
    finally:
        lock.release()
    if lock.stale_pid:
        summary.notes.append(f"took over a stale lock of PID {lock.stale_pid} (no longer running)")
    summary.peak_rss_mb[os.getpid()] = peak_rss_mb()
    summary.seconds = time.perf_counter() - started
    return summary


def _plan(
    input_dir: Path | str,
    output_dir: Path,
    units: list[split.Unit],
    generation: int,
    timeout: float | None,
    incremental: bool,
) -> tuple[list[str], list[ShardTask], list[ShardResult]]:
    """The parts of the tables in input order, the shards to process, the ones finished."""
    code = shards.code_version()
    rels = list(dict.fromkeys(unit.rel for unit in units))
    stats = dict(zip(rels, inputs.stat_files(input_dir, rels), strict=True))
    hashes = {}
    if incremental:
        found = inputs.hash_files(input_dir, [u.rel for u in units], [u.span for u in units])
        hashes = {unit.key: sha for unit, sha in zip(units, found, strict=True)}
    index = shards.build_index(output_dir, code, timeout) if incremental else shards.ReuseIndex()
    root = shards.parts_dir(output_dir)
    manifest: list[str] = []
    tasks: list[ShardTask] = []
    done: list[ShardResult] = []
    for group in split.shard_units(units):
        files = [unit.rel for unit in group]
        listed = [[u.rel, *stats[u.rel], *(u.span or ())] for u in group]
        fp = shards.fingerprint([code, timeout, generation, listed])
        name = fp[:24]
        marker = shards.read_marker(root / name)
        key = tuple((unit.key, hashes[unit.key]) for unit in group) if incremental else ()
        if marker and marker.get("fingerprint") == fp:
            manifest.append(name)
            done.append(ShardResult.from_marker(marker))
        elif key in index.shards and (marker := shards.read_marker(root / index.shards[key])):
            manifest.append(index.shards[key])
            done.append(ShardResult.from_marker(marker))
        else:
            reuse = {
                unit.rel: index.files[(unit.key, hashes[unit.key])]
                for unit in group
                if incremental and (unit.key, hashes[unit.key]) in index.files
            }
            task = ShardTask(
                input_dir=str(input_dir if inputs.is_url(input_dir) else input_dir.resolve()),
                output_dir=str(output_dir.resolve()),
                part=name,
                fingerprint=fp,
                code=code,
                timeout=timeout,
                files=files,
                stats=[stats[rel] for rel in files],
                reuse=reuse,
                spans={unit.rel: unit.span for unit in group if unit.span is not None},
            )
            manifest.append(name)
            tasks.append(task)
    return manifest, tasks, done


def _run_locked(
    input_dir: Path | str,
    output_dir: Path,
    workers: int,
    limit: int | None,
    progress: bool,
    timeout: float | None,
    incremental: bool,
    dask: str | None,
) -> RunSummary:
    shards.sweep(output_dir, keep=None)
    rels, skipped = inputs.list_files(input_dir)
    units = split.plan_units(str(input_dir), rels, limit)
    rels = list(dict.fromkeys(unit.rel for unit in units))
    state = shards.RunState.load(output_dir)
    if state.complete:
        state.generation += 1
        state.complete = False
        state.save(output_dir)
    manifest, tasks, done = _plan(
        input_dir, output_dir, units, state.generation, timeout, incremental
    )
    summary = RunSummary(skipped_files=len(skipped), input_files=len(rels), shards=len(manifest))
    summary.shards_reused = len(done)
    pages = sum(unit.pages for unit in units)
    bar = tqdm(total=pages, unit="page", disable=not progress or None, file=sys.stderr)
    try:
        for result in done:
            _count(summary, result, bar, reused=True)
        for result in execute(tasks, workers, dask):
            _count(summary, result, bar, reused=False)
    finally:
        bar.close()
    # The assembly needs none of these: on 20,000 files they are megabytes of paths and
    # tasks the main process would carry through it.
    del rels, skipped, units, tasks, done
    assembling = time.perf_counter()
    summary.rows = shards.assemble(output_dir, manifest)
    summary.timings["assemble"] += time.perf_counter() - assembling
    state.complete, state.manifest = True, manifest
    state.save(output_dir)
    shards.sweep(output_dir, keep=manifest)
    return summary


def _count(summary: RunSummary, result: ShardResult, bar: tqdm, reused: bool) -> None:
    if reused:
        summary.statuses.update(result.statuses)
        summary.skipped_files += result.skipped
    else:
        summary.add(result)
    summary.input_bytes += result.input_bytes
    bar.set_postfix_str(f"{summary.input_bytes / 2**20:.1f} MB", refresh=False)
    bar.update(sum(result.statuses.values()))
