from __future__ import annotations

import math

import numpy as np
import pytest

from commerce.recommend.metrics import hit_rate_at_k, ndcg_at_k, ranking_report, target_ranks


def test_target_rank_counts_better_items_and_breaks_ties_by_index() -> None:
    scores = np.array([[0.1, 0.9, 0.5, 0.5], [1.0, 1.0, 1.0, 1.0], [0.0, 0.0, 0.2, -np.inf]])
    assert list(target_ranks(scores, np.array([2, 2, 3]))) == [1, 2, 3]


def test_hit_rate_and_ndcg_by_hand() -> None:
    ranks = np.array([0, 1, 4, 9, 30])
    assert hit_rate_at_k(ranks, 5) == pytest.approx(3 / 5)
    assert ndcg_at_k(ranks, 5) == pytest.approx((1 + 1 / math.log2(3) + 1 / math.log2(6)) / 5)
    assert ndcg_at_k(ranks, 10) == pytest.approx((1 + 1 / math.log2(3) + 1 / math.log2(6) + 1 / math.log2(11)) / 5)
    assert hit_rate_at_k(np.array([], dtype=int), 10) == ndcg_at_k(np.array([], dtype=int), 10) == 0.0


def test_report_has_every_cutoff_and_grows_with_k() -> None:
    report = ranking_report(np.random.default_rng(0).integers(0, 50, 200), ks=(5, 10, 20))
    assert list(report) == ["hr@5", "ndcg@5", "hr@10", "ndcg@10", "hr@20", "ndcg@20"]
    assert report["hr@5"] <= report["hr@10"] <= report["hr@20"]
    assert report["ndcg@5"] <= report["ndcg@10"] <= report["ndcg@20"]
