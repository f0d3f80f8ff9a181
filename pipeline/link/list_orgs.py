"""Organisations a partner list names that no rule recognised: the list goes on past them.

After a partner-list cue ("partners include", "in cooperation with", "консорциумът включва"),
the items run to the end of the sentence, separated by commas, semicolons, dashes or the
word for "and". An item that no mention covers is an organisation when it reads like a name:
one to eight words, each capitalised or a number, with at most two short lower-case joining
words, a capital first ("Festival of Arts", "L'Officina", "Short Theatre"). A list with an
item that does not (a phrase in lower case, a long clause) stops there. The new mentions
carry the rule id `common.organization.list_member`; the list needs two items at least.

    Partners include ACR+, L'Officina and the Short Theatre.   <- three organisations
"""

from __future__ import annotations

import regex

from pipeline.document import Document, Mention
from pipeline.langdata import Language, alternation
from pipeline.link.cues import find_cues
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
NAME_WORD = regex.compile(r"(?:\p{Lu}|\d)[\p{L}\d'’&.+-]*|\p{Ll}{1,3}")
JOINING_WORDS = 2
MAX_NAME_WORDS = 8
MAX_ITEMS = 15


def list_member_orgs(doc: Document, lay: Layout, lang: Language) -> list[Mention]:
    """New organisation mentions for the unrecognised items of the page's partner lists."""
    text = doc.text
    covered = [(m.start, m.end) for m in doc.mentions]
    out: list[Mention] = []
    for cue in find_cues(text, lang, ["partner_list"]):
        end = lay.sentences[lay.sentence_of(cue.start)][1]
        pos = LEAD.match(text, cue.end, end).end()
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
            sep = SEPARATOR.match(text, pos, end)
            if sep is None or sep.end() == pos:
                break
            pos = sep.end()
        if items >= 2:
            for a, b in new:
                covered.append((a, b))
                out.append(_mention(text, a, b))
    return out


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
