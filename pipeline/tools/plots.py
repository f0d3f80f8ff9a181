"""Plots of a run's tables, shared by the HTML report and the notebook (matplotlib, Agg).

Each plot function takes pandas DataFrames shaped like the Parquet tables and returns a
matplotlib Figure, or None when the tables hold nothing to plot. The project plots read
`project_index` (one row per project across pages; `projects` works too) and compare amounts
in EUR; the partner plots read `partner_index` (or `partners`). `to_png` renders a figure
to PNG bytes that depend only on the data: fixed style, fixed size, no date or software tag.
"""

from __future__ import annotations

import io
import math

import matplotlib
import pandas as pd
from matplotlib import ticker
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

# One style for every figure, independent of the user's matplotlibrc.
STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.8,
    "svg.hashsalt": "newsfacts",
    "path.simplify": True,
}
WIDTH, HEIGHT, DPI = 8.0, 4.2, 100
BAR = "#2f6db5"
BAR_SECOND = "#f0a030"
MUTED = "#9aa5b1"
STATUS_COLOURS = {"ok": "#3a9d5d", "empty": "#f0a030", "error": "#c8453c"}
NOT_STATED = "(not stated)"
LABEL_CHARS = 48


def _figure(height: float = HEIGHT) -> tuple[Figure, Axes]:
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(WIDTH, height), dpi=DPI, layout="constrained")
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
    return fig, ax


