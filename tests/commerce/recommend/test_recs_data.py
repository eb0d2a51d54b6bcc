from __future__ import annotations

import numpy as np
import pytest

from commerce.recommend.data import Histories
from commerce.recommend.dataset import EVENT_WEIGHTS, TRENDING_HALF_LIFE_DAYS, collapse, trending_scores
from commerce.recommend.ranking import diversify


def test_matrix_sums_weights_and_decays_older_events() -> None:
    histories = Histories.from_sequences([[0, 2, 0], [1]], 3, [[1, 2, 3], [5]])
    assert histories.matrix().toarray().tolist() == [[4, 0, 2], [0, 5, 0]]
    # 0 at two steps back (1 × 0.5²) and at the newest (3); 2 one step back (2 × 0.5).
    assert histories.matrix(decay=0.5).toarray().tolist() == [[3.25, 0, 1], [0, 5, 0]]


def test_histories_are_checked() -> None:
    with pytest.raises(ValueError):
        Histories.from_sequences([[0, 3]], 3)
    with pytest.raises(ValueError):
        Histories.from_sequences([[0, 1]], 3, [[1]])


def test_split_last_holds_out_each_last_item() -> None:
    head, last = Histories.from_sequences([[0, 1, 2], [2, 1]], 3).split_last()
    assert [list(s) for s in head.items] == [[0, 1], [2]] and list(last) == [2, 1]
    with pytest.raises(ValueError):
        Histories.from_sequences([[0]], 3).split_last()


def test_collapse_merges_runs_at_their_largest_weight() -> None:
    items, weights = collapse([(4, "view"), (4, "cart"), (7, "view"), (4, "view"), (4, "purchase")])
    assert items == [4, 7, 4]
    assert weights == [EVENT_WEIGHTS["cart"], EVENT_WEIGHTS["view"], EVENT_WEIGHTS["purchase"]]


def test_trending_halves_with_each_half_life() -> None:
    scores = trending_scores(np.array([0, 1, 1]), ["view", "view", "view"],
                             np.array([0.0, 0.0, TRENDING_HALF_LIFE_DAYS]), 3)
    assert scores.tolist() == [1.0, 1.5, 0.0]


def test_diversify_caps_each_category_and_keeps_rank_order() -> None:
    ranked = [("a", 1), ("a", 2), ("a", 3), ("a", 4), ("b", 5), ("c", 6), ("a", 7)]
    picked = diversify(ranked, 4, key=lambda c: c[0], share=0.5)
    assert picked == [("a", 1), ("a", 2), ("b", 5), ("c", 6)]
    # Too few categories to fill the list under the cap: the best of the rest fill it, still in rank order.
    assert diversify(ranked[:4], 3, key=lambda c: c[0], share=0.3) == ranked[:3]
    assert diversify([], 3, key=lambda c: c) == []
