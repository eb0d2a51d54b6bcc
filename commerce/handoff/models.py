from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from commerce.db import Base, JSONDocument, UTCDateTime, enum_column, utcnow


class TicketStatus(str, enum.Enum):
    OPEN = "open"
    ASSIGNED = "assigned"
    CLOSED = "closed"


class HandoffTicket(Base):
    """A conversation passed from the assistant to a person, with the transcript so far."""

    __tablename__ = "handoff_tickets"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)  # HT-123456
    conversation_id: Mapped[str] = mapped_column(String(128), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(500))
    customer_email: Mapped[str | None] = mapped_column(String(254))
    order_number: Mapped[str | None] = mapped_column(String(9))
    # [{"sender": "user" | "bot" | "agent", "text": ..., "timestamp": ...}, ...]
    transcript: Mapped[list[dict[str, Any]]] = mapped_column(JSONDocument)
    status: Mapped[TicketStatus] = mapped_column(enum_column(TicketStatus, "ticket_status"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The client's Idempotency-Key: a ticket the assistant sends again (after a lost answer, or from its outbox
    # once the backend is back) is found by it instead of being opened twice.
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)
