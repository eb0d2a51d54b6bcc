from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from commerce.handoff.models import HandoffTicket


def reference_taken(session: Session, reference: str) -> bool:
    return session.scalar(select(HandoffTicket.id).where(HandoffTicket.reference == reference)) is not None


def add(session: Session, ticket: HandoffTicket) -> None:
    session.add(ticket)
    session.flush()


def by_idempotency_key(session: Session, key: str) -> HandoffTicket | None:
    return session.scalar(select(HandoffTicket).where(HandoffTicket.idempotency_key == key))
