"""Load, validate and compile the rule files of `pipeline/rules/` (one folder per language).

Layout
------
``rules/common/``      rules and data that every language shares.
``rules/<lang>/``      ``language.toml`` plus one ``<kind>.toml`` per contract kind
                       (the same file names in every language folder).

A kind file is any ``<kind>.toml`` whose stem is a contract kind (``MENTION_KINDS``):
``programme``, ``grant_number``, ``money``, ``date``, ``duration``, ``organization``,
``country``, ``project``, ``location``, ``person``. Every kind file found is loaded, so a
new kind needs no Python. Other file names (``language.toml``, ``fragments.toml``) hold data.

Rule format (TOML, one ``[[rule]]`` table per rule)::

    [[rule]]
    name = "amount_then_symbol"            # id = <lang>.<kind>.<name>, unique
    pattern = '''{AMOUNT}\\s?(?P<currency>€|EUR\\b)'''   # `regex` syntax; {UPPER} = fragment
    normalize = "money"                    # a key of normalize.NORMALIZERS (default: the kind
                                           # when it names a normalizer, else "text")
    value = "COSME"                        # optional constant value ("const" normalizer)
    ignore_case = false                    # optional, default false
    examples = [{ text = "a budget of 312.450 € over", match = "312.450 €",
                  value = "312450 EUR" }]  # at least one; `value` optional
    not = ["see page 3 of 4"]              # counter-examples: the rule yields no mention
    before_organization = true             # optional (project rules): the name ends before
                                           # an organisation a preposition joins to it
                                           # ("Acque Vive dell'Università di Pavia")

Spans: the mention is the named group ``m`` when the pattern has one (context outside
``m`` is matched but not part of the mention), else the whole match. A group ``m`` that
repeats (``(?:(?P<m>...),\\s)+``) yields one mention per capture. Other named groups are
passed to the normalizer, which returns None to reject a match.

Fragments: ``{NAME}`` (capitals, digits, underscore) is replaced, recursively, by the
fragment ``NAME`` from ``common/fragments.toml`` or the ``[fragments]`` table of the
language's ``language.toml`` (the language wins). A fragment is a regex string or a list of
literal strings (escaped and joined longest first). ``{CLDR_COUNTRY}`` is built from Babel's
CLDR territory names of the language plus ``country.toml``'s ``[names]`` table.
``{SCALE_WORDS}``, ``{CURRENCY_WORDS}``, ``{CURRENCY_CODES}``, ``{CURRENCY_SYMBOLS}``,
``{SCALE_SUFFIXES}`` and the subsets that entries name are built from the word tables
``[scales]``, ``[currencies]`` and ``[scale_suffixes]`` of ``money.toml``
(``langdata.word_fragments``; docs/rules.md, "Money words").

Validation (``RuleError`` names the file and the rule id): missing name/pattern/example,
duplicate id, unknown normalizer, unknown fragment, a pattern that does not compile,
nested unbounded repetition such as ``(a+)+`` (catastrophic backtracking guard), an
example whose ``match`` is not in its ``text``.

Compiled rule sets are cached per language in this module, so each worker process loads
the files once.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex

from pipeline.document import MENTION_KINDS
from pipeline.extract import rule_cache
from pipeline.extract.normalize import NORMALIZERS
from pipeline.extract.prefilter import RulePrefilters, start_guard
from pipeline.langdata import (
    COMMON,
    FALLBACK_LANGUAGE,
    RULES_DIR,
    Language,
    RuleError,
    country_names,
    country_stems,
    expand,
    literal_alternation,
    load_language,
    read_toml,
    rel_path,
    word_fragments,
)

# Files beside the kind files that hold data, not rules: the language's settings, shared
# fragments, and the data of other stages (language cues, boilerplate cues, grant shapes,
# the name tables of pipeline/index/names.py, the corpus check's ISO codes and programme
# families, the small words of every language that the code matches, the relevance settings).
DATA_FILES = (
    "language.toml",
    "fragments.toml",
    "languages.toml",
    "boilerplate.toml",
    "grant_shapes.toml",
    "names.toml",
    "corpus.toml",
    "words.toml",
    "cues.toml",
    "relevance.toml",
)
RULE_KEYS = {
    "name",
    "pattern",
    "normalize",
    "value",
    "ignore_case",
    "examples",
    "not",
    "before_organization",
}
EXAMPLE_KEYS = {"text", "match", "value"}
# Territory codes of CLDR that are not countries (regions, unions, placeholders).


@dataclass(frozen=True)
class Example:
    """One example of a rule: `match` is found in `text` and normalizes to `value`."""

    text: str
    match: str
    value: str | None = None


@dataclass(frozen=True)
class Rule:
    """One compiled rule."""

    id: str
    kind: str
    pattern: regex.Pattern
    normalize: str
    value: str | None
    examples: tuple[Example, ...]
    counter_examples: tuple[str, ...]
    source: str
    order: int
    before_organization: bool = False


@dataclass
class RuleSet:
    """All rules that run for one language, in order (common first, then the language)."""

    language: Language
    rules: list[Rule]

    @functools.cached_property
    def literal_index(self) -> RulePrefilters:
        """The rules' literal prefilters: which rules may match a text."""
        return RulePrefilters([r.pattern for r in self.rules])

    @functools.cached_property
    def cut_before_organization(self) -> frozenset[str]:
        """The ids of the rules whose names end before an organisation joined to them."""
        return frozenset(r.id for r in self.rules if r.before_organization)

    def by_kind(self, kind: str) -> list[Rule]:
        """The rules that produce mentions of `kind`."""
        return [r for r in self.rules if r.kind == kind]


