"""Who should get an offer: the incremental purchase probability an offer causes (uplift), not the purchase
probability. Sure buyers would buy anyway and never-buyers will not be moved, so both get none.

Until a model has been trained on the shop's own logged offers, the uplift is a prior: persuadable shoppers
are the undecided ones, so the prior peaks at an even chance and vanishes at both ends.
"""
from __future__ import annotations

SURE_BUYER = 0.85
NEVER_BUYER = 0.05
MAX_PRIOR_UPLIFT = 0.08
MIN_UPLIFT = 0.02
EXPLORATION_SHARE = 0.1  # decisions made at random (offer or not, which offer), logged for uplift training


def prior_uplift(p_buy: float) -> float:
    return MAX_PRIOR_UPLIFT * 4 * p_buy * (1 - p_buy)


def skip_reason(p_buy: float, uplift: float) -> str | None:
    """Why this shopper should get no offer, or None when an offer may help."""
    if p_buy >= SURE_BUYER:
        return f"likely to buy anyway (purchase probability {p_buy:.2f})"
    if p_buy <= NEVER_BUYER:
        return f"an offer is unlikely to change this visit (purchase probability {p_buy:.2f})"
    if uplift < MIN_UPLIFT:
        return f"an offer adds too little (estimated uplift {uplift:.3f})"
    return None
