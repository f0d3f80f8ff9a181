"""The clean stage: main text, headline and publication date of a page.

Plain-text scrapes go through the line classifier of `clean_text` (cues are rule data in
`rules/*/boilerplate.toml`); HTML goes through `clean_html` (trafilatura with explicit
options and pinned date bounds, checked against readability-lxml).
"""

from __future__ import annotations

from pipeline.clean.text import clean_scrape
from pipeline.document import Document


def clean(doc: Document) -> Document:
    """Fill `doc.text`, `doc.title` and `doc.published` from `doc.raw` and `doc.format`, and
    `doc.url` from the page's canonical link when the input gave none (a WARC record's target
    address stays)."""
    if doc.format == "html":
        from pipeline.clean.html import clean_html

        result = clean_html(doc.raw)
    else:
        result = clean_scrape(doc.raw)
    doc.text, doc.title, doc.published = result.text, result.title, result.published
    doc.url = doc.url or result.url
    return doc
