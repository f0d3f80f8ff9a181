"""`newsfacts explain FILE`: a page's text with every mention marked where it stands.

Plain markers read `[[surface|kind=value|rule]]`; with colour (a terminal) the surface is
coloured by kind and the label follows it dimmed. Mentions nest when one lies inside another;
one that crosses another, or whose offsets do not match its text, is listed after the text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pipeline.document import Document, Mention

RESET = "\x1b[0m"
DIM = "\x1b[2m"
KIND_COLOURS = {
    "project": "1;35",
    "programme": "1;34",
    "grant_number": "36",
    "money": "1;32",
    "date": "33",
    "duration": "33",
    "organization": "1;36",
    "country": "31",
    "location": "31",
    "person": "35",
}
DEFAULT_COLOUR = "1"
SENTENCE_END = ".!?\n"


def label(mention: Mention) -> str:
    """`kind=value|rule` (or `kind|rule` when the mention has no value)."""
    value = mention.value
    if value is None and mention.amount is not None:
        value = f"{mention.amount:g} {mention.currency or ''}".strip()
    kind = mention.kind if value is None else f"{mention.kind}={value}"
    return f"{kind}|{mention.rule}"


@dataclass
class _Node:
    mention: Mention
    children: list[_Node] = field(default_factory=list)


def _tree(text: str, mentions: Iterable[Mention]) -> tuple[list[_Node], list[Mention]]:
    """Nest the mentions by their spans; returns the top level and those left out."""
    roots: list[_Node] = []
    stack: list[_Node] = []
    left_out: list[Mention] = []
    ordered = sorted(mentions, key=lambda m: (m.start, -m.end, m.kind, m.rule, m.value or ""))
    for mention in ordered:
        valid = 0 <= mention.start <= mention.end <= len(text)
        if not valid or text[mention.start : mention.end] != mention.text:
            left_out.append(mention)
            continue
        while stack and stack[-1].mention.end <= mention.start:
            stack.pop()
        if stack and mention.end > stack[-1].mention.end:
            left_out.append(mention)
            continue
        node = _Node(mention)
        (stack[-1].children if stack else roots).append(node)
        if mention.end > mention.start:
            stack.append(node)
    return roots, left_out


def _render(text: str, nodes: list[_Node], start: int, end: int, colour: bool, outer: str) -> str:
    parts: list[str] = []
    position = start
    for node in nodes:
        mention = node.mention
        parts.append(text[position : mention.start])
        if colour:
            style = f"\x1b[{KIND_COLOURS.get(mention.kind, DEFAULT_COLOUR)}m"
            inner = _render(text, node.children, mention.start, mention.end, colour, style)
            parts.append(f"{style}{inner}{RESET}{DIM}[{label(mention)}]{RESET}{outer}")
        else:
            inner = _render(text, node.children, mention.start, mention.end, colour, outer)
            parts.append(f"[[{inner}|{label(mention)}]]")
        position = mention.end
    parts.append(text[position:end])
    return "".join(parts)


def render_mentions(text: str, mentions: Sequence[Mention], colour: bool = False) -> str:
    """The text with each mention marked inline; mentions that cannot be marked follow it."""
    roots, left_out = _tree(text, mentions)
    rendered = _render(text, roots, 0, len(text), colour, "")
    if not left_out:
        return rendered
    lines = [rendered, "", "Mentions not marked inline (crossing another, or offsets off):"]
    for mention in left_out:
        actual = text[mention.start : mention.end] if 0 <= mention.start <= len(text) else ""
        note = "" if actual == mention.text else f" (the text there is {actual!r})"
        lines.append(f"  {mention.start}-{mention.end} {mention.text!r} {label(mention)}{note}")
    return "\n".join(lines)


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the sentence (or line) around the span start:end begins and ends in `text`."""
    begin = start
    while begin > 0 and not (
        text[begin - 1] == "\n"
        or (text[begin - 1] == " " and begin > 1 and text[begin - 2] in SENTENCE_END)
    ):
        begin -= 1
    finish = end
    while finish < len(text) and not (
        text[finish] == "\n"
        or (text[finish] in SENTENCE_END and (finish + 1 == len(text) or text[finish + 1] == " "))
    ):
        finish += 1
    if finish < len(text) and text[finish] != "\n":
        finish += 1
    while begin < start and text[begin].isspace():
        begin += 1
    while finish > end and text[finish - 1].isspace():
        finish -= 1
    return begin, finish


def sentence_at(text: str, start: int, end: int, marks: tuple[str, str] = ("", "")) -> str:
    """The sentence around the span start:end, the span wrapped in `marks` (e.g. «»)."""
    begin, finish = sentence_bounds(text, start, end)
    return f"{text[begin:start]}{marks[0]}{text[start:end]}{marks[1]}{text[end:finish]}"


def _record(fields: dict[str, object]) -> str:
    return ", ".join(
        f"{key}={value!r}" for key, value in fields.items() if value not in (None, [], "")
    )


def explain_document(doc: Document, colour: bool = False) -> str:
    """A processed document as text: header, marked-up main text, projects and partners."""
    lines = [f"== {doc.source}  (doc_id {doc.doc_id})"]
    for name in ("url", "title", "published", "language", "status", "error"):
        value = getattr(doc, name)
        if value is not None:
            lines.append(f"{name}: {value}")
    lines.append(f"mentions: {len(doc.mentions)}")
    lines.append("")
    lines.append(render_mentions(doc.text, doc.mentions, colour) if doc.text else "(no text)")
    lines.append("")
    lines.append(f"projects: {len(doc.projects)}")
    for project in doc.projects:
        fields = {key: getattr(project, key) for key in project.__dataclass_fields__}
        lines.append(f"  - {_record(fields)}")
    lines.append(f"partners: {len(doc.partners)}")
    for partner in doc.partners:
        fields = {key: getattr(partner, key) for key in partner.__dataclass_fields__}
        lines.append(f"  - {_record(fields)}")
    return "\n".join(lines)
