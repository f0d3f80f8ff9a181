"""The Python API: the facts of one page, and a batch run, without the command line.

>>> from pipeline import extract_facts
>>> doc = extract_facts(
...     "On 2 November 2020 the project Skills4Cities was launched. It is funded by "
...     "ERASMUS+ and has a total budget of 189.982 €. Project № 2020-1-BG01-KA202-079071."
... )
>>> doc.language, doc.status
('en', 'ok')
>>> [(p.acronym, p.programme, p.grant_number, p.total_budget) for p in doc.projects]
[('Skills4Cities', 'Erasmus+', '2020-1-BG01-KA202-079071', 189982.0)]
>>> sorted({m.kind for m in doc.mentions})
['date', 'grant_number', 'money', 'programme', 'project']

Every mention carries offsets into `doc.text`:

>>> money = next(m for m in doc.mentions if m.kind == "money")
>>> doc.text[money.start : money.end], money.amount, money.currency
('189.982 €', 189982.0, 'EUR')

HTML goes through the same stages as in a run (its main text is found first); give the
page's `url` and, when you know it, its `language` to skip detection.
"""

from __future__ import annotations

import regex

from pipeline.batch.errors import RunError
from pipeline.batch.run import RunSummary, run
from pipeline.batch.worker import STAGES, Stage, process
from pipeline.document import Document
from pipeline.read.files import ReadError, decode, unreadable

HTML_START = regex.compile(r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", regex.I)
MEMORY_SOURCE = "<memory>"

__all__ = ["RunError", "RunSummary", "extract_facts", "run"]


def looks_like_html(text: str) -> bool:
    """True when the text starts as an HTML document does (doctype, html, head or body)."""
    return HTML_START.match(text[:4096]) is not None


def extract_facts(
    text_or_html: str | bytes, *, url: str | None = None, language: str | None = None
) -> Document:
    """Run every stage over one page given as text or HTML (str, or bytes of any encoding).

    Returns the `Document` with its main text, title, language, mentions, projects and
    partners. Models are loaded on the first call and reused. A page that fails gets
    `status == "error"` and the reason in `error`, as in a run; nothing is raised for it.
    `language` (ISO 639-1) replaces detection.
    """
    if isinstance(text_or_html, bytes):
        is_html = looks_like_html(text_or_html[:4096].decode("latin-1"))
        try:
            raw, encoding = decode(text_or_html, html=is_html)
        except ReadError as error:
            return unreadable(url or MEMORY_SOURCE, str(error), url)
    else:
        raw, encoding = text_or_html, "utf-8"
        is_html = looks_like_html(raw)
    doc = Document.from_source(
        url or MEMORY_SOURCE, raw=raw, format="html" if is_html else "text", encoding=encoding
    )
    doc.url = doc.url or url
    return process(doc, stages=_stages(language))


def _stages(language: str | None) -> tuple[tuple[str, Stage], ...]:
    if language is None:
        return STAGES

    def given(doc: Document) -> Document:
        doc.language = language
        return doc

    return tuple((name, given if name == "language" else stage) for name, stage in STAGES)
