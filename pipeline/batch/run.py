"""The run: plan the shards, hand them to an executor, assemble the tables.

Work is cut into shards (shards.py). Each shard is processed by `worker.process_shard`, in this
process, in a local pool of processes (the default) or on a Dask cluster (executors.py); it
writes its own part of every table. When all shards are done the parts are concatenated, in
input order, into OUTPUT_DIR/<table>.parquet, each replaced atomically.
"""

from __future__ import annotations

import contextlib
import heapq
import os
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import langdata
from pipeline.batch import interrupt, shards, split
from pipeline.batch.deadline import DEFAULT_TIMEOUT
from pipeline.batch.errors import RunError
from pipeline.batch.executors import execute
from pipeline.batch.lock import LockedError, OutputLock
from pipeline.batch.progress import LOG, Progress
from pipeline.batch.worker import (
    NOT_A_PAGE,
    ShardResult,
    ShardTask,
    describe,
    peak_rss_mb,
    use_system_allocator,
)
from pipeline.clean.cues import load_cues
from pipeline.document import STATUS_EMPTY, STATUS_ERROR, STATUS_OK
from pipeline.extract.rules import load_rules
from pipeline.index.grants import load_shapes
from pipeline.read import inputs
from pipeline.read.files import PAGE_SUFFIXES, WARC_SUFFIXES
from pipeline.tables import SKIPPED, SKIPPED_SCHEMA, TableWriter
from pipeline.version import code_version, rules_digest


@dataclass
class RunSummary:
    """What a run did, for the summary line and for callers of `run`."""

    statuses: Counter = field(default_factory=Counter)
    rows: dict[str, int] = field(default_factory=dict)
    skipped_files: int = 0
    skipped_records: int = 0
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
            f"{self.skipped_files} files and {self.skipped_records} WARC records skipped "
            f"(skipped.parquet), {self.rows.get('mentions', 0)} mentions, "
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
    if not found and not inputs.is_url(input_dir) and Path(input_dir).exists():
        raise RunError(f"the input is not a folder: {input_dir}")
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


RULES_CHECKED = "rules.json"


def check_rule_files(output_dir: Path) -> None:
    """Load and compile every rule file before the first page; RunError names the file and
    the rule in error.

    Compiling the rules of every language takes seconds, so a check that passed is noted in
    the output folder's state, with the hash of what it checked, and not made again.
    """
    marker = shards.state_dir(output_dir) / RULES_CHECKED
    digest = rules_digest(langdata.RULES_DIR)
    if (shards.read_json(marker) or {}).get("digest") == digest:
        LOG.debug("rule files unchanged since they were last checked")
        return
    try:
        load_cues(langdata.RULES_DIR)
        load_shapes()
        for lang in langdata.available_languages():
            load_rules(lang)
    except langdata.RuleError as exc:
        raise RunError(f"rule file in error, no page processed: {exc}") from None
    LOG.debug("rule files checked: %d languages", len(langdata.available_languages()))
    shards.write_json(marker, {"digest": digest}, durable=False)


def run(
    input_dir: Path | str,
    output_dir: Path | str,
    workers: int | None = None,
    limit: int | None = None,
    progress: bool = False,
    timeout: float | None = DEFAULT_TIMEOUT,
    incremental: bool = False,
    dask: str | None = None,
    allow_empty: bool = False,
) -> RunSummary:
    """Process every page under `input_dir` and write the tables into `output_dir`.

    The same run as `newsfacts run` (and `pipeline.run`): `workers` processes (default: the
    cores), each page given at most `timeout` seconds, byte-identical tables for the same
    input. A run killed at any moment and started again resumes from its finished shards;
    `incremental` processes only files that are new or changed since the last run. Raises
    `RunError` when the run cannot start (input missing, output inside the input, output
    not writable, a rule file in error) or finds no page (unless `allow_empty`), and
    `interrupt.Interrupted` (a KeyboardInterrupt) on SIGINT or SIGTERM, once the workers are
    stopped; the finished shards are kept for the next run.
    """
    with interrupt.interruptible():
        return _run(
            input_dir, output_dir, workers, limit, progress, timeout, incremental, dask, allow_empty
        )


