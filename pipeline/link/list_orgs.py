"""Organisations a partner list names that no rule recognised: the list goes on past them.

After a partner-list cue ("partners include", "in cooperation with", "консорциумът включва"),
the items run to the end of the sentence, separated by commas, semicolons, dashes or the
word for "and"; a remark in brackets after an item ("(lead partner)", "(Italy)") is passed
over. When the cue heads a list (its line is a short heading, or ends in a colon), the lines
below it are items too, up to a line that ends a sentence or names no item: each line after
its bullet and a short label ("• Denmark:", "Lead partner:"). An item that no mention covers
is an organisation when it reads like a name: one to eight words, each capitalised or a
number, with at most two short lower-case joining words, a capital first ("Festival of Arts",
"L'Officina", "Short Theatre"). A list with an item that does not (a phrase in lower case, a
long clause) stops there. The new mentions carry the rule id
`common.organization.list_member`; the list needs two items at least.

    Partners include ACR+, L'Officina and the Short Theatre.   <- three organisations

    Partners                                                   <- a heading
    • Denmark: Solby Kommune (lead partner), Harbour of Ideas  <- two organisations
"""

from __future__ import annotations

import regex

from pipeline.document import Document, Mention
from pipeline.langdata import Language, alternation
from pipeline.link.cues import Cue, find_cues
from pipeline.link.layout import Layout

LIST_MEMBER_RULE = "common.organization.list_member"
SEPARATOR = regex.compile(
    rf"(?:[ \t]*[,;][ \t]*|[ \t]+[–—-][ \t]+|[ \t]+(?:{alternation('list_line_joiners')})[ \t]+)"
    rf"(?:(?:{alternation('name_articles')})[ \t]+)?"
)
LEAD = regex.compile(rf"[ \t]*:?[ \t]*(?:(?:{alternation('name_articles')})[ \t]+)?")
# An item: text up to the next separator, bracket, line end or sentence end.
ITEM = regex.compile(
    r"[^,;()\n]{2,80}?(?=[ \t]*(?:[,;()\n]|\.(?:\s|$)|$)|[ \t]+[–—-][ \t]"
    rf"|[ \t]+(?:{alternation('list_line_joiners')})[ \t])"
)
REMARK = regex.compile(r"[ \t]*\([^()\n]{1,60}\)")
# The start of a list line: a bullet or a number, then a short label and a colon.
LINE_START = regex.compile(
    r"[ \t]*(?:[•*·▪◦►‣>–-]|\d{1,2}[.)])?[ \t]*(?:[^\s:,;()][^\n:,;()]{0,30}:[ \t]+)?"
)
NAME_WORD = regex.compile(r"(?:\p{Lu}|\d)[\p{L}\d'’&.+-]*|\p{Ll}{1,3}")
JOINING_WORDS = 2
MAX_NAME_WORDS = 8
MAX_ITEMS = 15
HEADING_WORDS = 6  # a cue's line of at most this many words is a heading
MAX_LIST_LINES = 20
MAX_LINE_WORDS = 30


def list_member_orgs(doc: Document, lay: Layout, lang: Language) -> list[Mention]:
    """New organisation mentions for the unrecognised items of the page's partner lists."""
    text = doc.text
    covered = [(m.start, m.end) for m in doc.mentions]
    out: list[Mention] = []
    for cue in find_cues(text, lang, ["partner_list"]):
        end = lay.sentences[lay.sentence_of(cue.start)][1]
        items, new = _walk(text, LEAD.match(text, cue.end, end).end(), end, covered)
        for a, b in _heading_lines(text, cue):
            line_items, line_new = _walk(text, LINE_START.match(text, a, b).end(), b, covered)
            if not line_items:
                break
            items, new = items + line_items, new + line_new
        if items >= 2:
            for a, b in new:
                covered.append((a, b))
                out.append(_mention(text, a, b))
    return out


def _walk(
    text: str, pos: int, end: int, covered: list[tuple[int, int]]
) -> tuple[int, list[tuple[int, int]]]:
    """(items, new organisation spans) of the list that runs from `pos` to `end`."""
    items, new = 0, []
    while pos < end and items < MAX_ITEMS:
        known = next((s for s in covered if s[0] == pos), None)
        if known is not None:
            items, pos = items + 1, known[1]
        else:
            item = ITEM.match(text, pos, end)
            if item is None or not _name_like(item.group(0).strip()):
                break
            stop = pos + len(item.group(0).rstrip())
            if any(s[0] < stop and pos < s[1] for s in covered):
                break
            new.append((pos, stop))
            items, pos = items + 1, item.end()
        remark = REMARK.match(text, pos, end)
        if remark:
            pos = remark.end()
        sep = SEPARATOR.match(text, pos, end)
        if sep is None or sep.end() == pos:
            break
        pos = sep.end()
    return items, new


def _heading_lines(text: str, cue: Cue) -> list[tuple[int, int]]:
    """The non-blank lines below a cue that heads a list ("Partners", "The consortium:"), up
    to a line that ends a sentence or is long; none when the cue stands inside running text."""
    line_start = text.rfind("\n", 0, cue.start) + 1
    line_end = text.find("\n", cue.end)
    line_end = len(text) if line_end < 0 else line_end
    line = text[line_start:line_end].strip()
    if len(line.split()) > HEADING_WORDS and not line.endswith(":"):
        return []
    lines: list[tuple[int, int]] = []
    pos = line_end + 1
    while pos < len(text) and len(lines) < MAX_LIST_LINES:
        nl = text.find("\n", pos)
        nl = len(text) if nl < 0 else nl
        body = text[pos:nl].strip()
        if len(body.split()) > MAX_LINE_WORDS or body.endswith((".", "!", "?")):
            break
        if body:
            lines.append((pos, nl))
        pos = nl + 1
    return lines


def _name_like(item: str) -> bool:
    """One to eight words, each capitalised or a number, at most two short joining words;
    the first word capitalised, the last not in lower case."""
    words = item.split()
    if not 1 <= len(words) <= MAX_NAME_WORDS:
        return False
    if not all(NAME_WORD.fullmatch(w) for w in words):
        return False
    lower = sum(1 for w in words if w[0].islower())
    return lower <= JOINING_WORDS and words[0][0].isupper() and not words[-1][0].islower()


def _mention(text: str, start: int, end: int) -> Mention:
    name = text[start:end]
    return Mention("organization", name, start, end, rule=LIST_MEMBER_RULE, value=name)
