"""HTML pages: main text with trafilatura, checked against readability-lxml; title and date.

trafilatura runs with explicit options: it favours precision, leaves out comments, keeps
tables, lists and headings, and skips its own backup extractors (`fast`). Its one frequent
loss on news pages is an article cut short at a break in the markup (an ad slot, a "read
also" box), so when its text covers less than half of the page's paragraph text (or is very
short), readability-lxml gives a second opinion, and its text wins when it is at least
`FALLBACK_RATIO` times longer and contains what trafilatura found (or trafilatura found
almost nothing). Running readability only then keeps the stage near trafilatura's speed, and
on the article-extraction benchmark this beats trafilatura's own backup extraction (see
bench/boilerplate.py). Lines of the result then pass the same boilerplate cues as plain-text
scrapes (share buttons, tags, bylines, EU disclaimers...), and a first line that repeats the
headline of the metadata is left out (the headline is the title, not the text).

The title comes from the page's metadata (Open Graph, JSON-LD, <title>, <h1>), the address
from its canonical link or og:url; the date
from the page's own markup via htmldate with pinned bounds and no URL or free-text search,
so that neither today's date nor the address changes the result.
"""

from __future__ import annotations

import logging
from datetime import datetime

import lxml.etree
import lxml.html
import regex
import trafilatura
from htmldate import find_date
from readability import Document as Readability
from trafilatura.metadata import examine_meta, extract_meta_json, extract_title
from trafilatura.utils import HTML_PARSER, load_html

from pipeline.clean.cues import CueSet, load_cues
from pipeline.clean.text import CleanResult, classify, headline_like, normalize_line, parse_date

MIN_DATE = datetime(1990, 1, 1)
MAX_DATE = datetime(2099, 12, 31)
DATE_PARAMS = {
    "extensive_search": False,
    "original_date": True,
    "outputformat": "%Y-%m-%d",
    "min_date": MIN_DATE,
    "max_date": MAX_DATE,
}
TRAFILATURA_OPTIONS = {
    "output_format": "txt",
    "fast": True,
    "favor_precision": True,
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "include_formatting": False,
    "deduplicate": False,
    "with_metadata": False,
    "date_extraction_params": DATE_PARAMS,
}
SECOND_OPINION_SHARE = 0.5  # trafilatura's share of the paragraph text that asks for readability
SHORT_TEXT_WORDS = 100  # fewer words than this asks for readability too
FALLBACK_RATIO = 1.8  # readability wins when this many times longer...
FALLBACK_OVERLAP = 0.5  # ...and holds at least this share of trafilatura's 4-word shingles
WORD = regex.compile(r"\w+")
MAX_HTML_CHARS = 2 * 2**20
"""Larger pages lose scripts, styles, comments and data URIs, then are cut at this size:
parsing and extraction take about 5 s per MB of markup, and an article is far shorter."""
MAX_OPENING_RUN = 64
OPEN_TAG = r"<(?!(?:html|head|body)\b)[a-zA-Z][^<>]*>"
OPENING_RUN = regex.compile(rf"(?:{OPEN_TAG}\s*){{{MAX_OPENING_RUN - 1},}}({OPEN_TAG})", regex.I)
HEAVY_START = regex.compile(r"<(script|style|svg)\b|<!--")
ABSOLUTE_URL = regex.compile(r"https?://[^\s/]+\S*\Z", regex.I)
RESOURCE_LIMIT = lxml.etree.ErrorTypes.ERR_RESOURCE_LIMIT  # in the parser's error log
DATA_URI = regex.compile(r"""\b(?:src|href)\s*=\s*(?:"data:[^"]*"|'data:[^']*')""")

logging.getLogger("readability.readability").setLevel(logging.ERROR)
logging.getLogger("trafilatura").setLevel(logging.ERROR)
logging.getLogger("htmldate").setLevel(logging.ERROR)


def words(text: str) -> list[str]:
    """Word tokens, as the benchmark counts them."""
    return WORD.findall(text)


def shingles(tokens: list[str]) -> set[tuple[str, ...]]:
    """The set of 4-word windows of a token list."""
    return {tuple(tokens[i : i + 4]) for i in range(max(len(tokens) - 3, 1))}


def overlap(part: str, whole: str) -> float:
    """Share of the 4-word shingles of `part` that also occur in `whole`."""
    mine = shingles(words(part))
    return len(mine & shingles(words(whole))) / len(mine) if mine else 0.0


def paragraph_words_over(tree: lxml.html.HtmlElement, limit: float) -> bool:
    """True when the page's <p> elements hold more than `limit` words (their words bound the
    article's size; the count stops as soon as it passes the limit)."""
    count = 0
    for p in tree.iter("p"):
        count += len(words(p.text_content()))
        if count > limit:
            return True
    return False


def readability_text(tree: lxml.html.HtmlElement) -> str:
    """Main text by readability-lxml, one paragraph per line."""
    summary = Readability(tree).summary(html_partial=True)
    if not summary.strip():
        return ""
    body = lxml.html.fromstring(summary)
    blocks = body.xpath(".//p|.//li|.//h1|.//h2|.//h3|.//h4|.//td|.//pre|.//blockquote")
    lines = [
        normalize_line(block.text_content())
        for block in blocks
        if not block.xpath(".//p|.//li|.//td|.//blockquote")
    ]
    text = "\n".join(line for line in lines if line)
    return text or normalize_line(body.text_content())


