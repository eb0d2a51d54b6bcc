"""Promo fixtures: campaigns made directly in the rolled-back test session, and a fixed purchase probability
(the intent model is tested on its own; here it only has to say how likely the shopper is to buy)."""
from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from commerce.db import utcnow
from commerce.promo import learning, service
from commerce.promo.campaigns import create
from commerce.promo.models import Campaign
from commerce.promo.schemas import CampaignIn


def campaign_fields(**overrides: Any) -> dict[str, Any]:
    now = utcnow()
    return {
        "slug": f"spring-{random.randrange(10**9)}", "name": "Spring ten percent", "kind": "percent", "value": 10,
        "max_discount_cents": 1000, "total_budget_cents": 100_000, "daily_budget_cents": 20_000,
        "starts_at": (now - timedelta(days=1)).isoformat(), "ends_at": (now + timedelta(days=10)).isoformat(),
        **overrides,
    }


@pytest.fixture
def make_campaign(db: Session) -> Callable[..., Campaign]:
    return lambda **overrides: create(db, CampaignIn.model_validate(campaign_fields(**overrides)))


@pytest.fixture
def buying_probability(monkeypatch: pytest.MonkeyPatch) -> Callable[[float | None], None]:
    def set_probability(p: float | None) -> None:
        monkeypatch.setattr(service, "_intent_probability", lambda *_: p)
    return set_probability


@pytest.fixture
def no_exploration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service.targeting, "EXPLORATION_SHARE", 0.0)


@pytest.fixture(autouse=True)
def uplift_models(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory):
    """Each test starts with no trained uplift model (the prior), whatever a developer trained in var/."""
    holder = learning.UpliftHolder(tmp_path_factory.mktemp("uplift"))
    monkeypatch.setattr(learning, "_holder", holder)
    return holder
