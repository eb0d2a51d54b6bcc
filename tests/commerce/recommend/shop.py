"""A small shop for the recommendation tests: two departments of two categories each, and shoppers who only
ever look at products of one department (so a learning model has something to find)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from sqlalchemy.orm import Session

from commerce.behaviour.models import (
    BehaviourEvent,
    Device,
    EventKind,
    PageType,
    TrafficSource,
    VisitorType,
    VisitSession,
)
from commerce.catalog.models import Category, Product
from commerce.customers.models import Customer
from commerce.orders.models import OrderStatus
from tests.commerce import factories

START = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(days=20)
PER_CATEGORY = 5


@dataclass
class Shop:
    departments: dict[str, Category] = field(default_factory=dict)
    categories: dict[str, Category] = field(default_factory=dict)  # "a1", "a2", "b1", "b2"
    products: dict[str, list[Product]] = field(default_factory=dict)  # by category key
    shoppers: dict[str, list[Customer]] = field(default_factory=dict)  # by department key "a" / "b"

    def department(self, key: str) -> list[Product]:
        return [p for c, ps in self.products.items() if c.startswith(key) for p in ps]


def build(db: Session, shoppers_per_department: int = 12, seed: int = 0) -> Shop:
    rng = random.Random(seed)
    shop = Shop()
    for key in ("a", "b"):
        department = factories.category(db, slug=f"dept-{key}-{seed}", name=f"Department {key.upper()}")
        shop.departments[key] = department
        for n in (1, 2):
            category = factories.category(db, slug=f"cat-{key}{n}-{seed}", name=f"Category {key.upper()}{n}",
                                          parent_id=department.id)
            shop.categories[f"{key}{n}"] = category
            shop.products[f"{key}{n}"] = [
                factories.product(db, category=category, price_cents=1000 * (i + 1), stock=20)
                for i in range(PER_CATEGORY)
            ]
    for key in ("a", "b"):
        shop.shoppers[key] = []
        for _ in range(shoppers_per_department):
            customer = factories.customer(db)
            shop.shoppers[key].append(customer)
            views = rng.sample(shop.products[f"{key}1"], 2) + rng.sample(shop.products[f"{key}2"], 2)
            rng.shuffle(views)
            add_events(db, [(p, EventKind.PAGE_VIEW) for p in views], customer_id=customer.id,
                       at=START + timedelta(hours=rng.randint(0, 400)))
    return shop


def add_events(
    db: Session,
    events: list[tuple[Product, EventKind]],
    customer_id: int | None = None,
    session_key: str | None = None,
    at: datetime | None = None,
) -> str:
    """One visit with these product events a minute apart; returns its session key."""
    at = at or datetime.now(timezone.utc) - timedelta(minutes=len(events) + 1)
    key = session_key or f"visit-{random.getrandbits(48):012x}"
    visit = db.query(VisitSession).filter_by(session_key=key).one_or_none()
    if visit is None:
        visit = VisitSession(session_key=key, customer_id=customer_id, visitor_type=VisitorType.RETURNING,
                             traffic_source=TrafficSource.DIRECT, device=Device.DESKTOP, operating_system="Linux",
                             browser="Firefox", region="DE-Berlin", started_at=at)
        db.add(visit)
        db.flush()
    for n, (product, kind) in enumerate(events):
        db.add(BehaviourEvent(session_id=visit.id, occurred_at=at + timedelta(minutes=n), kind=kind,
                              page_type=PageType.PRODUCT, page=f"/products/{product.sku}", product_id=product.id,
                              quantity=1 if kind == EventKind.ADD_TO_CART else None))
    db.commit()
    return key


def buy(db: Session, customer: Customer, products: list[Product]) -> None:
    factories.order(db, status=OrderStatus.DELIVERED, items=[(p, 1) for p in products], customer=customer)
