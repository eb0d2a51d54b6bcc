"""The real-time auction: every eligible campaign bids the incremental margin it expects to create for this
shopper right now; the highest positive bid wins, and no offer is better than a losing one."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bid:
    campaign_id: int
    value: float  # expected incremental margin, in cents
    discount_cents: int


def expected_margin(p_buy: float, uplift: float, basket_cents: int, margin_rate: float, discount_cents: int) -> float:
    """Incremental margin of making the offer: the extra buyers it creates bring the basket's margin, and every
    buyer who uses it (the extra ones and those who would have bought anyway) costs the discount."""
    p_with_offer = min(1.0, p_buy + max(0.0, uplift))
    return uplift * basket_cents * margin_rate - p_with_offer * discount_cents


def winner(bids: list[Bid]) -> Bid | None:
    """Highest bid above zero; ties go to the cheaper discount, then the older campaign."""
    positive = [b for b in bids if b.value > 0]
    if not positive:
        return None
    return max(positive, key=lambda b: (b.value, -b.discount_cents, -b.campaign_id))
