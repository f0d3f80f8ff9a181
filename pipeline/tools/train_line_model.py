"""Train the clean stage's line model on the corpus's train pages (never a sealed set).

Usage: python -m pipeline.tools.train_line_model [--corpus tests/corpus] [--output FILE]

Each non-blank line of a train scrape is one example: boilerplate when the gold lists it
under `boilerplate_lines`, content otherwise (repeats of the gold headline are left out, as
the scorer ignores them). Features are taken after the cue and structural passes, so the
model learns what those passes leave. The threshold is chosen by cross-validation over
pages: the lowest at which the lines the model drops cost at most `--content-loss` of the
content lines. Then the trees are grown on every page and written with that threshold.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.clean.cues import load_cues
from pipeline.clean.line_features import line_features
from pipeline.clean.line_model import MODEL_FILE, LineModel, TreeSettings, fit
from pipeline.clean.text import classify_page
from pipeline.tools.corpus_check import is_blind

CORPUS = Path(__file__).resolve().parents[2] / "tests" / "corpus"
FOLDS = 5
CONTENT_LOSS = 0.002  # the share of content lines the model may cost, at most (cross-validated)
THRESHOLDS = np.round(np.arange(0.30, 0.96, 0.01), 2)


@dataclass
class Examples:
    """The lines of the train pages as rows, with their labels and where the model acts."""

    rows: np.ndarray
    labels: np.ndarray  # 1 boilerplate, 0 content
    learnable: np.ndarray  # a line the model may drop (kept by the passes, not the headline)
    removed: np.ndarray  # already dropped by the passes
    page: np.ndarray  # which page each row comes from


def page_examples(
    raw: str, gold: dict
) -> tuple[np.ndarray, list[int], list[bool], list[bool], list[bool]]:
    """Rows, labels, learnable and removed flags of one page's counted lines."""
    page, title = classify_page(raw, load_cues())
    filled, view = page.page_lines(title)
    rows = line_features(view)
    boilerplate = {line.rstrip() for line in gold.get("boilerplate_lines") or []}
    headline = (gold.get("title") or "").strip()
    seen_headline = False
    may_drop = page.learnable(title)
    keep, labels, learnable, removed = [], [], [], []
    for row, i in enumerate(filled):
        line = page.lines[i]
        is_boilerplate = line.raw in boilerplate
        if not is_boilerplate and headline and line.raw.strip() == headline:
            if seen_headline:
                continue
            seen_headline = True
        keep.append(row)
        labels.append(int(is_boilerplate))
        learnable.append(i in may_drop)
        removed.append(line.dropped)
    return rows[keep], labels, learnable, removed


def train_scrapes(corpus: Path) -> Iterator[tuple[dict, str]]:
    """(gold record, raw text) of every scrape of the corpus's train sets (no blind set)."""
    for gold_file in sorted(corpus.glob("*.gold.jsonl")):
        name = gold_file.name.removesuffix(".gold.jsonl")
        if is_blind(name):
            continue
        for text in gold_file.read_text(encoding="utf-8").splitlines():
            if not text.strip():
                continue
            gold = json.loads(text)
            path = corpus / name / gold["doc"]
            if path.suffix == ".txt":
                yield gold, path.read_text(encoding="utf-8", errors="replace")


def load_examples(corpus: Path) -> Examples:
    """Every counted line of every scrape of the corpus's train sets."""
    parts, labels, learnable, removed, pages = [], [], [], [], []
    for gold, raw in train_scrapes(corpus):
        rows, page_labels, page_learnable, page_removed = page_examples(raw, gold)
        parts.append(rows)
        labels += page_labels
        learnable += page_learnable
        removed += page_removed
        pages += [len(parts)] * len(page_labels)
    return Examples(
        np.concatenate(parts),
        np.array(labels),
        np.array(learnable),
        np.array(removed),
        np.array(pages),
    )


def out_of_fold(examples: Examples, settings: TreeSettings) -> np.ndarray:
    """Each row's probability from trees grown without its page."""
    fold_of_page = np.random.default_rng(settings.seed).integers(0, FOLDS, examples.page.max() + 1)
    fold = fold_of_page[examples.page]
    chances = np.zeros(len(examples.labels))
    for k in range(FOLDS):
        model = fit(examples.rows[fold != k], examples.labels[fold != k], settings)
        chances[fold == k] = model.probabilities(examples.rows[fold == k])
    return chances


def figures(examples: Examples, chances: np.ndarray, threshold: float) -> tuple[float, float]:
    """(boilerplate removed, content kept) with the passes' drops and the model's above
    `threshold`."""
    gone = examples.removed | (examples.learnable & (chances > threshold))
    boilerplate = examples.labels == 1
    return float(gone[boilerplate].mean()), float(1 - gone[~boilerplate].mean())


def choose_threshold(examples: Examples, chances: np.ndarray, content_loss: float) -> float:
    """The lowest threshold at which the model costs at most `content_loss` of the content."""
    _, kept_before = figures(examples, chances, 1.0)
    for threshold in THRESHOLDS:
        _, kept = figures(examples, chances, threshold)
        if kept_before - kept <= content_loss:
            return float(threshold)
    return 1.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--output", type=Path, default=MODEL_FILE)
    parser.add_argument("--content-loss", type=float, default=CONTENT_LOSS)
    args = parser.parse_args(argv)
    settings = TreeSettings()
    examples = load_examples(args.corpus)
    print(
        f"{len(examples.labels)} lines on {examples.page.max()} pages: "
        f"{int(examples.labels.sum())} boilerplate, "
        f"{int(examples.learnable.sum())} left to the model"
    )
    chances = out_of_fold(examples, settings)
    threshold = choose_threshold(examples, chances, args.content_loss)
    for label, cut in (("passes only", 1.0), (f"with the model at {threshold:.2f}", threshold)):
        removed, kept = figures(examples, chances, cut)
        print(
            f"cross-validated, {label}: boilerplate removed {removed:.3f}, content kept {kept:.3f}"
        )
    model = fit(examples.rows, examples.labels, settings)
    model = LineModel(
        model.features,
        model.depth,
        model.base,
        model.split_feature,
        model.split_value,
        model.leaf_value,
        threshold,
    )
    args.output.write_text(model.to_json() + "\n", encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
