from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.batch import shards
from pipeline.batch.run import run
from pipeline.index.build import (
    PARTNER_INDEX_SCHEMA,
    PROJECT_INDEX_SCHEMA,
    build_partner_index,
    build_project_index,
    tied_names,
)
from pipeline.index.currency import amount_eur
from pipeline.tables import SCHEMAS

STRING = pa.string()
PROJECTS = SCHEMAS["projects"]
PARTNERS = SCHEMAS["partners"]


def project(doc_id: str, project_id: str, **fields: object) -> dict:
    row: dict = dict.fromkeys(PROJECTS.names)
    row.update(doc_id=doc_id, project_id=project_id, aliases=[], **fields)
    return row


def index(rows: list[dict], published: dict[str, str] | None = None):
    published = published or {}
    doc_ids = sorted({r["doc_id"] for r in rows})
    documents = pa.table(
        {"doc_id": doc_ids, "published": [published.get(d) for d in doc_ids]},
        schema=pa.schema([("doc_id", STRING), ("published", STRING)]),
    )
    return build_project_index(pa.Table.from_pylist(rows, schema=PROJECTS), documents)


def records(rows: list[dict], published: dict[str, str] | None = None) -> list[dict]:
    return index(rows, published)[0].to_pylist()


# Pages about one Erasmus+ project: an English announcement, a Bulgarian report, a closing note.
SKILLS = [
    project(
        "en-launch",
        "p1",
        name="Smart Skills for Smarter Cities",
        acronym="Skills4Cities",
        programme="Erasmus+",
        grant_number="2020-1-BG01-KA202-079071",
        start_date="2020-11-02",
        duration_months=24,
        total_budget=189982.0,
        currency="EUR",
    ),
    project(
        "bg-report",
        "p2",
        name="Умни умения за по-умни градове",
        acronym="Skills4Cities",
        programme="Erasmus+",
        start_date="2020-11",
        total_budget=190000.0,
        currency="EUR",
    ),
    project("en-close", "p3", acronym="SKILLS4CITIES", programme="ERASMUS+"),
]


def test_index_english_and_bulgarian_pages_merge_into_one_project():
    (row,) = records(SKILLS)
    assert row["doc_ids"] == ["bg-report", "en-close", "en-launch"]
    assert row["n_documents"] == 3
    assert row["name"] == "Smart Skills for Smarter Cities"  # ties: smallest text, stable
    assert "Умни умения за по-умни градове" in row["aliases"]
    assert row["acronym"] == "Skills4Cities" and "SKILLS4CITIES" in row["aliases"]
    assert row["start_date"] == "2020-11-02"  # the full date over the month
    assert row["total_budget"] == 189982.0  # the exact amount over the rounded one
    assert row["conflicts"] == []  # rounding and precision are not disagreements
    assert (row["grant_valid"], row["grant_programme"]) == (True, "Erasmus+")


def test_index_cyrillic_and_latin_spelling_of_a_name_merge():
    rows = [
        project("bg", "a", name="КУЛТУРА БЕЗ ГРАНИЦИ", programme="Interreg"),
        project("sr", "b", name="Kultura bez granica", programme="Interreg"),
        project("en", "c", name="Kultura Bez Granici", programme="Interreg"),
    ]
    out = records(rows)
    merged = [r for r in out if r["n_documents"] > 1]
    assert len(merged) == 1 and set(merged[0]["doc_ids"]) >= {"bg", "en"}


def test_index_same_acronym_in_different_programmes_stays_apart():
    rows = [
        project("a", "1", acronym="MME", programme="Horizon 2020"),
        project("b", "2", acronym="MME", programme="COSME"),
        project("c", "3", acronym="MME", programme="Horizon 2020"),
    ]
    out = records(rows)
    assert sorted((r["programme"], r["n_documents"]) for r in out) == [
        ("COSME", 1),
        ("Horizon 2020", 2),
    ]


def test_index_missing_programme_joins_only_an_unambiguous_acronym():
    unambiguous = records(
        [project("a", "1", acronym="BOSS", programme="Erasmus+"), project("b", "2", acronym="BOSS")]
    )
    assert [r["n_documents"] for r in unambiguous] == [2]
    ambiguous = records(
        [
            project("a", "1", acronym="MME", programme="Horizon 2020"),
            project("b", "2", acronym="MME", programme="COSME"),
            project("c", "3", acronym="MME"),
        ]
    )
    assert sorted(r["n_documents"] for r in ambiguous) == [1, 1, 1]


