"""A list item that opens with a project's name makes its siblings' names projects."""

from __future__ import annotations

import pytest

from pipeline import extract_facts

SELECTED = """The programme selected three projects:

• LIFE OTTERS: Restoring river corridors (lead: Vodni zavod d.o.o.)
• NET for SOIL: Soil monitoring networks in the Baltics
• Green Alpine Roofs: Roof gardens for mountain towns
"""


def _projects(text: str, lang: str = "en") -> list[tuple[str, str]]:
    doc = extract_facts(text, language=lang)
    return [(m.text, m.rule) for m in doc.mentions if m.kind == "project"]


def test_lists_siblings_of_a_named_item_are_projects():
    assert _projects(SELECTED) == [
        ("LIFE OTTERS", "common.project.life_name"),
        ("NET for SOIL", "common.project.list_sibling"),
        ("Green Alpine Roofs", "common.project.list_sibling"),
    ]


def test_lists_a_sibling_name_is_no_tagged_organisation():
    doc = extract_facts(SELECTED, language="en")
    orgs = [m.text for m in doc.mentions if m.kind == "organization"]
    assert "Green Alpine Roofs" not in orgs and "NET" not in orgs


@pytest.mark.parametrize(
    "text",
    [
        # a field of a project card, not a sibling project
        "• LIFE OTTERS: Restoring river corridors\n• Partners: Vodni zavod, Soil Institute\n",
        # a figure after the colon makes the item a field
        "• LIFE OTTERS: Restoring river corridors\n• Eligible sum: 120 000 EUR\n",
        # a sentence, not a name
        "• LIFE OTTERS: Restoring river corridors\n• The kick-off was held in May. It went well: "
        "all came\n",
    ],
)
def test_lists_fields_and_sentences_are_not_siblings(text):
    assert [rule for _, rule in _projects(text)] == ["common.project.life_name"]


def test_lists_without_a_named_item_add_nothing():
    text = "The partners are:\n\n• Vodni zavod: water institute\n• Soil Institute: research\n"
    assert _projects(text) == []
