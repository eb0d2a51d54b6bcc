from __future__ import annotations

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


def open_ticket(session: Session, request: TicketCreate) -> TicketPublic:
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
    )
    repository.add(session, ticket)
    session.commit()
    return TicketPublic(
        reference=ticket.reference,
        status=ticket.status,
        created_at=ticket.created_at,
        message=CONFIRMATION.format(reference=ticket.reference),
    )
