"""A small, realistic run output (the six Parquet tables) built from Document records.

Offsets are computed from the text, so `text[start:end] == surface` holds for every mention.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from pipeline.batch.shards import with_project_keys
from pipeline.document import STATUS_EMPTY, Document, Mention, Partner, Project
from pipeline.index.build import build_partner_index, build_project_index
from pipeline.tables import SCHEMAS, TABLES, TableWriter, document_rows, write_table

EN_TEXT = (
    "Cluster Sofia Knowledge City launches Skills4Cities\n"
    "On 2 November 2020 the Cluster Sofia Knowledge City launched the project "
    "Smart Skills for Smarter Cities (Skills4Cities), funded by the Erasmus+ programme under "
    "grant agreement 2020-1-BG01-KA202-079071. The project has a total budget of 189.982 EUR, "
    "of which the EU contributes 151.986 EUR. It runs for 24 months, from 1 September 2020 "
    "to 31 August 2022.\n"
    "The coordinator is Cluster Sofia Knowledge City (Bulgaria). Partners are "
    "Fundación Laboral de la Construcción from Spain and Die Berater from Austria. "
    "Project manager Maria Ivanova said the consortium will meet in Vienna in March."
)

HORIZON_TEXT = (
    "GREENPORT receives Horizon 2020 funding\n"
    "The GREENPORT project (Green Ports for a Clean Baltic), grant 101006543, started in "
    "January 2021 with a budget of EUR 4.8 million. The EU contribution is EUR 3.9 million. "
    "It is coordinated by Port of Gdansk Authority in Poland, with Klaipeda State Seaport "
    "Authority (Lithuania) and Tallinn University of Technology (Estonia) as partners.\n"
    "A second project, COSME-backed TourBoost, supports small hotels since 2019 with "
    "EUR 450,000; Tallinn University of Technology is a partner there as well."
)

BG_TEXT = (
    "Община Благоевград стартира проект по Interreg\n"
    "Община Благоевград е водещ партньор по проект „Зелени градове“ по програма Interreg "
    "Гърция – България с бюджет 1 306 474 лева. Проектът започна през май 2019 г. и е с "
    "продължителност 30 месеца. Партньори са Община Серес от Гърция и "
    "Югозападен университет „Неофит Рилски“."
)


def _mention(text: str, surface: str, kind: str, rule: str, nth: int = 0, **fields) -> Mention:
    """A mention of the `nth` occurrence of `surface` in `text`."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return Mention(kind=kind, text=surface, start=start, end=start + len(surface), rule=rule,
                   **fields)


def en_document(source: str = "en/skills4cities.html") -> Document:
    """The Skills4Cities page (a copy of it under another `source` names the same project)."""
    doc = Document.from_source(
        source, url="https://example.org/news/skills4cities",
        title="Cluster Sofia Knowledge City launches Skills4Cities", published="2020-11-02",
        language="en", text=EN_TEXT, format="html", encoding="utf-8",
    )
    pid = f"{doc.doc_id}-p1"
    t = EN_TEXT
    doc.mentions = [
        _mention(t, "Smart Skills for Smarter Cities", "project", "en.project.quoted_name",
                 value="Smart Skills for Smarter Cities", project_id=pid),
        _mention(t, "Skills4Cities", "project", "en.project.acronym", nth=1,
                 value="Skills4Cities", project_id=pid),
        _mention(t, "Erasmus+", "programme", "en.programme.erasmus", value="Erasmus+",
                 project_id=pid),
        _mention(t, "2020-1-BG01-KA202-079071", "grant_number", "common.grant_number.erasmus",
                 value="2020-1-BG01-KA202-079071", project_id=pid),
        _mention(t, "189.982 EUR", "money", "en.money.amount_then_code", value="189982 EUR",
                 amount=189982.0, currency="EUR", project_id=pid),
        _mention(t, "151.986 EUR", "money", "en.money.amount_then_code", value="151986 EUR",
                 amount=151986.0, currency="EUR", project_id=pid),
        _mention(t, "24 months", "duration", "en.duration.months", value="24", project_id=pid),
        _mention(t, "2 November 2020", "date", "en.date.day_month_year", value="2020-11-02"),
        _mention(t, "1 September 2020", "date", "en.date.day_month_year", value="2020-09-01",
                 project_id=pid),
        _mention(t, "31 August 2022", "date", "en.date.day_month_year", value="2022-08-31",
                 project_id=pid),
        _mention(t, "Cluster Sofia Knowledge City", "organization", "spacy.en_core_web_sm.ORG",
                 nth=2, value="Cluster Sofia Knowledge City", project_id=pid),
        _mention(t, "Bulgaria", "country", "en.country.name", value="BG"),
        _mention(t, "Fundación Laboral de la Construcción", "organization",
                 "spacy.en_core_web_sm.ORG", value="Fundación Laboral de la Construcción",
                 project_id=pid),
        _mention(t, "Spain", "country", "en.country.name", value="ES"),
        _mention(t, "Die Berater", "organization", "en.organization.partner_list",
                 value="Die Berater", project_id=pid),
        _mention(t, "Austria", "country", "en.country.name", value="AT"),
        _mention(t, "Maria Ivanova", "person", "spacy.en_core_web_sm.PERSON",
                 value="Maria Ivanova"),
        _mention(t, "Vienna", "location", "spacy.en_core_web_sm.GPE", value="Vienna"),
    ]
    doc.projects = [
        Project(project_id=pid, name="Smart Skills for Smarter Cities", acronym="Skills4Cities",
                programme="Erasmus+", grant_number="2020-1-BG01-KA202-079071",
                start_date="2020-09-01", end_date="2022-08-31", duration_months=24,
                total_budget=189982.0, eu_contribution=151986.0, currency="EUR"),
    ]
    doc.partners = [
        Partner("Cluster Sofia Knowledge City", pid, "BG", "coordinator"),
        Partner("Fundación Laboral de la Construcción", pid, "ES", "partner"),
        Partner("Die Berater", pid, "AT", "partner"),
    ]
    return doc


