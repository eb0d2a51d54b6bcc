from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class DayCount(BaseModel):
    day: date
    conversations: int
    handoffs: int = Field(description="conversations of the day with a handoff")
    fallbacks: int = Field(description="fallback turns of the day")


class IntentCount(BaseModel):
    intent: str
    count: int
    mean_confidence: float | None


class QuestionCount(BaseModel):
    question: str = Field(description="as asked, personal data redacted")
    count: int


class Conversations(BaseModel):
    total: int = Field(description="conversations with at least one shopper message in the period")
    user_messages: int
    resolved_automatically: int
    automated_resolution_rate: float | None = Field(
        description="share of conversations without a handoff and without a negative answer rating")
    handoffs: int
    handoff_rate: float | None
    fallback_turns: int
    fallback_rate: float | None = Field(description="fallback turns per shopper message")
    conversations_with_fallback: int


class Helpfulness(BaseModel):
    ratings: int
    helpful: int
    helpful_rate: float | None


class Recommendations(BaseModel):
    lists_shown: int
    products_shown: int
    clicks: int
    click_through_rate: float | None = Field(description="clicks per recommended product shown")
    orders_influenced: int
    revenue_influenced_cents: int = Field(
        description="orders with a clicked product, by the clicking visit's customer, within the attribution "
                    "window after the click")
    attribution_days: int


class Offers(BaseModel):
    issued: int
    redeemed: int
    redemption_rate: float | None
    discount_cents: int
    explored_offered: int = Field(description="randomised decisions that gave an offer (outcome known)")
    explored_withheld: int
    conversion_offered: float | None
    conversion_withheld: float | None
    incremental_conversions: float | None = Field(
        description="(conversion offered - conversion withheld) x offered, on the randomised decisions")
    channel_filtered: bool = Field(False, description="offers are per customer and record no channel: these figures "
                                                      "cover every channel")


class IntentBands(BaseModel):
    scored: int = Field(description="offer decisions with a purchase-intent score in the period")
    low: int
    medium: int
    high: int
    thresholds: dict[str, float]
    channel_filtered: bool = Field(False, description="offer decisions are per customer and record no channel: "
                                                      "these figures cover every channel")


class Dashboard(BaseModel):
    start: date
    end: date
    channel: str | None
    channels: list[str]
    conversations: Conversations
    per_day: list[DayCount]
    helpfulness: Helpfulness
    top_intents: list[IntentCount]
    top_unanswered: list[QuestionCount]
    recommendations: Recommendations
    offers: Offers
    purchase_intent: IntentBands


class IngestOut(BaseModel):
    read: int
    written: int
    last_event_id: int
    waiting_for_gap: bool
