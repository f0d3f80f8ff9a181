"""Layout: the sentence and paragraph spans the link stage reasons over."""

from __future__ import annotations

from pipeline.layout import layout


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
