"""The learned line model: gradient-boosted trees over `line_features.FEATURES` that score
how likely a line of a scrape is boilerplate.

Small on purpose (a few hundred shallow trees in a JSON file beside this module), trained
by `python -m pipeline.tools.train_line_model` (`make train`) on the corpus's train pages
only, with a fixed seed, so the file it writes is the same on every machine.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.clean.line_features import FEATURES

MODEL_FILE = Path(__file__).with_name("line_model.json")
NO_SPLIT = 3.0e38  # the split value of a node that does not split: every line goes left


@dataclass(frozen=True)
class TreeSettings:
    """How the trees are grown."""

    rounds: int = 200
    depth: int = 3
    rate: float = 0.1  # each tree's share of the score it learns
    l2: float = 1.0  # shrinks leaf values of leaves with few lines
    min_child_weight: float = 2.0  # a split leaves at least this much hessian on each side
    bins: int = 32  # candidate thresholds per feature (quantiles of the training values)
    subsample: float = 0.8  # share of the lines each tree is grown on
    seed: int = 13


@dataclass
class LineModel:
    """Boosted trees of one depth; each tree is a complete binary tree in arrays."""

    features: tuple[str, ...]
    depth: int
    base: float
    split_feature: np.ndarray  # (trees, 2**depth - 1) feature index of each inner node
    split_value: np.ndarray  # (trees, 2**depth - 1) go right when the feature is above it
    leaf_value: np.ndarray  # (trees, 2**depth)
    threshold: float  # a line scoring above this probability is boilerplate

    def scores(self, rows: np.ndarray) -> np.ndarray:
        """The raw score (log-odds of boilerplate) of each row, every tree at once."""
        if not len(rows):
            return np.zeros(0)
        trees = np.arange(len(self.leaf_value))
        node = np.zeros((len(rows), len(trees)), dtype=np.int64)
        for _ in range(self.depth):
            feature = self.split_feature[trees, node]
            right = np.take_along_axis(rows, feature, axis=1) > self.split_value[trees, node]
            node = 2 * node + 1 + right
        return self.base + self.leaf_value[trees, node - (2**self.depth - 1)].sum(axis=1)

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.scores(rows)))

    def to_json(self) -> str:
        return json.dumps(
            {
                "features": list(self.features),
                "depth": self.depth,
                "base": round(self.base, 6),
                "threshold": round(self.threshold, 4),
                "trees": [
                    {
                        "feature": feature.tolist(),
                        "value": [float(v) for v in value],
                        "leaf": [round(float(v), 6) for v in leaves],
                    }
                    for feature, value, leaves in zip(
                        self.split_feature, self.split_value, self.leaf_value, strict=True
                    )
                ],
            },
            indent=0,
        )

    @classmethod
    def from_json(cls, text: str) -> LineModel:
        data = json.loads(text)
        if tuple(data["features"]) != FEATURES:
            raise ValueError(
                f"{MODEL_FILE.name} was trained on other features than line_features.FEATURES: "
                "rebuild it with `make train`"
            )
        trees = data["trees"]
        return cls(
            features=tuple(data["features"]),
            depth=data["depth"],
            base=data["base"],
            split_feature=np.array([t["feature"] for t in trees], dtype=np.int64),
            split_value=np.array([t["value"] for t in trees], dtype=np.float64),
            leaf_value=np.array([t["leaf"] for t in trees], dtype=np.float64),
            threshold=data["threshold"],
        )


@functools.cache
def load_line_model() -> LineModel:
    """The model shipped beside this module."""
    return LineModel.from_json(MODEL_FILE.read_text(encoding="utf-8"))


def _bin_edges(column: np.ndarray, bins: int) -> np.ndarray:
    """Candidate thresholds: distinct quantiles of the column, the largest value left out."""
    edges = np.unique(np.quantile(column, np.linspace(0, 1, bins + 1)[1:-1]))
    return edges[edges < column.max()]


def _best_split(
    binned: np.ndarray, grad: np.ndarray, hess: np.ndarray, sizes: list[int], settings: TreeSettings
) -> tuple[int, int, float]:
    """(feature, bin, gain) of the best split of these rows; gain 0 when none helps."""
    total_g, total_h = grad.sum(), hess.sum()
    parent = total_g**2 / (total_h + settings.l2)
    best = (0, -1, 0.0)
    for feature, size in enumerate(sizes):
        if size < 2:
            continue
        column = binned[:, feature]
        left_g = np.cumsum(np.bincount(column, weights=grad, minlength=size))[:-1]
        left_h = np.cumsum(np.bincount(column, weights=hess, minlength=size))[:-1]
        right_g, right_h = total_g - left_g, total_h - left_h
        ok = (left_h >= settings.min_child_weight) & (right_h >= settings.min_child_weight)
        if not ok.any():
            continue
        gain = left_g**2 / (left_h + settings.l2) + right_g**2 / (right_h + settings.l2) - parent
        gain = np.where(ok, gain, 0.0)
        at = int(gain.argmax())
        if gain[at] > best[2]:
            best = (feature, at, float(gain[at]))
    return best


def fit(rows: np.ndarray, labels: np.ndarray, settings: TreeSettings = TreeSettings()) -> LineModel:
    """Boosted trees on logistic loss; `labels` is 1 for boilerplate. The threshold is left
    at 0.5 for the caller to set."""
    rng = np.random.default_rng(settings.seed)
    edges = [_bin_edges(rows[:, f], settings.bins) for f in range(rows.shape[1])]
    binned = np.stack(
        [np.searchsorted(e, rows[:, f], side="left") for f, e in enumerate(edges)], axis=1
    )
    sizes = [len(e) + 1 for e in edges]
    mean = float(np.clip(labels.mean(), 1e-6, 1 - 1e-6))
    base = float(np.log(mean / (1 - mean)))
    score = np.full(len(rows), base)
    inner, depth = 2**settings.depth - 1, settings.depth
    features, values, leaves = [], [], []
    for _ in range(settings.rounds):
        prob = 1.0 / (1.0 + np.exp(-score))
        grad, hess = prob - labels, prob * (1 - prob)
        chosen = np.flatnonzero(rng.random(len(rows)) < settings.subsample)
        feature = np.zeros(inner, dtype=np.int64)
        value = np.full(inner, NO_SPLIT)
        leaf = np.zeros(2**depth)
        groups = {0: chosen}
        for node in range(inner):
            members = groups.pop(node, np.array([], dtype=np.int64))
            f, b, gain = (0, -1, 0.0)
            if len(members):
                f, b, gain = _best_split(
                    binned[members], grad[members], hess[members], sizes, settings
                )
            if gain > 0:
                feature[node], value[node] = f, edges[f][b]
                goes_right = binned[members, f] > b
            else:
                goes_right = np.zeros(len(members), dtype=bool)
            groups[2 * node + 1] = members[~goes_right]
            groups[2 * node + 2] = members[goes_right]
        for node, members in groups.items():
            g, h = grad[members].sum(), hess[members].sum()
            leaf[node - inner] = -settings.rate * g / (h + settings.l2) if len(members) else 0.0
        features.append(feature)
        values.append(value)
        leaves.append(leaf)
        model_part = LineModel(FEATURES, depth, 0.0, feature[None], value[None], leaf[None], 0.5)
        score += model_part.scores(rows)
    return LineModel(
        FEATURES, depth, base, np.array(features), np.array(values), np.array(leaves), 0.5
    )
