"""50 requests at the same moment, in real separately committed transactions: a code is redeemed once and a
budget is never overspent (on SQLite and, in CI, PostgreSQL)."""
from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from commerce.catalog.models import Brand, Category, Product
from commerce.customers.models import Customer
from commerce.db import utcnow
from commerce.orders import checkout
from commerce.orders.models import Order
from commerce.orders.schemas import OrderCreate
from commerce.promo import service
from commerce.promo.campaigns import create
from commerce.promo.exceptions import CodeNotValid
from commerce.promo.models import Campaign, Decision, Offer
from commerce.promo.schemas import CampaignIn
from tests.commerce import factories
from tests.commerce.promo.conftest import campaign_fields
from tests.commerce.promo.test_offers import HOLDER
from tests.commerce.test_concurrency import race

N = 50


@pytest.fixture
def sessions(engine: Engine, buying_probability, no_exploration) -> Iterator[sessionmaker[Session]]:
    buying_probability(0.5)
    maker = sessionmaker(bind=engine, expire_on_commit=False)
    yield maker
    with maker() as s:
        customers = select(Customer.id).where(Customer.email.like("promo-race-%"))
        s.execute(delete(Decision).where(Decision.customer_id.in_(customers)))
        s.execute(delete(Order).where(Order.customer_id.in_(customers)))
        s.execute(delete(Offer).where(Offer.customer_id.in_(customers)))
        s.execute(delete(Campaign).where(Campaign.slug.like("promo-race-%")))
        s.execute(delete(Customer).where(Customer.email.like("promo-race-%")))
        s.execute(delete(Product).where(Product.sku.like("PRACE-%")))
        s.execute(delete(Category).where(Category.slug == "promo-race"))
        s.execute(delete(Brand).where(Brand.slug == "promo-race"))
        s.commit()


def _campaign(s: Session, **overrides) -> int:
    late = utcnow().replace(hour=23, minute=30)
    fields = campaign_fields(slug=f"promo-race-{random.randrange(10**9)}", kind="fixed", value=500,
                             max_discount_cents=None, ends_at=(late + timedelta(minutes=29)).isoformat(), **overrides)
    return create(s, CampaignIn.model_validate(fields)).id


def test_fifty_shoppers_at_once_cannot_overspend_a_budget(sessions: sessionmaker[Session]) -> None:
    late = utcnow().replace(hour=23, minute=30)
    with sessions() as s:
        campaign_id = _campaign(s, total_budget_cents=5000, daily_budget_cents=5000)  # room for 10 codes
        ids = [factories.customer(s, email=f"promo-race-{i}@example.com").id for i in range(N)]

    def ask(customer_id: int):
        with sessions() as s:
            return service.decide(s, HOLDER, customer_id, service.Context(basket_cents=10_000), now=late,
                                  rng=random.Random(customer_id))

    results = race(*[lambda c=c: ask(c) for c in ids])
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors[:3]
    assert sum(r.offer is not None for r in results) == 10
    with sessions() as s:
        campaign = s.get(Campaign, campaign_id)
        assert (campaign.reserved_cents, campaign.spent_cents) == (5000, 0)
        assert len(s.scalars(select(Offer).where(Offer.campaign_id == campaign_id)).all()) == 10


def test_fifty_checkouts_with_one_code_redeem_it_once(sessions: sessionmaker[Session]) -> None:
    late = utcnow().replace(hour=23, minute=30)
    with sessions() as s:
        campaign_id = _campaign(s)
        owner = factories.customer(s, email="promo-race-owner@example.com")
        factories.product(s, sku="PRACE-1", stock=N, price_cents=10_000,
                          category=factories.category(s, slug="promo-race"), brand=factories.brand(s, slug="promo-race"))
        code = service.decide(s, HOLDER, owner.id, service.Context(basket_cents=10_000), now=late).offer.code

    request = OrderCreate(email=owner.email, first_name="Race", last_name="Owner", offer_code=code,
                          items=[{"sku": "PRACE-1", "quantity": 1}],
                          address={"recipient": "Race Owner", "line1": "Gartenweg 3", "city": "Köln",
                                   "postcode": "50667", "country": "DE"})

    def buy() -> Order:
        with sessions() as s:
            return checkout.place_order(s, request)

    results = race(*[buy for _ in range(N)])
    placed = [r for r in results if isinstance(r, Order)]
    refused = [r for r in results if isinstance(r, CodeNotValid)]
    assert len(placed) == 1 and len(refused) == N - 1, [r for r in results if not isinstance(r, (Order, CodeNotValid))][:3]
    assert placed[0].discount_cents == 500 and placed[0].total_cents == 10_000 - 500
    with sessions() as s:
        campaign = s.get(Campaign, campaign_id)
        assert (campaign.spent_cents, campaign.reserved_cents) == (500, 0)
        assert s.scalar(select(Product.stock).where(Product.sku == "PRACE-1")) == N - 1