@functools.cache
def has_unbounded_nesting(pattern: str) -> bool:
    """True when an unboundedly repeated group contains an unbounded repetition, as `(a+)+`."""
    stack: list[bool] = []  # per open group: does it contain an unbounded quantifier?
    last_group_unbounded = False  # the item just closed was a group with unbounded content
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        closed = False
        if c == "\\":
            i += 2
            if i <= n and pattern[i - 1] in "pPN" and i < n and pattern[i] == "{":
                i = pattern.find("}", i) + 1 or n
        elif c == "[":
            i += 1
            if i < n and pattern[i] == "^":
                i += 1
            if i < n and pattern[i] == "]":
                i += 1
            while i < n and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
            i += 1
        elif c == "(":
            stack.append(False)
            i += 1
        elif c == ")":
            inner = stack.pop() if stack else False
            last_group_unbounded = inner
            closed = True
            i += 1
        else:
            i += 1
        # quantifier following the item that ends at i
        unbounded, j = _quantifier_at(pattern, i)
        if unbounded:
            if closed and last_group_unbounded:
                return True
            if stack:
                stack[-1] = True
        elif closed and last_group_unbounded and stack:
            stack[-1] = True
        if j > i:
            i = j
    return False


def _quantifier_at(pattern: str, i: int) -> tuple[bool, int]:
    """(is an unbounded quantifier at i, index after it)."""
    if i >= len(pattern):
        return False, i
    c = pattern[i]
    if c in "*+":
        j = i + 1
    elif c == "{":
        m = regex.match(r"\{(\d*)(,?)(\d*)\}", pattern[i:])
        if not m:
            return False, i
        j = i + m.end()
        if m.group(2) and not m.group(3):
            return True, _skip_lazy(pattern, j)
        return False, _skip_lazy(pattern, j)
    else:
        return False, i
    return True, _skip_lazy(pattern, j)


def _skip_lazy(pattern: str, j: int) -> int:
    return j + 1 if j < len(pattern) and pattern[j] in "?+" else j


def _fragment_text(value: Any) -> str:
    return value if isinstance(value, str) else literal_alternation(str(v) for v in value)


def _fragments(lang: Language, folder: Path) -> dict[str, str]:
    common = RULES_DIR / COMMON / "fragments.toml"
    frags: dict[str, str] = {}
    if common.exists():
        for k, v in read_toml(common).get("fragments", {}).items():
            frags[k] = _fragment_text(v)
    for k, v in lang.settings.get("fragments", {}).items():
        frags[k] = _fragment_text(v)
    # The money words: every scale word (common's and the language's), the language's own
    # currency words, common's codes, symbols and scale letters, and the subsets entries name.
    frags.update(word_fragments(RULES_DIR / COMMON, folder))
    extra = lang.table("country", "names")
    names: dict[str, str] = {}
    for locale in dict.fromkeys([folder.name, lang.code, *lang.get("cldr_locales", [])]):
        names.update(country_names(locale, extra))
    if lang.get("inflect_countries", False):
        names = {**names, **{stem + "*": code for stem, code in country_stems(names).items()}}
    frags["CLDR_COUNTRY"] = _fragment_text(names)
    return frags


