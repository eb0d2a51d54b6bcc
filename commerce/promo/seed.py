"""Demo campaigns for the demo shop, running for 30 days from today: `python -m commerce.promo.seed`.
Seeding twice does nothing."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from commerce.db import get_engine, utcnow
from commerce.promo.campaigns import create
from commerce.promo.models import Campaign
from commerce.promo.schemas import CampaignIn

DEMO_CAMPAIGNS = [
    {"slug": "welcome-ten", "name": "Welcome: 10% off your first order", "kind": "percent", "value": 10,
     "max_discount_cents": 1000, "audience": "new", "daily_budget_cents": 15_000},
    {"slug": "five-off-forty", "name": "5 EUR off orders from 40 EUR", "kind": "fixed", "value": 500,
     "min_basket_cents": 4000, "daily_budget_cents": 12_000},
    {"slug": "free-delivery", "name": "Free delivery", "kind": "free_shipping", "value": 0,
     "daily_budget_cents": 6_000},
]
DAYS = 30


def seed(session: Session) -> int:
    if session.scalar(select(Campaign.id).limit(1)) is not None:
        return 0
    today = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    for fields in DEMO_CAMPAIGNS:
        create(session, CampaignIn.model_validate({**fields, "total_budget_cents": fields["daily_budget_cents"] * DAYS,
                                                   "starts_at": today, "ends_at": today + timedelta(days=DAYS)}))
    return len(DEMO_CAMPAIGNS)


if __name__ == "__main__":
    with Session(get_engine()) as session:
        written = seed(session)
    print(f"Promo campaigns: {written} written" + ("" if written else " (campaigns were already there)"))
