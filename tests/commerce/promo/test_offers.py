"""Who gets which offer, codes at checkout, and budgets that hold (in the rolled-back test session)."""
from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from commerce.db import utcnow
from commerce.intent.store import ArtefactStore, ModelHolder
from commerce.promo import service
from commerce.promo.models import Campaign, Decision, Offer, OfferStatus
from tests.commerce import factories

HOLDER = ModelHolder(ArtefactStore(Path("/nonexistent")))  # unused: the tests set the probability


def decide(db: Session, customer_id: int, now=None, **context) -> service.OfferDecision:
    return service.decide(db, HOLDER, customer_id, service.Context(**context), now=now, rng=random.Random(7))


def checkout(client: TestClient, email: str, sku: str, code: str | None, quantity: int = 1):
    body = {"email": email, "first_name": "Ada", "last_name": "Shopper", "items": [{"sku": sku, "quantity": quantity}],
            "address": {"recipient": "Ada Shopper", "line1": "Main St 1", "city": "Berlin", "postcode": "10115",
                        "country": "DE"}}
    if code:
        body["offer_code"] = code
    return client.post("/v1/orders", json=body)


def test_undecided_shoppers_get_the_winning_offer_and_sure_buyers_none(db, make_campaign, buying_probability,
                                                                      no_exploration) -> None:
    # 5 EUR off a 100 EUR basket: worth it for an undecided shopper (uplift 0.077 x 40 EUR margin > its cost)
    make_campaign(slug="ten-off", kind="fixed", value=500, max_discount_cents=None)
    shopper = factories.customer(db)
    buying_probability(0.9)
    sure = decide(db, shopper.id, basket_cents=10_000)
    assert sure.offer is None and "buy anyway" in sure.reason
    buying_probability(0.02)
    assert decide(db, shopper.id, basket_cents=10_000).offer is None
    buying_probability(0.4)
    undecided = decide(db, shopper.id, basket_cents=10_000)
    assert undecided.offer is not None and undecided.offer.campaign == "ten-off"
    assert undecided.offer.headline == "5.00 EUR off" and len(undecided.offer.code) == 10
    assert [d.offer_id is not None for d in db.scalars(select(Decision).where(Decision.customer_id == shopper.id))] \
        == [False, False, True]
    # Asking again shows the same code rather than issuing another.
    assert decide(db, shopper.id, basket_cents=10_000).offer.code == undecided.offer.code


def test_an_offer_that_costs_more_than_it_brings_is_not_made(db, make_campaign, buying_probability,
                                                            no_exploration) -> None:
    make_campaign(kind="fixed", value=500, max_discount_cents=None)
    buying_probability(0.4)
    decision = decide(db, factories.customer(db).id, basket_cents=6000)  # 5 EUR off 60 EUR: margin gain < cost
    assert decision.offer is None and decision.reason == "no campaign expects to gain from an offer here"


def test_the_auction_picks_the_campaign_with_the_best_expected_margin(db, make_campaign, buying_probability,
                                                                     no_exploration) -> None:
    make_campaign(slug="generous", kind="percent", value=30, max_discount_cents=3000)
    make_campaign(slug="modest", kind="percent", value=5, max_discount_cents=500)
    buying_probability(0.5)
    decision = decide(db, factories.customer(db).id, basket_cents=8000)
    assert decision.offer.campaign == "modest"  # 30% off eats the margin the extra sale brings


def test_eligibility_rules(db, make_campaign, buying_probability, no_exploration) -> None:
    buying_probability(0.5)
    make_campaign(slug="big-baskets", kind="fixed", value=200, max_discount_cents=None, min_basket_cents=10_000)
    make_campaign(slug="garden-only", kind="fixed", value=200, max_discount_cents=None, category_slugs=["garden"])
    make_campaign(slug="returning", kind="fixed", value=200, max_discount_cents=None, audience="returning")
    newcomer = factories.customer(db)
    assert decide(db, newcomer.id, basket_cents=5000).offer is None
    assert decide(db, newcomer.id, basket_cents=5000, category="garden").offer.campaign == "garden-only"
    regular = factories.order(db).customer
    assert decide(db, regular.id, basket_cents=5000).offer.campaign == "returning"


def test_no_intent_score_means_no_offer(db, make_campaign, no_exploration) -> None:
    make_campaign()
    decision = decide(db, factories.customer(db).id)
    assert decision.offer is None and "no purchase-intent score" in decision.reason


def test_issuing_stops_at_the_budget(db, make_campaign, buying_probability, no_exploration) -> None:
    buying_probability(0.5)
    late = utcnow().replace(hour=23, minute=30)  # pacing has released the whole day's budget by then
    campaign = make_campaign(kind="fixed", value=500, max_discount_cents=None, total_budget_cents=1500,
                             daily_budget_cents=1500, ends_at=late.replace(minute=59).isoformat())  # its last day
    offers = [decide(db, factories.customer(db).id, now=late, basket_cents=10_000).offer for _ in range(5)]
    assert [o is not None for o in offers] == [True, True, True, False, False]
    db.refresh(campaign)
    assert campaign.spent_cents + campaign.reserved_cents <= campaign.total_budget_cents


