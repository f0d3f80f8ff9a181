"""Boilerplate figures of the clean stage on gold-annotated scrapes, as tools/score.py counts them.

Usage: python bench/scrape_lines.py [GOLD.jsonl RAW_DIR ...] [--show]
(defaults: the seeds and dev sets in ../shared/corpus). A boilerplate line counts as removed
when it is not in the text (short lines: not a text line); a content line counts as kept when
it is in the text; repeats of the gold headline are ignored. Also prints title and date
accuracy against the gold `title` and `published`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pipeline.clean.stage import clean
from pipeline.document import Document

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
DEFAULT_SETS = [
    (CORPUS / "seeds.gold.jsonl", CORPUS / "seeds"),
    (CORPUS / "dev.gold.jsonl", CORPUS / "dev"),
]


def norm(text: str | None) -> str:
    """Casefolded words, as the scorer compares titles."""
    import re
    import unicodedata

    text = unicodedata.normalize("NFKC", text or "").casefold().replace("&", " and ")
    return re.sub(r"\s+", " ", re.sub(r"[^\w+]+", " ", text)).strip()


def score_set(gold_path: Path, raw_dir: Path, show: bool) -> dict[str, int]:
    """Counts for one gold file; prints the misses."""
    counts = dict(bp=0, bp_removed=0, content=0, kept=0, docs=0, title=0, published=0)
    for row in gold_path.read_text(encoding="utf-8").splitlines():
        gold = json.loads(row)
        raw = (raw_dir / gold["doc"]).read_text(encoding="utf-8", errors="replace")
        doc = clean(Document.from_source(gold["doc"], raw=raw, format="text"))
        text_lines = {line.strip() for line in doc.text.split("\n")}
        bps = set(gold.get("boilerplate_lines") or [])
        title = gold.get("title")
        counts["docs"] += 1
        counts["title"] += norm(doc.title) == norm(title)
        counts["published"] += doc.published == gold.get("published")
        if norm(doc.title) != norm(title) or doc.published != gold.get("published"):
            print(f"{gold['doc']}: title {doc.title!r} (gold {title!r}), "
                  f"published {doc.published} (gold {gold.get('published')})")
        for line in raw.split("\n"):
            s = line.strip()
            if not s:
                continue
            if line in bps:
                removed = s not in text_lines if len(s) < 40 else s not in doc.text
                counts["bp"] += 1
                counts["bp_removed"] += removed
                if not removed:
                    print(f"{gold['doc']}: boilerplate kept: {s[:100]!r}")
            elif title and s == title.strip():
                continue
            else:
                counts["content"] += 1
                counts["kept"] += s in doc.text
                if s not in doc.text:
                    print(f"{gold['doc']}: content lost: {s[:100]!r}")
        if show:
            print(f"----- {gold['doc']}\n{doc.text}\n")
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", help="pairs of GOLD.jsonl RAW_DIR")
    parser.add_argument("--show", action="store_true", help="print each cleaned text")
    args = parser.parse_args(argv)
    if len(args.sets) % 2:
        parser.error("give GOLD.jsonl RAW_DIR pairs")
    pairs = [(Path(g), Path(r)) for g, r in zip(args.sets[::2], args.sets[1::2], strict=True)]
    total: dict[str, int] = {}
    for gold_path, raw_dir in pairs or DEFAULT_SETS:
        for key, value in score_set(gold_path, raw_dir, args.show).items():
            total[key] = total.get(key, 0) + value
    print(
        f"boilerplate lines removed: {total['bp_removed']}/{total['bp']} = "
        f"{total['bp_removed'] / max(total['bp'], 1):.3f}; content lines kept: "
        f"{total['kept']}/{total['content']} = {total['kept'] / max(total['content'], 1):.3f}; "
        f"title accuracy: {total['title']}/{total['docs']}; "
        f"published accuracy: {total['published']}/{total['docs']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
