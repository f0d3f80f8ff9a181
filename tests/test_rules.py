"""Every example and counter-example of every rule is its own case, named by the rule id."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.document import MENTION_KINDS
from pipeline.extract import fold_homoglyphs, run_rule
from pipeline.rules import (
    DATA_FILES,
    RULES_DIR,
    Rule,
    RuleError,
    available_languages,
    compile_file,
    has_unbounded_nesting,
    load_rules,
)

LANGUAGES = available_languages()


def _owned(lang: str) -> list[Rule]:
    """Rules a language folder owns; common rules are tested once, with English fragments."""
    rules = load_rules(lang).rules
    prefix = "common." if lang == "en" else "\0"
    return [r for r in rules if r.id.startswith(f"{lang}.") or r.id.startswith(prefix)]


EXAMPLES = [
    pytest.param(lang, rule, ex, id=f"{rule.id}[{i}]")
    for lang in LANGUAGES
    for rule in _owned(lang)
    for i, ex in enumerate(rule.examples)
]
COUNTER = [
    pytest.param(lang, rule, text, id=f"{rule.id}[not{i}]")
    for lang in LANGUAGES
    for rule in _owned(lang)
    for i, text in enumerate(rule.counter_examples)
]


@pytest.mark.parametrize(("lang", "rule", "example"), EXAMPLES)
def test_rules_example_matches(lang, rule, example):
    lang_data = load_rules(lang).language
    text = fold_homoglyphs(example.text)
    found = [(example.text[c.start : c.end], c.norm.value) for c in run_rule(rule, text, lang_data)]
    assert any(surface == example.match for surface, _ in found), found
    if example.value is not None:
        assert (example.match, example.value) in found, found


@pytest.mark.parametrize(("lang", "rule", "text"), COUNTER)
def test_rules_counter_example_yields_nothing(lang, rule, text):
    lang_data = load_rules(lang).language
    found = run_rule(rule, fold_homoglyphs(text), lang_data)
    assert found == [], [(text[c.start : c.end], c.norm.value) for c in found]


def test_rules_every_language_folder_has_the_same_files():
    names = {lang: sorted(p.name for p in (RULES_DIR / lang).glob("*.toml")) for lang in LANGUAGES}
    assert len(LANGUAGES) >= 3
    assert "language.toml" in names["en"]
    for lang, files in names.items():
        assert files == names["en"], lang


def test_rules_kind_files_are_contract_kinds():
    for path in RULES_DIR.glob("*/*.toml"):
        assert path.stem in MENTION_KINDS or path.name in DATA_FILES, path


def test_rules_ids_are_unique_and_prefixed():
    for lang in LANGUAGES:
        ids = [r.id for r in load_rules(lang).rules]
        assert len(ids) == len(set(ids))
        assert all(i.split(".")[0] in (lang, "common") for i in ids)
        assert all(i.split(".")[1] in MENTION_KINDS for i in ids)


def test_rules_unknown_language_falls_back_to_english_rules_without_ner():
    rs = load_rules("hu")
    assert rs.language.get("ner_model") == ""
    assert any(r.id.startswith("en.") for r in rs.rules)


def test_rules_load_is_cached_per_language():
    assert load_rules("bg") is load_rules("bg")


@pytest.mark.parametrize(
    ("pattern", "nested"),
    [
        ("(a+)+", True),
        ("(?:\\s\\w+)*x", True),
        ("(?:a{1,}b)+", True),
        ("(?:a|b+){2,}", True),
        ("(?:\\s\\w+){0,8}", False),
        ("a+b*c?", False),
        ("(a+){1,3}", False),
        ("[(a+)+]", False),
        ("\\(a+\\)+", False),
        ("\\p{L}+(?:-\\p{L}{1,4})+", False),
    ],
)
def test_rules_nested_repetition_guard(pattern, nested):
    assert has_unbounded_nesting(pattern) is nested


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "money.toml"
    path.write_text(body, encoding="utf-8")
    return path


GOOD = """
[[rule]]
name = "x"
pattern = '''{AMOUNT}\\s?€'''
examples = [{ text = "5 €", match = "5 €" }]
"""
FRAGS = {"AMOUNT": r"(?P<amount>\d+)", "currency": ""}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (GOOD.replace('name = "x"\n', ""), "missing or bad name"),
        (GOOD.replace("pattern =", "normalize = 'nope'\npattern ="), "unknown normalizer 'nope'"),
        (GOOD.replace("{AMOUNT}", "{NOPE}"), "unknown fragment {NOPE}"),
        (GOOD.replace("{AMOUNT}", "(?P<amount>\\d+"), "bad regex"),
        (GOOD.replace("{AMOUNT}", "(\\d+)+"), "nested unbounded repetition"),
        (
            GOOD.replace('examples = [{ text = "5 €", match = "5 €" }]', ""),
            "needs at least one example",
        ),
        (GOOD.replace('match = "5 €"', 'match = "6 €"'), "is not in its text"),
        (GOOD + GOOD, "duplicate id"),
        ("[[rule]\n", "not valid TOML"),
    ],
)
def test_rules_invalid_file_names_file_and_rule(tmp_path, body, message):
    path = _write(tmp_path, body)
    with pytest.raises(RuleError) as err:
        compile_file(path, "xx", FRAGS, set())
    assert message in str(err.value)
    assert "money.toml" in str(err.value)
    if "TOML" not in message:
        assert "xx.money." in str(err.value)


def test_rules_valid_file_compiles(tmp_path):
    rules = compile_file(_write(tmp_path, GOOD), "xx", FRAGS, set())
    assert [r.id for r in rules] == ["xx.money.x"]
    assert rules[0].normalize == "money"
    assert rules[0].pattern.search("pay 5 € now").group("amount") == "5"
