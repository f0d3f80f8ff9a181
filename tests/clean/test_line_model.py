"""The learned line model: boosted trees that fit, save and load, and the shipped model."""

from __future__ import annotations

import json

import numpy as np
import pytest
from corpus_sets import CORPUS

from pipeline.clean.cues import load_cues
from pipeline.clean.line_features import FEATURES
from pipeline.clean.line_model import MODEL_FILE, LineModel, TreeSettings, fit, load_line_model
from pipeline.clean.text import classify_page, clean_scrape
from pipeline.tools.train_line_model import train_scrapes


def toy_rows(n: int = 400) -> tuple[np.ndarray, np.ndarray]:
    """Rows where a line is boilerplate when it is short and below the running text."""
    rng = np.random.default_rng(0)
    rows = rng.random((n, len(FEATURES))).astype(np.float32)
    labels = ((rows[:, 0] > 0.6) & (rows[:, 1] < 0.5)).astype(int)
    return rows, labels


def test_boosted_trees_learn_an_interaction_of_two_features():
    rows, labels = toy_rows()
    model = fit(rows, labels, TreeSettings(rounds=60))
    assert ((model.probabilities(rows) > 0.5) == labels).mean() > 0.95


def test_growing_the_trees_twice_gives_the_same_model():
    rows, labels = toy_rows()
    settings = TreeSettings(rounds=20)
    assert fit(rows, labels, settings).to_json() == fit(rows, labels, settings).to_json()


def test_a_model_scores_the_same_after_a_round_trip_through_json():
    rows, labels = toy_rows()
    model = fit(rows, labels, TreeSettings(rounds=30))
    again = LineModel.from_json(model.to_json())
    assert np.allclose(again.scores(rows), model.scores(rows), atol=1e-4)
    assert again.scores(rows[:0]).shape == (0,)


def test_a_model_trained_on_other_features_is_refused():
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    data["features"] = data["features"][:-1]
    with pytest.raises(ValueError, match="make train"):
        LineModel.from_json(json.dumps(data))


def test_the_shipped_model_reads_todays_features():
    model = load_line_model()
    assert model.features == FEATURES
    assert 0.5 <= model.threshold < 1.0 and len(model.leaf_value) > 0


def test_the_model_drops_lines_after_the_article_that_no_cue_knows():
    raw = "\n".join(
        [
            "Stadtwerke",
            "Aktuelles",
            "Ruse signs a grant contract for the GreenRoute cycling paths",
            "",
            "The municipality of Ruse signed a grant contract worth EUR 1.2 million with the "
            "managing authority of the Interreg programme, which will fund new cycling paths.",
            "",
            "The works start in May and last 18 months, the mayor said at the signing.",
            "",
            "Zuletzt bearbeitet von Anna Weber",
            "Seitenaufrufe 1840",
            "Druckversion",
        ]
    )
    result = clean_scrape(raw)
    by_model = [line.text for line in result.lines if line.rule == "clean.line_model"]
    tail = {"Zuletzt bearbeitet von Anna Weber", "Seitenaufrufe 1840", "Druckversion"}
    assert by_model and set(by_model) <= tail
    assert result.title == "Ruse signs a grant contract for the GreenRoute cycling paths"
    kept = result.text.split("\n")
    assert any(line.startswith("The works start in May") for line in kept)
    assert any(line.startswith("The municipality of Ruse signed") for line in kept)


def test_on_the_train_scrapes_the_model_removes_more_boilerplate_at_little_cost():
    without = with_model = None
    for use_model in (False, True):
        removed = boilerplate = kept = content = 0
        for gold, raw in train_scrapes(CORPUS):
            page, title = classify_page(raw, load_cues())
            if use_model:
                page.drop_learned(title, load_line_model())
            listed = set(gold.get("boilerplate_lines") or [])
            for line in page.lines:
                if line.blank:
                    continue
                if line.raw in listed:
                    boilerplate += 1
                    removed += line.dropped
                else:
                    content += 1
                    kept += not line.dropped
        figures = (removed / boilerplate, kept / content)
        without, with_model = (figures, with_model) if not use_model else (without, figures)
    assert with_model[0] >= without[0] + 0.02
    assert with_model[1] >= without[1] - 0.003