def _horizon_document() -> Document:
    doc = Document.from_source(
        "en/greenport.txt", title="GREENPORT receives Horizon 2020 funding",
        published="2021-02", language="en", text=HORIZON_TEXT,
    )
    first, second = f"{doc.doc_id}-p1", f"{doc.doc_id}-p2"
    t = HORIZON_TEXT
    doc.mentions = [
        _mention(t, "GREENPORT", "project", "en.project.acronym", nth=1, value="GREENPORT",
                 project_id=first),
        _mention(t, "Green Ports for a Clean Baltic", "project", "en.project.bracketed_name",
                 value="Green Ports for a Clean Baltic", project_id=first),
        _mention(t, "Horizon 2020", "programme", "en.programme.horizon", value="Horizon 2020",
                 project_id=first),
        _mention(t, "101006543", "grant_number", "common.grant_number.horizon",
                 value="101006543", project_id=first),
        _mention(t, "January 2021", "date", "en.date.month_year", value="2021-01",
                 project_id=first),
        _mention(t, "EUR 4.8 million", "money", "en.money.code_then_amount",
                 value="4800000 EUR", amount=4_800_000.0, currency="EUR", project_id=first),
        _mention(t, "EUR 3.9 million", "money", "en.money.code_then_amount",
                 value="3900000 EUR", amount=3_900_000.0, currency="EUR", project_id=first),
        _mention(t, "Port of Gdansk Authority", "organization", "spacy.en_core_web_sm.ORG",
                 value="Port of Gdansk Authority", project_id=first),
        _mention(t, "Poland", "country", "en.country.name", value="PL"),
        _mention(t, "Klaipeda State Seaport Authority", "organization",
                 "spacy.en_core_web_sm.ORG", value="Klaipeda State Seaport Authority",
                 project_id=first),
        _mention(t, "Lithuania", "country", "en.country.name", value="LT"),
        _mention(t, "Tallinn University of Technology", "organization",
                 "spacy.en_core_web_sm.ORG", value="Tallinn University of Technology",
                 project_id=first),
        _mention(t, "Estonia", "country", "en.country.name", value="EE"),
        _mention(t, "COSME", "programme", "en.programme.cosme", value="COSME",
                 project_id=second),
        _mention(t, "TourBoost", "project", "en.project.camel_case", value="TourBoost",
                 project_id=second),
        _mention(t, "2019", "date", "en.date.year", value="2019", project_id=second),
        _mention(t, "EUR 450,000", "money", "en.money.code_then_amount", value="450000 EUR",
                 amount=450_000.0, currency="EUR", project_id=second),
        _mention(t, "Tallinn University of Technology", "organization",
                 "spacy.en_core_web_sm.ORG", nth=1, value="Tallinn University of Technology",
                 project_id=second),
    ]
    doc.projects = [
        Project(project_id=first, name="Green Ports for a Clean Baltic", acronym="GREENPORT",
                programme="Horizon 2020", grant_number="101006543", start_date="2021-01",
                total_budget=4_800_000.0, eu_contribution=3_900_000.0, currency="EUR"),
        Project(project_id=second, acronym="TourBoost", programme="COSME", start_date="2019",
                total_budget=450_000.0, currency="EUR"),
    ]
    doc.partners = [
        Partner("Port of Gdansk Authority", first, "PL", "coordinator"),
        Partner("Klaipeda State Seaport Authority", first, "LT", "partner"),
        Partner("Tallinn University of Technology", first, "EE", "partner"),
        Partner("Tallinn  university of technology", second, None, "partner"),
    ]
    return doc


