from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from commerce.handoff.models import TicketStatus
from commerce.orders.identifiers import checked_email, normalise_order_number
from commerce.timebounds import check_client_time

MAX_TRANSCRIPT = 200


class TranscriptLine(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sender: Literal["user", "bot", "agent"]
    text: Annotated[str, Field(min_length=1, max_length=2000)]
    timestamp: datetime | None = None

    @field_validator("timestamp")
    @classmethod
    def _timestamp(cls, value: datetime | None) -> datetime | None:
        return None if value is None else check_client_time(value)


class TicketCreate(BaseModel):
    """A conversation the assistant hands to a person, with what was said so far."""

    model_config = ConfigDict(extra="forbid")

    conversation_id: Annotated[str, Field(min_length=1, max_length=128)]
    channel: Annotated[str, Field(min_length=1, max_length=32)] = "web"
    reason: Annotated[str, Field(min_length=3, max_length=500, examples=["The customer asked for a person."])]
    customer_email: Annotated[str | None, Field(max_length=254)] = None
    order_number: Annotated[str | None, Field(max_length=20)] = None
    transcript: Annotated[list[TranscriptLine], Field(min_length=1, max_length=MAX_TRANSCRIPT)]

    @field_validator("customer_email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        return None if value is None or not value.strip() else checked_email(value)

    @field_validator("order_number")
    @classmethod
    def _order_number(cls, value: str | None) -> str | None:
        return None if value is None or not value.strip() else normalise_order_number(value)


class TicketPublic(BaseModel):
    reference: str
    status: TicketStatus
    created_at: datetime
    message: str
