"""Language data: the `Language` record, the one reader of the rules folder's TOML files.

``pipeline/rules/<lang>/language.toml`` holds a language's settings and cue words; its kind
files (``project.toml``, ``money.toml``...) hold, beside their rules, data tables such as
``[names]``; ``pipeline/rules/common/`` holds what every language shares. `load_language`
merges them into one `Language`, cached per process. Every stage reads language knowledge
through this module, and every TOML file of the rules folder is read by `read_toml`.
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from pipeline.document import MENTION_KINDS

RULES_DIR = Path(__file__).parent / "rules"
COMMON = "common"
FRAGMENT_REF = regex.compile(r"(?<!\\[pPN])\{([A-Z][A-Z0-9_]*)\}")


class RuleError(ValueError):
    """A rule or data file is invalid; the message names the file (and the rule, if any)."""


# The keys of a language.toml: (type, required).
SETTINGS: dict[str, tuple[type, bool]] = {
    "name": (str, True),
    "date_order": (str, True),
    "decimal": (str, True),
    "thousands": (list, True),
    "dateparser_languages": (list, True),
    "ner_model": (str, True),
    "inflect_countries": (bool, True),
    "cues": (dict, True),
    "fragments": (dict, True),
    "ner_org_labels": (list, False),
    "ner_rescue_labels": (list, False),
    "ner_names_need_head": (bool, False),
    "org_articles": (list, False),
    "cldr_locales": (list, False),
    "months": (dict, False),
}
# The cue lists a language.toml may hold in [cues] (pipeline/link reads them by name).
CUE_NAMES = frozenset(
    {"acronym", "budget", "call", "coordinator", "country_from", "country_side", "duration"}
    | {"end", "eu_contribution", "funding", "lead", "legal_form", "network"}
    | {"not_organization_before", "not_project", "not_start", "participant", "partner"}
    | {"partner_list", "programme_budget", "project_after", "project_before", "project_word"}
    | {"relative_role", "share", "start"}
)


@dataclass
class Language:
    """Settings of one language (language.toml) merged over the common data."""

    code: str
    settings: dict[str, Any] = field(default_factory=dict)
    data: dict[str, dict[str, Any]] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        """A top-level setting of language.toml."""
        return self.settings.get(key, default)

    def table(self, kind: str, key: str) -> dict[str, Any]:
        """The data table `key` of kind file `kind`, common entries overridden by the language."""
        return self.data.get(kind, {}).get(key, {})

    def cues(self, name: str) -> list[str]:
        """Cue words `name` from the [cues] table of language.toml."""
        return list(self.settings.get("cues", {}).get(name, []))


def read_toml(path: Path) -> dict[str, Any]:
    """The contents of a TOML file of the rules folder; RuleError names a file that is not TOML."""
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as e:
        raise RuleError(f"{rel_path(path)}: not valid TOML: {e}") from e


def rel_path(path: Path) -> str:
    """A rules file's path as messages give it (relative to the package)."""
    try:
        return path.relative_to(RULES_DIR.parent).as_posix()
    except ValueError:
        return path.as_posix()


def available_languages() -> list[str]:
    """Language folders that hold a language.toml, sorted."""
    return sorted(p.parent.name for p in RULES_DIR.glob("*/language.toml"))


def country_names(lang: str, extra: dict[str, Any]) -> dict[str, str]:
    """Country name (as written) -> ISO alpha-2: CLDR names in `lang` plus the [names] table."""
    from babel import Locale
    from babel.core import UnknownLocaleError

    names: dict[str, str] = {}
    not_countries = set(common_data("languages")["not_countries"])
    try:
        territories = Locale.parse(lang).territories
    except (UnknownLocaleError, ValueError):
        territories = {}
    for code, name in territories.items():
        if len(code) == 2 and code.isalpha() and code not in not_countries:
            names[name] = code
    for name, code in extra.items():
        if code:
            names[name] = str(code)
        else:
            names.pop(name, None)
    return names


@functools.cache
def country_codes() -> frozenset[str]:
    """The ISO alpha-2 codes of the countries (CLDR's territories)."""
    return frozenset(country_names(FALLBACK_LANGUAGE, {}).values())


