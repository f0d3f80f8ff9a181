"""Execute a notebook against a run's output folder and save a copy with its outputs.

    python notebooks/execute.py OUTPUT_DIR [--notebook notebooks/explore.ipynb] [--into PATH]

The copy goes to PATH (default: OUTPUT_DIR/explore.ipynb, beside the tables it shows); the
tracked notebook is never written. The kernel is this Python (the `python3` kernel of the
interpreter running the script); the notebook's folder is its working directory and
NEWSFACTS_OUTPUT points it at OUTPUT_DIR. Timings and other per-execution metadata are
dropped, so the same tables give the same file.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).with_name("explore.ipynb")
TIMEOUT_SECONDS = 600
KERNEL_METADATA = {
    "display_name": "Python 3 (ipykernel)",
    "language": "python",
    "name": "python3",
}


def strip_run_metadata(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop what changes from one execution to the next (timings, kernel versions)."""
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        for output in cell.get("outputs", []):
            output.get("metadata", {}).pop("execution", None)
    nb.metadata = {"kernelspec": KERNEL_METADATA, "language_info": {"name": "python"}}
    return nb


def execute(notebook: Path, output_dir: Path, timeout: int = TIMEOUT_SECONDS
            ) -> nbformat.NotebookNode:
    """Run every cell of `notebook` against `output_dir`; returns the executed notebook."""
    nb = nbformat.read(notebook, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=timeout,
        record_timing=False,
        resources={"metadata": {"path": str(notebook.resolve().parent)}},
    )
    env = {**os.environ, "NEWSFACTS_OUTPUT": str(output_dir.resolve())}
    client.execute(env=env)
    return strip_run_metadata(nb)


def main(argv: list[str] | None = None) -> int:
    """Execute the notebook against OUTPUT_DIR and write the executed copy."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output_dir", type=Path, metavar="OUTPUT_DIR")
    parser.add_argument("--notebook", type=Path, default=NOTEBOOK)
    parser.add_argument(
        "--into", type=Path, help="where the executed copy goes (default: OUTPUT_DIR/NOTEBOOK)"
    )
    args = parser.parse_args(argv)
    into = args.into or args.output_dir / args.notebook.name
    if not (args.output_dir / "documents.parquet").is_file():
        print(f"execute: no documents.parquet in {args.output_dir}", file=sys.stderr)
        return 2
    if into.resolve() == args.notebook.resolve():
        print(f"execute: refusing to write over {args.notebook}: give --into", file=sys.stderr)
        return 2
    nb = execute(args.notebook, args.output_dir)
    nbformat.write(nb, into)
    print(f"execute: wrote {into}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
