"""spaCy NER as one more extractor: organisation candidates for languages that name a model.

The model is named by `ner_model` in the language's language.toml ("" = none), and its labels
by `ner_org_labels` (organisations) and `ner_rescue_labels` (labels whose spans are
organisations when they hold an ORG_HEAD word). It is loaded once per process, lazily, with
every pipe but "ner" excluded, and the shared "tok2vec" kept when the NER listens to it. The
vocabulary's string table is not read: the NER looks words and vectors up by hash and adds the
strings of the texts it reads, so its entities are the same while French's model takes 130 MB
less (bench/throughput.py --mixed).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import regex

from pipeline.langdata import Language, common_data, load_language

MAX_CHARS = 100_000
# A two-letter country code in brackets right after a name marks it as an organisation's
# ("Find an Internship (UK)"); "(EU)" does not.
BRACKETED_AFTER = regex.compile(r"[ \t]*\((?!EU\))\p{Lu}{2}\)")


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
    path = spacy.util.get_package_path(name)
    meta = spacy.util.get_model_meta(path)
    pipes = set(meta.get("pipeline", [])) | set(meta.get("components", []))
    keep = {"ner"} | _listened_to(path)
    return spacy.load(name, exclude=[*sorted(pipes - keep), "strings"])


def _listened_to(package: Path) -> set[str]:
    """The components the NER of the model at `package` listens to (none: it has its own)."""
    import spacy

    configs = sorted(package.glob("*/config.cfg")) or sorted(package.glob("config.cfg"))
    if not configs:
        return set()
    tok2vec = spacy.util.load_config(configs[0])["components"]["ner"]["model"]["tok2vec"]
    if "Listener" in str(tok2vec.get("@architectures", "")):
        return {str(tok2vec.get("upstream", "tok2vec")).replace("*", "tok2vec")}
    return set()


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
    """Entities with an organisation label, plus entities of a rescue label whose words hold an
    organisation head word from the language's ORG_HEAD fragment (Cluster, University...)."""
    model = lang.get("ner_model", "")
    if not model:
        return []
    heads = _head_pattern(lang)
    org_labels = set(lang.get("ner_org_labels", ["ORG"]))
    rescue_labels = set(lang.get("ner_rescue_labels", []))
    named = _named_pattern(lang.code) if lang.get("ner_names_need_head", False) else None
    out = []
    for ent in entities(text, model):
        if (
            ent.label in org_labels
            and named is not None
            and not _looks_like_org(ent.text, named)
            and not BRACKETED_AFTER.match(text, ent.end)
        ):
            continue
        if ent.label in org_labels or (
            ent.label in rescue_labels and heads is not None and heads.search(ent.text)
        ):
            out.append(Entity(ent.start, ent.end, "ORG", ent.text))
    return out


def _looks_like_org(name: str, named: regex.Pattern) -> bool:
    """True for one word (an acronym, a brand) or a name with a head word or legal form."""
    return len(name.split()) < 2 or named.search(name) is not None


@functools.cache
def _named_pattern(code: str) -> regex.Pattern:
    """Head words of the language `code` and of every EU language, and legal forms, as words
    (built once a language, not once a page)."""
    lang = load_language(code)
    fragments = common_data("fragments")["fragments"]
    words = [*lang.get("fragments", {}).get("ORG_HEAD", []), *fragments["ANY_ORG_HEAD"]]
    alternation = "|".join(regex.escape(w) for w in words)
    return _compile_heads(f"{alternation}|{fragments['LEGAL_FORM']}")
