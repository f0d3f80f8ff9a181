"""One big .warc.gz against its pages as separate files, and 2 workers against 1.

    python bench/warc_split.py                          2,000 records, 3 runs of each
    python bench/warc_split.py --records 400 --repeat 1 a quick look

The pages are real: every train page of tests/corpus (the sealed blind set left out) and the
HTML pages of ../shared/bench/article-extraction, taken in turn until there are --records of
them. They are written once as one record-by-record gzipped WARC (one HTTP response a page,
text/html or text/plain) and once as separate files (.html.gz and .txt). Every run is a fresh
`python -m pipeline run` process, so start-up, the scan of the WARC and model loading count.
Printed: pages/s of the WARC with 1 and with 2 workers, and of the separate files with 2
workers (median of --repeat runs, and each run), and the two ratios against their targets.
"""

from __future__ import annotations

import argparse
import gzip
import io
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "corpus"
SEALED = "blind"
TARGETS = {"scaling": 1.7, "warc_vs_files": 0.9}


def real_pages(shared: Path) -> list[tuple[str, bytes]]:
    """(kind, bytes) of every page the benchmark may use: "txt" or "html"."""
    pages = [
        ("txt", path.read_bytes())
        for folder in sorted(CORPUS.iterdir())
        if folder.is_dir() and folder.name != SEALED
        for path in sorted(folder.glob("*.txt"))
    ]
    html = sorted((shared / "bench" / "article-extraction" / "html").glob("*.html.gz"))
    pages += [("html", gzip.decompress(path.read_bytes())) for path in html]
    if not html:
        raise SystemExit(f"no HTML pages under {shared}/bench/article-extraction: pass --shared")
    return pages


def build(pages: list[tuple[str, bytes]], records: int, root: Path) -> tuple[Path, Path]:
    """The same `records` pages as one .warc.gz and as a folder of files."""
    warc_dir, files_dir = root / "warc", root / "files"
    warc_dir.mkdir()
    files_dir.mkdir()
    with open(warc_dir / "crawl.warc.gz", "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for index in range(records):
            kind, body = pages[index % len(pages)]
            mime = "text/html; charset=utf-8" if kind == "html" else "text/plain; charset=utf-8"
            http = StatusAndHeaders("200 OK", [("Content-Type", mime)], protocol="HTTP/1.1")
            uri = f"https://news.example.org/{index:05d}.{kind}"
            record = writer.create_warc_record(uri, "response", io.BytesIO(body), http_headers=http)
            writer.write_record(record)
            name = f"{index // 500:02d}/{index:05d}"
            target = files_dir / (f"{name}.html.gz" if kind == "html" else f"{name}.txt")
            target.parent.mkdir(exist_ok=True)
            target.write_bytes(gzip.compress(body, mtime=0) if kind == "html" else body)
    return warc_dir, files_dir


def timed_run(input_dir: Path, workers: int, scratch: Path) -> float:
    """Wall seconds of one `newsfacts run` in a fresh process and a fresh output folder."""
    out = Path(tempfile.mkdtemp(dir=scratch))
    command = [sys.executable, "-m", "pipeline", "run", str(input_dir), str(out)]
    command += ["--workers", str(workers), "--quiet"]
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=REPO, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsfacts-bench-") as tmp:
        root = Path(tmp)
        warc, files = build(real_pages(args.shared), args.records, root)
        size = (warc / "crawl.warc.gz").stat().st_size
        print(f"{args.records} records, {size / 2**20:.1f} MB .warc.gz", flush=True)
        runs: dict[str, list[float]] = {"warc, 1 worker": [], "warc, 2 workers": []}
        runs["files, 2 workers"] = []
        for _ in range(args.repeat):  # interleaved, so that each meets the same machine
            for label, folder, workers in (
                ("warc, 1 worker", warc, 1),
                ("warc, 2 workers", warc, 2),
                ("files, 2 workers", files, 2),
            ):
                runs[label].append(args.records / timed_run(folder, workers, root))
                print(f"  {label}: {runs[label][-1]:.2f} pages/s", flush=True)
        median = {label: statistics.median(rates) for label, rates in runs.items()}
        for label, rates in runs.items():
            each = ", ".join(f"{rate:.2f}" for rate in rates)
            print(f"{label:18} {median[label]:6.2f} pages/s (median of {each})")
        scaling = median["warc, 2 workers"] / median["warc, 1 worker"]
        versus = median["warc, 2 workers"] / median["files, 2 workers"]
        print(f"2 workers / 1 worker on the WARC: {scaling:.2f} (target >= {TARGETS['scaling']})")
        print(
            f"WARC / separate files, 2 workers: {versus:.2f} "
            f"(target >= {TARGETS['warc_vs_files']})"
        )


if __name__ == "__main__":
    main()
