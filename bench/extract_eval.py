"""Extraction-only scores on a gold set: `python bench/extract_eval.py GOLD.jsonl DIR [-v]`.

The text of each page is the raw page minus the gold boilerplate lines and the language is
the gold one, so the figures measure the extract stage alone. -v lists misses and extras.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from pipeline.tools.evaluate import (
    extract_gold_pages,
    field_errors,
    format_scores,
    read_gold,
    score_mentions,
)


def main() -> None:
    """Print the per-field table (and per-page errors with -v)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("gold", type=Path)
    ap.add_argument("input_dir", type=Path)
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    gold = read_gold(a.gold)
    t = time.perf_counter()
    docs = extract_gold_pages(a.gold, a.input_dir)
    took = time.perf_counter() - t
    mentions = {k: d.mentions for k, d in docs.items()}
    if a.verbose:
        for g in gold:
            for field, (missed, extra) in field_errors(g, mentions[g["doc"]]).items():
                if missed or extra:
                    print(f"{g['doc']:28s} {field:14s} missed={missed} extra={extra}")
    print(format_scores(score_mentions(gold, mentions)))
    print(f"{len(docs)} pages in {took:.1f} s (NER model load included)")


if __name__ == "__main__":
    main()
