"""The annotated corpus as the tests see it: the train sets, never the sealed blind sets
(every set whose name starts with `blind`).

Rule tests that read real pages (prefilters, language detection) read the train side only, so
that no test message can show a blind page; the blind set is read by the golden test alone,
which prints figures.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.tools.corpus_check import is_blind

CORPUS = Path(__file__).parent / "corpus"


def train_pages(pattern: str = "*.txt") -> list[Path]:
    """The train pages whose file name matches `pattern`, in sorted order."""
    return sorted(p for p in CORPUS.glob(f"*/{pattern}") if not is_blind(p.parent.name))
