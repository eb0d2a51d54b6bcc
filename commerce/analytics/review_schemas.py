"""Shapes of the conversation-review API (/v1/admin/analytics/review)."""
from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from commerce.analytics.models import ConversationTurn, CorrectionStatus, NluCorrection, TurnKind
from commerce.analytics.review import ConversationRow, markup_of


class EntitySpan(BaseModel):
    start: int = Field(description="offset of the first character in the text")
    end: int = Field(description="offset after the last character (end > start)")
    entity: str = Field(max_length=100, description="an entity of the assistant's domain")


class CorrectionIn(BaseModel):
    """A reviewed message: its text (placeholders replaced), intent and entity spans; or `drop: true`."""

    drop: bool = Field(False, description="not a training example (nothing else is needed)")
    text: str | None = Field(None, max_length=2000)
    intent: str | None = Field(None, max_length=100)
    entities: list[EntitySpan] = Field(default_factory=list, max_length=50)


class CorrectionOut(BaseModel):
    id: int
    turn_id: int | None
    conversation_id: str
    status: CorrectionStatus
    text: str | None
    intent: str | None
    entities: list[EntitySpan]
    markup: str | None = Field(description="the example as it is exported, with [words](entity) markup")
    original_intent: str | None
    original_confidence: float | None
    reviewer_email: str
    reviewed_at: datetime

    @classmethod
    def of(cls, row: NluCorrection) -> CorrectionOut:
        return cls(id=row.id, turn_id=row.turn_id, conversation_id=row.conversation_id, status=row.status,
                   text=row.text, intent=row.intent, entities=[EntitySpan(**e) for e in row.entities or []],
                   markup=markup_of(row), original_intent=row.original_intent,
                   original_confidence=row.original_confidence, reviewer_email=row.reviewer_email,
                   reviewed_at=row.reviewed_at)


class ConversationSummary(BaseModel):
    conversation_id: str
    channel: str | None
    first_message_at: datetime
    last_message_at: datetime
    messages: int
    lowest_confidence: float | None
    fallback: bool
    low_confidence: bool
    negative_rating: bool
    handoff: bool
    reviewed_messages: int

    @classmethod
    def of(cls, row: ConversationRow) -> ConversationSummary:
        return cls(conversation_id=row.conversation_id, channel=row.channel, first_message_at=row.first_at,
                   last_message_at=row.last_at, messages=row.messages, lowest_confidence=row.lowest_confidence,
                   fallback=row.fallback, low_confidence=row.low_confidence, negative_rating=row.negative_rating,
                   handoff=row.handoff, reviewed_messages=row.reviewed)


class ConversationList(BaseModel):
    start: date
    end: date
    channel: str | None
    threshold: float
    total: int
    page: int
    per_page: int
    conversations: list[ConversationSummary]


class TurnOut(BaseModel):
    id: int
    kind: TurnKind
    occurred_at: datetime
    text: str | None
    intent: str | None
    confidence: float | None
    action_name: str | None
    item_count: int | None
    correction: CorrectionOut | None = None

    @classmethod
    def of(cls, turn: ConversationTurn, correction: NluCorrection | None) -> TurnOut:
        return cls(id=turn.id, kind=turn.kind, occurred_at=turn.occurred_at, text=turn.text, intent=turn.intent,
                   confidence=turn.confidence, action_name=turn.action_name, item_count=turn.item_count,
                   correction=CorrectionOut.of(correction) if correction else None)


class Transcript(BaseModel):
    conversation_id: str
    channel: str | None
    unhelpful_ratings: int
    helpful_ratings: int
    tickets: int
    turns: list[TurnOut]


class DomainOut(BaseModel):
    intents: list[str]
    entities: list[str]
