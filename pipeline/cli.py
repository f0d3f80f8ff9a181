"""Command line: `newsfacts run INPUT_DIR OUTPUT_DIR` (progress bar, summary line), `extract`,
`report`, `explain` and `rules check`."""

from __future__ import annotations

import argparse
import datetime
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path

from pipeline.batch.deadline import DEFAULT_TIMEOUT

LOG = logging.getLogger("newsfacts")
EPILOG_RUN = """examples:
  newsfacts run raw output                 all cores, progress bar on stderr
  newsfacts run raw output --workers 1     one process (easiest to debug)
  newsfacts run archive/ out/ --limit 100  the first 100 pages only
  newsfacts run raw output --incremental   only pages new or changed since the last run
  newsfacts run s3://bucket/crawl out      pages in S3 (pip install 'newsfacts[remote]');
                                           credentials and endpoint from the environment,
                                           as boto reads them: AWS_ACCESS_KEY_ID,
                                           AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL...
  newsfacts run gs://bucket/crawl out      the same for Google Cloud Storage (gcsfs)
  newsfacts run s3://bucket/crawl /shared/out --dask tcp://scheduler:8786
                                           on a Dask cluster (pip install 'newsfacts[dask]')

Input: .txt, .html/.htm, .warc/.warc.gz, and .txt.gz/.html.gz, found recursively. A WARC
with many pages is cut into spans of records that run in parallel (the tables do not change).
Output: documents, mentions, projects, partners, project_index and partner_index
.parquet in OUTPUT_DIR.
Run state (finished shards, lock) is kept in OUTPUT_DIR/.newsfacts: a run that was
killed or stopped resumes from its finished shards when started again with the same command.
Exit code 0 when the run completed, even if some pages failed (they get status=error rows);
2 when the run cannot proceed (bad folder, no page found, a rule file in error, another
run holds OUTPUT_DIR); 130 or 143 when stopped by Ctrl-C or SIGTERM; 1 when writing
the output failed (disk full, say) - the previous tables are then left as they were.
"""


GZIP_MAGIC = b"\x1f\x8b"
WARC_MAGIC = b"WARC/"


