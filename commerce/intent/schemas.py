from __future__ import annotations

from typing import Literal

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