def test_index_bare_mentions_of_an_ambiguous_acronym_join_each_other_only():
    rows = [
        project("a", "1", acronym="MME", programme="Horizon 2020"),
        project("b", "2", acronym="MME", programme="COSME"),
        project("c", "3", acronym="MME"),
        project("d", "4", acronym="MME", total_budget=1000.0, currency="EUR"),
        project("e", "5", acronym="MME", grant_number="101056898"),
        project("f", "6", acronym="MME", grant_number="101099999"),
    ]
    docs = sorted(tuple(r["doc_ids"]) for r in records(rows))
    assert docs == [("a",), ("b",), ("c", "d", "e"), ("f",)]


def test_index_pages_that_agree_merge_past_an_earlier_conflicting_page():
    rows = [
        project("a", "1", name="Green Crew Project", programme="Interreg"),
        project("b", "2", name="Green Crew Project", programme="Erasmus+"),
        project("c", "3", name="Green Crew Project", programme="Erasmus+", duration_months=24),
    ]
    out = sorted((r["programme"], r["doc_ids"]) for r in records(rows))
    assert out == [("Erasmus+", ["b", "c"]), ("Interreg", ["a"])]


def test_index_pages_repeating_the_same_facts_give_one_record_whatever_their_number():
    one = project("a", "a-p1", name="Smart Skills for Smarter Cities", acronym="Skills4Cities")
    many = [one | {"doc_id": d, "project_id": f"{d}-p1"} for d in ("a", "b", "c", "d")]
    (record,) = records(many)
    assert record["doc_ids"] == ["a", "b", "c", "d"] and record["n_documents"] == 4
    table, mapping = index(many)
    assert set(mapping) == {"a-p1", "b-p1", "c-p1", "d-p1"}
    assert set(mapping.values()) == {record["project_key"]}


def test_index_budget_that_differs_between_pages_is_a_conflict():
    rows = [
        project(
            "d1", "1", acronym="CIU3A", programme="Interreg", total_budget=2.0e6, currency="EUR"
        ),
        project(
            "d2", "2", acronym="CIU3A", programme="Interreg", total_budget=2.0e6, currency="EUR"
        ),
        project(
            "d3", "3", acronym="CIU3A", programme="Interreg", total_budget=2.5e6, currency="EUR"
        ),
    ]
    (row,) = records(rows)
    assert row["total_budget"] == 2.0e6  # two pages against one
    assert row["conflicts"] == ["total_budget: 2000000 EUR (d1, d2) vs 2500000 EUR (d3)"]


def test_index_conflict_names_ten_documents_a_side_and_counts_the_rest():
    rows = [
        project(f"d{n:02d}", f"{n}", acronym="CIU3A", total_budget=2.0e6, currency="EUR")
        for n in range(12)
    ] + [project("e1", "e", acronym="CIU3A", total_budget=2.5e6, currency="EUR")]
    (row,) = records(rows)
    named = ", ".join(f"d{n:02d}" for n in range(10))
    expected = f"total_budget: 2000000 EUR ({named} and 2 more) vs 2500000 EUR (e1)"
    assert row["conflicts"] == [expected]
    assert row["n_documents"] == 13 and len(row["doc_ids"]) == 13


def test_index_dates_and_durations_that_disagree_are_conflicts():
    rows = [
        project(
            "d1",
            "1",
            acronym="SIM",
            programme="Interreg",
            start_date="2019-03-01",
            duration_months=48,
        ),
        project(
            "d2", "2", acronym="SIM", programme="Interreg", start_date="2020", duration_months=36
        ),
    ]
    (row,) = records(rows)
    assert row["start_date"] == "2019-03-01"
    assert "start_date: 2019-03-01 (d1) vs 2020 (d2)" in row["conflicts"]
    assert any(c.startswith("duration_months: ") for c in row["conflicts"])


def test_index_same_grant_number_spelled_differently_merges():
    rows = [
        project("a", "1", name="Smart Skills", grant_number="2020-1-BG01-KA202-079071"),
        project("b", "2", name="Умни умения", grant_number=" 2020-1-bg01-ka202 - 079071"),
        project("c", "3", name="Something Else", grant_number="2021-1-IT02-KA220-SCH-000087865"),
        project("d", "4", name="Other Words", grant_number="KA220_SCH-000087865"),
    ]
    out = records(rows)
    assert sorted(r["doc_ids"] for r in out) == [["a", "b"], ["c", "d"]]
    numbers = {r["grant_number"] for r in out}
    assert numbers == {"2020-1-BG01-KA202-079071", "2021-1-IT02-KA220-SCH-000087865"}


def test_index_different_grant_numbers_never_merge_by_acronym():
    rows = [
        project("a", "1", acronym="eT4S", programme="COSME", grant_number="951206"),
        project("b", "2", acronym="eT4S", programme="COSME", grant_number="101056941"),
        project("c", "3", acronym="eT4S", programme="COSME"),
    ]
    out = records(rows)
    assert len(out) == 2
    assert sorted(r["n_documents"] for r in out) == [1, 2]


