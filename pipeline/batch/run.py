"""The run: every input through the stages, one error boundary per document, tables out.

Work is cut into shards (shards.py). Each shard is processed by `process_shard`, in this
process, in a local pool of processes (the default) or on a Dask cluster (dask_executor.py); it
writes its own part of every table. When all shards are done the parts are concatenated, in
input order, into OUTPUT_DIR/<table>.parquet, each replaced atomically.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from pipeline.batch import shards, timing
from pipeline.batch.deadline import DEFAULT_TIMEOUT, TimeLimitExceeded, time_limit
from pipeline.batch.lock import LockedError, OutputLock
from pipeline.clean.stage import clean
from pipeline.document import STATUS_EMPTY, STATUS_ERROR, STATUS_OK, Document
from pipeline.extract.mentions import extract
from pipeline.language.detect import detect_language
from pipeline.link.stage import link
from pipeline.read import inputs
from pipeline.read.files import read_path
from pipeline.tables import TABLES, TableWriter, document_rows

Stage = Callable[[Document], Document]
STAGES: tuple[tuple[str, Stage], ...] = (
    ("clean", clean),
    ("language", detect_language),
    ("extract", extract),
    ("link", link),
)
EMPTY_REASON = "no main text after boilerplate removal"
TIMED_OUT = "timed out after"


class RunError(Exception):
    """The run itself cannot proceed (as opposed to one page failing)."""


@dataclass
class RunSummary:
    """What a run did, for the summary line and for callers of `run`."""

    statuses: Counter = field(default_factory=Counter)
    rows: dict[str, int] = field(default_factory=dict)
    skipped_files: int = 0
    input_files: int = 0
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


def describe(exc: BaseException) -> str:
    """A short reason for an error row: the exception type and its message."""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def process(
    doc: Document, timeout: float | None = None, timings: Counter | None = None
) -> Document:
    """Run the stages over one document; an exception marks it as failed, never escapes.

    With `timeout`, a document whose stages take longer gets "<stage>: timed out after N s".
    """
    timings = Counter() if timings is None else timings
    if doc.status == STATUS_ERROR:
        doc.raw = ""
        return doc
    current = STAGES[0][0]
    try:
        with time_limit(timeout):
            for name, stage in STAGES:
                current = name
                started = time.perf_counter()
                try:
                    doc = stage(doc)
                except Exception as exc:  # the one error boundary per document
                    doc.fail(name, describe(exc))
                    break
                finally:
                    timings[name] += time.perf_counter() - started
                if name == "clean" and not doc.text.strip():
                    doc.text = ""
                    doc.status, doc.error = STATUS_EMPTY, EMPTY_REASON
                    break
    except TimeLimitExceeded:
        doc.fail(current, f"{TIMED_OUT} {timeout:g} s")
    doc.raw = ""
    return doc


def _read(path: Path, input_dir: Path, timings: Counter) -> Iterator[Document]:
    """The documents of one file; a reader that fails gives an error document instead."""
    docs: Iterator[Document] | None = None
    while True:
        started = time.perf_counter()
        try:
            if docs is None:
                docs = iter(read_path(path, input_dir))
            doc = next(docs)
        except StopIteration:
            return
        except Exception as exc:  # the reader's own boundary failed: keep the batch going
            source = Path(path).relative_to(input_dir).as_posix()
            doc = Document.from_source(source, status=STATUS_ERROR, error=f"read: {describe(exc)}")
            docs = iter(())
        finally:
            timings["read"] += time.perf_counter() - started
        yield doc


WARM_UP_TEXT = (
    "On 2 November 2020 the Cluster Sofia Knowledge City launched the Skills4Cities project, "
    "funded by Erasmus+ with a budget of 189.982 EUR, with partners from Spain and Austria."
)
_warm = False


def warm_up() -> None:
    """Load rules and models once per process, before the first page."""
    global _warm
    if _warm:
        return
    timing.time_spacy_calls()
    process(Document.from_source("warm-up.txt", raw=WARM_UP_TEXT))
    _warm = True


@dataclass
class ShardTask:
    """Everything a process (local or on a cluster) needs to write one shard's part."""

    input_dir: str
    output_dir: str
    part: str
    fingerprint: str
    code: str
    timeout: float | None
    files: list[str]
    stats: list[tuple[int, str]]
    reuse: dict[str, shards.FileRows] = field(default_factory=dict)


