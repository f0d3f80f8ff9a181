"""The shard worker: each input file of a shard through the stages, one error boundary a document.

`process_shard` runs in this process, in a pool process or on a Dask worker alike: it reads
the shard's files, runs every document through STAGES (an exception or a time-out marks that
document, never the shard), and writes the shard's own part of every table.
"""

from __future__ import annotations

import os
import resource
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.batch import shards, timing
from pipeline.batch.deadline import TimeLimitExceeded, time_limit
from pipeline.batch.errors import RunError
from pipeline.clean.stage import clean
from pipeline.document import STATUS_EMPTY, STATUS_ERROR, Document, make_content_hash
from pipeline.extract.mentions import extract
from pipeline.language.detect import detect_language
from pipeline.link.stage import link
from pipeline.read import inputs
from pipeline.read.files import read_path
from pipeline.tables import TABLES, TableWriter, document_rows
from pipeline.version import code_version

Stage = Callable[[Document], Document]
STAGES: tuple[tuple[str, Stage], ...] = (
    ("clean", clean),
    ("language", detect_language),
    ("extract", extract),
    ("link", link),
)
EMPTY_REASON = "no main text after boilerplate removal"
NOT_A_PAGE = "not a page file (.txt, .html, .htm, .warc, .warc.gz, or one of them .gz)"
TIMED_OUT = "timed out after"


def describe(exc: BaseException) -> str:
    """A short reason for an error row: the exception type and its message."""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def process(
    doc: Document,
    timeout: float | None = None,
    timings: Counter | None = None,
    stages: Sequence[tuple[str, Stage]] | None = None,
) -> Document:
    """Run the stages (default: STAGES) over one document; an exception marks it as failed,
    never escapes.

    With `timeout`, a document whose stages take longer gets "<stage>: timed out after N s".
    """
    timings = Counter() if timings is None else timings
    stages = STAGES if stages is None else stages
    if doc.raw and doc.content_hash is None:
        doc.content_hash = make_content_hash(doc.raw)
    if doc.status == STATUS_ERROR:
        doc.raw = ""
        return doc
    current = stages[0][0]
    try:
        with time_limit(timeout):
            for name, stage in stages:
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


def _read(
    path: Path,
    input_dir: Path,
    timings: Counter,
    skipped: list[tuple[str, str]],
    span: inputs.Span | None = None,
) -> Iterator[Document]:
    """The documents of one file (of a span of a WARC); a reader that fails gives an error
    document instead.

    WARC records that give no document are added to `skipped` with the reason.
    """
    docs: Iterator[Document] | None = None
    while True:
        started = time.perf_counter()
        try:
            if docs is None:
                docs = iter(read_path(path, input_dir, skipped=skipped, span=span))
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
    spans: dict[str, inputs.Span] = field(default_factory=dict)
    """The WARCs of the shard read only in part (split.py): relative path -> byte span."""


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
    input_bytes: int = 0

    @classmethod
    def from_marker(cls, marker: dict) -> ShardResult:
        """The result of a shard finished earlier, from its completion marker."""
        return cls(
            part=marker["part"],
            files=len(marker["files"]),
            statuses=Counter(marker["statuses"]),
            rows=marker["rows"],
            skipped=sum(1 for entry in marker["files"] if entry.get("skipped")),
            input_bytes=sum(_input_bytes(entry) for entry in marker["files"]),
        )


def _input_bytes(entry: dict) -> int:
    """The bytes of input a `done.json` file entry stands for: the file, or its span."""
    span = entry.get("span")
    return int(entry.get("size") or 0) if span is None else span[1] - span[0]


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def use_system_allocator() -> None:
    """Arrow allocates with the C library's malloc in this process, unless the user chose.

    Arrow's own allocator (mimalloc) keeps what it frees for reuse; the main process reads
    thousands of small shard parts when it assembles the tables, and with that allocator it
    grew with the run (1,268 parts: 172 MB at the peak, against 102 MB with malloc, which
    returns freed memory). docs/scale.md, "Order, streaming and memory". A value in
    ARROW_DEFAULT_MEMORY_POOL wins; the environment is never changed.
    """
    if "ARROW_DEFAULT_MEMORY_POOL" not in os.environ:
        pa.set_memory_pool(pa.system_memory_pool())


def process_shard(task: ShardTask) -> ShardResult:
    """Process one shard and write its part of every table, completion marker last."""
    use_system_allocator()
    warm_up()
    if code_version() != task.code:
        raise RunError(
            f"this process runs other newsfacts code ({code_version()}) than the run "
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
        with inputs.local_copy(task.input_dir, fresh, task.spans) as (local, pages):
            old_parts: dict[tuple[str, str], pa.Table] = {}
            for rel, (size, version) in zip(task.files, task.stats, strict=True):
                entry: dict = {"path": rel, "size": size, "version": version}
                span = task.spans.get(rel)
                if span is not None:
                    entry["span"] = list(span)
                if rel in task.reuse:
                    entry |= _copy_rows(task, task.reuse[rel], writers, old_parts)
                elif rel in pages:
                    entry |= _process_file(local, rel, task.timeout, writers, timings, span)
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
    if shards.stopped(task.output_dir):
        raise RunError(f"shard {task.part}: the run was stopped, its part is left unfinished")
    shards.write_json(part / shards.MARKER, marker, durable=False)
    result = ShardResult.from_marker(marker)
    result.reused_files = len(task.reuse)
    result.timings = timings + (timing.SECONDS - ner_before)
    result.pid, result.rss_mb = os.getpid(), peak_rss_mb()
    return result


def _process_file(
    local: Path,
    rel: str,
    timeout: float | None,
    writers: dict[str, TableWriter],
    timings: Counter,
    span: inputs.Span | None = None,
) -> dict:
    """Run one input file's documents (of `span` of a WARC) through the stages into the
    writers."""
    rows: Counter = Counter(dict.fromkeys(TABLES, 0))
    statuses: Counter = Counter()
    timeouts = 0
    sha = inputs.file_hash(local / rel, span)
    skipped: list[tuple[str, str]] = []
    for doc in _read(local / rel, local, timings, skipped, span):
        doc = process(doc, timeout, timings)
        started = time.perf_counter()
        table_rows = document_rows(doc)
        for name in TABLES:
            writers[name].add(table_rows[name])
            rows[name] += len(table_rows[name])
        timings["write"] += time.perf_counter() - started
        statuses[doc.status] += 1
        timeouts += bool(doc.error and TIMED_OUT in doc.error)
    entry = {"sha256": sha, "rows": dict(rows), "statuses": dict(statuses), "timeouts": timeouts}
    return entry | ({"skipped_records": skipped} if skipped else {})


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
    entry = {"sha256": found.sha256, "rows": rows, "statuses": found.statuses, "timeouts": 0}
    return entry | ({"skipped_records": found.skipped} if found.skipped else {})
