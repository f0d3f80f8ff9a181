import csv
import datetime as dt
import io
import socket
import zipfile

import pytest
from currency_converter import CURRENCY_FILE

from pipeline.document import Document, Mention, Project
from pipeline.index import currency
from pipeline.index.currency import amount_eur, convert, parse_period
from pipeline.tables import document_rows


def ecb_file_rate(code: str, day: str) -> float | None:
    """The rate as printed in the ECB history file shipped with the package."""
    with zipfile.ZipFile(CURRENCY_FILE) as archive:
        text = archive.read(archive.namelist()[0]).decode("utf-8")
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader)]
    for line in reader:
        if line[0] == day:
            value = line[header.index(code)].strip()
            return float(value) if value not in ("", "N/A") else None
    return None


def test_currency_bgn_uses_the_fixed_rate_on_any_date():
    for day in ("2008-03-03", "2020-10-31", "2026-03-01", None):
        assert amount_eur(195583, "BGN", day) == (100000.0, None)


def test_currency_usd_uses_the_ecb_rate_of_the_date():
    rate = ecb_file_rate("USD", "2020-11-02")
    assert rate is not None and 0.8 < rate < 1.8
    assert amount_eur(1000, "USD", "2020-11-02") == (round(1000 / rate, 2), "2020-11-02")


@pytest.mark.parametrize(
    ("day", "business_day"),
    [
        ("2020-10-31", "2020-10-30"),  # Saturday
        ("2020-11-01", "2020-10-30"),  # Sunday
        ("2021-04-02", "2021-04-01"),  # Good Friday, no ECB fixing
        ("2021-04-05", "2021-04-01"),  # Easter Monday after the Good Friday
    ],
)
def test_currency_day_without_rate_falls_back_to_previous_business_day(day, business_day):
    assert ecb_file_rate("USD", day) is None
    rate = ecb_file_rate("USD", business_day)
    assert amount_eur(500, "USD", day) == (round(500 / rate, 2), business_day)


def test_currency_month_or_year_uses_first_rate_of_the_period():
    assert amount_eur(100, "USD", "2020-11")[1] == "2020-11-02"
    assert amount_eur(100, "USD", "2020")[1] == "2020-01-02"


def test_currency_no_date_uses_the_latest_rate_in_the_package():
    _, latest = amount_eur(100, "USD", None)
    assert latest is not None and latest >= "2025-01-01"
    assert amount_eur(100, "USD", "2099-01-01")[1] == latest
    assert amount_eur(100, "USD", "not a date")[1] == latest


def test_currency_amounts_that_cannot_be_converted_give_nulls():
    assert amount_eur(100, "RSD", "2020-01-01") == (None, None)  # no ECB reference rate
    assert amount_eur(100, "USD", "1998-06-01") == (None, None)  # before the euro
    assert amount_eur(None, "USD", "2020-01-01") == (None, None)
    assert amount_eur(100, None, "2020-01-01") == (None, None)


def test_currency_eur_and_former_currencies():
    assert amount_eur(1234.5, "eur", "2020-01-01") == (1234.5, None)
    assert amount_eur(753.45, "HRK", "2024-05-01") == (100.0, None)  # after the euro changeover
    euros, day = amount_eur(753.45, "HRK", "2020-05-04")
    assert day == "2020-05-04" and 95 < euros < 105


def test_currency_convert_goes_through_eur():
    assert convert(195583, "BGN", "EUR") == 100000.0
    usd = ecb_file_rate("USD", "2020-11-02")
    assert convert(195583, "BGN", "USD", "2020-11-02") == round(100000 * usd, 2)


def test_currency_parse_period_reads_reduced_precision():
    assert parse_period("2020-02") == (dt.date(2020, 2, 1), dt.date(2020, 2, 29))
    assert parse_period("2020-12") == (dt.date(2020, 12, 1), dt.date(2020, 12, 31))
    assert parse_period("2020-13") is None


def test_currency_works_offline(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network access in a test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    currency._converter.cache_clear()
    assert amount_eur(1000, "USD", "2020-11-02")[1] == "2020-11-02"


def test_currency_eur_columns_of_a_document_use_its_date():
    doc = Document.from_source("a.txt", published="2020-10-31")
    doc.mentions = [
        Mention("money", "1000 USD", 0, 8, "t", "1000 USD", amount=1000.0, currency="USD"),
        Mention("money", "195583 лв.", 9, 19, "t", "195583 BGN", amount=195583.0, currency="BGN"),
        Mention("date", "1 May 2020", 20, 30, "t", "2020-05-01"),
    ]
    rows = document_rows(doc)["mentions"]
    rate = ecb_file_rate("USD", "2020-10-30")
    assert [r["amount_eur"] for r in rows] == [round(1000 / rate, 2), 100000.0, None]
    assert [r["rate_date"] for r in rows] == ["2020-10-30", None, None]


def test_currency_project_amounts_use_the_start_date_when_the_page_has_none():
    doc = Document.from_source("b.txt")
    doc.projects = [Project("b-p1", start_date="2020-11", total_budget=1000.0, currency="USD")]
    row = document_rows(doc)["projects"][0]
    assert row["rate_date"] == "2020-11-02"
    assert row["total_budget_eur"] == round(1000 / ecb_file_rate("USD", "2020-11-02"), 2)
    assert row["eu_contribution_eur"] is None
