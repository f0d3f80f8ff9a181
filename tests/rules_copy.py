"""A copy of the rules folder that the rules engine reads instead of the package's, for tests
that add a word or a language as data and check that the code finds it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from pipeline import langdata
from pipeline.extract import rules
from pipeline.version import rules_digest


@contextmanager
def rules_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Copy the rules folder under `tmp_path` and point the loaders at it; edit the copy
    inside the block (nothing is read before first use), caches are cleared on both ends."""
    root = tmp_path / "rules"
    shutil.copytree(langdata.RULES_DIR, root)
    caches = (langdata.load_language, langdata.common_data, rules.load_rules, rules_digest)
    for cached in caches:
        cached.cache_clear()
    monkeypatch.setattr(langdata, "RULES_DIR", root)
    monkeypatch.setattr(rules, "RULES_DIR", root)
    try:
        yield root
    finally:
        for cached in caches:
            cached.cache_clear()