@functools.cache
def _inflected_ending() -> regex.Pattern:
    vowels = regex.escape(common_data("words")["inflected_ending_vowels"])
    return regex.compile(f"(?:{alternation('inflected_endings')}|[{vowels}])$")


def country_stems(names: dict[str, str]) -> dict[str, str]:
    """Stems of one-word country names of six letters or more, for inflected languages.

    "Bulharsko" -> "Bulharsk" (matches Bulharsku, Bulharska), "Polska" -> "Polsk".
    """
    stems = {}
    for name, code in names.items():
        if " " in name or "-" in name or name.endswith("*") or len(name) < 6:
            continue
        stem = _inflected_ending().sub("", name)
        if len(stem) >= 5 and stem != name:
            stems[stem] = code
    return stems


# Word tables: tables of a kind file whose keys are words as written, each also matched by a
# fragment that the rules engine builds from the table (docs/rules.md, "Money words"):
# (kind, table) -> (the fragment's name, the key of an entry's value when it is a table).
WORD_TABLES: dict[tuple[str, str], tuple[str, str]] = {
    ("money", "scales"): ("SCALE_WORDS", "factor"),
    ("money", "currencies"): ("CURRENCY_WORDS", "code"),
    ("money", "scale_suffixes"): ("SCALE_SUFFIXES", "factor"),
}
# Where common/'s table fills another fragment than a language's: its [currencies] are the
# ISO codes of {CURRENCY_CODE}, a language's are its words.
COMMON_WORD_FRAGMENTS: dict[tuple[str, str], str] = {("money", "currencies"): "CURRENCY_CODES"}
# The name of a fragment an entry puts its word in (`fragment = "SCALE_BEFORE_CURRENCY"`).
FRAGMENT_NAME = regex.compile(r"[A-Z][A-Z_]*")
# What an entry written as a table may hold beside its value.
WORD_ENTRY_KEYS = frozenset({"ending", "followed_by", "not_followed_by", "fragment"})
# A key ending in "(a|b)": the word alone, or followed by one of the endings ("mln(.)").
OPTIONAL_ENDINGS = regex.compile(r"(?P<word>.*[^(])\((?P<endings>[^()]+)\)")


@dataclass(frozen=True)
class Word:
    """One written form of a word table's entry and the regex that matches it."""

    text: str
    value: Any
    pattern: str
    # The fragments that match the word: None for the table's own ({SCALE_WORDS}...), none
    # for a word only looked up (`fragment = false`).
    fragments: tuple[str, ...] | None


def table_words(table: dict[str, Any], value_key: str, where: str) -> list[Word]:
    """The written forms of a word table, in table order (RuleError names `where`).

    A key is a word as written; "mln(.)" stands for "mln" and "mln.", "euro(t|ga)" for
    "euro", "eurot" and "euroga". A value is the entry's factor or code, or a table with
    `value_key` and optional `ending` (regex of letters that may follow the word, part of the
    match), `followed_by` / `not_followed_by` (regex that must / must not come next, not part
    of the match) and `fragment`: false (the word is only looked up), or the name or list of
    names of the fragments that match it instead of the table's own.
    """
    words: list[Word] = []
    for key, spec in table.items():
        extra: dict[str, Any] = {}
        if isinstance(spec, dict):
            unknown = sorted(set(spec) - WORD_ENTRY_KEYS - {value_key})
            if unknown or value_key not in spec:
                raise RuleError(f"{where}: entry {key!r} needs {value_key!r}, not {unknown}")
            extra, spec = spec, spec[value_key]
        tail = extra.get("ending", "")
        if "followed_by" in extra:
            tail += f"(?={extra['followed_by']})"
        if "not_followed_by" in extra:
            tail += f"(?!{extra['not_followed_by']})"
        fragments = _entry_fragments(extra.get("fragment", True), f"{where}: entry {key!r}")
        m = OPTIONAL_ENDINGS.fullmatch(key)
        forms = [m["word"], *(m["word"] + e for e in m["endings"].split("|"))] if m else [key]
        for form in forms:
            pattern = regex.escape(form, literal_spaces=True) + tail
            words.append(Word(form, spec, pattern, fragments))
    return words


