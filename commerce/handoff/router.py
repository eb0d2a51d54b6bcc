from fastapi import APIRouter, status

from commerce.db import SessionDep
from commerce.errors import ERROR_RESPONSES
from commerce.handoff import service
from commerce.handoff.schemas import TicketCreate, TicketPublic

router = APIRouter(prefix="/v1/handoff-tickets", tags=["handoff"], responses=ERROR_RESPONSES)


@router.post(
    "", response_model=TicketPublic, status_code=status.HTTP_201_CREATED, summary="Hand a conversation over to a person"
)
def open_ticket(body: TicketCreate, session: SessionDep) -> TicketPublic:
    return service.open_ticket(session, body)
