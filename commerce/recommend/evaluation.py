"""Ranks of held-out items, scored in batches against every item (the user's history excluded)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from commerce.recommend.data import Histories
from commerce.recommend.metrics import ranking_report, target_ranks
from commerce.recommend.models.base import Recommender, exclude_history

Scorer = Callable[[Histories], np.ndarray]


def rank_targets(score: Scorer, histories: Histories, targets: np.ndarray, batch_size: int = 2048) -> np.ndarray:
    ranks = []
    for start in range(0, len(histories), batch_size):
        batch = histories[start : start + batch_size]
        scores = score(batch).astype(np.float32, copy=True)
        exclude_history(scores, batch)
        ranks.append(target_ranks(scores, targets[start : start + len(batch)]))
    return np.concatenate(ranks) if ranks else np.zeros(0, np.int64)


def evaluate(
    model: Recommender, histories: Histories, targets: np.ndarray, ks: tuple[int, ...] = (5, 10, 20)
) -> dict[str, float]:
    return ranking_report(rank_targets(model.score, histories, targets), ks)
