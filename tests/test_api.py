"""The Python API: `pipeline.extract_facts` on real pages, `pipeline.run`, a cheap import."""

from __future__ import annotations

import doctest
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
from corpus_sets import CORPUS

import pipeline
from pipeline import api

HTML_PAGE = Path(__file__).parent / "data" / "clean" / "html" / "project_news.html"


def test_api_examples_in_the_module_docstring_hold():
    failed, tried = doctest.testmod(api, optionflags=doctest.ELLIPSIS)
    assert tried >= 5 and failed == 0


def test_api_extract_facts_reads_html_bytes_as_a_run_would():
    doc = pipeline.extract_facts(HTML_PAGE.read_bytes(), url="https://example.org/news/1")
    assert (doc.status, doc.format, doc.encoding, doc.language) == ("ok", "html", "utf-8", "en")
    assert doc.url == "https://example.org/news/1"
    assert doc.title == "Partners of the GreenBridge project meet in Sofia"
    assert "Share on" not in doc.text and "GreenBridge" in doc.text
    assert [(p.acronym, p.programme) for p in doc.projects] == [
        ("GreenBridge", "Danube Transnational Programme")
    ]
    assert all(doc.text[m.start : m.end] == m.text for m in doc.mentions)


def test_api_extract_facts_on_a_scrape_matches_the_run_of_the_same_file(tmp_path):
    page = CORPUS / "seeds" / "000_406c4b2facab01f7.txt"
    doc = pipeline.extract_facts(page.read_text(encoding="utf-8"))
    pipeline.run(page.parent, tmp_path, workers=1)
    documents = pq.read_table(tmp_path / "documents.parquet").to_pylist()
    row = next(d for d in documents if d["source"] == page.name)
    mentions = pq.read_table(tmp_path / "mentions.parquet").to_pylist()
    ran = [(m["kind"], m["start"], m["end"]) for m in mentions if m["doc_id"] == row["doc_id"]]
    assert (doc.text, doc.title, doc.language) == (row["text"], row["title"], row["language"])
    assert [(m.kind, m.start, m.end) for m in doc.mentions] == ran


def test_api_extract_facts_takes_the_language_it_is_given():
    text = "The project GreenBridge is funded by Interreg with 1,245,000 EUR."
    assert pipeline.extract_facts(text).language == "en"
    assert pipeline.extract_facts(text, language="de").language == "de"


def test_api_a_page_that_fails_is_an_error_document_not_an_exception():
    doc = pipeline.extract_facts(b"\x00\x01\x02PK\x03\x04" + bytes(range(256)) * 4)
    assert doc.status == "error" and doc.error


def test_api_run_raises_run_error_for_a_missing_input(tmp_path):
    try:
        pipeline.run(tmp_path / "nowhere", tmp_path / "out")
    except pipeline.RunError as exc:
        assert "input folder not found" in str(exc)
    else:
        raise AssertionError("no RunError")


def test_api_import_is_cheap_and_leaves_the_environment_alone():
    code = (
        "import os, sys; before = dict(os.environ); import pipeline; "
        "heavy = [m for m in ('pyarrow', 'spacy', 'regex', 'pipeline.api') if m in sys.modules]; "
        "print(heavy, dict(os.environ) == before)"
    )
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["[]", "True"]
