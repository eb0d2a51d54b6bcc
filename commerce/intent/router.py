from typing import Annotated

from fastapi import APIRouter, Depends, Path
from fastapi.responses import Response

from commerce.db import SessionDep, read_in_thread
from commerce.errors import ERROR_RESPONSES, ErrorBody
from commerce.intent import service
from commerce.intent.schemas import IntentBatch, IntentBatchRequest, IntentScore
from commerce.intent.store import ModelHolder, get_holder
from commerce.responses import validated_json

router = APIRouter(
    prefix="/v1",
    tags=["intent"],
    responses={**ERROR_RESPONSES, 503: {"model": ErrorBody, "description": "No purchase-intent model trained yet"}},
)
ModelDep = Annotated[ModelHolder, Depends(get_holder)]
SessionKey = Annotated[str, Path(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$",
                                 description="The visit's session_key, as sent to /v1/events")]


@router.get("/sessions/{session_key}/intent", response_model=IntentScore,
            summary="Purchase intent of a visit: probability, band and the features behind it")
async def session_intent(session_key: SessionKey, session: SessionDep, holder: ModelDep) -> Response:
    return validated_json(await read_in_thread(session, service.score_session, holder, session_key))


@router.get("/customers/{customer_id}/intent", response_model=IntentScore,
            summary="Purchase intent of a customer's latest visit")
async def customer_intent(customer_id: Annotated[int, Path(ge=1, le=2**31 - 1)], session: SessionDep,
                          holder: ModelDep) -> Response:
    return validated_json(await read_in_thread(session, service.score_customer, holder, customer_id))


@router.post("/sessions/intent", response_model=IntentBatch,
             summary="Purchase intent of up to 100 visits in one request")
async def sessions_intent(body: IntentBatchRequest, session: SessionDep, holder: ModelDep) -> Response:
    return validated_json(await read_in_thread(session, service.score_sessions, holder, body.session_keys))
