"""Ranking and calibration metrics as pure functions (used by calibration, benchmarks and tests)."""
from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np


def reciprocal_rank(ranking: Sequence[Hashable], relevant: Hashable) -> float:
    for position, key in enumerate(ranking, start=1):
        if key == relevant:
            return 1.0 / position
    return 0.0


def ranking_metrics(rankings: Sequence[Sequence[Hashable]], relevant: Sequence[Hashable], k: int = 5) -> dict:
    """P@1, MRR and Recall@k for queries with one relevant item each (MRR then equals MAP)."""
    if not rankings:
        raise ValueError("no queries")
    p1 = np.mean([bool(r) and r[0] == rel for r, rel in zip(rankings, relevant)])
    mrr = np.mean([reciprocal_rank(r, rel) for r, rel in zip(rankings, relevant)])
    recall = np.mean([rel in list(r)[:k] for r, rel in zip(rankings, relevant)])
    return {"p_at_1": round(float(p1), 4), "mrr": round(float(mrr), 4), f"recall_at_{k}": round(float(recall), 4)}


def expected_calibration_error(confidence: np.ndarray, correct: np.ndarray, bins: int = 10) -> float:
    """Mean |accuracy - confidence| over equal-width confidence bins, weighted by how many answers fall in each."""
    confidence, correct = np.asarray(confidence, dtype=float), np.asarray(correct, dtype=float)
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1]), 0, bins - 1)
    error = 0.0
    for b in range(bins):
        mask = which == b
        if mask.any():
            error += mask.mean() * abs(correct[mask].mean() - confidence[mask].mean())
    return float(error)


def brier_score(confidence: np.ndarray, correct: np.ndarray) -> float:
    return float(np.mean((np.asarray(confidence, dtype=float) - np.asarray(correct, dtype=float)) ** 2))
