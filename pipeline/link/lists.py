"""Project lists: once an item of a list opens with a project's name, its siblings name projects.

A list is a run of lines of one shape: the same marker (a bullet sign, a number, or none),
blank lines allowed between items. When an item opens with a project mention followed by a
separator (" – ", " - ", ":", " (", ",", ";", or the end of a marked line), every sibling that
names no project yet gives the text before the same separator as a project name:

    • LIFE OTTERS: Restoring river corridors        <- a rule found "LIFE OTTERS"
    • NET for SOIL: Soil monitoring networks         -> "NET for SOIL"

A sibling's text is left alone when it is long, ends a sentence or is one plain word (a
label: "Note:", "Total –"), holds a field cue of the language (partner, coordinator,
budget…), or is an organisation a rule found, a country or a programme the page already
names (an organisation only the statistical tagger found gives way). The new mentions carry
the rule id `common.project.list_sibling`.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from pipeline.document import NER_RULE_PREFIX, Document, Mention
from pipeline.langdata import Language
from pipeline.link.cues import find_cues

LIST_SIBLING_RULE = "common.project.list_sibling"
MARKER = regex.compile(r"[ \t]*(?:(?P<sign>[•*·▪◦►‣–-])|(?P<number>\d{1,2}[.)]))?[ \t]*")
OPENING_QUOTES = "\"'„“”«‘’"
# What follows a project's name in its item: the name of the separator, then its pattern.
SEPARATORS = {
    "dash": regex.compile(r"[ \t]+[–—-][ \t]+"),
    "colon": regex.compile(r"[ \t]*:[ \t]"),
    "bracket": regex.compile(r"[ \t]*\("),
    "comma": regex.compile(r"[ \t]*,"),
    "semicolon": regex.compile(r"[ \t]*;"),
}
LINE_END = regex.compile(r"[ \t]*[;,.]?[ \t]*$")
# The longest item line that can be a list item, and the longest name taken from one.
MAX_ITEM_CHARS = 220
MAX_NAME_WORDS = 12
MAX_NAME_CHARS = 120
NAME_START = regex.compile(r"[\p{Lu}\d]")
# One plain capitalised word before a separator is a label ("Note:", "Total –"), not a name.
PLAIN_WORD = regex.compile(r"\p{Lu}\p{Ll}+")
# A figure or sum after a colon: the item is a field ("Eligible sum: 120 000 €"), not a name.
FIELD_VALUE = regex.compile(r"[ \t]*[\d€$£]")
SENTENCE_INSIDE = regex.compile(r"[.!?][ \t]+\p{Lu}")
FIELD_CUES = ["partner", "coordinator", "lead", "participant", "budget", "eu_contribution"]
FIELD_CUES += ["duration", "start", "end"]
# Kinds of mention that a sibling's name may not be (nor overlap, for projects).
NOT_NAMES = ("organization", "country", "programme")


Spans = set[tuple[int, int]]


@dataclass(frozen=True)
class Item:
    """A list item: its marker's kind and the span of its text after the marker."""

    marker: str
    start: int
    end: int


def list_siblings(doc: Document, lang: Language) -> list[Mention]:
    """Project mentions for the siblings of list items that open with a project's name."""
    text = doc.text
    projects = [m for m in doc.mentions if m.kind == "project"]
    if not projects:
        return []
    others = {
        (m.start, m.end)
        for m in doc.mentions
        if m.kind in NOT_NAMES and not m.rule.startswith(NER_RULE_PREFIX)
    }
    found: list[Mention] = []
    for items in _lists(text):
        separators = {sep for item in items if (sep := _named_separator(text, item, projects))}
        for sep in sorted(separators):
            if sep == "line" and items[0].marker == "none":
                continue
            for item in items:
                span = _name_slot(text, item, sep)
                if span is None or _taken(span, projects, others, found):
                    continue
                if find_cues(text, lang, FIELD_CUES, *span):
                    continue
                name = text[span[0] : span[1]]
                found.append(Mention("project", name, *span, rule=LIST_SIBLING_RULE, value=name))
    return found


def without_tagged_names(mentions: list[Mention], names: list[Mention]) -> list[Mention]:
    """`mentions` less the organisations only the statistical tagger found inside a name."""
    return [
        m
        for m in mentions
        if not (
            m.rule.startswith(NER_RULE_PREFIX)
            and any(n.start <= m.start and m.end <= n.end for n in names)
        )
    ]


def _lists(text: str) -> list[list[Item]]:
    """Runs of two or more item lines of one marker kind (blank lines between are allowed)."""
    runs: list[list[Item]] = []
    run: list[Item] = []
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip():
            continue
        m = MARKER.match(line)
        marker = "sign:" + m["sign"] if m["sign"] else "number" if m["number"] else "none"
        item = Item(marker, start + m.end(), end)
        if len(line) > MAX_ITEM_CHARS or (run and run[-1].marker != marker):
            if len(run) >= 2:
                runs.append(run)
            run = []
        if len(line) <= MAX_ITEM_CHARS:
            run.append(item)
    if len(run) >= 2:
        runs.append(run)
    return runs


def _content_start(text: str, item: Item) -> int:
    start = item.start
    while start < item.end and text[start] in OPENING_QUOTES:
        start += 1
    return start


def _named_separator(text: str, item: Item, projects: list[Mention]) -> str | None:
    """The separator after the project mention that opens `item`, if one does."""
    start = _content_start(text, item)
    for m in projects:
        if start <= m.start <= start + 1 and m.end <= item.end:
            rest = text[m.end : item.end].lstrip(OPENING_QUOTES)
            for sep, pattern in SEPARATORS.items():
                if pattern.match(rest):
                    return sep
            return "line" if LINE_END.fullmatch(rest) else None
    return None


def _name_slot(text: str, item: Item, sep: str) -> tuple[int, int] | None:
    """The span of `item` before separator `sep`, when it can be a project's name."""
    start = _content_start(text, item)
    line = text[start : item.end]
    if sep == "line":
        cut = LINE_END.search(line)
        end = start + (cut.start() if cut else len(line))
    else:
        m = SEPARATORS[sep].search(line)
        if m is None or (sep == "colon" and FIELD_VALUE.match(line, m.end())):
            return None
        end = start + m.start()
    while end > start and text[end - 1] in OPENING_QUOTES + " \t":
        end -= 1
    name = text[start:end]
    if not NAME_START.match(name) or len(name) < 3 or len(name) > MAX_NAME_CHARS:
        return None
    if len(name.split()) > MAX_NAME_WORDS or SENTENCE_INSIDE.search(name):
        return None
    if PLAIN_WORD.fullmatch(name):
        return None
    return start, end


def _taken(
    span: tuple[int, int],
    projects: list[Mention],
    others: Spans,
    found: list[Mention],
) -> bool:
    """True when a project mention overlaps `span` or another kind's mention is exactly it."""
    if span in others:
        return True
    return any(m.start < span[1] and span[0] < m.end for m in projects + found)