@dataclass
class ShardResult:
    """What one shard gave: counts for the summary, and where it ran."""

    part: str
    files: int
    statuses: Counter
    rows: dict[str, int]
    skipped: int = 0
    reused_files: int = 0
    timings: Counter = field(default_factory=Counter)
    pid: int = 0
    rss_mb: float = 0.0

    @classmethod
    def from_marker(cls, marker: dict) -> ShardResult:
        """The result of a shard finished earlier, from its completion marker."""
        return cls(
            part=marker["part"],
            files=len(marker["files"]),
            statuses=Counter(marker["statuses"]),
            rows=marker["rows"],
            skipped=sum(1 for entry in marker["files"] if entry.get("skipped")),
        )


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def process_shard(task: ShardTask) -> ShardResult:
    """Process one shard and write its part of every table, completion marker last."""
    warm_up()
    if shards.code_version() != task.code:
        raise RunError(
            f"this process runs other newsfacts code ({shards.code_version()}) than the run "
            f"({task.code}): install the same version on every worker"
        )
    part = shards.parts_dir(Path(task.output_dir)) / task.part
    part.mkdir(parents=True, exist_ok=True)
    (part / shards.MARKER).unlink(missing_ok=True)
    timings: Counter = Counter()
    ner_before = timing.SECONDS.copy()
    writers: dict[str, TableWriter] = {}
    entries = []
    try:
        writers = {name: TableWriter(part, name, durable=False) for name in TABLES}
        fresh = [rel for rel in task.files if rel not in task.reuse]
        with inputs.local_copy(task.input_dir, fresh) as (local, pages):
            old_parts: dict[tuple[str, str], pa.Table] = {}
            for rel, (size, version) in zip(task.files, task.stats, strict=True):
                entry: dict = {"path": rel, "size": size, "version": version}
                if rel in task.reuse:
                    entry |= _copy_rows(task, task.reuse[rel], writers, old_parts)
                elif rel in pages:
                    entry |= _process_file(local, rel, task.timeout, writers, timings)
                else:
                    entry |= {"sha256": inputs.file_hash(local / rel), "skipped": True}
                    entry |= {"rows": dict.fromkeys(TABLES, 0), "statuses": {}}
                entries.append(entry)
        started = time.perf_counter()
        for writer in writers.values():
            writer.commit()
        timings["write"] += time.perf_counter() - started
    except BaseException:
        for writer in writers.values():
            shards.abort_quietly(writer)
        raise
    statuses: Counter = Counter()
    rows: Counter = Counter(dict.fromkeys(TABLES, 0))
    for entry in entries:
        statuses.update(entry["statuses"])
        rows.update(entry["rows"])
    marker = {
        "part": task.part,
        "fingerprint": task.fingerprint,
        "code": task.code,
        "timeout": task.timeout,
        "files": entries,
        "statuses": dict(statuses),
        "rows": dict(rows),
    }
    shards.write_json(part / shards.MARKER, marker, durable=False)
    result = ShardResult.from_marker(marker)
    result.reused_files = len(task.reuse)
    result.timings = timings + (timing.SECONDS - ner_before)
    result.pid, result.rss_mb = os.getpid(), peak_rss_mb()
    return result


def _process_file(
    local: Path, rel: str, timeout: float | None, writers: dict[str, TableWriter], timings: Counter
) -> dict:
    """Run one input file's documents through the stages into the writers."""
    rows: Counter = Counter(dict.fromkeys(TABLES, 0))
    statuses: Counter = Counter()
    timeouts = 0
    sha = inputs.file_hash(local / rel)
    for doc in _read(local / rel, local, timings):
        doc = process(doc, timeout, timings)
        started = time.perf_counter()
        table_rows = document_rows(doc)
        for name in TABLES:
            writers[name].add(table_rows[name])
            rows[name] += len(table_rows[name])
        timings["write"] += time.perf_counter() - started
        statuses[doc.status] += 1
        timeouts += bool(doc.error and TIMED_OUT in doc.error)
    return {"sha256": sha, "rows": dict(rows), "statuses": dict(statuses), "timeouts": timeouts}


