"""The output tables: explicit pyarrow schemas (CONTRACT.md), rows, atomic Parquet writes."""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.document import Document
from pipeline.index.currency import amount_eur, eur_columns
from pipeline.index.dates import date_fields, date_values
from pipeline.langdata import read_toml

STRING = pa.string()

SCHEMAS: dict[str, pa.Schema] = {
    "documents": pa.schema(
        [
            ("doc_id", STRING),
            ("source", STRING),
            ("url", STRING),
            ("title", STRING),
            ("published", STRING),
            ("language", STRING),
            ("text", STRING),
            ("status", STRING),
            ("error", STRING),
            ("format", STRING),
            ("encoding", STRING),
            *date_fields("published"),
            ("about_funding", pa.bool_()),
            ("about_funding_reason", STRING),
            ("content_hash", STRING),
            ("duplicate_of", STRING),
        ]
    ),
    "mentions": pa.schema(
        [
            ("doc_id", STRING),
            ("kind", STRING),
            ("text", STRING),
            ("value", STRING),
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("amount", pa.float64()),
            ("currency", STRING),
            ("rule", STRING),
            ("project_id", STRING),
            ("amount_eur", pa.float64()),
            ("rate_date", STRING),
            # the value of a date mention, typed (null for other kinds)
            *date_fields("value"),
            *date_fields("rate_date"),
        ]
    ),
    "projects": pa.schema(
        [
            ("doc_id", STRING),
            ("project_id", STRING),
            ("name", STRING),
            ("acronym", STRING),
            ("programme", STRING),
            ("grant_number", STRING),
            ("start_date", STRING),
            ("end_date", STRING),
            ("duration_months", pa.int64()),
            ("total_budget", pa.float64()),
            ("eu_contribution", pa.float64()),
            ("currency", STRING),
            ("aliases", pa.list_(STRING)),
            ("total_budget_eur", pa.float64()),
            ("eu_contribution_eur", pa.float64()),
            ("rate_date", STRING),
            ("project_key", STRING),
            ("notes", pa.list_(STRING)),
            *date_fields("start_date"),
            *date_fields("end_date"),
            *date_fields("rate_date"),
        ]
    ),
    "partners": pa.schema(
        [
            ("doc_id", STRING),
            ("project_id", STRING),
            ("organization", STRING),
            ("country", STRING),
            ("role", STRING),
            ("evidence", STRING),
        ]
    ),
}
TABLES = tuple(SCHEMAS)
# Beside the tables: every file, and every WARC response record, that gave no document, and why.
SKIPPED = "skipped"
SKIPPED_SCHEMA = pa.schema([("source", STRING), ("reason", STRING)])
# Written after the four tables from all of them: one row per project or partner of the run.
INDEX_TABLES = ("project_index", "partner_index")
OUTPUT_TABLES = TABLES + INDEX_TABLES
ROW_GROUP_ROWS = 10_000
# Documents carry whole texts: smaller groups keep a writer's memory flat as runs grow.
DOCUMENT_GROUP_ROWS = 1_000


# What each column means: one text, the field metadata of every table and README's tables.
DESCRIPTIONS_FILE = Path(__file__).with_name("tables.toml")
DESCRIPTION = b"description"
# Columns with few distinct values are dictionary-encoded in the Parquet file (a small
# dictionary page, then short indices); every other column is stored plain, where a
# dictionary of unique values (ids, texts) would only cost space.
DICTIONARY_COLUMNS = frozenset(
    {
        "status", "kind", "role", "evidence", "currency", "language", "format", "encoding",
        "rule", "programme", "country", "grant_programme",
    }
)  # fmt: skip


@cache
def column_descriptions() -> dict[str, dict[str, str]]:
    """Table -> column -> what it means, from tables.toml (a key `a, b` describes both)."""
    return {
        table: {
            column.strip(): text
            for key, text in columns.items()
            for column in key.split(",")
        }
        for table, columns in read_toml(DESCRIPTIONS_FILE).items()
    }


def described(name: str, schema: pa.Schema) -> pa.Schema:
    """`schema` with each column's description in its field metadata (`description`)."""
    texts = column_descriptions().get(name, {})
    fields = [
        field.with_metadata({DESCRIPTION: texts[field.name].encode("utf-8")})
        if field.name in texts
        else field
        for field in schema
    ]
    return pa.schema(fields, metadata=schema.metadata)


def dictionary_columns(schema: pa.Schema) -> list[str]:
    """The columns of `schema` written with dictionary encoding."""
    return [name for name in schema.names if name in DICTIONARY_COLUMNS]


def group_rows(name: str) -> int:
    """Rows per row group of a table."""
    return DOCUMENT_GROUP_ROWS if name == "documents" else ROW_GROUP_ROWS


def _blank_to_null(value: object) -> object:
    """Nulls, never empty strings."""
    if isinstance(value, str) and not value.strip():
        return None
    if isinstance(value, list):
        return [v for v in value if not (isinstance(v, str) and not v.strip())]
    return value


def _project(row: dict, schema: pa.Schema) -> dict:
    return {name: _blank_to_null(row.get(name)) for name in schema.names}


