"""Races between real, separately committed transactions (these tests cannot use the rolled-back session)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from commerce.catalog.models import Brand, Category, Product
from commerce.customers.models import Customer
from commerce.db import utcnow
from commerce.errors import Conflict
from commerce.orders import checkout, service
from commerce.orders.models import Order, OrderStatus, Refund
from commerce.orders.schemas import OrderCreate, OrderVerification
from tests.commerce import factories

EMAIL = "race.condition@example.com"


@pytest.fixture
def sessions(engine: Engine) -> Iterator[sessionmaker[Session]]:
    """A session factory on the real database, and a clean-up of everything the test committed."""
    maker = sessionmaker(bind=engine, expire_on_commit=False)
    yield maker
    with maker() as s:
        s.execute(delete(Order).where(Order.email.in_([EMAIL, "first@example.com", "second@example.com"])))
        s.execute(delete(Customer).where(Customer.email.in_([EMAIL, "first@example.com", "second@example.com"])))
        s.execute(delete(Product).where(Product.sku.like("RACE-%")))
        s.execute(delete(Category).where(Category.slug.like("race-%")))
        s.execute(delete(Brand).where(Brand.slug.like("race-%")))
        s.commit()


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls at the same moment in threads; return each result or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int, call: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test inspects
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def _product(s: Session, n: int, stock: int) -> Product:
    return factories.product(
        s,
        sku=f"RACE-{n}",
        stock=stock,
        category=factories.category(s, slug=f"race-c{n}"),
        brand=factories.brand(s, slug=f"race-b{n}"),
    )


@pytest.mark.parametrize("attempt", range(3))
def test_two_concurrent_cancels_one_succeeds_one_conflicts(sessions: sessionmaker[Session], attempt: int) -> None:
    with sessions() as s:
        product = _product(s, attempt, stock=5)
        customer = factories.customer(s, email=EMAIL)
        order = factories.order(s, status=OrderStatus.PAID, customer=customer, items=[(product, 2)], paid_at=utcnow())
        number, order_id, product_id = order.number, order.id, product.id

    def cancel() -> Order:
        with sessions() as s:
            return service.cancel(s, OrderVerification(order_number=number, email=EMAIL))

    results = race(cancel, cancel)
    successes = [r for r in results if isinstance(r, Order)]
    conflicts = [r for r in results if isinstance(r, Conflict)]
    assert len(successes) == 1 and len(conflicts) == 1, results
    with sessions() as s:
        assert s.get(Order, order_id).status == OrderStatus.CANCELLED
        assert s.get(Product, product_id).stock == 7  # restocked exactly once
        assert len(s.scalars(select(Refund).where(Refund.order_id == order_id)).all()) == 1


def test_two_buyers_of_the_last_unit(sessions: sessionmaker[Session]) -> None:
    with sessions() as s:
        _product(s, 99, stock=1)

    def buy(email: str) -> Order:
        request = OrderCreate(
            email=email,
            first_name="Race",
            last_name="Buyer",
            items=[{"sku": "RACE-99", "quantity": 1}],
            address={
                "recipient": "Race Buyer",
                "line1": "Gartenweg 3",
                "city": "Köln",
                "postcode": "50667",
                "country": "DE",
            },
        )
        with sessions() as s:
            return checkout.place_order(s, request)

    results = race(lambda: buy("first@example.com"), lambda: buy("second@example.com"))
    assert sum(isinstance(r, Order) for r in results) == 1, results
    assert sum(isinstance(r, Conflict) for r in results) == 1, results
    with sessions() as s:
        assert s.scalar(select(Product.stock).where(Product.sku == "RACE-99")) == 0
