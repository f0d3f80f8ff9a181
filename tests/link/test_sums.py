"""Project sums that cannot be the project's, on a real page: left out, with the reason kept."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from corpus_sets import CORPUS

import pipeline
from pipeline.batch.run import run

# Horizon Europe news: "Całkowity budżet programu wynosi 95,5 mld euro." right after a
# list of projects, the last of which (H2OforAll) took the programme's budget before.
PAGE = CORPUS / "hidden_like" / "pl_1.txt"


def project(doc: pipeline.Document, acronym: str) -> pipeline.Project:
    (found,) = [p for p in doc.projects if p.acronym == acronym]
    return found


def test_sums_the_programme_budget_the_page_states_is_no_project_budget() -> None:
    doc = pipeline.extract_facts(PAGE.read_text(encoding="utf-8"))
    money = [m for m in doc.mentions if m.kind == "money" and m.amount == 95.5e9]
    assert [m.text for m in money] == ["95,5 mld euro"]
    h2o = project(doc, "H2OforAll")
    assert (h2o.total_budget, h2o.eu_contribution, h2o.currency) == (None, None, None)
    assert h2o.notes == ["total_budget: 95500000000 EUR is the programme budget the page states"]


def test_sums_a_sum_above_the_ceiling_is_left_out() -> None:
    text = PAGE.read_text(encoding="utf-8").replace("budżet programu", "budżet")
    h2o = project(pipeline.extract_facts(text), "H2OforAll")
    assert h2o.total_budget is None
    assert h2o.notes == ["total_budget: 95500000000 EUR is above 1000000000 EUR"]


def test_sums_plausible_budgets_stay() -> None:
    doc = pipeline.extract_facts((CORPUS / "langs_pt_nl_sk" / "sk_2.txt").read_bytes())
    accord = project(doc, "ACCORD")
    assert (accord.total_budget, accord.currency, accord.notes) == (110e6, "EUR", [])


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pages = tmp_path_factory.mktemp("in")
    shutil.copy(PAGE, pages / PAGE.name)
    out = tmp_path_factory.mktemp("out")
    run(pages, out, workers=1)
    return out


def test_sums_notes_reach_the_projects_and_the_index(output: Path) -> None:
    projects = pd.read_parquet(output / "projects.parquet").set_index("acronym")
    notes = list(projects.loc["H2OforAll", "notes"])
    assert notes == ["total_budget: 95500000000 EUR is the programme budget the page states"]
    assert projects["total_budget"].isna().all()
    index = pd.read_parquet(output / "project_index.parquet").set_index("acronym")
    doc_id = projects.loc["H2OforAll", "doc_id"]
    assert list(index.loc["H2OforAll", "notes"]) == [f"{notes[0]} ({doc_id})"]
    assert all(len(n) == 0 for a, n in index["notes"].items() if a != "H2OforAll")
