from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from commerce.behaviour.models import Device, EventKind, PageType, TrafficSource, VisitorType
from commerce.timebounds import check_client_time

MAX_BATCH = 500


class VisitIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    session_key: Annotated[str, Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
    visitor_type: VisitorType
    traffic_source: TrafficSource
    device: Device
    operating_system: Annotated[str, Field(min_length=1, max_length=40)]
    browser: Annotated[str, Field(min_length=1, max_length=40)]
    region: Annotated[str, Field(min_length=1, max_length=60)]
    started_at: datetime

    @field_validator("started_at")
    @classmethod
    def _started_at(cls, value: datetime) -> datetime:
        return check_client_time(value)


class EventIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    occurred_at: datetime
    kind: EventKind
    page_type: PageType | None = None
    page: Annotated[str | None, Field(max_length=300)] = None
    duration_seconds: Annotated[float | None, Field(ge=0, le=86_400)] = None
    product_sku: Annotated[str | None, Field(max_length=32)] = None
    search_query: Annotated[str | None, Field(max_length=200)] = None
    quantity: Annotated[int | None, Field(ge=1, le=1000)] = None
    value_cents: Annotated[int | None, Field(ge=0, le=100_000_000)] = None

    @field_validator("occurred_at")
    @classmethod
    def _occurred_at(cls, value: datetime) -> datetime:
        return check_client_time(value)

    @model_validator(mode="after")
    def _fields_for_kind(self) -> EventIn:
        if self.kind == EventKind.PAGE_VIEW and (self.page_type is None or not self.page):
            raise ValueError("A page_view needs page_type and page.")
        if self.kind == EventKind.SEARCH and not self.search_query:
            raise ValueError("A search needs search_query.")
        if self.kind == EventKind.ADD_TO_CART and not self.product_sku:
            raise ValueError("An add_to_cart needs product_sku.")
        return self


class EventBatch(BaseModel):
    """Up to 500 events of one visit; the visit is recorded the first time its session_key is seen."""

    model_config = ConfigDict(extra="forbid")

    visit: VisitIn
    events: Annotated[list[EventIn], Field(min_length=1, max_length=MAX_BATCH)]


class BatchAccepted(BaseModel):
    session_key: str
    accepted: int
