from __future__ import annotations

import hashlib
from datetime import date, datetime, timezone

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from commerce import models
from commerce.behaviour.models import EventKind, PageType
from commerce.orders.models import OrderStatus
from commerce.seed import AlreadySeeded, Sizes, seed
from commerce.seed.orders import ORDERS_PER_CUSTOMER

TODAY = date(2026, 6, 15)
SMALL = Sizes(products=60, customers=40, sessions=30)
SNAPSHOT_TABLES = (
    models.Category,
    models.Brand,
    models.Product,
    models.Customer,
    models.Address,
    models.Order,
    models.OrderItem,
    models.Shipment,
    models.Invoice,
    models.ReturnRequest,
    models.Refund,
    models.VisitSession,
    models.BehaviourEvent,
)


def _count(db: Session, model: type) -> int:
    return db.scalar(select(func.count()).select_from(model)) or 0


def snapshot(db: Session) -> dict[str, str]:
    """A digest per table of every column except surrogate ids the database assigns itself."""
    digests = {}
    for model in SNAPSHOT_TABLES:
        table = model.__table__
        columns = [c for c in table.c if c.name != "id" or model in (models.Product, models.Order, models.Customer)]
        rows = sorted(repr(tuple(row)) for row in db.execute(select(*columns)).all())
        digests[table.name] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return digests


def test_small_seed_writes_the_requested_sizes(db: Session) -> None:
    result = seed(db, SMALL, seed_value=7, today=TODAY)
    demo_orders = 6
    assert _count(db, models.Product) == result.counts["products"] == 60
    assert _count(db, models.Customer) == 40
    assert _count(db, models.Order) == demo_orders + int(39 * ORDERS_PER_CUSTOMER)
    assert _count(db, models.VisitSession) == 30
    assert _count(db, models.Category) == 53  # 12 departments and their 41 categories
    assert _count(db, models.BehaviourEvent) > 30
    # Every shipped or delivered order has a shipment with carrier, tracking number and expected delivery.
    missing = db.scalar(
        select(func.count())
        .select_from(models.Order)
        .outerjoin(models.Shipment)
        .where(models.Order.status.in_([OrderStatus.SHIPPED, OrderStatus.DELIVERED]), models.Shipment.id.is_(None))
    )
    assert missing == 0


def test_same_seed_same_shop_and_another_seed_another_shop(db: Session) -> None:
    seed(db, SMALL, seed_value=42, today=TODAY)
    first = snapshot(db)
    seed(db, SMALL, seed_value=42, today=TODAY, reset=True)
    assert snapshot(db) == first
    seed(db, SMALL, seed_value=43, today=TODAY, reset=True)
    other = snapshot(db)
    assert other["products"] != first["products"] and other["orders"] != first["orders"]


def test_seeding_twice_is_refused_without_reset(db: Session) -> None:
    seed(db, SMALL, today=TODAY)
    with pytest.raises(AlreadySeeded):
        seed(db, SMALL, today=TODAY)


def test_too_few_products_is_refused(db: Session) -> None:
    with pytest.raises(ValueError, match="at least"):
        seed(db, Sizes(products=5, customers=5, sessions=5), today=TODAY)


def test_orders_come_in_every_status(db: Session) -> None:
    seed(db, Sizes(products=100, customers=600, sessions=10), today=TODAY)
    statuses = set(db.scalars(select(models.Order.status).distinct()))
    assert statuses == set(OrderStatus)


def test_purchases_follow_behaviour(db: Session) -> None:
    seed(db, Sizes(products=60, customers=20, sessions=600), today=TODAY)
    Event = models.BehaviourEvent
    product_views = (
        select(Event.session_id, func.count().label("views"))
        .where(Event.kind == EventKind.PAGE_VIEW, Event.page_type == PageType.PRODUCT)
        .group_by(Event.session_id)
        .subquery()
    )
    buyers = select(Event.session_id).where(Event.kind == EventKind.PURCHASE)
    bought = db.scalar(select(func.avg(product_views.c.views)).where(product_views.c.session_id.in_(buyers)))
    browsed = db.scalar(select(func.avg(product_views.c.views)).where(product_views.c.session_id.not_in(buyers)))
    conversion = (
        db.scalar(select(func.count(func.distinct(Event.session_id))).where(Event.kind == EventKind.PURCHASE)) / 600
    )
    assert 0.05 < conversion < 0.35
    assert float(bought) > 2 * float(browsed)
    # Nobody buys without putting something in the cart first.
    carts = select(Event.session_id).where(Event.kind == EventKind.ADD_TO_CART)
    assert (
        db.scalar(
            select(func.count())
            .select_from(Event)
            .where(Event.kind == EventKind.PURCHASE, Event.session_id.not_in(carts))
        )
        == 0
    )


def test_demo_orders_answer_as_documented(client: TestClient, db: Session) -> None:
    seed(db, SMALL)  # relative to the current hour, as `python -m commerce.seed` does
    today = datetime.now(timezone.utc).date().isoformat()

    def lookup(number: str, **verification: str) -> dict:
        response = client.post("/v1/orders/lookup", json={"order_number": number, **verification})
        assert response.status_code == 200, response.text
        return response.json()

    shipped = lookup("SA-100001", email="demo@example.com")
    assert shipped["status"] == "shipped"
    assert shipped["shipment"]["carrier"] and shipped["shipment"]["tracking_number"]
    assert shipped["shipment"]["expected_delivery"] > today
    assert lookup("SA-100002", postcode="10115")["can_cancel"] is True
    assert lookup("SA-100003", email="demo@example.com")["return_deadline"] >= today
    assert lookup("SA-100004", email="demo@example.com")["status"] == "paid"
    assert lookup("SA-100005", email="demo@example.com")["status"] == "refunded"
    assert lookup("SA-100006", email="demo@example.com")["return_deadline"] < today
