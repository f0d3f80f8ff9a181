"""What the learned line model sees of each line of a scrape: its shape, its place on the
page and its neighbours, with no site's or language's strings (the function-word lists
excepted, which come from spaCy's language packages).

`PageLines` is the page after the cue and structural passes (`pipeline.clean.text`); each
non-blank line gets one row of `FEATURES`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
import regex

from pipeline.clean.stoplists import line_tokens, stopword_counts
from pipeline.langdata import project_word_pattern

WORD = regex.compile(r"[\p{L}\p{N}]+")
LETTER = regex.compile(r"\p{L}")
UPPER = regex.compile(r"\p{Lu}")
DIGIT = regex.compile(r"\p{N}")
SYMBOL = regex.compile(r"[^\p{L}\p{N}\s]")
CAPITALISED = regex.compile(r"(?<![\p{L}\p{N}])\p{Lu}")
KEY_VALUE = regex.compile(r"^[\p{L}][\p{L}\p{N} .()/_-]{0,40}:\s*\S")
LIST_MARK = regex.compile(r"^(?:[-–—•*·▪►>›]|\d{1,2}[.)]\s)")
HASHTAG = regex.compile(r"(?<!\S)#\p{L}")
ADDRESS = regex.compile(r"https?://|www\.|\S@\S+\.\p{L}")
FILE_NAME = regex.compile(
    r"\.(?:jpe?g|png|gif|webp|svg|pdf|docx?|xlsx?)\b|\b\d{2,4}\s?[x×]\s?\d{2,4}\b", regex.I
)
SEPARATOR = regex.compile(r"\s[|•·/]\s")
YEAR = regex.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
TIME = regex.compile(r"(?<!\d)\d{1,2}:\d\d(?!\d)")
CURRENCY = regex.compile(r"\p{Sc}")
SHORT_WORDS = 4  # a line of at most this many words is short (a label, a menu item)
OPEN_END = regex.compile(r"[\p{L}\p{N},]$")  # a line that stops mid-sentence
REACH = 2  # neighbours on each side that count as near
CLIP = 12  # distances and run lengths are counted up to this

FEATURES = (
    "position",  # share of the page's lines above this one
    "lines_after",  # lines below it (clipped)
    "page_lines",  # non-blank lines of the page (clipped at 4 * CLIP)
    "listing",  # the page reads as a listing of teasers
    "title_offset",  # lines from the headline, negative above it (clipped; 0 without one)
    "has_title",
    "before_first_text",  # above the first line of running text
    "after_last_text",  # below the last line of running text
    "running",  # a line of running text
    "chars",
    "words",
    "letters",  # share of letters among the characters
    "digits",
    "symbols",
    "upper",  # share of upper-case letters among the letters
    "capitalised",  # share of words that start with a capital
    "function_words",  # share of the words in the page's function-word list
    "ends_stop",  # ends with . ! ?
    "ends_colon",
    "ends_ellipsis",
    "key_value",
    "list_mark",
    "hashtags",
    "address",  # a web or e-mail address
    "file_name",  # a file name or an image size
    "separators",  # " | ", " • " between parts
    "year",
    "time",  # a time of day
    "currency",
    "repeats",  # other lines of the page with the same text
    "short_run",  # length of the run of short lines this line is in (clipped)
    "dropped_near",  # lines within REACH already dropped by the rules
    "dropped_before",  # the line above was dropped
    "dropped_after",
    "blank_before",
    "blank_after",
    "chars_before",  # length of the line above (0 at the top)
    "chars_after",
    "starts_lower",  # starts with a lower-case letter: the rest of a broken sentence
    "continues",  # the line above ends with no mark, the line below starts in lower case
    "after_colon",  # the line above ends with a colon: a value under its label
    "project_word",  # has the word for a project in a rules language
    "same_start",  # the line above or below starts the same way (a digit, a list mark)
)


@dataclass(frozen=True)
class PageLines:
    """The non-blank lines of a classified scrape, in page order."""

    texts: list[str]
    dropped: list[bool]
    running: list[bool]
    blank_before: list[bool]
    blank_after: list[bool]
    title: int | None  # position of the headline in `texts`
    listing: bool


def _share(pattern: regex.Pattern, text: str, total: int) -> float:
    return len(pattern.findall(text)) / total if total else 0.0


def _short_runs(words: list[int]) -> list[int]:
    """For each line, the length of the run of short lines it belongs to (0 if not short)."""
    runs = [0] * len(words)
    start = 0
    while start < len(words):
        if words[start] > SHORT_WORDS:
            start += 1
            continue
        end = start
        while end < len(words) and words[end] <= SHORT_WORDS:
            end += 1
        for k in range(start, end):
            runs[k] = min(end - start, CLIP)
        start = end
    return runs


def _start(text: str) -> str:
    """How a line starts, as far as lists go: "9" for a digit, the mark of a list item, or ""."""
    if text[:1].isdigit():
        return "9"
    mark = LIST_MARK.match(text)
    return mark.group()[:1] if mark else ""


def line_features(page: PageLines) -> np.ndarray:
    """One row of `FEATURES` per non-blank line."""
    n = len(page.texts)
    rows = np.zeros((n, len(FEATURES)), dtype=np.float32)
    if not n:
        return rows
    tokens = [line_tokens(text) for text in page.texts]
    function_words = stopword_counts(tokens)
    words = [len(WORD.findall(text)) for text in page.texts]
    runs = _short_runs(words)
    running = [k for k, flag in enumerate(page.running) if flag]
    first_text = running[0] if running else n
    last_text = running[-1] if running else -1
    counts = Counter(page.texts)
    starts = [_start(text) for text in page.texts]
    for k, text in enumerate(page.texts):
        chars = len(text)
        letters = len(LETTER.findall(text))
        near = page.dropped[max(0, k - REACH) : k] + page.dropped[k + 1 : k + 1 + REACH]
        offset = 0 if page.title is None else max(-CLIP, min(CLIP, k - page.title))
        rows[k] = (
            k / n,
            min(n - 1 - k, CLIP),
            min(n, 4 * CLIP),
            page.listing,
            offset,
            page.title is not None,
            k < first_text,
            k > last_text,
            page.running[k],
            chars,
            words[k],
            letters / chars,
            _share(DIGIT, text, chars),
            _share(SYMBOL, text, chars),
            _share(UPPER, text, letters),
            _share(CAPITALISED, text, words[k]),
            function_words[k] / len(tokens[k]) if tokens[k] else 0.0,
            text.endswith((".", "!", "?")),
            text.endswith(":"),
            text.endswith(("...", "…")),
            bool(KEY_VALUE.match(text)),
            bool(LIST_MARK.match(text)),
            len(HASHTAG.findall(text)),
            bool(ADDRESS.search(text)),
            bool(FILE_NAME.search(text)),
            len(SEPARATOR.findall(text)),
            bool(YEAR.search(text)),
            bool(TIME.search(text)),
            bool(CURRENCY.search(text)),
            counts[text] - 1,
            runs[k],
            sum(near),
            k > 0 and page.dropped[k - 1],
            k + 1 < n and page.dropped[k + 1],
            page.blank_before[k],
            page.blank_after[k],
            len(page.texts[k - 1]) if k else 0,
            len(page.texts[k + 1]) if k + 1 < n else 0,
            text[:1].islower(),
            (k > 0 and bool(OPEN_END.search(page.texts[k - 1])))
            or (k + 1 < n and page.texts[k + 1][:1].islower()),
            k > 0 and page.texts[k - 1].endswith(":"),
            bool(project_word_pattern().search(text)),
            bool(starts[k]) and starts[k] in starts[max(0, k - 1) : k] + starts[k + 1 : k + 2],
        )
    return rows
