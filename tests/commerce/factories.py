"""Build rows for tests with sensible defaults; pass keyword arguments to override any column.

Factories commit, as the rows of a real shop are committed before a request arrives. Inside a test this only
releases a SAVEPOINT; the test's outer transaction still rolls everything back.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from commerce.catalog.models import Brand, Category, Product
from commerce.catalog.search_text import build_search_text
from commerce.customers.models import Customer
from commerce.db import utcnow
from commerce.orders.identifiers import format_order_number, normalise_postcode
from commerce.orders.models import Order, OrderItem, OrderStatus, Shipment

_ids = itertools.count(1)


def _next() -> int:
    return next(_ids)


def category(db: Session, **overrides: Any) -> Category:
    n = _next()
    row = Category(**{"slug": f"category-{n}", "name": f"Category {n}", **overrides})
    db.add(row)
    db.commit()
    return row


def brand(db: Session, **overrides: Any) -> Brand:
    n = _next()
    row = Brand(**{"slug": f"brand-{n}", "name": f"Brand {n}", **overrides})
    db.add(row)
    db.commit()
    return row


def product(db: Session, **overrides: Any) -> Product:
    n = _next()
    values: dict[str, Any] = {
        "sku": f"TST-{n:05d}",
        "title": f"Test Product {n}",
        "description": "A product made up for a test.",
        "price_cents": 1999,
        "currency": "EUR",
        "stock": 10,
        "attributes": {},
        "image_url": f"/images/{n}.svg",
        **overrides,
    }
    if "category" not in values and "category_id" not in values:
        values["category"] = category(db)
    if "brand" not in values and "brand_id" not in values:
        values["brand"] = brand(db)
    if "search_text" not in values and "brand" in values and "category" in values:
        values["search_text"] = build_search_text(values["brand"].name, values["category"].name, values["attributes"])
    row = Product(**values)
    db.add(row)
    db.commit()
    return row


def customer(db: Session, **overrides: Any) -> Customer:
    n = _next()
    row = Customer(
        **{"email": f"customer{n}@example.com", "first_name": "Test", "last_name": f"Person {n}", **overrides}
    )
    db.add(row)
    db.commit()
    return row


def order(
    db: Session,
    status: OrderStatus = OrderStatus.PLACED,
    items: list[tuple[Product, int]] | None = None,
    shipped_at: datetime | None = None,
    delivered_at: datetime | None = None,
    **overrides: Any,
) -> Order:
    who = overrides.pop("customer", None) or customer(db)
    lines = items if items is not None else [(product(db), 1)]
    subtotal = sum(p.price_cents * q for p, q in lines)
    postcode = overrides.pop("ship_postcode", "10115")
    row = Order(
        **{
            "number": format_order_number(200000 + _next()),
            "customer": who,
            "email": who.email,
            "status": status,
            "currency": "EUR",
            "subtotal_cents": subtotal,
            "shipping_cents": 0,
            "total_cents": subtotal,
            "ship_recipient": f"{who.first_name} {who.last_name}",
            "ship_line1": "Teststraße 1",
            "ship_line2": None,
            "ship_city": "Berlin",
            "ship_postcode": postcode,
            "ship_country": "DE",
            "ship_postcode_key": normalise_postcode(postcode),
            "placed_at": utcnow() - timedelta(days=3),
            **overrides,
        }
    )
    row.items = [
        OrderItem(product_id=p.id, sku=p.sku, title=p.title, quantity=q, unit_price_cents=p.price_cents)
        for p, q in lines
    ]
    if shipped_at or status in (OrderStatus.SHIPPED, OrderStatus.DELIVERED):
        shipped = shipped_at or utcnow() - timedelta(days=2)
        row.shipment = Shipment(
            carrier="DHL",
            tracking_number="00340434000000000001",
            shipped_at=shipped,
            expected_delivery=(shipped + timedelta(days=3)).date(),
            delivered_at=delivered_at or (utcnow() - timedelta(days=1) if status == OrderStatus.DELIVERED else None),
        )
    db.add(row)
    db.commit()
    return row
