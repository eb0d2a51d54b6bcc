"""Atomic budget and code updates: one conditional UPDATE each, so concurrent requests on SQLite or
PostgreSQL can neither overspend a budget nor redeem a code twice."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, case, text, update
from sqlalchemy.orm import Session

from commerce.promo.models import Campaign, Offer, OfferStatus


def lock_for_write(session: Session) -> None:
    """On SQLite, make this transaction the writer before it reads: a transaction that reads first and writes
    later fails with "database is locked" when another writer committed in between. A no-op UPDATE takes the
    write lock (waiting up to the busy timeout); PostgreSQL needs nothing, its row updates are atomic."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("UPDATE promo_campaigns SET id = id WHERE 0"))


def reserve(session: Session, campaign_id: int, cents: int, now: datetime) -> bool:
    """Hold `cents` of the campaign's total and daily budget; False when either would be exceeded."""
    today = now.date()
    committed_today = case((Campaign.day == today, Campaign.day_committed_cents), else_=0)
    result = session.execute(
        update(Campaign)
        .where(
            Campaign.id == campaign_id,
            Campaign.active.is_(True),
            Campaign.spent_cents + Campaign.reserved_cents + cents <= Campaign.total_budget_cents,
            committed_today + cents <= Campaign.daily_budget_cents,
        )
        .values(reserved_cents=Campaign.reserved_cents + cents, day_committed_cents=committed_today + cents, day=today)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def charge(session: Session, campaign_id: int, reserved: int, spent: int) -> None:
    """A code was used: its reservation becomes the (never larger) discount actually given."""
    assert 0 <= spent <= reserved
    session.execute(
        update(Campaign)
        .where(Campaign.id == campaign_id)
        .values(reserved_cents=Campaign.reserved_cents - reserved, spent_cents=Campaign.spent_cents + spent)
        .execution_options(synchronize_session=False)
    )


def release(session: Session, campaign_id: int, reserved: int) -> None:
    session.execute(
        update(Campaign)
        .where(Campaign.id == campaign_id)
        .values(reserved_cents=Campaign.reserved_cents - reserved)
        .execution_options(synchronize_session=False)
    )


def claim_code(session: Session, offer_id: int, now: datetime, discount_cents: int, order_id: int | None) -> bool:
    """Mark an issued, unexpired code redeemed; False if another request got there first or it expired."""
    result = session.execute(
        update(Offer)
        .where(and_(Offer.id == offer_id, Offer.status == OfferStatus.ISSUED, Offer.expires_at > now))
        .values(status=OfferStatus.REDEEMED, redeemed_at=now, discount_cents=discount_cents, order_id=order_id)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def expire(session: Session, offer_id: int) -> bool:
    result = session.execute(
        update(Offer)
        .where(Offer.id == offer_id, Offer.status == OfferStatus.ISSUED)
        .values(status=OfferStatus.EXPIRED)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1