def compile_file(
    path: Path, prefix: str, fragments: dict[str, str], seen: set[str], start: int = 0
) -> list[Rule]:
    """Validate and compile the [[rule]] tables of one kind file."""
    kind = path.stem
    where_file = rel_path(path)
    raw = read_toml(path)
    rules: list[Rule] = []
    for i, spec in enumerate(raw.get("rule", [])):
        name = spec.get("name")
        rid = f"{prefix}.{kind}.{name}" if name else f"{prefix}.{kind}.#{i + 1}"
        where = f"{where_file}: rule {rid}"
        if not name or not isinstance(name, str) or not regex.fullmatch(r"[a-z0-9_]+", name):
            raise RuleError(f"{where}: missing or bad name (lowercase, digits, underscore)")
        unknown = set(spec) - RULE_KEYS
        if unknown:
            raise RuleError(f"{where}: unknown keys {sorted(unknown)}")
        if rid in seen:
            raise RuleError(f"{where}: duplicate id")
        seen.add(rid)
        pattern = spec.get("pattern")
        if not pattern or not isinstance(pattern, str):
            raise RuleError(f"{where}: missing pattern")
        value = spec.get("value")
        default_norm = "const" if value is not None else kind if kind in NORMALIZERS else "text"
        norm = spec.get("normalize", default_norm)
        if norm not in NORMALIZERS:
            raise RuleError(f"{where}: unknown normalizer {norm!r}")
        expanded = expand(pattern, fragments, where)
        if has_unbounded_nesting(expanded):
            raise RuleError(f"{where}: nested unbounded repetition (like (a+)+) in pattern")
        flags = regex.V0 | regex.MULTILINE
        if spec.get("ignore_case", False):
            flags |= regex.IGNORECASE
        try:
            compiled = _compiled(expanded, flags)
        except regex.error as e:
            raise RuleError(f"{where}: bad regex: {e}") from e
        examples = spec.get("examples") or []
        if not examples:
            raise RuleError(f"{where}: needs at least one example")
        exs = []
        for ex in examples:
            if not isinstance(ex, dict) or set(ex) - EXAMPLE_KEYS or "text" not in ex:
                raise RuleError(f"{where}: example needs text, match and optional value: {ex!r}")
            match = ex.get("match")
            if not match or match not in ex["text"]:
                raise RuleError(f"{where}: example match {match!r} is not in its text")
            exs.append(Example(ex["text"], match, ex.get("value")))
        nots = spec.get("not", [])
        if not isinstance(nots, list) or not all(isinstance(t, str) for t in nots):
            raise RuleError(f"{where}: `not` must be a list of strings")
        before_org = spec.get("before_organization", False)
        if not isinstance(before_org, bool):
            raise RuleError(f"{where}: `before_organization` must be true or false")
        rules.append(
            Rule(
                rid,
                kind,
                compiled,
                norm,
                value,
                tuple(exs),
                tuple(nots),
                where_file,
                start + i,
                before_org,
            )
        )
    return rules


# The patterns of the process, compiled or loaded from the rule cache, by source and flags:
# the rules that expand alike in several languages share one object.
_SHARED: dict[tuple[str, int], regex.Pattern] = {}


def _shared(pattern: regex.Pattern) -> regex.Pattern:
    """The process's one object for `pattern` (its source and flags)."""
    return _SHARED.setdefault((pattern.pattern, pattern.flags), pattern)


@functools.cache
def _compiled(expanded: str, flags: int) -> regex.Pattern:
    """One compiled pattern per expanded source (most common rules expand alike in every
    language, and a process that meets many languages compiles each once), behind the guard
    of the characters its matches start with."""
    guard = start_guard(expanded, flags)
    return _shared(regex.compile(f"{guard}(?:{expanded})" if guard else expanded, flags))


def _kind_files(folder: Path) -> list[Path]:
    return [p for p in sorted(folder.glob("*.toml")) if p.stem in MENTION_KINDS]


@functools.cache
def load_rules(lang: str) -> RuleSet:
    """The compiled rules for `lang`: common rules, then the language's own (kept for the
    process, and on disk between runs: extract/rule_cache.py).

    A language without a folder runs the common rules plus the fallback language's rules
    (English: Latin-script numbers, codes and cue words), without NER.
    """
    stored = rule_cache.read(lang)
    if isinstance(stored, RuleSet):
        stored.rules = [dataclasses.replace(r, pattern=_shared(r.pattern)) for r in stored.rules]
        return stored
    ruleset = compile_rules(lang)
    ruleset.literal_index  # noqa: B018 - the prefilters are stored with the rules
    rule_cache.write(lang, ruleset)
    return ruleset


def compile_rules(lang: str) -> RuleSet:
    """The rules for `lang` compiled from the rule files (each rule checked as it is read)."""
    language = load_language(lang)
    folder_lang = lang if (RULES_DIR / lang / "language.toml").exists() else FALLBACK_LANGUAGE
    folder = RULES_DIR / folder_lang
    fragments = _fragments(language, folder)
    seen: set[str] = set()
    rules: list[Rule] = []
    for path in _kind_files(RULES_DIR / COMMON):
        rules += compile_file(path, COMMON, fragments, seen, len(rules))
    for path in _kind_files(folder):
        rules += compile_file(path, folder_lang, fragments, seen, len(rules))
    return RuleSet(language=language, rules=rules)
