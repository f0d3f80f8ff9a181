"""Progress: a log line at each tenth of the input when stderr is not a terminal."""

from __future__ import annotations

import logging

import pytest

from pipeline.batch.progress import Progress


def test_progress_logs_a_line_at_each_tenth_of_the_pages(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="newsfacts")
    progress = Progress(40, shown=True)
    assert progress.bar is None  # pytest's stderr is not a terminal
    for n in range(1, 10):
        progress.update(3, n * 2**20)
    progress.close()
    lines = [record.getMessage() for record in caplog.records]
    assert [line.split(" pages (")[0] for line in lines] == [
        f"progress: {pages}/40" for pages in (6, 9, 12, 18, 21, 24)  # 15 and 27: no new tenth
    ]
    assert lines[-1].startswith("progress: 24/40 pages (60 %), 8.0 MB read, ")
    assert {record.levelno for record in caplog.records} == {logging.INFO}


def test_progress_not_asked_for_is_debug_only(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="newsfacts")
    progress = Progress(2, shown=False)
    progress.update(2, 2)
    assert [record.levelno for record in caplog.records] == [logging.DEBUG]
