"""Public knowledge-base API for the bot and the widget: ask a question, rate an answer."""
from __future__ import annotations

from fastapi import APIRouter, Request

from commerce.db import SessionDep, retry_if_busy
from commerce.errors import ERROR_RESPONSES
from knowledge_base import answering, ratings
from knowledge_base.exceptions import RATE_RESPONSES
from knowledge_base.schemas import AskRequest, AskResponse, RatingRequest, RatingResponse

router = APIRouter(prefix="/v1/kb", tags=["knowledge base"], responses=ERROR_RESPONSES)


@router.post("/ask", response_model=AskResponse, summary="Answer a shopper's question, or abstain")
def ask(body: AskRequest, session: SessionDep) -> AskResponse:
    return retry_if_busy(session, answering.ask, body)


@router.post("/ratings", response_model=RatingResponse, responses=RATE_RESPONSES,
             summary="Rate an answer as helpful or not (one vote per conversation per entry)")
def rate(body: RatingRequest, request: Request, session: SessionDep) -> RatingResponse:
    return ratings.rate(session, body, request.client.host if request.client else "unknown")