def main_text(tree: lxml.html.HtmlElement) -> str:
    """trafilatura's text, or readability's when trafilatura cut the article short."""
    text = trafilatura.extract(tree, **TRAFILATURA_OPTIONS) or ""
    n = len(words(text))
    if n >= SHORT_TEXT_WORDS and not paragraph_words_over(tree, n / SECOND_OPINION_SHARE):
        return text
    alternative = readability_text(tree)
    if len(words(alternative)) > FALLBACK_RATIO * n and (
        n < SHORT_TEXT_WORDS or overlap(text, alternative) >= FALLBACK_OVERLAP
    ):
        return alternative
    return text


def drop_boilerplate_lines(text: str, cues: CueSet) -> str:
    """The text without lines that a boilerplate cue drops (the scrape cues, reused)."""
    kept = []
    for line in text.split("\n"):
        line = line.rstrip()
        action, _ = classify(normalize_line(line), cues) if line else (None, None)
        if action not in ("drop", "footer"):
            kept.append(line)
    return "\n".join(kept).strip()


def without_repeated_headline(text: str, title: str | None) -> str:
    """The main text without its first line when that line is the headline the metadata
    gives (whole, or cut before the site's name: "Title | Site"): the headline is the
    title, not the article's text."""
    first, _, rest = text.partition("\n")
    first = normalize_line(first)
    if title and first and first in title and title.startswith(first):
        return rest.lstrip("\n")
    return text


def page_title(tree: lxml.html.HtmlElement) -> str | None:
    """Headline from the metadata: Open Graph/meta, then JSON-LD, then <title>/<h1>."""
    metadata = examine_meta(tree)
    if not metadata.title:
        metadata = extract_meta_json(tree, metadata)
    title = metadata.title or extract_title(tree)
    return normalize_line(title) if title else None


def page_url(tree: lxml.html.HtmlElement) -> str | None:
    """The address the page declares for itself: its canonical link, else its og:url; only an
    absolute http(s) address (a relative one cannot be resolved without the fetch address)."""
    canonical, og = [], []
    for el in tree.iter("link", "meta"):
        if el.tag == "link" and "canonical" in (el.get("rel") or "").lower().split():
            canonical.append((el.get("href") or "").strip())
        elif el.tag == "meta" and (el.get("property") or "").strip().lower() == "og:url":
            og.append((el.get("content") or "").strip())
    return next((url for url in canonical + og if ABSOLUTE_URL.match(url)), None)


def page_date(tree: lxml.html.HtmlElement) -> str | None:
    """The page's own publication date from its markup, never from its URL or today."""
    return find_date(tree, **DATE_PARAMS)


def strip_heavy_markup(raw: str) -> str:
    """The page without scripts, styles, SVG, comments and inline data URIs (linear time)."""
    lower = raw.lower()
    parts: list[str] = []
    pos = 0
    while match := HEAVY_START.search(lower, pos):
        parts.append(raw[pos : match.start()])
        close = "-->" if match.group(0) == "<!--" else f"</{match.group(1)}"
        end = lower.find(close, match.end())
        if end < 0:
            pos = len(raw)  # never closed: the rest of the page is inside it
            break
        pos = end + len(close) if close == "-->" else lower.find(">", end) + 1 or len(raw)
    parts.append(raw[pos:])
    return DATA_URI.sub("", "".join(parts))


def collapse_opening_runs(raw: str) -> str:
    """The page with long runs of opening tags collapsed to their last one (libxml2 drops
    everything nested deeper than 255 levels)."""
    return OPENING_RUN.sub(r"\1", raw)


def limit_size(raw: str) -> str:
    """At most MAX_HTML_CHARS of the page: heavy markup stripped, then cut at a tag if still
    over."""
    if len(raw) <= MAX_HTML_CHARS:
        return raw
    raw = strip_heavy_markup(raw)
    if len(raw) <= MAX_HTML_CHARS:
        return raw
    cut = raw.rfind("<", 0, MAX_HTML_CHARS)
    return raw[: cut if cut > 0 else MAX_HTML_CHARS]


def limit_markup(raw: str) -> str:
    """A page the parser reads whole, however deep it nests: long runs of opening tags
    collapsed, and at most MAX_HTML_CHARS long."""
    return limit_size(collapse_opening_runs(raw))


def parse_page(raw: str) -> lxml.html.HtmlElement | None:
    """The page's tree (trafilatura's parser), read whole: a page cut short by one of libxml2's
    limits (nesting deeper than 255 levels) is read again after `limit_markup`. The collapse
    scans the whole page at about twice the cost of parsing it, and hardly any page needs it."""
    tree = load_html(limit_size(raw))
    if any(error.type == RESOURCE_LIMIT for error in HTML_PARSER.error_log):
        tree = load_html(limit_markup(raw))
    return tree


def clean_html(raw: str) -> CleanResult:
    """Main text, title and publication date of an HTML page (see `parse_page` for huge ones)."""
    tree = parse_page(raw)
    if tree is None:
        return CleanResult("", None, None, [])
    title = page_title(tree)
    published = page_date(tree)
    url = page_url(tree)
    text = without_repeated_headline(drop_boilerplate_lines(main_text(tree), load_cues()), title)
    first_line = normalize_line(text.split("\n", 1)[0])
    if title is None and first_line and headline_like(first_line):
        title = first_line
    if published is None and first_line:
        published = parse_date(first_line, labelled=False)
    return CleanResult(text, title, published, [], url)
