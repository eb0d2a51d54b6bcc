from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import (
    BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer, model_validator,
)

from commerce.experiments.schemas import ExperimentArm
from commerce.promo.models import Audience, DiscountKind

Cents = Annotated[int, Field(ge=0, le=100_000_000)]
Slug = Annotated[str, Field(min_length=2, max_length=60, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]


class CampaignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    slug: Slug
    name: Annotated[str, Field(min_length=2, max_length=120, pattern=r"^[^\x00-\x1f]+$")]
    kind: DiscountKind
    value: Annotated[int, Field(ge=0, le=100_000_000, description="percent (1-90) or cents off; 0 for free shipping")]
    max_discount_cents: Cents | None = Field(None, description="cap per code; required for percent discounts")
    min_basket_cents: Cents = 0
    category_slugs: Annotated[list[Slug], Field(max_length=50)] = []
    audience: Audience = Audience.ALL
    total_budget_cents: Annotated[int, Field(ge=1, le=100_000_000)]
    daily_budget_cents: Annotated[int, Field(ge=1, le=100_000_000)]
    per_customer_cap: Annotated[int, Field(ge=1, le=100)] = 1
    margin_floor_pct: Annotated[int, Field(ge=0, le=90)] = 10
    starts_at: datetime
    ends_at: datetime
    code_valid_hours: Annotated[int, Field(ge=1, le=24 * 90)] = 48
    active: bool = True

    @model_validator(mode="after")
    def _consistent(self) -> CampaignIn:
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        if self.kind == DiscountKind.PERCENT and not 1 <= self.value <= 90:
            raise ValueError("a percent discount takes a value from 1 to 90")
        if self.kind == DiscountKind.PERCENT and not self.max_discount_cents:
            raise ValueError("a percent discount needs max_discount_cents, so its budget can be held")
        if self.kind == DiscountKind.FIXED and self.value < 1:
            raise ValueError("a fixed discount takes a value in cents of at least 1")
        if self.daily_budget_cents > self.total_budget_cents:
            raise ValueError("the daily budget cannot exceed the total budget")
        return self


class CampaignUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=2, max_length=120, pattern=r"^[^\x00-\x1f]+$")] | None = None
    active: bool | None = None
    total_budget_cents: Annotated[int, Field(ge=1, le=100_000_000)] | None = None
    daily_budget_cents: Annotated[int, Field(ge=1, le=100_000_000)] | None = None
    ends_at: datetime | None = None


class CampaignPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    slug: str
    name: str
    kind: DiscountKind
    value: int
    max_discount_cents: int
    min_basket_cents: int
    category_slugs: list[str]
    audience: Audience
    total_budget_cents: int
    daily_budget_cents: int
    per_customer_cap: int
    margin_floor_pct: int
    starts_at: datetime
    ends_at: datetime
    code_valid_hours: int
    active: bool
    spent_cents: int
    reserved_cents: int


class OfferPublic(BaseModel):
    code: str
    campaign: str
    headline: str = Field(description="what the shopper gets, in a sentence")
    kind: DiscountKind
    value: int
    max_discount_cents: int
    min_basket_cents: int
    expires_at: datetime


class OfferDecision(BaseModel):
    offer: OfferPublic | None
    reason: str
    intent_probability: float | None
    uplift: float | None
    explored: bool = Field(description="decided at random, for learning what offers cause")
    experiment: ExperimentArm | None = Field(
        None, description="The A/B test this decision was part of; present only while an offer_policy experiment "
                          "is running")

    @model_serializer(mode="wrap")
    def _without_absent_experiment(self, handler: SerializerFunctionWrapHandler):  # type: ignore[no-untyped-def]
        # Outside an experiment the decision reads exactly as it did before experiments existed. No return
        # annotation on purpose: with one, the OpenAPI schema of OfferDecision would become a bare object.
        data = handler(self)
        if data.get("experiment", ...) is None:
            del data["experiment"]
        return data


Moment = Literal["price_question", "hesitation", "cart_abandonment", "browsing"]
