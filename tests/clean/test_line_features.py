"""What the line model sees: features of real lines, function-word lists from spaCy's data."""

from __future__ import annotations

import numpy as np

from pipeline.clean.line_features import FEATURES, PageLines, line_features
from pipeline.clean.stoplists import line_tokens, stoplists, stopword_counts

COLUMN = {name: k for k, name in enumerate(FEATURES)}

ARTICLE = [
    "Home | News | Projects",
    "Municipality signs a contract for the GreenRoute cycling project",
    "12.03.2024",
    "The municipality of Ruse signed a grant contract worth EUR 1.2 million with the managing "
    "authority of the Interreg programme, which will fund the new cycling paths along the river.",
    "The works start in May and last 18 months.",
    "Share on Facebook",
    "Share on Facebook",
    "© 2024 Municipality of Ruse",
]


def features_of(
    texts: list[str], title: int | None = 1, dropped: set[int] = frozenset()
) -> np.ndarray:
    n = len(texts)
    page = PageLines(
        texts=texts,
        dropped=[k in dropped for k in range(n)],
        running=[len(text) >= 150 for text in texts],
        blank_before=[False] * n,
        blank_after=[False] * n,
        title=title,
        listing=False,
    )
    return line_features(page)


def test_every_line_gets_one_row_of_every_feature():
    rows = features_of(ARTICLE)
    assert rows.shape == (len(ARTICLE), len(FEATURES))
    assert np.isfinite(rows).all()


def test_place_on_the_page_is_counted_from_the_headline_and_the_running_text():
    rows = features_of(ARTICLE)
    assert rows[0, COLUMN["title_offset"]] == -1 and rows[0, COLUMN["before_first_text"]] == 1
    assert rows[5, COLUMN["after_last_text"]] == 1 and rows[3, COLUMN["after_last_text"]] == 0
    assert rows[7, COLUMN["lines_after"]] == 0


def test_shape_features_read_separators_repeats_dates_and_money():
    rows = features_of(ARTICLE)
    assert rows[0, COLUMN["separators"]] == 2
    assert rows[5, COLUMN["repeats"]] == 1 and rows[4, COLUMN["repeats"]] == 0
    assert rows[2, COLUMN["digits"]] > 0.7
    assert rows[3, COLUMN["project_word"]] == 0 and rows[1, COLUMN["project_word"]] == 1
    assert rows[4, COLUMN["ends_stop"]] == 1 and rows[0, COLUMN["ends_stop"]] == 0


def test_running_text_is_denser_in_function_words_than_a_menu():
    rows = features_of(ARTICLE)
    assert rows[3, COLUMN["function_words"]] > 0.3
    assert rows[0, COLUMN["function_words"]] == 0


def test_neighbours_dropped_by_the_rules_are_counted():
    rows = features_of(ARTICLE, dropped={6, 7})
    assert rows[5, COLUMN["dropped_near"]] == 2 and rows[5, COLUMN["dropped_after"]] == 1
    assert rows[1, COLUMN["dropped_near"]] == 0


def test_items_of_one_list_start_alike():
    rows = features_of(["Agenda", "09:00 Opening", "10:30 Field visit", "Contact us"], title=None)
    assert rows[1, COLUMN["same_start"]] == 1 and rows[2, COLUMN["same_start"]] == 1
    assert rows[3, COLUMN["same_start"]] == 0


def test_an_empty_page_has_no_rows():
    assert features_of([], title=None).shape == (0, len(FEATURES))


def test_stoplists_come_from_spacy_for_the_rules_languages_with_one():
    lists = stoplists()
    assert {"bg", "de", "el", "en", "fr", "lt", "sk"} <= set(lists)
    assert "mt" not in lists  # spaCy ships no Maltese list
    assert "und" in lists["de"] and "και" in lists["el"]


def test_a_page_takes_the_function_words_of_its_own_language():
    lines = [
        line_tokens("Проектът се изпълнява от общината и е на стойност 2 милиона лева."),
        line_tokens("Начало Новини Контакти"),
    ]
    assert stopword_counts(lines) == [5, 0]
    assert stopword_counts([line_tokens("12345 --- ###")]) == [0]
