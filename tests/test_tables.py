"""The output tables: the contract's columns and types, nulls, offsets, streamed row groups,
column descriptions and dictionary encoding."""

from __future__ import annotations

import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fixture_tables import write_fixture_tables
from scale_pages import make_corpus

from pipeline import tables
from pipeline.batch.run import run
from pipeline.document import MENTION_KINDS, PARTNER_ROLES

S, I64, F64 = pa.string(), pa.int64(), pa.float64()
# CONTRACT.md, table by table: the columns analysts load, in order, with their types.
CONTRACT = {
    "documents": [
        ("doc_id", S), ("source", S), ("url", S), ("title", S), ("published", S),
        ("language", S), ("text", S), ("status", S), ("error", S),
    ],
    "mentions": [
        ("doc_id", S), ("kind", S), ("text", S), ("value", S), ("start", I64), ("end", I64),
        ("amount", F64), ("currency", S), ("rule", S), ("project_id", S),
    ],
    "projects": [
        ("doc_id", S), ("project_id", S), ("name", S), ("acronym", S), ("programme", S),
        ("grant_number", S), ("start_date", S), ("end_date", S), ("duration_months", I64),
        ("total_budget", F64), ("eu_contribution", F64), ("currency", S),
    ],
    "partners": [
        ("doc_id", S), ("project_id", S), ("organization", S), ("country", S), ("role", S),
    ],
}  # fmt: skip


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    corpus = make_corpus(tmp_path_factory.mktemp("in"), 40)
    (corpus / "b" / "empty.txt").write_text("   \n", encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    run(corpus, out, workers=1)
    return out


def read(output: Path, name: str) -> list[dict]:
    return pq.read_table(output / f"{name}.parquet").to_pylist()


@pytest.mark.parametrize("name", list(CONTRACT))
def test_tables_schema_starts_with_the_contract_columns(output: Path, name: str) -> None:
    schema = pq.read_schema(output / f"{name}.parquet")
    expected = CONTRACT[name]
    assert [(f.name, f.type) for f in schema][: len(expected)] == expected
    assert set(tables.TABLES) == set(CONTRACT)


@pytest.mark.parametrize("name", list(CONTRACT))
def test_tables_missing_values_are_null_never_blank(output: Path, name: str) -> None:
    for row in read(output, name):
        for column, value in row.items():
            assert not (isinstance(value, str) and not value.strip()), (name, column, row)


def test_tables_mention_text_is_the_document_text_at_its_offsets(output: Path) -> None:
    texts = {row["doc_id"]: row["text"] for row in read(output, "documents")}
    mentions = read(output, "mentions")
    assert mentions
    for mention in mentions:
        assert texts[mention["doc_id"]][mention["start"] : mention["end"]] == mention["text"]
        assert mention["kind"] in MENTION_KINDS


def test_tables_vocabularies(output: Path) -> None:
    documents = read(output, "documents")
    assert {row["status"] for row in documents} <= {"ok", "empty", "error"}
    assert any(row["status"] == "empty" for row in documents)
    assert all((row["status"] == "ok") == (row["error"] is None) for row in documents)
    assert {row["role"] for row in read(output, "partners")} <= {*PARTNER_ROLES, None}


def test_tables_documents_are_in_input_order(output: Path) -> None:
    sources = [row["source"] for row in read(output, "documents")]
    assert sources == sorted(sources, key=lambda source: source.split("/"))


def rows_for(n: int) -> list[dict]:
    return [{"doc_id": f"d{i:03d}", "source": f"s{i}", "text": "x" * i} for i in range(n)]


def test_tables_row_groups_are_exact_however_rows_arrive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tables, "DOCUMENT_GROUP_ROWS", 4)
    rows = rows_for(11)
    (tmp_path / "one").mkdir()
    one = tables.TableWriter(tmp_path / "one", "documents")
    for row in rows:
        one.add([row])
    one.commit()
    (tmp_path / "two").mkdir()
    two = tables.TableWriter(tmp_path / "two", "documents")
    schema = tables.SCHEMAS["documents"]
    two.add(rows[:2])
    two.add_table(pa.Table.from_pylist(rows[2:7], schema=schema))
    two.add(rows[7:8])
    two.add_table(pa.Table.from_pylist(rows[8:], schema=schema))
    two.commit()
    first, second = one.path.read_bytes(), two.path.read_bytes()
    assert first == second
    meta = pq.read_metadata(one.path)
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [4, 4, 3]
    assert pq.read_table(one.path).column("doc_id").to_pylist() == [r["doc_id"] for r in rows]