def _copy_rows(
    task: ShardTask,
    found: shards.FileRows,
    writers: dict[str, TableWriter],
    old_parts: dict[tuple[str, str], pa.Table],
) -> dict:
    """Copy an unchanged file's rows from an earlier part (incremental runs)."""
    root = shards.parts_dir(Path(task.output_dir))
    for name in TABLES:
        if (found.part, name) not in old_parts:
            old_parts[(found.part, name)] = pq.read_table(root / found.part / f"{name}.parquet")
        offset, count = found.slices[name]
        writers[name].add_table(old_parts[(found.part, name)].slice(offset, count))
    rows = {name: found.slices[name][1] for name in TABLES}
    return {"sha256": found.sha256, "rows": rows, "statuses": found.statuses, "timeouts": 0}


def check_paths(input_dir: str | Path, output_dir: Path) -> None:
    """Refuse a run that cannot proceed, with a message a person understands."""
    if inputs.is_url(output_dir):
        raise RunError(f"the output folder must be a local or mounted path, not {output_dir}")
    try:
        found = inputs.input_exists(input_dir)
    except ImportError as exc:
        raise RunError(f"reading {input_dir} needs the dask extra (fsspec): {exc}") from exc
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
        from pipeline.batch.dask_executor import run_on_dask

        return run_on_dask(dask, tasks)
    if workers <= 1 or len(tasks) <= 1:
        return _in_process(tasks)
    return _in_pool(tasks, min(workers, len(tasks)))


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

    A run killed at any moment and started again resumes from its finished shards;
    `incremental` processes only files that are new or changed since the last run.
    """
    started = time.perf_counter()
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
    rels: list[str],
    generation: int,
    timeout: float | None,
    incremental: bool,
) -> tuple[list[str], list[ShardTask], list[ShardResult]]:
    """The parts of the tables in input order, the shards to process, the ones finished."""
    code = shards.code_version()
    stats = dict(zip(rels, inputs.stat_files(input_dir, rels), strict=True))
    hashes = dict(zip(rels, inputs.hash_files(input_dir, rels), strict=True)) if incremental else {}
    index = shards.build_index(output_dir, code, timeout) if incremental else shards.ReuseIndex()
    root = shards.parts_dir(output_dir)
    manifest: list[str] = []
    tasks: list[ShardTask] = []
    done: list[ShardResult] = []
    for files in shards.plan_shards(rels):
        fp = shards.fingerprint([code, timeout, generation, [[r, *stats[r]] for r in files]])
        name = fp[:24]
        marker = shards.read_marker(root / name)
        key = tuple((rel, hashes[rel]) for rel in files) if incremental else ()
        if marker and marker.get("fingerprint") == fp:
            manifest.append(name)
            done.append(ShardResult.from_marker(marker))
        elif key in index.shards and (marker := shards.read_marker(root / index.shards[key])):
            manifest.append(index.shards[key])
            done.append(ShardResult.from_marker(marker))
        else:
            reuse = {rel: index.files[(rel, sha)] for rel, sha in key if (rel, sha) in index.files}
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
    if limit is not None:
        rels = rels[:limit]
    state = shards.RunState.load(output_dir)
    if state.complete:
        state.generation += 1
        state.complete = False
        state.save(output_dir)
    manifest, tasks, done = _plan(
        input_dir, output_dir, rels, state.generation, timeout, incremental
    )
    summary = RunSummary(skipped_files=len(skipped), input_files=len(rels), shards=len(manifest))
    summary.shards_reused = len(done)
    bar = tqdm(total=len(rels), unit="file", disable=not progress or None, file=sys.stderr)
    try:
        for result in done:
            _count(summary, result, bar, reused=True)
        for result in execute(tasks, workers, dask):
            _count(summary, result, bar, reused=False)
    finally:
        bar.close()
    # The assembly needs none of these: on 20,000 files they are megabytes of paths and
    # tasks the main process would carry through it.
    del rels, skipped, tasks, done
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
    bar.update(result.files)
