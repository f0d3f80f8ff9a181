"""One batch run over a hostile corpus: every input accounted for, a clear reason, no hang."""

from __future__ import annotations

import re
from collections import Counter

import pyarrow.parquet as pq
import pytest
from hostile_pages import SEED_PAGES, make_hostile_corpus

from pipeline.batch.run import run

TIMEOUT = 5.0
TIMED_OUT = re.compile(r"(clean|language|extract|link): timed out after 5 s")
WARC_PAGES = {"warc/mixed.warc": 2, "warc/truncated.warc": 2}
"""Rows of each WARC: its HTML/text responses (mixed) or the pages before the cut + the error."""


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict[str, list[dict]]]:
    folder = tmp_path_factory.mktemp("hostile")
    expect = make_hostile_corpus(folder / "in")
    summary = run(folder / "in", folder / "out", workers=2, timeout=TIMEOUT)
    rows: dict[str, list[dict]] = {}
    for row in pq.read_table(folder / "out" / "documents.parquet").to_pylist():
        rows.setdefault(row["source"].split("#")[0], []).append(row)
    projects = pq.read_table(folder / "out" / "projects.parquet").to_pylist()
    return {"expect": expect, "summary": summary, "projects": projects}, rows


def test_hostile_every_input_has_its_rows_and_nothing_else(hostile_run: tuple) -> None:
    found, rows = hostile_run
    expect, summary = found["expect"], found["summary"]
    wanted = {name: WARC_PAGES.get(name, 1) for name in expect}
    assert {name: len(got) for name, got in rows.items()} == wanted
    assert len(expect) >= 30
    assert summary.documents == sum(wanted.values())
    assert summary.skipped_files == 2  # the FIFO and the folder symlink loop


def test_hostile_rows_have_the_expected_status_and_a_readable_reason(hostile_run: tuple) -> None:
    found, rows = hostile_run
    wrong = {}
    for name, outcome in found["expect"].items():
        statuses = (outcome.status,) if isinstance(outcome.status, str) else outcome.status
        for row in rows[name]:
            if row["status"] == "error" and TIMED_OUT.fullmatch(row["error"] or ""):
                continue  # a pathological page stopped by the time limit
            if "#" in row["source"] and row["status"] == "ok":
                continue  # the pages of a WARC before its damage
            reason = row["error"] or ""
            if row["status"] not in statuses or (
                row["status"] != "ok" and not all(word in reason for word in outcome.words)
            ):
                wrong[row["source"]] = (row["status"], reason)
    assert wrong == {}


def test_hostile_crashes_and_time_limits_are_error_rows_not_failures(hostile_run: tuple) -> None:
    _, rows = hostile_run
    errors = [row["error"] for got in rows.values() for row in got if row["status"] == "error"]
    crashes = [e for e in errors if not e.startswith("read: ") and not TIMED_OUT.fullmatch(e)]
    assert crashes == []
    assert all(row["status"] != "error" or row["error"] for got in rows.values() for row in got)


def test_hostile_seed_pages_keep_their_projects(hostile_run: tuple) -> None:
    found, rows = hostile_run
    by_doc = Counter()
    acronyms: dict[str, set[str]] = {}
    for project in found["projects"]:
        by_doc[project["doc_id"]] += 1
        acronyms.setdefault(project["doc_id"], set()).add(project["acronym"])
    for name, wanted in SEED_PAGES.items():
        [row] = rows[name]
        assert row["status"] == "ok"
        assert wanted <= acronyms[row["doc_id"]], name


def test_hostile_decoded_pages_keep_their_text(hostile_run: tuple) -> None:
    _, rows = hostile_run
    for name in ("encodings/windows-1251.txt", "encodings/utf-16.txt", "warc/mixed.warc"):
        assert any("партньорите" in (row["text"] or "") for row in rows[name]), name
    for name in ("huge/fifty-megabytes.html", "huge/deep-nesting.html", "binary/nul.txt"):
        [row] = rows[name]
        assert "Skills4Cities" in row["text"] and "\x00" not in row["text"], name
