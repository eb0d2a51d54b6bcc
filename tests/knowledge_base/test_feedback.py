from __future__ import annotations

import math

import pytest

from knowledge_base.feedback import (
    Votes, helpfulness_lower_bound, needs_review, no_votes_bound, ranking_adjustment, wilson_bounds,
)


def wilson_by_formula(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    p = k / n
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    return centre - half, centre + half


@pytest.mark.parametrize("k, n", [(8, 10), (0, 5), (5, 5), (40, 100)])
def test_wilson_interval(k: int, n: int) -> None:
    low, high = wilson_bounds(k, n)
    expected = wilson_by_formula(k, n)
    assert low == pytest.approx(max(0.0, expected[0])) and high == pytest.approx(min(1.0, expected[1]))
    assert wilson_bounds(0, 0) == (0.0, 1.0)


def test_no_votes_no_adjustment_and_votes_move_the_entry_both_ways() -> None:
    assert ranking_adjustment(Votes()) == 0.0
    assert ranking_adjustment(Votes(helpful=2, total=20, cluster_helpful=2, cluster_total=20)) < -0.1
    assert ranking_adjustment(Votes(helpful=40, total=40, cluster_helpful=40, cluster_total=40)) > 0.05


def test_more_evidence_means_a_tighter_bound() -> None:
    few = helpfulness_lower_bound(Votes(helpful=4, total=5, cluster_helpful=4, cluster_total=5))
    many = helpfulness_lower_bound(Votes(helpful=80, total=100, cluster_helpful=80, cluster_total=100))
    assert few < many < 0.8


def test_cluster_votes_outweigh_votes_from_other_questions() -> None:
    # Helpful for other kinds of question, unhelpful for this one: the cluster estimate is low...
    here_bad = Votes(helpful=30, total=40, cluster_helpful=0, cluster_total=10)
    assert helpfulness_lower_bound(here_bad) < no_votes_bound() - 0.2
    # ...while for a question outside that cluster the entry keeps its good overall record.
    elsewhere = Votes(helpful=30, total=40, cluster_helpful=0, cluster_total=0)
    assert helpfulness_lower_bound(elsewhere) > helpfulness_lower_bound(here_bad) + 0.3


def test_needs_review() -> None:
    assert not needs_review(helpful=0, total=0, recent_helpful=0, recent_total=0)
    assert needs_review(helpful=40, total=60, recent_helpful=1, recent_total=20)     # dropped
    assert not needs_review(helpful=45, total=60, recent_helpful=15, recent_total=20)  # steady
    assert needs_review(helpful=2, total=20, recent_helpful=0, recent_total=0)        # always poor
    assert not needs_review(helpful=1, total=4, recent_helpful=1, recent_total=4)     # too few votes
