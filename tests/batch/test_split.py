"""Work units: a WARC with many pages is cut into record spans that give the unsplit tables."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
from scale_pages import make_warc, page_text, table_bytes

from pipeline.batch import split, worker
from pipeline.batch.run import run
from pipeline.cli import main
from pipeline.document import Document
from pipeline.read.files import read_path

PAGES = 23


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An input folder: a compressed and a plain WARC of several spans each, and a page."""
    folder = tmp_path_factory.mktemp("in")
    make_warc(folder / "a" / "crawl.warc.gz", PAGES)
    make_warc(folder / "b" / "crawl.warc", 9, compress=False)
    (folder / "c.txt").write_text(page_text(3), encoding="utf-8")
    return folder


@pytest.fixture
def small_spans(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(split, "SPLIT_PAGES", 4)
    return 4


def sources(output: Path) -> list[str]:
    return pq.read_table(output / "documents.parquet", columns=["source"]).column(0).to_pylist()


@pytest.mark.parametrize("rel", ["a/crawl.warc.gz", "b/crawl.warc"])
def test_split_spans_read_in_order_give_the_documents_of_the_whole_file(
    archive: Path, rel: str, small_spans: int
) -> None:
    units = split.warc_units(str(archive), rel)
    whole = [(d.source, d.raw) for d in read_path(archive / rel, archive)]
    parts = [
        (d.source, d.raw) for u in units for d in read_path(archive / rel, archive, span=u.span)
    ]
    assert parts == whole
    assert [u.pages for u in units] == [
        len(whole[i : i + small_spans]) for i in range(0, len(whole), small_spans)
    ]
    assert units[0].span[0] == 0 and units[-1].span[1] == (archive / rel).stat().st_size
    assert all(a.span[1] == b.span[0] for a, b in zip(units, units[1:], strict=False))


def test_split_small_or_damaged_warc_stays_whole(archive: Path, tmp_path: Path) -> None:
    assert split.warc_units(str(archive), "b/crawl.warc") == [split.Unit("b/crawl.warc", pages=9)]
    data = (archive / "a" / "crawl.warc.gz").read_bytes()
    (tmp_path / "cut.warc.gz").write_bytes(data[: len(data) - 40])
    (unit,) = split.warc_units(str(tmp_path), "cut.warc.gz")
    assert unit.span is None
    *pages, error = read_path(tmp_path / "cut.warc.gz", tmp_path)
    assert unit.pages == len(pages) + 1 and error.status == "error"
    fourth = int(pages[3].source.rsplit("#", 1)[1])  # a limit cuts before the damage
    limited = split.plan_units(str(tmp_path), ["cut.warc.gz"], limit=3)
    assert limited == [split.Unit("cut.warc.gz", span=(0, fourth), pages=3)]


@pytest.mark.parametrize("limit", [1, 5, PAGES + 3])
def test_split_limit_counts_pages_not_files(archive: Path, limit: int, small_spans: int) -> None:
    units = split.plan_units(str(archive), ["a/crawl.warc.gz", "b/crawl.warc", "c.txt"], limit)
    assert sum(unit.pages for unit in units) == limit
    assert all(unit.pages <= small_spans for unit in units)


def test_split_tables_equal_the_unsplit_run_for_any_worker_count(
    archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(split, "SPLIT_PAGES", 10**6)
    whole = run(archive, tmp_path / "whole", workers=1)
    monkeypatch.setattr(split, "SPLIT_PAGES", 4)
    one = run(archive, tmp_path / "one", workers=1)
    two = run(archive, tmp_path / "two", workers=2)
    assert whole.shards < one.shards == two.shards == 6 + 3 + 1
    assert table_bytes(tmp_path / "one") == table_bytes(tmp_path / "whole")
    assert table_bytes(tmp_path / "two") == table_bytes(tmp_path / "whole")
    assert one.documents == PAGES + 9 + 1
    assert one.input_bytes == sum(p.stat().st_size for p in archive.rglob("*") if p.is_file())


def test_split_killed_run_resumes_span_by_span(
    archive: Path, tmp_path: Path, small_spans: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = run(archive, tmp_path / "reference", workers=1)
    seen: list[str] = []
    stop_after = [2 * small_spans + 1]  # in the third span of the first WARC
    original = worker.process

    def counting(doc: Document, *args: object, **kwargs: object) -> Document:
        if doc.source != "warm-up.txt":
            if len(seen) == stop_after[0]:
                raise KeyboardInterrupt  # not a page error: the whole run stops
            seen.append(doc.source)
        return original(doc, *args, **kwargs)

    monkeypatch.setattr(worker, "process", counting)
    with pytest.raises(KeyboardInterrupt):
        run(archive, tmp_path / "out", workers=1)
    seen.clear()
    stop_after[0] = -1
    summary = run(archive, tmp_path / "out", workers=1)
    assert summary.shards_reused == 2
    assert len(seen) == reference.documents - 2 * small_spans
    assert table_bytes(tmp_path / "out") == table_bytes(tmp_path / "reference")


def test_split_cli_limit_gives_that_many_pages(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["run", str(archive), str(out), "--limit", "7", "--workers", "1", "--quiet"]) == 0
    assert sources(out) == [d.source for d in read_path(archive / "a/crawl.warc.gz", archive)][:7]


def test_split_incremental_run_after_an_append_redoes_only_the_new_spans(
    tmp_path: Path, small_spans: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    crawl = make_warc(folder / "crawl.warc.gz", 10)
    run(folder, tmp_path / "out", workers=1, incremental=True)
    more = make_warc(tmp_path / "more.warc.gz", 3)
    crawl.write_bytes(crawl.read_bytes() + more.read_bytes())  # a crawl that went on
    seen: list[str] = []
    original = worker.process

    def counting(doc: Document, *args: object, **kwargs: object) -> Document:
        seen.append(doc.source)
        return original(doc, *args, **kwargs)

    monkeypatch.setattr(worker, "process", counting)
    summary = run(folder, tmp_path / "out", workers=1, incremental=True)
    assert summary.shards_reused == 2 and summary.documents == 13
    assert len([source for source in seen if source != "warm-up.txt"]) == 13 - 2 * small_spans
    monkeypatch.setattr(worker, "process", original)
    run(folder, tmp_path / "clean", workers=1)
    assert table_bytes(tmp_path / "out") == table_bytes(tmp_path / "clean")
