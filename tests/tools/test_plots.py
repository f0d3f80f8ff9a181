"""Plots of the tables: what each one counts, empty tables, identical PNG bytes."""

import pandas as pd
import pytest
from fixture_tables import fixture_documents, write_fixture_tables

from pipeline.tables import OUTPUT_TABLES
from pipeline.tools import plots

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    output = write_fixture_tables(tmp_path_factory.mktemp("output"))
    return {name: pd.read_parquet(output / f"{name}.parquet") for name in OUTPUT_TABLES}


@pytest.fixture(scope="module")
def empty_tables(tmp_path_factory):
    failed = [doc for doc in fixture_documents() if doc.status == "error"]
    output = write_fixture_tables(tmp_path_factory.mktemp("empty"), failed)
    return {name: pd.read_parquet(output / f"{name}.parquet") for name in OUTPUT_TABLES}


PLOTS = [
    ("documents_by_status", "documents"),
    ("projects_per_programme", "project_index"),
    ("budget_distribution", "project_index"),
    ("largest_projects", "project_index"),
    ("partners_by_country", "partner_index"),
    ("top_organisations", "partner_index"),
    ("project_starts", "project_index"),
]


def _bars(fig):
    """(tick label, bar length) of a horizontal bar chart, top to bottom."""
    ax = fig.axes[0]
    labels = [tick.get_text() for tick in ax.get_yticklabels()]
    widths = [patch.get_width() for patch in ax.patches][: len(labels)]
    return list(zip(labels, widths, strict=True))


@pytest.mark.parametrize(("name", "table"), PLOTS, ids=[p[0] for p in PLOTS])
def test_plots_png_is_identical_on_every_render(tables, name, table):
    first = plots.to_png(getattr(plots, name)(tables[table]))
    second = plots.to_png(getattr(plots, name)(tables[table]))
    assert first.startswith(PNG_SIGNATURE)
    assert len(first) > 5000
    assert first == second
    assert b"Software" not in first and b"Date" not in first


@pytest.mark.parametrize(("name", "table"), PLOTS[1:], ids=[p[0] for p in PLOTS[1:]])
def test_plots_nothing_to_plot_gives_none(empty_tables, name, table):
    assert empty_tables[table].empty
    assert getattr(plots, name)(empty_tables[table]) is None


def test_plots_projects_per_programme_puts_not_stated_last(tables):
    bars = _bars(plots.projects_per_programme(tables["project_index"]))
    assert bars == [
        ("COSME", 1), ("Erasmus+", 1), ("Horizon 2020", 1), ("Interreg", 1),
        (plots.NOT_STATED, 1),
    ]


def test_plots_partners_by_country_counts_partners_without_country(tables):
    bars = dict(_bars(plots.partners_by_country(tables["partner_index"])))
    assert bars == {"BG": 2, "AT": 1, "EE": 1, "ES": 1, "GR": 1, "LT": 1, "PL": 1,
                    plots.NOT_STATED: 2}


def test_plots_top_organisations_groups_spellings(tables):
    bars = _bars(plots.top_organisations(tables["partner_index"]))
    assert bars[0] == ("Tallinn University of Technology", 2)
    assert len(bars) == 9


def test_plots_preferred_spelling_prefers_frequent_then_capitals():
    names = pd.Series(["acme  ltd", "ACME Ltd", "Acme Ltd", "acme ltd"])
    assert plots.preferred_spelling(names) == "acme ltd"
    assert plots.preferred_spelling(pd.Series(["acme ltd", "Acme Ltd"])) == "Acme Ltd"


def test_plots_start_years_fills_gaps_and_reads_any_precision():
    projects = pd.DataFrame({"start_date": ["2019", "2019-05", "2022-01-31", None]})
    assert plots.start_years(projects).to_dict() == {2019: 2, 2020: 0, 2021: 0, 2022: 1}


def test_plots_budgets_are_in_eur_and_say_what_is_left_out(tables):
    index = tables["project_index"]
    title = plots.budget_distribution(index).axes[0].get_title(loc="left")
    assert title == "Budgets and EU contributions (EUR)"
    no_rate = index.iloc[[0]].assign(
        project_key="no-rate", currency="RSD", total_budget_eur=None, eu_contribution_eur=None
    )
    title = plots.budget_distribution(pd.concat([index, no_rate])).axes[0].get_title(loc="left")
    assert title == "Budgets and EU contributions (EUR; 1 project without an ECB rate not shown)"


def test_plots_largest_projects_ordered_by_budget_in_eur(tables):
    bars = _bars(plots.largest_projects(tables["project_index"]))
    assert [label for label, _ in bars] == [
        "GREENPORT", "Зелени градове", "TourBoost", "Skills4Cities"
    ]
    widths = [width for _, width in bars]
    assert widths[0] == 4_800_000.0 and widths[2:] == [450_000.0, 189_982.0]
    assert widths[1] == pytest.approx(1_306_474 / 1.95583, abs=0.01)


def test_plots_largest_projects_leave_out_a_programme_budget(tables):
    index = tables["project_index"]
    fund = index.iloc[[0]].assign(
        project_key="fund", acronym="FUND", total_budget=3.2e10, total_budget_eur=3.2e10
    )
    with_fund = pd.concat([index, fund], ignore_index=True)
    sizes = plots.project_sizes(with_fund)
    assert sizes.loc[sizes["outlier"], "acronym"].tolist() == ["FUND"]
    fig = plots.largest_projects(with_fund)
    assert "FUND" not in [label for label, _ in _bars(fig)]
    assert fig.axes[0].get_title(loc="left") == (
        "Largest projects by budget (EUR; 1 implausible amount left out)"
    )
