"""The compiled rule sets kept on disk: read back alike, compiled again when they cannot be."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rules_copy import rules_copy

from pipeline.document import Document
from pipeline.extract import rule_cache, rules
from pipeline.extract.mentions import extract

# A real page's sentence (tests/corpus/langs_hr3), with a project, a programme and a sum.
TEXT = (
    "Projekt „Zelena infrastruktura u Sisku“ sufinanciran je iz Europskog fonda za regionalni "
    "razvoj u okviru Operativnog programa „Konkurentnost i kohezija“, a ukupna vrijednost "
    "projekta iznosi 1.250.000,00 eura."
)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder of the test's own, the process's rule sets forgotten."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(rule_cache.CACHE_ENV, str(folder))
    rules.load_rules.cache_clear()
    yield folder
    rules.load_rules.cache_clear()


def mentions(lang: str) -> list[tuple[str, str, str | None]]:
    doc = extract(Document.from_source("hr.txt", text=TEXT, language=lang))
    return [(m.kind, m.text, m.value) for m in doc.mentions]


def test_rule_cache_a_stored_rule_set_is_read_back_and_finds_the_same(cache, monkeypatch):
    found = mentions("hr")
    assert ("project", "Zelena infrastruktura u Sisku", "Zelena infrastruktura u Sisku") in found
    assert [p.name for p in cache.glob("rules-hr-*.pickle")]
    rules.load_rules.cache_clear()

    def no_compiling(lang: str) -> rules.RuleSet:
        raise AssertionError(f"{lang} compiled again")

    monkeypatch.setattr(rules, "compile_rules", no_compiling)
    assert mentions("hr") == found


def test_rule_cache_a_damaged_file_is_compiled_again(cache):
    found = mentions("hr")
    (stored,) = cache.glob("rules-hr-*.pickle")
    stored.write_bytes(b"not a pickle")
    rules.load_rules.cache_clear()
    assert mentions("hr") == found
    assert stored.read_bytes() != b"not a pickle"


def test_rule_cache_storing_keeps_the_newest_versions_of_a_language(cache):
    cache.mkdir()
    older = [cache / f"rules-hr-{i:020d}.pickle" for i in range(3)]
    for age, path in enumerate(older):
        path.write_bytes(b"an older version")
        os.utime(path, (1_000_000 + age, 1_000_000 + age))
    rules.load_rules("hr")
    kept = sorted(p.name for p in cache.glob("rules-hr-*.pickle"))
    assert len(kept) == rule_cache.KEPT_VERSIONS
    assert older[0].name not in kept and older[2].name in kept


def test_rule_cache_turned_off_or_unwritable_only_compiles(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    for setting in ("", str(blocker / "cache")):
        monkeypatch.setenv(rule_cache.CACHE_ENV, setting)
        rules.load_rules.cache_clear()
        assert mentions("hr")
    assert rule_cache.cache_dir() == blocker / "cache"
    monkeypatch.setenv(rule_cache.CACHE_ENV, "")
    assert rule_cache.cache_dir() is None
    rules.load_rules.cache_clear()


def test_rule_cache_an_edited_rule_file_is_another_key(tmp_path, monkeypatch, cache):
    before = rule_cache.cache_key()
    with rules_copy(tmp_path, monkeypatch) as root:
        words = root / "hr" / "language.toml"
        words.write_text(words.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        assert rule_cache.cache_key() != before


def test_rule_cache_languages_loaded_from_it_share_the_patterns_they_have_alike(cache):
    for lang in ("hr", "sl"):
        rules.load_rules(lang)
    rules.load_rules.cache_clear()
    hr, sl = rules.load_rules("hr"), rules.load_rules("sl")
    shared = {r.id: r.pattern for r in hr.rules if r.id.startswith("common.")}
    alike = [r for r in sl.rules if r.id in shared and r.pattern.pattern == shared[r.id].pattern]
    assert alike
    assert all(r.pattern is shared[r.id] for r in alike)
