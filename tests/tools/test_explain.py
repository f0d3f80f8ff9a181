"""Explain: mentions marked inline, nesting, crossing spans, colour, sentences, records."""

import re

import pytest
from fixture_tables import EN_TEXT, fixture_documents

from pipeline.document import Mention
from pipeline.tools.explain import RESET, explain_document, label, render_mentions, sentence_at

TEXT = "Erasmus+ funds Smart Skills for Smarter Cities with 189.982 EUR."
INNERMOST = re.compile(r"\[\[([^\[\]]*)\|[^|\[\]]*\|[^|\[\]]*\]\]")
ANSI_LABEL = re.compile(r"\x1b\[2m\[[^\]]*\]\x1b\[0m|\x1b\[[0-9;]*m")


def _mention(text, surface, kind, rule="test.rule", **fields):
    start = text.index(surface)
    return Mention(kind, surface, start, start + len(surface), rule, **fields)


def _unmark(rendered: str) -> str:
    while True:
        stripped = INNERMOST.sub(r"\1", rendered)
        if stripped == rendered:
            return rendered
        rendered = stripped


def test_explain_marks_each_mention_with_kind_value_and_rule():
    mentions = [
        _mention(TEXT, "189.982 EUR", "money", "en.money.amount_then_code",
                 value="189982 EUR", amount=189982.0, currency="EUR"),
        _mention(TEXT, "Erasmus+", "programme", "en.programme.erasmus", value="Erasmus+"),
    ]
    assert render_mentions(TEXT, mentions) == (
        "[[Erasmus+|programme=Erasmus+|en.programme.erasmus]] funds Smart Skills for Smarter "
        "Cities with [[189.982 EUR|money=189982 EUR|en.money.amount_then_code]]."
    )


def test_explain_mention_without_value_shows_amount_or_kind():
    money = _mention(TEXT, "189.982 EUR", "money", amount=189982.0, currency="EUR")
    person = _mention(TEXT, "Smart Skills", "person")
    assert label(money) == "money=189982 EUR|test.rule"
    assert label(person) == "person|test.rule"


def test_explain_nests_a_mention_inside_another():
    outer = _mention(TEXT, "Smart Skills for Smarter Cities", "project", value="S4C")
    inner = _mention(TEXT, "Smarter Cities", "organization")
    rendered = render_mentions(TEXT, [inner, outer])
    assert "[[Smart Skills for [[Smarter Cities|organization|test.rule]]|project=S4C|" in rendered
    assert _unmark(rendered) == TEXT


def test_explain_lists_crossing_and_misplaced_mentions_after_the_text():
    first = _mention(TEXT, "Smart Skills for", "project")
    crossing = _mention(TEXT, "for Smarter", "organization")
    misplaced = Mention("country", "Spain", 0, 5, "test.rule", value="ES")
    rendered = render_mentions(TEXT, [first, crossing, misplaced])
    body, _, notes = rendered.partition("\n\n")
    assert _unmark(body) == TEXT
    assert "'for Smarter' organization|test.rule" in notes
    assert "0-5 'Spain' country=ES|test.rule (the text there is 'Erasm')" in notes


@pytest.mark.parametrize("doc", fixture_documents()[:4], ids=lambda doc: doc.source)
def test_explain_plain_markers_leave_the_text_intact(doc):
    rendered = render_mentions(doc.text, doc.mentions)
    assert rendered.count("[[") == len(doc.mentions)
    assert _unmark(rendered) == doc.text


def test_explain_colour_marks_by_kind_and_restores_outer_colour():
    outer = _mention(TEXT, "Smart Skills for Smarter Cities", "project", value="S4C")
    inner = _mention(TEXT, "Smarter Cities", "organization")
    rendered = render_mentions(TEXT, [outer, inner], colour=True)
    assert "[[" not in rendered
    assert "\x1b[1;35mSmart Skills for \x1b[1;36mSmarter Cities" + RESET in rendered
    assert f"[organization|test.rule]{RESET}\x1b[1;35m" + RESET in rendered
    assert ANSI_LABEL.sub("", rendered) == TEXT


def test_explain_sentence_at_finds_the_sentence_of_a_span():
    start = EN_TEXT.index("151.986 EUR")
    assert sentence_at(EN_TEXT, start, start + 11) == (
        "The project has a total budget of 189.982 EUR, of which the EU contributes 151.986 EUR."
    )
    start = EN_TEXT.index("Skills4Cities")
    assert sentence_at(EN_TEXT, start, start + 13) == (
        "Cluster Sofia Knowledge City launches Skills4Cities"
    )
    start = EN_TEXT.index("Vienna")
    assert sentence_at(EN_TEXT, start, start + 6, ("«", "»")) == (
        "Project manager Maria Ivanova said the consortium will meet in «Vienna» in March."
    )
    start = EN_TEXT.index("Partners are")
    assert sentence_at(EN_TEXT, start, start + 8, ("<", ">")).startswith("<Partners> are Fund")


def test_explain_document_shows_header_text_projects_and_partners():
    doc = fixture_documents()[0]
    output = explain_document(doc)
    assert output.startswith(f"== en/skills4cities.html  (doc_id {doc.doc_id})\n")
    assert "url: https://example.org/news/skills4cities" in output
    assert "[[Erasmus+|programme=Erasmus+|en.programme.erasmus]]" in output
    assert "projects: 1\n  - project_id=" in output
    assert "acronym='Skills4Cities'" in output and "duration_months=24" in output
    assert "partners: 3\n" in output
    assert "organization='Die Berater'" in output and "role='partner'" in output


def test_explain_document_failed_page_shows_reason():
    failed = fixture_documents()[-1]
    output = explain_document(failed)
    assert "status: error" in output
    assert "error: extract: ValueError: unbalanced quote" in output
    assert "(no text)" in output and "projects: 0" in output