def document_rows(doc: Document) -> dict[str, list[dict]]:
    """The rows one document contributes to each table, each table's rows in a fixed order."""
    base = {"doc_id": doc.doc_id}
    documents = [
        {name: _blank_to_null(getattr(doc, name, None)) for name in SCHEMAS["documents"].names}
        | date_values("published", _blank_to_null(doc.published))
    ]
    mentions = sorted(
        (_project(base | vars(m), SCHEMAS["mentions"]) for m in doc.mentions),
        key=lambda r: (r["start"], r["end"], r["kind"], r["rule"], r["value"] or ""),
    )
    for row in mentions:
        row["amount_eur"], row["rate_date"] = amount_eur(
            row["amount"], row["currency"], doc.published
        )
        row |= date_values("value", row["value"] if row["kind"] == "date" else None)
        row |= date_values("rate_date", row["rate_date"])
    projects = []
    for p in doc.projects:
        row = _project(
            base
            | vars(p)
            | eur_columns(
                p.total_budget, p.eu_contribution, p.currency, doc.published or p.start_date
            ),
            SCHEMAS["projects"],
        )
        for column in ("start_date", "end_date", "rate_date"):
            row |= date_values(column, row[column])
        projects.append(row)
    partners = sorted(
        (_project(base | vars(p), SCHEMAS["partners"]) for p in doc.partners),
        key=lambda r: (r["project_id"] or "", r["organization"] or "", r["role"] or ""),
    )
    return {
        "documents": documents,
        "mentions": mentions,
        "projects": projects,
        "partners": partners,
    }


class TableWriter:
    """Streams rows into a hidden temp file in row groups; `commit` renames it into place.

    `durable` flushes the file and the rename to disk (fsync): a power cut then leaves the
    old table or the new one. Shard parts skip it; the run checks them before reusing them.

    Row groups hold exactly `group_rows(name)` rows (the last one the rest), however the rows
    arrive, so the same rows give the same bytes whether they come one document at a time
    or as whole tables of shard parts.
    """

    def __init__(
        self, output_dir: Path, name: str, durable: bool = True, schema: pa.Schema | None = None
    ) -> None:
        self.name = name
        self.durable = durable
        self.schema = described(name, schema or SCHEMAS[name])
        self.group_rows = group_rows(name)
        self.path = Path(output_dir) / f"{name}.parquet"
        self.tmp_path = self.path.with_name(f".{name}.parquet.{os.getpid()}.tmp")
        self._writer = pq.ParquetWriter(
            self.tmp_path,
            self.schema,
            compression="zstd",
            use_dictionary=dictionary_columns(self.schema),
        )
        self._rows: list[dict] = []
        self._tables: list[pa.Table] = []
        self._buffered = 0
        self.rows = 0

    def add(self, rows: Iterable[dict]) -> None:
        """Queue rows; full row groups are written out."""
        before = len(self._rows)
        self._rows.extend(rows)
        self._buffered += len(self._rows) - before
        if self._buffered >= self.group_rows:
            self._write(final=False)

    def add_table(self, table: pa.Table) -> None:
        """Queue the rows of an Arrow table of this schema (a shard's part, say)."""
        self._convert()
        self._tables.append(table.cast(self.schema))
        self._buffered += table.num_rows
        if self._buffered >= self.group_rows:
            self._write(final=False)

    def _convert(self) -> None:
        if self._rows:
            self._tables.append(pa.Table.from_pylist(self._rows, schema=self.schema))
            self._rows = []

    def _write(self, final: bool) -> None:
        self._convert()
        if not self._tables:
            return
        table = pa.concat_tables(self._tables)
        while table.num_rows >= self.group_rows or (final and table.num_rows):
            group = table.slice(0, self.group_rows)
            self._writer.write_table(group, row_group_size=self.group_rows)
            self.rows += group.num_rows
            table = table.slice(group.num_rows)
        self._tables = [table] if table.num_rows else []
        self._buffered = table.num_rows

    def finish(self) -> None:
        """Write the last rows and the footer, and flush the temp file to disk."""
        self._write(final=True)
        self._writer.close()
        if self.durable:
            with open(self.tmp_path, "rb") as fh:
                os.fsync(fh.fileno())

    def publish(self) -> None:
        """Atomically replace the previous table with the finished temp file."""
        os.replace(self.tmp_path, self.path)
        if self.durable:
            fsync_dir(self.path.parent)

    def commit(self) -> None:
        """Finish the file and atomically replace the previous table."""
        self.finish()
        self.publish()

    def abort(self) -> None:
        """Drop the temporary file; the previous table stays as it was."""
        try:
            self._writer.close()
        finally:
            self.tmp_path.unlink(missing_ok=True)


def mark_duplicates(documents: pa.Table, first: dict[str, str]) -> pa.Table:
    """Fill `duplicate_of`: the doc_id of the first page with the same content hash.

    `first` maps each hash seen so far to its first doc_id; give the tables in input order.
    """
    duplicates = []
    ids = documents.column("doc_id").to_pylist()
    for doc_id, digest in zip(ids, documents.column("content_hash").to_pylist(), strict=True):
        original = doc_id if digest is None else first.setdefault(digest, doc_id)
        duplicates.append(None if original == doc_id else original)
    position = documents.schema.get_field_index("duplicate_of")
    return documents.set_column(position, "duplicate_of", pa.array(duplicates, STRING))


def fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_table(output_dir: Path, name: str, rows: Iterable[dict]) -> Path:
    """Write a whole table at once (atomically)."""
    writer = TableWriter(output_dir, name)
    try:
        writer.add(rows)
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    return writer.path
