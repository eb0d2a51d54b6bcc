from fastapi import APIRouter, status

from commerce.behaviour import service
from commerce.behaviour.schemas import BatchAccepted, EventBatch
from commerce.db import SessionDep
from commerce.errors import ERROR_RESPONSES

router = APIRouter(prefix="/v1/events", tags=["behaviour"], responses=ERROR_RESPONSES)


@router.post(
    "",
    response_model=BatchAccepted,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Record a batch of behaviour events of one visit",
)
def ingest_events(body: EventBatch, session: SessionDep) -> BatchAccepted:
    return service.ingest(session, body)
