"""Managing campaigns (admin)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from commerce.orders.rules import SHIPPING_CENTS
from commerce.promo.exceptions import CampaignNotFound, SlugTaken
from commerce.promo.models import Campaign, DiscountKind
from commerce.promo.schemas import CampaignIn, CampaignUpdate
from commerce.errors import Invalid


def create(session: Session, body: CampaignIn) -> Campaign:
    fields = body.model_dump()
    # The most one code can take off is what its budget reservation holds.
    if body.kind == DiscountKind.FIXED:
        fields["max_discount_cents"] = body.value
    elif body.kind == DiscountKind.FREE_SHIPPING:
        fields["value"], fields["max_discount_cents"] = 0, SHIPPING_CENTS
    campaign = Campaign(**fields)
    try:
        with session.begin_nested():
            session.add(campaign)
    except IntegrityError:
        raise SlugTaken() from None
    session.commit()
    return campaign


def update(session: Session, campaign_id: int, body: CampaignUpdate) -> Campaign:
    campaign = get(session, campaign_id)
    changes = body.model_dump(exclude_unset=True, exclude_none=True)
    total = changes.get("total_budget_cents", campaign.total_budget_cents)
    daily = changes.get("daily_budget_cents", campaign.daily_budget_cents)
    if daily > total:
        raise Invalid("The daily budget cannot exceed the total budget.")
    if total < campaign.spent_cents + campaign.reserved_cents:
        raise Invalid("The total budget cannot drop below what is already spent or held by issued codes.")
    if "ends_at" in changes and changes["ends_at"] <= campaign.starts_at:
        raise Invalid("ends_at must be after starts_at.")
    for name, value in changes.items():
        setattr(campaign, name, value)
    session.commit()
    return campaign


def get(session: Session, campaign_id: int) -> Campaign:
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise CampaignNotFound()
    return campaign


def all_campaigns(session: Session) -> list[Campaign]:
    return list(session.scalars(select(Campaign).order_by(Campaign.id)))