def test_index_grant_shape_that_contradicts_the_programme_is_a_conflict():
    (row,) = records(
        [
            project(
                "a", "1", acronym="X1", programme="COSME", grant_number="2020-1-BG01-KA202-079071"
            )
        ]
    )
    assert row["grant_programme"] == "Erasmus+"
    assert row["conflicts"] == [
        "programme: COSME (a) vs Erasmus+ (grant number 2020-1-BG01-KA202-079071)"
    ]
    (unknown,) = records([project("a", "1", acronym="X2", grant_number="ABC-1")])
    assert (unknown["grant_valid"], unknown["grant_programme"]) == (False, None)


def test_index_project_key_is_stable_when_row_order_and_ids_change():
    rows = SKILLS + [
        project("x", "p9", acronym="MME", programme="Horizon 2020", grant_number="871552"),
        project("y", "p8", name="Media Motor Europe", programme="Horizon 2020"),
    ]
    first, mapping = index(rows)
    renamed = [dict(r, project_id="q" + r["project_id"]) for r in reversed(rows)]
    second, mapping2 = index(renamed)
    assert first.equals(second)
    assert first.column("project_key").to_pylist() == sorted(set(mapping.values()))
    assert {mapping[k] for k in mapping} == {mapping2["q" + k] for k in mapping}


def test_index_budgets_are_converted_to_eur_with_the_page_date():
    rows = [
        project(
            "bg",
            "1",
            acronym="OPIC1",
            programme="OP Innovation and Competitiveness",
            total_budget=438722.0,
            eu_contribution=298330.96,
            currency="BGN",
        ),
        project(
            "us", "2", acronym="US1", programme="Horizon 2020", total_budget=1.0e6, currency="USD"
        ),
    ]
    out = {r["acronym"]: r for r in records(rows, {"us": "2020-10-31"})}
    assert out["OPIC1"]["total_budget_eur"] == round(438722 / 1.95583, 2)
    assert out["OPIC1"]["eu_contribution_eur"] == round(298330.96 / 1.95583, 2)
    assert out["OPIC1"]["rate_date"] is None  # fixed rate, no dated rate used
    assert (out["US1"]["total_budget_eur"], out["US1"]["rate_date"]) == amount_eur(
        1.0e6, "USD", "2020-10-31"
    )
    assert out["US1"]["rate_date"] == "2020-10-30"


def test_index_amounts_in_two_currencies_compare_in_eur():
    rows = [
        project(
            "bg", "1", acronym="Z", programme="Interreg", total_budget=438722.0, currency="BGN"
        ),
        project(
            "en", "2", acronym="Z", programme="Interreg", total_budget=224315.0, currency="EUR"
        ),
        project(
            "gr", "3", acronym="Z", programme="Interreg", total_budget=300000.0, currency="EUR"
        ),
    ]
    (row,) = records(rows)
    assert row["currency"] == "EUR"  # two pages give EUR
    assert row["conflicts"] == ["total_budget: 224315 EUR (en) vs 300000 EUR (gr)"]


def test_index_table_schema_sorted_and_without_blank_strings():
    rows = SKILLS + [project("z", "9", name="  ", acronym="LYSIS", programme="", currency="")]
    table, _ = index(rows)
    assert table.schema == PROJECT_INDEX_SCHEMA
    keys = table.column("project_key").to_pylist()
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    lysis = next(r for r in table.to_pylist() if r["acronym"] == "LYSIS")
    assert lysis["name"] is None and lysis["programme"] is None and lysis["currency"] is None
    for row in table.to_pylist():
        assert all(v != "" for v in row.values())


def partners_index(rows: list[dict], mapping: dict[str, str]) -> list[dict]:
    table = pa.Table.from_pylist([dict.fromkeys(PARTNERS.names) | r for r in rows], schema=PARTNERS)
    out = build_partner_index(table, mapping)
    assert out.schema == PARTNER_INDEX_SCHEMA
    return out.to_pylist()


