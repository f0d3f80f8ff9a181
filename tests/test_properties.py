"""Properties of the stages after reading, on arbitrary Unicode text (hypothesis)."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.batch.worker import STAGES
from pipeline.document import Document

KINDS = {
    "project", "programme", "grant_number", "money", "date", "duration",
    "organization", "country", "location", "person",
}  # fmt: skip
PIECES = [
    "Erasmus+", "COSME", "Horizon 2020", "Interreg", "project", "проект", "budget", "EUR",
    "€", "лв.", "1 000 000", "1.1.1.1", "2020-1-BG01-KA202-079071", "24 months", "(ABC)",
    "University of Sofia", "Spain", "„", "“", "«", "»", "—", "-", "\n", "\t", "\u202e",
    "\u200f", "שלום", "مرحبا", "\x00", "\x07", "12 March 2021", "01.09.2020", "ΑΕ", "GmbH",
]  # fmt: skip
TEXT = st.lists(
    st.one_of(
        st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
        st.sampled_from(PIECES),
    ),
    max_size=30,
).map(" ".join)
SETTINGS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


def through_stages(raw: str, fmt: str) -> Document:
    """Run every stage after reading; any exception fails the property."""
    doc = Document.from_source(f"page.{fmt}", raw=raw, format=fmt)
    for _, stage in STAGES:
        doc = stage(doc)
    return doc


def check_document(doc: Document) -> None:
    """Offsets, kinds and values of the mentions; projects and partners well-formed."""
    for m in doc.mentions:
        assert 0 <= m.start < m.end <= len(doc.text), m
        assert doc.text[m.start : m.end] == m.text, m
        assert m.kind in KINDS, m
        assert m.amount is None or math.isfinite(m.amount), m
    ids = [p.project_id for p in doc.projects]
    assert len(ids) == len(set(ids)) and all(ids)
    for p in doc.projects:
        assert p.duration_months is None or p.duration_months > 0, p
        for amount in (p.total_budget, p.eu_contribution):
            assert amount is None or (math.isfinite(amount) and amount >= 0), p
    for partner in doc.partners:
        assert partner.organization and partner.organization.strip(), partner
        assert partner.project_id is None or partner.project_id in ids, partner
        assert partner.country is None or len(partner.country) == 2, partner
    assert {m.project_id for m in doc.mentions} - {None} <= set(ids)


@SETTINGS
@given(TEXT)
def test_properties_text_pages_never_raise_and_offsets_hold(english_ner, text: str) -> None:
    check_document(through_stages(text, "text"))


@SETTINGS
@given(TEXT, st.sampled_from(["p", "div", "h1", "li", "td", "script"]))
def test_properties_html_pages_never_raise_and_offsets_hold(
    english_ner, text: str, tag: str
) -> None:
    raw = f"<html><head><title>{text[:30]}</title></head><body><{tag}>{text}</{tag}></body></html>"
    check_document(through_stages(raw, "html"))