def _run(
    input_dir: Path | str,
    output_dir: Path | str,
    workers: int | None,
    limit: int | None,
    progress: bool,
    timeout: float | None,
    incremental: bool,
    dask: str | None,
    allow_empty: bool,
) -> RunSummary:
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
            allow_empty,
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
    code = code_version()
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
    allow_empty: bool,
) -> RunSummary:
    shards.sweep(output_dir, keep=None)
    shards.clear_stopped(output_dir)
    check_rule_files(output_dir)
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
    LOG.debug(
        "%d input files in %d shards, %d of them finished earlier; %d workers",
        len(rels),
        len(manifest),
        len(done),
        workers,
    )
    listed = [(rel, skip_reason(input_dir, rel)) for rel in skipped]
    bar = Progress(sum(unit.pages for unit in units), shown=progress)
    try:
        for result in done:
            _count(summary, result, bar, reused=True)
        # closing: a stopped run stops its executor's workers before it lets go of the lock.
        with contextlib.closing(execute(tasks, workers, dask)) as results:
            for result in results:
                _count(summary, result, bar, reused=False)
    finally:
        bar.close()
    if not summary.documents and not allow_empty:
        raise RunError(
            f"no page found in {input_dir} ({summary.input_files} input files, "
            f"{summary.skipped_files} other files skipped): the previous tables are kept "
            "(--allow-empty writes empty tables)"
        )
    # The assembly needs none of these: on 20,000 files they are megabytes of paths and
    # tasks the main process would carry through it.
    del rels, skipped, units, tasks, done
    assembling = time.perf_counter()
    skipped_table = write_skipped(output_dir, skipped_rows(output_dir, manifest, listed))
    summary.skipped_records = skipped_table.rows - summary.skipped_files
    try:
        summary.rows = shards.assemble(output_dir, manifest)
        with interrupt.held():
            skipped_table.publish()
    except BaseException:
        shards.abort_quietly(skipped_table)
        raise
    summary.timings["assemble"] += time.perf_counter() - assembling
    state.complete, state.manifest = True, manifest
    state.save(output_dir)
    shards.sweep(output_dir, keep=manifest)
    return summary


def _count(summary: RunSummary, result: ShardResult, bar: Progress, reused: bool) -> None:
    if reused:
        summary.statuses.update(result.statuses)
        summary.skipped_files += result.skipped
    else:
        summary.add(result)
        LOG.debug(
            "shard %s done: %d files, %s, in process %d",
            result.part,
            result.files,
            dict(sorted(result.statuses.items())),
            result.pid,
        )
    summary.input_bytes += result.input_bytes
    bar.update(sum(result.statuses.values()), summary.input_bytes)


def skip_reason(input_dir: Path | str, rel: str) -> str:
    """Why the listing left out a file or folder."""
    if inputs.is_url(input_dir):
        return NOT_A_PAGE
    path = Path(input_dir) / rel
    if path.is_dir():
        return "folder not read (it cannot be listed, or a link leads back to a folder seen)"
    name = path.name.lower()
    if name.endswith(WARC_SUFFIXES) or Path(name.removesuffix(".gz")).suffix in PAGE_SUFFIXES:
        return "not a regular file (a pipe, a socket or a device)"
    return NOT_A_PAGE


def skip_order(skip: tuple[str, str]) -> tuple[tuple[str, ...], int]:
    """Input order of a skipped file or WARC record (`path#offset`)."""
    path, mark, offset = skip[0].rpartition("#")
    if mark and offset.isdigit():
        return inputs.sort_key(path), int(offset)
    return inputs.sort_key(skip[0]), -1


def skipped_rows(
    output_dir: Path, manifest: list[str], listed: list[tuple[str, str]]
) -> Iterator[tuple[str, str]]:
    """Every skipped file and WARC record, in input order: the files the listing left out
    (`listed`, sorted) merged with what each shard's marker names, a part at a time."""
    root = shards.parts_dir(output_dir)

    def from_parts() -> Iterator[tuple[str, str]]:
        for part in manifest:
            marker = shards.read_json(root / part / shards.MARKER) or {}
            for entry in marker.get("files", []):
                if entry.get("skipped"):
                    yield entry["path"], NOT_A_PAGE
                yield from map(tuple, entry.get("skipped_records", []))

    return heapq.merge(listed, from_parts(), key=skip_order)


def write_skipped(output_dir: Path, skips: Iterable[tuple[str, str]]) -> TableWriter:
    """skipped.parquet, finished but not yet in place (`publish` puts it there)."""
    writer = TableWriter(output_dir, SKIPPED, schema=SKIPPED_SCHEMA)
    try:
        for source, reason in skips:
            LOG.debug("skipped %s: %s", source, reason)
            writer.add([{"source": source, "reason": reason}])
        writer.finish()
    except BaseException:
        shards.abort_quietly(writer)
        raise
    return writer