def _entry_fragments(value: Any, where: str) -> tuple[str, ...] | None:
    """An entry's `fragment`: true (None, the table's own), false (none), a name or names."""
    if value is True or value is False:
        return None if value else ()
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(
        isinstance(n, str) and FRAGMENT_NAME.fullmatch(n) for n in names
    ):
        raise RuleError(f"{where}: fragment is true, false or fragment names, not {value!r}")
    return tuple(names)


def word_alternation(words: list[Word]) -> str:
    """The words of a fragment as one regex group: longest first, each form once (a word
    only looked up, `fragment = false`, is left out)."""
    patterns = {w.text: w.pattern for w in words if w.fragments != ()}
    ordered = sorted(patterns, key=lambda t: (-len(t), t))
    return "(?:" + "|".join(patterns[t] for t in ordered) + ")" if ordered else "(?!)"


def _load_data(folder: Path) -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.glob("*.toml")):
        if path.stem in MENTION_KINDS:
            raw = read_toml(path)
            data[path.stem] = {k: v for k, v in raw.items() if k != "rule" and isinstance(v, dict)}
            for (kind, key), (_, value_key) in WORD_TABLES.items():
                if kind == path.stem and key in data[kind]:
                    words = table_words(data[kind][key], value_key, rel_path(path))
                    data[kind][key] = {w.text: w.value for w in words}
    return data


def word_fragments(common: Path, folder: Path) -> dict[str, str]:
    """The fragments built from the word tables of `common` then of a language's `folder`:
    each table's own ({SCALE_WORDS}, {CURRENCY_WORDS}, common's {CURRENCY_CODES} and
    {SCALE_SUFFIXES}) and those its entries name (`fragment = "SCALE_BEFORE_CURRENCY"`).
    Each kind file is read once."""
    members: dict[str, list[Word]] = {}
    files: dict[Path, dict[str, Any]] = {}
    for (kind, key), (own, value_key) in WORD_TABLES.items():
        members.setdefault(own, [])
        for where in (common, folder):
            name = COMMON_WORD_FRAGMENTS.get((kind, key), own) if where == common else own
            members.setdefault(name, [])
            path = where / f"{kind}.toml"
            if path not in files:
                files[path] = read_toml(path) if path.exists() else {}
            for word in table_words(files[path].get(key, {}), value_key, rel_path(path)):
                for fragment in word.fragments if word.fragments is not None else (name,):
                    members.setdefault(fragment, []).append(word)
    return {name: word_alternation(words) for name, words in members.items()}


def _merge_data(base: dict[str, dict], over: dict[str, dict]) -> dict[str, dict]:
    out = {k: {t: dict(v) for t, v in tables.items()} for k, tables in base.items()}
    for kind, tables in over.items():
        for key, table in tables.items():
            out.setdefault(kind, {}).setdefault(key, {}).update(table)
    return out


@functools.cache
def load_language(lang: str) -> Language:
    """The settings and data tables of `lang` (or of the fallback language when it has none)."""
    folder = RULES_DIR / lang
    if not (folder / "language.toml").exists():
        base = load_language(FALLBACK_LANGUAGE)
        settings = dict(base.settings)
        settings["ner_model"] = ""
        return Language(code=lang, settings=settings, data=base.data)
    settings = read_toml(folder / "language.toml")
    check_settings(settings, rel_path(folder / "language.toml"))
    settings["cues"] = _with_shared_cues(settings["cues"])
    data = _merge_data(_load_data(RULES_DIR / COMMON), _load_data(folder))
    return Language(code=lang, settings=settings, data=data)


def _with_shared_cues(cues: dict[str, list[str]]) -> dict[str, list[str]]:
    """A language's cue lists, each after the shared list of its name in common/cues.toml."""
    shared = common_data("cues")["cues"]
    merged = {name: list(words) for name, words in shared.items()}
    for name, words in cues.items():
        common = shared.get(name, [])
        merged[name] = [*common, *(w for w in words if w not in common)]
    return merged


