"""Rule examples run: every rule finds its examples and none of its counter-examples.

`newsfacts rules check` and the tests call `check_examples`; a language folder checks the
rules and boilerplate cues it owns (the common ones are checked with English).
"""

from __future__ import annotations

from pathlib import Path

from pipeline.clean.cues import KIND as CUE_KIND
from pipeline.clean.cues import load_cue_file
from pipeline.extract.mentions import fold_homoglyphs, run_rule
from pipeline.extract.rules import Example, Rule, load_rules
from pipeline.langdata import (
    COMMON,
    FALLBACK_LANGUAGE,
    RULES_DIR,
    Language,
    available_languages,
    rel_path,
)


def example_failure(rule: Rule, example: Example, language: Language) -> str | None:
    """Why `example` fails for `rule` (None when the rule finds the match and value)."""
    found = [
        (example.text[c.start : c.end], c.norm.value)
        for c in run_rule(rule, fold_homoglyphs(example.text), language)
    ]
    if not any(surface == example.match for surface, _ in found):
        return (
            f"{rule.id} ({rule.source}): {example.match!r} not found in {example.text!r}: {found}"
        )
    if example.value is not None and (example.match, example.value) not in found:
        return (
            f"{rule.id} ({rule.source}): {example.match!r} should give {example.value!r}: {found}"
        )
    return None


def counter_example_failure(rule: Rule, text: str, language: Language) -> str | None:
    """Why counter-example `text` fails for `rule` (None when the rule finds nothing)."""
    found = [
        (text[c.start : c.end], c.norm.value)
        for c in run_rule(rule, fold_homoglyphs(text), language)
    ]
    return (
        f"{rule.id} ({rule.source}): counter-example {text!r} matched: {found}" if found else None
    )


def owned_rules(lang: str) -> list[Rule]:
    """The rules a language folder owns; common rules belong to English, where they are checked."""
    prefixes = (f"{lang}.", "common.") if lang == FALLBACK_LANGUAGE else (f"{lang}.",)
    return [r for r in load_rules(lang).rules if r.id.startswith(prefixes)]


def cue_failures(lang: str, rules_dir: Path = RULES_DIR) -> list[str]:
    """Load and validate the boilerplate cues a language folder owns (common's belong to
    English), run their examples; one message per failure."""
    failures = []
    for folder in [lang, COMMON] if lang == FALLBACK_LANGUAGE else [lang]:
        path = rules_dir / folder / f"{CUE_KIND}.toml"
        if not path.exists():
            continue
        for cue in load_cue_file(path, folder):
            where = f"{cue.rule_id} ({rel_path(path)})"
            failures += [
                f"{where}: example {line!r} not matched"
                for line in cue.examples
                if not cue.matches(line.strip())
            ]
            failures += [
                f"{where}: counter-example {line!r} matched"
                for line in cue.counter_examples
                if cue.matches(line.strip())
            ]
    return failures


def check_examples(lang: str | None = None) -> list[str]:
    """Load and validate the rule and cue files, run every example; one message per failure."""
    failures = []
    for code in [lang] if lang else available_languages():
        language = load_rules(code).language
        for rule in owned_rules(code):
            failures += filter(None, (example_failure(rule, e, language) for e in rule.examples))
            failures += filter(
                None, (counter_example_failure(rule, t, language) for t in rule.counter_examples)
            )
        failures += cue_failures(code)
    return failures
