"""The event trail: one compact, redacted row per conversation turn, copied from Rasa's tracker store."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from commerce.db import Base, JSONDocument, UTCDateTime, enum_column, utcnow


class TurnKind(str, enum.Enum):
    USER = "user"  # a shopper's message: intent, confidence, channel, redacted text
    BOT = "bot"  # something the assistant said
    RECOMMENDATION = "recommendation"  # the assistant showed recommended products (item_count of them)
    ACTION = "action"  # a custom or built-in action ran
    HANDOFF = "handoff"  # the conversation was passed to a person (action_handoff)
    FALLBACK = "fallback"  # the assistant did not understand (a fallback action ran)
    FORM = "form"  # a form started (action_name) or ended (action_name empty)


class ConversationTurn(Base):
    __tablename__ = "conversation_turns"
    __table_args__ = (
        # The same tracker row is never copied twice, even by two processes ingesting at once.
        UniqueConstraint("source", "event_id", name="uq_conversation_turns_source_event"),
        Index("ix_conversation_turns_kind_time", "kind", "occurred_at"),
        Index("ix_conversation_turns_conversation_time", "conversation_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(16))  # which tracker store (a digest of its URL)
    event_id: Mapped[int] = mapped_column(Integer)  # the row id in the tracker store's `events` table
    conversation_id: Mapped[str] = mapped_column(String(255))  # Rasa's sender_id
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    kind: Mapped[TurnKind] = mapped_column(enum_column(TurnKind, "turn_kind"))
    intent: Mapped[str | None] = mapped_column(String(100))
    confidence: Mapped[float | None] = mapped_column(Float)
    action_name: Mapped[str | None] = mapped_column(String(100))
    channel: Mapped[str | None] = mapped_column(String(32))
    text: Mapped[str | None] = mapped_column(String(1000))  # redacted (bot.redaction) and shortened
    item_count: Mapped[int | None] = mapped_column(Integer)  # products shown by a recommendation turn


class IngestState(Base):
    """How far each tracker store has been copied: the last event id, and since when a gap after it has been
    waited for (an id the database handed out whose row is not visible yet: a transaction still running)."""

    __tablename__ = "analytics_ingest_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(16), unique=True)
    last_event_id: Mapped[int] = mapped_column(Integer, default=0)
    gap_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CorrectionStatus(str, enum.Enum):
    EXAMPLE = "example"  # reviewed: becomes a training example (text, intent, entities as saved)
    DROPPED = "dropped"  # reviewed: not a training example


class NluCorrection(Base):
    """A reviewer's decision on one shopper message (conversation review): its corrected text, intent and entity
    spans, or that it is dropped. One per message: a later review replaces the earlier one. Only these rows
    become training examples (commerce.analytics.export_training); nothing is copied from a turn unreviewed."""

    __tablename__ = "nlu_corrections"
    __table_args__ = (Index("ix_nlu_corrections_status_intent", "status", "intent"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The message reviewed; kept (NULL) if the turn is ever deleted, the reviewed example stays.
    turn_id: Mapped[int | None] = mapped_column(ForeignKey("conversation_turns.id", ondelete="SET NULL"), unique=True)
    conversation_id: Mapped[str] = mapped_column(String(255), index=True)
    original_intent: Mapped[str | None] = mapped_column(String(100))
    original_confidence: Mapped[float | None] = mapped_column(Float)
    status: Mapped[CorrectionStatus] = mapped_column(enum_column(CorrectionStatus, "correction_status"))
    text: Mapped[str | None] = mapped_column(String(1000))  # as the reviewer wrote it, placeholders replaced
    intent: Mapped[str | None] = mapped_column(String(100))
    # [{"start": int, "end": int, "entity": str}, ...] over `text`, in order, not overlapping
    entities: Mapped[list[dict[str, Any]]] = mapped_column(JSONDocument, default=list)
    reviewer_id: Mapped[int | None] = mapped_column(Integer)  # kb_users.id (accounts are deactivated, not deleted)
    reviewer_email: Mapped[str] = mapped_column(String(254))
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
