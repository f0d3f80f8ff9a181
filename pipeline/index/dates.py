"""Typed columns beside the ISO date strings of the tables.

Dates are written as the text gives them (`2020-09-01`, `2020-09`, `2020`), which
`pd.to_datetime` rejects as a column. Beside each such column `<name>`, the tables carry
`<name>_first_day` (Arrow date32: the first day of the day, month or year) and
`<name>_precision` (`day`, `month` or `year`), so that dates sort, filter and plot at once
while the string keeps what the page said. `rate_date` is always a day: it gets the typed
column only.
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from pipeline.index.currency import parse_period

PRECISIONS = {10: "day", 7: "month", 4: "year"}
DAY_ONLY = ("rate_date",)


def typed_date(value: object) -> tuple[dt.date | None, str | None]:
    """(first day, precision) of an ISO date, month or year string; (None, None) otherwise."""
    if not isinstance(value, str):
        return None, None
    period = parse_period(value)
    if period is None:
        return None, None
    return period[0], PRECISIONS[len(value.strip())]


def date_fields(column: str) -> list[tuple[str, pa.DataType]]:
    """The schema fields written beside the ISO date column `column`."""
    fields = [(f"{column}_first_day", pa.date32())]
    if column not in DAY_ONLY:
        fields.append((f"{column}_precision", pa.string()))
    return fields


def date_values(column: str, value: object) -> dict[str, object]:
    """The typed values beside `column` for one row, keyed by their column names."""
    first, precision = typed_date(value)
    values: dict[str, object] = {f"{column}_first_day": first}
    if column not in DAY_ONLY:
        values[f"{column}_precision"] = precision
    return values
