"""The HTML report: contents, escaping, self-containment, empty runs, and a real browser."""

import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from fixture_tables import (
    ERROR_SOURCES,
    EXTRACT_ERROR,
    READ_ERROR,
    en_document,
    fixture_documents,
)
from fixture_tables import write_fixture_tables as write_tables

from pipeline.cli import main
from pipeline.document import Document, Project
from pipeline.tools.report import (
    REPORT_FILE,
    ReportError,
    load_tables,
    problems,
    problems_table,
    status_by_language,
)

ARTIFACTS = Path(__file__).parents[1] / "artifacts"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="module")
def output(tmp_path_factory):
    """A run's output folder with its report written by the CLI."""
    folder = write_tables(tmp_path_factory.mktemp("output"))
    assert main(["report", str(folder)]) == 0
    return folder


@pytest.fixture(scope="module")
def html(output):
    return (output / REPORT_FILE).read_text(encoding="utf-8")


def test_report_status_by_language_counts_every_document(output):
    table = status_by_language(load_tables(output)["documents"])
    assert table.loc["en"].to_dict() == {"ok": 3, "empty": 0, "error": 0, "total": 3}
    assert table.loc["bg"].to_dict() == {"ok": 1, "empty": 0, "error": 0, "total": 1}
    assert table.loc["und"].to_dict() == {"ok": 0, "empty": 1, "error": 5, "total": 6}
    assert table.loc["all", "total"] == 10
    assert list(table.index) == ["und", "en", "bg", "all"]


def test_report_problems_grouped_by_reason_with_three_examples(output):
    found = problems(load_tables(output)["documents"])
    assert [(p.status, p.reason, p.count) for p in found] == [
        ("error", READ_ERROR, 4),
        ("empty", "no main text after boilerplate removal", 1),
        ("error", EXTRACT_ERROR, 1),
    ]
    assert found[0].examples == tuple(sorted(ERROR_SOURCES)[:3])


def test_report_problems_table_sums_up_rare_reasons():
    documents = pd.DataFrame({
        "source": [f"page-{n}.html" for n in range(6)],
        "status": ["error"] * 6,
        "error": ["read: a", "read: a", "read: a", "clean: b", "clean: <c>", "link: d"],
    })
    html = problems_table(documents, max_reasons=2)
    assert html.count("<tr>") == 1 + 2 + 1
    assert '<td colspan="2">2 less frequent reasons</td><td class="num">2</td>' in html
    assert "clean: &lt;c&gt;" in html and "clean: b" not in html and "link: d" not in html


def test_report_shows_summary_problems_plots_and_projects(html):
    assert "<title>newsfacts run report: output" in html
    assert READ_ERROR in html and "and 1 more" in html
    for source in sorted(ERROR_SOURCES)[:3]:
        assert f"<code>{source}</code>" in html
    assert len(re.findall(r'<img alt="[^"]+" src="data:image/png;base64,', html)) == 7
    rows = re.search(r'<table id="projects">.*?</table>', html, re.S).group(0)
    assert rows.count("<tr>") == 1 + 5
    assert "Smart Skills for Smarter Cities" in rows and "Зелени градове" in rows
    assert "<td>2020-1-BG01-KA202-079071</td>" in rows
    assert '<td class="num">4,800,000</td>' in rows


def _cards(html: str) -> dict[str, str]:
    return {label: value for value, label in re.findall(r"<b>([\d,]+)</b>([^<]+)</div>", html)}


def test_report_counts_a_project_once_however_many_pages_name_it(tmp_path):
    copy = en_document("en/skills4cities-reprint.html")
    output = write_tables(tmp_path / "output", [*fixture_documents(), copy])
    assert main(["report", str(output)]) == 0
    html = (output / REPORT_FILE).read_text(encoding="utf-8")
    cards = _cards(html)
    assert (cards["project rows of pages"], cards["projects"]) == ("6", "5")
    assert cards["partners of projects"] == "10"  # the reprint's three partners merge
    rows = re.search(r'<table id="projects">.*?</table>', html, re.S).group(0).split("<tr>")[2:]
    assert len(rows) == 5
    skills = next(row for row in rows if "Skills4Cities" in row)
    assert skills.endswith("<td>en/skills4cities-reprint.html</td></tr>")
    assert (
        '<td class="num">189,982</td><td class="num">151,986</td><td>EUR</td>'
        '<td class="num">2</td><td class="num">3</td><td class="num">0</td>'
    ) in skills
    assert "stated in" in html and "Amounts left out" not in html


