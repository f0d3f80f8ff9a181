"""The run: one error boundary per document, a time limit per page, identical bytes."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from scale_pages import make_corpus, table_bytes

from pipeline.batch import worker as run_module
from pipeline.batch.run import run
from pipeline.batch.worker import Stage, process
from pipeline.document import Document
from pipeline.tables import TABLES


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("in"), 24)


def documents(output: Path) -> dict[str, dict]:
    return {row["source"]: row for row in pq.read_table(output / "documents.parquet").to_pylist()}


def replace_stage(
    monkeypatch: pytest.MonkeyPatch, name: str, make: Callable[[Stage], Stage]
) -> None:
    """Swap one stage of run.STAGES for `make(original)`."""
    stages = tuple((n, make(s) if n == name else s) for n, s in run_module.STAGES)
    monkeypatch.setattr(run_module, "STAGES", stages)


def test_run_failing_page_gives_error_row_naming_the_stage(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def make(original: Stage) -> Stage:
        def extract(doc: Document) -> Document:
            if doc.source == "a/p0007.txt":
                raise ValueError("broken on purpose\nsecond line")
            return original(doc)

        return extract

    replace_stage(monkeypatch, "extract", make)
    summary = run(corpus, tmp_path, workers=1)
    rows = documents(tmp_path)
    assert rows["a/p0007.txt"]["status"] == "error"
    assert rows["a/p0007.txt"]["error"] == "extract: ValueError: broken on purpose"
    assert len(rows) == 24
    assert all(row["status"] == "ok" for source, row in rows.items() if source != "a/p0007.txt")
    assert summary.statuses["error"] == 1 and summary.statuses["ok"] == 23
    mentions = pq.read_table(tmp_path / "mentions.parquet").to_pylist()
    assert rows["a/p0007.txt"]["doc_id"] not in {m["doc_id"] for m in mentions}
    assert mentions


def test_run_reader_failure_gives_read_error_row(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = run_module.read_path

    def read_path(path: Path, input_dir: Path, **options: object) -> Iterator[Document]:
        if path.name == "p0002.txt":
            raise UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte")
        return original(path, input_dir, **options)

    monkeypatch.setattr(run_module, "read_path", read_path)
    run(corpus, tmp_path, workers=1)
    row = documents(tmp_path)["b/p0002.txt"]
    assert row["status"] == "error"
    assert row["error"].startswith("read: UnicodeDecodeError")
    assert len(documents(tmp_path)) == 24


def test_run_two_runs_give_identical_bytes(corpus: Path, tmp_path: Path) -> None:
    run(corpus, tmp_path / "one", workers=1)
    run(corpus, tmp_path / "two", workers=2)
    assert table_bytes(tmp_path / "one") == table_bytes(tmp_path / "two")


def test_run_slow_page_times_out_and_the_rest_is_written(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def make(original: Stage) -> Stage:
        def link(doc: Document) -> Document:
            while doc.source == "b/p0004.html":
                time.sleep(0.01)
            return original(doc)

        return link

    replace_stage(monkeypatch, "link", make)
    # 1.5 s: no other page comes near it, even on a loaded machine
    summary = run(corpus, tmp_path, workers=1, timeout=1.5)
    rows = documents(tmp_path)
    assert rows["b/p0004.html"]["status"] == "error"
    assert rows["b/p0004.html"]["error"] == "link: timed out after 1.5 s"
    assert summary.statuses["ok"] == 23
    time.sleep(1.6)  # an alarm left armed would go off here


def test_run_summary_counts_rows_and_times_every_stage(corpus: Path, tmp_path: Path) -> None:
    summary = run(corpus, tmp_path, workers=1)
    assert summary.documents == 24 and summary.input_files == 24
    for name in TABLES:
        assert summary.rows[name] == pq.read_metadata(tmp_path / f"{name}.parquet").num_rows
    stages = [name for name, _ in run_module.STAGES]
    assert set(summary.timings) >= {"read", *stages, "write", "assemble"}
    assert all(seconds >= 0 for seconds in summary.timings.values())
    assert summary.peak_rss_mb and all(mb > 0 for mb in summary.peak_rss_mb.values())
    assert "24 documents (24 ok, 0 empty, 0 error)" in summary.line()


def test_run_empty_input_folder_writes_empty_tables(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    summary = run(tmp_path / "in", tmp_path / "out", workers=2)
    assert summary.documents == 0
    for name in TABLES:
        assert pq.read_metadata(tmp_path / "out" / f"{name}.parquet").num_rows == 0


def test_run_process_marks_blank_text_as_empty() -> None:
    doc = process(Document.from_source("blank.txt", raw="  \n\t "), timeout=5)
    assert (doc.status, doc.error, doc.text, doc.raw) == ("empty", run_module.EMPTY_REASON, "", "")
