"""What the campaign admin pages show about each campaign: its status, budget use and offer counts.

A page of campaigns costs three queries (the campaigns, their number, and one grouped count over the offers),
whatever the number of campaigns or offers.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from commerce.promo import pacing
from commerce.promo.models import Campaign, Offer, OfferStatus


@dataclass(frozen=True)
class CampaignRow:
    campaign: Campaign
    status: str  # scheduled, active, paused or ended
    committed_today_cents: int  # held or spent by codes issued today: what the daily budget limits
    cap_today_cents: int  # the daily budget, or less when the rest of the total must last the days left
    offers_shown: int  # codes issued to shoppers
    offers_redeemed: int


def status(campaign: Campaign, now: datetime) -> str:
    if now >= campaign.ends_at:
        return "ended"
    if not campaign.active:
        return "paused"
    if now < campaign.starts_at:
        return "scheduled"
    return "active"


def page(session: Session, now: datetime, limit: int, offset: int) -> tuple[list[CampaignRow], int]:
    """The newest campaigns first, and how many there are in all."""
    found = list(session.scalars(select(Campaign).order_by(Campaign.id.desc()).limit(limit).offset(offset)))
    total = session.scalar(select(func.count()).select_from(Campaign)) or 0
    return _rows(session, found, now), total


def one(session: Session, campaign: Campaign, now: datetime) -> CampaignRow:
    return _rows(session, [campaign], now)[0]


def _rows(session: Session, found: list[Campaign], now: datetime) -> list[CampaignRow]:
    counts: dict[tuple[int, OfferStatus], int] = {}
    if found:
        grouped = session.execute(
            select(Offer.campaign_id, Offer.status, func.count())
            .where(Offer.campaign_id.in_([c.id for c in found]))
            .group_by(Offer.campaign_id, Offer.status)
        )
        counts = {(campaign_id, offer_status): n for campaign_id, offer_status, n in grouped}
    return [_row(c, now, counts) for c in found]


def _row(campaign: Campaign, now: datetime, counts: dict[tuple[int, OfferStatus], int]) -> CampaignRow:
    today = campaign.day_committed_cents if campaign.day == now.date() else 0
    state = pacing.BudgetState(campaign.total_budget_cents, campaign.daily_budget_cents, campaign.spent_cents,
                               campaign.reserved_cents, today, campaign.ends_at)
    return CampaignRow(
        campaign=campaign,
        status=status(campaign, now),
        committed_today_cents=today,
        cap_today_cents=pacing.daily_cap(state, now),
        offers_shown=sum(counts.get((campaign.id, s), 0) for s in OfferStatus),
        offers_redeemed=counts.get((campaign.id, OfferStatus.REDEEMED), 0),
    )