def test_report_leaves_an_implausible_amount_out_of_largest_and_lists_it(tmp_path):
    fund = Document.from_source("en/fund.txt", language="en", text="The FUND programme.")
    fund.projects = [
        Project(project_id=f"{fund.doc_id}-p1", acronym="FUND", programme="Interreg",
                total_budget=3.2e10, currency="EUR")
    ]
    output = write_tables(tmp_path / "output", [*fixture_documents(), fund])
    assert main(["report", str(output)]) == 0
    html = (output / REPORT_FILE).read_text(encoding="utf-8")
    outliers = re.search(r'<table id="outliers">.*?</table>', html, re.S).group(0)
    assert outliers.count("<tr>") == 1 + 1
    assert "<td>FUND</td><td>Interreg</td><td class=\"num\">32,000,000,000</td>" in outliers
    assert "FUND" in re.search(r'<table id="projects">.*?</table>', html, re.S).group(0)
    largest = html.index('<img alt="Largest projects"')
    assert largest < html.index('<table id="outliers">') < html.index('<img alt="Partners by')


def test_report_escapes_text_from_pages(html):
    assert "&lt;Untitled&gt;" in html
    assert "<Untitled>" not in html


def test_report_is_self_contained(html):
    assert "http://" not in html and "https://" not in html
    assert "<script" not in html and "<link" not in html
    sources = re.findall(r'src="([^"]*)"', html)
    assert sources and all(src.startswith("data:image/png;base64,") for src in sources)


def test_report_same_tables_give_same_bytes(output, tmp_path):
    again = write_tables(tmp_path / output.name)
    assert main(["report", str(again)]) == 0
    assert (again / REPORT_FILE).read_bytes() == (output / REPORT_FILE).read_bytes()


def test_report_run_without_projects_says_so(tmp_path):
    failed = [doc for doc in fixture_documents() if doc.status != "ok"]
    output = write_tables(tmp_path / "output", failed)
    assert main(["report", str(output)]) == 0
    html = (output / REPORT_FILE).read_text(encoding="utf-8")
    assert "No projects in this run." in html
    assert "Projects per programme: no projects in this run." in html
    assert "Partners by country: no partners in this run." in html
    assert html.count("data:image/png") == 1  # documents by status, still plotted


def test_report_run_without_documents_says_so(tmp_path):
    output = write_tables(tmp_path / "output", [])
    assert main(["report", str(output)]) == 0
    assert "This run has no documents." in (output / REPORT_FILE).read_text(encoding="utf-8")


def test_report_missing_table_is_a_clear_error(tmp_path, capsys):
    output = write_tables(tmp_path / "output")
    (output / "partners.parquet").unlink()
    with pytest.raises(ReportError, match="partners.parquet not found"):
        load_tables(output)
    assert main(["report", str(output)]) == 2
    assert "partners.parquet not found" in capsys.readouterr().err
    assert not (output / REPORT_FILE).exists()


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    pytest.fail("chromium is not installed: run `.ci/install-chromium` (Debian package chromium)")


def test_report_renders_in_chromium(output, tmp_path):
    browser = _chromium()
    page = (output / REPORT_FILE).resolve().as_uri()
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / "report.png"
    screenshot.unlink(missing_ok=True)
    common = [browser, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
    subprocess.run(
        [*common, f"--screenshot={screenshot}", "--window-size=1280,2000", page],
        check=True, capture_output=True, timeout=120,
    )
    dom = subprocess.run(
        [*common, "--dump-dom", page], check=True, capture_output=True, text=True, timeout=120,
    ).stdout
    print(f"report screenshot: {screenshot}")
    assert screenshot.read_bytes().startswith(b"\x89PNG")
    assert screenshot.stat().st_size > 50_000
    table = re.search(r'<table id="projects">.*?</table>', dom, re.S).group(0)
    assert table.count("<tr>") == 1 + len(pd.read_parquet(output / "project_index.parquet"))
    assert "GREENPORT" in table
