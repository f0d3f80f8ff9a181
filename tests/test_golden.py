"""Golden test: the whole pipeline over the annotated pages, scored, against pinned floors.

Every gold set of tests/corpus is run, the sealed `blind` set included: its figures are what
the test prints, never its pages. A floor moves up with `python tests/corpus/update_floors.py`
when the scores improve, and down only by an explicit edit of floors.json.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from corpus_sets import CORPUS

from pipeline.batch.run import run
from pipeline.tools.evaluate import read_gold, read_tables, score_run

GOLDEN = CORPUS
FLOORS = json.loads((GOLDEN / "floors.json").read_text(encoding="utf-8"))
SHARED_SCORER = Path(__file__).resolve().parents[2] / "shared" / "tools" / "score.py"
TOLERANCE = 1e-9


def figures(corpus: str, output: Path) -> dict[str, float]:
    """Run the pipeline over one golden corpus and return its headline figures."""
    run(GOLDEN / corpus, output, workers=1)
    scores = score_run(
        read_gold(GOLDEN / f"{corpus}.gold.jsonl"), GOLDEN / corpus, read_tables(output)
    )
    removed, total, kept, content = scores.boilerplate
    out = {field: counts.prf()[2] for field, counts in scores.fields.items()}
    out |= {
        "attributes": scores.attribute_accuracy,
        "language": scores.language_ok / scores.pages,
        "title": scores.title_ok / scores.pages,
        "boilerplate_removed": removed / total if total else 1.0,
        "content_kept": kept / content if content else 1.0,
        "overall": scores.overall,
    }
    return out


SETS = sorted(p.name.removesuffix(".gold.jsonl") for p in GOLDEN.glob("*.gold.jsonl"))


def test_golden_every_set_has_floors():
    assert [s for s in SETS if s not in FLOORS] == []


@pytest.fixture(scope="module", params=SETS)
def corpus_figures(request, tmp_path_factory):
    output = tmp_path_factory.mktemp(f"golden-{request.param}")
    return request.param, output, figures(request.param, output)


def test_golden_scores_hold_their_floors(corpus_figures):
    corpus, _, got = corpus_figures
    below = {
        name: (round(got[name], 3), floor)
        for name, floor in FLOORS.get(corpus, {}).items()
        if got[name] + TOLERANCE < floor
    }
    assert not below, f"{corpus}: below the floor (got, floor): {below}"


def test_golden_evaluate_agrees_with_shared_scorer(corpus_figures):
    corpus, output, got = corpus_figures
    assert SHARED_SCORER.is_file(), f"the shared scorer is expected at {SHARED_SCORER}"
    printed = subprocess.run(
        [
            sys.executable,
            str(SHARED_SCORER),
            str(GOLDEN / f"{corpus}.gold.jsonl"),
            str(GOLDEN / corpus),
            str(output),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    overall = float(printed.strip().splitlines()[-1].split()[-1])
    # the scorer prints three decimals: the two agree when they differ by its rounding at most
    assert overall == pytest.approx(got["overall"], abs=5e-4 + 1e-9)