def _whole_number(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number of at least `minimum`, else a one-line error."""

    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
        if number < minimum:
            raise argparse.ArgumentTypeError(f"must be {minimum} or more")
        return number

    return parse


_positive = _whole_number(1)
_non_negative = _whole_number(0)


def _location(value: str) -> str | Path:
    """A local path, or a URL (`s3://bucket/crawl`, as read.inputs.is_url tells) kept as typed."""
    return value if "://" in value else Path(value)


def _seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds") from None
    if not number > 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return number


def _count(value: str) -> int:
    try:
        return max(int(value), 0)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None


def version() -> str:
    """The installed version of newsfacts."""
    from importlib import metadata

    try:
        return metadata.version("newsfacts")
    except metadata.PackageNotFoundError:
        return "(not installed)"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="newsfacts",
        description="Facts about EU-funded projects from archived news pages, as Parquet tables.",
    )
    parser.add_argument("--version", action="version", version=f"newsfacts {version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = commands.add_parser(
        "run",
        help="run the pipeline over a folder of pages",
        description="Run the pipeline over INPUT_DIR and write the tables into OUTPUT_DIR.",
        epilog=EPILOG_RUN,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument("input_dir", type=_location, metavar="INPUT_DIR")
    run.add_argument("output_dir", type=_location, metavar="OUTPUT_DIR")
    run.add_argument(
        "--workers",
        type=_positive,
        default=os.cpu_count() or 1,
        help="worker processes (default: the number of cores, %(default)s here)",
    )
    run.add_argument(
        "--limit",
        type=_positive,
        help="process only the first N pages (a WARC counts its pages, and is cut after the N-th)",
    )
    run.add_argument(
        "--timeout",
        type=_seconds,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help="time limit per page; a slower page gets an error row (default: %(default)g)",
    )
    run.add_argument(
        "--incremental",
        action="store_true",
        help="process only files new or changed (by content hash) since the last run",
    )
    run.add_argument(
        "--dask",
        metavar="ADDRESS",
        default=os.environ.get("DASK_SCHEDULER_ADDRESS"),
        help="run on the Dask scheduler at ADDRESS, e.g. tcp://host:8786 "
        "(default: $DASK_SCHEDULER_ADDRESS, else a local process pool)",
    )
    run.add_argument(
        "--quiet",
        action="store_true",
        help="no progress bar (and no progress lines when stderr is not a terminal)",
    )
    run.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="also say what each shard did, which files were skipped and why",
    )
    run.add_argument(
        "--log-file",
        type=Path,
        metavar="PATH",
        help="append every message, with -v's detail and a timestamp, to PATH",
    )
    run.add_argument(
        "--allow-empty",
        action="store_true",
        help="write empty tables when INPUT_DIR holds no page (default: exit 2, keep the tables)",
    )
    evaluate = commands.add_parser(
        "evaluate",
        help="run the pipeline over annotated pages and score it against their gold",
        description=(
            "Run the pipeline over INPUT_DIR and print per-field precision, recall and F1 "
            "against GOLD (a .jsonl in the format of the gold sets), with the same "
            "definitions as the shared scorer, then the figures per language, the most "
            "frequent kinds of error (described by shape, quoting no page) and the worst "
            "pages (left out with --sealed)."
        ),
        epilog="example:\n  newsfacts evaluate tests/corpus/dev.gold.jsonl tests/corpus/dev",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    evaluate.add_argument("gold", type=Path, metavar="GOLD")
    evaluate.add_argument("input_dir", type=Path, metavar="INPUT_DIR")
    evaluate.add_argument(
        "--output", type=Path, help="keep the run's tables here (default: a temporary folder)"
    )
    evaluate.add_argument("--workers", type=_positive, default=1, help="default: %(default)s")
    evaluate.add_argument("--worst", type=_count, default=5, help="pages to list (default: 5)")
    evaluate.add_argument(
        "--categories",
        type=_count,
        default=20,
        metavar="N",
        help="kinds of error to list, most frequent first (default: %(default)s)",
    )
    evaluate.add_argument(
        "--sealed",
        action="store_true",
        help="a blind set: print figures and error categories only, no page names",
    )

    report = commands.add_parser(
        "report",
        help="write OUTPUT_DIR/report.html about a run",
        description="Write OUTPUT_DIR/report.html: a self-contained page with the run summary, "
        "the errors by reason, plots and the projects table.",
    )
    report.add_argument("output_dir", type=Path, metavar="OUTPUT_DIR")

    extract = commands.add_parser(
        "extract",
        help="print one page's facts as JSON (the command-line twin of pipeline.extract_facts)",
        description="Run every stage over one page (text or HTML, gzip allowed) and print its "
        "facts as JSON: the document row with its main text, then its mentions (with offsets "
        "into that text), projects and partners, with the columns of the tables.",
        epilog="examples:\n  newsfacts extract page.html --url https://example.org/news/1\n"
        "  curl -s https://example.org/news/1 | newsfacts extract - --indent 0",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    extract.add_argument("page", metavar="PAGE", help="the page's file, or - for standard input")
    extract.add_argument("--url", help="the page's URL (fills `url` and the document id)")
    extract.add_argument(
        "--language", metavar="CODE", help="ISO 639-1 code of the page; skips detection"
    )
    extract.add_argument(
        "--indent",
        type=_non_negative,
        default=2,
        metavar="N",
        help="spaces of JSON indentation; 0 prints one line (default: %(default)s)",
    )

    explain = commands.add_parser(
        "explain",
        help="show one page's text with its mentions marked, and the facts built from it",
        description="Run the stages on FILE and print its main text with every mention marked "
        "inline as [[text|kind=value|rule]], then its projects and partners.",
    )
    explain.add_argument("file", type=Path, metavar="FILE")
    explain.add_argument(
        "--input-dir",
        type=Path,
        help="the folder FILE's source is taken relative to (default: FILE's folder)",
    )
    explain.add_argument(
        "--colour",
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="ANSI colours instead of [[...]] markers (auto: when stdout is a terminal)",
    )

    rules = commands.add_parser("rules", help="work with the rule files")
    rules_commands = rules.add_subparsers(dest="rules_command", required=True, metavar="ACTION")
    check = rules_commands.add_parser(
        "check",
        help="validate the rule files and run their examples",
        description="Validate the rule files and run every example and counter-example; "
        "each failure names the rule id and its file. Exit code 1 when anything fails.",
    )
    check.add_argument("lang", nargs="?", metavar="LANG", help="one language (default: all)")
    return parser


def _iso(value: object) -> str:
    """A typed date of the tables as JSON: its ISO string."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _error(message: str, code: int) -> int:
    """Print a clear error on stderr and give the exit code."""
    LOG.error("error: %s", message)
    return code


def _run(args: argparse.Namespace) -> int:
    from pipeline.batch.errors import RunError
    from pipeline.batch.run import run

    try:
        summary = run(
            args.input_dir,
            args.output_dir,
            workers=args.workers,
            limit=args.limit,
            progress=not args.quiet,
            timeout=args.timeout,
            incremental=args.incremental,
            dask=args.dask,
            allow_empty=args.allow_empty,
        )
    except RunError as exc:
        return _error(f"{exc}", 2)
    except OSError as exc:
        return _error(f"cannot write the output: {exc}", 1)
    for note in summary.notes:
        LOG.warning("%s", note)
    LOG.info("%s", summary.line())
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    import tempfile

    from pipeline.batch.errors import RunError
    from pipeline.batch.run import run
    from pipeline.tools.evaluate import (
        format_language_table,
        format_run_scores,
        read_gold,
        read_tables,
        score_run,
        scores_by_language,
        worst_pages,
    )
    from pipeline.tools.miss_categories import format_categories, miss_categories

    if not args.gold.is_file():
        return _error(f"gold file not found: {args.gold}", 2)
    try:
        gold = read_gold(args.gold)
        missing = [r["doc"] for r in gold if not (args.input_dir / r["doc"]).is_file()]
    except (ValueError, KeyError, TypeError) as exc:
        return _error(f"{args.gold} is not a gold file (JSON lines with a 'doc'): {exc}", 2)
    if missing:
        return _error(
            f"{len(missing)} of the {len(gold)} gold pages are not in {args.input_dir} "
            f"(the first: {missing[0]}): give the folder the gold was made from",
            2,
        )
    with tempfile.TemporaryDirectory(prefix="newsfacts-evaluate-") as scratch:
        output = args.output or Path(scratch)
        try:
            run(args.input_dir, output, workers=args.workers)
        except RunError as exc:
            return _error(f"{exc}", 2)
        tables = read_tables(output)
    total = score_run(gold, args.input_dir, tables)
    print(format_run_scores(total))
    print("per language (F1; attributes, boilerplate removed, content kept, title: shares):")
    print(format_language_table(scores_by_language(gold, args.input_dir, tables), total))
    if args.categories > 0:
        print("most frequent kinds of error:")
        print(format_categories(miss_categories(gold, args.input_dir, tables), args.categories))
    if args.worst > 0 and not args.sealed:
        print("worst pages:")
        for score, doc in worst_pages(gold, args.input_dir, tables, args.worst):
            print(f"  {score:.3f}  {doc}")
    return 0


def _report(args: argparse.Namespace) -> int:
    from pipeline.tools.report import ReportError, write_report

    try:
        path = write_report(args.output_dir)
    except ReportError as exc:
        return _error(f"{exc}", 2)
    except (OSError, ValueError) as exc:  # a table that is not Parquet (ArrowInvalid), say
        return _error(f"cannot read the tables in {args.output_dir}: {exc}", 2)
    print(f"newsfacts: wrote {path}", file=sys.stderr)
    return 0


def _explain(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        return _error(f"file not found: {args.file}", 2)
    from pipeline.batch.worker import process
    from pipeline.read.files import read_path
    from pipeline.tools.explain import explain_document

    colour = args.colour == "always" or (args.colour == "auto" and sys.stdout.isatty())
    input_dir = args.input_dir or args.file.parent
    for doc in read_path(args.file, input_dir):
        print(explain_document(process(doc), colour=colour), end="\n\n")
    return 0


def _extract(args: argparse.Namespace) -> int:
    import gzip
    import json

    from pipeline.api import extract_facts
    from pipeline.langdata import available_languages
    from pipeline.tables import document_rows

    if args.language is not None and args.language not in available_languages():
        known = ", ".join(available_languages())
        return _error(f"unknown language {args.language!r} (known: {known})", 2)
    if args.page == "-":
        data = sys.stdin.buffer.read()
    else:
        path = Path(args.page)
        if not path.is_file():
            return _error(f"file not found: {path}", 2)
        try:
            data = path.read_bytes()
        except OSError as exc:
            return _error(f"cannot read {path}: {exc.strerror}", 2)
    if data.startswith(GZIP_MAGIC):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            return _error(f"{args.page}: not a readable gzip file ({exc})", 2)
    if data.startswith(WARC_MAGIC):
        return _error(
            f"{args.page} is a WARC archive (many pages): use `newsfacts run` or `explain`", 2
        )
    doc = extract_facts(data, url=args.url, language=args.language)
    rows = document_rows(doc)
    facts = {"document": rows["documents"][0]} | {
        name: rows[name] for name in ("mentions", "projects", "partners")
    }
    try:
        text = json.dumps(facts, ensure_ascii=False, indent=args.indent or None, default=_iso)
        print(text, flush=True)
    except BrokenPipeError:
        # The reader left (`| head`): stop quietly, as other command-line tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    if doc.status == "error":
        return _error(f"{args.page}: {doc.error}", 1)
    return 0


def _rules(args: argparse.Namespace) -> int:
    from pipeline.extract.rule_check import check_examples
    from pipeline.langdata import RuleError, available_languages

    known = available_languages()
    if args.lang is not None and args.lang not in known:
        return _error(f"unknown language {args.lang!r} (rule folders: {', '.join(known)})", 2)
    try:
        failures = check_examples(args.lang)
    except RuleError as exc:
        return _error(f"{exc}", 1)
    for failure in failures:
        print(failure)
    scope = f"language {args.lang}" if args.lang else "all languages"
    if failures:
        print(f"newsfacts: {len(failures)} rule check failures ({scope})", file=sys.stderr)
        return 1
    print(f"newsfacts: rule files valid, every example passes ({scope})", file=sys.stderr)
    return 0


class _LogFileError(Exception):
    """The log file cannot be opened."""


@contextmanager
def _logging(verbose: bool, log_file: Path | None) -> Iterator[None]:
    """Messages of the `newsfacts` logger to stderr ("newsfacts: ...") and to `log_file`."""
    console = logging.StreamHandler(sys.stderr)
    console.setFormatter(logging.Formatter("newsfacts: %(message)s"))
    console.setLevel(logging.DEBUG if verbose else logging.INFO)
    handlers: list[logging.Handler] = [console]
    if log_file is not None:
        try:
            handler: logging.Handler = logging.FileHandler(log_file, encoding="utf-8")
        except OSError as exc:
            raise _LogFileError(f"{log_file}: {exc.strerror}") from None
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        handlers.append(handler)
    level, propagate = LOG.level, LOG.propagate
    LOG.setLevel(logging.DEBUG)
    LOG.propagate = False
    for handler in handlers:
        LOG.addHandler(handler)
    try:
        yield
    finally:
        for handler in handlers:
            LOG.removeHandler(handler)
            handler.close()
        LOG.setLevel(level)
        LOG.propagate = propagate


COMMANDS = {
    "run": _run,
    "evaluate": _evaluate,
    "extract": _extract,
    "report": _report,
    "explain": _explain,
    "rules": _rules,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `newsfacts` console script."""
    from pipeline.batch import interrupt

    try:
        args = build_parser().parse_args(argv)
    except KeyboardInterrupt:
        return 130
    # The handlers stay in place until the command has answered a signal, so a second signal
    # while the first is being handled ends the process at once instead of a traceback; once
    # answered, the process only exits, and further signals are ignored.
    with interrupt.interruptible():
        code, interrupted = _command(args, interrupt.MESSAGE)
    if interrupted:
        interrupt.ignore_signals()
    return code


def _command(args: argparse.Namespace, message: str) -> tuple[int, bool]:
    """Run the command: (exit code, whether a signal stopped it)."""
    with ExitStack() as stack:
        try:
            stack.enter_context(
                _logging(getattr(args, "verbose", False), getattr(args, "log_file", None))
            )
        except _LogFileError as exc:
            print(f"newsfacts: error: cannot write the log file {exc}", file=sys.stderr)
            return 2, False
        try:
            return COMMANDS[args.command](args), False
        except ValueError as exc:
            # Only a rule file read outside a run (on import, say): RuleError is a ValueError.
            if type(exc).__name__ != "RuleError":
                raise
            return _error(f"rule file in error: {exc}", 2), False
        except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM (interrupt.Interrupted)
            LOG.warning("%s", message)
            return getattr(exc, "exit_code", 130), True
