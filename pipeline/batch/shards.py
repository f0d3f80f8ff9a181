"""Shards: the unit of work, of resuming and of incremental runs.

Layout of an output folder (everything but the six tables is hidden in `.newsfacts/`):

    OUTPUT_DIR/<table>.parquet                 the tables analysts load (one file each)
    OUTPUT_DIR/.newsfacts/lock                 PID of the run writing here (lock.py)
    OUTPUT_DIR/.newsfacts/run.json             generation, complete?, the parts of the tables
    OUTPUT_DIR/.newsfacts/parts/<id>/<table>.parquet, done.json

Order. The input list is sorted by relative path (input order); a shard is a contiguous run
of it, and every table's rows come out in input order: by file, by record within a file, and
in a fixed order within a document (tables.document_rows). Concatenating the parts of the
shards in input order therefore gives the final tables with no sort and no merge.

Boundaries. A file starts a new shard when a hash of its relative path is 0 modulo
SHARD_FILES (or the shard already holds MAX_SHARD_FILES): shards hold SHARD_FILES files on
average, and adding or removing a file changes only the shard it falls in.

Atomic parts. A shard writes each table to a temp file, renames it into its folder, and
writes `done.json` last (temp + rename too). A shard without `done.json` is unfinished, so a
run killed at any moment loses at most the shards in flight. The part folder is named by the
shard's fingerprint: the code version, the time limit, the run's generation, and each file's
relative path, size and modification time. A rerun after a kill (same generation) finds the
finished shards by name and skips them. A run that completed bumps the generation, so the
next ordinary run processes everything again.

Incremental runs. `done.json` lists each file with its SHA-256 and the number of rows it gave
each table. An incremental run hashes every input and reuses, from any earlier part written by
the same code and time limit, a whole shard whose files are unchanged, or else the row slices
of each unchanged file; only new or changed files go through the stages. Files with a page
that timed out are never reused. After the tables are assembled, parts that no table refers
to are deleted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.batch import interrupt
from pipeline.index.build import PartnerIndexBuilder, ProjectIndexBuilder
from pipeline.tables import (
    OUTPUT_TABLES,
    SCHEMAS,
    TABLES,
    TableWriter,
    fsync_dir,
    group_rows,
    mark_duplicates,
)

SHARD_FILES = 16
MAX_SHARD_FILES = 4 * SHARD_FILES
STATE_DIR = ".newsfacts"
PARTS_DIR = "parts"
# Written in STATE_DIR by a run stopped by a signal while shards still ran on a cluster.
STOP_FILE = "stopped"
MARKER = "done.json"
RUN_STATE = "run.json"
# The columns of a part's documents the project index needs (the dates of the pages).
DATED = ["doc_id", "published"]


def state_dir(output_dir: Path) -> Path:
    """The hidden folder of run state inside an output folder."""
    return Path(output_dir) / STATE_DIR


def parts_dir(output_dir: Path) -> Path:
    """The folder of shard parts inside an output folder."""
    return state_dir(output_dir) / PARTS_DIR


def mark_stopped(output_dir: Path | str) -> None:
    """Tell the shards still running that their run stopped: they finish no part (a task
    already running on a Dask worker cannot be killed, only told)."""
    path = state_dir(Path(output_dir)) / STOP_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()


def clear_stopped(output_dir: Path | str) -> None:
    """A new run starts: an earlier run's stop does not hold for it."""
    (state_dir(Path(output_dir)) / STOP_FILE).unlink(missing_ok=True)


def stopped(output_dir: Path | str) -> bool:
    """True when the run writing to `output_dir` was stopped (mark_stopped)."""
    return (state_dir(Path(output_dir)) / STOP_FILE).exists()


def starts_shard(rel: str) -> bool:
    """Whether a file opens a new shard (content-defined boundary on its relative path)."""
    return int(hashlib.sha1(rel.encode("utf-8")).hexdigest()[:8], 16) % SHARD_FILES == 0


def plan_shards(rels: list[str]) -> list[list[str]]:
    """Cut the input list (in input order) into contiguous shards."""
    shards: list[list[str]] = []
    for rel in rels:
        if not shards or len(shards[-1]) >= MAX_SHARD_FILES or starts_shard(rel):
            shards.append([])
        shards[-1].append(rel)
    return shards


