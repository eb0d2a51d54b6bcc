from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field


class FeatureEffect(BaseModel):
    feature: str = Field(description="Feature name, in the schema of the UCI Online Shoppers dataset")
    value: bool | float | str = Field(description="The feature's value in this session")
    effect: float = Field(description="Change in purchase probability against a typical session")


class IntentScore(BaseModel):
    session_key: str
    customer_id: int | None
    probability: float = Field(ge=0, le=1, description="Calibrated probability that this visit ends in a purchase")
    band: Literal["low", "medium", "high"]
    top_features: list[FeatureEffect]
    model_version: str


SessionKeyText = Annotated[str, Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
MAX_BATCH = 100


class IntentBatchRequest(BaseModel):
    session_keys: list[SessionKeyText] = Field(min_length=1, max_length=MAX_BATCH,
                                               description=f"Up to {MAX_BATCH} visits, as sent to /v1/events")


class IntentBatch(BaseModel):
    scores: list[IntentScore] = Field(description="One score per known visit, in the order asked")
    unknown: list[str] = Field(description="Session keys with no visit")
