"""Layout: the sentence and paragraph spans the link stage reasons over."""

from __future__ import annotations

import pytest

from pipeline.link.layout import layout, strictly_inside


def _sentences(text: str) -> list[str]:
    return [text[a:b].strip() for a, b in layout(text, []).sentences]


def test_layout_sentence_goes_on_after_an_abbreviated_currency_before_a_lower_case_word():
    text = (
        "Общата стойност е 391 090,63 лв., от които 332 427,04 лв. европейско и 58 663,59 лв. "
        "национално съфинансиране. Проектът е с продължителност 24 месеца."
    )
    assert _sentences(text) == [
        "Общата стойност е 391 090,63 лв., от които 332 427,04 лв. европейско и 58 663,59 лв. "
        "национално съфинансиране.",
        "Проектът е с продължителност 24 месеца.",
    ]


def test_layout_sentences_end_at_a_full_stop_before_a_capital_and_at_line_ends():
    text = "The project starts. It lasts two years\nPartners: A, B"
    assert _sentences(text) == ["The project starts.", "It lasts two years", "Partners: A, B"]


def test_layout_paragraphs_split_at_blank_lines():
    text = "First paragraph.\n\nSecond paragraph."
    assert [text[a:b].strip() for a, b in layout(text, []).paragraphs] == [
        "First paragraph.",
        "Second paragraph.",
    ]


@pytest.mark.parametrize(
    "spans",
    [[], [(5, 9)], [(0, 3), (2, 12), (4, 6), (20, 21), (20, 30), (25, 26)], [(7, 7), (3, 8)]],
)
def test_layout_strictly_inside_agrees_with_trying_every_span(spans):
    inside = strictly_inside(spans)
    for pos in range(-1, 33):
        assert inside(pos) == any(s < pos < e for s, e in spans), pos