def fingerprint(value: object) -> str:
    """A stable hash of a JSON-able value."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def write_json(path: Path, value: object, durable: bool = True) -> None:
    """Write a JSON file atomically (temp, rename; `durable`: fsync both)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(value, fh, sort_keys=True, ensure_ascii=False)
        if durable:
            fh.flush()
            os.fsync(fh.fileno())
    os.replace(tmp, path)
    if durable:
        fsync_dir(path.parent)


def read_json(path: Path) -> dict | None:
    """A JSON file's content, or None when it is missing or unreadable."""
    try:
        with open(path, encoding="utf-8") as fh:
            value = json.load(fh)
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def read_marker(part: Path) -> dict | None:
    """The completion marker of a finished shard part whose tables are whole, else None.

    Parts are written without fsync, so after a power cut a marker may outlive its tables:
    every table's footer must be readable and hold the row count the marker gives.
    """
    marker = read_json(part / MARKER)
    if not marker:
        return None
    try:
        for name in TABLES:
            if pq.read_metadata(part / f"{name}.parquet").num_rows != marker["rows"][name]:
                return None
    except (OSError, KeyError, pa.ArrowException):
        return None
    return marker


@dataclass
class RunState:
    """`.newsfacts/run.json`: which generation runs, whether it completed, what it assembled."""

    generation: int = 0
    complete: bool = True
    manifest: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, output_dir: Path) -> RunState:
        """The state left by the last run (a fresh folder: generation 0, complete)."""
        data = read_json(state_dir(output_dir) / RUN_STATE) or {}
        return cls(
            generation=int(data.get("generation", 0)),
            complete=bool(data.get("complete", True)),
            manifest=list(data.get("manifest", [])),
        )

    def save(self, output_dir: Path) -> None:
        """Write the state atomically."""
        write_json(
            state_dir(output_dir) / RUN_STATE,
            {"generation": self.generation, "complete": self.complete, "manifest": self.manifest},
        )


@dataclass
class FileRows:
    """Where one input file's rows sit inside a part: an offset and a count per table."""

    part: str
    sha256: str
    slices: dict[str, tuple[int, int]]
    statuses: dict[str, int]
    skipped: list[list[str]] = field(default_factory=list)


@dataclass
class ReuseIndex:
    """What earlier parts (same code, same time limit) hold, by (relative path, SHA-256)."""

    files: dict[tuple[str, str], FileRows] = field(default_factory=dict)
    shards: dict[tuple[tuple[str, str], ...], str] = field(default_factory=dict)


def build_index(output_dir: Path, code: str, timeout: float | None) -> ReuseIndex:
    """Index every finished part written by this code with this time limit."""
    index = ReuseIndex()
    root = parts_dir(output_dir)
    if not root.is_dir():
        return index
    for part in sorted(root.iterdir()):
        marker = read_marker(part)
        if not marker or marker.get("code") != code or marker.get("timeout") != timeout:
            continue
        offsets = Counter()
        clean = True
        for entry in marker["files"]:
            rows = entry["rows"]
            key = unit_key(entry["path"], entry.get("span"))
            if entry.get("timeouts"):
                clean = False
            elif entry.get("sha256"):
                index.files[(key, entry["sha256"])] = FileRows(
                    part=part.name,
                    sha256=entry["sha256"],
                    slices={name: (offsets[name], rows[name]) for name in TABLES},
                    statuses=entry["statuses"],
                    skipped=entry.get("skipped_records", []),
                )
            offsets.update(rows)
        if clean:
            key = tuple(
                (unit_key(entry["path"], entry.get("span")), entry.get("sha256", ""))
                for entry in marker["files"]
            )
            index.shards.setdefault(key, part.name)
    return index


def unit_key(rel: str, span: tuple[int, int] | list[int] | None = None) -> str:
    """A work unit's name in the reuse index: the file's relative path, with `#start-end` for
    a span of a cut WARC (split.py)."""
    return rel if span is None else f"{rel}#{span[0]}-{span[1]}"


def read_part(part: Path, name: str) -> pq.ParquetFile:
    """One table of a shard part."""
    return pq.ParquetFile(part / f"{name}.parquet")


