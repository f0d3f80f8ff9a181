"""Comparison keys for names across scripts: homoglyph repair, transliteration, folding.

Keys are for deciding that two spellings name the same thing; they are never shown.
The tables live in `rules/common/names.toml`.
"""

from __future__ import annotations

import os
import re
import unicodedata
from functools import cache, lru_cache

from pipeline.langdata import common_data, words

WORD = re.compile(r"[^\W\d_]+")
DROP = re.compile(r"[.'’ʼ`´]")
SEPARATOR = re.compile(r"[\W_]+")
YEAR_RANGE = re.compile(r"\b(?:19|20)\d\d\s*[-–—/]\s*(?:19|20)?\d\d\b")
PROGRAMME_NOISE = frozenset(words("programme_noise"))
INFLECTION_ENDING = 3  # letters in which two forms of one word may differ, at their end
INFLECTION_STEM = 4  # ... after a shared stem of at least this many


@cache
def _tables() -> dict:
    data = common_data("names")
    homoglyphs = data["homoglyphs"]
    cyrillic_of = {lat: cyr for cyr, lat in homoglyphs.items() if _script(cyr) == "cyrillic"}
    greek_of = {lat: gr for gr, lat in homoglyphs.items() if _script(gr) == "greek"}
    return {
        "translit": data["transliteration"],
        "to_latin": homoglyphs,
        "from_latin": {"cyrillic": cyrillic_of, "greek": greek_of},
        "fold": [tuple(pair) for pair in data["keys"]["fold"]],
        "legal_forms": frozenset(data["keys"]["legal_forms"]),
    }


@cache
def _script(char: str) -> str:
    """`latin`, `cyrillic`, `greek` or `other` for one letter."""
    name = unicodedata.name(char, "")
    for script in ("LATIN", "CYRILLIC", "GREEK"):
        if name.startswith(script):
            return script.lower()
    return "other"


def repair_homoglyphs(text: str) -> str:
    """Rewrite look-alike letters into the script of their word (or of the whole string)."""
    tables = _tables()
    to_latin = tables["to_latin"]
    words = WORD.findall(text)
    latin = sum(1 for w in words for c in w if _script(c) == "latin")
    other = sum(1 for w in words for c in w if _script(c) in ("cyrillic", "greek"))
    latin_string = latin >= other

    def fix(match: re.Match) -> str:
        word = match.group(0)
        scripts = [_script(c) for c in word]
        n_latin = scripts.count("latin")
        n_cyr, n_greek = scripts.count("cyrillic"), scripts.count("greek")
        pairs = list(zip(word, scripts, strict=True))
        if n_latin and (n_cyr or n_greek):
            if n_latin >= max(n_cyr, n_greek):
                return "".join(to_latin.get(c, c) for c in word)
            back = tables["from_latin"]["cyrillic" if n_cyr >= n_greek else "greek"]
            return "".join(back.get(c, c) if s == "latin" else c for c, s in pairs)
        mappable = all(c in to_latin for c, s in pairs if s != "latin")
        if not n_latin and latin_string and mappable and latin:
            return "".join(to_latin.get(c, c) for c in word)
        return word

    return WORD.sub(fix, text)


def fold_tokens(text: str) -> list[str]:
    """Lower-case Latin tokens of a name: homoglyphs repaired, transliterated, no diacritics."""
    translit = _tables()["translit"]
    text = repair_homoglyphs(unicodedata.normalize("NFKC", text)).casefold()
    text = "".join(translit.get(c, c) for c in text)
    text = DROP.sub("", unaccented(text))
    return [t for t in SEPARATOR.split(text) if t]


def _loose(key: str) -> str:
    for old, new in _tables()["fold"]:
        key = key.replace(old, new)
    return key


def _latin_reading(text: str) -> str | None:
    """The string read as Latin look-alikes, when every non-Latin letter has one."""
    to_latin = _tables()["to_latin"]
    letters = [c for c in text if c.isalpha()]
    if not any(_script(c) != "latin" for c in letters):
        return None
    if not all(_script(c) == "latin" or c in to_latin for c in letters):
        return None
    return "".join(to_latin.get(c, c) for c in text)


@lru_cache(maxsize=1 << 16)
def _keys(text: str | None, drop_legal: bool) -> tuple[str, ...]:
    if not text or not text.strip():
        return ()
    keys: list[str] = []
    for variant in (text, _latin_reading(text)):
        if variant is None:
            continue
        tokens = fold_tokens(variant)
        if drop_legal:
            legal = _tables()["legal_forms"]
            while len(tokens) > 1 and tokens[-1] in legal:
                tokens.pop()
        key = _loose("".join(tokens))
        if key and key not in keys:
            keys.append(key)
    return tuple(keys)


def name_keys(text: str | None) -> tuple[str, ...]:
    """Comparison keys of a project name or acronym (first one is the main key)."""
    return _keys(text, drop_legal=False)


def name_key(text: str | None) -> str | None:
    """The main comparison key of a name, or None for an empty name."""
    keys = name_keys(text)
    return keys[0] if keys else None


def org_keys(text: str | None) -> tuple[str, ...]:
    """Comparison keys of an organisation name; trailing legal forms (Ltd, АД...) dropped."""
    return _keys(text, drop_legal=True)


def programme_key(text: str | None) -> str | None:
    """Key of a programme name, ignoring case, 'Programme'/'Operational'/'OP' and periods."""
    if not text or not text.strip():
        return None
    tokens = [t for t in fold_tokens(YEAR_RANGE.sub(" ", text)) if t not in PROGRAMME_NOISE]
    return "".join(tokens) or None


def to_latin_lookalikes(text: str) -> str:
    """Every Cyrillic/Greek letter that has a Latin look-alike replaced by it (for codes)."""
    to_latin = _tables()["to_latin"]
    return "".join(to_latin.get(c, c) for c in text)


def inflected_alike(a: str, b: str) -> bool:
    """Two forms of one word that differ at most in an ending of three letters, on a stem
    of four or more ("županija", "županije"; "yliopisto", "yliopiston")."""
    if a == b:
        return True
    stem = len(os.path.commonprefix([a, b]))
    return stem >= INFLECTION_STEM and max(len(a), len(b)) - stem <= INFLECTION_ENDING


@lru_cache(maxsize=16384)
def unaccented(text: str) -> str:
    """`text` without its accents and other combining marks."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def inflected_forms(a: str, b: str) -> bool:
    """Two names of as many words, word by word forms of one another ("Općina Lipik",
    "Općini Lipik"; "Gmina Kraków", "Gminy Krakowa"), case aside."""
    wa, wb = a.casefold().split(), b.casefold().split()
    return len(wa) == len(wb) and all(inflected_alike(x, y) for x, y in zip(wa, wb, strict=True))
