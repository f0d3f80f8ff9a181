"""Relevance on real pages: corpus pages about funded projects, news pages that are not."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from corpus_sets import CORPUS

import pipeline

BENCH = Path(__file__).parents[1] / "data" / "clean" / "bench"

# (train page, the signal that makes it about funded projects)
CORPUS_CASES = [
    ("train/en_h1_01.txt", "programme: Horizon Europe"),
    ("train/en_h1_12.txt", "funding phrase: "),
    ("train/bg_h2_22.txt", "project facts: LEAD"),
    ("train/sv_h7_07.txt", "project named after a programme: Hembygdsvåtmark Life"),
    ("train/en_h1_05.txt", "project word: "),
    ("train/lv_h8_02.txt", "project word: "),
]


@pytest.mark.parametrize(("page", "reason"), CORPUS_CASES, ids=[c[0] for c in CORPUS_CASES])
def test_relevance_corpus_pages_are_about_funding(page: str, reason: str) -> None:
    doc = pipeline.extract_facts((CORPUS / page).read_bytes())
    assert doc.about_funding is True
    assert doc.about_funding_reason.startswith(reason)
    assert doc.projects


@pytest.mark.parametrize("page", sorted(BENCH.glob("*.html.gz")), ids=lambda p: p.name[:16])
def test_relevance_benchmark_news_pages_are_not_about_funding(page: Path) -> None:
    doc = pipeline.extract_facts(gzip.decompress(page.read_bytes()))
    assert doc.status == "ok" and doc.mentions
    assert (doc.about_funding, doc.about_funding_reason) == (False, None)
    assert doc.projects == [] and doc.partners == []
    assert all(m.project_id is None for m in doc.mentions)


def test_relevance_the_lexus_page_names_a_project_but_gets_no_row() -> None:
    (page,) = BENCH.glob("aadb38e527d53793*.html.gz")
    doc = pipeline.extract_facts(gzip.decompress(page.read_bytes()))
    assert [m.text for m in doc.mentions if m.kind == "project"] == ["Lexus"]
    assert doc.projects == []


def test_relevance_a_partner_only_named_on_the_page_is_no_project_fact() -> None:
    named = pipeline.extract_facts(
        b"The GREENLOOP project met in Malmo. Lund University hosted the meeting."
    )
    assert (named.about_funding, named.projects, named.partners) == (False, [], [])
    tied = pipeline.extract_facts(
        b"The GREENLOOP project met in Malmo. Lund University is the coordinator of GREENLOOP."
    )
    assert tied.about_funding_reason == "project facts: GREENLOOP"
    assert [(p.organization, p.evidence) for p in tied.partners] == [("Lund University", "role")]



def test_relevance_a_funds_short_name_in_its_own_language_makes_a_page_about_funding() -> None:
    text = "Das Projekt „Grüne Höfe“ in Sachsen wird aus dem ELER gefördert und startet im Mai."
    doc = pipeline.extract_facts(text.encode())
    assert doc.about_funding_reason == "funding phrase: ELER"
    assert [p.name for p in doc.projects] == ["Grüne Höfe"]
