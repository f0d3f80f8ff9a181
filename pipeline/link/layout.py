"""Sentences and paragraphs of a main text, as spans the link stage reasons over."""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate

import regex

from pipeline.document import Mention
from pipeline.langdata import alternation

SENTENCE_END = regex.compile(r"(?<=[.!?…])[\"'”“»)]*\s+|\n")
ABBREVIATION = regex.compile(rf"(?:^|[\s(])(?:\p{{Lu}}|{alternation('abbreviations')})\.$")
PARAGRAPH_BREAK = regex.compile(r"\n[ \t]*\n")
# A sentence never starts with a lower-case letter: "332 427,04 лв. европейско и ..." goes on.
LOWER_START = regex.compile(r"\p{Ll}")


@dataclass
class Layout:
    """Sentence and paragraph spans of a text; sentences never cut through a mention."""

    sentences: list[tuple[int, int]]
    paragraphs: list[tuple[int, int]]

    def sentence_of(self, pos: int) -> int:
        """Index of the sentence holding position `pos`."""
        return _index_of(self.sentences, pos)

    def paragraph_of(self, pos: int) -> int:
        """Index of the paragraph holding position `pos`."""
        return _index_of(self.paragraphs, pos)


def _index_of(spans: list[tuple[int, int]], pos: int) -> int:
    lo, hi = 0, len(spans) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if spans[mid][0] <= pos:
            lo = mid
        else:
            hi = mid - 1
    return lo


def strictly_inside(spans: list[tuple[int, int]]) -> Callable[[int], bool]:
    """A test: does a position lie strictly inside one of `spans` (start < pos < end)?

    Bisects the sorted starts and keeps the furthest end reached so far, instead of trying
    every span for every position.
    """
    ordered = sorted(spans)
    starts = [s for s, _ in ordered]
    reach = list(accumulate((e for _, e in ordered), max))

    def test(pos: int) -> bool:
        before = bisect.bisect_left(starts, pos)  # the spans that start before pos
        return before > 0 and reach[before - 1] > pos

    return test


def layout(text: str, mentions: list[Mention]) -> Layout:
    """Split text into sentences (at . ! ? and line ends) and paragraphs (at blank lines)."""
    protected = strictly_inside([(m.start, m.end) for m in mentions])
    cuts = [0]
    for m in SENTENCE_END.finditer(text):
        cut = m.end() if m.group(0) != "\n" else m.end()
        if m.group(0) != "\n" and ABBREVIATION.search(text[max(0, m.start() - 12) : m.start()]):
            continue
        if m.group(0) != "\n" and LOWER_START.match(text, m.end()):
            continue
        if protected(m.start()):
            continue
        cuts.append(cut)
    cuts.append(len(text))
    sentences = [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a] or [(0, len(text))]
    pcuts = [0] + [m.end() for m in PARAGRAPH_BREAK.finditer(text)] + [len(text)]
    paragraphs = [(a, b) for a, b in zip(pcuts, pcuts[1:], strict=False) if b > a] or [
        (0, len(text))
    ]
    return Layout(sentences, paragraphs)
