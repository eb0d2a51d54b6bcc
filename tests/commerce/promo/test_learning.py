"""The uplift model learns from the shop's own randomised decisions and then steers the offers."""
from __future__ import annotations

import random
from datetime import timedelta

import numpy as np
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from commerce.artefacts import VersionedStore
from commerce.db import utcnow
from commerce.promo import learning
from commerce.promo.models import Decision, Offer, OfferStatus
from tests.commerce import factories
from tests.commerce.promo.test_offers import decide


def persuadable(p: float) -> bool:
    return 0.2 <= p <= 0.6


def log_history(db: Session, make_campaign, n: int, seed: int = 3) -> None:
    """n randomised decisions a week ago; an offer adds 0.35 to the purchase chance of undecided shoppers only."""
    rng = random.Random(seed)
    campaign = make_campaign()
    product = factories.product(db)
    decided = utcnow() - timedelta(days=7)
    for i in range(n):
        who = factories.customer(db)
        p = rng.random() * 0.9 + 0.05
        offered = i % 2 == 0
        offer = None
        if offered:
            offer = Offer(code=f"HIST{i:06d}", campaign_id=campaign.id, customer_id=who.id, reservation_cents=1000,
                          status=OfferStatus.EXPIRED, issued_at=decided, expires_at=decided + timedelta(days=1))
            db.add(offer)
            db.flush()
        db.add(Decision(customer_id=who.id, decided_at=decided, intent_probability=p, uplift=None, explored=True,
                        offer_id=offer.id if offer else None, reason="exploration",
                        context={"basket_cents": 6000, "moment": "browsing", "orders": 0}))
        chance = p * 0.5 + (0.35 if offered and persuadable(p) else 0.0)
        if rng.random() < chance:
            factories.order(db, customer=who, items=[(product, 1)], placed_at=decided + timedelta(hours=5))
    db.commit()


def test_training_needs_enough_randomised_decisions(db, make_campaign, tmp_path) -> None:
    log_history(db, make_campaign, 40)
    with pytest.raises(learning.NotEnoughData, match="per arm"):
        learning.train(db, tmp_path)


def test_learned_uplift_finds_the_persuadable_and_steers_decide(db, make_campaign, buying_probability,
                                                              no_exploration, uplift_models, tmp_path) -> None:
    log_history(db, make_campaign, 700)
    data = learning.training_data(db, utcnow())
    assert len(data.bought) == 700 and data.treated.sum() == 350
    version = learning.train(db, uplift_models.root)
    assert version is not None
    assert learning.train(db, uplift_models.root, if_changed=True) is None  # same log: nothing to do
    model = uplift_models.current(clock=1e9)
    lift = {p: float(model.predict_uplift(learning.features(p, 6000, 0, "browsing"))[0]) for p in (0.1, 0.4, 0.9)}
    assert lift[0.4] > lift[0.1] + 0.05 and lift[0.4] > lift[0.9] + 0.05, lift

    make_campaign(slug="ten-off", kind="fixed", value=500, max_discount_cents=None)
    buying_probability(0.4)
    shopper = factories.customer(db)
    result = decide(db, shopper.id, basket_cents=10_000)
    logged = db.scalars(select(Decision).where(Decision.customer_id == shopper.id)).one()
    assert logged.context["uplift_from"] == "learned" and logged.context["orders"] == 0
    assert result.uplift == pytest.approx(round(float(model.predict_uplift(
        learning.features(0.4, 10_000, 0, "browsing"))[0]), 4))


def test_recent_decisions_wait_for_their_outcome(db, make_campaign) -> None:
    who = factories.customer(db)
    db.add(Decision(customer_id=who.id, decided_at=utcnow() - timedelta(hours=3), intent_probability=0.3,
                    explored=True, reason="exploration", context={"basket_cents": 5000}))
    db.commit()
    assert len(learning.training_data(db, utcnow()).bought) == 0


def test_features_are_finite_at_the_edges() -> None:
    for p in (0.0, 1.0, 0.5):
        assert np.isfinite(learning.features(p, 0, 0, None)).all()


def test_a_model_trained_on_other_features_is_not_served(tmp_path) -> None:
    holder = learning.UpliftHolder(tmp_path)
    VersionedStore(tmp_path).save_arrays({"w": np.zeros(3)}, {"features": ["something_else"]})
    assert holder.current(clock=1e9) is None  # the prior keeps deciding
