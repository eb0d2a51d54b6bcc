"""Conversation review JSON API: /v1/admin/analytics/review (editors and admins, the knowledge base's session;
changes need the X-CSRF-Token header)."""
from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from commerce.analytics import export_training, review, service
from commerce.analytics.review_schemas import (
    ConversationList, ConversationSummary, CorrectionIn, CorrectionOut, DomainOut, Transcript, TurnOut,
)
from commerce.db import SessionDep
from commerce.errors import ERROR_RESPONSES
from knowledge_base.auth import EditorDep
from knowledge_base.exceptions import AUTH_RESPONSES

router = APIRouter(prefix="/v1/admin/analytics/review", tags=["conversation review"],
                   responses={**ERROR_RESPONSES, **AUTH_RESPONSES})
Flag = Annotated[bool, Query()]
EXPORT_NAME = "reviewed.yml"


def yaml_response(text: str) -> Response:
    return Response(text, media_type="application/x-yaml; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{EXPORT_NAME}"'})


@router.get("/conversations", response_model=ConversationList,
            summary="Conversations of a period, filtered by what went wrong (editor)")
def list_conversations(
        _: EditorDep, session: SessionDep,
        start: Annotated[date | None, Query(description="first day (UTC), default 29 days before the end")] = None,
        end: Annotated[date | None, Query(description="last day (UTC), included; default today")] = None,
        channel: Annotated[str | None, Query(max_length=32, pattern=r"^[A-Za-z0-9_.-]+$")] = None,
        fallback: Flag = False, low_confidence: Flag = False, negative_rating: Flag = False, handoff: Flag = False,
        threshold: Annotated[float, Query(gt=0, le=1, description="low confidence: a message under this")] =
        review.DEFAULT_THRESHOLD,
        page: Annotated[int, Query(ge=1, le=10_000)] = 1) -> ConversationList:
    first, last = service.period(start, end)
    service.refresh(session)
    filters = review.Filters(first, last, channel, fallback, low_confidence, negative_rating, handoff, threshold)
    rows, total = review.conversations(session, filters, page)
    session.rollback()
    return ConversationList(start=first, end=last, channel=channel, threshold=threshold, total=total, page=page,
                            per_page=review.PER_PAGE, conversations=[ConversationSummary.of(r) for r in rows])


@router.get("/conversations/{conversation_id:path}", response_model=Transcript,
            summary="A conversation's turns in order, with the corrections of its messages (editor)")
def get_transcript(_: EditorDep, session: SessionDep, conversation_id: str) -> Transcript:
    service.refresh(session)
    turns, corrections = review.transcript(session, conversation_id)
    facts = review.conversation_facts(session, conversation_id)
    channel = next((t.channel for t in reversed(turns) if t.channel), None)
    return Transcript(conversation_id=conversation_id, channel=channel, turns=[
        TurnOut.of(t, corrections.get(t.id)) for t in turns], **facts)


@router.get("/domain", response_model=DomainOut, summary="The intents and entities a correction may use (editor)")
def get_domain(_: EditorDep) -> DomainOut:
    nlu = review.domain()
    return DomainOut(intents=list(nlu.intents), entities=list(nlu.entities))


@router.put("/turns/{turn_id}/correction", response_model=CorrectionOut,
            summary="Correct a shopper message (text, intent, entity spans) or drop it; replaces an earlier review")
def put_correction(me: EditorDep, session: SessionDep, turn_id: int, body: CorrectionIn) -> CorrectionOut:
    spans = [review.Span(e.start, e.end, e.entity) for e in body.entities]
    row = review.save(session, turn_id, me.actor, drop=body.drop, text=body.text, intent=body.intent, spans=spans)
    return CorrectionOut.of(row)


@router.get("/export.yml", response_class=Response, responses={200: {"content": {"application/x-yaml": {}}}},
            summary="The reviewed examples as Rasa 3 NLU training data (a YAML patch for training_data/nlu)")
def export_yaml(_: EditorDep, session: SessionDep) -> Response:
    text, _written, _skipped = export_training.export(session)
    return yaml_response(text)
