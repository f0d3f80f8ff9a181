"""Command line: `newsfacts run INPUT_DIR OUTPUT_DIR`, with a progress bar and a summary line."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from pipeline.deadline import DEFAULT_TIMEOUT

EPILOG_RUN = """examples:
  newsfacts run raw output                 all cores, progress bar on stderr
  newsfacts run raw output --workers 1     one process (easiest to debug)
  newsfacts run archive/ out/ --limit 100  the first 100 input files only
  newsfacts run raw output --incremental   only pages new or changed since the last run
  newsfacts run s3://bucket/crawl /shared/out --dask tcp://scheduler:8786
                                           on a Dask cluster (pip install 'newsfacts[dask]')

Input: .txt, .html/.htm, .warc/.warc.gz, and .txt.gz/.html.gz, found recursively.
Output: documents, mentions, projects and partners .parquet in OUTPUT_DIR.
Run state (finished shards, lock) is kept in OUTPUT_DIR/.newsfacts: a run that was
killed or stopped resumes from its finished shards when started again with the same command.
Exit code 0 when the run completed, even if some pages failed (they get status=error rows);
2 when the run cannot proceed (bad folder, another run holds OUTPUT_DIR); 1 when writing
the output failed (disk full, say) - the previous tables are then left as they were.
"""


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def _seconds(value: str) -> float:
    number = float(value)
    if not number > 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return number


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="newsfacts",
        description="Facts about EU-funded projects from archived news pages, as Parquet tables.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = commands.add_parser(
        "run",
        help="run the pipeline over a folder of pages",
        description="Run the pipeline over INPUT_DIR and write the tables into OUTPUT_DIR.",
        epilog=EPILOG_RUN,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument("input_dir", type=Path, metavar="INPUT_DIR")
    run.add_argument("output_dir", type=Path, metavar="OUTPUT_DIR")
    run.add_argument(
        "--workers",
        type=_positive,
        default=os.cpu_count() or 1,
        help="worker processes (default: the number of cores, %(default)s here)",
    )
    run.add_argument("--limit", type=_positive, help="process only the first N input files")
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
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def _run(args: argparse.Namespace) -> int:
    from pipeline.run import RunError, run

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
        )
    except RunError as exc:
        print(f"newsfacts: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"newsfacts: error: cannot write the output: {exc}", file=sys.stderr)
        return 1
    for note in summary.notes:
        print(f"newsfacts: {note}", file=sys.stderr)
    print(f"newsfacts: {summary.line()}", file=sys.stderr)
    return 0


COMMANDS = {"run": _run}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `newsfacts` console script."""
    args = build_parser().parse_args(argv)
    return COMMANDS[args.command](args)