def _bg_document() -> Document:
    doc = Document.from_source(
        "bg/blagoevgrad.txt", title="Община Благоевград стартира проект по Interreg",
        language="bg", text=BG_TEXT,
    )
    pid = f"{doc.doc_id}-p1"
    t = BG_TEXT
    doc.mentions = [
        _mention(t, "Община Благоевград", "organization", "bg.organization.municipality",
                 nth=1, value="Община Благоевград", project_id=pid),
        _mention(t, "Зелени градове", "project", "bg.project.quoted_name",
                 value="Зелени градове", project_id=pid),
        _mention(t, "Interreg Гърция – България", "programme", "bg.programme.interreg",
                 value="Interreg", project_id=pid),
        _mention(t, "1 306 474 лева", "money", "bg.money.amount_then_leva",
                 value="1306474 BGN", amount=1_306_474.0, currency="BGN", project_id=pid),
        _mention(t, "май 2019 г.", "date", "bg.date.month_year", value="2019-05",
                 project_id=pid),
        _mention(t, "30 месеца", "duration", "bg.duration.months", value="30", project_id=pid),
        _mention(t, "Община Серес", "organization", "bg.organization.municipality",
                 value="Община Серес", project_id=pid),
        _mention(t, "Гърция", "country", "bg.country.name", nth=1, value="GR"),
        _mention(t, "Югозападен университет „Неофит Рилски“", "organization",
                 "bg.organization.university", value="Югозападен университет „Неофит Рилски“",
                 project_id=pid),
    ]
    doc.projects = [
        Project(project_id=pid, name="Зелени градове", programme="Interreg",
                start_date="2019-05", duration_months=30, total_budget=1_306_474.0,
                currency="BGN"),
    ]
    doc.partners = [
        Partner("Община Благоевград", pid, "BG", "lead"),
        Partner("Община Серес", pid, "GR", "partner"),
        Partner("Югозападен университет „Неофит Рилски“", pid, None, "partner"),
    ]
    return doc


def _unlinked_document() -> Document:
    """A project with no programme, no money and no dates: the plots must cope."""
    text = "<Untitled> project & co. was presented in Sofia."
    doc = Document.from_source("en/untitled.txt", language="en", text=text)
    pid = f"{doc.doc_id}-p1"
    doc.mentions = [_mention(text, "<Untitled>", "project", "en.project.before_project",
                             value="<Untitled>", project_id=pid)]
    doc.projects = [Project(project_id=pid, name="<Untitled>")]
    return doc


READ_ERROR = "read: not a WARC file (bad record header at offset 0)"
ERROR_SOURCES = [f"archive/broken-{n}.warc.gz#0" for n in range(1, 5)]
EXTRACT_ERROR = "extract: ValueError: unbalanced quote in organisation name"


def fixture_documents() -> list[Document]:
    """Every status and language: 4 ok (en, en, bg, en), 1 empty (bg), 5 errors (2 reasons)."""
    empty = Document.from_source("bg/empty.html", language="und", format="html",
                                 status=STATUS_EMPTY,
                                 error="no main text after boilerplate removal")
    errors = [Document.from_source(source) for source in ERROR_SOURCES]
    for doc in errors:
        doc.fail("read", READ_ERROR.removeprefix("read: "))
    failed = Document.from_source("en/bad-quote.html", format="html")
    failed.fail("extract", EXTRACT_ERROR.removeprefix("extract: "))
    return [en_document(), _horizon_document(), _bg_document(), _unlinked_document(), empty,
            *errors, failed]


def write_fixture_tables(output_dir: Path, documents: list[Document] | None = None) -> Path:
    """Write the six tables of `documents` (default: `fixture_documents()`) into output_dir:
    the four of the pages, then the project and partner index built from them as a run does."""
    output_dir.mkdir(parents=True, exist_ok=True)
    rows: dict[str, list[dict]] = {name: [] for name in TABLES}
    for doc in fixture_documents() if documents is None else documents:
        for name, table_rows in document_rows(doc).items():
            rows[name].extend(table_rows)
    tables = {name: pa.Table.from_pylist(rows[name], schema=SCHEMAS[name]) for name in TABLES}
    project_index, keys = build_project_index(tables["projects"], tables["documents"])
    tables["projects"] = with_project_keys(tables["projects"], keys)
    indexes = {
        "project_index": project_index,
        "partner_index": build_partner_index(tables["partners"], keys),
    }
    for name in TABLES:
        write_table(output_dir, name, tables[name].to_pylist())
    for name, index in indexes.items():
        writer = TableWriter(output_dir, name, schema=index.schema)
        writer.add_table(index)
        writer.commit()
    return output_dir
