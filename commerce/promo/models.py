from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from commerce.db import Base, JSONDocument, UTCDateTime, enum_column, utcnow


class DiscountKind(str, enum.Enum):
    PERCENT = "percent"
    FIXED = "fixed"
    FREE_SHIPPING = "free_shipping"


class Audience(str, enum.Enum):
    ALL = "all"
    NEW = "new"  # no order yet
    RETURNING = "returning"


class OfferStatus(str, enum.Enum):
    ISSUED = "issued"
    REDEEMED = "redeemed"
    EXPIRED = "expired"


class Campaign(Base):
    """A discount with eligibility rules and budgets. Money is reserved when a code is issued (its largest
    possible discount) and charged when it is redeemed, so `spent + reserved` can never pass the budget."""

    __tablename__ = "promo_campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[DiscountKind] = mapped_column(enum_column(DiscountKind, "discount_kind"))
    value: Mapped[int] = mapped_column(Integer)  # percent (1-90) or cents; unused for free shipping
    max_discount_cents: Mapped[int] = mapped_column(Integer)  # the most one code can take off
    min_basket_cents: Mapped[int] = mapped_column(Integer, default=0)
    category_slugs: Mapped[list[str]] = mapped_column(JSONDocument, default=list)  # empty: every category
    audience: Mapped[Audience] = mapped_column(enum_column(Audience, "promo_audience"), default=Audience.ALL)
    total_budget_cents: Mapped[int] = mapped_column(Integer)
    daily_budget_cents: Mapped[int] = mapped_column(Integer)
    per_customer_cap: Mapped[int] = mapped_column(Integer, default=1)
    margin_floor_pct: Mapped[int] = mapped_column(Integer, default=10)  # basket margin left after the discount
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    code_valid_hours: Mapped[int] = mapped_column(Integer, default=48)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    spent_cents: Mapped[int] = mapped_column(Integer, default=0)
    reserved_cents: Mapped[int] = mapped_column(Integer, default=0)
    # Today's committed money (reservations made today), reset by the first reservation of a new day.
    day: Mapped[date | None] = mapped_column(Date)
    day_committed_cents: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Offer(Base):
    """A single-use code issued to one shopper."""

    __tablename__ = "promo_offers"
    __table_args__ = (Index("ix_promo_offers_status_expires", "status", "expires_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("promo_campaigns.id", ondelete="RESTRICT"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    reservation_cents: Mapped[int] = mapped_column(Integer)
    status: Mapped[OfferStatus] = mapped_column(enum_column(OfferStatus, "offer_status"), default=OfferStatus.ISSUED)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    redeemed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"))
    discount_cents: Mapped[int | None] = mapped_column(Integer)

    campaign: Mapped[Campaign] = relationship()


class Decision(Base):
    """Every offer decision, offer or not, with what it was based on: the log the uplift model learns from
    (`explored` marks the randomised share, where treatment did not depend on the shopper)."""

    __tablename__ = "promo_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    intent_probability: Mapped[float | None] = mapped_column(Float)
    uplift: Mapped[float | None] = mapped_column(Float)
    explored: Mapped[bool] = mapped_column(Boolean, default=False)
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("promo_offers.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(200))
    context: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)