def test_a_code_gives_its_discount_once_and_only_to_its_owner(client, db, make_campaign, buying_probability,
                                                             no_exploration) -> None:
    campaign = make_campaign(kind="percent", value=10, max_discount_cents=1000)
    product = factories.product(db, price_cents=4000, stock=10)
    owner, other = factories.customer(db), factories.customer(db)
    buying_probability(0.5)
    code = decide(db, owner.id, basket_cents=30_000).offer.code

    assert checkout(client, other.email, product.sku, code).json()["error"] == "offer_code_not_valid"
    placed = checkout(client, owner.email, product.sku, code.lower(), quantity=2)
    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert (order["subtotal"], order["discount"], order["total"]) == ("80.00", "8.00", "72.00")
    again = checkout(client, owner.email, product.sku, code)
    assert again.status_code == 409 and again.json()["error"] == "offer_code_not_valid"
    db.refresh(campaign)
    assert (campaign.spent_cents, campaign.reserved_cents) == (800, 0)
    offer = db.scalar(select(Offer).where(Offer.code == code))
    assert offer.status == OfferStatus.REDEEMED and offer.order_id is not None


def test_a_failed_checkout_leaves_the_code_unused(client, db, make_campaign, buying_probability,
                                                 no_exploration) -> None:
    make_campaign(kind="fixed", value=500, max_discount_cents=None)
    owner = factories.customer(db)
    buying_probability(0.5)
    code = decide(db, owner.id, basket_cents=10_000).offer.code
    out_of_stock = factories.product(db, stock=0)
    assert checkout(client, owner.email, out_of_stock.sku, code).status_code == 409
    assert db.scalar(select(Offer).where(Offer.code == code)).status == OfferStatus.ISSUED


def test_expired_codes_are_refused_and_their_budget_comes_back(client, db, make_campaign, buying_probability,
                                                              no_exploration) -> None:
    campaign = make_campaign(kind="fixed", value=500, max_discount_cents=None)
    owner = factories.customer(db)
    buying_probability(0.5)
    code = decide(db, owner.id, basket_cents=10_000).offer.code
    offer = db.scalar(select(Offer).where(Offer.code == code))
    offer.expires_at = utcnow() - timedelta(minutes=1)
    db.commit()
    product = factories.product(db, price_cents=6000, stock=5)
    assert checkout(client, owner.email, product.sku, code).status_code == 409
    assert service.release_expired(db, utcnow()) == 1
    db.commit()
    db.refresh(campaign)
    assert campaign.reserved_cents == 0


def test_offers_endpoint_validates_and_explains(client, db, make_campaign, buying_probability) -> None:
    assert client.get("/v1/customers/999999/offers").json()["error"] == "customer_not_found"
    assert client.get("/v1/customers/1/offers?basket_cents=-1").status_code == 422
    assert client.get("/v1/customers/1/offers?moment=whenever").status_code == 422
    make_campaign()
    buying_probability(0.5)
    body = client.get(f"/v1/customers/{factories.customer(db).id}/offers?basket_cents=6000").json()
    assert set(body) == {"offer", "reason", "intent_probability", "uplift", "explored"} and body["reason"]


def test_campaign_admin_api_needs_an_admin(client, db) -> None:
    from tests.commerce.promo.admin import login
    from tests.commerce.promo.conftest import campaign_fields

    assert client.get("/v1/admin/campaigns").status_code == 401
    csrf = login(client, db)
    headers = {"X-CSRF-Token": csrf}
    created = client.post("/v1/admin/campaigns", json=campaign_fields(slug="autumn"), headers=headers)
    assert created.status_code == 201, created.text
    assert client.post("/v1/admin/campaigns", json=campaign_fields(slug="autumn"), headers=headers).status_code == 409
    bad = campaign_fields(slug="no-cap", max_discount_cents=None)
    assert "max_discount_cents" in client.post("/v1/admin/campaigns", json=bad, headers=headers).json()["detail"]
    cid = created.json()["id"]
    paused = client.patch(f"/v1/admin/campaigns/{cid}", json={"active": False}, headers=headers)
    assert paused.json()["active"] is False
    assert client.patch(f"/v1/admin/campaigns/{cid}", json={"daily_budget_cents": 10**7},
                        headers=headers).status_code == 422
    assert [c["slug"] for c in client.get("/v1/admin/campaigns").json()] == ["autumn"]
    assert db.scalar(select(Campaign).where(Campaign.slug == "autumn")).active is False


def test_demo_campaigns_are_seeded_once_and_are_valid(db) -> None:
    from commerce.promo.seed import seed

    assert seed(db) == 3 and seed(db) == 0
    assert {c.slug for c in db.scalars(select(Campaign))} == {"welcome-ten", "five-off-forty", "free-delivery"}


def test_signed_in_shopper_gets_their_own_offer_by_token(client, db, make_campaign, buying_probability,
                                                        no_exploration) -> None:
    from commerce.customers import tokens

    make_campaign(slug="ten-off", kind="fixed", value=500, max_discount_cents=None)
    buying_probability(0.4)
    shopper = factories.customer(db)
    headers = {"Authorization": f"Bearer {tokens.issue(shopper.id)}"}
    mine = client.get("/v1/customers/me/offers?basket_cents=10000&moment=price_question", headers=headers)
    assert mine.status_code == 200, mine.text
    code = mine.json()["offer"]["code"]
    # The code is that shopper's: the same decision shows it again, under their id too.
    assert client.get(f"/v1/customers/{shopper.id}/offers?basket_cents=10000").json()["offer"]["code"] == code
    assert client.get("/v1/customers/me/offers").status_code == 401
    assert client.get("/v1/customers/me/offers", headers={"Authorization": "Bearer forged"}).status_code == 401
