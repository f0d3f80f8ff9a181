"""Article-extraction benchmark of the clean stage against trafilatura, readability, justext.

Usage: python bench/boilerplate.py [DIR] [--runs 3] [--worst N] [--preds FILE]
DIR is the benchmark folder (default ../shared/bench/article-extraction beside the repo);
the scorer is ../shared/tools/score_article_extraction.py next to it. Every extractor runs
over all pages `--runs` times (interleaved, so a busy machine slows all of them alike);
pages/s is the median of the runs, excluding unzipping. Scores are those of the first run.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import justext
import lxml.html
import trafilatura
from readability import Document as Readability

from pipeline.clean.stage import clean
from pipeline.document import Document

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIR = ROOT.parent / "shared" / "bench" / "article-extraction"
Extractor = Callable[[str], str]


def load_scorer(bench_dir: Path) -> ModuleType:
    """The shared scorer module, imported from its file."""
    path = bench_dir.parent.parent / "tools" / "score_article_extraction.py"
    spec = importlib.util.spec_from_file_location("score_article_extraction", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"scorer not found: {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def clean_stage(html: str) -> str:
    return clean(Document.from_source("bench.html", raw=html, format="html")).text


def trafilatura_default(html: str) -> str:
    return trafilatura.extract(html) or ""


def trafilatura_no_comments(html: str) -> str:
    return trafilatura.extract(html, include_comments=False) or ""


def readability_lxml(html: str) -> str:
    summary = Readability(html).summary(html_partial=True)
    return lxml.html.fromstring(summary).text_content() if summary.strip() else ""


def justext_english(html: str) -> str:
    paragraphs = justext.justext(html.encode("utf-8"), justext.get_stoplist("English"))
    return "\n\n".join(p.text for p in paragraphs if not p.is_boilerplate)


EXTRACTORS: dict[str, Extractor] = {
    "clean stage": clean_stage,
    "trafilatura (default)": trafilatura_default,
    "trafilatura include_comments=False": trafilatura_no_comments,
    "readability-lxml": readability_lxml,
    "justext (English stoplist)": justext_english,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--worst", type=int, default=0, help="list the clean stage's worst pages")
    parser.add_argument("--only", action="append", help="run only these extractors")
    parser.add_argument("--preds", type=Path, help="write the clean stage's texts here (JSON)")
    args = parser.parse_args(argv)
    scorer = load_scorer(args.dir)
    truth = json.loads((args.dir / "ground-truth.json").read_text(encoding="utf-8"))
    gold = {page: item["articleBody"] for page, item in truth.items()}
    pages = {
        path.name.split(".")[0]: gzip.decompress(path.read_bytes()).decode("utf-8")
        for path in sorted((args.dir / "html").glob("*.html.gz"))
    }
    names = [n for n in EXTRACTORS if not args.only or n in args.only]
    seconds: dict[str, list[float]] = {name: [] for name in names}
    texts: dict[str, dict[str, str]] = {}
    for run in range(args.runs):
        for name in names:
            start = time.perf_counter()
            out = {page: EXTRACTORS[name](html) for page, html in pages.items()}
            seconds[name].append(time.perf_counter() - start)
            if run == 0:
                texts[name] = out
    print(f"{len(pages)} pages, {args.runs} runs")
    print("| extractor | F1 | precision | recall | accuracy | pages/s |")
    print("| --- | --- | --- | --- | --- | --- |")
    results = {}
    for name in names:
        res = scorer.score(gold, texts[name])
        results[name] = res
        rate = len(pages) / statistics.median(seconds[name])
        print(
            f"| {name} | {res['f1']:.3f} ± {res['f1_std']:.3f} | {res['precision']:.3f} "
            f"| {res['recall']:.3f} | {res['accuracy']:.3f} | {rate:.1f} |"
        )
    if args.worst and "clean stage" in results:
        def page_f1(c: dict[str, float]) -> float:
            m = c["matched"]
            return 2 * m / (2 * m + c["extra"] + c["missed"]) if m else 0.0

        per_page = sorted(results["clean stage"]["per_page"].items(), key=lambda kv: page_f1(kv[1]))
        for page, c in per_page[: args.worst]:
            print(f"  {page[:16]}  f1 {page_f1(c):.3f}  extra {c['extra']:.3f}"
                  f"  missed {c['missed']:.3f}")
    if args.preds and "clean stage" in texts:
        args.preds.write_text(json.dumps(texts["clean stage"], ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
