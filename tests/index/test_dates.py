"""Typed dates beside the ISO date strings, on a run over real corpus pages."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from corpus_sets import CORPUS

from pipeline.batch.run import run
from pipeline.index.dates import typed_date
from pipeline.tables import OUTPUT_TABLES

# A start on a day, a year range, a start in a month.
PAGES = ("seeds/000_406c4b2facab01f7.txt", "seeds/001_6d3df0d40d9084ce.txt", "dev/h003.txt")


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pages = tmp_path_factory.mktemp("in")
    for page in PAGES:
        shutil.copy(CORPUS / page, pages / page.replace("/", "_"))
    out = tmp_path_factory.mktemp("out")
    run(pages, out, workers=1)
    return out


def projects(output: Path) -> pd.DataFrame:
    table = pd.read_parquet(output / "projects.parquet")
    sources = pd.read_parquet(output / "documents.parquet").set_index("doc_id")["source"]
    return table.assign(source=table["doc_id"].map(sources))


@pytest.mark.parametrize("name", OUTPUT_TABLES)
def test_dates_typed_columns_agree_with_the_iso_strings(output: Path, name: str) -> None:
    table = pq.read_table(output / f"{name}.parquet")
    typed = [c.removesuffix("_first_day") for c in table.column_names if c.endswith("_first_day")]
    if name in ("partners", "partner_index"):
        assert typed == []
        return
    assert typed, name
    rows = table.to_pylist()
    for column in typed:
        assert table.schema.field(f"{column}_first_day").type == pa.date32()
        for row in rows:
            value = row[column] if not (name == "mentions" and row["kind"] != "date") else None
            first, precision = typed_date(value)
            assert row[f"{column}_first_day"] == first
            if f"{column}_precision" in row:
                assert row[f"{column}_precision"] == precision


def test_dates_first_day_and_precision_of_real_project_dates(output: Path) -> None:
    table = projects(output).set_index("acronym")
    assert table.loc["eT4S", ["start_date_first_day", "start_date_precision"]].tolist() == [
        dt.date(2020, 9, 1),
        "day",
    ]
    assert table.loc[
        "C2Future", ["end_date", "end_date_first_day", "end_date_precision"]
    ].tolist() == [
        "2022",
        dt.date(2022, 1, 1),
        "year",
    ]
    h003 = projects(output).query("source == 'dev_h003.txt' and start_date.notna()")
    assert h003[["start_date", "start_date_first_day", "start_date_precision"]].values.tolist() == [
        ["2018-02", dt.date(2018, 2, 1), "month"]
    ]


def test_dates_first_day_columns_load_as_datetimes(output: Path) -> None:
    for name in ("projects", "project_index", "mentions"):
        table = pd.read_parquet(output / f"{name}.parquet")
        days = pd.to_datetime(table.filter(like="_first_day").stack().dropna())
        assert len(days) and days.dt.year.between(2000, 2030).all()
    with pytest.raises((ValueError, TypeError)):
        pd.to_datetime(pd.read_parquet(output / "projects.parquet")["start_date"].dropna())
