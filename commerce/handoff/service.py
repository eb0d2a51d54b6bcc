from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from commerce.db import utcnow
from commerce.handoff import repository
from commerce.handoff.models import HandoffTicket, TicketStatus
from commerce.handoff.schemas import TicketCreate, TicketPublic
from commerce.references import fresh_reference

CONFIRMATION = (
    "A member of our team will read the conversation and reply, usually within one working day. "
    "Your reference is {reference}."
)


def open_ticket(session: Session, request: TicketCreate, idempotency_key: str | None = None) -> tuple[TicketPublic, bool]:
    """The ticket and whether it is new: a request repeating an earlier Idempotency-Key gets that ticket."""
    if idempotency_key is not None:
        earlier = repository.by_idempotency_key(session, idempotency_key)
        if earlier is not None:
            return _public(earlier), False
    ticket = HandoffTicket(
        reference=fresh_reference("HT", lambda ref: repository.reference_taken(session, ref)),
        conversation_id=request.conversation_id,
        channel=request.channel,
        reason=request.reason,
        customer_email=request.customer_email,
        order_number=request.order_number,
        transcript=[line.model_dump(mode="json") for line in request.transcript],
        status=TicketStatus.OPEN,
        created_at=utcnow(),
        idempotency_key=idempotency_key,
    )
    try:
        repository.add(session, ticket)
        session.commit()
    except IntegrityError:
        # The same key arrived twice at once (a retry racing its original): the first one won.
        session.rollback()
        earlier = repository.by_idempotency_key(session, idempotency_key) if idempotency_key else None
        if earlier is None:
            raise
        return _public(earlier), False
    return _public(ticket), True


def _public(ticket: HandoffTicket) -> TicketPublic:
    return TicketPublic(
        reference=ticket.reference,
        status=ticket.status,
        created_at=ticket.created_at,
        message=CONFIRMATION.format(reference=ticket.reference),
    )
