"""Ranking metrics as pure functions of scores and held-out items (one held-out item per user).

Ranks are 0-based positions among all items, after the caller has excluded what it must (the user's
history: set those scores to -inf). Ties are broken by item index, as a stable sort of the scores would.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


def target_ranks(scores: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Rank of each user's target item in its row of scores (n_users × n_items)."""
    scores = np.asarray(scores)
    targets = np.asarray(targets)
    target_scores = scores[np.arange(len(targets)), targets][:, None]
    ahead = scores > target_scores
    tied_before = (scores == target_scores) & (np.arange(scores.shape[1])[None, :] < targets[:, None])
    return (ahead.sum(axis=1) + tied_before.sum(axis=1)).astype(np.int64)


def hit_rate_at_k(ranks: np.ndarray, k: int) -> float:
    """Share of users whose held-out item is in their top k."""
    return float(np.mean(np.asarray(ranks) < k)) if len(ranks) else 0.0


def ndcg_at_k(ranks: np.ndarray, k: int) -> float:
    """Normalised DCG at k with one relevant item: 1 / log2(rank + 2) inside the top k, 0 outside."""
    ranks = np.asarray(ranks)
    if not len(ranks):
        return 0.0
    gains = np.where(ranks < k, 1.0 / np.log2(ranks + 2.0), 0.0)
    return float(gains.mean())


def ranking_report(ranks: np.ndarray, ks: Iterable[int] = (5, 10, 20)) -> dict[str, float]:
    out: dict[str, float] = {}
    for k in ks:
        out[f"hr@{k}"] = hit_rate_at_k(ranks, k)
        out[f"ndcg@{k}"] = ndcg_at_k(ranks, k)
    return out
