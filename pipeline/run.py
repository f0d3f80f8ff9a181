"""The run: every input through the stages, one error boundary per document, tables out."""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from pipeline.clean import clean
from pipeline.document import STATUS_EMPTY, STATUS_ERROR, STATUS_OK, Document
from pipeline.extract import extract
from pipeline.language import detect_language
from pipeline.link import link
from pipeline.read import list_inputs, read_path
from pipeline.tables import TABLES, TableWriter, document_rows

Stage = Callable[[Document], Document]
STAGES: tuple[tuple[str, Stage], ...] = (
    ("clean", clean),
    ("language", detect_language),
    ("extract", extract),
    ("link", link),
)
EMPTY_REASON = "no main text after boilerplate removal"


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

    @property
    def documents(self) -> int:
        return sum(self.statuses.values())

    def line(self) -> str:
        """The one-line summary printed at the end of a run."""
        rate = self.documents / self.seconds if self.seconds else 0.0
        return (
            f"{self.documents} documents ({self.statuses[STATUS_OK]} ok, "
            f"{self.statuses[STATUS_EMPTY]} empty, {self.statuses[STATUS_ERROR]} error), "
            f"{self.skipped_files} files skipped, {self.rows.get('mentions', 0)} mentions, "
            f"{self.rows.get('projects', 0)} projects, {self.rows.get('partners', 0)} partners "
            f"in {self.seconds:.1f} s ({rate:.1f} pages/s)"
        )


def describe(exc: BaseException) -> str:
    """A short reason for an error row: the exception type and its message."""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def process(doc: Document) -> Document:
    """Run the stages over one document; an exception marks it as failed, never escapes."""
    if doc.status == STATUS_ERROR:
        return doc
    for name, stage in STAGES:
        try:
            doc = stage(doc)
        except Exception as exc:  # the one error boundary per document
            doc.fail(name, describe(exc))
            break
        if name == "clean" and not doc.text.strip():
            doc.text = ""
            doc.status, doc.error = STATUS_EMPTY, EMPTY_REASON
            break
    doc.raw = ""
    return doc


def process_path(path: Path, input_dir: Path) -> list[dict[str, list[dict]]]:
    """Read one input file and process every document in it; returns their table rows."""
    return [document_rows(process(doc)) for doc in read_path(path, input_dir)]


def _process_task(task: tuple[Path, Path]) -> list[dict[str, list[dict]]]:
    return process_path(*task)


def warm_up() -> None:
    """Load rules and models once per worker process, before the first page."""
    process(Document.from_source("warm-up.txt", raw=WARM_UP_TEXT))


WARM_UP_TEXT = (
    "On 2 November 2020 the Cluster Sofia Knowledge City launched the Skills4Cities project, "
    "funded by Erasmus+ with a budget of 189.982 EUR, with partners from Spain and Austria."
)


def check_paths(input_dir: Path, output_dir: Path) -> None:
    """Refuse a run that cannot proceed, with a message a person understands."""
    if not input_dir.is_dir():
        raise RunError(f"input folder not found: {input_dir}")
    inp, out = input_dir.resolve(), output_dir.resolve()
    if out == inp or inp in out.parents:
        raise RunError(f"output folder {output_dir} is inside the input folder {input_dir}")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RunError(f"cannot create output folder {output_dir}: {exc.strerror}") from exc
    if not os.access(out, os.W_OK):
        raise RunError(f"output folder is not writable: {output_dir}")


def _results(tasks: list[tuple[Path, Path]], workers: int) -> Iterator[list[dict[str, list[dict]]]]:
    if workers <= 1 or len(tasks) <= 1:
        warm_up()
        yield from map(_process_task, tasks)
        return
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, initializer=warm_up) as pool:
        yield from pool.imap(_process_task, tasks, chunksize=1)


def run(
    input_dir: Path | str,
    output_dir: Path | str,
    workers: int | None = None,
    limit: int | None = None,
    progress: bool = False,
) -> RunSummary:
    """Process every page under `input_dir` and write the tables into `output_dir`."""
    started = time.perf_counter()
    input_dir, output_dir = Path(input_dir), Path(output_dir)
    check_paths(input_dir, output_dir)
    inputs, skipped = list_inputs(input_dir)
    if limit is not None:
        inputs = inputs[:limit]
    summary = RunSummary(skipped_files=len(skipped), input_files=len(inputs))
    workers = workers or os.cpu_count() or 1
    writers = {name: TableWriter(output_dir, name) for name in TABLES}
    bar = tqdm(total=len(inputs), unit="file", disable=not progress or None, file=sys.stderr)
    try:
        for result in _results([(path, input_dir) for path in inputs], workers):
            for rows in result:
                summary.statuses[rows["documents"][0]["status"]] += 1
                for name in TABLES:
                    writers[name].add(rows[name])
            bar.update(1)
        for writer in writers.values():
            writer.commit()
    except BaseException:
        for writer in writers.values():
            writer.abort()
        raise
    finally:
        bar.close()
    summary.rows = {name: writer.rows for name, writer in writers.items()}
    summary.seconds = time.perf_counter() - started
    return summary