def assemble(output_dir: Path, parts: list[str]) -> dict[str, int]:
    """Concatenate the parts (in input order) into the tables, add the indexes, swap them in.

    Everything streams a part at a time, in an order that keeps the main process small:
    documents and mentions first, while nothing else is held; then a pass over every part's
    projects builds the project index, which must see them all before it can key any
    project, and the index is written out at once; then the projects with their key, and
    the partners with the partner index. All temp files are written and flushed first and
    renamed one after the other at the end, so the previous tables stay readable until the
    new ones replace them.
    """
    root = parts_dir(output_dir)
    writers: dict[str, TableWriter] = {}

    def table(part: str, name: str, columns: list[str] | None = None) -> pa.Table:
        schema = SCHEMAS[name]
        if columns is not None:
            schema = pa.schema([schema.field(c) for c in columns])
        return read_part(root / part, name).read(columns=columns, use_threads=False).cast(schema)

    def open_writer(name: str, schema: pa.Schema | None = None) -> TableWriter:
        writers[name] = TableWriter(output_dir, name, schema=schema)
        return writers[name]

    def write_index(name: str, index: pa.Table) -> None:
        writer = open_writer(name, index.schema)
        writer.add_table(index)
        writer.finish()

    pool = pa.default_memory_pool()
    first_of_hash: dict[str, str] = {}
    try:
        # In row groups, not whole parts: a part is files, and one WARC file may hold
        # thousands of records.
        for name in ("documents", "mentions"):
            writer = open_writer(name)
            for part in parts:
                reader = read_part(root / part, name)
                for batch in reader.iter_batches(group_rows(name), use_threads=False):
                    rows = pa.Table.from_batches([batch])
                    if name == "documents":
                        rows = mark_duplicates(rows, first_of_hash)
                    writer.add_table(rows)
                # Hand what the part's reader freed back to the system (malloc_trim).
                pool.release_unused()
            writer.finish()
        projects = ProjectIndexBuilder()
        for part in parts:
            projects.add(table(part, "projects"), table(part, "documents", DATED))
            pool.release_unused()
        write_index("project_index", projects.finish())
        partners = PartnerIndexBuilder()
        keyed, listed = open_writer("projects"), open_writer("partners")
        for part in parts:
            rows = table(part, "projects")
            keys = project_keys(rows, projects)
            keyed.add_table(with_project_keys(rows, keys))
            rows = table(part, "partners")
            partners.add(rows, keys)
            listed.add_table(rows)
            pool.release_unused()
        keyed.finish()
        listed.finish()
        write_index("partner_index", partners.finish())
        with interrupt.held():  # a signal never leaves half the tables replaced
            for name in OUTPUT_TABLES:
                writers[name].publish()
    except BaseException:
        for writer in writers.values():
            abort_quietly(writer)
        raise
    return {name: writers[name].rows for name in OUTPUT_TABLES}


def project_keys(projects: pa.Table, index: ProjectIndexBuilder) -> dict[str, str]:
    """project_id -> project_key for the rows of a part's projects table (after `finish`)."""
    return {row["project_id"]: index.key(row) for row in projects.to_pylist()}


def with_project_keys(projects: pa.Table, keys: dict[str, str]) -> pa.Table:
    """A part's projects table with the `project_key` column filled in."""
    column = pa.array([keys[p] for p in projects.column("project_id").to_pylist()], pa.string())
    position = projects.schema.get_field_index("project_key")
    return projects.set_column(position, "project_key", column)


def abort_quietly(writer: TableWriter) -> None:
    """Drop a writer's temp file, keeping the error that got us here rather than a new one."""
    with contextlib.suppress(OSError):
        writer.abort()


def sweep(output_dir: Path, keep: list[str] | None) -> None:
    """Delete temp files left by killed runs and, given `keep`, the parts not in it."""
    root = parts_dir(output_dir)
    if keep is not None and root.is_dir():
        wanted = set(keep)
        for part in root.iterdir():
            if part.name not in wanted:
                shutil.rmtree(part, ignore_errors=True)
            else:
                for tmp in part.glob(".*.tmp"):
                    tmp.unlink(missing_ok=True)
    for tmp in list(Path(output_dir).glob(".*.tmp")) + list(state_dir(output_dir).glob(".*.tmp")):
        tmp.unlink(missing_ok=True)