def test_index_partner_variants_of_one_organisation_merge():
    mapping = {"p1": "K1", "p2": "K1", "p3": "K2"}
    rows = [
        {
            "doc_id": "a",
            "project_id": "p1",
            "organization": "Cluster Sofia Knowledge City (CSKC)",
            "role": "partner",
        },
        {
            "doc_id": "b",
            "project_id": "p2",
            "organization": "CSKC",
            "country": "bg",
            "role": "partner",
        },
        {"doc_id": "b", "project_id": "p2", "organization": "DSP Vаlley"},  # Cyrillic а
        {"doc_id": "c", "project_id": "p1", "organization": "dsp valley.", "role": "coordinator"},
        {"doc_id": "c", "project_id": "p3", "organization": "CSKC", "role": "coordinator"},
    ]
    out = partners_index(rows, mapping)
    by = {(r["project_key"], r["organization"]): r for r in out}
    cskc = (
        by[("K1", "CSKC")]
        if ("K1", "CSKC") in by
        else by[("K1", "Cluster Sofia Knowledge City (CSKC)")]
    )
    assert cskc["variants"] == ["CSKC", "Cluster Sofia Knowledge City (CSKC)"]
    assert (cskc["country"], cskc["role"], cskc["doc_ids"]) == ("BG", "partner", ["a", "b"])
    dsp = [r for r in out if r["project_key"] == "K1" and "DSP Vаlley" in r["variants"]]
    assert len(dsp) == 1 and dsp[0]["n_documents"] == 2 and dsp[0]["role"] == "coordinator"
    assert [r["organization"] for r in out if r["project_key"] == "K2"] == ["CSKC"]
    assert len(out) == 3


def test_index_partner_role_and_country_disagreements_are_conflicts():
    rows = [
        {
            "doc_id": "a",
            "project_id": "p",
            "organization": "GAIA",
            "country": "ES",
            "role": "coordinator",
        },
        {
            "doc_id": "b",
            "project_id": "p",
            "organization": "Gaia",
            "country": "ES",
            "role": "partner",
        },
        {"doc_id": "c", "project_id": "p", "organization": "GAIA", "country": "PT"},
        {"doc_id": "d", "project_id": None, "organization": "GAIA"},
    ]
    out = partners_index(rows, {"p": "K"})
    tied, untied = out
    assert tied["organization"] == "GAIA" and tied["roles"] == ["coordinator", "partner"]
    assert tied["role"] == "coordinator" and tied["countries"] == ["ES", "PT"]
    assert tied["conflicts"] == [
        "country: ES (a, b) vs PT (c)",
        "role: coordinator (a) vs partner (b)",
    ]
    assert untied["project_key"] is None and untied["doc_ids"] == ["d"]


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Cluster Sofia Knowledge City (CSKC)", ["Cluster Sofia Knowledge City", "CSKC"]),
        ("MCB – Media City Bergen", ["MCB", "Media City Bergen"]),
        ("GAIA (Spain)", []),
        ("Partner (BG)", []),
        ("Aalborg Green Hub", []),
    ],
)
def test_index_tied_names_splits_acronym_and_full_name(text, parts):
    assert tied_names(text) == parts


def test_index_run_writes_both_indexes_and_keys_every_project(tmp_path):
    run(Path(__file__).parents[1] / "corpus" / "seeds", tmp_path, workers=1)
    projects = pd.read_parquet(tmp_path / "projects.parquet")
    index = pd.read_parquet(tmp_path / "project_index.parquet")
    partners = pd.read_parquet(tmp_path / "partner_index.parquet")
    assert projects["project_key"].notna().all()
    assert set(projects["project_key"]) == set(index["project_key"])
    skills = index[index["acronym"] == "Skills4Cities"]
    assert len(skills) == 1 and skills["n_documents"].iloc[0] == 2
    assert set(partners["project_key"].dropna()) <= set(index["project_key"])


def test_index_run_streams_parts_into_the_same_indexes_as_whole_tables(tmp_path, monkeypatch):
    monkeypatch.setattr(shards, "MAX_SHARD_FILES", 3)
    run(Path(__file__).parents[1] / "corpus" / "dev", tmp_path, workers=1)
    projects = pq.read_table(tmp_path / "projects.parquet")
    documents = pq.read_table(tmp_path / "documents.parquet", columns=["doc_id", "published"])
    whole, mapping = build_project_index(projects.drop_columns(["project_key"]), documents)
    assert pq.read_table(tmp_path / "project_index.parquet").equals(whole)
    assert projects.column("project_key").to_pylist() == [
        mapping[i] for i in projects.column("project_id").to_pylist()
    ]
    partners = build_partner_index(pq.read_table(tmp_path / "partners.parquet"), mapping)
    assert pq.read_table(tmp_path / "partner_index.parquet").equals(partners)
    assert len(list((tmp_path / ".newsfacts" / "parts").iterdir())) > 1


def test_index_partner_keeps_the_strongest_evidence_of_its_pages():
    rows = [
        {"doc_id": "a", "project_id": "p", "organization": "GAIA", "evidence": "page"},
        {"doc_id": "b", "project_id": "p", "organization": "Gaia", "evidence": "list"},
        {"doc_id": "c", "project_id": "p", "organization": "GAIA", "evidence": "participation"},
        {"doc_id": "d", "project_id": "q", "organization": "IDEC", "evidence": "page"},
    ]
    out = partners_index(rows, {"p": "K", "q": "L"})
    assert [(r["organization"], r["evidence"]) for r in out] == [("GAIA", "list"), ("IDEC", "page")]
