"""Partner rows: one organisation written two ways is one partner."""

from __future__ import annotations

import pytest

from pipeline.link.partners import _same_org


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Cluster Varna Кnowledge Hub", "Cluster Varna Knowledge Hub"),  # a look-alike letter
        ("RRA ZK", "Regionální rozvojová agentura Zlínského kraje"),  # a spaced acronym
        ("TZ Istarske županije", "Turistička zajednica Istarske županije"),  # abbreviated head
        ("Agentura Brno, a.s", "Agentura Brno"),  # a trailing legal form
    ],
)
def test_same_org_knows_one_name_written_two_ways(a, b):
    assert _same_org(a, b) and _same_org(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("University of Porto", "University of Lisbon"),
        ("TZ Istarske županije", "Turistička zajednica Zadarske županije"),
    ],
)
def test_same_org_keeps_distinct_organisations_apart(a, b):
    assert not _same_org(a, b)
