"""Amounts in EUR with the European Central Bank reference rates, offline.

The rates come from the ECB history file shipped inside the pinned `currencyconverter`
package (nothing is downloaded). The rate of a date is the ECB rate published on that
date, or on the last business day before it (weekends, TARGET holidays). A month or a year
("2020-09", "2020") uses the first rate published in that period. No date uses the latest
rate in the package. BGN is always converted at its fixed rate 1.95583; the currencies of
countries that joined the euro use their irrevocable rate after their last ECB rate.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

# Always converted at this rate, whatever the date (the ECB's own BGN series is rounded).
FIXED_RATES = {"BGN": 1.95583}
# Irrevocable euro conversion rates, used after the currency's last ECB reference rate.
EURO_ENTRY_RATES = {
    "CYP": 0.585274,
    "EEK": 15.6466,
    "HRK": 7.53450,
    "LTL": 3.45280,
    "LVL": 0.702804,
    "MTL": 0.429300,
    "SIT": 239.640,
    "SKK": 30.1260,
}
MAX_GAP_DAYS = 10  # longest run of days without a rate (Easter, year end) we walk over


@cache
def _converter():
    from currency_converter import CurrencyConverter

    return CurrencyConverter()


def parse_period(value: str | dt.date | None) -> tuple[dt.date, dt.date] | None:
    """First and last day of an ISO date, month or year; None when it is not one."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value, value
    text = value.strip()
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            return day, day
        if len(text) == 7:
            first = dt.date(int(text[:4]), int(text[5:7]), 1)
            following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return first, following - dt.timedelta(days=1)
        if len(text) == 4 and text.isdigit():
            return dt.date(int(text), 1, 1), dt.date(int(text), 12, 31)
    except ValueError:
        return None
    return None


def _rate_on(currency: str, day: dt.date) -> float | None:
    """The ECB rate (units of `currency` per EUR) published on `day`, or None."""
    converter = _converter()
    try:
        return float(converter.convert(1, "EUR", currency, date=day))
    except Exception:  # the package raises RateNotFoundError for days without a rate
        return None


def _after_last_rate(currency: str, on_date: str | dt.date | None) -> bool:
    """True when the date is missing or after the currency's last ECB rate."""
    converter = _converter()
    if currency not in converter.currencies:
        return True
    period = parse_period(on_date)
    return period is None or period[0] > converter.bounds[currency].last_date


def ecb_rate(currency: str, on_date: str | dt.date | None = None) -> tuple[float, str] | None:
    """(units of `currency` per EUR, ISO date of that ECB rate), or None when there is none."""
    converter = _converter()
    if currency not in converter.currencies or currency == "EUR":
        return None
    first, last = converter.bounds[currency]
    start, end = parse_period(on_date) or (last, last)
    if start > last:
        return _rate_on(currency, last), last.isoformat()
    if end < first:
        return None
    day = max(start, first)
    if start != end:  # a month or a year: the first rate published in the period
        while day <= min(end, last):
            rate = _rate_on(currency, day)
            if rate is not None:
                return rate, day.isoformat()
            day += dt.timedelta(days=1)
        day = min(end, last)
    for back in range(MAX_GAP_DAYS + 1):  # a day: that day's rate, else the business day before
        probe = day - dt.timedelta(days=back)
        if probe < first:
            break
        rate = _rate_on(currency, probe)
        if rate is not None:
            return rate, probe.isoformat()
    return None


def units_per_eur(
    currency: str, on_date: str | dt.date | None = None
) -> tuple[float, str | None] | None:
    """(units of `currency` per EUR, ISO date of the ECB rate or None for fixed rates)."""
    code = currency.strip().upper()
    if code == "EUR":
        return 1.0, None
    if code in FIXED_RATES:
        return FIXED_RATES[code], None
    if code in EURO_ENTRY_RATES and _after_last_rate(code, on_date):
        return EURO_ENTRY_RATES[code], None
    return ecb_rate(code, on_date)


def amount_eur(
    amount: float | None, currency: str | None, on_date: str | dt.date | None = None
) -> tuple[float | None, str | None]:
    """(amount in EUR rounded to cents, ISO date of the ECB rate used or None).

    EUR and fixed-rate currencies use no dated rate, so their rate date is None. An amount
    that cannot be converted (unknown currency, date before the rates) gives (None, None).
    """
    if amount is None or not currency:
        return None, None
    found = units_per_eur(currency, on_date)
    if found is None:
        return None, None
    rate, rate_date = found
    return round(float(amount) / rate, 2), rate_date


def convert(
    amount: float, currency: str, target: str, on_date: str | dt.date | None = None
) -> float | None:
    """`amount` of `currency` in `target`, through EUR at the rates of `on_date`."""
    source, goal = units_per_eur(currency, on_date), units_per_eur(target, on_date)
    if source is None or goal is None:
        return None
    return round(float(amount) / source[0] * goal[0], 2)


def eur_columns(
    total_budget: float | None,
    eu_contribution: float | None,
    currency: str | None,
    on_date: str | dt.date | None,
) -> dict[str, float | str | None]:
    """A project's `total_budget_eur`, `eu_contribution_eur` and the `rate_date` used."""
    total, total_date = amount_eur(total_budget, currency, on_date)
    eu, eu_date = amount_eur(eu_contribution, currency, on_date)
    return {
        "total_budget_eur": total,
        "eu_contribution_eur": eu,
        "rate_date": total_date or eu_date,
    }
