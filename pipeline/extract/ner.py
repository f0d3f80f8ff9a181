"""spaCy NER as one more extractor: organisation candidates for languages that name a model.

The model is named by `ner_model` in the language's language.toml ("" = none). It is loaded
once per process, lazily, with every pipe but "ner" excluded.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from pipeline.langdata import Language

NER_LABELS = ("ORG", "PERSON", "GPE", "FAC", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT")
MAX_CHARS = 100_000


@dataclass(frozen=True)
class Entity:
    """One entity the model found: offsets into the text and its label."""

    start: int
    end: int
    label: str
    text: str


@functools.cache
def load_model(name: str):  # noqa: ANN201 - spaCy Language object
    """The spaCy pipeline `name` with only its NER (loaded once per process)."""
    import spacy

    if not spacy.util.is_package(name):
        raise RuntimeError(f"NER model {name!r} is not installed")
    meta = spacy.util.get_model_meta(spacy.util.get_package_path(name))
    pipes = set(meta.get("pipeline", [])) | set(meta.get("components", []))
    nlp = spacy.load(name, exclude=sorted(pipes - {"ner"}))
    return nlp


def entities(text: str, model: str) -> list[Entity]:
    """Entities of `text` found by `model` (a package name)."""
    if not model or not text.strip():
        return []
    nlp = load_model(model)
    doc = nlp(text[:MAX_CHARS])
    return [Entity(e.start_char, e.end_char, e.label_, e.text) for e in doc.ents]


def _head_pattern(lang: Language) -> regex.Pattern | None:
    heads = lang.get("fragments", {}).get("ORG_HEAD")
    if not heads:
        return None
    if isinstance(heads, list):
        return _compile_heads("|".join(regex.escape(w) for w in heads))
    return _compile_heads(heads)


@functools.cache
def _compile_heads(alternation: str) -> regex.Pattern:
    return regex.compile(rf"\b(?:{alternation})\b")


def organization_candidates(text: str, lang: Language) -> list[Entity]:
    """ORG entities, plus PERSON/GPE/FAC entities whose words contain an organisation head word.

    The small English model tags some organisations as persons or places ("Cluster Sofia
    Knowledge City" came out PERSON); a head word from the language's ORG_HEAD fragment
    (Cluster, University, Agency...) rescues them.
    """
    model = lang.get("ner_model", "")
    if not model:
        return []
    heads = _head_pattern(lang)
    out = []
    for ent in entities(text, model):
        if ent.label == "ORG" or (
            ent.label in ("PERSON", "GPE", "FAC", "NORP", "PRODUCT")
            and heads is not None
            and heads.search(ent.text)
        ):
            out.append(Entity(ent.start, ent.end, "ORG", ent.text))
    return out
