"""How ratings move the ranking, as pure functions.

Each entry's helpfulness is a Beta posterior. The entry-level prior Beta(3, 1) says a published answer
usually helps (mean 0.75); the estimate for one kind of question (a query cluster) shrinks that cluster's
own votes towards the entry's votes from all other questions. Ranking uses a lower bound (the 10th
percentile), so an entry climbs only on evidence, and a rarely rated one is neither buried nor promoted.
"""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from scipy.stats import beta

from knowledge_base.hybrid import Candidate

PRIOR_HELPFUL, PRIOR_UNHELPFUL = 3.0, 1.0
# How many votes' worth the entry-level estimate counts for inside one query cluster.
CLUSTER_PRIOR_STRENGTH = 4.0
LOWER_QUANTILE = 0.10
# How far feedback can move an entry: fused retrieval scores lie in [0, 1], typical gaps 0.05-0.2.
FEEDBACK_WEIGHT = 0.5


@dataclass(frozen=True)
class Votes:
    """Helpful / total votes for one entry overall, and within the asking question's cluster."""

    helpful: int = 0
    total: int = 0
    cluster_helpful: int = 0
    cluster_total: int = 0


@lru_cache(maxsize=4096)
def beta_lower_bound(helpful: float, unhelpful: float, quantile: float = LOWER_QUANTILE) -> float:
    return float(beta.ppf(quantile, helpful, unhelpful))


def wilson_bounds(helpful: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval of the helpful share (95% by default); (0, 1) without votes."""
    if total == 0:
        return 0.0, 1.0
    p = helpful / total
    centre = p + z * z / (2 * total)
    spread = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total))
    denominator = 1 + z * z / total
    return max(0.0, (centre - spread) / denominator), min(1.0, (centre + spread) / denominator)


def helpfulness_lower_bound(votes: Votes) -> float:
    """Bayesian lower bound of the entry's helpfulness for this cluster of questions."""
    other_helpful = votes.helpful - votes.cluster_helpful
    other_total = votes.total - votes.cluster_total
    entry_mean = (PRIOR_HELPFUL + other_helpful) / (PRIOR_HELPFUL + PRIOR_UNHELPFUL + other_total)
    a = CLUSTER_PRIOR_STRENGTH * entry_mean + votes.cluster_helpful
    b = CLUSTER_PRIOR_STRENGTH * (1 - entry_mean) + (votes.cluster_total - votes.cluster_helpful)
    return beta_lower_bound(round(a, 6), round(b, 6))


def no_votes_bound() -> float:
    return helpfulness_lower_bound(Votes())


def ranking_adjustment(votes: Votes, weight: float = FEEDBACK_WEIGHT) -> float:
    """Added to the fused retrieval score: zero without votes, negative for entries shoppers find unhelpful."""
    return weight * (helpfulness_lower_bound(votes) - no_votes_bound())


def rerank(ranked: list[Candidate], votes: Mapping[Hashable, Votes], weight: float = FEEDBACK_WEIGHT
           ) -> list[Candidate]:
    """Candidates with their fused scores moved by their votes (`weight` of them; 0 ignores them), best first."""
    adjusted = [dataclasses.replace(c, fused=c.fused + ranking_adjustment(votes[c.key], weight))
                if c.key in votes else c for c in ranked]
    return sorted(adjusted, key=lambda c: (-c.fused, str(c.key)))


def needs_review(helpful: int, total: int, recent_helpful: int, recent_total: int, min_votes: int = 5) -> bool:
    """Flag for editors: recent votes are significantly worse than earlier ones (their 95% intervals do
    not overlap), or all votes together are clearly below one half."""
    earlier_helpful, earlier_total = helpful - recent_helpful, total - recent_total
    if recent_total >= min_votes and earlier_total >= min_votes:
        if wilson_bounds(recent_helpful, recent_total)[1] < wilson_bounds(earlier_helpful, earlier_total)[0]:
            return True
    return total >= 2 * min_votes and wilson_bounds(helpful, total)[1] < 0.5
