"""Project names: splitting a mention into name and acronym, and fitting acronyms to names."""

from __future__ import annotations

import pytest

from pipeline import extract_facts
from pipeline.link.project_names import acronym_fits, split_name


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "Skills4Cities - Smart Skills for Smarter Cities",
            ("Skills4Cities", "Smart Skills for Smarter Cities"),
        ),
        (
            "The Others and Us – Bridges Between Us",
            (None, "The Others and Us – Bridges Between Us"),
        ),
        ("eT4S", ("eT4S", None)),
        ("„Exploring Europe“", (None, "Exploring Europe")),
        (
            "B-LAND: Promote and Strengthen Business Development Skills",
            ("B-LAND", "Promote and Strengthen Business Development Skills"),
        ),
        (
            "INTRuST: INnovative TRaining Solutions for certified wood",
            ("INTRuST", "INnovative TRaining Solutions for certified wood"),
        ),
        ("Marea: Maritime risk assessment tool", (None, "Marea: Maritime risk assessment tool")),
        (
            "ERA SHUTTLE – Accelerating ERA by Sharing Unique Talents",
            ("ERA SHUTTLE", "Accelerating ERA by Sharing Unique Talents"),
        ),
        (
            "Устойчиво управление на Национален парк Рила – втора фаза",
            (None, "Устойчиво управление на Национален парк Рила – втора фаза"),
        ),
        (
            "Изпълнение на приоритетни дейности от плана за управление – Фаза II",
            (None, "Изпълнение на приоритетни дейности от плана за управление – Фаза II"),
        ),
    ],
    ids=lambda x: str(x),
)
def test_project_names_split_name(value, expected):
    assert split_name(value) == expected


@pytest.mark.parametrize(
    ("acronym", "name", "fits"),
    [
        ("eT4S", "European Technology for Sustainable Development", True),
        ("C2Future", "Clusters for the City of the Future", True),
        ("MME", "MediaMotorEurope", True),
        ("SIM", "Start in Mountains", True),
        ("ESCT", "European Technology for Sustainable Development", False),
        ("CLINES", "European Technology for Sustainable Development", False),
        ("EUTOPIA2050", "EUTOPIA MORE", False),
        ("GCN", "GREEN CITY NETWORK", True),
    ],
)
def test_project_names_acronym_fits_initials(acronym, name, fits):
    assert acronym_fits(acronym, name) is fits


@pytest.mark.parametrize(
    ("text", "lang", "kept"),
    [
        (
            "Projekt je prijavljen na Poziv za dostavu projektnih prijedloga „Razvoj poslovne "
            "infrastrukture“, referentna oznaka KK.03.1.2.01.",
            "hr",
            False,
        ),
        (
            "Projekt je prijavljen na Poziv za dostavu projektnih prijedloga. Projekt „Zeleni "
            "grad Kaptol“ traje dvije godine, a projekt „Zeleni grad Kaptol“ vodi općina.",
            "hr",
            True,
        ),
        (
            "The Interreg project “Green Harbour Lab” answers the call for proposals of 2021.",
            "en",
            True,
        ),
    ],
)
def test_project_names_a_title_named_only_after_a_call_is_no_project(text, lang, kept):
    doc = extract_facts(text, language=lang)
    assert bool(doc.projects) is kept


@pytest.mark.parametrize(
    ("text", "lang", "names"),
    [
        # a title, then the same title with its subtitle after a dash or a colon: one record
        (
            "Проектът „Зелени маршрути“ е финансиран по програма Интеррег. Проектът „Зелени "
            "маршрути – колоездене без граници“ продължава 24 месеца.",
            "bg",
            [["Зелени маршрути", "Зелени маршрути – колоездене без граници"]],
        ),
        (
            "The project „Green Routes“ is funded by Interreg. The project „Green Routes: "
            "cycling without borders“ lasts 24 months.",
            "en",
            [["Green Routes", "Green Routes: cycling without borders"]],
        ),
        # a name that goes on with no separator is another project
        (
            "The Interreg projects BLUEHUB and BLUEHUB2 start in May, with a budget of "
            "EUR 2 million each.",
            "en",
            [["BLUEHUB"], ["BLUEHUB2"]],
        ),
    ],
)
def test_project_names_a_name_written_out_further_is_the_same_project(text, lang, names):
    doc = extract_facts(text, language=lang)
    got = [[x for x in [p.name, p.acronym, *p.aliases] if x] for p in doc.projects]
    assert got == names