def test_tables_abort_keeps_the_previous_table(tmp_path: Path) -> None:
    tables.write_table(tmp_path, "documents", rows_for(2))
    before = (tmp_path / "documents.parquet").read_bytes()
    writer = tables.TableWriter(tmp_path, "documents")
    writer.add(rows_for(5))
    writer.abort()
    assert (tmp_path / "documents.parquet").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["documents.parquet"]


README = Path(__file__).parents[1] / "README.md"
README_TABLE = re.compile(r"^### (\w+)\.parquet.*?\n(.*?)(?=^##)", re.S | re.M)


def readme_meanings() -> dict[str, dict[str, str]]:
    """Table -> column -> meaning, as README.md's tables give them."""
    found: dict[str, dict[str, str]] = {}
    for match in README_TABLE.finditer(README.read_text(encoding="utf-8")):
        rows = [line.strip().strip("|").split("|") for line in match.group(2).splitlines()]
        found[match.group(1)] = {
            column.strip(): "|".join(cells[2:]).strip()
            for cells in rows
            if len(cells) >= 3 and cells[0].strip() not in ("column", "---")
            for column in cells[0].split(",")
        }
    return found


@pytest.mark.parametrize("name", tables.OUTPUT_TABLES)
def test_tables_every_column_carries_its_readme_description(output: Path, name: str) -> None:
    schema = pq.read_schema(output / f"{name}.parquet")
    readme = readme_meanings()[name]
    assert {f.name: f.metadata[tables.DESCRIPTION].decode() for f in schema} == readme
    assert tables.column_descriptions()[name] == readme


def encodings(path: Path) -> dict[str, tuple[str, ...]]:
    """Column -> the Parquet encodings of its first row group."""
    group = pq.ParquetFile(path).metadata.row_group(0)
    return {
        group.column(i).path_in_schema: group.column(i).encodings
        for i in range(group.num_columns)
    }


def test_tables_low_cardinality_columns_are_dictionary_encoded(
    output: Path, tmp_path: Path
) -> None:
    documents = encodings(output / "documents.parquet")
    mentions = encodings(output / "mentions.parquet")
    projects = encodings(output / "projects.parquet")
    partners = encodings(write_fixture_tables(tmp_path) / "partners.parquet")
    dictionary = [
        documents["status"], documents["language"], documents["format"],
        mentions["kind"], mentions["currency"], mentions["rule"], partners["role"],
        projects["currency"], projects["programme"], partners["country"],
    ]  # fmt: skip
    assert all("RLE_DICTIONARY" in found for found in dictionary)
    plain = [
        documents["text"], documents["doc_id"], mentions["text"], mentions["start"],
        partners["organization"],
    ]  # fmt: skip
    assert not any("RLE_DICTIONARY" in found for found in plain)
    loaded = pq.read_table(output / "mentions.parquet", read_dictionary=["kind"])
    assert pa.types.is_dictionary(loaded.schema.field("kind").type)
    assert set(loaded.column("kind").to_pylist()) <= set(MENTION_KINDS)
def test_tables_duplicates_point_at_the_first_page_with_the_same_content() -> None:
    rows = [
        {"doc_id": "a", "content_hash": "h1"},
        {"doc_id": "b", "content_hash": "h2"},
        {"doc_id": "c", "content_hash": None},
        {"doc_id": "d", "content_hash": "h1"},
    ]
    schema = tables.SCHEMAS["documents"]
    first: dict[str, str] = {}
    part_one = tables.mark_duplicates(pa.Table.from_pylist(rows[:2], schema=schema), first)
    part_two = tables.mark_duplicates(pa.Table.from_pylist(rows[2:], schema=schema), first)
    marked = pa.concat_tables([part_one, part_two]).column("duplicate_of").to_pylist()
    assert marked == [None, None, None, "a"]
