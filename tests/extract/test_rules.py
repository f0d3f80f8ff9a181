"""Every example and counter-example of every rule is its own case, named by the rule id."""

from __future__ import annotations

from pathlib import Path

import pytest
from rules_copy import rules_copy

from pipeline.document import MENTION_KINDS, Document
from pipeline.extract.mentions import extract
from pipeline.extract.rule_check import (
    check_examples,
    counter_example_failure,
    cue_failures,
    example_failure,
    owned_rules,
)
from pipeline.extract.rules import (
    DATA_FILES,
    Example,
    Rule,
    compile_file,
    has_unbounded_nesting,
    load_rules,
)
from pipeline.langdata import RULES_DIR, RuleError, available_languages

LANGUAGES = available_languages()


EXAMPLES = [
    pytest.param(lang, rule, ex, id=f"{rule.id}[{i}]")
    for lang in LANGUAGES
    for rule in owned_rules(lang)
    for i, ex in enumerate(rule.examples)
]
COUNTER = [
    pytest.param(lang, rule, text, id=f"{rule.id}[not{i}]")
    for lang in LANGUAGES
    for rule in owned_rules(lang)
    for i, text in enumerate(rule.counter_examples)
]


@pytest.mark.parametrize(("lang", "rule", "example"), EXAMPLES)
def test_rules_example_matches(lang, rule, example):
    assert example_failure(rule, example, load_rules(lang).language) is None


@pytest.mark.parametrize(("lang", "rule", "text"), COUNTER)
def test_rules_counter_example_yields_nothing(lang, rule, text):
    assert counter_example_failure(rule, text, load_rules(lang).language) is None


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
    rs = load_rules("lb")
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
        (GOOD + "before_organization = 1\n", "must be true or false"),
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


def test_rules_check_examples_passes_for_the_shipped_rules():
    assert check_examples("bg") == []


def test_rules_check_examples_names_the_rule_of_a_failing_example(monkeypatch):
    rule = owned_rules("en")[0]
    broken = Rule(**{**rule.__dict__, "examples": (Example("nothing here", "nothing"),)})
    language = load_rules("en").language
    message = example_failure(broken, broken.examples[0], language)
    assert message is not None and message.startswith(rule.id) and rule.source in message


@pytest.fixture
def rules_with_more_money_words(tmp_path, monkeypatch):
    """A copy of the rules folder whose Dutch money.toml has one more scale word and one more
    currency word, written in its tables only."""
    with rules_copy(tmp_path, monkeypatch) as root:
        money = root / "nl" / "money.toml"
        text = money.read_text(encoding="utf-8")
        text = text.replace("[scales]\n", '[scales]\n"triljoen" = 1e18\n', 1)
        text = text.replace("[currencies]\n", '[currencies]\n"gulden" = "NLG"\n', 1)
        money.write_text(text, encoding="utf-8")
        yield root


def test_rules_a_money_word_written_only_in_its_table_is_matched(rules_with_more_money_words):
    text = "Het plan kost 2 triljoen gulden volgens de minister."
    doc = extract(Document.from_source("nl.txt", text=text, language="nl"))
    money = {(m.text, m.value) for m in doc.mentions if m.kind == "money"}
    assert ("2 triljoen gulden", "2000000000000000000 NLG") in money


def test_rules_check_runs_the_boilerplate_cues_a_language_owns(tmp_path):
    folder = tmp_path / "xx"
    folder.mkdir()
    (folder / "boilerplate.toml").write_text(
        '[[rule]]\nname = "share_label"\npattern = "^share$"\n'
        'examples = ["Share", "Share this"]\nnot = ["share", "Shared costs"]\n',
        encoding="utf-8",
    )
    failures = cue_failures("xx", rules_dir=tmp_path)
    assert len(failures) == 2
    assert "example 'Share this' not matched" in failures[0]
    assert "counter-example 'share' matched" in failures[1]


def test_rules_check_refuses_a_cue_file_with_a_name_twice(tmp_path):
    folder = tmp_path / "xx"
    folder.mkdir()
    rule = '[[rule]]\nname = "share_label"\npattern = "^share$"\nexamples = ["Share"]\n'
    (folder / "boilerplate.toml").write_text(rule + rule, encoding="utf-8")
    with pytest.raises(RuleError, match="duplicate rule name"):
        cue_failures("xx", rules_dir=tmp_path)
