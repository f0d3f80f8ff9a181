"""`newsfacts report OUTPUT_DIR`: one self-contained HTML page about a run's six tables.

Projects and partners are counted once each, from `project_index` and `partner_index` (a
project named on three pages is one project), and amounts are compared in EUR. Everything is
inline (CSS, plots as base64 PNG) so the page can be mailed or archived; the
same tables always give the same bytes.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from html import escape
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from pipeline.tables import OUTPUT_TABLES
from pipeline.tools import plots

REPORT_FILE = "report.html"
MAX_PROJECT_ROWS = 2000
EXAMPLES_PER_REASON = 3
MAX_REASONS = 50
STATUSES = ("ok", "empty", "error")
NUM = ' class="num"'

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
  margin: 0 auto; max-width: 1200px; padding: 1.5rem 2rem 4rem; color: #1d2733;
  line-height: 1.45; }
h1 { font-size: 1.7rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.3rem; margin-top: 2.2rem; border-bottom: 2px solid #e3e8ee;
  padding-bottom: 0.3rem; }
.lead { color: #52606d; margin-top: 0; }
.cards { display: flex; flex-wrap: wrap; gap: 0.8rem; margin: 1rem 0; }
.card { border: 1px solid #d9e0e7; border-radius: 6px; padding: 0.6rem 1rem; min-width: 7rem; }
.card b { display: block; font-size: 1.5rem; }
.card.ok b { color: #2e7d4a; } .card.empty b { color: #b7701a; } .card.error b { color: #b3362d; }
table { border-collapse: collapse; font-size: 0.88rem; margin: 0.6rem 0; }
th, td { border-bottom: 1px solid #e3e8ee; padding: 0.3rem 0.6rem; text-align: left;
  vertical-align: top; }
th { background: #f3f6f9; position: sticky; top: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.missing { color: #9aa5b1; }
figure { margin: 1.2rem 0 2rem; }
figure img { max-width: 100%; height: auto; border: 1px solid #eef1f4; }
figcaption { color: #52606d; font-size: 0.9rem; }
.note { background: #f7f9fb; border-left: 4px solid #9aa5b1; padding: 0.5rem 0.9rem; }
code { background: #f3f6f9; padding: 0 0.25rem; border-radius: 3px; }
ul.examples { margin: 0; padding-left: 1.1rem; }
.wide { overflow-x: auto; }
"""


class ReportError(Exception):
    """The report cannot be built (for example, a table is missing)."""


@dataclass(frozen=True)
class Problem:
    """Documents that are not `ok` for one reason, with a few example sources."""

    status: str
    reason: str
    count: int
    examples: tuple[str, ...]


def load_tables(output_dir: Path | str) -> dict[str, pd.DataFrame]:
    """The six tables of a run as DataFrames; a missing table raises ReportError."""
    output_dir = Path(output_dir)
    tables = {}
    for name in OUTPUT_TABLES:
        path = output_dir / f"{name}.parquet"
        if not path.is_file():
            raise ReportError(f"{path} not found: run `newsfacts run INPUT_DIR {output_dir}` first")
        tables[name] = pd.read_parquet(path)
    return tables


def status_by_language(documents: pd.DataFrame) -> pd.DataFrame:
    """Documents per language (rows) and status (columns), with totals; largest first."""
    table = pd.crosstab(documents["language"].fillna("und"), documents["status"])
    table = table.reindex(columns=list(STATUSES), fill_value=0)
    table["total"] = table.sum(axis=1)
    order = sorted(table.index, key=lambda lang: (-table.loc[lang, "total"], lang))
    table = table.loc[order]
    table.loc["all"] = table.sum()
    return table.astype(int)


def problems(documents: pd.DataFrame, examples: int = EXAMPLES_PER_REASON) -> list[Problem]:
    """Documents that are not ok, grouped by status and reason, most frequent first."""
    bad = documents[documents["status"] != "ok"]
    groups = []
    for (status, reason), group in bad.groupby(
        [bad["status"], bad["error"].fillna("(no reason given)")], sort=True
    ):
        sources = tuple(sorted(group["source"].astype(str))[:examples])
        groups.append(Problem(str(status), str(reason), len(group), sources))
    return sorted(groups, key=lambda p: (-p.count, p.status, p.reason))


def _cell(value: object, numeric: bool = False) -> str:
    css = NUM if numeric else ""
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return f'<td{css}><span class="missing">–</span></td>'
    if isinstance(value, float):
        text = f"{value:,.2f}".removesuffix(".00")
    elif isinstance(value, int):
        text = f"{value:,}"
    else:
        text = str(value)
    return f"<td{css}>{escape(text)}</td>"


