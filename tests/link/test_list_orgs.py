"""Organisations of a partner list that no rule recognised, on real and made-up lists."""

from __future__ import annotations

import pytest
from corpus_sets import CORPUS

import pipeline
from pipeline.document import Document
from pipeline.extract.mentions import extract
from pipeline.link.list_orgs import LIST_MEMBER_RULE
from pipeline.link.stage import link_projects


def members(text: str, lang: str) -> list[str]:
    doc = link_projects(extract(Document.from_source("case.txt", text=text, language=lang)))
    return [m.text for m in doc.mentions if m.rule == LIST_MEMBER_RULE]


def test_list_orgs_a_real_partner_list_goes_on_past_unrecognised_items():
    doc = pipeline.extract_facts((CORPUS / "train" / "en_h1_03.txt").read_bytes())
    found = [m.text for m in doc.mentions if m.rule == LIST_MEMBER_RULE]
    assert found[:3] == ["L’Officina", "Festival Dansem", "Festival Parallèle"]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        (
            "en",
            "The GREENLOOP project partners include ACR+, L'Officina and the Bluebird Collective.",
            ["ACR+", "L'Officina", "Bluebird Collective"],
        ),
        (
            "en",
            "GREENLOOP is run in cooperation with Lund University, Festival Dansem and "
            "Region Skåne.",
            ["Festival Dansem"],
        ),
        # one item is no list; a lower-case phrase ends it; a year is no name
        ("en", "The project is run in cooperation with Festival Dansem.", []),
        ("en", "Partners include Festival Dansem, local schools and Short Theatre.", []),
        ("en", "Partners include Lund University, 2018 and 2021.", []),
    ],
)
def test_list_orgs_items_that_read_like_names(lang, text, expected):
    assert members(text, lang) == expected


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        # a heading, then bullets with a country label and remarks in brackets
        (
            "da",
            "Projektet GREENLOOP starter i år.\n\nPartnere\n"
            "• Danmark: Solby Kommune (lead partner), Harbour of Ideas\n"
            "• Tyskland: Windmark Agentur, Nordlicht Energie\n\n"
            "Projektet varer tre år.",
            ["Harbour of Ideas", "Nordlicht Energie"],
        ),
        # a cue line ending in a colon heads the lines below, up to running text
        (
            "en",
            "The GREENLOOP consortium:\n\nFestival Dansem\nBluebird Collective (Italy)\n"
            "The partners met in Riga to plan the first year of work together.\nBlue Harbour",
            ["Festival Dansem", "Bluebird Collective"],
        ),
        # a cue inside running text heads no list
        (
            "en",
            "The GREENLOOP partners met in Riga to plan the first year of their joint work.\n"
            "Festival Dansem\nShort Theatre",
            [],
        ),
    ],
)
def test_list_orgs_lines_below_a_heading(lang, text, expected):
    assert members(text, lang) == expected
