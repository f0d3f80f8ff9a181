"""Training the line model: the threshold rule, and the shipped file is what `make train` writes."""

from __future__ import annotations

import numpy as np

from pipeline.clean.line_model import MODEL_FILE
from pipeline.tools.train_line_model import Examples, choose_threshold, figures, main


def examples(labels: list[int], chances: list[float]) -> tuple[Examples, np.ndarray]:
    n = len(labels)
    return (
        Examples(
            rows=np.zeros((n, 1)),
            labels=np.array(labels),
            learnable=np.ones(n, dtype=bool),
            removed=np.zeros(n, dtype=bool),
            page=np.arange(n),
        ),
        np.array(chances),
    )


def test_figures_count_the_lines_above_the_threshold_as_dropped():
    found, chances = examples([1, 1, 0, 0], [0.9, 0.4, 0.8, 0.1])
    assert figures(found, chances, 0.5) == (0.5, 0.5)
    assert figures(found, chances, 0.95) == (0.0, 1.0)


def test_the_threshold_is_the_lowest_that_keeps_the_content_within_budget():
    labels = [1] * 10 + [0] * 100
    chances = [0.95] * 10 + [0.7] + [0.1] * 99
    found, chances = examples(labels, np.array(chances))
    assert choose_threshold(found, chances, content_loss=0.0) == 0.7
    assert choose_threshold(found, chances, content_loss=0.02) == 0.3


def test_the_shipped_model_is_what_training_on_the_corpus_writes(tmp_path, capsys):
    output = tmp_path / "line_model.json"
    assert main(["--output", str(output)]) == 0
    assert output.read_bytes() == MODEL_FILE.read_bytes(), (
        "the shipped line model is not what today's corpus, cues and features train: "
        "run `make train`"
    )
    assert "cross-validated" in capsys.readouterr().out
