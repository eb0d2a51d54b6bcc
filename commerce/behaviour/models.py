"""Shop visits and what happened in them: the raw material of purchase-intent features.

A visit carries the context (visitor type, traffic source, device, OS, browser, region); its events carry
page views with page type and time on page, searches, add-to-cart and purchases. Bounce and exit rates,
page values, month, weekend and special-day proximity are all derived from these rows.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from commerce.db import Base, UTCDateTime, enum_column


class VisitorType(str, enum.Enum):
    NEW = "new"
    RETURNING = "returning"
    OTHER = "other"


class TrafficSource(str, enum.Enum):
    DIRECT = "direct"
    ORGANIC_SEARCH = "organic_search"
    PAID_SEARCH = "paid_search"
    SOCIAL = "social"
    EMAIL = "email"
    REFERRAL = "referral"
    AFFILIATE = "affiliate"
    DISPLAY = "display"


class Device(str, enum.Enum):
    DESKTOP = "desktop"
    MOBILE = "mobile"
    TABLET = "tablet"


class EventKind(str, enum.Enum):
    PAGE_VIEW = "page_view"
    SEARCH = "search"
    ADD_TO_CART = "add_to_cart"
    PURCHASE = "purchase"


class PageType(str, enum.Enum):
    ADMINISTRATIVE = "administrative"  # account, cart, checkout, order pages
    INFORMATIONAL = "informational"  # help, shipping, returns, about
    PRODUCT = "product"  # product pages, category listings, search results


class VisitSession(Base):
    __tablename__ = "visit_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_key: Mapped[str] = mapped_column(String(64), unique=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"), index=True)
    visitor_type: Mapped[VisitorType] = mapped_column(enum_column(VisitorType, "visitor_type"))
    traffic_source: Mapped[TrafficSource] = mapped_column(enum_column(TrafficSource, "traffic_source"))
    device: Mapped[Device] = mapped_column(enum_column(Device, "device"))
    operating_system: Mapped[str] = mapped_column(String(40))
    browser: Mapped[str] = mapped_column(String(40))
    region: Mapped[str] = mapped_column(String(60))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)

    events: Mapped[list[BehaviourEvent]] = relationship(back_populates="session", order_by="BehaviourEvent.occurred_at")


class BehaviourEvent(Base):
    __tablename__ = "behaviour_events"
    __table_args__ = (Index("ix_behaviour_events_session_time", "session_id", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("visit_sessions.id", ondelete="CASCADE"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind, "event_kind"))
    page_type: Mapped[PageType | None] = mapped_column(enum_column(PageType, "page_type"))
    page: Mapped[str | None] = mapped_column(String(300))
    duration_seconds: Mapped[float | None] = mapped_column(Float)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="SET NULL"), index=True)
    search_query: Mapped[str | None] = mapped_column(String(200))
    quantity: Mapped[int | None] = mapped_column(Integer)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"), index=True)
    value_cents: Mapped[int | None] = mapped_column(Integer)

    session: Mapped[VisitSession] = relationship(back_populates="events")
