from typing import Annotated

from fastapi import APIRouter, Header, Response, status

from commerce.db import SessionDep
from commerce.errors import ERROR_RESPONSES
from commerce.handoff import service
from commerce.handoff.schemas import TicketCreate, TicketPublic

router = APIRouter(prefix="/v1/handoff-tickets", tags=["handoff"], responses=ERROR_RESPONSES)
IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$",
           description="Makes the request safe to repeat: the same key returns the ticket it opened first (200)."),
]


@router.post(
    "", response_model=TicketPublic, status_code=status.HTTP_201_CREATED, summary="Hand a conversation over to a person",
    responses={200: {"model": TicketPublic, "description": "The ticket this Idempotency-Key opened earlier"}},
)
def open_ticket(body: TicketCreate, session: SessionDep, response: Response,
                idempotency_key: IdempotencyKey = None) -> TicketPublic:
    ticket, created = service.open_ticket(session, body, idempotency_key)
    if not created:
        response.status_code = status.HTTP_200_OK
    return ticket
