from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from commerce.behaviour.schemas import VisitIn
from commerce.catalog.schemas import ProductSummary
from commerce.experiments.schemas import ExperimentArm
from commerce.timebounds import check_client_time

MAX_K = 50
SessionKey = Annotated[str, Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
Sku = Annotated[str, Field(min_length=1, max_length=32)]
ReasonCode = Literal["viewed", "carted", "bought", "similar", "buy_again", "for_you", "trending", "popular_in_category"]
Strategy = Literal["personalised", "similar", "popular"]


class RecommendationQuery(BaseModel):
    """Query parameters of both recommendation routes."""

    model_config = ConfigDict(extra="forbid")

    k: int = Field(10, ge=1, le=MAX_K, description="How many products to return.")
    context_product: Sku | None = Field(None, description="SKU of the product on screen: similar products first.")
    category: str | None = Field(None, max_length=80, description="Only this category or department (slug).")
    max_price: Decimal | None = Field(None, ge=0, le=1_000_000, max_digits=9, decimal_places=2)
    session_key: SessionKey | None = Field(
        None, description="The current visit (as sent to /v1/events): its events count at once, signed in or not."
    )


class Reason(BaseModel):
    code: ReasonCode
    text: str = Field(description="A short sentence to show beside the product.")
    product_sku: str | None = Field(None, description="The product the reason refers to, if any.")


class Recommendation(BaseModel):
    product: ProductSummary
    reason: Reason
    score: float


class RecommendationList(BaseModel):
    customer_id: int | None
    session_key: str | None
    strategy: Strategy = Field(
        description="personalised: from the shopper's history; similar: from the product on screen only; "
        "popular: nothing to go on yet, so what is trending"
    )
    model_version: str
    items: list[Recommendation]
    experiment: ExperimentArm | None = Field(
        None, description="The A/B test this list was part of, if a recommendation_model experiment is running"
    )


class ClickIn(BaseModel):
    """A shopper opened a recommended product: recorded as a product view of the visit, tagged with its source."""

    model_config = ConfigDict(extra="forbid")

    visit: VisitIn
    sku: Sku
    position: int = Field(ge=1, le=MAX_K, description="1-based place of the product in the list shown.")
    model_version: Annotated[str, Field(max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")] | None = None
    occurred_at: datetime

    @field_validator("occurred_at")
    @classmethod
    def _occurred_at(cls, value: datetime) -> datetime:
        return check_client_time(value)