def _short(label: object, limit: int = LABEL_CHARS) -> str:
    text = " ".join(str(label).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plural(count: int, noun: str) -> str:
    """`1 project`, `2 projects`."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _bar_height(bars: int) -> float:
    """A figure height that leaves room for `bars` horizontal bars."""
    return max(2.4, min(9.0, 1.1 + 0.32 * bars))


def to_png(fig: Figure) -> bytes:
    """The figure as PNG bytes; the same figure always gives the same bytes."""
    buffer = io.BytesIO()
    with matplotlib.rc_context(STYLE):
        fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _counts(values: pd.Series) -> pd.Series:
    """Value counts ordered by count (descending), then by label, for a stable order."""
    counts = values.value_counts()
    frame = counts.rename_axis("label").reset_index(name="n")
    frame = frame.sort_values(["n", "label"], ascending=[False, True], kind="stable")
    return pd.Series(frame["n"].to_numpy(), index=frame["label"].astype(str).to_numpy())


def _hbars(counts: pd.Series, title: str, xlabel: str, muted: set[str] = frozenset()) -> Figure:
    """Horizontal bars, largest on top; the muted bars (such as "not stated") last."""
    order = [label for label in counts.index if label not in muted]
    counts = counts[order + [label for label in counts.index if label in muted]]
    fig, ax = _figure(_bar_height(len(counts)))
    labels = [_short(label) for label in counts.index]
    colours = [MUTED if label in muted else BAR for label in counts.index]
    positions = range(len(counts))
    ax.barh(positions, counts.to_numpy(), color=colours)
    ax.set_yticks(positions, labels)
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    ax.xaxis.get_major_locator().set_params(integer=True)
    for position, value in zip(positions, counts.to_numpy(), strict=True):
        ax.annotate(
            f"{value:,}",
            (value, position),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
        )
    ax.set_title(title, loc="left")
    ax.set_xlabel(xlabel)
    return fig


def documents_by_status(documents: pd.DataFrame) -> Figure | None:
    """Documents per language, stacked by status (ok, empty, error)."""
    if documents.empty:
        return None
    table = pd.crosstab(documents["language"].fillna("und"), documents["status"])
    table = table.reindex(columns=[s for s in STATUS_COLOURS if s in table.columns])
    table = table.loc[sorted(table.index, key=lambda lang: (-table.loc[lang].sum(), lang))]
    fig, ax = _figure(_bar_height(len(table)))
    left = pd.Series(0, index=table.index)
    positions = range(len(table))
    for status in table.columns:
        ax.barh(
            positions,
            table[status].to_numpy(),
            left=left.to_numpy(),
            color=STATUS_COLOURS[status],
            label=status,
        )
        left = left + table[status]
    ax.set_yticks(positions, list(table.index))
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="lower right", frameon=False)
    ax.set_title("Documents by language and status", loc="left")
    ax.set_xlabel("documents")
    return fig


def projects_per_programme(projects: pd.DataFrame) -> Figure | None:
    """Number of projects per funding programme; projects with no programme get their own bar."""
    if projects.empty:
        return None
    counts = _counts(projects["programme"].fillna(NOT_STATED))
    return _hbars(counts, "Projects per programme", "projects", muted={NOT_STATED})


# The amounts of a project in EUR (`*_eur` columns of projects and project_index).
EUR_AMOUNTS = {"total budget": "total_budget_eur", "EU contribution": "eu_contribution_eur"}
# A project amount above this many times the run's median is left out of "largest projects":
# such sums are a programme's or a fund's budget attached to a project, not the project's.
OUTLIER_FACTOR = 1000


def _log_axis(ax: Axes) -> None:
    ax.set_xscale("log")
    ax.set_xlabel("amount (EUR, log scale)")


def budget_distribution(projects: pd.DataFrame) -> Figure | None:
    """Histogram of total budgets and EU contributions in EUR (log bins)."""
    series = {label: projects[column].dropna() for label, column in EUR_AMOUNTS.items()}
    values = pd.concat(list(series.values()))
    values = values[values > 0]
    if values.empty:
        return None
    low, high = math.floor(math.log10(values.min())), math.ceil(math.log10(values.max()))
    high = max(high, low + 1)
    bins = [10 ** (low + step / 4) for step in range(4 * (high - low) + 1)]
    fig, ax = _figure()
    for (label, data), colour in zip(series.items(), (BAR, BAR_SECOND), strict=True):
        data = data[data > 0]
        ax.hist(
            data.to_numpy(), bins=bins, color=colour, alpha=0.75, label=f"{label} ({len(data)})"
        )
    _log_axis(ax)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_ylabel("projects")
    ax.legend(frameon=False)
    stated = projects[["total_budget", "eu_contribution"]].notna().any(axis=1)
    converted = projects[list(EUR_AMOUNTS.values())].notna().any(axis=1)
    others = int((stated & ~converted).sum())
    note = f"; {plural(others, 'project')} without an ECB rate not shown" if others else ""
    ax.set_title(f"Budgets and EU contributions (EUR{note})", loc="left")
    return fig


def project_label(row: pd.Series) -> str:
    """A short name for a project: acronym, else name, else its key or id."""
    for column in ("acronym", "name", "project_key", "project_id"):
        value = row.get(column)
        if isinstance(value, str) and value.strip():
            return _short(value, 40)
    return "?"


def project_sizes(projects: pd.DataFrame) -> pd.DataFrame:
    """Projects with an amount in EUR, largest first: `size` is the total budget in EUR, else
    the EU contribution; `outlier` marks a size above OUTLIER_FACTOR times the median size."""
    rows = projects.assign(
        size=projects["total_budget_eur"].fillna(projects["eu_contribution_eur"])
    ).dropna(subset=["size"])
    ids = [column for column in ("project_key", "doc_id", "project_id") if column in rows]
    rows = rows.sort_values(
        ["size", *ids], ascending=[False] + [True] * len(ids), kind="stable"
    ).reset_index(drop=True)
    median = rows["size"].median() if not rows.empty else 0.0
    return rows.assign(outlier=rows["size"] > OUTLIER_FACTOR * median)


def largest_projects(projects: pd.DataFrame, top: int = 10) -> Figure | None:
    """The projects with the largest amounts in EUR, outliers left out (`project_sizes`)."""
    sizes = project_sizes(projects)
    if sizes.empty:
        return None
    rows = sizes[~sizes["outlier"]].head(top)
    fig, ax = _figure(_bar_height(len(rows)))
    positions = range(len(rows))
    ax.barh(
        positions, rows["total_budget_eur"].fillna(0).to_numpy(), color=BAR, label="total budget"
    )
    ax.barh(
        positions,
        rows["eu_contribution_eur"].fillna(0).to_numpy(),
        color=BAR_SECOND,
        height=0.45,
        label="EU contribution",
    )
    ax.set_yticks(positions, [project_label(row) for _, row in rows.iterrows()])
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    ax.xaxis.set_major_formatter(ticker.FuncFormatter(_compact_amount))
    ax.set_xlabel("amount (EUR)")
    ax.legend(loc="lower right", frameon=False)
    left_out = int(sizes["outlier"].sum())
    note = f"; {plural(left_out, 'implausible amount')} left out" if left_out else ""
    ax.set_title(f"Largest projects by budget (EUR{note})", loc="left")
    return fig


def _compact_amount(value: float, _position: object = None) -> str:
    for divisor, suffix in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= divisor:
            return f"{value / divisor:g}{suffix}"
    return f"{value:g}"


def partners_by_country(partners: pd.DataFrame, top: int = 25) -> Figure | None:
    """Partner organisations per country (ISO alpha-2); partners with no country are counted."""
    if partners.empty:
        return None
    known = partners["country"].dropna()
    unknown = len(partners) - len(known)
    if known.empty:
        counts = pd.Series([unknown], index=[NOT_STATED])
    else:
        counts = _counts(known).head(top)
        if unknown:
            counts = pd.concat([counts, pd.Series([unknown], index=[NOT_STATED])])
    return _hbars(counts, "Partners by country", "partners", muted={NOT_STATED})


def organisation_key(name: str) -> str:
    """How organisation names are grouped: case and spacing ignored."""
    return " ".join(name.split()).casefold()


def preferred_spelling(names: pd.Series) -> str:
    """The most frequent spelling; ties go to the most capitals, then to the first by sort."""
    counts = names.map(lambda name: " ".join(name.split())).value_counts()
    return min(counts.index, key=lambda name: (-counts[name], -sum(map(str.isupper, name)), name))


def top_organisations(partners: pd.DataFrame, top: int = 15) -> Figure | None:
    """Organisations named as partners of the most projects (grouped ignoring case/spacing)."""
    names = partners["organization"].dropna()
    if names.empty:
        return None
    frame = pd.DataFrame({"name": names.to_numpy(), "key": names.map(organisation_key).to_numpy()})
    spelling = frame.groupby("key")["name"].agg(preferred_spelling)
    counts = _counts(frame["key"]).head(top)
    counts.index = [spelling[key] for key in counts.index]
    return _hbars(counts, "Most frequent partner organisations", "projects")


def start_years(projects: pd.DataFrame) -> pd.Series:
    """Projects per start year (every year between the first and the last, zeros included)."""
    years = projects["start_date"].dropna().str.extract(r"^(\d{4})")[0].dropna().astype(int)
    if years.empty:
        return pd.Series(dtype="int64")
    counts = years.value_counts()
    span = range(int(years.min()), int(years.max()) + 1)
    return pd.Series([int(counts.get(year, 0)) for year in span], index=list(span))


def project_starts(projects: pd.DataFrame) -> Figure | None:
    """Timeline: how many projects start in each year."""
    counts = start_years(projects)
    if counts.empty:
        return None
    fig, ax = _figure()
    ax.bar(counts.index, counts.to_numpy(), color=BAR, width=0.8)
    ax.set_xticks(
        list(counts.index),
        [str(year) for year in counts.index],
        rotation=45 if len(counts) > 12 else 0,
    )
    ax.grid(axis="x", visible=False)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_ylabel("projects")
    undated = int(projects["start_date"].isna().sum())
    note = f" ({plural(undated, 'project')} with no start date)" if undated else ""
    ax.set_title(f"Project starts per year{note}", loc="left")
    return fig