def check_settings(settings: dict[str, Any], where: str) -> None:
    """Raise RuleError when a language.toml lacks a key of SETTINGS, or holds an unknown one
    or a value of the wrong type (a cue list must be a list of strings)."""
    for key, (kind, required) in SETTINGS.items():
        if key not in settings:
            if required:
                raise RuleError(f"{where}: missing key {key!r}")
        elif not isinstance(settings[key], kind):
            raise RuleError(f"{where}: {key!r} must be a {kind.__name__}")
    unknown = sorted(set(settings) - set(SETTINGS))
    if unknown:
        raise RuleError(f"{where}: unknown keys {unknown}")
    for name, cue_words in settings["cues"].items():
        if name not in CUE_NAMES:
            raise RuleError(f"{where}: unknown cue list {name!r}")
        if not isinstance(cue_words, list) or not all(isinstance(w, str) for w in cue_words):
            raise RuleError(f"{where}: cue list {name!r} must be a list of strings")


@functools.cache
def common_data(name: str) -> dict[str, Any]:
    """The contents of `rules/common/<name>.toml` (data shared by every language)."""
    return read_toml(RULES_DIR / COMMON / f"{name}.toml")


@functools.cache
def project_word_pattern() -> regex.Pattern:
    """The word for a project in the rules languages (the common fragment PROJECT_WORD), as a
    whole word."""
    word = common_data("fragments")["fragments"]["PROJECT_WORD"]
    return regex.compile(rf"(?<![\p{{L}}])(?:{word})")


@functools.cache
def homoglyphs() -> dict[str, str]:
    """The one look-alike table: Cyrillic or Greek letter -> the Latin letter it looks like."""
    return dict(common_data("names")["homoglyphs"])


def expand(pattern: str, fragments: dict[str, str], where: str) -> str:
    """Replace `{NAME}` references by their fragments, recursively (RuleError names `where`)."""
    seen: list[str] = []

    def sub(m: regex.Match) -> str:
        name = m.group(1)
        if name not in fragments:
            raise RuleError(f"{where}: unknown fragment {{{name}}}")
        if name in seen:
            raise RuleError(f"{where}: fragment {{{name}}} refers to itself")
        seen.append(name)
        out = FRAGMENT_REF.sub(sub, fragments[name])
        seen.pop()
        return out

    return FRAGMENT_REF.sub(sub, pattern)


def words(key: str) -> tuple[str, ...]:
    """A word list of `rules/common/words.toml`, in file order."""
    return tuple(common_data("words")[key])


def literal_alternation(words: Iterable[str]) -> str:
    """Literal words as one regex group, longest first, each once; a trailing * makes a word a
    stem with up to five more letters."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "(?:" + "|".join(_literal(w) for w in ordered) + ")"


def _literal(word: str) -> str:
    if word.endswith("*"):
        return regex.escape(word[:-1]) + r"\p{L}{0,5}"
    return regex.escape(word)


# `re`, as in the shared scorer: its \w and `regex`'s differ on combining marks.
NON_NAME_CHARS = re.compile(r"[^\w+]+")


def folded_name(name: object) -> str:
    """A name as names compare: NFKC, case-folded, "&" read as "and", punctuation as single
    spaces ("+" kept)."""
    if name is None:
        return ""
    t = unicodedata.normalize("NFKC", str(name)).casefold().replace("&", " and ")
    return " ".join(NON_NAME_CHARS.sub(" ", t).split())


@functools.cache
def _eu_institutions() -> regex.Pattern:
    patterns = common_data("organization")["eu_institutions"]
    return regex.compile("|".join(f"(?:{p})" for p in patterns))


def eu_institution(name: object) -> bool:
    """True for the EU, the Commission or one of its agencies, in any language (CONVENTIONS:
    no organisation)."""
    return _eu_institutions().fullmatch(folded_name(name)) is not None


def alternation(key: str) -> str:
    """The words of `key` as a regex alternation, each escaped, in file order."""
    return "|".join(regex.escape(w) for w in words(key))


# The language whose rules run for a page of a language without a folder, and whose country
# names every language's country table starts from (rules/common/languages.toml).
FALLBACK_LANGUAGE: str = common_data("languages")["fallback_language"]