def _table(frame: pd.DataFrame, numeric: set[str], index_label: str | None = None) -> str:
    head = "".join(
        f"<th{NUM if column in numeric else ''}>{escape(str(column))}</th>"
        for column in ([index_label] if index_label else []) + list(frame.columns)
    )
    body = []
    for index, row in frame.iterrows():
        cells = [f"<th>{escape(str(index))}</th>"] if index_label else []
        cells += [_cell(_python(row[column]), column in numeric) for column in frame.columns]
        body.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _python(value: object) -> object:
    """numpy scalars as plain Python values, so formatting is the same for every dtype."""
    return value.item() if hasattr(value, "item") and not isinstance(value, str) else value


def projects_view(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The project index as shown: one row per project across pages, in input order of the
    first page that names it, with the number of pages, partners and disagreements."""
    index, partners = tables["project_index"], tables["partner_index"]
    sources = tables["documents"].set_index("doc_id")["source"]
    counts = partners.dropna(subset=["project_key"]).groupby("project_key").size()
    first = index["doc_ids"].map(
        lambda ids: min((sources[d] for d in ids if d in sources), default=None)
    )
    view = pd.DataFrame(
        {
            "name": index["name"],
            "acronym": index["acronym"],
            "programme": index["programme"],
            "grant number": index["grant_number"],
            "start": index["start_date"],
            "end": index["end_date"],
            "months": index["duration_months"].astype("Int64"),
            "budget (EUR)": index["total_budget_eur"],
            "EU part (EUR)": index["eu_contribution_eur"],
            "stated in": index["currency"],
            "pages": index["n_documents"].astype(int),
            "partners": index["project_key"].map(counts).fillna(0).astype(int),
            "conflicts": index["conflicts"].map(len).astype(int),
            "first page": first,
        }
    )
    order = pd.DataFrame({"source": first.fillna(""), "key": index["project_key"]})
    view = view.loc[order.sort_values(["source", "key"], kind="stable").index]
    return view.reset_index(drop=True)


def outliers_view(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Projects whose amount in EUR is implausible (`plots.project_sizes`), largest first."""
    sizes = plots.project_sizes(tables["project_index"])
    rows = sizes[sizes["outlier"]]
    return pd.DataFrame(
        {
            "project": [plots.project_label(row) for _, row in rows.iterrows()],
            "programme": rows["programme"],
            "amount (EUR)": rows["size"],
            "pages": rows["n_documents"].astype(int),
        }
    ).reset_index(drop=True)


def _figure(title: str, caption: str, fig: Figure | None, empty: str) -> str:
    if fig is None:
        return f'<figure><p class="note">{escape(title)}: {escape(empty)}</p></figure>'
    data = base64.b64encode(plots.to_png(fig)).decode("ascii")
    return (
        f'<figure><img alt="{escape(title)}" src="data:image/png;base64,{data}">'
        f"<figcaption>{escape(caption)}</figcaption></figure>"
    )


def _summary(tables: dict[str, pd.DataFrame]) -> str:
    documents = tables["documents"]
    counts = documents["status"].value_counts()
    cards = [("documents", len(documents), "")]
    cards += [(status, int(counts.get(status, 0)), status) for status in STATUSES]
    cards += [
        ("mentions", len(tables["mentions"]), ""),
        ("project rows of pages", len(tables["projects"]), ""),
        ("projects", len(tables["project_index"]), ""),
        ("partners of projects", len(tables["partner_index"]), ""),
    ]
    html = ['<div class="cards">']
    html += [
        f'<div class="card {css}"><b>{value:,}</b>{escape(label)}</div>'
        for label, value, css in cards
    ]
    html.append("</div>")
    if documents.empty:
        html.append('<p class="note">This run has no documents.</p>')
        return "".join(html)
    html.append("<h3>Documents by language and status</h3>")
    html.append(_table(status_by_language(documents), set(STATUSES) | {"total"}, "language"))
    kinds = tables["mentions"]["kind"].value_counts().sort_index()
    if not kinds.empty:
        html.append("<h3>Mentions by kind</h3>")
        frame = pd.DataFrame({"mentions": kinds.astype(int)})
        html.append(_table(frame, {"mentions"}, "kind"))
    return "".join(html)


def problems_table(documents: pd.DataFrame, max_reasons: int = MAX_REASONS) -> str:
    """The HTML table of `problems`; reasons past `max_reasons` are summed up in one row."""
    found = problems(documents)
    if not found:
        return '<p class="note">Every document was processed without error.</p>'
    rows = []
    for problem in found[:max_reasons]:
        examples = "".join(f"<li><code>{escape(s)}</code></li>" for s in problem.examples)
        more = problem.count - len(problem.examples)
        if more:
            examples += f"<li>and {more:,} more</li>"
        rows.append(
            f"<tr><td>{escape(problem.status)}</td><td>{escape(problem.reason)}</td>"
            f'<td class="num">{problem.count:,}</td><td><ul class="examples">{examples}</ul></td>'
            "</tr>"
        )
    if len(found) > max_reasons:
        rest = found[max_reasons:]
        rows.append(
            f'<tr><td colspan="2">{len(rest):,} less frequent reasons</td>'
            f'<td class="num">{sum(p.count for p in rest):,}</td><td></td></tr>'
        )
    head = '<tr><th>status</th><th>reason</th><th class="num">documents</th><th>examples</th></tr>'
    return f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"


def _plots(tables: dict[str, pd.DataFrame]) -> str:
    documents, projects = tables["documents"], tables["project_index"]
    partners = tables["partner_index"]
    no_projects = "no projects in this run."
    factor = f"{plots.OUTLIER_FACTOR:,}"
    figures = [
        (
            "Documents by language and status",
            "Every input document, by detected language.",
            plots.documents_by_status(documents),
            "no documents in this run.",
        ),
        (
            "Projects per programme",
            "Projects (each counted once across pages) per canonical funding programme; "
            "grey: no page names a programme.",
            plots.projects_per_programme(projects),
            no_projects,
        ),
        (
            "Budgets and EU contributions",
            "Distribution of the amounts in EUR (ECB reference rates; log scale).",
            plots.budget_distribution(projects),
            "no project states a budget or an EU contribution.",
        ),
        (
            "Largest projects",
            "The ten largest projects by total budget in EUR, else EU contribution (orange: "
            f"EU contribution); amounts above {factor} times the median are left out (below).",
            plots.largest_projects(projects),
            "no project states a budget or an EU contribution.",
        ),
        (
            "Partners by country",
            "Partner organisations of projects per country (ISO 3166-1 alpha-2), each "
            "counted once per project; grey: no page ties a country to the partner.",
            plots.partners_by_country(partners),
            "no partners in this run.",
        ),
        (
            "Most frequent organisations",
            "Organisations named as partners of the most projects "
            "(spellings merged by the partner index, then ignoring case and spacing).",
            plots.top_organisations(partners),
            "no partners in this run.",
        ),
        (
            "Project starts",
            "How many projects start in each year (dates of any precision).",
            plots.project_starts(projects),
            "no project states a start date.",
        ),
    ]
    html = [_figure(*figure) for figure in figures]
    outliers = outliers_view(tables)
    if not outliers.empty:
        # Right below the "largest projects" plot, whose caption points here.
        html.insert(
            4,
            f'<h3>Amounts left out of "largest projects"</h3><p class="note">Above {factor} '
            "times the median project amount of the run: most likely a programme's or a "
            "fund's budget attached to a project. They stay in the tables.</p>"
            + _table(outliers, {"amount (EUR)", "pages"}).replace(
                "<table>", '<table id="outliers">', 1
            ),
        )
    return "".join(html)


def _projects(tables: dict[str, pd.DataFrame], max_rows: int) -> str:
    projects = tables["project_index"]
    if projects.empty:
        return '<p class="note">No projects in this run.</p>'
    view = projects_view(tables)
    note = ""
    if len(view) > max_rows:
        note = (
            f'<p class="note">The first {max_rows:,} of {len(view):,} projects; all of them '
            "are in <code>project_index.parquet</code>.</p>"
        )
        view = view.head(max_rows)
    numeric = {
        "pages", "months", "budget (EUR)", "EU part (EUR)", "partners", "conflicts",
    }  # fmt: skip
    table = _table(view, numeric).replace("<table>", '<table id="projects">', 1)
    return f'{note}<div class="wide">{table}</div>'



def build_report(
    tables: dict[str, pd.DataFrame], name: str = "output", max_rows: int = MAX_PROJECT_ROWS
) -> str:
    """The report page for the run's tables, as an HTML string."""
    title = f"newsfacts run report: {name}"
    sections = [
        ("summary", "Run summary", _summary(tables)),
        ("problems", "Documents that were not processed", problems_table(tables["documents"])),
        ("plots", "Plots", _plots(tables)),
        ("projects", "Projects across pages", _projects(tables, max_rows)),
    ]
    body = "".join(
        f'<section id="{sid}"><h2>{escape(head)}</h2>{html}</section>'
        for sid, head, html in sections
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head>\n"
        f"<body><h1>{escape(title)}</h1>"
        '<p class="lead">Built from the six tables of the run. A project is counted once '
        "however many pages name it (<code>project_index</code>, <code>partner_index</code>); "
        "amounts are given in the currency the pages state and in EUR at the ECB reference "
        "rate (<code>*_eur</code> columns), and plots compare them in EUR.</p>"
        f"{body}</body></html>\n"
    )


def write_report(output_dir: Path | str) -> Path:
    """Build the report of the run in `output_dir` and write it there (atomically)."""
    output_dir = Path(output_dir)
    html = build_report(load_tables(output_dir), name=output_dir.resolve().name)
    path = output_dir / REPORT_FILE
    tmp = path.with_name(f".{REPORT_FILE}.tmp")
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, path)
    return path
